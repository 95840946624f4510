"""Newsroom settings, read from the environment with safe development defaults."""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


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


def env_whole(name: str, default: int) -> int:
    """A whole number, 0 or more, from the environment, or an error naming the variable."""
    raw = os.environ.get(name) or str(default)
    if not raw.strip().isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number of 0 or more, not “{raw}”.")
    return int(raw)


def env_flag(name: str, default: bool) -> bool:
    """A yes or no from the environment, strictly: a value that is neither is an error."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be true or false (1, yes, on; 0, no, off), not “{raw}”."
    )


# RFC 9309 §2.2.1: a robots.txt product token is letters, "-" and "_" only.
_PRODUCT_TOKEN = re.compile(r"[A-Za-z_-]+")


def env_crawlers(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """Crawler product tokens, comma-separated, from the environment; empty names none.

    A token robots.txt cannot carry (RFC 9309: letters, "-" and "_"), "*" (every crawler, search
    engines included) and one named twice (matching is case-insensitive) are errors.
    """
    raw = os.environ.get(name)
    if raw is None:
        return default
    tokens = tuple(token.strip() for token in raw.split(",") if token.strip())
    seen: set[str] = set()
    for token in tokens:
        if token == "*":
            raise ImproperlyConfigured(
                f"{name} names “*”, every crawler, search engines included; name the crawlers "
                "to keep out, each by its product token."
            )
        if not _PRODUCT_TOKEN.fullmatch(token):
            raise ImproperlyConfigured(
                f"{name}: “{token}” is no robots.txt product token (letters, “-” and “_” only, "
                "RFC 9309), in “{raw}”."
            )
        if token.lower() in seen:
            raise ImproperlyConfigured(f"{name} names “{token}” twice, in “{raw}”.")
        seen.add(token.lower())
    return tokens


def env_absolute_url(name: str) -> str:
    """An absolute http or https URL from the environment, or "" where it is not set."""
    raw = (os.environ.get(name) or "").strip()
    parts = urlsplit(raw)
    if raw and (parts.scheme not in {"http", "https"} or not parts.netloc or " " in raw):
        raise ImproperlyConfigured(
            f"{name} must be an absolute http or https URL, such as "
            f"https://news.example/legal/rights/, not “{raw}”."
        )
    return raw


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
    "django_prose_editor",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "articles",
    "pictures",
    "copycheck",
    "newsletter",
    "security",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A kept page is answered here, before sessions, CSRF, sign-in and the rest: it keeps every
    # header the middleware below set on the page it was made as (newsroom/page_cache.py).
    "newsroom.middleware.ConditionalGetAndHead",
    "newsroom.page_cache.PageCache",
    # newsroom.lanes.X is the desk's middleware X (sessions, sign-in, the second factor,
    # messages, history's request), which an anonymous reader's GET of a public page goes
    # around: those pages read none of it.
    "newsroom.lanes.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",  # by its own name: the deploy check (W003)
    "newsroom.lanes.AuthenticationMiddleware",
    "newsroom.lanes.OTPMiddleware",
    "newsroom.lanes.MessageMiddleware",
    "newsroom.lanes.desk_session",
    "newsroom.lanes.second_factor_gate",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.middleware.DatabaseUnavailable",
    # After DatabaseUnavailable: its process_exception runs first (a replica lost mid-request).
    "newsroom.routers.ReplicaReads",
    "newsroom.middleware.content_security_policy",
    "newsroom.lanes.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # by its own name: axes checks for it (W002)
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

# A database that is down or too slow answers 503 with this Retry-After (newsroom.middleware).
DATABASE_RETRY_AFTER = env_positive("DATABASE_RETRY_AFTER", 5, int, "whole seconds", 3600)
# How long a served request's statement may run before PostgreSQL cancels it (0: no limit), so a
# slow query answers 503 instead of holding a worker. Only processes that serve requests set
# NEWSROOM_SERVING (newsroom/wsgi.py): commands (ingest's index merges, migrations,
# backups) run long statements by design.
DATABASE_STATEMENT_TIMEOUT_MS = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "5000"))
SERVING = env_bool("NEWSROOM_SERVING", False)


def database(url: str) -> dict:
    """One database's settings from its URL, with the options every connection to it needs."""
    config = dj_database_url.parse(
        url,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Give up connecting after a few seconds: a server that is gone answers 503 at once, and
        # a persistent connection the server dropped is replaced by the health check
        # (CONN_HEALTH_CHECKS).
        config["OPTIONS"] = {
            "connect_timeout": env_positive(
                "DATABASE_CONNECT_TIMEOUT", 3, int, "whole seconds", 60
            ),
            **config.get("OPTIONS", {}),
        }
        if SERVING and DATABASE_STATEMENT_TIMEOUT_MS > 0:
            config["OPTIONS"]["options"] = f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"
    elif config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while an ingest writes. Checkpointing every 10,000 pages (40 MiB)
        # rather than every 1,000 copies a page an ingest rewrites batch after batch (the
        # fingerprint index's) back once, not once per batch; the file is cut back to 64 MiB
        # after each. A 64 MiB page cache (2 MiB by default; it fills only as pages are read)
        # holds an ingest batch's changed pages until commit instead of spilling them, and the
        # per-item savepoints' journals stay in memory instead of temporary files: that cut an
        # ingest's writes to disk from 241,000 calls to 29,000 for 3,000 items.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA wal_autocheckpoint=10000; PRAGMA journal_size_limit=67108864; "
                "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
            ),
        }
    return config


