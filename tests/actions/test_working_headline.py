"""Wire copy that came without a headline: the working headline made from its lead is ours, so an
editor may change it whatever the item's rewrite right, on every path, and it is written down.
The rest of such an item's text, and a headline the wire wrote, stay guarded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.audit import AuditEntry
from articles.errors import RewriteRefused
from articles.ingest.loader import Ingest, slug_base
from articles.models import SLUG_LENGTH, Article, article_slug
from articles.rights import Right, clearance
from tests.factories import MERIDIAN_NOTICE, form_data, member, ninjs_item

pytestmark = pytest.mark.django_db


def no_rewrite(make_article, make_source, **fields) -> Article:
    article = make_article(
        source=make_source("Meridian Press Agency"),
        headline="Dockworkers extended their strike on Monday",
        body="<p>Dockworkers extended their strike on Monday. Ships wait.</p>",
        status=Article.Status.DRAFT,
        published_at=None,
        may_rewrite=False,
        copyright_notice=MERIDIAN_NOTICE,
        rights_basis={"rewrite": "notice"},
        **fields,
    )
    assert not clearance(article, Right.REWRITE).allowed
    return article


@pytest.fixture
def working(make_article, make_source) -> Article:
    return no_rewrite(make_article, make_source, headline_is_working=True)


@pytest.fixture
def wire_headline(make_article, make_source) -> Article:
    return no_rewrite(make_article, make_source)


def entries(article: Article) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(article=article, action=AuditEntry.Action.HEADLINE))


# --- the model's save ---------------------------------------------------------------------------


def test_an_editor_may_change_a_working_headline_of_copy_we_may_not_rewrite(working):
    editor = member("Editor")
    working.headline = "Port strike enters second week"
    working._history_user = editor
    working.save()
    stored = Article.objects.get(pk=working.pk)
    assert stored.headline == "Port strike enters second week"
    assert stored.headline_is_working  # still ours once changed
    (entry,) = entries(working)
    assert entry.actor == editor
    assert entry.detail == {
        "headline": [
            "Dockworkers extended their strike on Monday",
            "Port strike enters second week",
        ]
    }


def test_the_wire_headline_of_copy_we_may_not_rewrite_still_may_not_change(wire_headline):
    wire_headline.headline = "Port strike enters second week"
    with pytest.raises(RewriteRefused) as refused:
        wire_headline.save()
    assert "The headline of this item cannot be changed" in refused.value.message
    stored = Article.objects.get(pk=wire_headline.pk)
    assert stored.headline == "Dockworkers extended their strike on Monday"
    assert entries(wire_headline) == []


@pytest.mark.parametrize(("field", "value"), [("standfirst", "Ours."), ("body", "<p>Ours.</p>")])
def test_the_rest_of_an_item_with_a_working_headline_stays_guarded(working, field, value):
    working.headline = "Port strike enters second week"
    setattr(working, field, value)
    with pytest.raises(RewriteRefused) as refused:
        working.save()
    assert f"The {field} of this item" in refused.value.message
    stored = Article.objects.get(pk=working.pk)
    assert stored.headline == "Dockworkers extended their strike on Monday"
    assert entries(working) == []


def test_a_wire_headline_cannot_be_claimed_as_a_working_one(wire_headline):
    wire_headline.headline_is_working = True
    with pytest.raises(RewriteRefused) as refused:
        wire_headline.save(update_fields=["headline_is_working"])
    assert "headline_is_working" in refused.value.message
    wire_headline.headline = "Port strike enters second week"
    with pytest.raises(RewriteRefused):
        wire_headline.save()  # claiming and changing it in one save
    stored = Article.objects.get(pk=wire_headline.pk)
    assert not stored.headline_is_working
    assert stored.headline == "Dockworkers extended their strike on Monday"


def test_text_we_may_rewrite_is_not_audited_as_a_working_headline(make_article):
    article = make_article(headline_is_working=True, status=Article.Status.DRAFT)
    article.headline = "Staff headline"
    article.save()
    assert Article.objects.get(pk=article.pk).headline == "Staff headline"
    assert entries(article) == []


def test_saving_an_unchanged_working_headline_writes_nothing_to_the_log(working):
    working.editor_note = "Checked."
    working.save()
    assert entries(working) == []


# --- the bulk paths -----------------------------------------------------------------------------


def test_a_bulk_update_may_change_working_headlines_and_each_change_is_recorded(
    working, make_article, make_source
):
    other = no_rewrite(make_article, make_source, headline_is_working=True)
    Article.objects.filter(pk__in=[working.pk, other.pk]).update(headline="Strike goes on")
    assert set(Article.objects.values_list("headline", flat=True)) == {"Strike goes on"}
    assert len(entries(working)) == 1 and len(entries(other)) == 1
    assert entries(working)[0].detail["headline"][1] == "Strike goes on"


def test_a_bulk_update_refuses_a_wire_headline_among_working_ones(working, wire_headline):
    with pytest.raises(RewriteRefused) as refused:
        Article.objects.filter(pk__in=[working.pk, wire_headline.pk]).update(headline="Same")
    assert f"(id {wire_headline.pk})" in refused.value.message
    assert f"(id {working.pk})" not in refused.value.message
    assert not Article.objects.filter(headline="Same").exists()
    assert entries(working) == []


def test_a_bulk_update_of_a_working_headline_and_the_body_is_refused(working):
    with pytest.raises(RewriteRefused):
        Article.objects.filter(pk=working.pk).update(headline="Ours", body="<p>Ours.</p>")
    assert Article.objects.get(pk=working.pk).headline != "Ours"


def test_a_bulk_update_cannot_claim_a_wire_headline(wire_headline):
    with pytest.raises(RewriteRefused) as refused:
        Article.objects.filter(pk=wire_headline.pk).update(headline_is_working=True)
    assert "headline_is_working" in refused.value.message
    assert not Article.objects.get(pk=wire_headline.pk).headline_is_working
    Article.objects.filter(pk=wire_headline.pk).update(headline_is_working=False)  # no claim


def test_bulk_update_follows_the_same_rule(working, wire_headline):
    working.headline = "Ours"
    Article.objects.bulk_update([working], ["headline"])
    assert Article.objects.get(pk=working.pk).headline == "Ours"
    assert len(entries(working)) == 1
    wire_headline.headline = "Ours too"
    with pytest.raises(RewriteRefused):
        Article.objects.bulk_update([wire_headline], ["headline"])


def test_an_upsert_follows_the_same_rule(working, wire_headline):
    def upsert(article, headline):
        copy = Article(**{f.attname: getattr(article, f.attname) for f in Article._meta.fields})
        copy.headline = headline
        Article.objects.bulk_create(
            [copy], update_conflicts=True, unique_fields=["guid"], update_fields=["headline"]
        )

    upsert(working, "Ours")
    assert Article.objects.get(pk=working.pk).headline == "Ours"
    assert len(entries(working)) == 1
    with pytest.raises(RewriteRefused):
        upsert(wire_headline, "Ours too")
    assert Article.objects.get(pk=wire_headline.pk).headline.startswith("Dockworkers")


# --- the desk's change form ---------------------------------------------------------------------


def test_the_change_form_lets_an_editor_change_a_working_headline(client, working):
    editor = member("Editor")
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[working.pk])
    data = form_data(client, url, "article_form")
    assert "headline" in data and "standfirst" not in data and "body" not in data
    assert "headline_is_working" not in data  # whether it is ours is not for the form to say
    page = client.get(url).content.decode()
    assert "The headline is a working one" in page
    data["headline"] = "Port strike enters second week"
    assert client.post(url, data).status_code == 302
    assert Article.objects.get(pk=working.pk).headline == "Port strike enters second week"
    (entry,) = entries(working)
    assert entry.actor == editor


def test_the_change_form_keeps_a_wire_headline_read_only(client, wire_headline):
    client.force_login(member("Editor"))
    url = reverse("admin:articles_article_change", args=[wire_headline.pk])
    data = form_data(client, url, "article_form")
    assert "headline" not in data
    data["headline"] = "Forged"
    data["headline_is_working"] = "on"
    client.post(url, data)
    stored = Article.objects.get(pk=wire_headline.pk)
    assert stored.headline != "Forged" and not stored.headline_is_working


# --- ingest: a newer wire version ---------------------------------------------------------------


def headless(**fields) -> bytes:
    defaults = {
        "uri": "urn:example:headless",
        "headline": None,
        "body_html": "<p>Dockworkers extended their strike on Monday. Ships wait at anchor.</p>",
    }
    return ninjs_item(**{**defaults, **fields})


def test_a_newer_wire_version_keeps_an_edited_working_headline_while_it_brings_none():
    (first,) = Ingest().data(headless(), name="v1.json")
    article = Article.objects.get(pk=first.id)
    assert article.headline_is_working and not clearance(article, Right.REWRITE).allowed
    article.headline = "Port strike enters second week"
    article.save()
    newer = headless(
        version="2", body_html="<p>Dockworkers extended their strike. Talks resume Friday.</p>"
    )
    (second,) = Ingest().data(newer, name="v2.json")
    assert second.status == "updated", second.error
    article.refresh_from_db()
    assert article.headline == "Port strike enters second week"
    assert article.headline_is_working
    assert "Talks resume Friday" in article.body


def test_a_newer_wire_version_with_a_headline_of_its_own_replaces_the_working_one():
    (first,) = Ingest().data(headless(), name="v1.json")
    article = Article.objects.get(pk=first.id)
    article.headline = "Port strike enters second week"
    article.save()
    (second,) = Ingest().data(headless(version="2", headline="Strike ends"), name="v2.json")
    assert second.status == "updated", second.error
    article.refresh_from_db()
    assert article.headline == "Strike ends" and not article.headline_is_working


def test_a_newer_wire_version_of_an_item_whose_body_was_edited_is_still_a_conflict():
    (first,) = Ingest().data(headless(), name="v1.json")
    article = Article.objects.get(pk=first.id)
    # An edit to the body can come only where the rewrite right allows it; grant it here.
    Article.objects.filter(pk=first.id).update(may_rewrite=True)
    article.refresh_from_db()
    article.body = "<p>Our own body.</p>"
    article.save()
    (second,) = Ingest().data(headless(version="2"), name="v2.json")
    assert second.status == "error" and "edited here" in second.error


# --- slugs: a working headline is a whole sentence, often long ---------------------------------

LONG = " ".join(["Dockworkers extended their strike on Monday"] * 7)[:300]


def test_a_300_character_headline_gives_a_slug_of_at_most_80_cut_between_words():
    assert len(LONG) == 300
    slug = slug_base(LONG)
    assert len(slug) <= SLUG_LENGTH == 80
    assert (
        slug == "dockworkers-extended-their-strike-on-monday-dockworkers-extended-their-strike-on"
    )
    assert LONG.lower().replace(" ", "-").startswith(slug + "-")  # whole words only


def test_a_headline_with_no_word_boundary_in_reach_is_cut_at_80():
    assert slug_base("x" * 300) == "x" * 80
    assert slug_base("Ab" + "c" * 100 + " end") == "ab" + "c" * 78


def test_a_short_headline_keeps_its_whole_slug():
    assert slug_base("Port strike enters second week") == "port-strike-enters-second-week"
    assert slug_base("¿?!") == "story"


def test_stored_slugs_stay_within_80_with_the_number_that_makes_them_unique(make_article):
    first = make_article(headline=LONG)
    second = make_article(headline=LONG)
    third = make_article(headline="y" * 300)
    fourth = make_article(headline="y" * 300)
    assert first.slug == slug_base(LONG)
    assert second.slug == article_slug(LONG, suffix="-2") and second.slug.endswith("-strike-2")
    assert (third.slug, fourth.slug) == ("y" * 80, "y" * 78 + "-2")
    assert all(len(a.slug) <= 80 for a in (first, second, third, fourth))


def test_ingest_stores_a_long_working_headline_under_a_short_slug():
    body = "<p>" + " ".join(["Dockworkers extended their strike on Monday"] * 5) + ".</p>"
    (report,) = Ingest().data(headless(body_html=body), name="long.json")
    article = Article.objects.get(pk=report.id)
    assert article.headline_is_working and len(article.headline) > 80
    assert len(article.slug) <= 80 and not article.slug.endswith("-")
    assert report.url.endswith(f"/{article.slug}/") or article.slug in report.url
