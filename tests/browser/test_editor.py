"""The desk's rich-text editor and the front page's pin in a real browser, under the strict
Content Security Policy: a word made bold is saved as HTML, nothing breaks the policy, a locked
body stays locked, and a pinned story leads the front page. Screenshots at a newsroom laptop's
size and a phone's go to artifacts/screenshots/editor-*.png and front-pinned-*.png."""

from __future__ import annotations

import datetime
import json
import os
from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from articles.models import Article, AuditEntry, FrontPin, Source
from security import second_factor
from tests.browser.conftest import SCREENSHOTS
from tests.factories import (
    AA_NOTICE,
    member,
    sign_in_to_the_desk,
    wait_in_page,
    with_second_factor,
)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
VIEWPORTS = {"desk": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
# Report every Content Security Policy violation to the test, whatever the console says.
WATCH_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""


@pytest.fixture
def pin_right(groups):
    """Give the editors the right to pin, as migration 0011 does (the `groups` fixture makes
    the groups again from 0002 alone)."""
    codenames = import_module("articles.migrations.0014_front_pins").CODENAMES
    for name, granted in codenames.items():
        Group.objects.get(name=name).permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=granted)
        )


@pytest.fixture
def desk_as(browser, live_server, pin_right):
    """Sign in as a new member of `role` at `viewport`; the page collects console errors,
    uncaught exceptions and CSP violations in `page.problems`."""
    contexts = []

    def sign_in(role: str, username: str, viewport: str = "desk"):
        user = member(role, username=username, password=PASSWORD)
        device = with_second_factor(user) if second_factor.required_of(user) else None
        context = browser.new_context(viewport=VIEWPORTS[viewport])
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.viewport_name = viewport
        page.expose_function("reportViolation", lambda text: page.problems.append(f"CSP: {text}"))
        page.add_init_script(WATCH_VIOLATIONS)
        page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
        page.on("pageerror", lambda e: page.problems.append(f"pageerror: {e}"))
        sign_in_to_the_desk(page, live_server.url, username, PASSWORD, device)
        return page

    yield sign_in
    for context in contexts:
        context.close()


