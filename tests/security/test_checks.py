"""Deployment: `check --deploy` is clean with production settings (HSTS, the HTTPS redirect, the
proxy's header, all from the environment), and a check of our own refuses to run with DEBUG off
when `collectstatic` has not written its manifest."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from security.checks import static_manifest

ROOT = Path(__file__).resolve().parents[2]
MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# What production exports, as the README's deployment section gives it.
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k7#Qe2!vT9zLw4@pR8sX1&mN6^bY3*cH5(jD0)gF-uA+iO=eW_lZq",
    "ALLOWED_HOSTS": "news.example.com",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https",
    "CLIENT_ADDRESS_HEADER": "X-Forwarded-For",
}


def manage(*args: str, environ: dict[str, str]) -> subprocess.CompletedProcess:
    """Run manage.py in a process of its own, with `environ` and nothing of this one's but PATH
    (the suite's own variables, the browser tests' among them, are no production's)."""
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "newsroom.settings", **environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    """A STATIC_ROOT that `collectstatic` has filled, with production settings."""
    root = tmp_path_factory.mktemp("static")
    done = manage("collectstatic", "--noinput", environ={**PRODUCTION, "STATIC_ROOT": str(root)})
    assert done.returncode == 0, done.stderr
    return root


def test_check_deploy_is_clean_with_production_settings(collected):
    done = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        environ={**PRODUCTION, "STATIC_ROOT": str(collected)},
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_check_deploy_fails_before_collectstatic_naming_the_fix(tmp_path):
    done = manage("check", "--deploy", environ={**PRODUCTION, "STATIC_ROOT": str(tmp_path)})

    assert done.returncode == 1
    assert "newsroom.E001" in done.stderr
    assert f"{tmp_path}/staticfiles.json is missing" in done.stderr
    assert "python manage.py collectstatic --noinput" in done.stderr


def test_the_manifest_check_passes_once_static_files_are_collected(settings, collected):
    settings.DEBUG, settings.STORAGES, settings.STATIC_ROOT = False, MANIFEST_STORAGE, collected

    assert static_manifest(None) == []


def test_the_manifest_check_fails_with_debug_off_and_no_manifest(settings, tmp_path):
    settings.DEBUG, settings.STORAGES, settings.STATIC_ROOT = False, MANIFEST_STORAGE, tmp_path

    [error] = static_manifest(None)

    assert error.id == "newsroom.E001"
    assert error.is_serious()
    assert "collectstatic" in error.hint


def test_the_manifest_check_fails_on_a_broken_manifest(settings, tmp_path):
    (tmp_path / "staticfiles.json").write_text("{not json")
    settings.DEBUG, settings.STORAGES, settings.STATIC_ROOT = False, MANIFEST_STORAGE, tmp_path

    [error] = static_manifest(None)

    assert "staticfiles.json cannot be read" in error.msg


def test_the_manifest_check_says_nothing_in_development(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.DEBUG = True
    assert static_manifest(None) == []
    settings.DEBUG = False  # nor without a manifest storage, as DEBUG=1 chose at start
    assert static_manifest(None) == []


def settings_with(monkeypatch, **environ: str) -> dict:
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "test-only-key")
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(settings.BASE_DIR / "newsroom" / "settings.py"))


def test_production_redirects_to_https_and_asks_for_hsts_for_a_year(monkeypatch):
    found = settings_with(monkeypatch, DEBUG="0")

    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert found["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert found["SECURE_HSTS_PRELOAD"] is True
    assert "SECURE_PROXY_SSL_HEADER" not in found  # trusted only when a proxy is named


def test_development_does_neither(monkeypatch):
    found = settings_with(monkeypatch, DEBUG="1")

    assert (found["SECURE_SSL_REDIRECT"], found["SECURE_HSTS_SECONDS"]) == (False, 0)


def test_each_https_setting_is_read_from_the_environment(monkeypatch):
    found = settings_with(
        monkeypatch,
        DEBUG="0",
        SECURE_HSTS_SECONDS="300",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
        SECURE_HSTS_PRELOAD="no",
        SECURE_SSL_REDIRECT="off",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https",
    )

    assert found["SECURE_HSTS_SECONDS"] == 300
    assert (found["SECURE_HSTS_INCLUDE_SUBDOMAINS"], found["SECURE_HSTS_PRELOAD"]) == (False, False)
    assert found["SECURE_SSL_REDIRECT"] is False
    assert found["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto"),
        ("SECURE_PROXY_SSL_HEADER", ": https"),
        ("SECURE_HSTS_SECONDS", "a year"),
        ("SECURE_HSTS_SECONDS", "-1"),
    ],
)
def test_a_bad_https_setting_is_refused_naming_it(monkeypatch, name, value):
    with pytest.raises(ImproperlyConfigured, match=name):
        settings_with(monkeypatch, DEBUG="0", **{name: value})


def test_the_redirect_spares_the_health_check(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True

    page = client.get("/")
    health = client.get("/healthz")

    assert page.status_code == 301 and page["Location"] == "https://testserver/"
    assert health.status_code == 200


def test_behind_the_proxy_its_header_marks_a_request_secure(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000

    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
