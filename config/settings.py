"""All DigiGov settings. Production differs from development only by environment variables.

Environment variables (all optional in development):
  DIGIGOV_ENV                 "development" (default) or "production"; production demands keys from the env
  DIGIGOV_SECRET_KEY, DIGIGOV_DATA_KEY (32 hex), DIGIGOV_INDEX_KEY (64 hex)   see digigov/core/keys.py
  DATABASE_URL                e.g. postgres://user@127.0.0.1:5432/digigov; empty means embedded SQLite
  REDIS_URL                   e.g. redis://127.0.0.1:6379/0; used as the cache (sessions, rate counters)
  DIGIGOV_ALLOWED_HOSTS       comma-separated host names (default: 127.0.0.1,localhost)
  DIGIGOV_DEBUG               "1" shows Django's debug pages (never in production)
  DIGIGOV_SECURE_COOKIES      "1" marks cookies Secure (default: on in production)
  DIGIGOV_SESSION_IDLE_MINUTES   idle session timeout, default 30 (等保 2.0)
  DIGIGOV_LOCKOUT_FAILURES    failed logins (from any addresses) before the account locks, default 10
  DIGIGOV_LOCKOUT_MINUTES     the failure window and how long a lock lasts, default 15
  DIGIGOV_LOGIN_*             per-address and per-pair login limits (see the login throttling block below)
  DIGIGOV_SMS_BACKEND         how text messages leave: "outbox" (recorded in the database) by default
  DIGIGOV_SMS_OUTBOX_DELAY_MS the outbox adapter waits this long per message (a slow gateway; tests), default 0
  DIGIGOV_EMAIL_BACKEND       Django mail backend (default: files in <var>/mail; production: smtp + DIGIGOV_EMAIL_*)
  DIGIGOV_SITE_URL            the address links in e-mails start with, default http://127.0.0.1:8000
  DIGIGOV_QUEUE_FILE          the worker's task queue without REDIS_URL (default <var>/huey.sqlite3)
  DIGIGOV_OUTBOX_LEASE_SECONDS   how long a worker's claim on outbox rows lasts before another may retry, default 120
  DIGIGOV_AUDIT_LANES         parallel lanes of the audit chain (default 4); more lanes, more concurrent appends
  DIGIGOV_REGISTRATIONS_PER_HOUR   self-registration attempts per source address and hour, default 20
  DIGIGOV_AGENT_INVITATIONS_PER_HOUR   经办人 invitations per account and per source address and hour, default 10
  DIGIGOV_IDEMPOTENCY_KEY_DAYS   how long a create's idempotency key answers retries, default 7 (then pruned)
  DIGIGOV_RECTIFICATION_WORKING_DAYS   working days a department has to answer a 差评, default 5
  DIGIGOV_HOTLINE_DATA_DIR    the hotline's shipped data (taxonomy, messages), default ../shared/data/hotline
  DIGIGOV_HOTLINE_MODEL_DIR   where trained routing models are written, default <var>/hotline-models
  DIGIGOV_HOTLINE_ROUTING_THRESHOLD   model confidence needed to dispatch without a person, default 0.6
  DIGIGOV_VAR_DIR             where the SQLite file and generated development keys live (default ./var)
  DIGIGOV_CACHE_DIR           the shared cache folder when REDIS_URL is empty (default <var>/cache)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP

from digigov.core.keys import load_keys

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value in (None, "") else value.lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


PRODUCTION = os.environ.get("DIGIGOV_ENV", "development") == "production"
VAR_DIR = Path(os.environ.get("DIGIGOV_VAR_DIR") or BASE_DIR / "var")
PLATFORM_KEYS = load_keys(production=PRODUCTION, dev_key_file=VAR_DIR / "dev-keys.json")

SECRET_KEY = PLATFORM_KEYS.django_secret
DEBUG = env_bool("DIGIGOV_DEBUG", False) and not PRODUCTION
ALLOWED_HOSTS = [h for h in os.environ.get("DIGIGOV_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "digigov.core",
    "digigov.identity",
    "digigov.credit",
    "digigov.onestop",
    "digigov.hotline",
    "digigov.demo",
    "huey.contrib.djhuey",  # the background worker: `manage.py run_huey` (ADR 0009)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "digigov.core.middleware.PrivateCacheControlMiddleware",  # below WhiteNoise: static files stay cacheable
    "django.contrib.sessions.middleware.SessionMiddleware",
    "digigov.identity.session_renewal.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "digigov.core.middleware.RequestContextMiddleware",
    "digigov.identity.middleware.AccessPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.csp",
                "digigov.identity.context_processors.ui_preferences",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------------------
# Every SQLite database gets the same tuning, whether it is the embedded default or named by DATABASE_URL:
# IMMEDIATE: a writer takes the lock at BEGIN, so concurrent writers queue (up to `timeout` seconds) instead of
# failing on lock upgrade; WAL lets readers continue while one writes.
SQLITE_OPTIONS: dict[str, Any] = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}


def sqlite_tuned(database: dict[str, Any]) -> dict[str, Any]:
    """The database settings with SQLITE_OPTIONS applied when its engine is SQLite (other engines unchanged)."""
    if database.get("ENGINE") != "django.db.backends.sqlite3":
        return database
    tuned = {**database, "OPTIONS": {**SQLITE_OPTIONS, **database.get("OPTIONS", {})}}
    name = str(database.get("NAME") or "")
    if name and name != ":memory:" and not database.get("TEST", {}).get("NAME"):
        # Tests use a file too: an in-memory database is a shared cache whose table locks fail at once
        # instead of waiting, so concurrency tests would not see what production sees.
        path = Path(name)
        tuned["TEST"] = {**database.get("TEST", {}), "NAME": str(path.with_name(f"test-{path.name}"))}
    return tuned


DATABASE_URL = os.environ.get("DATABASE_URL", "")
DEFAULT_DATABASE: dict[str, Any]
if DATABASE_URL:
    DEFAULT_DATABASE = dict(dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True))
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DEFAULT_DATABASE = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "digigov.sqlite3")}
DATABASES = {"default": sqlite_tuned(DEFAULT_DATABASE)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache and sessions ---------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DIGIGOV_CACHE_PREFIX", "digigov"),
        }
    }
else:
    # Without Redis (development, the SQLite default) the cache is a folder every process of this checkout shares:
    # the server, the sweepers and manage.py commands see each other's invalidations (digigov.core.process_cache).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("DIGIGOV_CACHE_DIR") or str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},  # beyond this Django deletes a third of the files
        }
    }

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_IDLE_MINUTES = env_int("DIGIGOV_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# The timeout counts idle time: identity.session_renewal renews the expiry at most once a minute.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_COOKIES = env_bool("DIGIGOV_SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
SESSION_COOKIE_NAME = "digigov_session"

# --- security headers -----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- authentication -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "identity.User"
AUTHENTICATION_BACKENDS = ["digigov.identity.auth_backend.IdentifierBackend"]
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "identity:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "digigov.identity.passwords.CharacterClassValidator"},
]
# Login throttling (docs/adr/0007-login-throttling.md). Failures are counted over a sliding window of
# LOCKOUT_MINUTES per (account, address) pair, per address and per account; the answer is the same for an
# unknown account, a wrong password and a locked account.
LOCKOUT_MINUTES = env_int("DIGIGOV_LOCKOUT_MINUTES", 15)
LOGIN_PAIR_FAILURES = env_int("DIGIGOV_LOGIN_PAIR_FAILURES", 5)  # one address stops trying one account
LOGIN_ACCOUNT_CHALLENGE_AFTER = env_int("DIGIGOV_LOGIN_ACCOUNT_CHALLENGE_AFTER", 3)  # then an arithmetic challenge
LOCKOUT_FAILURES = env_int("DIGIGOV_LOCKOUT_FAILURES", 10)  # from any addresses: the account locks
LOGIN_ADDRESS_CHALLENGE_AFTER = env_int("DIGIGOV_LOGIN_ADDRESS_CHALLENGE_AFTER", 10)  # any accounts, one address
LOGIN_ADDRESS_FAILURES = env_int("DIGIGOV_LOGIN_ADDRESS_FAILURES", 50)  # the address is refused for a while
RECOVERY_CODES_PER_HOUR = env_int("DIGIGOV_RECOVERY_CODES_PER_HOUR", 5)  # SMS codes per number and per address
# Text messages: "outbox" records them in the database (development); production names its gateway adapter.
SMS_BACKEND = os.environ.get("DIGIGOV_SMS_BACKEND", "outbox")
AUDIT_CHAIN_LANES = env_int("DIGIGOV_AUDIT_LANES", 4)  # parallel audit chains; raise, never lower
REGISTRATIONS_PER_HOUR = env_int("DIGIGOV_REGISTRATIONS_PER_HOUR", 20)  # self-registration attempts per IP
AGENT_INVITATIONS_PER_HOUR = env_int("DIGIGOV_AGENT_INVITATIONS_PER_HOUR", 10)  # 经办人 invitations per actor, per IP
# A create's idempotency key answers retries this long (digigov.core.idempotency): a week covers a client that
# queues its retries over a weekend or a short holiday; idempotency_prune removes older keys.
IDEMPOTENCY_KEY_DAYS = env_int("DIGIGOV_IDEMPOTENCY_KEY_DAYS", 7)
RECTIFICATION_WORKING_DAYS = env_int("DIGIGOV_RECTIFICATION_WORKING_DAYS", 5)  # deadline to answer a 差评

# --- messages and the background worker (ADR 0009) --------------------------------------------------------
# One worker process (`manage.py run_huey`) delivers the message outbox and runs every periodic job. Its queue is
# Redis when REDIS_URL is set, otherwise a SQLite file in var/. Tasks are enqueued through django.tasks.
HUEY: dict[str, Any] = {
    "name": os.environ.get("DIGIGOV_QUEUE_NAME", "digigov"),
    "immediate": False,
    "utc": True,
    "consumer": {"workers": 2, "worker_type": "thread", "periodic": True, "check_worker_health": True},
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "connection": {"url": REDIS_URL}})
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    HUEY.update(
        {
            "huey_class": "huey.SqliteHuey",
            "connection": {"filename": os.environ.get("DIGIGOV_QUEUE_FILE") or str(VAR_DIR / "huey.sqlite3")},
        }
    )
TASKS = {"default": {"BACKEND": "huey.contrib.djhuey.tasks_backend.HueyBackend"}}
OUTBOX_LEASE_SECONDS = env_int("DIGIGOV_OUTBOX_LEASE_SECONDS", 120)
OUTBOX_MAX_ATTEMPTS = 8  # then the row is `failed` (last_error says why); backoff 30 s doubling, at most 6 h
SMS_OUTBOX_DELAY_MS = env_int("DIGIGOV_SMS_OUTBOX_DELAY_MS", 0)
# E-mail through Django's mailers: development writes each message as a file in var/mail; production names smtp
# (DIGIGOV_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend) and DIGIGOV_EMAIL_HOST/PORT/USER/PASSWORD.
EMAIL_BACKEND_PATH = os.environ.get("DIGIGOV_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
MAILERS: dict[str, dict[str, Any]] = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": {}}}
if EMAIL_BACKEND_PATH.endswith("filebased.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {"file_path": str(VAR_DIR / "mail")}
elif EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("DIGIGOV_EMAIL_HOST", "localhost"),
        "port": env_int("DIGIGOV_EMAIL_PORT", 25),
        "username": os.environ.get("DIGIGOV_EMAIL_USER", ""),
        "password": os.environ.get("DIGIGOV_EMAIL_PASSWORD", ""),
        "use_tls": env_bool("DIGIGOV_EMAIL_USE_TLS", False),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DIGIGOV_FROM_EMAIL", "本溪市数字政府 <noreply@benxi.gov.cn.invalid>")
SITE_URL = os.environ.get("DIGIGOV_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# 12345 hotline
HOTLINE_DATA_DIR = Path(os.environ.get("DIGIGOV_HOTLINE_DATA_DIR") or BASE_DIR.parent / "shared" / "data" / "hotline")
HOTLINE_MODEL_DIR = Path(os.environ.get("DIGIGOV_HOTLINE_MODEL_DIR") or VAR_DIR / "hotline-models")
HOTLINE_ROUTING_THRESHOLD = float(os.environ.get("DIGIGOV_HOTLINE_ROUTING_THRESHOLD") or 0.6)
OTP_TOTP_ISSUER = "DigiGov 本溪市数字政府"

# --- i18n -----------------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static files ---------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"  # uploaded materials; served only through views that check scope
MEDIA_URL = "/media/"
# Uploads: no file is kept past UPLOAD_MAX_BYTES + 1 bytes (the largest a material may allow is 100 MB; each view
# refuses by its own, smaller limit), whatever the client sends (digigov.core.uploads.CappedUploadHandler).
UPLOAD_MAX_BYTES = 100 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "digigov.core.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the app folders too, so tests need no collectstatic

# --- logging: never personal data; request logs carry no query strings ----------------------------------
# digigov.core.log_redaction drops query strings and credential values (api_key=, token=, password=, Bearer …)
# from every record of the request loggers and of every handler; gunicorn's loggers get the same filter from
# gunicorn.conf.py (read by gunicorn from the project folder).
_REDACT = ["redact_requests"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_requests": {"()": "digigov.core.log_redaction.RequestSecretsFilter"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": _REDACT},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server", "filters": _REDACT},
    },
    "loggers": {
        # runserver's request lines, as Django configures them by default, plus the filter
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False, "filters": _REDACT},
        # 4xx and 5xx answers: cleaned on the logger, so every handler they propagate to gets the clean record
        "django.request": {"filters": _REDACT},
        # every task start and finish at INFO: the worker's own log (huey) already says what ran
        "django.tasks": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
}

DIGIGOV_DEMO_CITY = "本溪市"
