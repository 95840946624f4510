"""The rule of reservations from text and data mining, and the settings it reads from the
environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from articles.models import Source
from articles.reservations import (
    DMI_ALLOWED,
    DMI_RESERVED,
    data_mining_uri,
    declaration,
    is_reserved,
    mining_licence,
    policy_url,
    site_rules,
)
from newsroom import settings as project_settings
from tests.factories import AA_NOTICE

ROOT = Path(__file__).resolve().parent.parent
CC_BY = "This article is licensed under a Creative Commons Attribution 4.0 International licence."


def absolute(path: str) -> str:
    return "https://news.example" + path


@pytest.fixture
def agency(make_source):
    return make_source("Anadolu Agency", kind=Source.Kind.AGENCY)


@pytest.mark.parametrize("kind", [Source.Kind.AGENCY, Source.Kind.PARTNER, Source.Kind.FREELANCE])
def test_copy_of_any_source_but_our_staff_is_reserved(make_article, make_source, kind):
    article = make_article(source=make_source(kind=kind), copyright_notice=AA_NOTICE)

    assert is_reserved(article)
    assert data_mining_uri(article) == DMI_RESERVED


def test_agency_copy_with_no_notice_at_all_is_reserved(make_article, agency):
    assert is_reserved(make_article(source=agency))


@pytest.mark.parametrize(
    "notice",
    [
        CC_BY,
        "Licensed under CC BY-SA 4.0.",
        "This work is dedicated to the public domain under CC0 1.0.",
    ],
)
def test_agency_copy_under_a_licence_that_lets_anyone_mine_it_is_not_reserved(
    make_article, agency, notice
):
    article = make_article(source=agency, copyright_notice=notice)

    assert mining_licence(article) is not None
    assert not is_reserved(article)
    assert data_mining_uri(article) == DMI_ALLOWED


@pytest.mark.parametrize(
    "notice",
    ["Licensed under CC BY-NC 4.0.", "Licensed under CC BY-ND 4.0.", AA_NOTICE],
)
def test_a_non_commercial_or_no_derivatives_licence_keeps_the_reservation(
    make_article, agency, notice
):
    article = make_article(source=agency, copyright_notice=notice)

    assert mining_licence(article) is None
    assert is_reserved(article)


def test_staff_copy_is_reserved_by_default_and_not_when_the_setting_is_off(make_article, settings):
    article = make_article()  # staff copy
    assert project_settings.TDM_RESERVE_STAFF is True
    assert is_reserved(article)

    settings.TDM_RESERVE_STAFF = False

    assert not is_reserved(article)
    assert data_mining_uri(article) == DMI_ALLOWED


def test_staff_copy_under_an_open_licence_is_not_reserved_even_with_the_setting_on(
    make_article, settings
):
    settings.TDM_RESERVE_STAFF = True

    assert not is_reserved(make_article(copyright_notice=CC_BY))


def test_the_policy_is_our_rights_page_unless_a_url_is_set(settings):
    assert policy_url(absolute) == "https://news.example/legal/rights/#text-and-data-mining"

    settings.TDM_POLICY_URL = "https://licensing.example/tdm"

    assert policy_url(absolute) == "https://licensing.example/tdm"


def test_a_page_declares_1_with_its_policy_or_0_without_one(make_article, agency, settings):
    settings.TDM_RESERVE_STAFF = False

    assert declaration(make_article(source=agency), absolute=absolute) == {
        "tdm-reservation": "1",
        "tdm-policy": "https://news.example/legal/rights/#text-and-data-mining",
    }
    assert declaration(make_article(), absolute=absolute) == {"tdm-reservation": "0"}


def test_the_site_rules_reserve_every_location_with_the_policy():
    assert site_rules(absolute=absolute) == [
        {
            "location": "/",
            "tdm-reservation": 1,
            "tdm-policy": "https://news.example/legal/rights/#text-and-data-mining",
        }
    ]


# --- the settings, from the environment ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("yes", True), (" ON ", True), ("0", False), ("false", False), ("", True)],
)
def test_tdm_reserve_staff_reads_yes_and_no(monkeypatch, raw, expected):
    monkeypatch.setenv("TDM_RESERVE_STAFF", raw)
    assert project_settings.env_flag("TDM_RESERVE_STAFF", True) is expected


def test_a_tdm_reserve_staff_that_is_neither_yes_nor_no_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("TDM_RESERVE_STAFF", "sometimes")

    with pytest.raises(ImproperlyConfigured, match="TDM_RESERVE_STAFF must be true or false.*"):
        project_settings.env_flag("TDM_RESERVE_STAFF", True)


def test_ai_crawlers_are_read_comma_separated_and_empty_names_none(monkeypatch):
    monkeypatch.setenv("AI_CRAWLERS", " GPTBot, CCBot ,,")
    assert project_settings.env_crawlers("AI_CRAWLERS", ("x",)) == ("GPTBot", "CCBot")

    monkeypatch.setenv("AI_CRAWLERS", "")
    assert project_settings.env_crawlers("AI_CRAWLERS", ("x",)) == ()

    monkeypatch.delenv("AI_CRAWLERS")
    assert project_settings.env_crawlers("AI_CRAWLERS", ("x",)) == ("x",)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("GPTBot,*", "names “\\*”, every crawler"),
        ("GPTBot,Bot 2", "“Bot 2” is no robots.txt product token"),
        ("GPTBot/1.0", "“GPTBot/1.0” is no robots.txt product token"),
        ("GPTBot,gptbot", "names “gptbot” twice"),
    ],
)
def test_a_bad_crawler_token_is_refused_naming_the_variable_and_token(monkeypatch, raw, message):
    monkeypatch.setenv("AI_CRAWLERS", raw)

    with pytest.raises(ImproperlyConfigured, match=f"AI_CRAWLERS.*{message}"):
        project_settings.env_crawlers("AI_CRAWLERS", ())


@pytest.mark.parametrize(
    "raw", ["/legal/rights/", "licensing.example/tdm", "ftp://licensing.example/", "https://"]
)
def test_a_policy_url_that_is_not_absolute_http_is_refused(monkeypatch, raw):
    monkeypatch.setenv("TDM_POLICY_URL", raw)

    with pytest.raises(ImproperlyConfigured, match="TDM_POLICY_URL must be an absolute http"):
        project_settings.env_absolute_url("TDM_POLICY_URL")


def test_the_default_crawlers_are_each_a_valid_token_named_once():
    tokens = project_settings.AI_CRAWLERS
    assert "GPTBot" in tokens and "CCBot" in tokens and "Google-Extended" in tokens
    assert len({t.lower() for t in tokens}) == len(tokens)
    assert all(project_settings._PRODUCT_TOKEN.fullmatch(t) for t in tokens)


def _settings_in_a_process(**env: str) -> subprocess.CompletedProcess:
    code = (
        "from newsroom import settings as s; "
        "print(s.TDM_RESERVE_STAFF, ','.join(s.AI_CRAWLERS), s.TDM_POLICY_URL)"
    )
    names = {"TDM_RESERVE_STAFF", "AI_CRAWLERS", "TDM_POLICY_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in names}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_the_environment_overrides_the_defaults_at_start():
    done = _settings_in_a_process(
        TDM_RESERVE_STAFF="no", AI_CRAWLERS="GPTBot,CCBot", TDM_POLICY_URL="https://l.example/"
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "GPTBot,CCBot", "https://l.example/"]


def test_a_bad_value_stops_the_start_with_the_variable_named():
    done = _settings_in_a_process(TDM_RESERVE_STAFF="perhaps")

    assert done.returncode != 0
    assert "ImproperlyConfigured: TDM_RESERVE_STAFF must be true or false" in done.stderr
    assert "“perhaps”" in done.stderr
