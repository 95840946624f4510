"""Public pages: each starts from `Article.objects.for_channel()` for the channel it is.

Lists and search narrow that queryset through `ArticleFilter`; nothing here reads a status or a
rights field. Refusals go through `refusal()`, which never sees the item.
"""

from __future__ import annotations

import datetime

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    F,
    OuterRef,
    Q,
    QuerySet,
    When,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_safe

from articles import presentation, reservations, surrogates
from articles.caching import cache_until_change, never_cache_refusal, next_change
from articles.filters import ArticleFilter, day_span, page_number
from articles.models import Article, Byline, FrontPin, Person, Section, Source
from articles.pages import metadata
from articles.prepared import Code, Prepared
from articles.querysets import bylines_prefetch
from articles.rights import normalise_country, refusal_status
from articles.vocabulary import Channel
from pictures import placing, showing

FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<rect width="32" height="32" rx="4" fill="#111"/>'
    '<text x="16" y="23" font-family="Georgia,serif" font-size="20" fill="#fff" '
    'text-anchor="middle">N</text></svg>'
)
PAGE_SIZE = 20
# The front page's top: a lead, two stories beneath it, and a column of the latest.
FRONT_SECONDARY = 2
FRONT_LATEST = 5
FRONT_TOP = 1 + FRONT_SECONDARY + FRONT_LATEST
# The pins in force looked at for the top, the first by place: twice its places, so that pinned
# stories the reader may not see still leave others to fill it.
FRONT_PIN_CANDIDATES = 2 * FRONT_TOP
FRONT_PER_SECTION = 4
# At most this many section blocks, the first by position that have a story to show, however
# many sections ingest or the desk have made.
FRONT_SECTIONS = 8
# The sections looked at for those blocks: the first this many by position. A desk that wants a
# section on the front page gives it a position among them.
FRONT_CANDIDATES = 64
# A section id no section has, standing in for each while the front page's query is compiled.
STAND_IN_SECTION = -7_346_129


def permitted(request: HttpRequest, channel: Channel, *, at: datetime.datetime) -> QuerySet:
    """What `channel` may show this reader now, with the bylines every page shows."""
    return Article.objects.for_channel(
        channel, at=at, country=request.reader.country
    ).with_bylines()


def with_pictures(articles: QuerySet) -> QuerySet:
    """The stories with their lead pictures and the pictures' sources, in the same query."""
    return articles.select_related("lead_picture__source").defer(
        *(f"lead_picture__{name}" for name in showing.NOT_READ)
    )


def picture_for(
    request: HttpRequest, story: Article, *, at: datetime.datetime, width: int
) -> showing.Shown | None:
    """The story's lead picture as its page shows it, where the picture's own rights allow this
    reader to see it now; else None (the story is shown without it)."""
    country = request.reader.country
    picture = showing.lead_for(story, Channel.PAGE, at=at, country=country)
    return showing.shown(picture, width=width) if picture else None


def name_pictures(stories: list[Article], *, at: datetime.datetime) -> datetime.datetime | None:
    """Name the stories' lead pictures among the page's surrogate keys, shown or not (a change
    to one can show or hide it), and return the first moment one of them changes by the clock."""
    pictures = [s.lead_picture for s in stories if s.lead_picture_id]
    surrogates.name(*pictures)
    return min(
        (t for t in (next_change(at=at, article=p) for p in pictures) if t is not None),
        default=None,
    )


