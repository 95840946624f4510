"""ninjs (IPTC News in JSON) 1.x, 2.x and 3.x, and the dialects agencies send: one item, a list
of items, or an envelope holding a list (the BBC's `{"total": N, "item": [...]}`, `{"items":
[...]}`, `{"data": [...]}`).

Superdesk, which many agencies run, writes its own ninjs: `guid` rather than `uri`, `byline` as
one string, `authors` with roles, `source` naming the agency, `service` (its ANPA category) as
the section, and `place`, `genre` and `keywords` beside `subject`. They are read here too.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from articles.ingest.bundle import is_url
from articles.ingest.htmlbody import inner_html, paragraphs, plain, without_notices
from articles.ingest.jsonfields import Fields, kind, load_json, names_of, rights_statement
from articles.ingest.parsed import (
    ParsedByline,
    ParsedItem,
    ParseError,
    UnreadItem,
    WirePicture,
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
from articles.notices import is_notice_line, parse_notice

_KILLED = {"canceled", "cancelled", "withheld"}
# Envelopes that hold a list of ninjs items: the BBC's "item", and the common "items", "data"
# and "results" of APIs.
_ENVELOPE_KEYS = ("item", "items", "data", "results")
# Fields of a ninjs item itself: an object holding any of them is an item, not an envelope.
_ITEM_KEYS = {"uri", "guid", "headline", "headlines", "body_html", "body_text", "bodies"}
# Superdesk author roles, beyond the role words every structured format uses (PARTY_ROLES).
_AUTHOR_ROLES = {
    **PARTY_ROLES,
    "subeditor": "editing",
    "sub-editor": "editing",
    "copyeditor": "editing",
    "copy editor": "editing",
    "camera": "photography",
    "cameraman": "photography",
}
# Superdesk's default genre, given to every item no one classified: it says nothing.
_DEFAULT_GENRES = {"article", "article (news)"}


def parse(
    source: str, *, name: str = "", zone: datetime.tzinfo = UTC
) -> list[ParsedItem | UnreadItem]:
    """Read a ninjs file: one object, a list of objects or an envelope of them, each its own item;
    times that name no zone are read in `zone`.

    In a list or an envelope, an entry that cannot be read becomes an UnreadItem naming it and
    the field at fault; the other entries are still read.
    """
    data = load_json(source, name=name)
    entries = _entries(data, name=name)
    if entries is None:
        return [_item(_fields(data, index=0, many=False), original=source, zone=zone)]
    if not any(isinstance(entry, dict) for entry in entries):
        # A list of no objects at all is not ninjs: the file, not an entry, is at fault.
        _fields(entries[0], index=0, many=True)
    results: list[ParsedItem | UnreadItem] = []
    for index, entry in enumerate(entries):
        try:
            results.append(_item(_fields(entry, index=index, many=True), original=entry, zone=zone))
        except ParseError as error:
            results.append(UnreadItem(_guid_of(entry) or f"#{index + 1}", error))
    return results


def entries(data: Any) -> tuple[str, list] | None:
    """The entries of a list or an envelope of ninjs items, and the envelope's key ("" for a
    bare list); None for JSON that is one item. The list may be empty: an API's empty page."""
    if isinstance(data, list):
        return "", data
    if not isinstance(data, dict) or _ITEM_KEYS & data.keys():
        return None
    for key in _ENVELOPE_KEYS:
        value = data.get(key)
        if isinstance(value, list):
            return key, value
        if isinstance(value, dict):
            return key, [value]
    return None


def _entries(data: Any, *, name: str) -> list | None:
    """The entries of a list or an envelope; None for a file that is one item. A file of no
    entries is refused: it holds nothing to read."""
    found = entries(data)
    if found is None:
        return None
    key, listed = found
    if not listed:
        where = f"the envelope's {key!r} list" if key else "the file's list"
        raise ParseError(f"{where} is empty: no news items", item=name, field=key)
    return listed


def _guid_of(entry: Any) -> str:
    if not isinstance(entry, dict):
        return ""
    for key in ("uri", "guid"):
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _fields(data: Any, *, index: int, many: bool) -> Fields:
    label = f"#{index + 1}" if many else ""
    if not isinstance(data, dict):
        raise ParseError(f"expected a ninjs object, got {kind(data)}", item=label or "the file")
    label = f"{label} {_guid_of(data)}".strip()
    return Fields(data, label=label)


