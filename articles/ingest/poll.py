"""Poll the feeds sources serve over HTTP, and store what they send through the one ingest.

Each poll is a conditional GET (If-None-Match, If-Modified-Since): a 304 reads nothing. A 200's
body goes through `Ingest(...).data()`, the same service as `manage.py ingest` and the desk's
upload, so feed copy is stored, versioned and given its rights exactly as a file is. Nothing
here writes an article.

The HTTP client is the standard library's `urllib.request`: a poll is one GET with two headers,
a timeout and a size limit, read in chunks; `requests` or `httpx` would add a dependency (and
their own redirect and proxy rules to keep in step) for nothing a poll needs. Redirects are
followed only to http and https, proxies come from the environment as for any HTTP client.

A failure (connection refused, timeout, a 4xx or 5xx, a body that is too large or cannot be read
as a feed) pushes the next poll back: twice the interval after one failure, four times after two,
up to `MAX_BACKOFF`, or later when the server's Retry-After says so; a success resets it.
"""

from __future__ import annotations

import datetime
import email.utils
import http.client
import json
import logging
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from articles.ingest import FORMATS, MAX_BYTES, ParseError, detect_format, ninjs
from articles.ingest.loader import Ingest
from articles.models import Feed, FeedPoll

logger = logging.getLogger(__name__)

TIMEOUT = 20.0  # seconds per request, unless settings.FEED_TIMEOUT says otherwise
MAX_BACKOFF = datetime.timedelta(hours=6)  # the longest back-off (never shorter than the interval)
MAX_RETRY_AFTER = datetime.timedelta(days=1)  # a Retry-After beyond this is taken as a day
CHUNK = 64 * 1024
USER_AGENT = "Newsroom-feed-poller/1"
# What a feed may serve; plain text is not among them: a page of text is an error, not a story.
FEED_FORMATS = tuple(f for f in FORMATS if f != "text")


class PollFailed(Exception):
    """A poll that found no feed to read; the message says why, for the desk."""

    def __init__(self, message: str, *, status: int | None = None, retry_after=None):
        super().__init__(message)
        self.status = status
        self.retry_after: datetime.timedelta | None = retry_after


@dataclass
class Response:
    """What the feed answered: a body to read, or not modified."""

    status: int
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to another http or https address."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise PollFailed(f"redirected to {newurl!r}, which is not an http or https address")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.OpenerDirector()
for _handler in (
    urllib.request.ProxyHandler(),
    urllib.request.HTTPHandler(),
    urllib.request.HTTPSHandler(),
    urllib.request.HTTPDefaultErrorHandler(),
    _HttpOnlyRedirects(),
    urllib.request.HTTPErrorProcessor(),
):
    _OPENER.add_handler(_handler)


def timeout() -> float:
    return float(getattr(settings, "FEED_TIMEOUT", TIMEOUT))


def fetch(feed: Feed, *, seconds: float | None = None) -> Response:
    """GET the feed, conditionally; raise PollFailed for anything but a readable 200 or a 304.

    `seconds` bounds each network wait and the whole read: a server that sends nothing, or
    sends a trickle, is given up on rather than waited for.
    """
    seconds = timeout() if seconds is None else seconds
    if urlsplit(feed.url).scheme not in ("http", "https"):
        raise PollFailed(f"{feed.url!r} is not an http or https address")
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/json, application/atom+xml, application/rss+xml, "
        "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
    }
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    deadline = time.monotonic() + seconds
    try:
        with _OPENER.open(urllib.request.Request(feed.url, headers=headers), timeout=seconds) as r:
            length = r.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > MAX_BYTES:
                raise PollFailed(_too_large(f"{int(length):,} bytes"), status=r.status)
            body = _read(r, deadline=deadline, seconds=seconds)
            return Response(
                status=r.status,
                body=body,
                etag=r.headers.get("ETag", "").strip(),
                last_modified=r.headers.get("Last-Modified", "").strip(),
            )
    except urllib.error.HTTPError as error:
        with error:
            if error.code == 304:
                return Response(status=304)
            retry = _retry_after(error.headers.get("Retry-After", "")) if error.headers else None
            reason = f"HTTP {error.code}" + (f" {error.reason}" if error.reason else "")
            raise PollFailed(
                reason, status=error.code, retry_after=retry if error.code in (429, 503) else None
            ) from None
    except urllib.error.URLError as error:
        raise PollFailed(_network(error.reason, seconds)) from None
    except TimeoutError:
        raise PollFailed(f"timed out after {seconds:g} s") from None
    except (http.client.HTTPException, OSError, ValueError) as error:
        raise PollFailed(_network(error, seconds)) from None


def _read(response, *, deadline: float, seconds: float) -> bytes:
    """Read the body in chunks, refusing it once it passes MAX_BYTES or the deadline."""
    chunks, size = [], 0
    while chunk := response.read(CHUNK):
        size += len(chunk)
        if size > MAX_BYTES:
            raise PollFailed(_too_large("more than that"), status=response.status)
        if time.monotonic() > deadline:
            raise PollFailed(f"timed out after {seconds:g} s reading the body")
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(size: str) -> str:
    return f"the response is too large ({size}); the limit is {MAX_BYTES:,} bytes"


def _network(reason, seconds: float) -> str:
    if isinstance(reason, TimeoutError):
        return f"timed out after {seconds:g} s"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return f"no such host ({reason.strerror or reason})"
    return f"network error: {getattr(reason, 'strerror', None) or reason}"


