"""Browser fixtures: Debian's Chromium through Playwright, a live server, and a day's news."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Byline, Licence, Person, Section, Source
from tests.factories import need_service

# Playwright's sync API runs an event loop in this thread; the ORM calls around it are still sync.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "desk": {"width": 1366, "height": 900},  # a newsroom's laptop
    "phone": {"width": 390, "height": 844},
}


@pytest.fixture
def groups(transactional_db):
    """Make the editorial groups again, with their permissions (the sign-in records' among the
    rights managers'): each transactional test's flush removes what the migrations made, and
    serialized rollback is unreliable once Playwright's loop holds the thread."""
    for label in ("articles", "security"):
        create_permissions(apps.get_app_config(label), verbosity=0)
    for name, codenames in import_module("articles.migrations.0002_groups").GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )
    desk = import_module("security.migrations.0002_rights_managers_keep_sign_in").CODENAMES
    Group.objects.get(name="Rights manager").permissions.add(
        *Permission.objects.filter(content_type__app_label="security", codename__in=desk)
    )


@pytest.fixture(scope="session")
def browser() -> Iterator:
    need_service(
        os.path.exists(CHROMIUM), "needs Debian's chromium at /usr/bin/chromium", service="chromium"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """One page load, with everything that went wrong on the way: console errors (CSP violations
    among them), uncaught exceptions, and requests to any host but the live server."""

    def __init__(self, browser, live_server, *, viewport: str, headers: dict | None = None):
        self.host = urlsplit(live_server.url).netloc
        self.base = live_server.url
        self.context = browser.new_context(
            viewport=VIEWPORTS[viewport], extra_http_headers=headers or {}
        )
        self.page = self.context.new_page()
        self.viewport = viewport
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.console_errors.append(f"pageerror: {error}"))
        self.page.on("request", self._request)

    def _console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme != "data" and parts.netloc != self.host:
            self.foreign_requests.append(request.url)

    def open(self, path: str):
        return self.page.goto(self.base + path, wait_until="load")

    def sign_in(self, user) -> Visit:
        """Sign the browser in as `user`, through a session the test client makes."""
        from django.test import Client

        client = Client()
        client.force_login(user)
        self.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": self.base}]
        )
        return self

    def problems(self, *, status: int = 200) -> list[str]:
        # Chromium logs the status of a refused document itself; that one is the page's point.
        expected = f"the server responded with a status of {status}"
        errors = [e for e in self.console_errors if status == 200 or expected not in e]
        return errors + [f"request to another host: {url}" for url in self.foreign_requests]

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}-{self.viewport}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, live_server):
    visits: list[Visit] = []

    def make(viewport: str = "desktop", headers: dict | None = None) -> Visit:
        visits.append(Visit(browser, live_server, viewport=viewport, headers=headers))
        return visits[-1]

    yield make
    for opened in visits:
        opened.close()


