"""The change list's rights marks, written in Python, are what their template wrote: for each
right granted or not, from every basis, settled or not, with what the desk wrote escaped."""

from __future__ import annotations

import itertools

import pytest
from django.template import engines

from articles.admin.panels import RIGHT_MARKS, basis_label, rights_at_a_glance
from articles.models import Article
from articles.vocabulary import Right

pytestmark = pytest.mark.django_db

# The template the marks were rendered with: the reference.
TEMPLATE = (
    "{% for row in rights %}<abbr class=\"nr-mark nr-mark--{{ row.granted|yesno:'granted,denied' }}"
    "\" title=\"{{ row.right.noun|capfirst }}: {{ row.granted|yesno:'granted,not granted' }} "
    '({{ row.basis }})">{{ row.mark }}<span class="nr-hidden"> {{ row.right.noun }} '
    "{{ row.granted|yesno:'granted,not granted' }}</span></abbr>{% endfor %}{% if not settled %}"
    '<abbr class="nr-mark nr-mark--unsettled" title="Rights not settled: a rights manager must '
    'review them before any public use">?<span class="nr-hidden"> rights not settled</span>'
    "</abbr>{% endif %}"
)


def reference(article: Article) -> str:
    rights = [
        {
            "right": right,
            "mark": RIGHT_MARKS[right],
            "granted": article.grants(right),
            "basis": basis_label(article, right),
        }
        for right in Right
    ]
    context = {"rights": rights, "settled": article.rights_settled}
    return engines["django"].from_string(TEMPLATE).render(context)


def test_the_marks_are_what_the_template_wrote(make_article, make_source):
    agency = make_source('Wire & "Co" <AP>')
    bases = ["staff", "notice", "licence", "override", "none", "default"]
    checked = 0
    for n, grants in enumerate(itertools.product((True, False), repeat=4)):
        article = make_article(
            source=agency,
            rights_settled=n % 3 != 0,
            rights_basis={r.value: bases[(n + i) % len(bases)] for i, r in enumerate(Right)},
            copyright_holder="Holder <&> Sons",
            **{f"may_{r.value}": g for r, g in zip(Right, grants, strict=True)},
        )
        assert rights_at_a_glance(article) == reference(article)
        checked += 1
    assert checked == 16


def test_an_unsettled_item_has_the_fifth_mark(make_article):
    settled = rights_at_a_glance(make_article(rights_settled=True))
    unsettled = rights_at_a_glance(make_article(rights_settled=False))
    assert "nr-mark--unsettled" not in settled
    assert unsettled.count("nr-mark--unsettled") == 1
    assert settled.count("<abbr") == 4


def test_the_row_checkbox_is_what_djangos_widget_wrote(make_article):
    from django.contrib import admin

    from articles.admin.articles import ArticleAdmin

    model_admin = ArticleAdmin(Article, admin.site)
    for headline in ("Plain", 'Quotes "and" <tags> & more'):
        article = make_article(headline=headline)
        ours = model_admin.action_checkbox(article)
        assert ours == admin.ModelAdmin.action_checkbox(model_admin, article)
        assert 'name="_selected_action"' in ours
