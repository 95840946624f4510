"""Purging the CDN by surrogate key once a change that may hide an item has committed.

The database's own page cache never outlives a change (it is keyed by the rights generation);
a CDN in front keeps what it was given until its max-age, unless told. `purge_on_commit()`
gathers the keys a transaction names and, once it commits (`transaction.on_commit`: the CDN is
outside the database, and a purge sent before the commit could be refilled with the old page),
sends one purge per configured CDN with them all: Varnish (a `BAN` naming the keys in
`Surrogate-Key`, to each of `CDN_PURGE_URLS`), Fastly (its purge-by-key API) and Cloudflare
(purge by cache tag). A rolled-back transaction sends nothing.

Each purge is one bounded attempt, `CDN_PURGE_TIMEOUT` seconds at most per request, made by the
process that committed: a purge is worth most in the first second, and a CDN that does not
answer is logged and left to the max-age every response carries (at most `PUBLIC_MAX_AGE`).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from articles.surrogates import KEY, OVERFLOW

logger = logging.getLogger("newsroom.cdn")

# Keys per request: Fastly takes 256 in one purge; Cloudflare 30 tags a call on most plans.
FASTLY_BATCH = 256
CLOUDFLARE_BATCH = 30
VARNISH_BATCH = 256


class _Outbox:
    """The keys one transaction names, sent when it commits (registered once with on_commit)."""

    def __init__(self) -> None:
        self.keys: set[str] = set()

    def __call__(self) -> None:
        send(self.keys)


def configured() -> bool:
    return bool(
        settings.CDN_PURGE_URLS
        or (settings.FASTLY_SERVICE_ID and settings.FASTLY_API_TOKEN)
        or (settings.CLOUDFLARE_ZONE_ID and settings.CLOUDFLARE_API_TOKEN)
    )


def purge_on_commit(keys: Iterable[str], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Purge `keys` (and `OVERFLOW`, which pages too long to name their items carry) once the
    transaction on `using` commits; at once where there is none (the write has committed)."""
    if not configured():
        return
    keys = {*keys, OVERFLOW}
    connection = connections[using]
    if not connection.in_atomic_block:
        send(keys)
        return
    # One outbox a transaction. Django keeps the callbacks still to run at commit in
    # `run_on_commit` (and drops those of a savepoint rolled back, and all of them on rollback),
    # as its own captureOnCommitCallbacks reads them.
    for _, callback, _ in connection.run_on_commit:
        if isinstance(callback, _Outbox):
            callback.keys.update(keys)
            return
    outbox = _Outbox()
    outbox.keys.update(keys)
    transaction.on_commit(outbox, using=using, robust=True)


def send(keys: Iterable[str]) -> None:
    """Send a purge of `keys` to every configured CDN now; a CDN that fails is logged."""
    keys = sorted(key for key in set(keys) if KEY.match(key))
    if not keys:
        return
    for url in settings.CDN_PURGE_URLS:
        for batch in _batches(keys, VARNISH_BATCH):
            _request(
                "Varnish",
                url,
                method=settings.CDN_PURGE_METHOD,
                headers={"Surrogate-Key": " ".join(batch)},
            )
    if settings.FASTLY_SERVICE_ID and settings.FASTLY_API_TOKEN:
        url = f"{settings.FASTLY_API_URL.rstrip('/')}/service/{settings.FASTLY_SERVICE_ID}/purge"
        for batch in _batches(keys, FASTLY_BATCH):
            _request(
                "Fastly",
                url,
                method="POST",
                headers={
                    "Fastly-Key": settings.FASTLY_API_TOKEN,
                    "Surrogate-Key": " ".join(batch),
                    "Accept": "application/json",
                },
            )
    if settings.CLOUDFLARE_ZONE_ID and settings.CLOUDFLARE_API_TOKEN:
        base = settings.CLOUDFLARE_API_URL.rstrip("/")
        url = f"{base}/zones/{settings.CLOUDFLARE_ZONE_ID}/purge_cache"
        for batch in _batches(keys, CLOUDFLARE_BATCH):
            _request(
                "Cloudflare",
                url,
                method="POST",
                headers={
                    "Authorization": f"Bearer {settings.CLOUDFLARE_API_TOKEN}",
                    "Content-Type": "application/json",
                },
                body=json.dumps({"tags": batch}).encode(),
            )


def _batches(keys: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def _request(cdn: str, url: str, *, method: str, headers: dict, body: bytes | None = None) -> bool:
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=settings.CDN_PURGE_TIMEOUT) as answer:
            answer.read()
            return True
    except urllib.error.HTTPError as error:
        what = headers.get("Surrogate-Key") or (body or b"").decode()
        logger.error("%s refused the purge of %s at %s: HTTP %s", cdn, what, url, error.code)
    except (OSError, ValueError) as error:
        logger.error(
            "%s did not answer the purge at %s within %s s: %s: %s",
            cdn,
            url,
            settings.CDN_PURGE_TIMEOUT,
            type(error).__name__,
            error,
        )
    return False
