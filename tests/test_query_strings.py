"""Every public address answers any query string with a page, a redirect or a refusal, never a
server error: Hypothesis builds query strings of the keys the views read and of any other key,
with arbitrary Unicode, bytes that are no UTF-8, huge and odd numbers, times at the ends of the
calendar and repeated keys, and sends each to every public URL pattern, by GET and by HEAD."""

from __future__ import annotations

import datetime
from urllib.parse import quote_from_bytes

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PUBLIC_ADDRESSES

# Values at the edges, where parsing and the database give way, for each kind of key. Drawn as
# often as anything else, since a page number of twenty digits and the calendar's last day are
# where the pages broke.
NUMBERS = [
    "",
    "0",
    "-1",
    "2",
    "10000",
    "10001",
    "99999999999999999999",
    "9" * 5000,
    "1e309",
    "0x10",
    "1_000",
    "١٢",  # Arabic-Indic digits, which int() reads
    "２",  # a full-width digit
    " 2",
]
TIMES = [
    "",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59",
    "2024-02-30",
    "2024-01-01T24:00:00",
]
TEXTS = [
    "",
    "\x00",
    "a\x00b",
    "%",
    "%zz",
    "+",
    "2.2",
    "1.6",
    "GB",
    " ".join(["a"] * 1500),
    "x" * 5000,
]


def _timestamp(moment: datetime.datetime, minutes: int, style: int) -> str:
    moment = moment.replace(tzinfo=datetime.timezone(datetime.timedelta(minutes=minutes)))
    forms = [moment.isoformat(), moment.date().isoformat(), moment.replace(tzinfo=None).isoformat()]
    return forms[style]


anything = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.builds(
        _timestamp,
        st.datetimes(min_value=datetime.datetime.min, max_value=datetime.datetime.max),
        st.integers(min_value=-1439, max_value=1439),
        st.integers(min_value=0, max_value=2),
    ),
    st.builds(
        lambda w, n: " ".join([w] * n), st.text(min_size=1, max_size=3), st.integers(1, 1500)
    ),
    st.text(max_size=40),
    st.binary(max_size=40),
)


def edged(edges: list[str]) -> st.SearchStrategy:
    return st.one_of(st.sampled_from(edges), anything)


# The keys the views read (and a few they might one day), each with the edges of its kind.
KEYS = {
    **dict.fromkeys(["page", "page_size", "p"], edged(NUMBERS)),
    **dict.fromkeys(["day", "since", "until"], edged(TIMES)),
    **dict.fromkeys(
        ["q", "section", "source", "person", "language", "version", "country", "format", "uri"],
        edged(TEXTS),
    ),
}


def _bytes(part: str | bytes) -> bytes:
    return part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part


@st.composite
def query_strings(draw) -> str:
    """A QUERY_STRING as a WSGI server hands it over: percent-encoded or raw bytes, as latin-1."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=200)).decode("latin-1")
    # A few keys at a time: with many, one invalid filter answers 404 before the rest is read.
    names = draw(st.lists(st.sampled_from(list(KEYS)), max_size=3, unique=True))
    known = {name: draw(KEYS[name]) for name in names}
    other = draw(
        st.lists(st.tuples(st.text(max_size=8) | st.binary(max_size=8), edged(TEXTS)), max_size=2)
    )
    pairs = draw(st.permutations([*known.items(), *other]))
    if pairs and draw(st.booleans()):
        pairs += draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=3))  # keys again
    encode = draw(st.booleans())
    parts = []
    for key, value in pairs:
        key, value = _bytes(key), _bytes(value)
        if encode:
            key, value = quote_from_bytes(key, safe=""), quote_from_bytes(value, safe="")
        else:
            key, value = key.decode("latin-1"), value.decode("latin-1")
        parts.append(f"{key}={value}")
    return "&".join(parts)


# Besides: a story the reader may not see, which answers with its refusal.
ADDRESSES = {**PUBLIC_ADDRESSES, "a withdrawn article": lambda s: s.withdrawn.get_absolute_url()}

# Query strings tried at each address, by GET or HEAD: most where a view reads the query string
# (the lists, search, the sitemaps' pages and the API), a few elsewhere; some 30 seconds in all.
READERS = {
    "articles:section",
    "articles:source",
    "articles:person",
    "articles:archive-day",
    "articles:search",
    "syndication:sitemap-section",
    "syndication:api-items",
    "syndication:api-item",
}
EXAMPLES = {True: 120, False: 15}


@pytest.mark.parametrize("name", ADDRESSES)
def test_no_query_string_makes_a_public_address_fail(client, public_site, name):
    url = ADDRESSES[name](public_site)

    @settings(
        max_examples=EXAMPLES[name in READERS],
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(query=query_strings(), method=st.sampled_from(["get", "head"]))
    def answers(query: str, method: str) -> None:
        # A savepoint each, so that a failing query on PostgreSQL does not spoil the next.
        try:
            with transaction.atomic():
                response = getattr(client, method)(url, QUERY_STRING=query)
        except Exception as exc:
            raise AssertionError(f"{method.upper()} {url}?{query!r} raised {exc!r}") from exc
        assert 200 <= response.status_code < 500, (method, url, query, response.status_code)

    answers()