def _item(item: Fields, *, original: Any, zone: datetime.tzinfo) -> ParsedItem:
    times = Times(zone, item=item.label)
    headline = item.text("headline") or _with_role(item, "headlines", "main")
    body_html = _body(item)
    standfirst = (
        item.text("description_text")
        or _with_role(item, "descriptions", "summary")
        or plain(item.text("description_html"), label=item.label, field="description_html")
    )
    if not headline and not body_html:
        raise ParseError(
            "the item has neither a headline nor a body", item=item.label, field="headline"
        )
    working = False
    if not headline:
        headline, working = first_sentence(_plain_body(item, body_html)), True

    body_html, body_notices = without_notices(body_html, label=item.label, field="body_html")
    ednote = item.text("ednote")
    notice = parse_notice(
        [
            item.text("copyrightnotice", "copyrightNotice"),
            *body_notices,
            # An editor's note is for the desk; one that states terms is read as terms.
            *([ednote] if ednote and is_notice_line(ednote) else []),
        ],
        holder=item.text("copyrightholder", "copyrightHolder"),
        usage_terms=_usage_terms(item),
    )

    bylines, by_organisation = _bylines(item)
    pubstatus = item.text("pubstatus", "pubStatus").lower()
    infosources = names_of(item.objects("infosources", "infoSources", "infosource"), "name")
    # Subjects are what the story is about: keywords. Only one whose rel says it is the section
    # (as our own API writes it) names a section; a section for each subject made thousands.
    subjects = [
        (s.text("name"), re.split(r"[:/#]", s.text("rel"))[-1].lower() == "section")
        for s in item.objects("subjects", "subject")
    ]
    genres = [
        g.text("name")
        for g in item.objects("genre", "genres")
        if g.text("code", "qcode", "name").lower() not in _DEFAULT_GENRES
    ]
    return ParsedItem(
        format="ninjs",
        guid=item.text("uri") or item.text("guid"),
        headline=" ".join(headline.split()),
        headline_is_working=working,
        body_html=body_html,
        standfirst=standfirst,
        language=item.text("language"),
        version=item.version("version"),
        version_created=item.time(times, "versioncreated", "versionCreated"),
        embargo_until=item.time(times, "embargoed", "embargoedUntil"),
        zone_assumed=times.assumed,
        killed=pubstatus in _KILLED,
        provider=(infosources[0] if infosources else "")
        or _source(item)
        or by_organisation
        or notice.holder,
        slugline=item.text("slugline"),
        section=next((name for name, is_section in subjects if is_section and name), "")
        or next(iter(names_of(item.objects("service"), "name")), "")
        or next(iter(names_of(item.objects("anpa_category"), "name")), ""),
        keywords=keyword_list(
            [
                *(name for name, is_section in subjects if not is_section),
                *item.strings("keywords"),
                *names_of(item.objects("place"), "name"),
                *genres,
            ]
        ),
        located=item.text("located"),
        bylines=bylines,
        notice=notice,
        territories=notice.territories,
        original=original if isinstance(original, str) else json.dumps(original, indent=2),
        pictures=_pictures(item),
    )


# The rendition to take of a picture association, by name, best first; else the widest.
_RENDITIONS = ("original", "baseimage", "highres", "hires", "master", "print", "viewimage")


def _pictures(item: Fields) -> list[WirePicture]:
    """The picture associations, in the order the item gives them: a 1.x/2.x object of named
    associations, or a 3.x list of them with a `name` each. Other types (text, video) are not
    pictures. A malformed one is kept with its problem, reported and not stored; the story is.
    """
    raw = item.get("associations", kind_of=(dict, list))
    if raw is None:
        return []
    if isinstance(raw, dict):
        named = [(str(key), value, f"associations.{key}") for key, value in raw.items()]
    else:
        named = [
            (
                (value.get("name") if isinstance(value, dict) else "") or f"#{n + 1}",
                value,
                f"associations[{n}]",
            )
            for n, value in enumerate(raw)
        ]
    pictures = []
    for name, value, field in named:
        if not isinstance(value, dict):
            continue
        entry = Fields(value, label=item.label, prefix=field)
        try:
            if entry.text("type").lower() not in ("picture", "image", "photo"):
                continue
            pictures.append(_picture(entry, name=name))
        except ParseError as error:
            pictures.append(
                WirePicture(
                    guid=_guid_of(value), name=name, href="", field=field, problem=str(error)
                )
            )
    return pictures


