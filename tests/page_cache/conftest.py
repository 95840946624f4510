"""Fixtures for the page cache and the CDN: the cache turned on and emptied, a superuser for the
actions, and a stand-in CDN on a free port of 127.0.0.1 that records what it is sent."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache


@pytest.fixture
def page_cache(settings):
    """The page cache on (the suite runs with it off, to count each page's own queries)."""
    settings.PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def boss(db):
    return get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeCdn:
    url: str
    requests: list[Received] = field(default_factory=list)
    delay: float = 0.0

    def sent_keys(self) -> list[set[str]]:
        return [set(r.headers.get("Surrogate-Key", "").split()) for r in self.requests]


@pytest.fixture
def fake_cdn() -> Iterator[FakeCdn]:
    """A server answering every purge with 200 and recording it; stopped at the end."""
    cdn = FakeCdn(url="")

    class Handler(http.server.BaseHTTPRequestHandler):
        def answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if cdn.delay:
                threading.Event().wait(cdn.delay)
            cdn.requests.append(Received(self.command, self.path, dict(self.headers), body))
            try:
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except BrokenPipeError:  # the sender gave up waiting (a test of its timeout)
                pass

        do_BAN = do_PURGE = do_POST = answer

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    cdn.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield cdn
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
