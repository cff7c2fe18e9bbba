"""Archipel: the application factory."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from exchange.config import ROOT, Config
from exchange.extensions import babel, csrf, db, login_manager, migrate


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    """Build an Archipel application from a Config class, with optional overrides."""
    base = config or Config
    app = Flask(
        __name__,
        instance_path=base.INSTANCE_PATH,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(base)
    app.config.update(overrides)
    # Ids in addresses fit the database's integers: /membres/99999999999999999999 is a 404.
    app.url_map.converters["int"] = BoundedInt
    _ensure_secret_key(app)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    if app.config["PROXY_COUNT"]:
        n = app.config["PROXY_COUNT"]
        # Not x_host: links in emails come from BASE_URL, never from a header a client can set.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)  # type: ignore[method-assign]

    _init_extensions(app)
    _register_blueprints(app)

    from exchange import ratelimits

    ratelimits.init_app(app)
    _check_production(app)

    from exchange import cli, cli_outbox, database, errors, security, web

    database.register(app)
    errors.register(app)
    security.register(app)
    web.register(app)
    cli.register(app)
    cli_outbox.register(app)
    return app


class BoundedInt(IntegerConverter):
    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def _check_production(app: Flask) -> None:
    """What production cannot do without, and what it can but should not."""
    if app.config["ENV_NAME"] != "production":
        return
    if not app.config["BASE_URL"]:
        raise RuntimeError(
            "BASE_URL is required in production (e.g. https://archipel.example.org): links in "
            "emails are built from it, never from the request's Host header."
        )
    log = logging.getLogger(__name__)
    if not app.config["REDIS_URL"]:
        log.warning("REDIS_URL is not set: rate limits are per process, not shared by workers")
    if not app.config["MAIL_SERVER"]:
        log.warning("MAIL_SERVER is not set: emails, reset links included, go to the log")


def _ensure_secret_key(app: Flask) -> None:
    """Production refuses to start without SECRET_KEY; development keeps one in instance/."""
    if app.config.get("SECRET_KEY"):
        return
    if app.config["ENV_NAME"] == "production":
        raise RuntimeError(
            "SECRET_KEY is required in production: set it to a long random value "
            "(python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    path = Path(app.instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    app.config["SECRET_KEY"] = path.read_text().strip()


def _init_extensions(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)

    from exchange.adapters import cache, jobs, mail, storage

    cache.init_app(app)
    mail.init_app(app)
    storage.init_app(app)
    # The outbox's sweep (retries that are due, rows the queue never got), the data exports'
    # (files never taken, once expired) and the messages' retention run every so often.
    jobs.init_app(
        app,
        periodic=(
            "exchange.services.notify.outbox.sweep",
            "exchange.services.privacy.export.sweep",
            "exchange.services.conversations.retention.sweep",
        ),
    )

    from exchange.i18n import select_locale, select_timezone

    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)


def _register_blueprints(app: Flask) -> None:
    from exchange.account import bp as account_bp
    from exchange.admin import bp as admin_bp
    from exchange.auth import bp as auth_bp
    from exchange.conversations import bp as conversations_bp
    from exchange.exchanges import bp as exchanges_bp
    from exchange.feedback import bp as feedback_bp
    from exchange.listings import bp as listings_bp
    from exchange.main import bp as main_bp
    from exchange.members import bp as members_bp
    from exchange.moderation import bp as moderation_bp
    from exchange.payments import bp as payments_bp
    from exchange.spaces import bp as spaces_bp

    for bp in (
        main_bp,
        auth_bp,
        members_bp,
        spaces_bp,
        listings_bp,
        exchanges_bp,
        conversations_bp,
        feedback_bp,
        account_bp,
        payments_bp,
        moderation_bp,
        admin_bp,
    ):
        app.register_blueprint(bp)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Foreign keys on, WAL so readers never wait for the writer, and a patient writer."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # Writers queue (BEGIN IMMEDIATE, see services/ledger.py): waiting is better than failing.
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
