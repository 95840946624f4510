"""The admin explains: rights at a glance, countdowns, filters, the rights panel, the preview, the
dashboard and the report; and two editors saving the same article lose nothing."""

from __future__ import annotations

import datetime
import json
import re
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.admin.panels import countdown
from articles.errors import StaleVersion
from articles.models import Article
from copycheck.check import check
from tests.factories import FILLER, WIRE, form_data, member, need_service, shared_table

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def editor_client(db, client):
    client.force_login(member("Editor"))
    return client


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(3 * HOUR, "3 h"), (-2 * DAY, "2 d"), (datetime.timedelta(minutes=45), "45 min")],
)
def test_countdown_speaks_in_minutes_hours_or_days(now, offset, expected):
    assert countdown(now + offset, now=now) == expected


# --- the change list --------------------------------------------------------------------------


def test_the_change_list_shows_the_four_rights_with_readable_titles(editor_client, restricted):
    text = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert 'title="Publication: not granted (from the notice in the copy)"' in text
    assert 'title="Rewriting: granted (no recorded basis)"' in text
    assert re.search(r'<abbr class="nr-mark nr-mark--denied" title="Publication: [^"]+">P<', text)
    assert re.search(r'<abbr class="nr-mark nr-mark--granted" title="Rewriting: [^"]+">W<', text)
    legend = text.split('id="nr-rights-legend"')[1].split("</p>")[0]
    assert "nr-mark--unsettled" not in text.split('id="result_list"')[1]  # its rights are settled
    marks = [("P", "publish"), ("B", "broadcast"), ("W", "rewrite"), ("R", "redistribute")]
    for mark, right in marks:
        assert f"{mark}</abbr> {right}" in legend


def test_unsettled_rights_carry_a_mark_of_their_own(editor_client, make_article):
    make_article(headline="Waiting for review", rights_settled=False)
    text = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert re.search(r'<abbr class="nr-mark nr-mark--unsettled" title="Rights not settled', text)


@pytest.mark.parametrize(
    ("role", "columns"),
    [
        ("Reporter", ["headline", "status", "source", "published_at", "rights"]),
        ("Editor", ["headline", "status", "source", "published_at", "rights", "embargo", "expiry"]),
        ("Rights manager", [
            "headline", "status", "source", "published_at", "rights", "embargo", "expiry",
        ]),
    ],
)  # fmt: skip
def test_the_change_list_shows_the_columns_each_role_works_with(client, restricted, role, columns):
    client.force_login(member(role))
    text = client.get(reverse("admin:articles_article_changelist")).content.decode()
    header = text.split("<thead>")[1].split("</thead>")[0]
    assert re.findall(r'class="[^"]*column-(\w+)', header) == columns


def test_the_change_list_counts_down_embargoes_and_expiries(editor_client, make_article, now):
    make_article(
        embargo_until=now + 3 * HOUR + datetime.timedelta(seconds=60),
        rights_expire_at=now - 2 * DAY,
    )
    make_article(
        embargo_until=now - DAY, rights_expire_at=now + 5 * DAY + datetime.timedelta(seconds=60)
    )
    text = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    for phrase in ["lifts in 3 h", "expired 2 d ago", "lifted 24 h ago", "expires in 5 d"]:
        assert phrase in text


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("publishable", {"live"}),
        ("blocked", {"restricted", "unsettled"}),
        ("review", {"unsettled"}),
    ],
)
def test_the_availability_filters(editor_client, make_article, restricted, choice, expected):
    made = {
        "live": make_article(headline="live"),
        "restricted": restricted,
        "unsettled": make_article(headline="unsettled", rights_settled=False),
        "killed": make_article(headline="killed", status="killed", rights_settled=False),
    }
    response = editor_client.get(
        reverse("admin:articles_article_changelist"), {"availability": choice}
    )
    shown = set(response.context["cl"].queryset.values_list("pk", flat=True))
    assert shown == {made[name].pk for name in expected}


