"""The wire corpus: agency files of every format we read, each with what a person reading it
sees in it (`wire_corpus.json`), and the reading of it that the parsers give.

`test_wire_corpus.py` checks every entry; run this module to print the table of files and items
read right, per format and per agency, that the README carries:

    .venv/bin/python -m tests.ingest.wire_corpus
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).parent
TESTS = HERE.parent
CORPUS = json.loads((HERE / "wire_corpus.json").read_text(encoding="utf-8"))


def path_of(entry: dict) -> Path:
    """Files are named from the tests folder: `ingest/fixtures/…` or `conformance/…`."""
    return TESTS / entry["file"]


def reading(entry: dict) -> dict:
    """What the parsers read in the entry's file, in the corpus's terms."""
    from articles.ingest import ParseError, UnreadItem, parse

    try:
        parsed = parse(path_of(entry).read_bytes(), name=Path(entry["file"]).name)
    except ParseError as error:
        return {"refused": str(error), "items": [], "unread": []}
    items = [item for item in parsed if not isinstance(item, UnreadItem)]
    return {
        "refused": None,
        "format": items[0].format if items else None,
        "items": [
            {
                "guid": item.guid,
                "headline": item.headline,
                "working": item.headline_is_working,
                "standfirst": item.standfirst,
                "dateline": item.dateline,
                "located": item.located,
                "language": item.language,
                "version": item.version,
                "provider": item.provider,
                "section": item.section,
                "keywords": item.keywords,
                "bylines": [byline.name for byline in item.bylines],
                "holder": item.notice.holder,
                "year": item.notice.year,
                "prohibited": sorted(item.notice.prohibited),
                "licence": item.notice.licence.code if item.notice.licence else None,
                "territories": sorted(item.territories),
                "excluded": sorted(item.notice.excluded_territories),
                "embargo_until": item.embargo_until.isoformat() if item.embargo_until else None,
                "rights_start": item.rights_start.isoformat() if item.rights_start else None,
                "rights_expire_at": (
                    item.rights_expire_at.isoformat() if item.rights_expire_at else None
                ),
                "killed": item.killed,
                "body_has": item.body_html,
            }
            for item in items
        ],
        "unread": [item.guid for item in parsed if isinstance(item, UnreadItem)],
    }


def mismatches(entry: dict, read: dict | None = None) -> list[str]:
    """What the reading gets wrong of the entry, one line each; an empty list when all is right.

    Only the keys the entry states are compared. `body_has` and `body_lacks` are phrases the
    body must and must not hold (a notice, a byline, a header that must leave it).
    """
    read = read or reading(entry)
    expected = entry["expected"]
    wrong = []
    if "refused" in expected:
        if not read["refused"] or expected["refused"].lower() not in read["refused"].lower():
            wrong.append(f"refusal: expected one saying {expected['refused']!r}, got {read}")
        return wrong
    if read["refused"]:
        return [f"refused: {read['refused']}"]
    if "format" in expected and read["format"] != expected["format"]:
        wrong.append(f"format: {read['format']!r} is not {expected['format']!r}")
    if sorted(read["unread"]) != sorted(expected.get("unread", [])):
        wrong.append(f"unread: {read['unread']} is not {expected.get('unread', [])}")
    items = expected.get("items", [])
    if len(read["items"]) != len(items):
        wrong.append(f"items: {len(read['items'])} read, {len(items)} expected")
    for n, (want, got) in enumerate(zip(items, read["items"], strict=False)):
        for key, value in want.items():
            if key == "body_has":
                wrong += [f"item {n} body lacks {p!r}" for p in value if p not in got[key]]
            elif key == "body_lacks":
                wrong += [f"item {n} body holds {p!r}" for p in value if p in got["body_has"]]
            elif got.get(key) != value:
                wrong.append(f"item {n} {key}: {got.get(key)!r} is not {value!r}")
    return wrong


def items_right(entry: dict) -> tuple[int, int]:
    """How many of the entry's items (read and reported unread) are read right, of how many.

    A wrong format, count or refusal makes every item wrong; otherwise an item is wrong when one
    of its own fields is.
    """
    expected = entry["expected"]
    total = len(expected.get("items", [])) + len(expected.get("unread", [])) or 1
    wrong = mismatches(entry)
    if any(not line.startswith("item ") for line in wrong):
        return 0, total
    return total - len({line.split()[1] for line in wrong}), total


def table() -> str:
    """The README's tables: files and items read right, per format and per agency."""
    formats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    agencies: dict[str, list] = defaultdict(lambda: [set(), 0, 0, 0, 0])
    for entry in CORPUS:
        right, total = items_right(entry)
        f = formats[entry["format"]]
        a = agencies[entry["agency"]]
        a[0].add(entry["format"])
        for row, offset in ((f, 0), (a, 1)):
            row[offset] += 1
            row[offset + 1] += right == total
            row[offset + 2] += total
            row[offset + 3] += right
    lines = ["| format | files read right | items read right |", "|---|---|---|"]
    for name, (files, files_ok, items, items_ok) in sorted(formats.items()):
        lines.append(f"| {name} | {files_ok} of {files} | {items_ok} of {items} |")
    lines += ["", "| agency | formats | files read right | items read right |", "|---|---|---|---|"]
    for name, (kinds, files, files_ok, items, items_ok) in sorted(
        agencies.items(), key=lambda kv: kv[0].casefold()
    ):
        kinds_text = ", ".join(sorted(kinds))
        lines.append(f"| {name} | {kinds_text} | {files_ok} of {files} | {items_ok} of {items} |")
    return "\n".join(lines)


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    django.setup()
    print(table())
    for entry in CORPUS:
        for line in mismatches(entry):
            print(f"{entry['file']}: {line}")
