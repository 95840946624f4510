"""The rewrite right guards an item's text on every path; our own fields stay editable."""

from __future__ import annotations

import datetime

import pytest
from asgiref.sync import async_to_sync
from django.db.models import F
from django.utils import timezone

from articles.errors import RewriteRefused
from articles.models import Article
from articles.querysets import NAMED_IN_REFUSAL
from articles.rights import Right, clearance
from tests.factories import MERIDIAN_NOTICE


@pytest.fixture
def protected(make_article, make_source):
    return make_article(
        source=make_source("Meridian Press Agency"),
        headline="Port strike enters second week",
        standfirst="Ships wait at anchor.",
        body="<p>Dockworkers extended their strike.</p>",
        may_rewrite=False,
        copyright_notice=MERIDIAN_NOTICE,
        rights_basis={"rewrite": "notice"},
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("headline", "Our sharper headline"),
        ("standfirst", "Our own standfirst."),
        ("body", "<p>Our rewrite.</p>"),
    ],
)
def test_the_model_refuses_any_change_to_protected_text(protected, field, value):
    setattr(protected, field, value)
    with pytest.raises(RewriteRefused) as refused:
        protected.save()
    assert field in refused.value.message
    assert "notice forbids rewriting" in refused.value.message
    assert getattr(Article.objects.get(pk=protected.pk), field) != value


def test_saving_only_a_text_field_is_refused_too(protected):
    article = Article.objects.get(pk=protected.pk)
    article.headline = "Changed in the shell"
    with pytest.raises(RewriteRefused):
        article.save(update_fields=["headline"])


def test_our_editors_note_and_workflow_fields_stay_editable(protected):
    protected.editor_note = "Corrected the time of the first crossing."
    protected.save()
    protected.status = "withdrawn"
    protected.save(update_fields=["status"])
    stored = Article.objects.get(pk=protected.pk)
    assert stored.editor_note.startswith("Corrected")
    assert stored.status == "withdrawn"


def test_text_we_may_rewrite_can_be_edited(make_article):
    article = make_article(headline="Staff story")
    article.headline = "Staff story, updated"
    article.save()
    assert Article.objects.get(pk=article.pk).headline == "Staff story, updated"


def test_unsettled_rights_protect_the_text_until_a_rights_manager_decides(make_article):
    article = make_article(rights_settled=False, usage_terms="Festival use only")
    article.body = "<p>Changed.</p>"
    with pytest.raises(RewriteRefused):
        article.save()


# --- the bulk paths, which skip save() ----------------------------------------------------------


def stored_text(article: Article) -> tuple[str, str, str]:
    return Article.objects.values_list("headline", "standfirst", "body").get(pk=article.pk)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("headline", "Our sharper headline"),
        ("standfirst", "Our own standfirst."),
        ("body", "<p>Our rewrite.</p>"),
    ],
)
def test_a_bulk_update_of_protected_text_is_refused_naming_field_item_and_reason(
    protected, field, value
):
    before = stored_text(protected)
    with pytest.raises(RewriteRefused) as refused:
        Article.objects.filter(pk=protected.pk).update(**{field: value})
    message = refused.value.message
    assert f"may not change the {field} of" in message
    assert f"“Port strike enters second week” (id {protected.pk})" in message
    assert "Meridian Press Agency's notice forbids rewriting" in message
    assert "nothing was changed" in message
    assert stored_text(protected) == before


def test_one_protected_item_refuses_the_whole_update_and_nothing_changes(protected, make_article):
    ours = make_article(headline="Staff story")
    with pytest.raises(RewriteRefused) as refused:
        Article.objects.filter(pk__in=[ours.pk, protected.pk]).update(
            headline="Same for all", body="<p>Same for all.</p>"
        )
    assert "the headline, body of" in refused.value.message
    assert "Refused for 1 item:" in refused.value.message
    assert "Staff story" not in refused.value.message
    assert Article.objects.get(pk=ours.pk).headline == "Staff story"
    assert Article.objects.get(pk=protected.pk).headline == "Port strike enters second week"


@pytest.mark.parametrize(
    "value",
    [F("standfirst"), "<p>Dockworkers extended their strike.</p>"],
    ids=["expression", "same-text"],
)
def test_any_bulk_text_update_of_a_protected_item_is_refused_even_to_the_same_text(
    protected, value
):
    before = stored_text(protected)
    with pytest.raises(RewriteRefused) as refused:
        Article.objects.filter(pk=protected.pk).update(body=value)
    assert "whatever the new value (the same text or an expression included)" in (
        refused.value.message
    )
    assert stored_text(protected) == before


def test_a_related_manager_update_is_refused_too(protected):
    with pytest.raises(RewriteRefused):
        protected.source.articles.update(standfirst="Rewritten through the source.")
    assert stored_text(protected)[1] == "Ships wait at anchor."


def test_an_async_update_is_refused_too(protected):
    with pytest.raises(RewriteRefused):
        async_to_sync(Article.objects.filter(pk=protected.pk).aupdate)(body="<p>Async.</p>")
    assert stored_text(protected)[2] == "<p>Dockworkers extended their strike.</p>"


