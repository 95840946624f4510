"""NewsML 1.2, the envelope AFP's main text feed, ANA-MPE, Belga and EFE still send.

A <NewsML> document holds NewsItems, and each NewsItem is one item. Its guid is the
PublicIdentifier without the revision it ends in (else urn:newsml:ProviderId:DateId:NewsItemId),
its version the RevisionId, so a newer revision updates the article stored from an older one.

The story is a tree of NewsComponents. The metadata a component gives (NewsLines, Administrative-,
Rights- and DescriptiveMetadata) holds for the components below it, the nearest winning. The
text is in the ContentItems whose media type is text: NITF, XHTML, HTML or plain text in their
DataContent. A Role names what a component is (Belga's Title, Lead and Body; a photo's Caption,
which is not story text); of equivalent components (EquivalentsList="yes") the first with text
is read; components in different languages side by side (Belga's nl and fr) are one story each.

An item whose components are only photos, video or graphics (and their captions) carries no
text: it comes back as an UnreadItem saying so, as does any other item that cannot be read, and
the file's other items are still read; unless it is a photo a story brings (`newsml1_photos`).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass

from lxml import etree

from articles.ingest import nitf, xhtml
from articles.ingest.newsml1_photos import associated, guid_of, photos
from articles.ingest.parsed import (
    ParsedByline,
    ParsedItem,
    ParseError,
    Skipped,
    UnreadItem,
    keyword_list,
)
from articles.ingest.text import (
    PARTY_ROLES,
    UTC,
    Times,
    bylines_from_statement,
    first_sentence,
    name_case,
)
from articles.ingest.xmlsafe import child, children, local_name, parse_xml, text_of
from articles.notices import Notice, is_notice_line, parse_notice

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_KILLED = {"canceled", "cancelled", "withheld"}
# Texts that describe a picture rather than tell the story; the title and lead of Belga's items.
_CAPTION_ROLES = {"caption", "description", "alternatetext", "alttext"}
_TITLE_ROLES = {"title", "headline"}
_LEAD_ROLES = {"lead", "abstract", "summary", "intro"}
_MEDIA_WORDS = {"image": "photo", "picture": "photo", "sound": "audio", "clip": "video"}


def parse(
    source: str, *, name: str = "", zone: datetime.tzinfo = UTC
) -> list[ParsedItem | UnreadItem]:
    """Read every NewsItem of a NewsML 1.2 document; times that name no zone are read in `zone`.

    A NewsItem that cannot be read is an UnreadItem, by its guid; the others are read. A
    NewsItem on its own (as an item of a many-item file is stored) raises ParseError instead.
    """
    root = parse_xml(source, name=name)
    if local_name(root) == "NewsItem":
        return list(_NewsItem(root, name=name, place="", zone=zone).read(original=source))
    if local_name(root) != "NewsML":
        raise ParseError(f"expected a NewsML 1.2 document, got <{local_name(root)}>", item=name)
    news_items = children(root, "NewsItem")
    if not news_items:
        raise ParseError("the NewsML document holds no NewsItem", item=name)
    results: list[ParsedItem | UnreadItem] = []
    by_guid = {guid_of(child(e, "Identification", "NewsIdentifier")): e for e in news_items}
    taken: set[str] = set()  # the photo items a story brings (AssociatedWith)
    for number, element in enumerate(news_items, 1):
        # One item's file is kept whole, as received; of many, each keeps its own NewsItem.
        if len(news_items) == 1:
            original = source
        else:
            original = etree.tostring(element, encoding="unicode", with_tail=False)
        news_item = _NewsItem(element, name=name, place=f"#{number}", zone=zone)
        try:
            stories = news_item.read(original=original)
        except ParseError as error:
            results.append(UnreadItem(news_item.label, error))
            continue
        for ref in associated(element):
            if ref in by_guid and ref != news_item.guid:
                brought = _NewsItem(by_guid[ref], name=name, place=ref, zone=zone).photos()
                for story in stories:
                    story.pictures += brought
                if brought:
                    taken.add(ref)
        results += stories
    return [r for r in results if not (isinstance(r, UnreadItem) and r.guid in taken)]


@dataclass
class _Part:
    """One ContentItem, with the components above it (top first) and what they say it is."""

    item: etree._Element
    path: list[etree._Element]

    @property
    def role(self) -> str:
        for component in reversed(self.path):
            role = child(component, "Role")
            if role is not None and role.get("FormalName", "").strip():
                return role.get("FormalName", "").strip().lower()
        return ""

    @property
    def media(self) -> str:
        """text, photo, graphic, audio, video …: from MediaType, MimeType, Format or Belga's
        ComponentClass; content with no type is text."""
        declared = _formal(child(self.item, "MediaType")).lower()
        if declared:
            return _MEDIA_WORDS.get(declared, declared)
        for component in reversed(self.path):
            for prop in _all(child(component, "DescriptiveMetadata"), "Property"):
                if prop.get("FormalName") == "ComponentClass" and prop.get("Value", "").strip():
                    value = prop.get("Value", "").strip().lower()
                    return _MEDIA_WORDS.get(value, value)
        mime = _formal(child(self.item, "MimeType")).lower()
        if mime:
            kind = mime.partition("/")[0]
            if kind == "application" and re.search(r"nitf|html|xml", mime):
                return "text"
            return {"image": "photo"}.get(kind, kind)
        fmt = _formal(child(self.item, "Format")).lower()
        if re.search(r"jpe?g|png|gif|tiff", fmt):
            return "photo"
        return "text" if re.search(r"nitf|html|text", fmt) or _has_data(self.item) else ""

    @property
    def is_text(self) -> bool:
        return self.media == "text" and self.role not in _CAPTION_ROLES

    @property
    def is_body(self) -> bool:
        return self.is_text and self.role not in _TITLE_ROLES | _LEAD_ROLES

    def content(self, label: str) -> xhtml.Content | None:
        """The part's text as HTML; None when its DataContent is empty."""
        data = child(self.item, "DataContent")
        if not _has_data(self.item):
            if self.item.get("Href", "").strip():
                raise ParseError(
                    f"the text is not in this file: its ContentItem points to "
                    f"{self.item.get('Href').strip()!r}, and ingest fetches nothing",
                    item=label,
                    field="ContentItem/@Href",
                )
            return None
        kind = f"{_formal(child(self.item, 'Format'))} {_formal(child(self.item, 'MimeType'))}"
        return xhtml.from_container(data, html="html" in kind.lower())

    def text(self) -> str:
        """The part's text as one line (a Title or Lead component)."""
        data = child(self.item, "DataContent")
        if data is None:
            return ""
        if len(data) == 0 and xhtml.looks_like_html(data.text or ""):
            element = xhtml.html_element(data.text or "")
            return " ".join(element.text_content().split()) if element is not None else ""
        return text_of(data)


