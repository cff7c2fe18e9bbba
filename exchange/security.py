"""Security baseline: response headers, and the log-in session loader."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from exchange import images
from exchange.errors import respond
from exchange.extensions import login_manager
from exchange.i18n import remember_language
from exchange.services.community import accounts
from exchange.services.money.amounts import online_fees_enabled


def csp(form_targets: str = "") -> str:
    """The Content-Security-Policy; `form_targets` are other origins a form may lead to (a
    form's redirect to another site counts as sending the form there, in Chromium)."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            " ".join(["form-action 'self'", *form_targets.split()]),
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


CSP = csp()


def _policy() -> str:
    """With online fees on, the pay and connect buttons lead to Stripe's own pages."""

    if online_fees_enabled():
        return csp(current_app.config["STRIPE_PAGE_ORIGINS"])
    return CSP


SHARED_PATHS = ("/static/", "/photos/")
# Forms that carry a file, and how large a request they take (MAX_CONTENT_LENGTH for all the
# others); past it, they say themselves what is too heavy rather than show the 413 page.
UPLOADS = {"members.upload_photo": images.MAX_BYTES + 1024 * 1024}


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", _policy())
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.config["HSTS"]:
        response.headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    # Static files and pictures say their own cache life (their names change with them).
    if not request.path.startswith(SHARED_PATHS) and current_user and current_user.is_authenticated:
        # A member's pages must not come back from a shared computer's cache after log-out.
        response.headers["Cache-Control"] = "no-store"
    return response


def _same_site_referrer() -> str | None:
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc and referrer.netloc != request.host:
        return None
    path = referrer.path or ""
    if not path.startswith("/") or path.startswith("//"):
        return None
    return path + (f"?{referrer.query}" if referrer.query else "")


def register(app) -> None:

    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(token: str):
        return accounts.user_for_session(token)

    @login_manager.unauthorized_handler
    def unauthorized():

        if request.path.startswith("/api/"):
            return respond(401)
        flash(_("Connectez-vous pour accéder à cette page."), "info")
        # After logging in we come back with a GET: only a page can be returned to, not a form
        # post, so for a POST we go back to the page the form was on.
        target = request.full_path.rstrip("?") if request.method == "GET" else _same_site_referrer()
        return redirect(url_for("auth.login", next=target) if target else url_for("auth.login"))

    @app.before_request
    def room_for_uploads():
        """A picture's form may be larger than a text form (before anything reads the body)."""
        if request.endpoint in UPLOADS:
            request.max_content_length = UPLOADS[request.endpoint]

    @app.before_request
    def refuse_nul_bytes():
        """A NUL byte is never text a person typed; PostgreSQL would refuse it with a 500."""
        values = [*request.args.values(), *request.args.keys()]
        if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            try:
                values += [*request.form.values(), *request.form.keys()]
            except RequestEntityTooLarge:
                if request.endpoint in UPLOADS:
                    return  # the view reading the form refuses it, in its words
                raise
        if any("\x00" in v for v in values):
            abort(400)

    app.after_request(_headers)
    app.after_request(remember_language)
