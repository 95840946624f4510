"""The suite's settings do not depend on the caller's environment: whatever DEBUG, ALLOWED_HOSTS,
SECRET_KEY or limits were exported, the suite reads the project's defaults; only the database and
cache a run chooses pass through."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.settings import PASSED_THROUGH, environment_names

ROOT = Path(__file__).resolve().parent.parent
PRINT = """
import json
from django.conf import settings
print(json.dumps({name: str(getattr(settings, name)) for name in [
    "DEBUG", "ALLOWED_HOSTS", "SECRET_KEY", "SITE_URL", "AXES_FAILURE_LIMIT",
    "SECURE_SSL_REDIRECT", "STORAGES", "DATABASES",
]}))
"""


def test_every_variable_the_settings_read_is_known():
    names = environment_names()

    assert {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "EMAIL_HOST"} <= names
    assert {"EMAIL_TIMEOUT", "SIGNIN_FAILURE_LIMIT", "SECURE_HSTS_SECONDS"} <= names  # via env_…()
    assert names >= PASSED_THROUGH


def test_what_the_caller_exported_does_not_reach_the_suite(tmp_path):
    exported = {
        "DEBUG": "0",
        "ALLOWED_HOSTS": "evil.example",
        "SECRET_KEY": "exported-by-the-caller",
        "SITE_URL": "https://elsewhere.example",
        "SIGNIN_FAILURE_LIMIT": "99",
        "SECURE_SSL_REDIRECT": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path}/chosen.sqlite3",
    }
    env = {**os.environ, **exported, "DJANGO_SETTINGS_MODULE": "tests.settings"}

    done = subprocess.run(
        [sys.executable, "-c", PRINT], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["DEBUG"] == "True"
    assert found["ALLOWED_HOSTS"] == str(["127.0.0.1", "localhost", "testserver"])
    assert found["SECRET_KEY"] != "exported-by-the-caller"
    assert found["SITE_URL"] == "http://127.0.0.1:8000"
    assert found["AXES_FAILURE_LIMIT"] == "5"
    assert found["SECURE_SSL_REDIRECT"] == "False"
    assert "django.contrib.staticfiles.storage.StaticFilesStorage" in found["STORAGES"]
    assert "chosen.sqlite3" in found["DATABASES"]  # the database a run chooses passes through