# --- the change form --------------------------------------------------------------------------


def test_the_rights_panel_says_for_each_right_whether_why_and_from_where(
    editor_client, restricted, make_licence
):
    text = editor_client.get(
        reverse("admin:articles_article_change", args=[restricted.pk])
    ).content.decode()
    assert (
        "Publication: <strong>Not allowed</strong> <small>from the notice in the copy</small>"
        in (text)
    )
    assert "Anadolu Agency&#x27;s notice forbids publication" in text
    assert "Rewriting: <strong>Granted</strong>" in text


def test_the_rights_panel_says_in_words_where_and_from_when_the_rights_reach(
    editor_client, restricted
):
    opens = timezone.now() + 3 * DAY
    Article.objects.filter(pk=restricted.pk).update(
        excluded_territories=",GB,IE,", rights_start_at=opens
    )
    text = editor_client.get(
        reverse("admin:articles_article_change", args=[restricted.pk])
    ).content.decode()
    assert "Anywhere but Ireland and the United Kingdom." in text
    assert f"Its rights window opens {opens:%-d %b %Y, %H:%M} UTC (in 3 d)." in text


def test_rights_fields_are_read_only_for_editors_and_editable_for_rights_managers(
    client, restricted
):
    url = reverse("admin:articles_article_change", args=[restricted.pk])
    client.force_login(member("Editor"))
    assert "may_publish" not in client.get(url).context["adminform"].form.fields
    client.force_login(member("Rights manager"))
    assert "may_publish" in client.get(url).context["adminform"].form.fields


def test_the_text_is_read_only_when_the_rewrite_right_is_denied(editor_client, restricted):
    restricted.may_rewrite = False
    restricted.rights_basis = {**restricted.rights_basis, "rewrite": "notice"}
    restricted.save()
    response = editor_client.get(reverse("admin:articles_article_change", args=[restricted.pk]))
    fields = response.context["adminform"].form.fields
    assert not {"headline", "standfirst", "body"} & set(fields)
    assert "dateline" in fields
    # Why, at the top of the fieldset that holds the text, not only in the rights panel below.
    (content,) = [fs for fs in response.context["adminform"] if fs.name == "Content"]
    assert content.description.startswith(
        '<p class="nr-locked">The headline, standfirst and body cannot be changed: '
        "Anadolu Agency&#x27;s notice forbids rewriting (“Copyright 2022 Anadolu Agency."
    )
    text = response.content.decode()
    assert text.index("cannot be changed: Anadolu Agency") < text.index('name="dateline"')


def change_page_with(client, article, **fields) -> str:
    """The change form of `article` once `fields` are stored (behind the model's back)."""
    Article.objects.filter(pk=article.pk).update(**fields)
    return client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()


def test_the_read_only_body_is_shown_as_sanitised_html(editor_client, restricted):
    text = change_page_with(
        editor_client,
        restricted,
        may_rewrite=False,
        body='<p>First <em>paragraph</em>.</p><script>alert(1)</script><p onclick="x()">Two</p>',
    )
    assert '<div class="nr-body"><p>First <em>paragraph</em>.</p><p>Two</p></div>' in text
    assert "&lt;p&gt;" not in text
    assert "alert(1)" not in text and "onclick" not in text


def test_the_read_only_reason_escapes_the_notice_it_quotes(editor_client, restricted):
    text = change_page_with(
        editor_client,
        restricted,
        may_rewrite=False,
        rights_basis={"rewrite": "notice"},
        copyright_notice='Copyright <b onmouseover="x()">Agency</b>.',
    )
    assert "(“Copyright &lt;b onmouseover=&quot;x()&quot;&gt;Agency&lt;/b&gt;.”)" in text
    assert "<b onmouseover" not in text


