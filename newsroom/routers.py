"""Public reads on a streaming replica, when one is configured (`DATABASE_REPLICA_URL`).

`ReplicaReads`, a middleware, marks a request "may read the replica": an anonymous GET or HEAD of
a public page, in a serving process, while the replica has replayed the primary's rights
generation. `ReplicaRouter` sends that request's reads there, and every other read to the
primary: the rights generation itself, the desk, previews, any write, any read after a write in
the same request (and from the same client for `DATABASE_REPLICA_PIN_SECONDS` after it), reads
inside a transaction, and management commands, where no request marks anything.

A replica may lag, and a page must never show what a rights change committed on the primary
forbids. Every such change bumps the rights generation in its own transaction, so a replica
whose generation is behind the primary's has not replayed one yet: the request reads the
primary. A replica that does not answer is left alone for `DATABASE_REPLICA_RETRY_AFTER`
seconds, logged once, and the request reads the primary; never a 500.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse

from articles import generation
from newsroom.middleware import database_unavailable

REPLICA = "replica"
# Set on the response to a request that wrote; while the client sends it back, it reads the
# primary. Its value means nothing: a client that forges it only reads the primary.
PIN_COOKIE = "newsroom_primary"
SAFE_METHODS = ("GET", "HEAD")
# Pages that stay on the primary whoever asks: the desk and its sign-in, and signed previews.
PRIMARY_NAMESPACES = {"admin", "security"}
PRIMARY_VIEWS = {"articles:preview"}
QUERY_CANCELED = "57014"  # SQLSTATE of a statement cancelled by its timeout

logger = logging.getLogger("newsroom.database")


@dataclass
class Reads:
    """Where this request's reads may go: `replica` once the middleware allowed it, until
    `wrote`, which nothing undoes for the rest of the request."""

    replica: bool = False
    wrote: bool = False


_reads: contextvars.ContextVar[Reads | None] = contextvars.ContextVar("reads", default=None)


class ReplicaRouter:
    """Reads of a request the middleware marked go to the replica; everything else, and every
    write, to the primary. Migrations run on the primary only: the replica replays them."""

    def db_for_read(self, model, **hints) -> str:
        reads = _reads.get()
        if reads is None or not reads.replica or reads.wrote:
            return DEFAULT_DB_ALIAS
        if getattr(model, "read_from_primary", False):
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        reads = _reads.get()
        if reads is not None:
            reads.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, first, second, **hints) -> bool | None:
        # The replica holds the primary's rows: an object read from one relates to the other's.
        aliases = {DEFAULT_DB_ALIAS, REPLICA}
        if first._state.db in aliases and second._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


class ReplicaHealth:
    """Whether this process may ask the replica now: not for `retry_after` seconds after it
    failed. The first failure of an outage is logged at ERROR, the return at WARNING."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._retry_at = 0.0
        self._failures = 0

    def may_ask(self) -> bool:
        return time.monotonic() >= self._retry_at

    def failed(self, error: Exception) -> None:
        with self._lock:
            self._failures += 1
            self._retry_at = time.monotonic() + settings.DATABASE_REPLICA_RETRY_AFTER
            if self._down_since is not None:
                return
            self._down_since = time.monotonic()
        cause = error.__cause__ or error
        logger.error(
            "Replica unavailable, reading the primary; asking it again every %s s: %s: %s",
            settings.DATABASE_REPLICA_RETRY_AFTER,
            type(cause).__name__,
            " ".join(str(cause).split()),
        )

    def answered(self) -> None:
        if self._down_since is None:
            return
        with self._lock:
            if self._down_since is None:
                return
            seconds, failures = time.monotonic() - self._down_since, self._failures
            self._down_since, self._failures = None, 0
        logger.warning(
            "Replica answers again, after %.0f s and %d failed attempts.", seconds, failures
        )


health = ReplicaHealth()


def replica_configured() -> bool:
    """A serving process with a replica: commands (no NEWSROOM_SERVING) never read one."""
    return settings.SERVING and REPLICA in settings.DATABASES


def public_read(request: HttpRequest) -> bool:
    """An anonymous GET or HEAD of a public page, from a client that has not written lately.

    A request with the session cookie counts as signed in without loading the session: the
    session itself may be newer than the replica, and loading it would cost a query.
    """
    if request.method not in SAFE_METHODS:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or PIN_COOKIE in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    match = request.resolver_match
    if match is None or PRIMARY_NAMESPACES.intersection(match.namespaces):
        return False
    return match.view_name not in PRIMARY_VIEWS


def replica_caught_up(primary: int) -> bool:
    """Whether the replica has replayed generation `primary`; False when it does not answer."""
    if not health.may_ask():
        return False
    try:
        replica = generation.current(REPLICA)
    except (OperationalError, InterfaceError) as error:
        health.failed(error)
        return False
    health.answered()
    return replica >= primary


class ReplicaReads:
    """Mark the request "may read the replica" (see the module's docstring) and put the
    primary's rights generation, read once, on it as `request.rights_generation`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        if not replica_configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reads = Reads()
        token = _reads.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if reads.wrote or request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if not public_read(request):
            return None
        # The primary's first, then the replica's: a replica at least as far on has replayed
        # every rights change committed before this request began.
        try:
            # Read already where the page cache looked first (`generation.of_request`).
            generation.of_request(request)
        except (OperationalError, InterfaceError) as error:
            return database_unavailable(request, error)
        reads = _reads.get()
        if reads is not None:
            reads.replica = replica_caught_up(request.rights_generation)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A replica lost during the view: read the page again from the primary."""
        reads = _reads.get()
        if reads is None or not reads.replica:
            return None
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if not connections[REPLICA].errors_occurred:
            return None  # the primary's error: DatabaseUnavailable answers 503
        if getattr(exception.__cause__, "sqlstate", None) == QUERY_CANCELED:
            return None  # too slow, and it would be as slow on the primary
        health.failed(exception)
        reads.replica = False
        match = request.resolver_match
        try:
            response = match.func(request, *match.args, **match.kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
        except (OperationalError, InterfaceError) as error:
            return database_unavailable(request, error)
        return response
