"""Polling feeds over HTTP against a real server on loopback: items stored through the one
ingest, conditional GETs, back-off that grows and resets, Retry-After, timeouts, oversize and
garbage recorded as failures naming the feed, and one failing feed never stopping the others."""

from __future__ import annotations

import datetime
import io
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.ingest import MAX_BYTES
from articles.ingest.poll import MAX_BACKOFF, _retry_after, backoff, claim, poll
from articles.models import Article, Feed, FeedPoll
from tests.factories import member

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
TIMEOUT = 0.5  # seconds a poll waits for the test server; the hanging route waits longer


class Wire(ThreadingHTTPServer):
    """A wire service on 127.0.0.1: each path answers as one kind of feed, or fails as one."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a poller that hangs up on a hanging or oversized answer is what is tested

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.seen: list[tuple[str, dict[str, str]]] = []
        self.release = threading.Event()  # lets hanging answers go at teardown
        self.failures_left = 0  # for /flaky: answers 500 while this is above 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def headers_of(self, path: str) -> list[dict[str, str]]:
        return [headers for seen, headers in self.seen if seen == path]


class Handler(BaseHTTPRequestHandler):
    server: Wire

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self.server.seen.append((self.path, dict(self.headers.items())))
        route = ROUTES.get(self.path)
        if route is None:
            self.answer(404, b"no such feed")
        else:
            route(self)

    def answer(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def fixture(self, name: str, *, etag: str = "", modified: str = "", kind: str) -> None:
        if etag and self.headers.get("If-None-Match") == etag:
            return self.answer(304, ETag=etag)
        if modified and self.headers.get("If-Modified-Since") == modified:
            return self.answer(304)
        headers = {"Content_Type": kind}
        if etag:
            headers["ETag"] = etag
        if modified:
            headers["Last_Modified"] = modified
        self.answer(200, (FEEDS / name).read_bytes(), **headers)


def hang(handler: Handler) -> None:
    handler.server.release.wait(TIMEOUT * 8)  # far past the poll's timeout
    handler.answer(200, b"[]")


def oversized(handler: Handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", str(MAX_BYTES + 1))
    handler.end_headers()
    handler.wfile.write(b"[{" + b" " * 8)
    handler.server.release.wait(
        TIMEOUT * 8
    )  # the rest never comes: a poller that waited would time out


def streamed(handler: Handler) -> None:
    handler.send_response(200)
    handler.send_header("Connection", "close")
    handler.end_headers()
    chunk = b" " * (256 * 1024)
    try:
        for _ in range(MAX_BYTES // len(chunk) + 4):
            handler.wfile.write(chunk)
    except OSError:
        pass  # the poller stopped reading, as it should


def flaky(handler: Handler) -> None:
    if handler.server.failures_left > 0:
        handler.server.failures_left -= 1
        return handler.answer(500, b"boom")
    handler.fixture("ninjs-list.json", kind="application/json")


ROUTES: dict[str, Callable[[Handler], None]] = {
    "/ninjs": lambda h: h.fixture("ninjs-list.json", etag='"n1"', kind="application/json"),
    "/envelope": lambda h: h.fixture("ninjs-envelope.json", kind="application/json"),
    "/empty-page": lambda h: h.answer(200, b'{"total": 0, "item": []}'),
    "/atom": lambda h: h.fixture(
        "atom-full-text.xml", modified="Tue, 04 Mar 2025 08:30:00 GMT", kind="application/atom+xml"
    ),
    "/rss": lambda h: h.fixture("rss-full-text.xml", etag='W/"r1"', kind="application/rss+xml"),
    "/rss-again": lambda h: h.fixture("rss-full-text.xml", kind="application/rss+xml"),
    "/500": lambda h: h.answer(500, b"Internal Server Error"),
    "/503": lambda h: h.answer(503, b"busy", Retry_After="3600"),
    "/429": lambda h: h.answer(429, b"slow down", Retry_After="120"),
    "/hang": hang,
    "/oversized": oversized,
    "/streamed": streamed,
    "/garbage": lambda h: h.answer(200, b"\x00\x01\x02\x03\xff\xfe binary \x00" * 20),
    "/not-xml-feed": lambda h: h.answer(200, b"<html><body>Log in</body></html>"),
    "/plain": lambda h: h.answer(200, b"Service temporarily unavailable, try later."),
    "/flaky": flaky,
}


@pytest.fixture(scope="module")
def wire() -> Iterator[Wire]:
    server = Wire()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(autouse=True)
def quick(settings, wire):
    settings.FEED_TIMEOUT = TIMEOUT
    wire.seen.clear()
    wire.failures_left = 0


@pytest.fixture
def source(make_source):
    return make_source("Quay Press")


@pytest.fixture
def feed(source, wire):
    def make(path: str, **fields) -> Feed:
        return Feed.objects.create(source=source, url=wire.url(path), **fields)

    return make


def waited(record: FeedPoll) -> datetime.timedelta:
    return record.next_poll_at - record.at


# --- what a feed sends is stored ------------------------------------------------------------


def test_a_ninjs_list_is_stored_and_the_second_poll_sends_the_etag_and_reads_nothing(feed, wire):
    ninjs = feed("/ninjs", interval=120)
    first = poll(ninjs)
    assert first.succeeded and first.http_status == 200
    assert (first.created, first.updated, first.unchanged, first.errors) == (2, 0, 0, 0)
    stored = Article.objects.filter(source=ninjs.source)
    assert sorted(stored.values_list("guid", flat=True)) == [
        "urn:newsml:quay.example:2025:q-101",
        "urn:newsml:quay.example:2025:q-102",
    ]
    ninjs.refresh_from_db()
    assert ninjs.etag == '"n1"'
    assert ninjs.failures == 0
    assert waited(first) == datetime.timedelta(seconds=120)

    second = poll(ninjs)
    assert wire.headers_of("/ninjs")[0].get("If-None-Match") is None
    assert wire.headers_of("/ninjs")[1]["If-None-Match"] == '"n1"'
    assert second.succeeded and second.not_modified and second.http_status == 304
    assert (second.created, second.updated, second.unchanged) == (0, 0, 0)
    assert stored.count() == 2
    ninjs.refresh_from_db()
    assert ninjs.etag == '"n1"'  # kept for the next poll


def test_a_ninjs_envelope_is_opened_and_an_empty_page_is_no_failure(feed):
    record = poll(feed("/envelope"))
    assert record.succeeded and record.created == 1
    assert Article.objects.get(guid="urn:newsml:quay.example:2025:q-201").wire_format == "ninjs"
    empty = poll(feed("/empty-page"))
    assert empty.succeeded and (empty.created, empty.errors) == (0, 0)


def test_an_atom_feed_is_stored_and_its_last_modified_sent_back(feed, wire, source):
    atom = feed("/atom")
    first = poll(atom)
    assert first.succeeded
    assert (first.created, first.errors) == (2, 1)  # the link-only entry is refused, named
    assert "tag:northline.example,2025:story/9003" in first.error
    assert "only a link" in first.error
    markets = Article.objects.get(guid="tag:northline.example,2025:story/9001")
    assert markets.source == source  # the feed's source, whatever the copy says
    assert markets.wire_format == "feed"
    assert "Shares rose across Europe" in markets.body
    assert [b.person.name for b in markets.bylines.all()] == ["Lena Berg", "Omar Haddad"]
    second = poll(atom)
    assert wire.headers_of("/atom")[1]["If-Modified-Since"] == "Tue, 04 Mar 2025 08:30:00 GMT"
    assert second.not_modified


def test_an_rss_feed_is_stored_and_its_bad_entry_named_while_the_others_go_in(feed):
    record = poll(feed("/rss"))
    assert record.succeeded
    assert (record.created, record.errors) == (2, 1)
    assert "urn:harbour:story:4473" in record.error and "pubDate" in record.error
    strike = Article.objects.get(guid="urn:harbour:story:4471")
    assert strike.headline == "Ferry strike ends after nine days"
    assert strike.copyright_holder == "Harbour Wire"
    assert strike.keywords == ["Transport", "Labour"]


def test_a_feed_read_again_in_full_finds_its_items_unchanged(feed):
    rss = feed("/rss-again")
    poll(rss)
    again = poll(rss)
    assert again.succeeded and not again.not_modified
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 2, 1)


# --- failures, and the back-off they bring ------------------------------------------------------


def test_back_off_doubles_with_each_failure_and_a_success_resets_it(feed, wire):
    flaky = feed("/flaky", interval=60)
    wire.failures_left = 3
    waits = []
    for _ in range(3):
        record = poll(flaky)
        assert not record.succeeded and record.http_status == 500
        assert record.error == "HTTP 500 Internal Server Error"
        waits.append(waited(record).total_seconds())
    assert waits == [120, 240, 480]
    flaky.refresh_from_db()
    assert flaky.failures == 3
    record = poll(flaky)
    assert record.succeeded and record.created == 2
    assert waited(record) == datetime.timedelta(seconds=60)
    flaky.refresh_from_db()
    assert flaky.failures == 0


def test_back_off_stops_at_its_cap_but_never_below_the_interval(source):
    hourly = Feed(source=source, url="https://x.example/", interval=3600)
    assert backoff(hourly, 1) == datetime.timedelta(hours=2)
    assert backoff(hourly, 50) == MAX_BACKOFF
    daily = Feed(source=source, url="https://x.example/", interval=86400)
    assert backoff(daily, 3) == datetime.timedelta(days=1)


@pytest.mark.parametrize(("path", "seconds"), [("/503", 3600), ("/429", 120)])
def test_retry_after_is_honoured_on_503_and_429(feed, path, seconds):
    busy = feed(path, interval=30)
    record = poll(busy)
    assert not record.succeeded
    assert record.http_status == int(path[1:])
    assert waited(record) == datetime.timedelta(seconds=seconds)  # past the back-off of 60 s
    assert "next try in" in record.described()


def test_retry_after_as_a_date_is_read_and_an_absurd_one_capped():
    in_two_hours = timezone.now() + datetime.timedelta(hours=2)
    wait = _retry_after(in_two_hours.strftime("%a, %d %b %Y %H:%M:%S GMT"))
    assert datetime.timedelta(minutes=119) < wait <= datetime.timedelta(hours=2)
    assert _retry_after("99999999") == datetime.timedelta(days=1)
    assert _retry_after("soon") is None


def test_a_server_that_hangs_is_given_up_on_at_the_timeout(feed):
    hanging = feed("/hang")
    started = time.monotonic()
    record = poll(hanging)
    assert time.monotonic() - started < TIMEOUT * 6  # generous: the server holds it for 8
    assert not record.succeeded
    assert record.error == f"timed out after {TIMEOUT:g} s"
    assert record.http_status is None
    hanging.refresh_from_db()
    assert hanging.failures == 1


def test_an_oversized_body_is_refused_from_its_length_without_reading_it(feed):
    record = poll(feed("/oversized"))
    assert not record.succeeded
    assert "too large" in record.error and f"{MAX_BYTES + 1:,} bytes" in record.error
    assert "timed out" not in record.error  # it did not wait for the body


def test_an_oversized_body_without_a_length_is_refused_once_past_the_limit(feed):
    record = poll(feed("/streamed"))
    assert not record.succeeded
    assert "too large" in record.error
    assert Article.objects.count() == 0


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/garbage", "binary"),
        ("/not-xml-feed", "unrecognised XML"),
        ("/plain", "plain text, not a feed"),
    ],
)
def test_a_body_that_is_no_feed_fails_the_poll_and_keeps_no_etag(feed, path, words):
    bad = feed(path)
    record = poll(bad)
    assert not record.succeeded and record.http_status == 200
    assert words in record.error
    assert Article.objects.count() == 0
    bad.refresh_from_db()
    assert (bad.failures, bad.etag) == (1, "")


def test_a_refused_connection_is_a_failure(source):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gone = Feed.objects.create(source=source, url=f"http://127.0.0.1:{port}/feed")
    record = poll(gone)
    assert not record.succeeded
    assert record.error == "connection refused"


def test_only_http_and_https_addresses_are_polled_or_accepted(source):
    local = Feed(source=source, url="file:///etc/passwd")
    with pytest.raises(ValidationError, match="url"):
        local.full_clean()
    local.save()  # as a script might, past the form
    record = poll(local)
    assert not record.succeeded
    assert "not an http or https address" in record.error


# --- the command -------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("poll_feeds", *args, stdout=out, stderr=io.StringIO())
    except SystemExit as exit:
        return int(exit.code), out.getvalue()
    except CommandError as error:  # as manage.py would exit with it
        return error.returncode, str(error)
    return 0, out.getvalue()


def test_one_failing_feed_does_not_stop_the_others_and_the_run_exits_1(feed):
    broken = feed("/hang")
    good = feed("/ninjs")
    code, out = run()
    assert code == 1
    assert f"feed {broken.pk} ({broken.url})" in out and "timed out" in out
    assert f"feed {good.pk} ({good.url})" in out and "2 new" in out
    assert Article.objects.filter(source=good.source).count() == 2
    assert FeedPoll.objects.filter(feed=good, succeeded=True).count() == 1


def test_a_run_polls_only_feeds_that_are_due_and_active_and_exits_0(feed, wire):
    due = feed("/ninjs")
    feed("/envelope", next_poll_at=timezone.now() + datetime.timedelta(hours=1))
    feed("/atom", active=False)
    code, out = run()
    assert code == 0
    assert [path for path, _ in wire.seen] == ["/ninjs"]
    assert f"feed {due.pk}" in out
    code, out = run()  # the feed polled is not due again yet
    assert code == 0 and "No feed is due." in out


def test_feed_id_polls_that_feed_now_and_an_unknown_one_is_bad_usage(feed, wire):
    later = feed("/envelope", next_poll_at=timezone.now() + datetime.timedelta(hours=1))
    feed("/ninjs")
    code, out = run("--feed", str(later.pk))
    assert code == 0
    assert [path for path, _ in wire.seen] == ["/envelope"]
    assert run("--feed", "999999")[0] == 2


def test_a_second_poller_does_not_take_a_feed_the_first_has_claimed(feed):
    taken = feed("/ninjs")
    assert claim(taken)
    assert not claim(taken)  # its next poll moved on: the second poller leaves it


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_every_keeps_polling_until_a_signal_stops_it_cleanly(feed, number):
    def not_stopped(*_):
        raise AssertionError("the command did not take the signal")

    before = signal.signal(number, not_stopped)
    feed("/ninjs", interval=10)
    timer = threading.Timer(1.0, os.kill, (os.getpid(), number))
    timer.start()
    try:
        code, out = run("--every", "1")
    finally:
        timer.cancel()
        restored = signal.getsignal(number)
        signal.signal(number, before)
    assert code == 0
    assert "2 new" in out and out.rstrip().endswith("Stopped.")
    assert restored is not_stopped  # the command put back the handler it found


# --- what the desk sees ------------------------------------------------------------------------


def test_polls_are_told_in_words(source):
    feed = Feed.objects.create(source=source, url="https://wire.example/feed", interval=120)
    at = timezone.localtime().replace(hour=12, minute=4, second=0, microsecond=0)
    fetched = FeedPoll(feed=feed, at=at, succeeded=True, created=3, updated=1, unchanged=20)
    assert fetched.described() == "12:04 — 3 new, 1 updated, 20 unchanged"
    same = FeedPoll(feed=feed, at=at.replace(minute=9), succeeded=True, not_modified=True)
    assert same.described() == "12:09 — not modified"
    failed = FeedPoll(
        feed=feed,
        at=at.replace(minute=14),
        error="HTTP 503",
        next_poll_at=at.replace(minute=18),
    )
    assert failed.described() == "12:14 — failed: HTTP 503; next try in 4 min"
    refused = FeedPoll(feed=feed, at=at, succeeded=True, created=1, errors=2)
    assert refused.described() == "12:04 — 1 new, 0 updated, 0 unchanged, 2 refused"


def test_only_the_newest_polls_are_kept(source):
    feed = Feed.objects.create(source=source, url="https://wire.example/feed")
    start = timezone.now()
    for minutes in range(5):
        FeedPoll.objects.create(feed=feed, at=start + datetime.timedelta(minutes=minutes))
    FeedPoll.prune(feed, keep=2)
    kept = list(FeedPoll.objects.filter(feed=feed).values_list("at", flat=True))
    assert kept == [start + datetime.timedelta(minutes=4), start + datetime.timedelta(minutes=3)]


def test_the_source_page_lists_its_feeds_and_their_recent_polls(client, feed):
    busy = feed("/503", interval=30)
    poll(busy)
    client.force_login(member("Rights manager"))
    page = client.get(f"/admin/articles/source/{busy.source.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Feeds" in text and busy.url in text
    assert "failed: HTTP 503 Service Unavailable; next try in 60 min" in text
    assert "1 failure(s) in a row" in text