class _NewsItem:
    """One NewsItem: its identity, status and times, and the stories its components tell."""

    def __init__(self, element: etree._Element, *, name: str, place: str, zone: datetime.tzinfo):
        self.element = element
        self.identifier = child(element, "Identification", "NewsIdentifier")
        self.guid = guid_of(self.identifier)
        self.label = self.guid or place or name
        self.times = Times(zone, item=self.label)

    def read(self, *, original: str) -> list[ParsedItem]:
        if not self.guid:
            raise ParseError(
                "the NewsItem names itself by neither a PublicIdentifier nor a ProviderId and "
                "NewsItemId",
                item=self.label,
                field="Identification/NewsIdentifier",
            )
        revision = child(self.identifier, "RevisionId")
        version = text_of(revision)
        if version and not version.isdigit():
            raise ParseError(
                f"expected a whole number, got {version!r}", item=self.label, field="RevisionId"
            )
        top = child(self.element, "NewsComponent")
        if top is None and children(self.element, "Update"):
            previous = revision.get("PreviousRevision", "?") if revision is not None else "?"
            raise ParseError(
                f"revision {version} only updates parts of revision {previous}, and partial "
                "updates are not applied: the item needs its full revision",
                item=self.label,
                field="Update",
            )
        if top is None:
            raise ParseError(
                "the NewsItem has no NewsComponent: no story to read",
                item=self.label,
                field="NewsComponent",
            )
        management = child(self.element, "NewsManagement")
        status = _formal(child(management, "Status")).lower()
        embargo, withdrawn_at = self._status_change(management, status)
        fields = {
            "format": "newsml1",
            "version": int(version) if version else None,
            "version_created": self._time(child(management, "ThisRevisionCreated"))
            or self._time(child(management, "FirstCreated")),
            "embargo_until": embargo,
            "killed": status in _KILLED,
            "original": original,
        }
        stories = _languages(top)
        return [
            self._story(
                path,
                suffix=f"#{language}" if len(stories) > 1 else "",
                fields=fields,
                withdrawn_at=withdrawn_at,
            )
            for path, language in stories
        ]

    def photos(self) -> list:
        """The photos of a photo NewsItem a story brings, named by its guid."""
        top = child(self.element, "NewsComponent")
        if top is None:
            return []
        return photos(top, [top], rights=self._photo_rights, label=self.label, guid=self.guid)

    def _photo_rights(self, path: list[etree._Element], lines: list[str], terms: list[str]):
        return self._rights(path, [], lines=lines, terms=terms)

    def _status_change(
        self, management: etree._Element | None, status: str
    ) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        """The embargo (an Embargoed item becomes Usable at StatusWillChange/DateAndTime), and
        when a Usable item stops being usable (it will become Canceled or Withheld)."""
        change = child(management, "StatusWillChange")
        future = _formal(child(change, "FutureStatus")).lower()
        when = text_of(child(change, "DateAndTime"))
        field = "StatusWillChange/DateAndTime"
        if status == "embargoed":
            if when and future in ("", "usable"):
                return self.times.read(when, field=field), None
            raise ParseError(
                "the item is Embargoed but does not say when it may be used: it needs a "
                "StatusWillChange with FutureStatus Usable and its DateAndTime",
                item=self.label,
                field="Status",
            )
        if when and future in _KILLED:
            return None, self.times.read(when, field=field)
        return None, None

    def _time(self, element: etree._Element | None) -> datetime.datetime | None:
        value = text_of(element)
        return self.times.read(value, field=local_name(element)) if value else None

    def _story(
        self,
        path: list[etree._Element],
        *,
        suffix: str,
        fields: dict,
        withdrawn_at: datetime.datetime | None,
    ) -> ParsedItem:
        label = self.label + suffix
        parts = _parts(path[-1], path)
        body_parts = [p for p in parts if p.is_body]
        contents = [c for c in (p.content(label) for p in body_parts) if c is not None]
        body = "".join(c.html for c in contents)
        media = sorted({p.media for p in parts if p.media and p.media != "text"})
        if not body and media:
            kinds = " and ".join(media)
            raise Skipped(
                f"a {kinds} item carries no story text, only {kinds} components (and "
                "any caption); only text items become articles",
                item=label,
                field="ContentItem/MediaType",
            )
        meta = body_parts[0].path if body_parts else path
        document = next((c.document for c in contents if c.document is not None), None)
        head = child(document, "body", "body.head")
        header = xhtml.first_header(contents)
        titles = [p.text() for p in parts if p.is_text and p.role in _TITLE_ROLES]
        leads = [p.text() for p in parts if p.is_text and p.role in _LEAD_ROLES]
        headline = (
            _text(meta, "NewsLines", "HeadLine")
            or next(filter(None, titles), "")
            or text_of(child(head, "hedline", "hl1"))
            or header.headline
        )
        if not headline and not body:
            raise ParseError(
                "the item has neither a headline nor text", item=label, field="HeadLine"
            )
        working = not headline
        if working:
            headline = first_sentence(re.sub(r"<[^>]+>", " ", body))
        keywords = keyword_list([*_keywords(meta), *nitf.document_keywords(document)])
        slugline = _text(meta, "NewsLines", "SlugLine") or text_of(
            child(self.element, "Identification", "NameLabel")
        )
        notice, start, end = self._rights(meta, contents)
        bylines, organisations = _credits(meta, head, contents, header)
        place = nitf.dateline_parts(child(head, "dateline"))
        language = _first(
            _declared_language(meta),
            *(c.get(_XML_LANG, "") for c in reversed([self.element, *meta])),
            document.get("baselang", "") if document is not None else "",
        )
        provider = _first(
            *_parties(meta, "Provider"),
            *_parties(meta, "Source"),
            _text(meta, "NewsLines", "CreditLine"),
            *organisations,
            notice.holder,
            text_of(child(self.identifier, "ProviderId")),
        )
        return ParsedItem(
            guid=self.guid + suffix,
            headline=headline,
            headline_is_working=working,
            body_html=body,
            standfirst=nitf.standfirst(
                [
                    _text(meta, "NewsLines", "SubHeadLine"),
                    *leads,
                    text_of(child(head, "hedline", "hl2")),
                    text_of(child(head, "abstract")),
                    header.standfirst,
                ],
                body=body,
                labels=[*keywords, slugline],
            ),
            dateline=_dateline(_text(meta, "NewsLines", "DateLine")) or place[0],
            language=_language(language),
            rights_start=start,
            rights_expire_at=min(filter(None, [end, withdrawn_at]), default=None),
            zone_assumed=self.times.assumed,
            provider=provider,
            slugline=slugline or header.kicker,
            keywords=keywords,
            located=_located(meta) or name_case(place[1]) or nitf.event_place(document),
            bylines=bylines,
            notice=notice,
            territories=notice.territories,
            pictures=photos(path[-1], path, rights=self._photo_rights, label=label),
            **fields,
        )

    def _rights(
        self,
        meta: list[etree._Element],
        contents: list[xhtml.Content],
        *,
        lines: list[str] = (),
        terms: list[str] = (),
    ) -> tuple[Notice, datetime.datetime | None, datetime.datetime | None]:
        """The notice, from the nearest RightsMetadata, CopyrightLines, body notices and the
        `lines` and `terms` given, and the window of use its UsageRights give (StartDate,
        EndDate)."""
        extra_lines, extra_terms = list(lines), list(terms)
        found = _nearest(meta, "RightsMetadata", keep=lambda e: len(e) > 0)
        rights = found[0] if found else None
        copyrights = children(rights, "Copyright") if rights is not None else []
        usages = children(rights, "UsageRights") if rights is not None else []
        lines = [text_of(e) for e in _nearest(meta, "NewsLines", "CopyrightLine")]
        # A CopyrightLine of a bare name ("Belga") names the holder; a notice is read as one.
        names = [line for line in lines if not is_notice_line(line) and len(line.split()) <= 5]
        holder = _first(
            *(text_of(child(c, "CopyrightHolder")) for c in copyrights),
            *(text_of(child(u, "RightsHolder")) for u in usages),
            *names,
        )
        terms = [text_of(child(u, f)) for u in usages for f in ("UsageType", "Limitations")]
        terms += extra_terms
        notice = parse_notice(
            [
                *(line for line in lines if line not in names),
                *(n for c in contents for n in c.notice_lines),
                *extra_lines,
            ],
            holder=holder,
            usage_terms=" ".join(t for t in terms if t),
        )
        dates = " ".join(text_of(child(c, "CopyrightDate")) for c in copyrights)
        year = re.search(r"\b(?:19|20)\d{2}\b", dates)
        if notice.year is None and year:
            notice = dataclasses.replace(notice, year=int(year[0]))
        for usage in usages:
            notice = nitf.with_geography(notice, text_of(child(usage, "Geography")))
        field = "RightsMetadata/UsageRights/"
        starts = [self._when(child(u, "StartDate"), field + "StartDate") for u in usages]
        ends = [self._when(child(u, "EndDate"), field + "EndDate") for u in usages]
        return (
            notice,
            max(filter(None, starts), default=None),
            min(filter(None, ends), default=None),
        )

    def _when(self, element: etree._Element | None, field: str) -> datetime.datetime | None:
        value = text_of(element)
        return self.times.read(value, field=field) if value else None