def _retry_after(value: str) -> datetime.timedelta | None:
    """Retry-After as seconds or as an HTTP date (RFC 9110 10.2.3); None when unreadable."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        wait = datetime.timedelta(seconds=int(value))
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.UTC)
        wait = when - timezone.now()
    return max(datetime.timedelta(0), min(wait, MAX_RETRY_AFTER))


def backoff(feed: Feed, failures: int) -> datetime.timedelta:
    """The wait after `failures` failures in a row: the interval doubled each time, capped."""
    interval = datetime.timedelta(seconds=feed.interval)
    if failures <= 0:
        return interval
    return min(interval * 2 ** min(failures, 32), max(MAX_BACKOFF, interval))


def is_empty_page(body: bytes) -> bool:
    """Whether a ninjs API's answer is a list or an envelope of no items: nothing new, which a
    file of no items is not (the ninjs parser refuses that)."""
    try:
        found = ninjs.entries(json.loads(body))
    except (ValueError, RecursionError):
        return False
    return found is not None and not found[1]


def poll(feed: Feed) -> FeedPoll:
    """Poll one feed, store what it sends, record the outcome and schedule the next poll."""
    started, at = time.monotonic(), timezone.now()
    record = FeedPoll(feed=feed, at=at)
    response, retry_after = None, None
    try:
        response = fetch(feed)
        record.http_status = response.status
        if response.not_modified:
            record.not_modified = True
        else:
            _ingest(feed, response.body, record)
        record.succeeded = True
    except PollFailed as failure:
        record.http_status = failure.status or record.http_status
        record.error = str(failure)
        retry_after = failure.retry_after
    except Exception as error:  # never let one feed stop the others
        logger.exception("Polling %s failed", feed)
        record.error = f"internal error: {type(error).__name__}: {error}"
    if record.succeeded:
        feed.failures = 0
        wait = backoff(feed, 0)
        if response is not None and not record.not_modified:
            feed.etag, feed.last_modified = response.etag[:500], response.last_modified[:100]
    else:
        feed.failures += 1
        wait = max(backoff(feed, feed.failures), retry_after or datetime.timedelta(0))
        logger.warning("%s: %s", feed, record.error)
    feed.last_polled_at = at
    feed.next_poll_at = record.next_poll_at = at + wait
    record.duration = datetime.timedelta(seconds=time.monotonic() - started)
    feed.save(update_fields=["etag", "last_modified", "last_polled_at", "next_poll_at", "failures"])
    record.save()
    FeedPoll.prune(feed)
    return record


def _ingest(feed: Feed, body: bytes, record: FeedPoll) -> None:
    """Store the body's items through the one ingest; counts go on `record`. A body that is not
    a feed at all fails the poll; items that cannot be stored are counted and named."""
    chosen = feed.format
    if chosen == "auto":
        try:
            chosen = detect_format(body)
        except ParseError as error:
            raise PollFailed(
                f"the body cannot be read: {error}", status=record.http_status
            ) from None
    if chosen not in FEED_FORMATS:
        raise PollFailed(
            f"the body is {'plain text' if chosen == 'text' else repr(chosen)}, not a feed "
            f"({', '.join(FEED_FORMATS)})",
            status=record.http_status,
        )
    if chosen == "ninjs" and is_empty_page(body):
        return  # an empty page of the API: nothing new
    refused = []
    for report in Ingest(source=feed.source, format=chosen, zone=feed.zone).data(
        body, name=feed.url
    ):
        if report.status == "error" and not report.guid:  # the body as a whole
            raise PollFailed(report.error, status=record.http_status)
        if report.status == "error":
            refused.append(report.error)
        elif report.status == "skipped":  # no story (a picture): nothing to count
            continue
        else:
            setattr(record, report.status, getattr(record, report.status) + 1)
    record.errors = len(refused)
    record.error = "\n".join(refused)


def due(now: datetime.datetime | None = None):
    """Active feeds whose next poll has come (or was never set), the longest waiting first."""
    now = now or timezone.now()
    return (
        Feed.objects.filter(active=True)
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .select_related("source")
        .order_by("next_poll_at", "pk")
    )


def claim(feed: Feed) -> bool:
    """Take the feed for this poller, so a second poller running at once does not poll it too:
    its next poll moves past this one's deadline, if nobody moved it first."""
    lease = timezone.now() + datetime.timedelta(seconds=timeout() * 3 + 60)
    taken = Feed.objects.filter(pk=feed.pk)
    taken = (
        taken.filter(next_poll_at__isnull=True)
        if feed.next_poll_at is None
        else taken.filter(next_poll_at=feed.next_poll_at)
    )
    return taken.update(next_poll_at=lease) == 1


def poll_due(
    *, feeds=None, stop: Callable[[], bool] = lambda: False
) -> Iterator[tuple[Feed, FeedPoll]]:
    """Poll each due feed (or each of `feeds`) once, yielding each as it is done; `stop` is asked
    before each feed, so a signal stops the run between feeds, never inside one."""
    for feed in list(due() if feeds is None else feeds):
        if stop():
            return
        if feeds is None and not claim(feed):
            continue
        try:
            record = poll(feed)
        except Exception:  # the feed went while it was polled, the database failed: go on
            logger.exception("Recording the poll of %s failed", feed)
            continue
        yield feed, record
