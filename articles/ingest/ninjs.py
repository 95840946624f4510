"""ninjs (IPTC News in JSON) 1.x, 2.x and 3.x: one item, or a list of items, per file."""

from __future__ import annotations

import datetime
import html
import json
import re
from typing import Any

import lxml.html
from lxml import etree

from articles.ingest.parsed import ParsedByline, ParsedItem, ParseError, keyword_list
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


class _Item:
    """One ninjs object, read field by field under either spelling, with typed errors."""

    def __init__(self, data: Any, *, index: int, many: bool):
        self.label = f"#{index + 1}" if many else ""
        if not isinstance(data, dict):
            raise ParseError(
                f"expected a ninjs object, got {_kind(data)}", item=self.label or "the file"
            )
        self.data = data
        uri = data.get("uri")
        if isinstance(uri, str) and uri.strip():
            self.label = f"{self.label} {uri.strip()}".strip()

    def get(self, *names: str, kind: type | tuple[type, ...] = str) -> Any:
        """Return the first of `names` present, checking its type; None when none is present."""
        for name in names:
            value = self.data.get(name)
            if value is None:
                continue
            if not isinstance(value, kind) or isinstance(value, bool):
                expected = {str: "a string", list: "a list", dict: "an object"}.get(
                    kind if isinstance(kind, type) else list, "a number or string"
                )
                raise ParseError(
                    f"expected {expected}, got {_kind(value)}", item=self.label, field=name
                )
            return value
        return None

    def text(self, *names: str) -> str:
        return (self.get(*names) or "").strip()

    def objects(self, *names: str) -> list[tuple[str, dict]]:
        """Return a list field's objects with their field names for errors."""
        field = next((n for n in names if self.data.get(n) is not None), names[0])
        values = self.get(*names, kind=list) or []
        for position, value in enumerate(values):
            if not isinstance(value, dict):
                raise ParseError(
                    f"expected a list of objects, item {position + 1} is {_kind(value)}",
                    item=self.label,
                    field=field,
                )
        return [(f"{field}[{p}]", v) for p, v in enumerate(values)]

    def value(self, entry: tuple[str, dict], *names: str) -> str:
        field, obj = entry
        for name in names:
            value = obj.get(name)
            if value is None:
                continue
            if not isinstance(value, str):
                raise ParseError(
                    f"expected a string, got {_kind(value)}",
                    item=self.label,
                    field=f"{field}.{name}",
                )
            return value.strip()
        return ""


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def parse(source: str, *, name: str = "", zone: datetime.tzinfo = UTC) -> list[ParsedItem]:
    """Read a ninjs file: one object, or a list of objects, each its own item; times that name
    no zone are read in `zone`."""
    try:
        data = json.loads(source)
    except json.JSONDecodeError as error:
        raise ParseError(
            f"not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}", item=name
        ) from None
    except RecursionError:
        raise ParseError("JSON nested too deeply to be a news item", item=name) from None
    if isinstance(data, list):
        if not data:
            raise ParseError("the file holds an empty list, not news items", item=name)
        return [
            _item(_Item(d, index=i, many=True), original=d, zone=zone) for i, d in enumerate(data)
        ]
    return [_item(_Item(data, index=0, many=False), original=source, zone=zone)]


