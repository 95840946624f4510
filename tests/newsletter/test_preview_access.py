"""The next digest's preview for the people who decide what goes out, editors and rights
managers, with its links at `SITE_URL`, which `make run` takes from the address it serves on."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import member

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("role", ["Editor", "Rights manager"])
def test_editors_and_rights_managers_may_preview_the_next_digest(
    client, make_article, role, settings
):
    visible = make_article(headline="Visible story")
    make_article(headline="Hidden story", may_broadcast=False)
    settings.SITE_URL = "http://192.0.2.7:8123"
    client.force_login(member(role))

    response = client.get(reverse("admin:newsletter_digest_preview"))

    page = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="http://192.0.2.7:8123{visible.get_absolute_url()}">' in page
    assert "127.0.0.1:8000" not in page
    assert "Its links go to http://192.0.2.7:8123." in page
    assert "Hidden" not in page


@pytest.mark.parametrize("role", ["Reporter", None])
def test_reporters_and_staff_without_a_role_may_not(client, db, role):
    client.force_login(member(role))

    assert client.get(reverse("admin:newsletter_digest_preview")).status_code == 403


def test_an_editor_finds_the_preview_from_the_articles(client, db):
    client.force_login(member("Editor"))

    page = client.get(reverse("admin:articles_article_changelist")).content.decode()

    assert reverse("admin:newsletter_digest_preview") in page


def test_the_preview_does_not_link_an_editor_to_the_digests_they_may_not_list(client, db):
    client.force_login(member("Editor"))

    page = client.get(reverse("admin:newsletter_digest_preview")).content.decode()

    assert reverse("admin:newsletter_digest_changelist") not in page


@pytest.mark.parametrize(
    ("given", "site_url"),
    [
        (["HOST=0.0.0.0:9000"], 'SITE_URL="${SITE_URL:-http://0.0.0.0:9000}"'),
        ([], 'SITE_URL="${SITE_URL:-http://127.0.0.1:8000}"'),
    ],
)
def test_make_run_passes_the_address_it_serves_on_as_site_url(given, site_url):
    done = subprocess.run(
        ["make", "-n", "-W", ".venv/.installed", "run", *given],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    serve = next(line for line in done.stdout.splitlines() if "runserver" in line)
    assert serve.startswith(site_url)
