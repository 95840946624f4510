"""Page metadata: JSON-LD in the schema.org vocabulary, Open Graph, canonical links and robots."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from articles.models import Byline, Person, Section, Source
from articles.pages.metadata import ld_json_script, rfc850
from tests.factories import AA_NOTICE, ld_json

VOCABULARY = (
    Path(__file__).parent.parent / "conformance" / "schemaorg" / "schemaorg-current-https.jsonld"
)


def _ids(value) -> list[str]:
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [v["@id"].removeprefix("schema:") for v in values]


class Vocabulary:
    """Classes with their ancestors, and properties with the classes they apply to."""

    def __init__(self, graph: list[dict]):
        self.parents: dict[str, list[str]] = {}
        self.domains: dict[str, set[str]] = {}
        for node in graph:
            name = node["@id"].removeprefix("schema:")
            kinds = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
            if "rdfs:Class" in kinds:
                self.parents[name] = _ids(node.get("rdfs:subClassOf"))
            if "rdf:Property" in kinds:
                self.domains[name] = set(_ids(node.get("schema:domainIncludes")))

    def ancestry(self, name: str) -> set[str]:
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.parents.get(current, []))
        return seen

    def problems(self, node: dict, path: str = "$") -> list[str]:
        """Everything in `node` that is not a schema.org type, or a property its type lacks."""
        found = []
        kind = node.get("@type")
        if kind not in self.parents:
            return [f"{path}: unknown type {kind!r}"]
        for key, value in node.items():
            if key.startswith("@") or "://" in key:
                continue  # a keyword, or a term of another vocabulary named by its full IRI
            if key not in self.domains:
                found.append(f"{path}.{key}: not a schema.org property")
            elif not self.domains[key] & self.ancestry(kind):
                found.append(f"{path}.{key}: not a property of {kind}")
            for i, item in enumerate(value if isinstance(value, list) else [value]):
                if isinstance(item, dict):
                    found.extend(self.problems(item, f"{path}.{key}[{i}]"))
        return found


@pytest.fixture(scope="session")
def vocabulary() -> Vocabulary:
    return Vocabulary(json.loads(VOCABULARY.read_text())["@graph"])


@pytest.fixture
def agency_story(make_article, make_source, now):
    source = make_source("Anadolu Agency", credit_line="Anadolu Agency")
    section = Section.objects.create(name="World", slug="world")
    article = make_article(
        source=source,
        section=section,
        headline="Ferry services resume across the Bosphorus",
        standfirst="Commuters return to the water after three days of storms.",
        dateline="ISTANBUL",
        copyright_holder="Anadolu Agency",
        copyright_year=2022,
        copyright_notice=AA_NOTICE,
        rights_expire_at=now + datetime.timedelta(days=30),
        keywords=["ferries", "transport, public"],
    )
    for order, (name, role) in enumerate(
        [
            ("Erdogan Cagatay Zontur", Byline.Role.WRITING),
            ("Ayse Kaya", Byline.Role.REPORTING),
            ("Jane Editor", Byline.Role.EDITING),
        ]
    ):
        person = Person.objects.create(name=name, slug=name.lower().replace(" ", "-"))
        Byline.objects.create(article=article, person=person, role=role, order=order)
    return article


def test_the_article_json_ld_uses_only_schema_org_types_and_properties(
    client, agency_story, vocabulary
):
    data = ld_json(client.get(agency_story.get_absolute_url()).content.decode())

    assert vocabulary.problems(data) == []


def test_the_vocabulary_check_catches_made_up_types_and_misplaced_properties(vocabulary):
    assert vocabulary.problems({"@type": "NewsStory"}) == ["$: unknown type 'NewsStory'"]
    assert vocabulary.problems({"@type": "Person", "headline": "x"}) == [
        "$.headline: not a property of Person"
    ]
    assert vocabulary.problems({"@type": "NewsArticle", "byline": "x"}) == [
        "$.byline: not a schema.org property"
    ]


def test_the_article_json_ld_describes_the_story_and_its_rights(client, agency_story):
    data = ld_json(client.get(agency_story.get_absolute_url()).content.decode())

    url = "http://testserver" + agency_story.get_absolute_url()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == agency_story.headline
    assert data["url"] == data["mainEntityOfPage"] == url
    published = datetime.datetime.fromisoformat(data["datePublished"])
    assert published == agency_story.published_at.replace(microsecond=0)
    assert data["dateModified"] >= data["datePublished"]
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Erdogan Cagatay Zontur",
            "url": "http://testserver/people/erdogan-cagatay-zontur/",
        },
        {"@type": "Person", "name": "Ayse Kaya", "url": "http://testserver/people/ayse-kaya/"},
    ]
    assert data["editor"][0]["name"] == "Jane Editor"
    assert data["publisher"] == {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": "http://testserver/",
    }
    assert data["copyrightHolder"] == {"@type": "Organization", "name": "Anadolu Agency"}
    assert data["copyrightYear"] == 2022
    assert data["copyrightNotice"] == agency_story.copyright_notice
    assert data["creditText"] == (
        "Writing by Erdogan Cagatay Zontur; Reporting by Ayse Kaya; Editing by Jane Editor"
        " / Anadolu Agency"
    )
    assert data["isAccessibleForFree"] is True
    assert data["dateline"] == "ISTANBUL"
    assert data["articleSection"] == "World"
    assert data["keywords"] == ["ferries", "transport, public"]
    assert "license" not in data


def test_a_creative_commons_story_names_its_licence(client, make_article, make_source, vocabulary):
    article = make_article(
        source=make_source("Global Voices", kind=Source.Kind.PARTNER),
        copyright_notice="This work is licensed under a Creative Commons Attribution 4.0 licence.",
    )

    data = ld_json(client.get(article.get_absolute_url()).content.decode())

    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert vocabulary.problems(data) == []


def test_json_ld_cannot_close_its_script_element(client, make_article):
    article = make_article(headline="</script><script>alert('x')</script> & <!-- more")

    content = client.get(article.get_absolute_url()).content.decode()

    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    assert "<" not in block.group(1) and ">" not in block.group(1) and "&" not in block.group(1)
    assert ld_json(content)["headline"] == article.headline


def test_ld_json_script_escapes_as_json_script_does():
    assert str(ld_json_script({"a": "<b>&</b>"})) == (
        '<script type="application/ld+json">{"a": "\\u003Cb\\u003E\\u0026\\u003C/b\\u003E"}'
        "</script>"
    )


def test_the_article_has_open_graph_tags_and_a_canonical_link(client, agency_story):
    content = client.get(agency_story.get_absolute_url()).content.decode()

    url = "http://testserver" + agency_story.get_absolute_url()
    assert f'<link rel="canonical" href="{url}">' in content
    assert '<meta property="og:type" content="article">' in content
    assert f'<meta property="og:title" content="{agency_story.headline}">' in content
    assert f'<meta property="og:url" content="{url}">' in content
    assert f'<meta property="og:site_name" content="{settings.SITE_NAME}">' in content
    assert '<meta property="og:description" content="Commuters return' in content
    assert '<meta property="article:section" content="World">' in content
    assert '<meta property="article:tag" content="transport, public">' in content


def test_rfc850_dates_are_written_in_english_in_gmt():
    moment = datetime.datetime(1994, 11, 6, 8, 49, 37, tzinfo=datetime.UTC)

    assert rfc850(moment) == "Sunday, 06-Nov-94 08:49:37 GMT"


def test_expiring_rights_tell_crawlers_when_the_page_becomes_unavailable(client, agency_story):
    response = client.get(agency_story.get_absolute_url())

    directive = f"unavailable_after: {rfc850(agency_story.rights_expire_at)}"
    assert response.headers["X-Robots-Tag"] == directive
    assert f'<meta name="robots" content="{directive}">' in response.content.decode()


def test_a_no_archive_story_says_noarchive_in_the_page_and_the_header(client, make_article, now):
    article = make_article(no_archive=True, rights_expire_at=now + datetime.timedelta(hours=3))

    response = client.get(article.get_absolute_url())

    expected = f"noarchive, unavailable_after: {rfc850(article.rights_expire_at)}"
    assert response.headers["X-Robots-Tag"] == expected
    assert f'<meta name="robots" content="{expected}">' in response.content.decode()


def test_a_story_without_limits_has_no_robots_directives(client, make_article):
    response = client.get(make_article().get_absolute_url())

    assert "X-Robots-Tag" not in response.headers
    assert 'name="robots"' not in response.content.decode()


def test_refusal_pages_carry_no_metadata_of_the_story(client, agency_story):
    agency_story.may_publish = False
    agency_story.save()

    response = client.get(agency_story.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 451
    assert "application/ld+json" not in content
    assert "og:" not in content
    assert "X-Robots-Tag" not in response.headers


def test_every_page_advertises_the_feeds_it_can_reverse(client, make_article):
    from django.urls import NoReverseMatch, reverse

    content = client.get(reverse("articles:front")).content.decode()

    for name, kind in [("syndication:rss", "rss"), ("syndication:atom", "atom")]:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        assert f'type="application/{kind}+xml"' in content
        assert f'href="{url}"' in content


def test_the_lead_pictures_image_object_uses_only_schema_org_types_and_properties(
    client, agency_story, vocabulary, settings, tmp_path
):
    from tests.pictures.files import stored_picture

    settings.MEDIA_ROOT = tmp_path / "media"
    picture = stored_picture(
        agency_story.source,
        caption="Ferries at the quay.",
        creators=["Ayse Kaya"],
        copyright_year=2022,
        web_statement="https://example.com/licensing",
        copyright_notice=AA_NOTICE,
    )
    agency_story.lead_picture = picture
    agency_story.save()

    data = ld_json(client.get(agency_story.get_absolute_url()).content.decode())

    assert data["image"]["@type"] == "ImageObject"
    assert vocabulary.problems(data) == []