DATABASES = {
    "default": database(os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}
# A PostgreSQL streaming replica of the primary: serving processes send anonymous public reads
# to it while it has replayed the primary's latest rights generation (newsroom/routers.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = database(DATABASE_REPLICA_URL)
    _engines = (DATABASES["default"]["ENGINE"], DATABASES["replica"]["ENGINE"])
    if set(_engines) != {"django.db.backends.postgresql"}:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL names a streaming replica of a PostgreSQL primary: both it and "
            "DATABASE_URL must be postgres:// URLs, not "
            f"“{_engines[0]}” and “{_engines[1]}”."
        )
    # The test databases made for the primary serve as the replica's too.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["newsroom.routers.ReplicaRouter"]
# After a replica failed to answer, each process reads the primary for this many seconds before
# it asks the replica again.
DATABASE_REPLICA_RETRY_AFTER = env_positive(
    "DATABASE_REPLICA_RETRY_AFTER", 10, int, "whole seconds", 3600
)
# For this long after a client's request wrote to the database, its reads go to the primary
# (a cookie), so it sees its own write though the replica has not replayed it yet.
DATABASE_REPLICA_PIN_SECONDS = env_positive(
    "DATABASE_REPLICA_PIN_SECONDS", 10, int, "whole seconds", 3600
)

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Django's Redis cache, but a Redis that is gone or slow is a miss, logged, not an error;
    # it waits at most REDIS_TIMEOUT seconds to connect and for each answer.
    _redis_timeout = env_positive("REDIS_TIMEOUT", 0.25, float, "seconds", 60)
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {"socket_connect_timeout": _redis_timeout, "socket_timeout": _redis_timeout},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in the database, not the cache: a Redis that is gone signs no one out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

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
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Pictures as received and their renditions; in production a volume or object storage.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")

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

# HTTPS only, once DEBUG is off: every plain-HTTP request is redirected (but /healthz, which a
# load balancer asks over HTTP), and browsers are told to come back over HTTPS alone.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_whole("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)  # a year
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# The header a TLS-terminating proxy sets, as "Name: value" (e.g. "X-Forwarded-Proto: https").
# Set it only behind a proxy that overwrites the header; otherwise a client could claim HTTPS.
_proxy_ssl_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "")
if _proxy_ssl_header:
    _name, _, _value = _proxy_ssl_header.partition(":")
    if not _name.strip() or not _value.strip():
        raise ImproperlyConfigured(
            "SECURE_PROXY_SSL_HEADER must read “Header-Name: value”, for example "
            f"“X-Forwarded-Proto: https”, not “{_proxy_ssl_header}”."
        )
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _name.strip().upper().replace("-", "_"),
        _value.strip(),
    )