def _item(item: _Item, *, original: Any, zone: datetime.tzinfo) -> ParsedItem:
    times = Times(zone, item=item.label)
    headline = item.text("headline") or _with_role(item, "headlines", "main")
    body_html = _body(item)
    standfirst = item.text("description_text") or _with_role(item, "descriptions", "summary")
    if not headline and not body_html:
        raise ParseError(
            "the item has neither a headline nor a body", item=item.label, field="headline"
        )
    working = False
    if not headline:
        headline, working = first_sentence(_plain(body_html, label=item.label)), True

    body_html, body_notices = _without_notices(body_html, label=item.label)
    holder = item.text("copyrightholder", "copyrightHolder")
    usage_terms = item.text("usageterms", "usageTerms")
    rights_info = item.get("rightsinfo", "rightsInfo", kind=dict)
    if rights_info:
        # Machine-readable rights (ODRL and the like) are beyond us: shown to a person as terms.
        encoded = rights_info.get("encodedRights") or rights_info.get("encodedrights")
        linked = rights_info.get("linkedRights") or rights_info.get("linkedrights")
        statement = encoded or linked
        if statement:
            text = statement if isinstance(statement, str) else json.dumps(statement)
            usage_terms = " ".join(filter(None, [usage_terms, f"Rights expression: {text}"]))
    notice = parse_notice(
        [item.text("copyrightnotice", "copyrightNotice"), *body_notices],
        holder=holder,
        usage_terms=usage_terms,
    )

    by = item.text("by")
    bylines, by_organisation = bylines_from_statement(by) if by else ([], "")
    for entry in item.objects("people", "person"):
        role = item.value(entry, "rel", "role")
        tail = re.split(r"[:/#]", role)[-1].lower()
        person = item.value(entry, "name")
        # ninjs `people` are the people a story is about, unless their rel says they made it.
        if person and tail in PARTY_ROLES:
            bylines.append(ParsedByline(name=name_case(person), role=PARTY_ROLES[tail]))

    version = item.get("version", kind=(str, int))
    if version is not None and not str(version).strip().isdigit():
        raise ParseError(
            f"expected a whole number, got {version!r}", item=item.label, field="version"
        )
    pubstatus = item.text("pubstatus", "pubStatus").lower()
    sources = item.objects("infosources", "infoSources", "infosource")
    # Subjects are what the story is about: keywords. Only one whose rel says it is the section
    # (as our own API writes it) names a section; a section for each subject made thousands.
    subjects = [
        (item.value(s, "name"), re.split(r"[:/#]", item.value(s, "rel"))[-1].lower() == "section")
        for s in item.objects("subjects", "subject")
    ]
    return ParsedItem(
        format="ninjs",
        guid=item.text("uri"),
        headline=" ".join(headline.split()),
        headline_is_working=working,
        body_html=body_html,
        standfirst=standfirst,
        language=item.text("language"),
        version=int(version) if version is not None else None,
        version_created=_time(item, times, "versioncreated", "versionCreated"),
        embargo_until=_time(item, times, "embargoed", "embargoedUntil"),
        zone_assumed=times.assumed,
        killed=pubstatus in _KILLED,
        provider=(item.value(sources[0], "name") if sources else "")
        or by_organisation
        or notice.holder,
        slugline=item.text("slugline"),
        section=next((name for name, is_section in subjects if is_section and name), ""),
        keywords=keyword_list(name for name, is_section in subjects if not is_section),
        located=item.text("located"),
        bylines=bylines,
        notice=notice,
        territories=notice.territories,
        original=original if isinstance(original, str) else json.dumps(original, indent=2),
    )


def _with_role(item: _Item, field: str, role: str) -> str:
    """Return the value with the given role from a 2.x/3.x list field, else the first value."""
    entries = item.objects(field)
    for entry in entries:
        if item.value(entry, "role") == role:
            return item.value(entry, "value")
    return item.value(entries[0], "value") if entries else ""


def _body(item: _Item) -> str:
    """Return body HTML: an HTML body if there is one, else plain text made into paragraphs."""
    if item.text("body_html"):
        return _inner_html(item.text("body_html"), label=item.label)
    entries = item.objects("bodies")
    for entry in entries:
        content_type = item.value(entry, "contenttype", "contentType").lower()
        role = item.value(entry, "role").lower()
        if "html" in content_type or (not content_type and "html" in role):
            value = item.value(entry, "value")
            if value:
                return _inner_html(value, label=item.label)
    plain = item.text("body_text")
    for entry in entries:
        content_type = item.value(entry, "contenttype", "contentType").lower()
        if not plain and content_type in ("", "text/plain"):
            plain = item.value(entry, "value")
    return _paragraphs(plain)


def _paragraphs(text: str) -> str:
    separator = "\n\n" if "\n\n" in text.strip() else "\n"
    paragraphs = [" ".join(p.split()) for p in text.split(separator)]
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs if p)


def _inner_html(markup: str, *, label: str) -> str:
    """Return the content of an HTML body, without <html>, <head> or <body> around it."""
    if not re.search(r"<(?:html|head|body)[\s>]", markup, re.IGNORECASE):
        return markup.strip()
    body = _html(markup, lxml.html.document_fromstring, label=label).find("body")
    if body is None:
        return markup.strip()
    inner = html.escape(body.text or "", quote=False)
    inner += "".join(etree.tostring(c, encoding="unicode", method="html") for c in body)
    return inner.strip()


def _plain(markup: str, *, label: str) -> str:
    if not markup.strip():
        return ""
    return " ".join(_html(markup, _fragment, label=label).itertext())


def _without_notices(markup: str, *, label: str) -> tuple[str, list[str]]:
    """Take paragraphs that are copyright or usage notices out of body HTML."""
    if not markup.strip():
        return markup, []
    holder = _html(markup, _fragment, label=label)
    notices = []
    for paragraph in list(holder.iter("p")):
        words = " ".join(paragraph.text_content().split())
        if is_notice_line(words):
            notices.append(words)
            paragraph.drop_tree()
    if not notices:
        return markup, []
    inner = html.escape(holder.text or "", quote=False)
    inner += "".join(etree.tostring(c, encoding="unicode", method="html") for c in holder)
    return inner.strip(), notices


def _fragment(markup: str) -> etree._Element:
    return lxml.html.fragment_fromstring(markup, create_parent="div")


def _html(markup: str, read, *, label: str) -> etree._Element:
    try:
        return read(markup)
    except (etree.ParserError, ValueError) as error:
        raise ParseError(
            f"the body HTML cannot be read: {error}", item=label, field="bodies"
        ) from None


def _time(item: _Item, times: Times, *names: str):
    value = item.text(*names)
    if not value:
        return None
    return times.read(value, field=next(n for n in names if item.data.get(n) is not None))
