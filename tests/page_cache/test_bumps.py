"""Every write that changes what a public page may show moves the rights generation on, in its
own transaction, and the page kept before it is not served after: one test a path."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import generation, pins
from articles.models import Article, Byline, Licence, Person, Section, Source
from articles.rights import Right
from tests.factories import MERIDIAN_NOTICE

pytestmark = pytest.mark.django_db


def kept(client, url: str):
    """Ask for `url` until it is served from the cache; return that answer."""
    client.get(url)
    answer = client.get(url)
    assert answer["X-Page-Cache"] == "hit", url
    return answer


def after(client, url: str, *, before: int):
    """The answer to `url` after a write: the generation has moved, and the page is new."""
    assert generation.current() > before
    answer = client.get(url)
    assert answer.get("X-Page-Cache") != "hit"
    return answer


@pytest.fixture
def story(make_article):
    section = Section.objects.create(name="Harbour", slug="harbour")
    return make_article(headline="Harbour reopens", section=section)


@pytest.fixture
def licensed(make_source, make_licence, now):
    """Agency copy whose notice forbids publication, published under our licence."""
    source = make_source("Meridian Press Agency")
    licence = make_licence(source, Right.PUBLISH, Right.REDISTRIBUTE)
    article = Article(
        source=source,
        headline="Port strike ends",
        body="<p>The strike ended.</p>",
        status=Article.Status.PUBLISHED,
        published_at=now - datetime.timedelta(hours=1),
        copyright_notice=MERIDIAN_NOTICE,
    )
    article.derive_rights()
    article.save()
    return article, licence


def test_an_edit_saved(page_cache, client, story):
    before = kept(client, story.get_absolute_url())
    number = generation.current()
    story.headline = "Harbour reopens after a week"
    story.save()
    answer = after(client, story.get_absolute_url(), before=number)
    assert b"after a week" in answer.content and before.content != answer.content


def test_a_kill(page_cache, client, story, boss):
    kept(client, story.get_absolute_url())
    number = generation.current()
    story.kill(by=boss, reason="Legal")
    assert after(client, story.get_absolute_url(), before=number).status_code == 410


def test_a_withdrawal(page_cache, client, story, boss):
    kept(client, story.get_absolute_url())
    number = generation.current()
    story.withdraw(by=boss, reason="Wrong")
    assert after(client, story.get_absolute_url(), before=number).status_code == 410


def test_a_rights_change(page_cache, client, story, boss):
    kept(client, story.get_absolute_url())
    number = generation.current()
    story.set_rights(by=boss, reason="The agency called", may_publish=False)
    assert after(client, story.get_absolute_url(), before=number).status_code == 451


def test_an_embargo_set(page_cache, client, story):
    kept(client, story.get_absolute_url())
    number = generation.current()
    story.embargo_until = timezone.now() + datetime.timedelta(hours=2)
    story.save()
    assert after(client, story.get_absolute_url(), before=number).status_code == 404


def test_a_delete(page_cache, client, story):
    Byline.objects.create(article=story, person=Person.objects.create(name="Ada", slug="ada"))
    kept(client, story.get_absolute_url())
    number = generation.current()
    story.delete()
    assert after(client, story.get_absolute_url(), before=number).status_code == 404


def test_a_bulk_update(page_cache, client, story):
    kept(client, story.get_absolute_url())
    number = generation.current()
    assert Article.objects.filter(pk=story.pk).update(status=Article.Status.WITHDRAWN) == 1
    assert after(client, story.get_absolute_url(), before=number).status_code == 410


def test_a_bulk_create(page_cache, client, story):
    kept(client, reverse("articles:front"))
    number = generation.current()
    Article.objects.bulk_create(
        [
            Article(
                guid="urn:bulk:1",
                slug="bulk-story",
                headline="A story made in bulk",
                source=story.source,
                status=Article.Status.PUBLISHED,
                published_at=timezone.now(),
                rights_settled=True,
                may_publish=True,
            )
        ]
    )
    assert b"A story made in bulk" in after(client, "/", before=number).content


def test_a_licence_change(page_cache, client, licensed):
    article, licence = licensed
    assert kept(client, article.get_absolute_url()).status_code == 200
    number = generation.current()
    licence.grants_publish = False
    licence.save()
    assert after(client, article.get_absolute_url(), before=number).status_code == 451


def test_a_licence_bulk_update(page_cache, client, licensed):
    article, licence = licensed
    kept(client, article.get_absolute_url())
    number = generation.current()
    Licence.objects.filter(pk=licence.pk).update(notes="Renewed")
    after(client, article.get_absolute_url(), before=number)


def test_a_source_suspended(page_cache, client, story):
    kept(client, story.get_absolute_url())
    number = generation.current()
    story.source.suspended = True
    story.source.save()
    assert after(client, story.get_absolute_url(), before=number).status_code == 451


def test_a_source_suspended_in_bulk(page_cache, client, story):
    kept(client, story.get_absolute_url())
    number = generation.current()
    Source.objects.filter(pk=story.source_id).update(suspended=True)
    assert after(client, story.get_absolute_url(), before=number).status_code == 451


def test_a_byline_added_and_removed(page_cache, client, story):
    kept(client, story.get_absolute_url())
    number = generation.current()
    byline = Byline.objects.create(
        article=story, person=Person.objects.create(name="Grace Reporter", slug="grace")
    )
    assert b"Grace Reporter" in after(client, story.get_absolute_url(), before=number).content
    kept(client, story.get_absolute_url())
    number = generation.current()
    byline.delete()
    assert b"Grace Reporter" not in after(client, story.get_absolute_url(), before=number).content


def test_bylines_made_in_bulk(page_cache, client, story):
    person = Person.objects.create(name="Linus Bulk", slug="linus")
    kept(client, story.get_absolute_url())
    number = generation.current()
    Byline.objects.bulk_create([Byline(article=story, person=person)])
    assert b"Linus Bulk" in after(client, story.get_absolute_url(), before=number).content


def test_a_person_renamed(page_cache, client, story):
    person = Person.objects.create(name="Ada Writer", slug="ada")
    Byline.objects.create(article=story, person=person)
    kept(client, story.get_absolute_url())
    number = generation.current()
    person.name = "Ada Lovelace"
    person.save()
    assert b"Ada Lovelace" in after(client, story.get_absolute_url(), before=number).content


def test_a_section_renamed(page_cache, client, story):
    url = reverse("articles:section", args=["harbour"])
    kept(client, url)
    number = generation.current()
    Section.objects.filter(slug="harbour").update(name="Port and harbour")
    assert b"Port and harbour" in after(client, url, before=number).content


def test_a_pin_and_an_unpin(page_cache, client, story, make_article, boss):
    make_article(headline="A newer story")  # the lead, until the pin
    kept(client, "/")
    number = generation.current()
    pins.pin(story, position=1, until=timezone.now() + datetime.timedelta(hours=1), by=boss)
    after(client, "/", before=number)
    kept(client, "/")
    number = generation.current()
    assert pins.unpin(story, by=boss)
    after(client, "/", before=number)


def test_an_ingest(page_cache, client, story, tmp_path):
    copy = tmp_path / "festival.txt"
    copy.write_text(
        "Film festival names opening night picture\n\nVENICE - Organisers of the winter film "
        "festival named a debut feature as its opening night picture on Tuesday.\n"
    )
    kept(client, "/")
    number = generation.current()
    call_command("ingest", "--publish", "--source", story.source.slug, str(copy), stdout=None)
    assert b"Film festival names opening night picture" in after(client, "/", before=number).content


def test_a_write_rolled_back_leaves_the_generation_and_the_kept_page(page_cache, client, story):
    kept(client, story.get_absolute_url())
    number = generation.current()

    def failing_edit():
        with transaction.atomic():
            story.headline = "Never happened"
            story.save()
            raise RuntimeError("the write failed")

    with pytest.raises(RuntimeError):
        failing_edit()
    assert generation.current() == number
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"


def test_every_writer_locks_the_generation_before_the_row_it_writes(story, boss):
    """The first write of a kill is the generation's: two writers never hold each other's."""
    with CaptureQueriesContext(connection) as captured:
        story.kill(by=boss, reason="Legal")
    writes = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith(("UPDATE", "INSERT", "DELETE")) or "FOR UPDATE" in q["sql"]
    ]
    assert "articles_rightsgeneration" in writes[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_outside_any_transaction_bumps_once_it_has_committed(make_article):
    story = make_article()
    number = generation.current()
    assert connection.get_autocommit()
    story.headline = "Saved in autocommit"
    story.save()
    assert generation.current() == number + 1
