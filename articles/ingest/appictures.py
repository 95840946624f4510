"""The pictures an AP Media API story brings: its `associations` of `type` "picture". AP names
each by its item id and headline; the picture's file and rights are in its own item (`type`
"picture", with `renditions` `main`, `preview` and `thumbnail`), which a feed page or a saved
list may hold beside the story. The association's own renditions are read where it carries
them, else those of the picture item of the same file; an association whose item is not in the
file is only named (reported as skipped: nothing is fetched).
"""

from __future__ import annotations

from articles.ingest.bundle import is_url
from articles.ingest.jsonfields import Fields, rights_statement
from articles.ingest.parsed import ParseError, WirePicture
from articles.ingest.text import name_case
from articles.notices import parse_notice

PICTURE_TYPES = ("picture", "photo", "image")
# The rendition to take, by its key, best first; else the widest.
RENDITIONS = ("main", "preview", "thumbnail")


def is_picture(item: Fields) -> bool:
    return item.text("type").lower() in PICTURE_TYPES


def pictures(item: Fields, *, guid_of, in_file: dict[str, Fields]) -> list[WirePicture]:
    """The picture associations of `item`, in AP's order (`associationrank`, else their keys).
    `in_file` holds the picture items of the same file by guid; `guid_of` reads a guid."""
    raw = item.get("associations", kind_of=(dict, list))
    if not raw:
        return []
    named = (
        [(str(key), value, f"associations.{key}") for key, value in raw.items()]
        if isinstance(raw, dict)
        else [(f"#{n + 1}", value, f"associations[{n}]") for n, value in enumerate(raw)]
    )
    entries = [
        (name, Fields(value, label=item.label, prefix=field))
        for name, value, field in named
        if isinstance(value, dict)
    ]

    def rank(pair: tuple[str, Fields]) -> tuple[int, int, str]:
        order = pair[1].get("associationrank", kind_of=(int, str))
        number = int(order) if str(order).strip().isdigit() else 1_000_000
        return number, int(pair[0]) if pair[0].isdigit() else 1_000_000, pair[0]

    found = []
    for name, entry in sorted(entries, key=rank):
        try:
            if not is_picture(entry):
                continue
            guid = guid_of(entry)
            own = in_file.get(guid) if guid else None
            found.append(_picture(entry, own, guid=guid, name=name))
        except ParseError as error:
            found.append(
                WirePicture(guid="", name=name, href="", field=entry.prefix, problem=str(error))
            )
    return found


def _renditions(entry: Fields) -> list[tuple[str, Fields]]:
    renditions = entry.child("renditions")
    if renditions is None:
        return []
    found = []
    for key in renditions.data:
        rendition = renditions.child(key)
        kind = rendition.text("type").lower() if rendition else ""
        mime = rendition.text("mimetype").lower() if rendition else ""
        if rendition and rendition.text("href") and (kind in PICTURE_TYPES or "image/" in mime):
            found.append((str(key), rendition))
    return found


def _picture(entry: Fields, own: Fields | None, *, guid: str, name: str) -> WirePicture:
    """One picture, from the association and the picture item of the file (`own`), the item's
    own fields first."""
    source = own or entry
    found = _renditions(own) if own is not None else []
    found = found or _renditions(entry)
    headline = source.text("headline") or entry.text("headline")
    if not found:
        titled = f" (“{headline}”)" if headline else ""
        return WirePicture(
            guid=guid,
            name=name,
            href="",
            field=entry.field("renditions"),
            title=headline,
            problem=f"item {entry.label}, field {entry.prefix}: the picture {guid}{titled} is "
            "only named here: its file and rights are in its own item, which this file does not "
            "hold (ingest fetches nothing); send the picture item and its file with the story",
            only_named=True,
        )

    def rank(pair: tuple[str, Fields]) -> tuple[bool, int, int]:
        key, rendition = pair
        order = RENDITIONS.index(key.lower()) if key.lower() in RENDITIONS else len(RENDITIONS)
        width = rendition.get("width", kind_of=(int, str))
        return is_url(rendition.text("href")), order, -int(width) if str(width).isdigit() else 0

    chosen = min(found, key=rank)[1]
    holder = source.text("copyrightholder")
    notice_text = source.text("copyrightnotice")
    usage = " ".join(source.strings("usageterms"))
    creators = [p.text("name") for p in source.objects("photographer") if p.text("name")]
    creators += [b.text("by") for b in source.objects("bylines") if b.text("by")]
    if source.text("byline"):
        creators.append(source.text("byline"))
    return WirePicture(
        guid=guid,
        name=name,
        href=chosen.text("href"),
        field=chosen.field("href"),
        title=headline,
        caption=source.text("description_caption", "caption", "summary"),
        notice=parse_notice(notice_text, holder=holder, usage_terms=usage),
        credit=source.text("creditline"),
        creators=list(dict.fromkeys(name_case(c.removeprefix("By ").strip()) for c in creators)),
        provider=source.text("copyrightholder"),
        original=rights_statement(
            copyrightholder=holder, copyrightnotice=notice_text, usageterms=usage
        ),
    )