# Signing in to the desk: failures are counted per account and per address (django-axes), and a
# lockout lasts SIGNIN_COOLOFF_MINUTES from the last failure. Wrong one-time codes count too.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
SIGNIN_FAILURE_LIMIT = int(env_positive("SIGNIN_FAILURE_LIMIT", 5, int, "failures", 1000))
SIGNIN_COOLOFF_MINUTES = int(env_positive("SIGNIN_COOLOFF_MINUTES", 15, int, "minutes", 10080))
AXES_FAILURE_LIMIT = SIGNIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=SIGNIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "security.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "security.lockout.client_address"
AXES_HTTP_RESPONSE_CODE = 429
AXES_ENABLE_ADMIN = False  # the desk's own lockout admin, in security/admin.py, replaces axes'
AXES_SENSITIVE_PARAMETERS: list[str] = []  # the log names the account and address; never passwords
# The request header in which the proxy in front reports the client's address (e.g. X-Real-IP,
# or X-Forwarded-For, whose last entry is read); empty: the connection's own address.
CLIENT_ADDRESS_HEADER = os.environ.get("CLIENT_ADDRESS_HEADER", "")

# A one-time code from an authenticator app (TOTP, django-otp) as a second factor: always for
# superusers and rights managers; for the members of these other groups too.
OTP_REQUIRED_GROUPS = [
    name.strip() for name in os.environ.get("OTP_REQUIRED_GROUPS", "").split(",") if name.strip()
]
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# A desk session ends after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after
# its sign-in, whichever comes first.
SESSION_IDLE_MINUTES = int(env_positive("SESSION_IDLE_MINUTES", 30, int, "minutes", 1440))
SESSION_MAX_HOURS = int(env_positive("SESSION_MAX_HOURS", 12, int, "hours", 336))
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600

# The request header in which the CDN reports the reader's country (ISO 3166-1 alpha-2).
COUNTRY_HEADER = os.environ.get("COUNTRY_HEADER", "CF-IPCountry")

# Site identity, used in feeds, JSON-LD and the newsletter.
SITE_NAME = os.environ.get("SITE_NAME", "The Newsroom")
# `make run` passes the address it serves on (`HOST`), so the newsletter's links reach it.
SITE_URL = os.environ.get("SITE_URL") or "http://127.0.0.1:8000"
# How long a signed preview link, sent to a colleague without a desk account, stays valid.
PREVIEW_LINK_HOURS = int(env_positive("PREVIEW_LINK_HOURS", 48, int, "whole hours", 24 * 366))
OTP_TOTP_ISSUER = SITE_NAME  # the name an authenticator app shows beside the code
# Wrong codes count towards the sign-in lockout; django-otp's own back-off on top would only
# make a person who mistyped wait.
OTP_TOTP_THROTTLE_FACTOR = 0

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Sign-in failures and lockouts (axes, at WARNING); second factors set up, reset or refused
    # and sessions ended (security, at INFO): what whoever keeps the desk safe needs to see.
    "loggers": {
        "axes": {"level": "WARNING"},
        "security": {"level": "INFO"},
    },
}

# The longest any public response may be cached; shorter when an embargo lifts or rights expire.
PUBLIC_MAX_AGE = int(os.environ.get("PUBLIC_MAX_AGE", "300"))

