"""RSS 2.0 and Atom feeds: the latest items, per section and per source, each with its rights.

A feed hands items to third parties, so it starts from `Article.objects.for_channel(Channel.FEED)`:
what may be published and redistributed. Each entry's summary is drawn from that same item, as
plain text, so it is shown exactly where the headline is and carries no markup.
"""

from __future__ import annotations

import contextvars
import datetime
import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape, strip_tags
from django.views.decorators.http import require_safe

from articles import presentation, surrogates
from articles.caching import cache_until_change, next_change
from articles.models import Article, Section, Source
from articles.prepared import Code, Prepared
from articles.rights import normalise_country
from articles.vocabulary import Channel
from pictures import placing, showing

FEED_SIZE = 50


def feed_items_query(
    *, at: datetime.datetime, country: str | None, section: int | None, source: int | None
) -> QuerySet:
    """A feed's latest FEED_SIZE items for a reader in `country` at `at`, in one section or
    from one source where given: without their bodies, with their bylines and lead pictures."""
    items = Article.objects.for_channel(Channel.FEED, at=at, country=country)
    if section is not None:
        items = items.filter(section_id=section)
    if source is not None:
        items = items.filter(source_id=source)
    return (
        items.with_bylines()
        .listed("copy_terms")
        .select_related("lead_picture__source")
        .defer(*(f"lead_picture__{name}" for name in showing.NOT_READ))[:FEED_SIZE]
    )


# Compiled once per database and scope: the rights filter cost a feed more to compile than to run.
FEED_ITEMS = Prepared(
    Article, feed_items_query, at=datetime.datetime, country=Code, section=int, source=int
)
# A summary made from the body stops at the last whole word within this many characters.
SUMMARY_LENGTH = 300
FIRST_PARAGRAPH = re.compile(r"<p[\s>].*?</p>", re.IGNORECASE | re.DOTALL)
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
MEDIA_RSS = "http://search.yahoo.com/mrss/"
# The width of the rendition a feed carries: what a reader's list shows.
FEED_PICTURE_WIDTH = 1024
# The first moment a lead picture of the feed being made changes by the clock, gathered while
# its items are read (a feed object serves every request, so nothing is kept on it).
_picture_changes: contextvars.ContextVar[list[datetime.datetime] | None] = contextvars.ContextVar(
    "feed_picture_changes", default=None
)


def media_elements(handler, picture: dict | None) -> None:
    """The lead picture as Media RSS: the rendition, its credit and its own copyright."""
    if picture is None:
        return
    handler.addQuickElement(
        "media:content",
        "",
        {
            "url": picture["url"],
            "type": picture["type"],
            "medium": "image",
            "width": str(picture["width"]),
            "height": str(picture["height"]),
        },
    )
    if picture["title"]:
        handler.addQuickElement("media:title", picture["title"])
    handler.addQuickElement("media:credit", picture["credit"], {"role": "photographer"})
    handler.addQuickElement("media:copyright", picture["copyright"])


class WrittenOnce:
    """A feed written into memory and handed to its response in one piece.

    Django's generator writes each tag, attribute and text to the response on its own (over two
    thousand writes for fifty items, each turned into bytes and kept as a chunk). Written into a
    string first, the bytes are the same: the declaration names `encoding`, and a character
    that cannot be encoded becomes a character reference, as the generator's own writer does."""

    def write(self, outfile, encoding) -> None:
        text = io.StringIO()
        super().write(text, encoding)
        outfile.write(text.getvalue().encode(encoding, "xmlcharrefreplace"))


class RightsRss(WrittenOnce, Rss201rev2Feed):
    """RSS 2.0 has a copyright for the channel only; Dublin Core's rights carries each item's.
    A lead picture the item may carry goes as Media RSS `media:content`, with its credit and
    copyright (RSS's `enclosure` needs a length in bytes, unknown before the rendition is made)."""

    def rss_attributes(self) -> dict:
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE, "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        if item["item_copyright"] is not None:
            handler.addQuickElement("dc:rights", item["item_copyright"])
        media_elements(handler, item.get("picture"))