# --- the component tree ------------------------------------------------------------------------


def _languages(top: etree._Element) -> list[tuple[list[etree._Element], str]]:
    """The stories of a NewsItem: one, or one per language where components in different
    languages stand side by side under the top one, each with text of its own (Belga)."""
    branches = children(top, "NewsComponent")
    if len(branches) > 1:
        languages = [_language(_language_here(b)) for b in branches]
        if (
            all(languages)
            and len(set(languages)) == len(languages)
            and all(any(p.is_body for p in _parts(b, [top, b])) for b in branches)
        ):
            return [([top, b], language) for b, language in zip(branches, languages, strict=True)]
    return [([top], "")]


def _language_here(component: etree._Element) -> str:
    return component.get(_XML_LANG, "") or _formal(
        child(component, "DescriptiveMetadata", "Language")
    )


def _parts(component: etree._Element, path: list[etree._Element]) -> list[_Part]:
    """The ContentItems below `component`, in document order; of equivalents, the first that
    holds text (or the first)."""
    groups = [[_Part(item, path)] for item in children(component, "ContentItem")]
    groups += [_parts(sub, [*path, sub]) for sub in children(component, "NewsComponent")]
    if component.get("EquivalentsList", "").strip().lower() == "yes":
        groups = [g for g in groups if g]
        return next((g for g in groups if any(p.is_body for p in g)), groups[0] if groups else [])
    return [part for group in groups for part in group]