# Reservations from text and data mining (W3C TDMRep), derived per item by articles.reservations:
# agency, partner and freelance copy is reserved unless its own licence lets anyone mine it (CC
# BY, BY-SA, CC0); staff copy is reserved too unless TDM_RESERVE_STAFF is off.
TDM_RESERVE_STAFF = env_flag("TDM_RESERVE_STAFF", True)
# Where a miner learns how to ask for a licence; empty: the site's own rights page.
TDM_POLICY_URL = env_absolute_url("TDM_POLICY_URL")
# Crawlers that gather text for training models, each by the product token its operator
# documents; robots.txt keeps them out of the whole site. Empty (AI_CRAWLERS=) names none.
AI_CRAWLERS = env_crawlers(
    "AI_CRAWLERS",
    (
        "GPTBot",  # OpenAI, model training
        "Google-Extended",  # Google, Gemini training and grounding (Googlebot stays welcome)
        "CCBot",  # Common Crawl, the open corpus most models are trained on
        "ClaudeBot",  # Anthropic, model training
        "anthropic-ai",  # Anthropic's earlier token
        "Applebot-Extended",  # Apple, foundation-model training (Applebot stays welcome)
        "meta-externalagent",  # Meta, model training
        "Amazonbot",  # Amazon, Alexa answers and model training
        "Bytespider",  # ByteDance, model training
        "cohere-ai",  # Cohere
    ),
)
# The server-side page cache (newsroom/page_cache.py): anonymous readers' public pages, kept in
# CACHES["default"] under the rights generation. PAGE_CACHE=off turns it off.
PAGE_CACHE = env_bool("PAGE_CACHE", True)

# Purging the CDN by surrogate key once a change that may hide an item commits (articles/cdn.py).
# Varnish: the addresses to send a BAN (or PURGE) naming the keys to, comma-separated.
CDN_PURGE_URLS = [
    url.strip() for url in os.environ.get("CDN_PURGE_URLS", "").split(",") if url.strip()
]
CDN_PURGE_METHOD = os.environ.get("CDN_PURGE_METHOD", "BAN").strip().upper()
if CDN_PURGE_METHOD not in ("BAN", "PURGE"):
    raise ImproperlyConfigured(f"CDN_PURGE_METHOD must be BAN or PURGE, not “{CDN_PURGE_METHOD}”.")
# Fastly: a service id and an API token with purge rights. Cloudflare: a zone id and an API token
# allowed to purge its cache. The API addresses are settings so that a test can stand in.
FASTLY_SERVICE_ID = os.environ.get("FASTLY_SERVICE_ID", "")
FASTLY_API_TOKEN = os.environ.get("FASTLY_API_TOKEN", "")
FASTLY_API_URL = os.environ.get("FASTLY_API_URL") or "https://api.fastly.com"
CLOUDFLARE_ZONE_ID = os.environ.get("CLOUDFLARE_ZONE_ID", "")
CLOUDFLARE_API_TOKEN = os.environ.get("CLOUDFLARE_API_TOKEN", "")
CLOUDFLARE_API_URL = os.environ.get("CLOUDFLARE_API_URL") or "https://api.cloudflare.com/client/v4"
# Seconds one purge request may take before it is given up and logged.
CDN_PURGE_TIMEOUT = env_positive("CDN_PURGE_TIMEOUT", 2, float, "seconds", 30)

# The copied-text detector refuses publication when a story shares a run of this many words, or
# this share of its words, with copy whose text may not be reused.
COPYCHECK_RUN_WORDS = int(os.environ.get("COPYCHECK_RUN_WORDS", "25"))
COPYCHECK_SHARE = float(os.environ.get("COPYCHECK_SHARE", "0.15"))
# The copied-picture check: a picture is a copy of an original (or of one of its crops) when its
# pHash and its dHash each differ from that one's by at most so many of their 64 bits.
PICTURE_COPY_PHASH_BITS = int(os.environ.get("PICTURE_COPY_PHASH_BITS", "10"))
PICTURE_COPY_DHASH_BITS = int(os.environ.get("PICTURE_COPY_DHASH_BITS", "12"))

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
