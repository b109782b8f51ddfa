"""``shelter serve``: run the web app with waitress (static files come from WhiteNoise).

Process model: one process of 8 waitress threads by default. ``--workers N`` binds the socket once,
then forks N such processes that accept on it (the kernel hands each connection to one of them): a
request's Python work is held to one core by the interpreter's lock, so more cores need more
processes. Each worker opens its own database connections (kept open between requests, see
``shelter.home.database``) and keeps its own caches; the parent only watches them and stops them all
on SIGTERM or Ctrl+C, and runs the daily audit checkpoint. Each server process appends the identity
reads its requests record to the audit chain from a thread of its own (``audit.log.keep_chaining``),
so that no request waits for the chain's lock."""

import os
import signal
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
NEVER = sys.maxsize  # a buffer size never reached


def add_server_arguments(parser):
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 picks a free one)"
    )


def build_server(host: str, port: int, sockets: list | None = None):
    """A waitress server bound to host:port (or serving ``sockets`` already bound), not yet serving.
    Binding happens here, so a taken port fails before anything is printed."""
    import waitress

    from shelter.wsgi import application

    where = {"sockets": sockets} if sockets else {"host": host, "port": port}
    try:
        return waitress.create_server(
            application, **where, threads=8,
            # Identity data never goes into waitress's error pages or logs.
            expose_tracebacks=False,
            # Bodies over the limit are refused with 413 from their Content-Length, logged in or not.
            max_request_body_size=settings.SHELTER_MAX_REQUEST_BYTES,
            # Waitress writes a request body over 512 KiB, and a response over 1 MiB, to a temporary
            # file in /tmp, in clear: an evidence upload or download would leave a passport scan on
            # disk. Neither buffer may spill: a body is capped above, and a response waits in
            # memory for the client only up to outbuf_high_watermark plus one chunk.
            inbuf_overflow=NEVER,
            outbuf_overflow=NEVER,
        )
    except OSError as e:
        raise CommandError(f"cannot listen on {host}:{port}: {e.strerror or e}") from e


def server_urls(server) -> list[str]:
    """Where the server listens ("localhost" may bind both 127.0.0.1 and ::1)."""
    listening = getattr(server, "effective_listen", None) or [(server.effective_host, server.effective_port)]
    return [f"http://{f'[{host}]' if ':' in host else host}:{port}/" for host, port in listening]


def run(host: str, port: int, out, workers: int = 1):
    """Bind, print the URL on ``out`` (a text stream), serve until interrupted. Shared by ``serve``
    and ``demo``."""
    server = build_server(host, port)
    out.write(f"Shelter is running at {' and '.join(server_urls(server))}  (Ctrl+C to stop)\n")
    out.flush()
    if workers > 1:
        return run_workers(server, workers)
    keep_chaining()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def keep_chaining():
    from shelter.audit.log import keep_chaining as start

    start()


def run_workers(bound, workers: int):
    """Fork ``workers`` processes serving the sockets ``bound`` listens on; wait until a signal or
    a worker's death, then stop them all."""
    from django.db import connections

    # One server, or one per address (waitress's MultiSocketServer, e.g. "localhost" on IPv4 and IPv6).
    servers = [bound] if hasattr(bound, "socket") else [s for s in bound.map.values() if hasattr(s, "effective_port")]
    sockets = [server.socket for server in servers]
    connections.close_all()  # a connection must never be shared across a fork
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the workers
            signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
            server = build_server("", 0, sockets=[s.dup() for s in sockets])
            keep_chaining()
            try:
                server.run()
            finally:
                os._exit(0)
        children.append(pid)
    stop = lambda *_: (_ for _ in ()).throw(KeyboardInterrupt)  # noqa: E731
    signal.signal(signal.SIGTERM, stop)
    try:
        os.wait()  # returns when a worker dies; the others go with it
    except KeyboardInterrupt:
        pass
    finally:
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        bound.close()


class Command(BaseCommand):
    help = "Apply pending migrations and serve the web app with waitress."

    def add_arguments(self, parser):
        add_server_arguments(parser)
        parser.add_argument("--workers", type=int, default=1, metavar="N",
                            help="server processes, 8 threads each (default 1; about one per core)")

    def handle(self, *args, host, port, workers=1, **options):
        from shelter.audit import outside

        if workers < 1:
            raise CommandError("--workers counts server processes: 1 or more")
        call_command("migrate", interactive=False, verbosity=0)
        outside.keep_taking_daily()
        run(host, port, self.stdout, workers)