class PicturedAtom(WrittenOnce, Atom1Feed):
    """Atom: a lead picture the entry may carry is a `link rel="enclosure"` (Atom's length is
    optional), with its credit and copyright in Media RSS."""

    def root_attributes(self) -> dict:
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        picture = item.get("picture")
        if picture is not None:
            handler.addQuickElement(
                "link", "", {"rel": "enclosure", "href": picture["url"], "type": picture["type"]}
            )
        media_elements(handler, picture)


@dataclass(frozen=True)
class FeedChannel:
    title: str
    link: str
    description: str
    # The scope a section's or source's feed narrows to (None: the whole site).
    section: int | None = None
    source: int | None = None
    # When the feed is made and for whom: its lead pictures are judged then, for them.
    at: datetime.datetime | None = None
    country: str | None = None
    absolute: Callable[[str], str] = str


class LatestRss(Feed):
    """The latest items. Subclasses narrow the channel to one section or source."""

    feed_type = RightsRss
    # GET and HEAD only, and 405 for the rest: a feed takes no writes, so no CSRF check need
    # answer an unknown method with 403 first.
    csrf_exempt = True

    @method_decorator(require_safe)
    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        at = timezone.now()
        changes: list[datetime.datetime] = []
        token = _picture_changes.set(changes)
        try:
            response = super().__call__(request, *args, at=at, **kwargs)
        finally:
            _picture_changes.reset(token)
        # Kept no longer than the first of its pictures' rights changes, nor its items'.
        return cache_until_change(response, at=at, until=min(changes, default=None))

    def get_object(self, request: HttpRequest, *, at: datetime.datetime, **kwargs) -> FeedChannel:
        country = request.reader.country
        channel = self.channel(**kwargs)
        return replace(channel, at=at, country=country, absolute=request.build_absolute_uri)

    def channel(self) -> FeedChannel:
        return FeedChannel(
            title=settings.SITE_NAME,
            link=reverse("articles:front"),
            description=f"The latest stories from {settings.SITE_NAME}.",
        )

    def title(self, obj: FeedChannel) -> str:
        return obj.title

    def link(self, obj: FeedChannel) -> str:
        return obj.link

    def description(self, obj: FeedChannel) -> str:
        return obj.description

    def author_name(self) -> str:
        return settings.SITE_NAME

    def items(self, obj: FeedChannel) -> list[Article]:
        """The latest FEED_SIZE, without their bodies but for those a summary is made from
        (`summary()`: items without a standfirst), which one more query reads."""
        items = FEED_ITEMS.run(
            at=obj.at or timezone.now(),
            country=normalise_country(obj.country),
            section=obj.section,
            source=obj.source,
        )
        bare = [item.pk for item in items if not item.standfirst.strip()]
        if bare:
            bodies = dict(Article.objects.filter(pk__in=bare).values_list("pk", "body"))
            for item in items:
                if item.pk in bodies:
                    item.body = bodies[item.pk]
        surrogates.name(*items)
        pictures = [item.lead_picture for item in items if item.lead_picture_id]
        surrogates.name(*pictures)
        changes = _picture_changes.get()
        if changes is not None:
            at = obj.at or timezone.now()
            changes += [t for p in pictures if (t := next_change(at=at, article=p)) is not None]
        for item in items:
            item.feed_picture = feed_picture(item, obj)
        return items

    def item_extra_kwargs(self, item: Article) -> dict:
        picture = getattr(item, "feed_picture", None)
        return {"picture": picture} if picture else {}

    def item_title(self, item: Article) -> str:
        return item.headline

    def item_description(self, item: Article) -> str | None:
        """The summary as HTML-escaped text: readers of RSS and of Atom's `type="html"` summary
        take it as HTML, so a `<` in the text must reach them as a character, not a tag."""
        text = summary(item)
        return escape(text) if text else None

    def item_author_name(self, item: Article) -> str:
        names = [person.name for person in presentation.authors(item)]
        return ", ".join(names) or item.source.credit

    def item_guid(self, item: Article) -> str:
        return item.guid

    def item_guid_is_permalink(self, item: Article) -> bool:
        return False

    def item_pubdate(self, item: Article) -> datetime.datetime:
        return presentation.public_from(item)

    def item_updateddate(self, item: Article) -> datetime.datetime:
        return presentation.changed_at(item)

    def item_categories(self, item: Article) -> list[str]:
        return [item.section.name, *item.keywords] if item.section else list(item.keywords)

    def item_copyright(self, item: Article) -> str:
        return presentation.copyright_line(item)


