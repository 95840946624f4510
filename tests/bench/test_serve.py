"""The serving benchmark's pieces: the floor answers exactly the bytes asked, and the Python
client counts every response, telling 200s from the rest, within its bounds."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import RequestFactory

from bench import serve
from bench.floor import urls as floor


@pytest.mark.parametrize("size", [0, 1, 30, 69, 70, 105, 11_727, 250_000])
def test_the_floor_answers_a_page_of_exactly_the_size_asked(size):
    response = floor.page(RequestFactory().get(f"/bytes/{size}/"), size)
    assert response.status_code == 200
    assert len(response.content) == size
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_the_floor_refuses_a_size_past_its_limit():
    response = floor.page(RequestFactory().get("/"), floor.LARGEST + 1)
    assert response.status_code == 400


class Answers(BaseHTTPRequestHandler):
    def do_GET(self):
        status = 404 if self.path == "/missing" else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def port():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_the_python_client_counts_every_answer_and_stops_at_its_bound(port):
    got = serve.with_threads(
        port, ["/a", "/missing", "/b", "/c"], connections=3, seconds=30, requests=40
    )
    assert got["requests"] == 40
    assert got["statuses"] == {"200": 30, "404": 10}
    assert got["errors"] == 10


def test_the_python_client_stops_at_its_time_and_counts_no_answer_as_an_error():
    with serve.socket.socket() as idle:  # listens, never answers
        idle.bind(("127.0.0.1", 0))
        idle.listen()
        got = serve.with_threads(
            idle.getsockname()[1],
            ["/"],
            connections=1,
            seconds=0.5,
            requests=1_000,
            timeout=0.3,
        )
    assert got["requests"] == got["errors"] >= 1
