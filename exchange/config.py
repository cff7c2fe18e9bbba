"""Configuration, read from the environment. Every variable is listed in the README."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The demo network's addresses (exchange/demo/). `.test` is reserved by RFC 6761: no mailbox
# anywhere has one, so a real member can never hold one of these.
DEMO_DOMAIN = "archipel.test"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(url: str | None) -> str | None:
    """Accept the usual `postgres://` and `postgresql://` spellings; we drive psycopg 3."""
    if not url:
        return None
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    ENV_NAME = os.environ.get("ARCHIPEL_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY")
    INSTANCE_PATH = os.environ.get("ARCHIPEL_INSTANCE_PATH", str(ROOT / "instance"))

    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("DATABASE_URL")) or (
        "sqlite:///" + str(Path(INSTANCE_PATH) / "archipel.db")
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # PostgreSQL cancels a web request's statement after this many milliseconds (the request
    # gets the 503 page); commands and background threads are never limited. 0: no limit.
    DB_STATEMENT_TIMEOUT_MS = int(os.environ.get("DB_STATEMENT_TIMEOUT_MS", "5000"))

    NETWORK_NAME = os.environ.get("NETWORK_NAME", "Archipel")
    BASE_URL = os.environ.get(
        "BASE_URL", ""
    )  # used in emails when set, e.g. https://archipel.example

    # Sessions: the cookie is signed, the session itself lives in the database row it names.
    SESSION_COOKIE_NAME = "archipel_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", ENV_NAME == "production")
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_HOURS", "12")))
    REMEMBER_COOKIE_NAME = "archipel_remember"
    REMEMBER_COOKIE_DURATION = timedelta(days=int(os.environ.get("REMEMBER_DAYS", "30")))
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    HSTS = ENV_NAME == "production"

    MAX_CONTENT_LENGTH = (
        2 * 1024 * 1024
    )  # forms are text: 2 MB is generous (a picture: security.py)
    MAX_FORM_MEMORY_SIZE = 1024 * 1024
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead of a clock: no expired forms

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("NETWORK_TIMEZONE", "Europe/Paris")
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "exchange" / "translations")
    LANGUAGES = ("fr", "en")

    REDIS_URL = os.environ.get("REDIS_URL")
    # Seconds Redis may take to accept a connection or answer a command: a frozen Redis costs
    # a request this long (twice at most, with the one retry), never the client's 5 s default.
    REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.25"))
    # Counts and rankings of the search page (exchange/adapters/cache.py): in Redis, shared by
    # every worker, when set; in each process's memory otherwise. Seconds a value is kept.
    CACHE_REDIS_URL = REDIS_URL
    CACHE_SECONDS = float(os.environ.get("CACHE_SECONDS", "60"))
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    # Redis away: count in this process's memory (the same limits) until Redis answers again,
    # rather than answering 500 to every log-in. The limiter checks Redis on a backoff (1 s,
    # 2 s… up to 32 s) and goes back to it by itself.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_KEY_PREFIX = "archipel"
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;60 per hour")
    LOGIN_PER_ACCOUNT_LIMIT = os.environ.get("LOGIN_PER_ACCOUNT_LIMIT", "5 per minute;30 per hour")
    # New conversations one member may start in a day (answers in open ones are not counted).
    CONVERSATIONS_PER_DAY = os.environ.get("CONVERSATIONS_PER_DAY", "20 per day")
    # Number of trusted reverse proxies in front of the app (for the client address).
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    # Email: SMTP when MAIL_SERVER is set, otherwise written to the log.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Archipel <noreply@archipel.local>")
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND")  # smtp | log | memory; chosen from MAIL_SERVER
    # Seconds an SMTP connection may wait on the server before the attempt is given up (and
    # retried later): it bounds a worker, never a page.
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "15"))
    # Who delivers the outbox: "rq" (a worker beside gunicorn, REDIS_URL set), "thread" (a
    # thread of the app's own process), "inline" (right after the commit: tests).
    OUTBOX_DELIVERY = os.environ.get("OUTBOX_DELIVERY") or ("rq" if REDIS_URL else "thread")
    # How often pending emails are looked for (a lost enqueue, a retry that is due).
    OUTBOX_SWEEP_SECONDS = float(os.environ.get("OUTBOX_SWEEP_SECONDS", "30"))

    # Uploaded files (profile pictures): "local" keeps them in STORAGE_PATH (instance/uploads
    # by default), for one machine; "s3" in an S3-compatible bucket, shared by every machine.
    STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND")  # local | s3 | memory; s3 if S3_BUCKET
    STORAGE_PATH = os.environ.get("STORAGE_PATH")
    S3_BUCKET = os.environ.get("S3_BUCKET")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL")  # unset: AWS; else Scaleway, MinIO…
    S3_REGION = os.environ.get("S3_REGION")
    S3_PREFIX = os.environ.get("S3_PREFIX", "")
    STORAGE_TIMEOUT = float(os.environ.get("STORAGE_TIMEOUT", "5"))

    EMAIL_TOKEN_MAX_AGE = timedelta(days=3)
    RESET_TOKEN_MAX_AGE = timedelta(hours=2)

    # A logged time nobody confirms within this many days expires, moving nothing.
    EXCHANGE_LOG_DAYS = int(os.environ.get("EXCHANGE_LOG_DAYS", "30"))

    # A member's data export: built while they wait up to this many rows (movements, exchange
    # history, notifications), by a job beyond; a job's file is offered for EXPORT_HOURS.
    EXPORT_INLINE_ROWS = int(os.environ.get("EXPORT_INLINE_ROWS", "3000"))
    EXPORT_HOURS = int(os.environ.get("EXPORT_HOURS", "48"))

    # Online fees (Stripe): on only when the network has set all three keys.
    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET")
    STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY")
    # Another address for Stripe's API (a local stripe-mock, the tests' fake); Stripe's if unset.
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE")
    # Where the pay and connect buttons lead (Checkout, Connect onboarding): allowed as form
    # targets in the Content-Security-Policy when fees are on.
    STRIPE_PAGE_ORIGINS = os.environ.get(
        "STRIPE_PAGE_ORIGINS", "https://checkout.stripe.com https://connect.stripe.com"
    )
    # Put before every idempotency key (e.g. "staging-") when installations share a Stripe account.
    STRIPE_KEY_PREFIX = os.environ.get("STRIPE_KEY_PREFIX", "")
    # Connected accounts are opened in this country (Stripe Connect Express).
    STRIPE_ACCOUNT_COUNTRY = os.environ.get("STRIPE_ACCOUNT_COUNTRY", "FR")

    # argon2id with 2^17 KiB (128 MiB) of memory, 3 passes, 4 lanes: about a quarter of a
    # second per log-in here, and costly to attack on a GPU.
    ARGON2_TIME_COST = int(os.environ.get("ARGON2_TIME_COST", "3"))
    ARGON2_MEMORY_COST = int(os.environ.get("ARGON2_MEMORY_COST", "131072"))
    ARGON2_PARALLELISM = int(os.environ.get("ARGON2_PARALLELISM", "4"))


class TestConfig(Config):
    TESTING = True
    ENV_NAME = "testing"
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    # Each test app caches in its own memory: a Redis shared by tests would outlive their rows.
    CACHE_REDIS_URL = None
    MAIL_BACKEND = "memory"
    STORAGE_BACKEND = "memory"
    MAIL_TIMEOUT = 5.0
    OUTBOX_DELIVERY = "inline"
    SERVER_NAME = None
    # Cheap hashes keep the suite fast; production parameters are tested separately.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    HSTS = False
    # The machine's environment never turns online fees on in a test; a test sets them.
    STRIPE_SECRET_KEY = STRIPE_WEBHOOK_SECRET = STRIPE_PUBLISHABLE_KEY = None
    STRIPE_API_BASE = None