def _nearest(path: list[etree._Element], *steps: str, keep=None) -> list[etree._Element]:
    """The elements at `steps` under the nearest component of `path` (the deepest first) that
    has any worth keeping (by default: with text)."""
    *parents, last = steps
    keep = keep or text_of
    for component in reversed(path):
        holder = child(component, *parents) if parents else component
        found = [e for e in children(holder, last) if keep(e)] if holder is not None else []
        if found:
            return found
    return []


def _text(path: list[etree._Element], *steps: str) -> str:
    return text_of(next(iter(_nearest(path, *steps)), None))


def _first(*values: str) -> str:
    return next((v.strip() for v in values if v and v.strip()), "")


def _declared_language(meta: list[etree._Element]) -> str:
    return _formal(
        next(iter(_nearest(meta, "DescriptiveMetadata", "Language", keep=_formal)), None)
    )


def _all(element: etree._Element | None, name: str) -> list[etree._Element]:
    return children(element, name) if element is not None else []


def _formal(element: etree._Element | None) -> str:
    return element.get("FormalName", "").strip() if element is not None else ""


def _has_data(content_item: etree._Element) -> bool:
    data = child(content_item, "DataContent")
    return data is not None and (
        any(isinstance(e.tag, str) for e in data) or bool((data.text or "").strip())
    )


