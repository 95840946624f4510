"""Newsroom settings, read from the environment with safe development defaults."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # A development key that stays the same across restarts of one checkout, so logins survive.
    _key_file = BASE_DIR / ".secret_key"
    if not _key_file.exists():
        from django.core.management.utils import get_random_secret_key

        _key_file.write_text(get_random_secret_key())
    SECRET_KEY = _key_file.read_text().strip()

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get(
        "ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else ""
    ).split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "simple_history",
    "articles",
    "copycheck",
    "newsletter",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "newsroom.middleware.ConditionalGetAndHead",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.middleware.content_security_policy",
    "simple_history.middleware.HistoryRequestMiddleware",
    "newsroom.middleware.reader_country",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an ingest writes. Checkpointing every 10,000 pages (40 MiB)
    # rather than every 1,000 copies a page an ingest rewrites batch after batch (the fingerprint
    # index's) back once, not once per batch; the file is cut back to 64 MiB after each.
    # A 64 MiB page cache (2 MiB by default; it fills only as pages are read) holds an ingest
    # batch's changed pages until commit instead of spilling them, and the per-item savepoints'
    # journals stay in memory instead of temporary files: that cut an ingest's writes to disk
    # from 241,000 calls to 29,000 for 3,000 items.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA wal_autocheckpoint=10000; PRAGMA journal_size_limit=67108864; "
            "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
        ),
    }

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG

# The request header in which the CDN reports the reader's country (ISO 3166-1 alpha-2).
COUNTRY_HEADER = os.environ.get("COUNTRY_HEADER", "CF-IPCountry")

# Site identity, used in feeds, JSON-LD and the newsletter.
SITE_NAME = os.environ.get("SITE_NAME", "The Newsroom")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The longest any public response may be cached; shorter when an embargo lifts or rights expire.
PUBLIC_MAX_AGE = int(os.environ.get("PUBLIC_MAX_AGE", "300"))

# The copied-text detector refuses publication when a story shares a run of this many words, or
# this share of its words, with copy whose text may not be reused.
COPYCHECK_RUN_WORDS = int(os.environ.get("COPYCHECK_RUN_WORDS", "25"))
COPYCHECK_SHARE = float(os.environ.get("COPYCHECK_SHARE", "0.15"))

# Email, for the newsletter digest: printed to the console in development unless a host is set.
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
# STARTTLS (usually port 587) or TLS from the first byte (usually port 465): one or neither.
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS and EMAIL_USE_SSL are both set: set EMAIL_USE_TLS for STARTTLS (usually "
        "port 587) or EMAIL_USE_SSL for TLS from the start (usually port 465), not both."
    )


def env_positive(name: str, default: int, kind: type, unit: str, most: float) -> float:
    """A number in (0, most] from the environment, or an error naming the variable and value."""
    raw = os.environ.get(name) or str(default)
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or not 0 < value <= most:
        raise ImproperlyConfigured(
            f"{name} must be a number of {unit} above 0 and at most {most}, not “{raw}”."
        )
    return value


# Seconds to wait for the mail server before a send fails (Django's default is to wait forever).
EMAIL_TIMEOUT = env_positive("EMAIL_TIMEOUT", 30, float, "seconds", 3600)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "newsroom@localhost"
# Who receives the digest when there are no active subscribers.
NEWSLETTER_RECIPIENTS = [
    address.strip()
    for address in os.environ.get("NEWSLETTER_RECIPIENTS", "").split(",")
    if address.strip()
]
# How far back a digest reaches for items that became public and have not gone out yet.
NEWSLETTER_LOOKBACK_DAYS = env_positive("NEWSLETTER_LOOKBACK_DAYS", 7, int, "whole days", 3650)