def refusal(request: HttpRequest, status: int) -> HttpResponse:
    """The page for an item the reader may not see. It is given the status code and nothing else.

    Whether an item is refused can depend on where the reader is (a 451 for a territory), and
    every refusal, an unknown address's included, must look alike: each says it depends on it.
    """
    request.reader.consulted = True
    response = render(request, f"articles/{status}.html", {"status": status}, status=status)
    if status == 451:
        policy = request.build_absolute_uri(reverse("articles:rights-policy"))
        response.headers["Link"] = f'<{policy}>; rel="blocked-by"'
    return never_cache_refusal(response)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: an unknown address looks exactly like a draft or an embargoed item."""
    return refusal(request, 404)


def page_of(request: HttpRequest, queryset: QuerySet) -> tuple[Page, int]:
    """One page of `queryset` and its number, read without counting the table.

    Only PAGE_SIZE + 1 rows are fetched: the extra row says whether an older page exists, and the
    Paginator counts just those rows. A page that is no whole number from 1 to `MAX_PAGE`, or
    past the last, is not found, as Django's paginator has a list view answer.
    """
    number = page_number(request.GET.get("page"))
    if number is None:
        raise Http404("No such page.")
    start = (number - 1) * PAGE_SIZE
    rows = list(queryset[start : start + PAGE_SIZE + 1])
    if number > 1 and not rows:
        raise Http404("No such page.")
    return Paginator(rows, PAGE_SIZE).page(1), number


def article_list(request: HttpRequest, *, narrowing: dict[str, str], context: dict) -> HttpResponse:
    """A list page: what the reader may read, narrowed by the path and the query string."""
    now = timezone.now()
    data = request.GET.copy()
    for name, value in narrowing.items():
        data[name] = value
    filterset = ArticleFilter(data, queryset=permitted(request, Channel.LIST, at=now).listed())
    if not filterset.is_valid():
        raise Http404("No such list.")
    page, number = page_of(request, filterset.qs)
    context = {**context, "page": page, "number": number}
    surrogates.name(*page, *(context[k] for k in ("section", "source", "person") if k in context))
    return cache_until_change(render(request, "articles/list.html", context), at=now)


@require_safe
def front_page(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    country = normalise_country(request.reader.country)
    articles = front_stories(at=now, country=country)
    top, pinned_until = front_top(FRONT_TOP_ROWS.run(at=now, country=country))
    rest = articles.exclude(pk__in=[a.pk for a in top])
    blocks = section_blocks(rest)
    shown = [*top, *(story for _, stories in blocks for story in stories)]
    # One prefetch for every story on the page, the top's and the sections'.
    prefetch_related_objects(shown, bylines_prefetch(Article))
    # Each picture judged in Python from the row already read: no query more.
    for place, story in enumerate(shown):
        story.picture = picture_for(request, story, at=now, width=1024 if place == 0 else 640)
    context = {
        "lead": top[0] if top else None,
        "secondary": top[1 : 1 + FRONT_SECONDARY],
        "latest": top[1 + FRONT_SECONDARY :],
        "blocks": blocks,
    }
    surrogates.name(*shown)
    pictures_change = name_pictures(shown, at=now)
    response = render(request, "articles/front.html", context)
    # The page changes when a pin it shows ends, or a picture's rights by the clock: it is kept
    # no longer than that.
    until = min((t for t in (pinned_until, pictures_change) if t is not None), default=None)
    return cache_until_change(response, at=now, until=until)


def front_stories(*, at: datetime.datetime, country: str | None) -> QuerySet:
    """What the front page may show this reader now, with the lead pictures."""
    listed = Article.objects.for_channel(Channel.PAGE, at=at, country=country).listed()
    return with_pictures(listed)


def section_blocks(articles: QuerySet) -> list[tuple[Section, list[Article]]]:
    """The first FRONT_SECTIONS sections by position with a story among `articles`, each with
    its newest FRONT_PER_SECTION of them: two queries.

    Only the first FRONT_CANDIDATES sections by position are looked at (a walk of the order's
    index that stops there), each asked for its newest story along its own index
    (`newest_id`), so neither the number of sections nor a run of empty ones at the head of
    the order makes the page cost more. Then each shown section's stories are read along
    `article_section_idx`, newest first, a scan that stops after FRONT_PER_SECTION rows that
    pass the rights filter: a few short index scans, whatever the size of the archive, their
    ids one UNION ALL (`newest_per_section`) that the outer query reads by primary key.
    """
    order = ("position", "name", "id")
    candidates = Section.objects.order_by(*order).values("pk")[:FRONT_CANDIDATES]
    shown = list(
        Section.objects.filter(pk__in=candidates)
        .alias(newest=articles.newest_id(section=OuterRef("pk")))
        .filter(newest__isnull=False)
        .order_by(*order)[:FRONT_SECTIONS]
    )
    if not shown:
        return []
    rows = list(
        articles.select_related("source")
        .filter(pk__in=newest_per_section(articles, [section.pk for section in shown]))
        .order_by()  # sorted below
    )
    rows.sort(key=lambda a: (a.published_at, a.pk), reverse=True)
    blocks = {section.pk: (section, []) for section in shown}
    for story in rows:
        story.section = blocks[story.section_id][0]
        blocks[story.section_id][1].append(story)
    return list(blocks.values())


def newest_per_section(articles: QuerySet, sections: list[int]) -> RawSQL:
    """The ids of each section's newest FRONT_PER_SECTION among `articles`: one ordered, limited
    subquery per section (each along `article_section_idx`), joined by UNION ALL.

    The subquery is compiled once, with a stand-in section id, and each section's id put in its
    place: compiling the rights filter eight times was a fifth of the front page. Should the
    stand-in not appear exactly once among the parameters, each part is compiled on its own.
    """

    # Each part joins only the source its rights filter reads: the sections are known.
    def part(section_id: int) -> QuerySet:
        return (
            articles.select_related("source")
            .filter(section_id=section_id)
            .order_by("-published_at", "-id")
            .values("pk")[:FRONT_PER_SECTION]
        )

    def compiled(section_id: int) -> tuple[str, tuple]:
        return part(section_id).query.get_compiler(using=articles.db).as_sql()

    sql, params = compiled(STAND_IN_SECTION)
    spots = [n for n, value in enumerate(params) if value == STAND_IN_SECTION]
    pieces, values = [], []
    for n, section_id in enumerate(sections):
        if len(spots) == 1:
            own = list(params)
            own[spots[0]] = section_id
        else:
            sql, own = compiled(section_id)
        pieces.append(f"SELECT * FROM ({sql}) AS newest_{n}")
        values.extend(own)
    return RawSQL(" UNION ALL ".join(pieces), values)


def front_top_rows(*, at: datetime.datetime, country: str | None) -> QuerySet:
    """The candidates for the top of the front page, in one query: the latest FRONT_TOP stories
    beside the first FRONT_PIN_CANDIDATES pins still in force, both drawn from what the reader
    may see, so a pin never shows a story its rights forbid and the cost does not grow with the
    number of pins."""
    articles = front_stories(at=at, country=country)
    in_force = Q(front_pin__until__gt=at)
    pins = FrontPin.objects.filter(until__gt=at).order_by("position", "-pinned_at", "id")
    pinned_ids = pins.values("article_id")[:FRONT_PIN_CANDIDATES]
    latest_ids = articles.values("pk")[:FRONT_TOP]
    if connection.features.supports_slicing_ordering_in_compound:
        # One list of ids, read by primary key: an OR of the two would be a filter on a scan.
        candidates = Q(pk__in=pinned_ids.union(latest_ids, all=True))
    else:
        candidates = Q(pk__in=pinned_ids) | Q(pk__in=latest_ids)
    return articles.filter(candidates).annotate(
        pin_position=Case(When(in_force, then=F("front_pin__position"))),
        pin_until=Case(When(in_force, then=F("front_pin__until"))),
        pin_at=Case(When(in_force, then=F("front_pin__pinned_at"))),
    )


# Compiled once per database and shape: its rights filter costs more to compile than to run.
FRONT_TOP_ROWS = Prepared(Article, front_top_rows, at=datetime.datetime, country=Code)


def front_top(rows: list[Article]) -> tuple[list[Article], datetime.datetime | None]:
    """The stories at the top of the front page, in their places, from `front_top_rows`, and
    the first end of a pin among them. A pinned story takes its place (the first free one from
    it, where two ask for one place); the latest fill the rest, newest first."""
    places: list[Article | None] = [None] * FRONT_TOP
    pinned = sorted(
        (a for a in rows if a.pin_position is not None),
        key=lambda a: (a.pin_position, -a.pin_at.timestamp(), a.pk),
    )
    for story in pinned:
        free = next((n for n in range(story.pin_position - 1, FRONT_TOP) if not places[n]), None)
        if free is not None:
            places[free] = story
    held = {a.pk for a in places if a is not None}
    latest = iter(a for a in rows if a.pk not in held and a.pin_position is None)
    top = [place or next(latest, None) for place in places]
    top = [a for a in top if a is not None]
    ends = [a.pin_until for a in top if a.pin_until is not None]
    return top, min(ends, default=None)


def story_query(*, at: datetime.datetime, country: str | None, slug: str) -> QuerySet:
    """The story a page shows at `slug`, if this reader may read it now. The slug is unique:
    no ORDER BY, which Django builds from every selected column."""
    page = Article.objects.for_channel(Channel.PAGE, at=at, country=country)
    return with_pictures(page).filter(slug=slug)[:1]


def story_bylines(*, article: int) -> QuerySet:
    return Byline.objects.select_related("person").filter(article_id=article).order_by("order")


# Compiled once per database: the rights filter and three tables cost more to compile than to run.
STORY = Prepared(Article, story_query, at=datetime.datetime, country=Code, slug=str)
BYLINES = Prepared(Byline, story_bylines, article=int)


def read_story(*, at: datetime.datetime, country: str | None, slug: str) -> Article | None:
    """The story at `slug` this reader may read now, with its bylines as a prefetch leaves
    them (`story.bylines.all()` reads no more): two queries, neither compiled again."""
    story = next(iter(STORY.run(at=at, country=country, slug=slug)), None)
    if story is None:
        return None
    bylines = BYLINES.run(article=story.pk)
    for byline in bylines:
        byline.article = story
    kept = story.bylines.all()
    kept._result_cache, kept._prefetch_done = bylines, True
    story._prefetched_objects_cache = {"bylines": kept}
    return story


@require_safe
def article(request: HttpRequest, slug: str) -> HttpResponse:
    now = timezone.now()
    # The country as the rights filter reads it, so the prepared shape is the filter's own.
    country = normalise_country(request.reader.country)
    found = read_story(at=now, country=country, slug=slug)
    if found is None:
        item = Article.objects.select_related("source").filter(slug=slug).first()
        return refusal(request, refusal_status(item, at=now) if item else 404)
    surrogates.name(found)
    placed = placing.pictures_of([found.body], at=now)
    picture_changes = min(
        (t for t in (name_pictures([found], at=now), placed.next_change) if t is not None),
        default=None,
    )
    picture = picture_for(request, found, at=now, width=1024)
    body = placing.render(
        found.body, placed.pictures, Channel.PAGE, at=now, country=request.reader.country
    )
    robots = metadata.robots_directives(found)
    tdm = reservations.declaration(found, absolute=request.build_absolute_uri)
    context = {
        "article": found,
        "body": body,
        "canonical": request.build_absolute_uri(found.get_absolute_url()),
        "picture": picture,
        "ld_json": metadata.ld_json_script(
            metadata.news_article(found, request=request, picture=picture and picture.picture)
        ),
        "open_graph": metadata.open_graph(
            found, request=request, picture=picture and picture.picture
        ),
        "robots": robots,
        "tdm": tdm,
        "copyright_holder": presentation.copyright_holder(found),
    }
    response = render(request, "articles/article.html", context)
    if robots:
        response.headers["X-Robots-Tag"] = robots
    for name, value in tdm.items():
        response.headers[name] = value
    return cache_until_change(response, at=now, article=found, until=picture_changes)


@require_safe
def section(request: HttpRequest, slug: str) -> HttpResponse:
    section = get_object_or_404(Section, slug=slug)
    context = {"title": section.name, "kind": "Section", "section": section, "current": slug}
    return article_list(request, narrowing={"section": slug}, context=context)


@require_safe
def source(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source, slug=slug)
    context = {"title": source.credit, "kind": "Source", "source": source}
    return article_list(request, narrowing={"source": slug}, context=context)


@require_safe
def person(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("affiliation"), slug=slug)
    context = {"title": person.name, "kind": "Stories by", "person": person}
    return article_list(request, narrowing={"person": slug}, context=context)


@require_safe
def archive_day(request: HttpRequest, year: int, month: int, day: int) -> HttpResponse:
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        raise Http404("No such date.") from None
    # Link only to days that have stories, so neither readers nor crawlers walk empty days.
    start, end = day_span(date)  # no end after the calendar's last day
    readable = Article.objects.for_channel(
        Channel.LIST, at=timezone.now(), country=request.reader.country
    ).values_list("published_at", flat=True)
    earlier = readable.filter(published_at__lt=start).order_by("-published_at").first()
    later = readable.filter(published_at__gte=end).order_by("published_at").first() if end else None
    context = {
        "title": date_format(date, "l j F Y"),
        "kind": "Archive",
        "date": date,
        "previous_day": earlier.date() if earlier else None,
        "next_day": later.date() if later else None,
    }
    return article_list(request, narrowing={"day": date.isoformat()}, context=context)


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    # Asked before the terms are read: every search answers with the same headers.
    searchable = permitted(request, Channel.SEARCH, at=now)
    terms = request.GET.get("q", "").strip()
    context = {"terms": terms, "page": None}
    if terms:
        filterset = ArticleFilter(request.GET, queryset=searchable)
        if not filterset.is_valid():
            raise Http404("No such search.")
        context["page"], context["number"] = page_of(request, filterset.qs)
        surrogates.name(*context["page"])
    return cache_until_change(render(request, "articles/search.html", context), at=now)


@require_safe
def rights_policy(request: HttpRequest) -> HttpResponse:
    return cache_until_change(render(request, "articles/rights_policy.html", {}), at=timezone.now())


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(FAVICON, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
