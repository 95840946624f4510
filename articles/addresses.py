"""Paths of the public pages, built without walking the URL patterns for each one.

`reverse()` costs some 30 to 100 µs a call, and a list page asks for three a story (the story's,
its section's and its source's). A route whose one argument is a slug has the same path around
every slug: it is reversed once, with a stand-in slug, per URL configuration and script prefix,
and each slug is put between the two halves. A slug of other characters than the slug
converter takes (which Django would refuse or quote) goes through `reverse()` itself, as does
any route whose path does not hold the stand-in exactly once. Routes without arguments are
remembered whole. Both are forgotten when a setting changes (tests that swap the URLs).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# What Django's `slug` path converter matches: ASCII letters, digits, hyphens and underscores.
SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
# Characters `reverse()` puts in a path as they are (unreserved, and ":" and "@", which it
# leaves unquoted): a value of these only, for a converter that takes any, is put in as it is.
PLAIN = re.compile(r"[-a-zA-Z0-9_.~:@]+\Z")
STAND_IN = "slug-stand-in"


def slug_path(view_name: str, slug: str) -> str:
    """`reverse(view_name, kwargs={"slug": slug})`, the same string, at a string join's cost."""
    return _path(view_name, "slug", slug, SLUG)


def slug_paths(view_name: str) -> Callable[[str], str]:
    """`slug_path` for one route and many slugs (a list's loop): the route's halves are looked
    up once, with the script prefix and URL configuration in force now."""
    around = _around(view_name, "slug", get_script_prefix(), get_urlconf())
    if around is None:
        return lambda slug: reverse(view_name, kwargs={"slug": slug})
    before, after = around

    def path(slug: str) -> str:
        if SLUG.match(slug):
            return before + slug + after
        return reverse(view_name, kwargs={"slug": slug})

    return path


def plain_path(view_name: str, name: str, value: str) -> str:
    """`reverse(view_name, kwargs={name: value})` for a route whose one argument's converter
    takes any text (an item's uri): the same string, at a string join's cost where the value
    needs no quoting."""
    return _path(view_name, name, value, PLAIN)


def _path(view_name: str, name: str, value: str, takes: re.Pattern) -> str:
    if takes.match(value):
        around = _around(view_name, name, get_script_prefix(), get_urlconf())
        if around is not None:
            return around[0] + value + around[1]
    return reverse(view_name, kwargs={name: value})


def route(view_name: str) -> str:
    """`reverse(view_name)` for a route without arguments, remembered."""
    return _route(view_name, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=64)
def _around(view_name: str, name: str, prefix: str, urlconf: str | None) -> tuple[str, str] | None:
    try:
        path = reverse(view_name, kwargs={name: STAND_IN}, urlconf=urlconf)
    except NoReverseMatch:
        return None  # reverse() itself will say so, with the slug asked for
    before, found, after = path.partition(STAND_IN)
    if not found or STAND_IN in before or STAND_IN in after:
        return None
    return before, after


@functools.lru_cache(maxsize=256)
def _route(view_name: str, prefix: str, urlconf: str | None) -> str:
    return reverse(view_name, urlconf=urlconf)


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    _around.cache_clear()
    _route.cache_clear()