def test_the_text_is_editable_with_no_reason_shown_when_rewriting_is_allowed(
    editor_client, restricted
):
    response = editor_client.get(reverse("admin:articles_article_change", args=[restricted.pk]))
    assert "body" in response.context["adminform"].form.fields
    assert "cannot be changed" not in response.content.decode()


def test_the_change_form_costs_the_same_queries_however_many_passages_it_shows(
    editor_client, make_article, make_source
):
    ours = make_article(source=make_source(kind="staff"), body=f"<p>{FILLER} {WIRE}</p>")
    url = reverse("admin:articles_article_change", args=[ours.pk])

    def cost(wires: int) -> int:
        for _ in range(wires):
            make_article(source=make_source(), body=f"<p>{WIRE}</p>", may_rewrite=False)
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(url)
        assert response.status_code == 200
        return len(queries)

    one = cost(1)
    five = cost(4)
    assert len({p.item.pk for p in check(ours).passages}) == 5
    text = editor_client.get(url).content.decode()
    assert text.count('<table class="nr-shared">') == 1
    assert shared_table(text).count("<tr>") == 6
    assert five == one


def test_the_change_form_offers_only_the_steps_that_can_succeed_now(
    client, restricted, make_article
):
    def offered(user, article) -> set[str]:
        client.force_login(user)
        text = client.get(reverse("admin:articles_article_change", args=[article.pk])).content
        steps = ("publish", "ask", "override", "decline", "withdraw", "kill")
        return {s for s in steps if reverse(f"admin:articles_article_{s}", args=[article.pk])
                in text.decode()}  # fmt: skip

    editor, rights = member("Editor"), member("Rights manager")
    # Refused at the gate: the editor may ask, not publish again; the rights manager overrides
    # (or kills: a kill for legal reasons may come at any stage).
    assert offered(editor, restricted) == {"ask"}
    assert offered(rights, restricted) == {"override", "kill"}
    # Its rights allow it: the editor publishes; there is nothing to override.
    draft = make_article(headline="Cleared draft", status="draft")
    assert offered(editor, draft) == {"publish"}
    assert "override" not in offered(rights, draft)
    # Live: withdrawn by an editor, killed by a rights manager; nothing to publish or override.
    live = make_article(headline="Live story")
    assert offered(editor, live) == {"withdraw"}
    assert offered(rights, live) == {"kill"}


# --- no lost updates --------------------------------------------------------------------------


def test_the_second_of_two_editors_saving_is_refused_and_keeps_their_text(client, make_article):
    article = make_article(headline="Original")
    url = reverse("admin:articles_article_change", args=[article.pk])
    first, second = member("Editor", username="ann"), member("Editor", username="ben")
    client.force_login(first)
    data_first = form_data(client, url, "article_form")
    client.force_login(second)
    data_second = form_data(client, url, "article_form")
    client.force_login(first)
    data_first["headline"] = "Ann's headline"
    assert client.post(url, data_first).status_code == 302
    client.force_login(second)
    data_second["headline"] = "Ben's headline"
    response = client.post(url, data_second)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Someone else saved this article while you were editing it" in text
    assert "saved by ann" in text
    assert 'value="Ben&#x27;s headline"' in text
    article.refresh_from_db()
    assert (article.headline, article.version) == ("Ann's headline", 2)


def test_a_save_without_the_loaded_version_is_refused(editor_client, make_article):
    article = make_article()
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(editor_client, url, "article_form")
    del data["loaded_version"]
    data["headline"] = "Blind write"
    assert editor_client.post(url, data).status_code == 200
    assert Article.objects.get(pk=article.pk).headline != "Blind write"