# bulk_update's own transaction is the outermost
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bulk_update_of_protected_text_is_refused_and_no_batch_is_kept(protected, make_article):
    ours = make_article(body="<p>Ours.</p>")
    ours.body, protected.body = "<p>Ours, rewritten.</p>", "<p>Theirs, rewritten.</p>"
    with pytest.raises(RewriteRefused) as refused:
        # one row a batch: ours goes first and is undone with the refusal of the second
        Article.objects.bulk_update([ours, protected], ["body"], batch_size=1)
    assert f"(id {protected.pk})" in refused.value.message
    assert stored_text(ours)[2] == "<p>Ours.</p>"
    assert stored_text(protected)[2] == "<p>Dockworkers extended their strike.</p>"


def test_a_bulk_update_of_other_fields_on_protected_items_is_still_one_update(
    protected, make_article, django_assert_num_queries
):
    other = make_article(may_rewrite=False)
    # The update, and the rights generation's bump (articles.generation) beside it.
    with django_assert_num_queries(2):
        changed = Article.objects.filter(pk__in=[protected.pk, other.pk]).update(
            editor_note="Checked by the desk."
        )
    assert changed == 2
    protected.status, other.status = "withdrawn", "withdrawn"
    with django_assert_num_queries(2):
        Article.objects.bulk_update([protected, other], ["status"])
    assert set(Article.objects.values_list("editor_note", "status")) == {
        ("Checked by the desk.", "withdrawn")
    }


def test_bulk_text_updates_of_items_we_may_rewrite_still_work(
    make_article, django_assert_num_queries
):
    first, second = make_article(), make_article()
    with django_assert_num_queries(3):  # the rewrite check, the generation's bump, the update
        changed = Article.objects.filter(pk__in=[first.pk, second.pk]).update(
            standfirst="From the desk."
        )
    assert changed == 2
    first.headline, second.body = "First, rewritten", "<p>Second, rewritten.</p>"
    Article.objects.bulk_update([first, second], ["headline", "body"])
    assert stored_text(first) == ("First, rewritten", "From the desk.", first.body)
    assert stored_text(second) == (second.headline, "From the desk.", "<p>Second, rewritten.</p>")
    assert Article.objects.none().update(body="<p>Nothing.</p>") == 0


def test_a_sliced_bulk_update_keeps_djangos_own_error(protected):
    with pytest.raises(TypeError, match="slice"):
        Article.objects.all()[:1].update(body="<p>Sliced.</p>")


PAST = datetime.timedelta(hours=-1)
FUTURE = datetime.timedelta(days=30)


@pytest.mark.parametrize(
    ("rights", "suspended", "expires_in", "may_rewrite"),
    [
        ({}, False, None, True),
        ({}, False, FUTURE, True),
        ({"may_publish": False, "may_broadcast": False}, False, None, True),
        ({}, False, PAST, False),
        ({}, True, None, False),
        ({"rights_settled": False}, False, None, False),
        ({"may_rewrite": False}, False, None, False),
    ],
    ids=[
        "allowed",
        "expires-later",
        "others-denied",
        "expired",
        "suspended",
        "unsettled",
        "denied",
    ],
)
def test_a_bulk_update_refuses_exactly_where_the_rewrite_clearance_does(
    make_article, make_source, rights, suspended, expires_in, may_rewrite
):
    article = make_article(
        source=make_source(suspended=suspended),
        rights_expire_at=timezone.now() + expires_in if expires_in else None,
        **rights,
    )
    assert clearance(Article.objects.get(pk=article.pk), Right.REWRITE).allowed == may_rewrite
    rewrite = Article.objects.filter(pk=article.pk)
    if may_rewrite:
        assert rewrite.update(body="<p>Rewritten.</p>") == 1
        assert stored_text(article)[2] == "<p>Rewritten.</p>"
    else:
        with pytest.raises(RewriteRefused):
            rewrite.update(body="<p>Rewritten.</p>")
        assert stored_text(article)[2] != "<p>Rewritten.</p>"


def test_a_refusal_of_many_items_names_the_first_few_and_counts_the_rest(make_article):
    items = [make_article(may_rewrite=False) for _ in range(NAMED_IN_REFUSAL + 2)]
    with pytest.raises(RewriteRefused) as refused:
        Article.objects.filter(pk__in=[a.pk for a in items]).update(body="<p>All.</p>")
    message = refused.value.message
    assert f"Refused for {NAMED_IN_REFUSAL + 2} items:" in message and "and 2 more" in message
    assert all(f"(id {a.pk})" in message for a in items[:NAMED_IN_REFUSAL])
    assert not any(f"(id {a.pk})" in message for a in items[NAMED_IN_REFUSAL:])


def upsert(article: Article, **changes) -> list[Article]:
    copy = Article(
        guid=article.guid,
        slug=f"{article.slug}-copy",
        headline=article.headline,
        source=article.source,
        **changes,
    )
    return Article.objects.bulk_create(
        [copy], update_conflicts=True, unique_fields=["guid"], update_fields=list(changes)
    )


def test_an_upsert_over_protected_text_is_refused(protected):
    with pytest.raises(RewriteRefused) as refused:
        upsert(protected, body="<p>Upserted.</p>")
    assert "A bulk create that updates on conflict may not change the body" in (
        refused.value.message
    )
    assert stored_text(protected)[2] == "<p>Dockworkers extended their strike.</p>"


def test_upserts_of_other_fields_or_of_text_we_may_rewrite_still_work(protected, make_article):
    upsert(protected, editor_note="Upserted note.")
    ours = make_article()
    upsert(ours, body="<p>Upserted.</p>")
    assert Article.objects.get(pk=protected.pk).editor_note == "Upserted note."
    assert stored_text(ours)[2] == "<p>Upserted.</p>"
    assert Article.objects.count() == 2
