"""What several test modules build or check with: users in each editorial role, admin forms as a
browser submits them, the partner channels' catalogue, an address of every public URL pattern,
wire texts and notices, the ninjs validator and the services a run must have."""

from __future__ import annotations

import datetime
import itertools
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from jsonschema import FormatChecker
from jsonschema.validators import validator_for
from referencing import Registry, Resource

from articles.models import Article, Byline, Person, Section, Source
from articles.presentation import item_uri
from articles.previews import preview_path
from security import second_factor
from tests.pictures.files import stored_picture

# --- the services a run must have ----------------------------------------------------------------

# CI names the services each of its runs must have (NEWSROOM_REQUIRE_SERVICES=chromium,postgresql,
# redis): there a test that would skip for want of one fails instead, so CI runs them all.
REQUIRED = set(filter(None, os.environ.get("NEWSROOM_REQUIRE_SERVICES", "").split(",")))


def need_service(available: bool, reason: str, *, service: str) -> None:
    """Skip with `reason` when `service` is missing, unless this run requires it."""
    if available:
        return
    if service in REQUIRED:
        pytest.fail(f"{reason} (NEWSROOM_REQUIRE_SERVICES names {service}: this run must have it)")
    pytest.skip(reason)


# --- copy as agencies send it --------------------------------------------------------------------

AA_NOTICE = (
    "Copyright 2022 Anadolu Agency. All rights reserved. This material may not be published, "
    "broadcast, rewritten, or redistributed."
)
MERIDIAN_NOTICE = "Copyright 2026 Meridian Press Agency. All rights reserved."
WIRE = (
    "The central bank held interest rates steady on Thursday and signalled that it would wait "
    "for clearer evidence that inflation was falling before cutting borrowing costs next year. "
    "Policymakers voted seven to two to keep the main rate at four and a half per cent, with the "
    "two dissenters preferring an immediate cut of a quarter point. The governor told reporters "
    "that the labour market remained tight and that wage growth was still running well above "
    "the level consistent with the inflation target over the medium term."
)
FILLER = (
    "Our reporter spent the week talking to shop owners across the county about how they are "
    "coping with higher costs and fewer customers than before the pandemic. Many said they had "
    "cut opening hours and were relying on family members to staff the counter at weekends."
)


# --- users and the admin's forms -----------------------------------------------------------------

_usernames = itertools.count(1)


