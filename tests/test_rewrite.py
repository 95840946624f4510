"""The rewrite right guards an item's text on every path; our own fields stay editable."""

from __future__ import annotations

import pytest

from articles.models import Article, RewriteRefused

NOTICE = "Copyright 2026 Meridian Press Agency. All rights reserved."


@pytest.fixture
def protected(make_article, make_source):
    return make_article(
        source=make_source("Meridian Press Agency"),
        headline="Port strike enters second week",
        standfirst="Ships wait at anchor.",
        body="<p>Dockworkers extended their strike.</p>",
        may_rewrite=False,
        copyright_notice=NOTICE,
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


def test_a_queryset_path_through_save_is_refused_too(protected):
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