STORIES = [
    {
        "section": "world",
        "slug": "ferries-resume-bosphorus",
        "headline": "Ferries resume on the Bosphorus as storm finally moves east",
        "standfirst": (
            "Commuters return to the water after three days in which high winds closed the "
            "strait to passenger traffic and left thousands queuing for buses."
        ),
        "dateline": "ISTANBUL",
        "source": "agency",
        "credits": [("Erdogan Cagatay Zontur", "writing"), ("Ayse Kaya", "reporting")],
        "body": [
            "Passenger ferries crossed the Bosphorus again on Thursday morning, ending a "
            "three-day suspension that had forced hundreds of thousands of commuters onto "
            "crowded bridges and buses.",
            "The city's ferry operator said the first boats left Kadikoy at 6.45am, with a "
            "full timetable expected by the evening rush hour. Harbour officials inspected "
            "piers on both shores overnight after waves damaged two landing stages.",
            "“People were patient, but three days is a long time to add two hours to your "
            "journey,” said Selin Arslan, a teacher who crosses from Uskudar each day.",
            "Forecasters expect calmer weather through the weekend, although a further band "
            "of rain is due to reach the coast on Monday.",
        ],
        "editor_note": "An earlier version of this story misstated the time of the first crossing.",
    },
    {
        "section": "business",
        "slug": "central-bank-holds-rates",
        "headline": "Central bank holds rates and signals patience on inflation",
        "standfirst": "Policymakers voted seven to two to keep borrowing costs unchanged.",
        "credits": [("Maya Okafor", "writing"), ("Tom Reyes", "editing")],
        "body": [
            "The central bank left its main interest rate unchanged on Wednesday, saying it "
            "wanted more evidence that price rises were slowing before it cut borrowing costs.",
            "Two members of the committee voted for an immediate cut of a quarter point.",
            "Markets had largely expected the decision, and the currency barely moved.",
        ],
    },
    {
        "section": "science",
        "slug": "glacier-retreat-survey",
        "headline": "Alpine glaciers lost a tenth of their ice in two summers, survey finds",
        "standfirst": "Researchers say the pace of melting has no precedent in a century.",
        "credits": [("Lena Hoffmann", "writing")],
        "body": [
            "Glaciers in the Alps lost about ten percent of their remaining volume over the "
            "past two summers, according to a survey published on Tuesday.",
            "The team measured 176 glaciers using drones and ground stations.",
        ],
    },
    {
        "section": "sport",
        "slug": "city-marathon-record",
        "headline": "Course record falls as city marathon draws its biggest field",
        "standfirst": "More than 40,000 runners took part under clear autumn skies.",
        "credits": [("Sam Whitfield", "writing")],
        "body": ["The men's course record fell by 41 seconds on Sunday."],
    },
    {
        "section": "culture",
        "slug": "library-reopens",
        "headline": "Restored city library reopens its reading room after six years",
        "standfirst": "The Victorian building's glass dome has been rebuilt pane by pane.",
        "credits": [("Priya Nair", "writing")],
        "body": ["The library's reading room welcomed its first visitors on Saturday."],
    },
    {
        "section": "world",
        "slug": "border-talks-resume",
        "headline": "Border talks resume with both sides promising a deal by spring",
        "standfirst": "Negotiators met for the first time since the summer.",
        "source": "agency",
        "credits": [("Ayse Kaya", "reporting"), ("Erdogan Cagatay Zontur", "writing")],
        "body": ["Negotiators from both countries met in Geneva on Monday."],
    },
    {
        "section": "business",
        "slug": "port-container-volumes",
        "headline": "Port handles record container volumes despite weaker exports",
        "standfirst": "Imports of consumer goods drove the rise ahead of the holiday season.",
        "credits": [("Maya Okafor", "writing")],
        "body": ["Container volumes at the port rose eight percent in October."],
    },
    {
        "section": "science",
        "slug": "comet-visible",
        "headline": "Comet will be visible to the naked eye this week, astronomers say",
        "standfirst": "The best views will come just before dawn, low in the eastern sky.",
        "credits": [("Lena Hoffmann", "writing")],
        "body": ["A comet discovered in January will be at its brightest on Friday."],
    },
    {
        "section": "sport",
        "slug": "cup-final-tickets",
        "headline": "Cup final tickets sell out in under an hour",
        "standfirst": "Both clubs will receive 30,000 seats at the national stadium.",
        "credits": [("Sam Whitfield", "writing")],
        "body": ["Tickets for next month's final sold out within 52 minutes."],
    },
    {
        "section": "culture",
        "slug": "film-festival-lineup",
        "headline": "Film festival opens with a debut from a first-time director",
        "standfirst": "Twelve films will compete for the main prize.",
        "credits": [("Priya Nair", "writing")],
        "body": ["The festival's organisers announced their programme on Tuesday."],
    },
    {
        "section": "world",
        "slug": "flood-defences-hold",
        "headline": "River flood defences hold as water levels peak overnight",
        "standfirst": "Engineers said the new barriers had kept the old town dry.",
        "credits": [("Tom Reyes", "reporting")],
        "body": ["Water levels peaked at 4.2 metres shortly after midnight."],
    },
    {
        "section": "business",
        "slug": "rail-freight-grows",
        "headline": "Rail freight grows as hauliers face driver shortages",
        "standfirst": "Operators added six new weekly services between the coast and the north.",
        "credits": [("Maya Okafor", "writing")],
        "body": ["Rail freight volumes rose for a fourth consecutive quarter."],
    },
]