def member(role: str | None, *, username: str = "", password: str = "pw") -> object:
    """A staff user in the editorial group `role` (None: in no group)."""
    user = get_user_model().objects.create_user(
        username=username or f"user{next(_usernames)}", password=password, is_staff=True
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def with_second_factor(user) -> TOTPDevice:
    """Give `user` an authenticator app that is set up (or return the one they have)."""
    return second_factor.device_of(user) or TOTPDevice.objects.create(
        user=user, name=second_factor.DEVICE_NAME, confirmed=True
    )


class _FormReader(HTMLParser):
    """Read the fields of the page's main form as a browser would submit them."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
            checkable = attrs.get("type") in ("checkbox", "radio")
            if checkable and "checked" not in attrs:
                return
            self.data[attrs["name"]] = attrs.get("value", "on" if checkable else "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data[self._textarea] = ""
        elif tag == "select":
            self._select = attrs["name"]
            self.data.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += (
                data.removeprefix("\n") if not self.data[self._textarea] else data
            )


def form_data(client, url: str, form_id: str) -> dict:
    """GET an admin form and return what submitting it unchanged would POST."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    return reader.data


def shared_table(text: str) -> str:
    """The table of passages shared with protected copy, on an admin page."""
    return text.split('<table class="nr-shared">')[1].split("</table>")[0]


# --- the partner channels ------------------------------------------------------------------------


@dataclass
class Catalogue:
    visible: Article
    hidden: dict[str, Article]
    section: Section
    source: Source
    person: Person


def make_catalogue(make_article, make_source, *, now: datetime.datetime) -> Catalogue:
    """One item every channel shows, and one hidden item for each reason the rules hide one.

    They share a section, a source (but for the suspended one), a person and a language, so that
    every filter that matches the visible item matches the hidden ones too.
    """
    hour = datetime.timedelta(hours=1)
    section = Section.objects.create(name="World", slug="world")
    source = make_source("Anadolu Agency", kind=Source.Kind.AGENCY)
    person = Person.objects.create(name="Erdogan Cagatay Zontur", slug="zontur")
    reasons = {
        "draft": {"status": Article.Status.DRAFT, "published_at": None},
        "scheduled": {"status": Article.Status.SCHEDULED, "published_at": now + hour},
        "embargoed": {"embargo_until": now + hour},
        "expired": {"rights_expire_at": now - datetime.timedelta(minutes=1)},
        "suspended_source": {"source": make_source("Gone Agency", suspended=True)},
        "unsettled": {"rights_settled": False},
        "publish_denied": {"may_publish": False},
        "redistribute_denied": {"may_redistribute": False},
        "territory_limited": {"territories": {"GB"}},
        "withdrawn": {"status": Article.Status.WITHDRAWN},
        "killed": {"status": Article.Status.KILLED},
    }

    def make(headline: str, **fields) -> Article:
        fields = {"source": source, **fields}
        article = make_article(
            headline=headline,
            standfirst=f"Standfirst of {headline}.",
            body=f"<p>Secret body of {headline}.</p>",
            section=section,
            language="en",
            copyright_holder="Anadolu Agency",
            copyright_year=2022,
            **fields,
        )
        Byline.objects.create(article=article, person=person, role=Byline.Role.WRITING)
        return article

    visible = make("Visible story")
    hidden = {reason: make(f"Hidden {reason}", **fields) for reason, fields in reasons.items()}
    return Catalogue(visible, hidden, section, source, person)


# --- every public address ----------------------------------------------------------------------


def make_public_site(make_article, make_source) -> SimpleNamespace:
    """A visible and a withdrawn story sharing a section, a source, a person and a day: enough
    for an address of every public URL pattern (`PUBLIC_ADDRESSES`)."""
    section = Section.objects.create(name="World", slug="world")
    source = make_source("Harbour Desk", kind=Source.Kind.STAFF)
    person = Person.objects.create(name="Ada Writer", slug="ada-writer")
    visible = make_article(headline="Visible harbour story", section=section, source=source)
    withdrawn = make_article(
        headline="Withdrawn harbour story",
        section=section,
        source=source,
        status=Article.Status.WITHDRAWN,
    )
    for article in (visible, withdrawn):
        Byline.objects.create(article=article, person=person, role=Byline.Role.WRITING)
    return SimpleNamespace(
        picture=stored_picture(source),
        visible=visible,
        withdrawn=withdrawn,
        section=section,
        source=source,
        person=person,
        day=visible.published_at.date(),
    )


# Every public URL pattern, by its name, at an address of `make_public_site()`'s site. A test
# holds it to the URLconf, so a new public pattern is fuzzed and asked for by HEAD too.
PUBLIC_ADDRESSES: dict[str, Callable[[SimpleNamespace], str]] = {
    "articles:front": lambda s: reverse("articles:front"),
    "articles:article": lambda s: s.visible.get_absolute_url(),
    "articles:section": lambda s: reverse("articles:section", args=[s.section.slug]),
    "articles:source": lambda s: reverse("articles:source", args=[s.source.slug]),
    "articles:person": lambda s: reverse("articles:person", args=[s.person.slug]),
    "articles:archive-day": lambda s: reverse(
        "articles:archive-day", args=[s.day.year, s.day.month, s.day.day]
    ),
    "articles:search": lambda s: reverse("articles:search") + "?q=harbour",
    "articles:rights-policy": lambda s: reverse("articles:rights-policy"),
    "articles:healthz": lambda s: reverse("articles:healthz"),
    "articles:favicon": lambda s: reverse("articles:favicon"),
    "articles:robots": lambda s: reverse("articles:robots"),
    "articles:tdmrep": lambda s: reverse("articles:tdmrep"),
    "articles:preview": lambda s: preview_path(s.visible.pk),
    "syndication:rss": lambda s: reverse("syndication:rss"),
    "syndication:atom": lambda s: reverse("syndication:atom"),
    "syndication:section-rss": lambda s: reverse("syndication:section-rss", args=[s.section.slug]),
    "syndication:section-atom": lambda s: reverse(
        "syndication:section-atom", args=[s.section.slug]
    ),
    "syndication:source-rss": lambda s: reverse("syndication:source-rss", args=[s.source.slug]),
    "syndication:source-atom": lambda s: reverse("syndication:source-atom", args=[s.source.slug]),
    "syndication:sitemap": lambda s: reverse("syndication:sitemap"),
    "syndication:sitemap-news": lambda s: reverse("syndication:sitemap-news"),
    "syndication:sitemap-section": lambda s: reverse(
        "syndication:sitemap-section", args=["articles"]
    ),
    "syndication:api-index": lambda s: reverse("syndication:api-index"),
    "syndication:api-openapi": lambda s: reverse("syndication:api-openapi"),
    "syndication:api-items": lambda s: reverse("syndication:api-items"),
    "syndication:api-item": lambda s: reverse("syndication:api-item", args=[item_uri(s.visible)]),
    "newsletter:unsubscribe": lambda s: reverse("newsletter:unsubscribe", args=["not-a-token"]),
    "pictures:rendition": lambda s: s.picture.rendition_url(320, "webp"),
}


def max_age(response) -> int:
    """The seconds a response's Cache-Control lets a cache keep it."""
    return int(re.search(r"max-age=(\d+)", response.headers["Cache-Control"]).group(1))


# --- ninjs, checked against the IPTC schemas -----------------------------------------------------

NINJS_SCHEMAS = Path(__file__).parent / "conformance" / "ninjs"
_GEOJSON = Resource.from_contents(json.loads((NINJS_SCHEMAS / "GeoJSON-schema.json").read_text()))
# The schemas $ref GeoJSON by its URL; the registry answers with the local copy, no network.
_REGISTRY = Registry().with_resource("https://geojson.org/schema/GeoJSON.json", _GEOJSON)

# jsonschema checks "date-time" and "uri" only with optional packages; these stand in for them.
_FORMATS = FormatChecker()
_RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", re.IGNORECASE)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")