def test_compare_and_swap_refuses_a_stale_copy(make_article):
    article = make_article()
    one, two = Article.objects.get(pk=article.pk), Article.objects.get(pk=article.pk)
    one.headline = "One"
    one.save_if_unchanged(loaded_version=1)
    two.headline = "Two"
    with pytest.raises(StaleVersion):
        two.save_if_unchanged(loaded_version=1)
    assert Article.objects.get(pk=article.pk).headline == "One"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_editors_saving_at_the_same_moment_on_postgresql(make_article):
    need_service(connection.vendor == "postgresql", "needs PostgreSQL", service="postgresql")
    article = make_article()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(headline: str) -> None:
        try:
            copy = Article.objects.get(pk=article.pk)
            copy.headline = headline
            barrier.wait(timeout=10)
            copy.save_if_unchanged(loaded_version=copy.version)
            outcomes.append("saved")
        except StaleVersion:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(h,)) for h in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(outcomes) == ["refused", "saved"]
    assert Article.objects.get(pk=article.pk).version == 2


# --- preview ----------------------------------------------------------------------------------


def test_the_staff_preview_is_never_cached_never_indexed_and_sanitised(client, make_article):
    article = make_article(status="draft", published_at=None, headline="Draft story")
    Article.objects.filter(pk=article.pk).update(
        body='<p>Fine</p><script>alert(1)</script><img src=x onerror="alert(2)">'
    )
    url = reverse("admin:articles_article_preview", args=[article.pk])
    assert client.get(url).status_code == 302
    client.force_login(member("Reporter"))
    response = client.get(url)
    text = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex, nofollow">' in text
    assert "<p>Fine</p>" in text
    assert "<script>" not in text and "onerror" not in text
    assert "Readers cannot see it now: It is a draft." in text
    assert 'class="masthead"' in text  # the reader's own page, under the banner


def test_the_preview_refuses_users_without_access(client, make_article):
    article = make_article()
    client.force_login(member(None))
    url = reverse("admin:articles_article_preview", args=[article.pk])
    assert client.get(url).status_code == 403


# --- dashboard and report ---------------------------------------------------------------------


def test_the_index_page_carries_the_rights_dashboard(editor_client, make_article, restricted, now):
    make_article(headline="Out today", published_at=now - datetime.timedelta(seconds=60))
    make_article(headline="Needs review", rights_settled=False, status="draft", published_at=None)
    make_article(headline="Embargoed", embargo_until=now + DAY)
    make_article(headline="Expiring", rights_expire_at=now + 2 * DAY)
    make_article(headline="Opens later", rights_start_at=now + 3 * DAY)  # timed, as an embargo
    response = editor_client.get(reverse("admin:index"))
    text = response.content.decode()
    assert 'id="rights-dashboard"' in text
    assert "<strong>2</strong> blocked by rights" in text
    assert "<strong>1</strong> need rights review" in text
    assert "Restricted wire story" in text
    assert re.search(
        r'<rect class="nr-bar nr-bar--embargo" x="\d+" y="\d+" width="16" height="120"', text
    )
    assert re.search(r'<rect class="nr-bar nr-bar--expiry" [^>]*height="120"', text)
    assert re.search(r'<rect class="nr-bar nr-bar--window" [^>]*height="120"', text)
    assert "rights windows open</li>" in text
    assert " style=" not in text.split('id="rights-dashboard"')[1].split("</svg>")[0]
    assert "admin-newsroom/newsroom.css" in text


def test_the_dashboard_is_hidden_from_users_without_access(db, client):
    client.force_login(member(None))
    assert 'id="rights-dashboard"' not in client.get(reverse("admin:index")).content.decode()


def test_the_rights_report_page_lists_what_the_clock_changes(editor_client, make_article, now):
    make_article(headline="Embargo story", embargo_until=now + 2 * HOUR)
    make_article(headline="Scheduled story", status="scheduled", published_at=now + 3 * HOUR)
    make_article(headline="Expiring story", rights_expire_at=now + 3 * DAY)
    make_article(headline="Far story", rights_expire_at=now + 30 * DAY)
    make_article(headline="Opening story", rights_start_at=now + 4 * DAY)
    url = reverse("admin:articles_article_report")
    text = editor_client.get(url).content.decode()
    assert "Embargo story" in text and "Scheduled story" in text and "Expiring story" in text
    assert "Rights windows opening" in text
    assert text.index("Rights windows opening") < text.index("Opening story")
    assert "Far story" not in text
    assert "Far story" in editor_client.get(url, {"days": "31"}).content.decode()


