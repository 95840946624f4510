"""Surrogate keys: the names of what a public response shows, so a CDN can drop every copy of a
page that shows an item the moment the item is hidden.

A response gathers its keys while it is made: the page cache's middleware opens a set for the
request (`gathering()`), the views and serialisers name what they show (`name()`), and the
middleware writes the set to `Surrogate-Key` (Varnish, Fastly) and `Cache-Tag` (Cloudflare).
An item is `article-<id>` and brings its source's key with it (`source-<id>`), so that a
suspension or a licence change reaches every page that shows one of the source's items without
listing them. A response naming more than `HEADER_LIMIT` characters of keys carries `OVERFLOW`
in place of its items' keys, and every purge of an item names `OVERFLOW` too.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import Iterable, Iterator

# Every public response carries this key: purging it empties the CDN of the site.
SITE = "site"
# Carried by a page that shows more items than its header can name (a sitemap, a long feed).
OVERFLOW = "overflow"
# Varnish refuses a response header over 8 KiB by default (http_resp_hdr_len); Fastly and
# Cloudflare allow 16 KB. Half of Varnish's leaves room for the rest.
HEADER_LIMIT = 4096
KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")

_gathered: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "surrogate_keys", default=None
)


def key_of(thing: object) -> list[str]:
    """The keys of one thing a page shows: a model instance by its kind and id (an article with
    its source's), or a key given as a string."""
    if isinstance(thing, str):
        return [thing]
    meta = thing._meta  # a model instance
    keys = [f"{meta.model_name}-{thing.pk}"]
    source_id = getattr(thing, "source_id", None)
    if meta.model_name == "article" and source_id is not None:
        keys.append(f"source-{source_id}")
    return keys


def keys_of(things: Iterable[object]) -> set[str]:
    return {key for thing in things for key in key_of(thing)}


def name(*things: object) -> None:
    """Name what the response being made shows: articles, sections, sources, people, or keys.
    Outside a request (a command, the newsletter) it does nothing."""
    keys = _gathered.get()
    if keys is not None:
        keys.update(keys_of(things))


@contextlib.contextmanager
def gathering(*keys: str) -> Iterator[set[str]]:
    """Gather the keys named while the block runs, starting from `keys`."""
    found = set(keys)
    token = _gathered.set(found)
    try:
        yield found
    finally:
        _gathered.reset(token)


def header(keys: Iterable[str]) -> str:
    """The keys as one header value, space-separated, sorted, at most `HEADER_LIMIT` characters.

    Over the limit, the items' own keys give way to `OVERFLOW`; the other keys (the site, the
    list, the sources) stay while they fit.
    """
    valid = sorted({key for key in keys if KEY.match(key)})
    value = " ".join(valid)
    if len(value) <= HEADER_LIMIT:
        return value
    kept = [OVERFLOW]
    for key in (k for k in valid if not k.startswith("article-") and k != OVERFLOW):
        if len(" ".join([*kept, key])) > HEADER_LIMIT:
            break
        kept.append(key)
    return " ".join(sorted(kept))