# Shorter stories that fill the section blocks below the top of the front page.
BRIEFS = [
    (
        "world",
        "Aid convoy reaches mountain villages cut off by snow",
        "Lorries carried food and fuel along a road cleared overnight.",
        "Tom Reyes",
    ),
    (
        "world",
        "Coastal towns vote to share a single lifeboat station",
        "The merger ends a decade of argument over funding.",
        "Ayse Kaya",
    ),
    (
        "business",
        "Bakery chain to open forty shops in market towns",
        "The company says high streets are recovering faster than expected.",
        "Maya Okafor",
    ),
    (
        "business",
        "Energy regulator caps standing charges for a second year",
        "Households will save an average of 38 a year, the regulator says.",
        "Tom Reyes",
    ),
    (
        "business",
        "Shipyard wins order for three hybrid ferries",
        "The contract secures 600 jobs until the end of the decade.",
        "Maya Okafor",
    ),
    (
        "science",
        "Rare orchid flowers in a city park for the first time in fifty years",
        "Volunteers had cleared scrub from the meadow for three winters.",
        "Lena Hoffmann",
    ),
    (
        "science",
        "Deep-sea survey maps an undersea volcano in three dimensions",
        "The data will help forecast tsunami risk along the coast.",
        "Lena Hoffmann",
    ),
    (
        "science",
        "Hospital trial finds shorter antibiotic courses work as well",
        "Patients took the drugs for five days instead of ten.",
        "Priya Nair",
    ),
    (
        "sport",
        "Veteran goalkeeper signs a one-year extension at forty",
        "He has played 512 league games for the club.",
        "Sam Whitfield",
    ),
    (
        "sport",
        "Cycling tour adds a mountain-top finish to its final week",
        "Riders will climb 1,900 metres on the penultimate day.",
        "Sam Whitfield",
    ),
    (
        "sport",
        "Swimming pool reopens with a new diving tower",
        "The council spent two years and 14m on the refurbishment.",
        "Tom Reyes",
    ),
    (
        "culture",
        "Orchestra announces a season of music by women composers",
        "Eight of the twelve concerts will feature premieres.",
        "Priya Nair",
    ),
    (
        "culture",
        "Novelist's first book in a decade tops the bestseller list",
        "Readers queued outside shops for the midnight release.",
        "Priya Nair",
    ),
    (
        "culture",
        "Museum returns carved panels to the temple they came from",
        "The panels were taken during excavations in 1911.",
        "Lena Hoffmann",
    ),
    (
        "world",
        "Night trains return to the northern route after twenty years",
        "Sleeper services will run three times a week from May.",
        "Tom Reyes",
    ),
    (
        "culture",
        "Theatre festival sells a record number of tickets",
        "Organisers added matinees to meet demand.",
        "Priya Nair",
    ),
]
STORIES += [
    {
        "section": section,
        "slug": slugify(headline)[:60].strip("-"),
        "headline": headline,
        "standfirst": standfirst,
        "credits": [(writer, "writing")],
        "body": [standfirst, "Further details were expected later in the day."],
    }
    for section, headline, standfirst, writer in BRIEFS
]


@pytest.fixture
def newsday():
    """A front page's worth of stories, one agency story the reader may not see, and a policy."""
    now = timezone.now()
    staff = Source.objects.create(name="The Newsroom", slug="newsroom", kind=Source.Kind.STAFF)
    agency = Source.objects.create(
        name="Anadolu Agency", slug="anadolu-agency", credit_line="Anadolu Agency"
    )
    Licence.objects.create(
        source=agency,
        reference="AA-2024-117",
        grants_publish=True,
        valid_from=now - datetime.timedelta(days=90),
    )
    sections = {
        slug: Section.objects.create(name=slug.title(), slug=slug, position=n)
        for n, slug in enumerate(["world", "business", "science", "sport", "culture"])
    }
    people: dict[str, Person] = {}
    articles = []
    for n, story in enumerate(STORIES):
        is_agency = story.get("source") == "agency"
        article = Article.objects.create(
            slug=story["slug"],
            headline=story["headline"],
            standfirst=story["standfirst"],
            body="".join(f"<p>{paragraph}</p>" for paragraph in story["body"]),
            dateline=story.get("dateline", ""),
            editor_note=story.get("editor_note", ""),
            section=sections[story["section"]],
            source=agency if is_agency else staff,
            status=Article.Status.PUBLISHED,
            published_at=now - datetime.timedelta(minutes=25 * n + 5),
            rights_settled=True,
            may_publish=True,
            copyright_holder="Anadolu Agency" if is_agency else "The Newsroom",
            copyright_year=now.year,
            copyright_notice=(
                f"Copyright {now.year} Anadolu Agency. All rights reserved. This material may "
                "not be published, broadcast, rewritten, or redistributed."
                if is_agency
                else ""
            ),
        )
        for order, (name, role) in enumerate(story["credits"]):
            if name not in people:
                slug = name.lower().replace(" ", "-")
                people[name] = Person.objects.create(name=name, slug=slug)
            Byline.objects.create(article=article, person=people[name], role=role, order=order)
        articles.append(article)
    refused = Article.objects.create(
        slug="minister-resigns-wire",
        headline="Minister resigns over procurement inquiry",
        standfirst="The wire story we may not show.",
        body="<p>Restricted wire text that must never reach a reader.</p>",
        source=agency,
        section=sections["world"],
        status=Article.Status.PUBLISHED,
        published_at=now - datetime.timedelta(minutes=2),
        rights_settled=True,
        may_publish=False,
    )
    return SimpleNamespace(lead=articles[0], articles=articles, refused=refused, people=people)