# --- metadata ----------------------------------------------------------------------------------


def _keywords(meta: list[etree._Element]) -> list[str]:
    """KeywordLines, DescriptiveMetadata's Keyword properties, and the names of the topics a
    TopicSet gives (ANA-MPE); subject codes alone are no keywords."""
    names = [text_of(e) for e in _nearest(meta, "NewsLines", "KeywordLine")]
    names += [
        p.get("Value", "")
        for p in _nearest(
            meta,
            "DescriptiveMetadata",
            "Property",
            keep=lambda e: e.get("FormalName") == "Keyword" and e.get("Value", "").strip(),
        )
    ]
    language = _language(_declared_language(meta)).partition("-")[0]
    for component in reversed(meta):
        topics = [t for s in children(component, "TopicSet") for t in children(s, "Topic")]
        if topics:
            names += [_topic_name(topic, language) for topic in topics]
            break
    return keyword_list(names)


def _topic_name(topic: etree._Element, language: str) -> str:
    named = [
        d for d in children(topic, "Description") if d.get("Variant", "Name").lower() == "name"
    ]
    for wanted in (language, "en", ""):
        for description in named:
            lang = description.get(_XML_LANG, "").lower().partition("-")[0]
            if not wanted or lang == wanted:
                return text_of(description)
    return ""


def _credits(
    meta: list[etree._Element],
    head: etree._Element | None,
    contents: list[xhtml.Content],
    header: xhtml.Header,
) -> tuple[list[ParsedByline], list[str]]:
    """People from ByLines, Creator and Contributor parties (their Topic is the role), NITF's
    byline and a leading "By …" paragraph; organisations named apart, for the provider."""
    bylines: list[ParsedByline] = []
    organisations: list[str] = []
    for kind, default in (("Creator", "writing"), ("Contributor", "additional_reporting")):
        for party in _nearest(meta, "AdministrativeMetadata", kind, "Party", keep=_formal):
            role = PARTY_ROLES.get(party.get("Topic", "").strip().lower(), default)
            people, named = bylines_from_statement(_formal(party), role=role)
            bylines += people
            organisations.append(named)
    statements = [text_of(e) for e in _nearest(meta, "NewsLines", "ByLine")]
    for statement in [*statements, header.byline, *(c.byline for c in contents)]:
        people, named = bylines_from_statement(statement)
        bylines += people
        organisations.append(named)
    if head is not None:
        people, named = nitf.byline_credits(head)
        bylines += people
        organisations.append(named)
    return nitf.unique_bylines(bylines), organisations


def _parties(meta: list[etree._Element], kind: str) -> list[str]:
    """The names of the nearest AdministrativeMetadata's Provider, Source, Creator … parties."""
    found = _nearest(meta, "AdministrativeMetadata", kind, "Party", keep=_formal)
    return [_formal(party) for party in found]


def _located(meta: list[etree._Element]) -> str:
    """The city a Location names (where it is the story's origin, first); else its area, else
    its country when given by name rather than code."""
    locations = _nearest(
        meta,
        "DescriptiveMetadata",
        "Location",
        keep=lambda e: any(p.get("Value", "").strip() for p in children(e, "Property")),
    )
    for location in sorted(locations, key=lambda e: e.get("HowPresent", "").lower() != "origin"):
        values = {p.get("FormalName", ""): p.get("Value", "").strip() for p in location}
        for key in ("City", "CountryArea", "Country"):
            value = values.get(key, "")
            if value and not (key == "Country" and re.fullmatch(r"[A-Z]{2,3}", value)):
                return name_case(value)
    return ""


def _language(code: str) -> str:
    """ "EN" -> "en"; "es-ES" stays."""
    primary, _, region = code.strip().partition("-")
    return primary.lower() + (f"-{region}" if region else "")


def _dateline(text: str) -> str:
    """The dateline's words, without the dash leading into the story: "Paris, 21 jan (AFP) -"."""
    text = text.rstrip(" -–—")
    return "" if nitf.is_timestamp(text) else text