def test_the_rights_report_command_prints_text_and_json(make_article, now, capsys):
    make_article(headline="Embargo story", embargo_until=now + 2 * HOUR)
    make_article(headline="Expiring story", rights_expire_at=now + 10 * DAY)
    make_article(headline="Opening story", rights_start_at=now + 3 * DAY)
    make_article(headline="Opened story", rights_start_at=now - DAY)  # already open: not listed
    make_article(headline="Withdrawn story", rights_start_at=now + DAY, status="withdrawn")
    call_command("rights_report")
    out = capsys.readouterr().out
    assert "Embargoes lifting: 1" in out and "Embargo story" in out
    assert "Rights expiring: 0" in out
    assert "Rights windows opening: 1" in out and "Opening story" in out
    call_command("rights_report", "--days", "11", "--json")
    data = json.loads(capsys.readouterr().out)
    assert [m["headline"] for m in data["expiries"]] == ["Expiring story"]
    assert [(m["headline"], m["kind"]) for m in data["openings"]] == [("Opening story", "window")]
    assert data["embargoes"][0]["kind"] == "embargo"


def test_every_admin_page_carries_the_strict_content_security_policy(editor_client):
    response = editor_client.get(reverse("admin:articles_article_changelist"))
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_scheduled_item_in_the_report_goes_live_without_a_job(make_article, now):
    article = make_article(status="scheduled", published_at=now + HOUR)
    assert not Article.objects.permitting().filter(pk=article.pk).exists()
    later = timezone.now() + 2 * HOUR
    assert Article.objects.permitting(at=later).filter(pk=article.pk).exists()


def test_the_rights_come_first_on_restricted_copy_and_the_text_first_on_our_own(
    editor_client, make_article, make_source, staff_story
):
    locked = make_article(source=make_source("Anadolu Agency"), may_rewrite=False)

    def headings(article) -> list[str]:
        url = reverse("admin:articles_article_change", args=[article.pk])
        text = editor_client.get(url).content.decode()
        return re.findall(r'<h2 id="fieldset-[^"]*"[^>]*>([^<]+)</h2>', text) or re.findall(
            r'<fieldset class="module[^"]*"[^>]*>\s*<h2[^>]*>([^<]+)</h2>', text
        )

    assert headings(locked)[:2] == ["Rights", "Content"]
    assert headings(staff_story("Our own story."))[0] == "Content"


def test_the_change_list_counts_no_more_than_its_limit_and_says_so(
    editor_client, make_article, monkeypatch, django_assert_max_num_queries
):
    from articles.admin import paging

    monkeypatch.setattr(paging, "COUNT_LIMIT", 3)
    for n in range(5):
        make_article(headline=f"Counted {n}")
    make_article(headline="Lonely")
    url = reverse("admin:articles_article_changelist")
    response = editor_client.get(url, {"status__exact": "published"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 3
    assert "more than 3 articles" in response.content.decode()
    assert response.context["cl"].full_result_count is None
    few = editor_client.get(url, {"q": "Lonely"})
    paginator = few.content.decode().split('class="paginator"')[1].split("</p>")[0]
    assert few.context["cl"].result_count == 1, paginator
    assert "more than" not in paginator


def test_the_change_list_pages_stop_where_the_count_limit_ends(db):
    from articles.admin.paging import COUNT_LIMIT, DeskPaginator

    paginator = DeskPaginator(Article.objects.none(), 100)
    paginator.count = 10**6  # as an estimate of a large table would say
    assert paginator.num_pages == -(-COUNT_LIMIT // 100)