def shot(page, name: str, *, close_up: str | None = None) -> None:
    """The whole page; with `close_up`, that element of it as well, at its own size."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{page.viewport_name}.png"), full_page=True)
    if close_up:
        page.locator(close_up).first.screenshot(
            path=str(SCREENSHOTS / f"{name}-{page.viewport_name}-close-up.png")
        )


@pytest.fixture
def staff_draft(db):
    source = Source.objects.create(name="The Newsroom", slug="newsroom", kind=Source.Kind.STAFF)
    return Article.objects.create(
        headline="Harbour reopens after the storm",
        standfirst="Fishing boats went back to sea on Monday.",
        body="<p>The harbour reopened on Monday.</p>",
        source=source,
        status=Article.Status.DRAFT,
        rights_settled=True,
        may_publish=True,
        may_rewrite=True,
    )


def select_words(page, keys: str, words: str) -> None:
    """Select by keyboard, and wait until the editor has read the selection: ProseMirror takes
    it from the browser's `selectionchange` event, which comes after the key, so a button
    clicked at once (on a loaded machine) would act on the selection before."""
    page.keyboard.press(keys)
    wait_in_page(page, f"document.getSelection().toString() === {json.dumps(words)}")
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )


def change_url(live_server, article: Article) -> str:
    return f"{live_server.url}/admin/articles/article/{article.pk}/change/"


@pytest.mark.parametrize("viewport", ["desk", "phone"])
def test_an_editor_bolds_a_word_and_the_saved_body_holds_it_with_no_csp_violation(
    desk_as, live_server, staff_draft, viewport
):
    page = desk_as("Editor", "ed", viewport)
    page.goto(change_url(live_server, staff_draft))
    body = page.locator(".field-body .tiptap")
    body.wait_for()
    assert page.locator(".field-body .prose-editor-count").inner_text() == "5 words"
    assert page.locator(".field-standfirst .prose-editor-count").inner_text() == "8 words"

    body.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Boats return to the harbour today")
    select_words(page, "Shift+ControlOrMeta+ArrowLeft", "today")
    page.locator(".field-body .prose-menubar__button[data-name='bold']").click()
    assert body.locator("strong").inner_text() == "today"
    assert page.locator(".field-body .prose-editor-count").inner_text() == "6 words"
    shot(page, "editor-change-form", close_up="fieldset.module")

    page.keyboard.press("Home")
    select_words(page, "Shift+ControlOrMeta+ArrowRight", "Boats")
    page.locator(".field-body .prose-menubar__button[data-name='link']").click()
    page.fill(".prose-editor-dialog input[name=href]", "https://example.org/boats")
    page.click(".prose-editor-dialog button[type=submit]")
    assert body.locator("a").inner_text().strip() == "Boats"

    page.click("input[name=_continue]")
    page.wait_for_url(change_url(live_server, staff_draft))
    staff_draft.refresh_from_db()
    assert staff_draft.body == (
        '<p><a href="https://example.org/boats" rel="noopener noreferrer nofollow">Boats</a> '
        "return to the harbour <strong>today</strong></p>"
    )
    # The saved HTML comes back into the editor as it was written.
    page.locator(".field-body .tiptap strong").wait_for()
    assert page.locator(".field-body .tiptap strong").inner_text() == "today"
    assert page.problems == []


def test_the_standfirst_is_saved_as_plain_text_with_its_characters(
    desk_as, live_server, staff_draft
):
    page = desk_as("Editor", "ed")
    page.goto(change_url(live_server, staff_draft))
    standfirst = page.locator(".field-standfirst .tiptap")
    standfirst.wait_for()
    assert page.locator(".field-standfirst .prose-menubar").count() == 0

    standfirst.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Profits <b>rose</b> by 5% & more")
    page.click("input[name=_continue]")
    page.wait_for_url(change_url(live_server, staff_draft))

    staff_draft.refresh_from_db()
    assert staff_draft.standfirst == "Profits <b>rose</b> by 5% & more"
    assert page.problems == []


@pytest.mark.parametrize("viewport", ["desk", "phone"])
def test_a_body_whose_rewrite_is_refused_is_shown_read_only_with_no_editor(
    desk_as, live_server, viewport
):
    source = Source.objects.create(name="Anadolu Agency", slug="anadolu-agency")
    wire = Article.objects.create(
        headline="Earthquake shakes eastern province",
        standfirst="Buildings were damaged in three towns.",
        body="<p>A strong earthquake shook the province on <strong>Tuesday</strong>.</p>",
        source=source,
        status=Article.Status.DRAFT,
        rights_settled=True,
        copyright_holder="Anadolu Agency",
        copyright_notice=AA_NOTICE,
    )
    page = desk_as("Editor", "ed", viewport)
    page.goto(change_url(live_server, wire))

    assert page.locator("[contenteditable=true]").count() == 0
    assert page.locator("textarea[name=body], textarea[name=standfirst]").count() == 0
    body = page.locator(".field-body_text .readonly")
    assert body.locator("strong").inner_text() == "Tuesday"
    shot(page, "editor-locked", close_up="fieldset.module")
    assert page.problems == []


@pytest.mark.parametrize("viewport", ["desk", "phone"])
def test_an_editor_pins_a_story_and_it_leads_the_front_page_until_the_pin_ends(
    desk_as, live_server, newsday, viewport
):
    older = newsday.articles[5]
    until = timezone.localtime() + datetime.timedelta(hours=2)
    page = desk_as("Editor", "ed", viewport)
    page.goto(change_url(live_server, older))
    page.select_option("#id_front_place", "1")
    page.fill("#id_front_until_0", until.strftime("%Y-%m-%d"))
    page.fill("#id_front_until_1", until.strftime("%H:%M:%S"))
    shot(page, "editor-pin", close_up="#id_front_place >> xpath=ancestor::fieldset")
    page.click("input[name=_continue]")
    page.wait_for_url(change_url(live_server, older))
    assert "Pinned:" in page.inner_text(".messagelist")
    assert FrontPin.objects.get(article=older).position == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PIN, article=older).count() == 1
    assert page.problems == []

    page.goto(f"{live_server.url}/")
    assert page.locator(".story--lead .story__headline").inner_text() == older.headline
    assert newsday.refused.headline not in page.content()
    shot(page, "front-pinned", close_up=".front-top")
    assert page.problems == []


def test_a_reporter_sees_no_pin_on_the_change_form(desk_as, live_server, staff_draft):
    page = desk_as("Reporter", "rita")
    page.goto(change_url(live_server, staff_draft))
    page.locator(".field-body .tiptap").wait_for()
    assert page.locator("#id_front_place").count() == 0
    assert page.problems == []
