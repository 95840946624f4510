"""The photos a NewsML 1.2 story brings: the photo components of its own NewsItem, and a photo
NewsItem of the same file that its NewsManagement's AssociatedWith names (AFP's text-photo
profile). A photo is the component whose Role is Picture or Photo, or else the nearest one above
its renditions (Roles such as HighDef, Preview, Thumbnail); its file is the Href of its best
photo ContentItem (MediaType Photo, or an image MimeType), a file before a URL. Its rights are
the nearest RightsMetadata and CopyrightLine (read by `newsml1`), with the Copyright and
UsageTerms properties its DescriptiveMetadata gives. The guids NewsItems are known by, and name
each other by, are read here too.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from lxml import etree

from articles.ingest.bundle import is_url
from articles.ingest.parsed import WirePicture
from articles.ingest.xmlsafe import child, children, text_of
from articles.notices import Notice

# Reads the rights of a component path with more notice lines and usage terms: `_NewsItem._rights`.
Rights = Callable[
    [list[etree._Element], list[str], list[str]],
    tuple[Notice, datetime.datetime | None, datetime.datetime | None],
]

PICTURE_ROLES = {"picture", "photo", "image", "mainpicture", "main picture"}
# A photo's renditions, by the Role of their component, best first; else the widest.
RENDITIONS = ("highdef", "highres", "original", "main", "web", "preview", "quicklook", "thumbnail")
_NOTICE_PROPERTIES = {"copyright", "copyrightnotice"}
_TERMS_PROPERTIES = {"usageterms", "usagerights", "restrictions"}


def photos(
    component: etree._Element,
    path: list[etree._Element],
    *,
    rights: Rights,
    label: str,
    guid: str = "",
) -> list[WirePicture]:
    """The photos below `component` (whose path is `path`), in document order. `guid` names a
    photo NewsItem's single photo; others are named by their component's Euid or Duid."""
    groups: dict[int, tuple[list[etree._Element], list[tuple[etree._Element, str]]]] = {}
    for item, item_path in _content_items(component, path):
        if not _is_photo(item):
            continue
        photo_path, rendition = _photo_of(item_path)
        groups.setdefault(id(photo_path[-1]), (photo_path, []))[1].append((item, rendition))
    found = []
    for number, (photo_path, items) in enumerate(groups.values(), 1):
        own = photo_path[-1]
        name = own.get("Euid", "").strip() or own.get("Duid", "").strip() or f"photo-{number}"
        found.append(
            _photo(
                photo_path,
                items,
                rights=rights,
                guid=guid if len(groups) == 1 else "",
                name=name,
                label=guid or label,
            )
        )
    return found


def _photo(
    path: list[etree._Element],
    items: list[tuple[etree._Element, str]],
    *,
    rights: Rights,
    guid: str,
    name: str,
    label: str,
) -> WirePicture:
    field = "NewsComponent/ContentItem/@Href"
    linked = [(item, rendition) for item, rendition in items if item.get("Href", "").strip()]
    if not linked:
        problem = (
            f"item {label}, field {field}: the photo component ({name}) has no ContentItem with "
            "an Href: no file to store"
        )
        return WirePicture(guid=guid, name=name, href="", field=field, problem=problem)

    def rank(entry: tuple[etree._Element, str]) -> tuple[bool, int, int]:
        item, rendition = entry
        order = RENDITIONS.index(rendition) if rendition in RENDITIONS else len(RENDITIONS)
        width = next(
            (
                p.get("Value", "").strip()
                for p in _all(child(item, "Characteristics"), "Property")
                if p.get("FormalName", "").lower() == "width"
            ),
            "",
        )
        return is_url(item.get("Href", "")), order, -int(width) if width.isdigit() else 0

    chosen, _ = min(linked, key=rank)
    own = path[-1]
    properties = [
        p for component in path for p in _all(child(component, "DescriptiveMetadata"), "Property")
    ]
    lines = [_value(p) for p in properties if _formal(p).lower() in _NOTICE_PROPERTIES]
    terms = [_value(p) for p in properties if _formal(p).lower() in _TERMS_PROPERTIES]
    notice, start, end = rights(path, lines, terms)
    statement = [_nearest(path, "RightsMetadata", keep=len), *properties]
    creators = _all(child(own, "AdministrativeMetadata", "Creator"), "Party")
    captions = [
        text_of(child(sub, "ContentItem", "DataContent"))
        for sub in own.iter("{*}NewsComponent")
        if _role(sub) in ("caption", "description")
    ]
    return WirePicture(
        guid=guid,
        name=name,
        href=chosen.get("Href", "").strip(),
        field=field,
        title=text_of(child(own, "NewsLines", "HeadLine")),
        caption=next(filter(None, captions), ""),
        notice=notice,
        rights_start=start,
        rights_expire_at=end,
        credit=text_of(_nearest(path, "NewsLines", "CreditLine")),
        creators=[_formal(p) for p in creators if _formal(p)],
        provider=_formal(
            _nearest(path, "AdministrativeMetadata", "Provider", "Party", keep=_formal)
        ),
        original="\n".join(
            etree.tostring(e, encoding="unicode", with_tail=False).strip()
            for e in statement
            if e is not None
        ),
    )


def _content_items(
    component: etree._Element, path: list[etree._Element]
) -> list[tuple[etree._Element, list[etree._Element]]]:
    found = [(item, path) for item in children(component, "ContentItem")]
    for sub in children(component, "NewsComponent"):
        found += _content_items(sub, [*path, sub])
    return found


def _is_photo(item: etree._Element) -> bool:
    media = _formal(child(item, "MediaType")).lower()
    if media:
        return media in ("photo", "picture", "image")
    return _formal(child(item, "MimeType")).lower().startswith("image/")


def _photo_of(path: list[etree._Element]) -> tuple[list[etree._Element], str]:
    """The path of the photo a ContentItem at `path` is a rendition of, and that rendition's
    name: the nearest component whose Role is a picture's, else the nearest not a rendition."""
    rendition = next((_role(c) for c in reversed(path) if _role(c)), "")
    for depth in range(len(path), 0, -1):
        if _role(path[depth - 1]) in PICTURE_ROLES:
            return path[:depth], rendition
    for depth in range(len(path), 0, -1):
        role = _role(path[depth - 1])
        if role not in RENDITIONS and role not in PICTURE_ROLES:
            return path[:depth], rendition
    return path[:1], rendition


