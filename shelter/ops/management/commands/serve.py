"""``shelter serve``: run the web app with waitress (static files come from WhiteNoise)."""

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


def build_server(host: str, port: int):
    """A waitress server bound to host:port, not yet serving. Binding happens here, so a taken
    port fails before anything is printed."""
    import waitress

    from shelter.wsgi import application

    try:
        return waitress.create_server(
            application, host=host, port=port, threads=8,
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


def run(host: str, port: int, out):
    """Bind, print the URL on ``out`` (a text stream), serve until interrupted. Shared by ``serve``
    and ``demo``."""
    server = build_server(host, port)
    out.write(f"Shelter is running at {' and '.join(server_urls(server))}  (Ctrl+C to stop)\n")
    out.flush()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


class Command(BaseCommand):
    help = "Apply pending migrations and serve the web app with waitress."

    def add_arguments(self, parser):
        add_server_arguments(parser)

    def handle(self, *args, host, port, **options):
        from shelter.audit import outside

        call_command("migrate", interactive=False, verbosity=0)
        outside.keep_taking_daily()
        run(host, port, self.stdout)