def _picture(entry: Fields, *, name: str) -> WirePicture:
    renditions = entry.get("renditions", kind_of=(dict, list))
    found: list[tuple[str, Fields]] = []
    if isinstance(renditions, dict):
        for key, value in renditions.items():
            if isinstance(value, dict):
                found.append(
                    (str(key), Fields(value, label="", prefix=entry.field(f"renditions.{key}")))
                )
    else:
        for rendition in entry.objects("renditions"):
            found.append((rendition.text("name", "rel"), rendition))
    found = [(key, r) for key, r in found if r.text("href")]
    if not found:
        raise ParseError(
            "a picture association with no rendition that has an href: no file to store",
            item=entry.label,
            field=entry.field("renditions"),
        )

    def rank(pair: tuple[str, Fields]) -> tuple[bool, int, int]:
        key, rendition = pair
        named = key.lower().replace("_", "").replace("-", "")
        place = _RENDITIONS.index(named) if named in _RENDITIONS else len(_RENDITIONS)
        width = rendition.get("width", kind_of=(int, float, str)) or 0
        # A file sent with the item before one only linked to (nothing is fetched).
        return is_url(rendition.text("href")), place, -int(width) if str(width).isdigit() else 0

    chosen = min(found, key=rank)[1]
    holder = entry.text("copyrightholder", "copyrightHolder")
    notice_text = entry.text("copyrightnotice", "copyrightNotice")
    usage = " ".join(entry.strings("usageterms", "usageTerms"))
    return WirePicture(
        guid=entry.text("uri") or entry.text("guid"),
        name=name,
        href=chosen.text("href"),
        field=chosen.field("href"),
        title=entry.text("headline") or _with_role(entry, "headlines", "main"),
        caption=entry.text("description_text")
        or _with_role(entry, "descriptions", "caption")
        or entry.text("body_text"),
        notice=parse_notice(notice_text, holder=holder, usage_terms=usage),
        original=rights_statement(
            copyrightholder=holder, copyrightnotice=notice_text, usageterms=usage
        ),
    )


def _usage_terms(item: Fields) -> str:
    usage_terms = " ".join(item.strings("usageterms", "usageTerms"))
    rights_info = item.get("rightsinfo", "rightsInfo", kind_of=dict)
    if rights_info:
        # Machine-readable rights (ODRL and the like) are beyond us: shown to a person as terms.
        encoded = rights_info.get("encodedRights") or rights_info.get("encodedrights")
        linked = rights_info.get("linkedRights") or rights_info.get("linkedrights")
        statement = encoded or linked
        if statement:
            text = statement if isinstance(statement, str) else json.dumps(statement)
            usage_terms = " ".join(filter(None, [usage_terms, f"Rights expression: {text}"]))
    return usage_terms


def _bylines(item: Fields) -> tuple[list[ParsedByline], str]:
    """The people credited, and the organisation a byline names.

    Superdesk's `authors` carry roles and come first; its `byline` string ("By Jane Doe and
    John Roe") adds whoever the authors left out. ninjs `people` are the people a story is
    about, unless their rel says they made it.
    """
    bylines: list[ParsedByline] = []
    for author in item.objects("authors"):
        person = author.text("name")
        role = author.text("role").lower()
        mapped = _AUTHOR_ROLES.get(role) or _AUTHOR_ROLES.get(re.split(r"[:/#]", role)[-1])
        if person and (mapped or not role):
            bylines.append(ParsedByline(name=name_case(person), role=mapped or "writing"))
    statement = item.text("by", "byline")
    if "<" in statement:  # Superdesk bylines are sometimes marked up
        statement = plain(statement, label=item.label, field=item.present("by", "byline"))
    found, organisation = bylines_from_statement(statement) if statement else ([], "")
    named = {b.name.casefold() for b in bylines}
    bylines += [b for b in found if b.name.casefold() not in named]
    for entry in item.objects("people", "person"):
        role = entry.text("rel", "role")
        tail = re.split(r"[:/#]", role)[-1].lower()
        person = entry.text("name")
        if person and tail in PARTY_ROLES:
            bylines.append(ParsedByline(name=name_case(person), role=PARTY_ROLES[tail]))
    return bylines, organisation


def _source(item: Fields) -> str:
    """Superdesk's `source`: the agency that sent the item, a string or a coded object."""
    value = item.get("source", kind_of=(str, dict))
    if isinstance(value, dict):
        return Fields(value, label=item.label, prefix="source").text("name", "code")
    return (value or "").strip()


def _with_role(item: Fields, field: str, role: str) -> str:
    """Return the value with the given role from a 2.x/3.x list field, else the first value."""
    entries = item.objects(field)
    for entry in entries:
        if entry.text("role") == role:
            return entry.text("value")
    return entries[0].text("value") if entries else ""


def _body(item: Fields) -> str:
    """Return body HTML: an HTML body if there is one, else plain text made into paragraphs."""
    if item.text("body_html"):
        return inner_html(item.text("body_html"), label=item.label, field="body_html")
    entries = item.objects("bodies")
    for entry in entries:
        content_type = entry.text("contenttype", "contentType").lower()
        role = entry.text("role").lower()
        if "html" in content_type or (not content_type and "html" in role):
            value = entry.text("value")
            if value:
                return inner_html(value, label=item.label, field=entry.field("value"))
    plain_text = item.text("body_text")
    for entry in entries:
        content_type = entry.text("contenttype", "contentType").lower()
        if not plain_text and content_type in ("", "text/plain"):
            plain_text = entry.text("value")
    return paragraphs(plain_text)


def _plain_body(item: Fields, body_html: str) -> str:
    return plain(body_html, label=item.label, field="bodies")