def _nearest(path: list[etree._Element], *steps: str, keep=text_of) -> etree._Element | None:
    """The element at `steps` of the nearest component (the deepest first) whose one is worth
    keeping (by default: has text)."""
    for component in reversed(path):
        found = child(component, *steps)
        if found is not None and keep(found):
            return found
    return None


def _all(element: etree._Element | None, name: str) -> list[etree._Element]:
    return children(element, name) if element is not None else []


def _role(component: etree._Element) -> str:
    return _formal(child(component, "Role")).lower()


def _formal(element: etree._Element | None) -> str:
    return element.get("FormalName", "").strip() if element is not None else ""


def _value(prop: etree._Element) -> str:
    return prop.get("Value", "").strip() or text_of(prop)


def guid_of(identifier: etree._Element | None) -> str:
    """The PublicIdentifier without the revision it ends in, so that every revision of the item
    shares its guid; urn:newsml:ProviderId:DateId:NewsItemId where it names no NewsItemId (Belga
    sends "urn:newsml:www.belga.be" for every item) or there is none."""
    if identifier is None:
        return ""
    provider, date, number = (
        text_of(child(identifier, n)) for n in ("ProviderId", "DateId", "NewsItemId")
    )
    public = text_of(child(identifier, "PublicIdentifier"))
    built = f"urn:newsml:{provider}:{date}:{number}" if provider and number else ""
    if built and public.casefold().startswith(built.casefold()):
        return public[: len(built)]
    if public and (not number or number in public):
        revision = text_of(child(identifier, "RevisionId"))
        if revision:
            public = re.sub(rf":{re.escape(revision)}[NAU]?$", "", public)
        return public
    return built


def associated(news_item: etree._Element) -> list[str]:
    """The guids of the NewsItems its NewsManagement's AssociatedWith names."""
    management = child(news_item, "NewsManagement")
    links = children(management, "AssociatedWith") if management is not None else []
    return [ref for link in links if (ref := _guid_of_ref(link.get("NewsItem", "")))]


def _guid_of_ref(ref: str) -> str:
    """A PublicIdentifier as a guid: without the revision it may end in."""
    return re.sub(r":\d+$", "", ref.strip()) if ref.strip().count(":") > 4 else ref.strip()
