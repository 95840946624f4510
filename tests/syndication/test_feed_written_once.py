"""The feeds are written into memory and handed to the response once, byte for byte as Django's
own generator writes them into it."""

import datetime

import pytest
from django.http import HttpResponse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from articles.syndication.feeds import PicturedAtom, RightsRss

PICTURE = {
    "url": "https://example.com/r/1.webp",
    "type": "image/webp",
    "width": 640,
    "height": 360,
    "title": "Flood barrier at dawn",
    "credit": "Ana Ruiz / Agence Fictive",
    "copyright": "© 2026 Agence Fictive",
}


class CountingOut:
    def __init__(self):
        self.writes: list = []

    def write(self, data):
        self.writes.append(data)


def filled(kind, *, picture=None):
    feed = kind(
        title="Latest · Newsroom & Co <all>",
        link="https://example.com/",
        description="Reporting, «quoted» and ünïcode",
        feed_copyright="© 2026 Newsroom",
    )
    for n, headline in enumerate(["Zürich talks", "Ciudad de México — 5 € more", 'Quotes "&" <b>']):
        feed.add_item(
            title=headline,
            link=f"https://example.com/news/{n}/",
            description=f"Summary {n} with a dash – and an emoji 🗞",
            unique_id=f"urn:x:{n}",
            pubdate=datetime.datetime(2026, 12, 1, 9, n, tzinfo=datetime.UTC),
            updateddate=datetime.datetime(2026, 12, 1, 10, n, tzinfo=datetime.UTC),
            categories=["News", "Économie"],
            item_copyright=f"© 2026 Agence {n}",
            picture=picture,
        )
    return feed


def django_bytes(feed, parent) -> bytes:
    """What Django's own writer puts into a response, with our elements added."""
    response = HttpResponse()
    parent.write(feed, response, "utf-8")
    return response.content


@pytest.mark.parametrize(
    ("kind", "parent"), [(RightsRss, Rss201rev2Feed), (PicturedAtom, Atom1Feed)]
)
@pytest.mark.parametrize("picture", [None, PICTURE])
def test_the_bytes_are_djangos_own(kind, parent, picture):
    feed = filled(kind, picture=picture)
    ours = HttpResponse()
    feed.write(ours, "utf-8")
    assert ours.content == django_bytes(feed, parent)
    assert ours.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n')
    assert "Zürich".encode() in ours.content


@pytest.mark.parametrize(
    ("kind", "parent"), [(RightsRss, Rss201rev2Feed), (PicturedAtom, Atom1Feed)]
)
def test_a_character_the_encoding_lacks_is_a_reference_as_in_djangos(kind, parent):
    feed = filled(kind)
    feed.items[0]["title"] = "Łódź"
    ours = HttpResponse()
    feed.write(ours, "latin-1")
    theirs = HttpResponse()
    parent.write(feed, theirs, "latin-1")
    assert ours.content == theirs.content
    assert b"&#321;\xf3d&#378;" in ours.content
    assert b'encoding="latin-1"' in ours.content


@pytest.mark.parametrize("kind", [RightsRss, PicturedAtom])
def test_the_response_is_written_once(kind):
    out = CountingOut()
    kind.write(filled(kind, picture=PICTURE), out, "utf-8")
    assert len(out.writes) == 1
    assert isinstance(out.writes[0], bytes)