@_FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    datetime.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    return bool(_RFC3339.match(value))


@_FORMATS.checks("uri")
def _is_uri(value) -> bool:
    return not isinstance(value, str) or bool(_URI.match(value))


def _validator(version: str):
    schema = json.loads((NINJS_SCHEMAS / f"ninjs-schema_{version}.json").read_text())
    cls = validator_for(schema)  # the draft the schema's own $schema names
    cls.check_schema(schema)
    return cls(schema, registry=_REGISTRY, format_checker=_FORMATS)


NINJS_VALIDATORS = {version: _validator(version) for version in ("3.1", "2.2")}


def validate(item: dict, version: str) -> None:
    """Fail with every error when `item` is not valid ninjs of `version`."""
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in NINJS_VALIDATORS[version].iter_errors(item)
    ]
    assert not errors, "\n".join(errors)


def ld_json(content: str) -> dict:
    """The one JSON-LD block of a page, parsed."""
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


# The newest migration file of the articles app, read from the folder, not from the code tested.
LATEST_ARTICLES_MIGRATION = max(
    path.stem for path in (Path(__file__).parent.parent / "articles" / "migrations").glob("0*.py")
)


def ninjs_item(**fields) -> bytes:
    """A ninjs file of one item from Example Wire, all rights reserved; `fields` change or add
    keys (None removes one)."""
    item = {
        "uri": "urn:example:story-1",
        "version": "1",
        "headline": "Harbour bridge reopens",
        "body_html": "<p>The bridge reopened on Monday after repairs.</p>",
        "copyrightholder": "Example Wire",
        "copyrightnotice": "Copyright 2030 Example Wire. All rights reserved.",
        **fields,
    }
    return json.dumps({key: value for key, value in item.items() if value is not None}).encode()


def sign_in_to_the_desk(page, base: str, username: str, password: str, device=None) -> None:
    """Sign in through the desk's login page as a person would, with the code of their
    authenticator app where they have one; the page is left on the desk's front page."""
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    if device is not None:
        page.fill("#id_code", second_factor.current_code(device))
        page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def wait_in_page(page, expression: str, *, seconds: float = 10.0) -> None:
    """Wait until `expression` is true in `page`, asked from outside it.

    Playwright's `wait_for_function` polls by evaluating a string inside the page, which the
    site's strict CSP (no 'unsafe-eval') refuses; `evaluate` is not the page's own script.
    """
    import time

    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {seconds} s in the page: {expression}")
        time.sleep(0.05)
