"""Wire copy as agencies send it, where an earlier reading went wrong: list items marked "(c)",
licence statements before the copyright line, holders with notice words in them, and rights
windows and exclusions from the formats' own metadata."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from articles.ingest import parse
from articles.ingest.loader import Ingest
from articles.models import Article, Source
from articles.rights import Right, decide

UTC = datetime.UTC
pytestmark = pytest.mark.django_db

LIST_STORY = b"""Council sets out its plan

The council set out a three-point plan on Monday.

(a) the first point of the plan
(b) the second point of the plan
(c) the third point of the plan

Copyright 2030 Example Wire. All rights reserved.
"""

CC_STORY = (
    b"Reef survey finds recovery\n\nDivers found the reef recovering after two years.\n\n"
    b"This article is republished under a Creative Commons Attribution-NoDerivatives 4.0 "
    b"International licence (CC BY-ND 4.0). Copyright 2025 The Conversation.\n"
)


def nitf(*, rights: str = "", copyright: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<nitf><head><docdata><doc-id id-string="EX-1"/>{copyright}{rights}</docdata></head>
<body><body.head><hedline><hl1>Harbour reopens</hl1></hedline></body.head>
<body.content><p>The harbour reopened on Monday.</p></body.content></body></nitf>""".encode()


def newsml(rights_info: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:example:1" version="1">
{rights_info}
<contentMeta><headline>Harbour reopens</headline></contentMeta>
<contentSet><inlineData>The harbour reopened on Monday.</inlineData></contentSet>
</newsItem>""".encode()


def store(data: bytes, **options) -> Article:
    (report,) = Ingest(**options).data(data, name="item")
    assert report.status == "created", report.error
    return Article.objects.get(pk=report.id)


def test_a_list_item_marked_c_stays_in_the_body_and_the_real_holder_is_kept():
    (item,) = parse(LIST_STORY)
    assert "(c) the third point of the plan" in item.body_html
    assert item.notice.holder == "Example Wire"
    assert item.notice.text == "Copyright 2030 Example Wire. All rights reserved."


def test_a_licence_statement_before_the_copyright_line_leaves_the_body_and_grants_its_licence():
    (item,) = parse(CC_STORY)
    assert "Creative Commons" not in item.body_html
    assert item.notice.licence.code == "CC-BY-ND-4.0"
    assert item.notice.holder == "The Conversation"


def test_a_cc_by_nd_story_stored_under_a_source_may_be_published_but_not_rewritten():
    source = Source.objects.create(name="The Conversation", slug="conversation")
    article = store(CC_STORY, source=source)
    assert article.rights_settled
    assert article.may_publish and article.may_redistribute and article.may_broadcast
    assert not article.may_rewrite


def test_a_nitf_holder_with_all_rights_reserved_is_the_name_and_the_reservation():
    (item,) = parse(
        nitf(copyright='<doc.copyright holder="The Canadian Press. All rights reserved."/>')
    )
    assert item.notice.holder == "The Canadian Press"
    assert item.notice.all_rights_reserved


def test_the_nitf_rights_start_date_is_stored_and_keeps_the_item_hidden_until_then():
    rights = '<doc.rights owner="Example Wire" startdate="20300601T120000Z"/>'
    article = store(nitf(rights=rights), source=Source.objects.create(name="Wire", slug="wire"))
    opens = datetime.datetime(2030, 6, 1, 12, tzinfo=UTC)
    assert article.rights_start_at == opens
    assert article.terms.start_at == opens
    article.status, article.published_at = Article.Status.PUBLISHED, opens
    article.may_publish = article.rights_settled = True
    before = decide(article, Right.PUBLISH, at=opens - datetime.timedelta(seconds=1))
    assert "Its rights window opens at 2030-06-01 12:00 UTC." in before.reasons


def test_a_nitf_release_and_rights_start_without_a_timezone_are_read_in_the_source_zone():
    data = nitf(rights='<doc.rights startdate="20300601T120000"/>').replace(
        b"</docdata>", b'<date.release norm="20300601T090000"/></docdata>'
    )
    (item,) = parse(data, zone=ZoneInfo("Asia/Tokyo"))
    assert item.rights_start == datetime.datetime(2030, 6, 1, 3, tzinfo=UTC)
    assert item.embargo_until == datetime.datetime(2030, 6, 1, 0, tzinfo=UTC)
    assert sorted(item.zone_assumed) == ["date.release/@norm", "doc.rights/@startdate"]


def test_the_report_names_the_zone_that_zoneless_times_were_read_in():
    source = Source.objects.create(name="Wire", slug="wire")
    data = nitf(rights='<doc.rights owner="Example Wire" startdate="20300601T120000"/>')
    (report,) = Ingest(source=source, zone=ZoneInfo("Europe/Rome")).data(data, name="item.xml")
    assert report.status == "created", report.error
    assert report.zone == "Europe/Rome"
    assert report.zone_assumed == ["doc.rights/@startdate"]
    assert report.rights_start_at == "2030-06-01T10:00:00+00:00"
    zoned = nitf(rights='<doc.rights owner="Example Wire" startdate="20300601T120000Z"/>')
    (plain,) = Ingest(source=source).data(zoned.replace(b"EX-1", b"EX-2"), name="other.xml")
    assert (plain.zone, plain.zone_assumed) == ("", [])


def test_the_nitf_rights_owner_in_the_body_head_names_the_holder():
    data = nitf().replace(
        b"</hedline>", b"</hedline><rights><rights.owner>Agencia EFE</rights.owner></rights>"
    )
    (item,) = parse(data)
    assert item.notice.holder == "Agencia EFE"


def test_newsml_rights_validity_gives_the_window():
    (item,) = parse(
        newsml(
            '<rightsInfo validfrom="2030-06-01T12:00:00Z" validto="2030-07-01T00:00:00Z">'
            "<copyrightHolder><name>Example Wire</name></copyrightHolder>"
            "<copyrightNotice>Copyright 2030 Example Wire. All rights reserved.</copyrightNotice>"
            "</rightsInfo>"
        )
    )
    assert item.rights_start == datetime.datetime(2030, 6, 1, 12, tzinfo=UTC)
    assert item.rights_expire_at == datetime.datetime(2030, 7, 1, tzinfo=UTC)


def test_an_exclusion_in_the_notice_is_stored_as_excluded_territories():
    data = (
        b"Harbour reopens\n\nThe harbour reopened on Monday.\n\n"
        b"Copyright 2030 Example Wire. All rights reserved. Not for use in the UK or Ireland.\n"
    )
    article = store(data)
    assert article.excluded_territories == {"GB", "IE"}
    assert article.territories == frozenset()
    assert article.rights_settled
