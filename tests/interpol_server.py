"""A recorded Interpol: a local HTTP server that plays back tests/data/interpol/recorded/responses.json
(made by make_responses.py there; every person in it is fictional). 404 for any request not in it."""

import contextlib
import json
import threading
import time
import urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RECORDED = json.loads((Path(__file__).parent / "data" / "interpol" / "recorded" / "responses.json").read_text("utf-8"))


class Recorded(BaseHTTPRequestHandler):
    """Plays back the recording: 404 for any request not in it; a list of responses in turn."""

    def do_GET(self):
        key = _key(self.path)
        with self.server.lock:
            times_asked = self.server.hits[key]
            self.server.hits[key] += 1
        entry = RECORDED.get(key, {"status": 404, "json": {"message": "Not Found"}})
        plays = entry if isinstance(entry, list) else [entry]
        response = plays[min(times_asked, len(plays) - 1)]
        time.sleep(response.get("delay", 0))
        is_json = "json" in response
        body = (json.dumps(response["json"], ensure_ascii=False) if is_json else response["text"]).encode("utf-8")
        headers = {"Content-Type": "application/json" if is_json else "text/plain; charset=utf-8",
                   **response.get("headers", {}), "Content-Length": str(len(body))}
        with contextlib.suppress(OSError):  # the client gave up waiting
            self.send_response(response["status"])
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *args):
        pass


def _key(path):
    split = urllib.parse.urlsplit(path)
    if not split.query:
        return split.path
    return split.path + "?" + urllib.parse.urlencode(sorted(urllib.parse.parse_qsl(split.query, keep_blank_values=True)))


@contextlib.contextmanager
def recorded_interpol():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    server.daemon_threads, server.block_on_close = True, False  # a delayed answer does not hold the test up
    server.hits, server.lock = Counter(), threading.Lock()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
