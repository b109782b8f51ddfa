"""A recorded DNS: a real name server on 127.0.0.1 (dnslib), on a random port, that answers TXT queries
from tests/data/dns/zone.txt plus records a test adds, and keeps every question it is asked. NXDOMAIN for
a name it has no record of."""

import contextlib
import threading
from pathlib import Path

from dnslib import QTYPE, RCODE, RR
from dnslib.server import BaseResolver, DNSLogger, DNSServer

ZONE = Path(__file__).parent / "data" / "dns" / "zone.txt"


class Recorded(BaseResolver):
    def __init__(self, zone_text: str):
        self.records = RR.fromZone(zone_text)
        self.asked: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def add(self, zone_line: str) -> None:
        self.records += RR.fromZone(zone_line)

    def names_asked(self) -> list[str]:
        with self.lock:
            return [name for name, _ in self.asked]

    def resolve(self, request, handler):
        question = request.q
        name = str(question.qname).rstrip(".").lower()
        with self.lock:
            self.asked.append((name, QTYPE[question.qtype]))
        reply = request.reply()
        known = [rr for rr in self.records if str(rr.rname).rstrip(".").lower() == name]
        for rr in known:
            if rr.rtype == question.qtype:
                reply.add_answer(rr)
        if not known:
            reply.header.rcode = RCODE.NXDOMAIN
        return reply


def txt_record(name: str, value: str) -> str:
    """A zone line for a TXT record, its value cut into the 255-byte strings DNS carries."""
    pieces = " ".join(f'"{value[i:i + 255]}"' for i in range(0, len(value), 255))
    return f"{name}. 3600 IN TXT {pieces}"


@contextlib.contextmanager
def recorded_dns(*extra_lines: str):
    """(resolver, "127.0.0.1:PORT") while the server runs."""
    resolver = Recorded(ZONE.read_text("utf-8"))
    for line in extra_lines:
        resolver.add(line)
    server = DNSServer(resolver, address="127.0.0.1", port=0, logger=DNSLogger("-request,-reply,-truncated,-error,-recv,-send,-data", prefix=False, logf=lambda _: None))
    server.start_thread()
    try:
        yield resolver, f"127.0.0.1:{server.server.server_address[1]}"
    finally:
        server.stop()
        server.server.server_close()