class ScopedRss(LatestRss):
    """The latest items of one section or one source, found by its slug."""

    scope: type[Section] | type[Source]
    field: str  # the article's foreign key to `scope`

    def channel(self, *, slug: str) -> FeedChannel:
        scope = get_object_or_404(self.scope, slug=slug)
        surrogates.name(scope)
        return FeedChannel(
            title=f"{scope} · {settings.SITE_NAME}",
            link=scope.get_absolute_url(),
            description=f"The latest stories of {scope} on {settings.SITE_NAME}.",
            **{self.field: scope.pk},
        )


class SectionRss(ScopedRss):
    scope, field = Section, "section"


class SourceRss(ScopedRss):
    scope, field = Source, "source"


class AtomMixin:
    """Atom names the description a subtitle, and an entry's id must be a URI."""

    feed_type = PicturedAtom

    def subtitle(self, obj: FeedChannel) -> str:
        return obj.description

    def item_guid(self, item: Article) -> str:
        return presentation.item_uri(item)


class LatestAtom(AtomMixin, LatestRss):
    pass


class SectionAtom(AtomMixin, SectionRss):
    pass


class SourceAtom(AtomMixin, SourceRss):
    pass


def feed_picture(item: Article, channel: FeedChannel) -> dict | None:
    """The item's lead picture as the feed carries it, only where the picture's own rights
    allow the feed's channel (publication and redistribution) now, for the feed's reader."""
    at = channel.at or timezone.now()
    picture = showing.lead_for(item, Channel.FEED, at=at, country=channel.country)
    if picture is None:
        return None
    rendition = showing.rendition_near(picture, FEED_PICTURE_WIDTH)
    return {
        "url": channel.absolute(rendition.url),
        "type": rendition.content_type,
        "width": rendition.width,
        "height": rendition.height,
        "title": showing.alt_text(picture),
        "credit": showing.credit(picture),
        "copyright": showing.copyright_of(picture),
    }


def plain_text(markup: str) -> str:
    """`markup` as the words a reader sees: tags gone, entities read, spaces made one."""
    return " ".join(html.unescape(strip_tags(markup)).split())


def summary(item: Article) -> str:
    """The item's standfirst (plain text already, as its page shows it); without one, its
    body's first paragraph that has words, as plain text, cut at a word to at most
    SUMMARY_LENGTH characters, the pictures placed in it left out (a caption is no summary).
    Empty when there is neither."""
    standfirst = " ".join(item.standfirst.split())
    if standfirst:
        return standfirst
    body = placing.without_placings(item.body)
    paragraphs = (plain_text(p) for p in FIRST_PARAGRAPH.findall(body))
    text = next((p for p in paragraphs if p), "") or plain_text(body)
    if len(text) <= SUMMARY_LENGTH:
        return text
    head, space, _ = text[: SUMMARY_LENGTH + 1].rpartition(" ")
    kept = head if space and head else text[: SUMMARY_LENGTH - 1]
    return kept.rstrip(" ,;:") + "…"
