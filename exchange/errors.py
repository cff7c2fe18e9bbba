"""One place that turns HTTP errors and domain errors into pages (or JSON under /api/)."""

from __future__ import annotations

import logging

from flask import Response, current_app, g, jsonify, make_response, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError

from exchange.database import database_away, statement_timed_out
from exchange.extensions import login_manager
from exchange.services.errors import DomainError
from models import db

log = logging.getLogger(__name__)

# Seconds a client is asked to wait when the database is away (a restart, a failover).
RETRY_AFTER = 30


def _titles() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Requête invalide"), _("Requête incomprise : rechargez la page et réessayez.")),
        401: (_("Connexion requise"), _("Connectez-vous pour continuer.")),
        403: (_("Accès refusé"), _("Vous n'avez pas accès à cette page.")),
        404: (_("Page introuvable"), _("Cette page n'existe pas ou n'est plus disponible.")),
        405: (_("Méthode non permise"), _("Cette page ne s'utilise pas ainsi.")),
        409: (_("Conflit"), _("Cette action entre en conflit avec l'état actuel.")),
        413: (_("Trop volumineux"), _("Ce que vous avez envoyé est trop volumineux.")),
        429: (
            _("Trop de tentatives"),
            _("Vous avez fait trop de tentatives. Patientez quelques minutes puis réessayez."),
        ),
        500: (
            _("Erreur du serveur"),
            _("Quelque chose s'est mal passé de notre côté. L'équipe a été prévenue."),
        ),
    }


def _words(code: int, message: str | None) -> tuple[str, str]:
    titles = _titles()
    title, default = titles.get(code, titles[500] if code >= 500 else titles[400])
    return title, message or default


def respond(code: int, message: str | None = None):
    try:
        title, message = _words(code, message)
        if request.path.startswith("/api/"):
            return jsonify(error={"code": code, "title": title, "message": message}), code
        return render_template("errors/error.html", code=code, title=title, message=message), code
    except Exception as failure:
        if database_away(failure):  # the member's language, or the page around, needed it
            return _database_unavailable(failure)
        # The page itself failed: answer plainly rather than not at all.
        log.exception("could not render the error page")
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            title, message = _words(code, message)
        body = f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(message)}</p>"
        return body, code


def _database_unavailable(error: BaseException | None):
    """503 from a page that reads nothing from the database: not even the member, whose
    language is kept on their row, so it speaks the network's default language."""
    what = "statement timed out" if statement_timed_out(error) else "database unreachable"
    log.warning("%s on %s %s: %s", what, request.method, request.path, error)
    # The rest of the request sees an anonymous visitor: loading the member again (for the
    # response headers, say) would ask the database once more.
    g._login_user = login_manager.anonymous_user()
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        title = _(
            "%(name)s est momentanément indisponible", name=current_app.config["NETWORK_NAME"]
        )
        message = _(
            "Notre base de données ne répond pas (maintenance ou incident). Réessayez dans "
            "une minute ; si vous envoyiez un formulaire, vérifiez ensuite qu'il a bien été "
            "pris en compte."
        )
        body: Response | str
        if request.path.startswith("/api/"):
            body = jsonify(error={"code": 503, "title": title, "message": message})
        else:
            body = render_template("errors/unavailable.html", title=title, message=message)
    response = make_response(body, 503)
    response.headers["Retry-After"] = str(RETRY_AFTER)
    response.headers["Cache-Control"] = "no-store"
    return response


def _limit_words(e: HTTPException) -> str | None:
    """A rate limit that has words of its own (Flask-Limiter's `error_message`) says them."""
    limit = getattr(e, "limit", None)
    words = getattr(limit, "error_message", None)
    if words is None:
        return None
    return str(words() if callable(words) else words)


def register(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return respond(
            400,
            _(
                "Le formulaire a expiré ou n'a pas été envoyé depuis Archipel. Rechargez la page et réessayez."
            ),
        )

    @app.errorhandler(DomainError)
    def domain_error(e: DomainError):
        db.session.rollback()
        # A bare "not found" says less than the page's own words for its status.
        specific = e.message is not type(e).default_message
        return respond(e.status_code, str(e.message) if specific else None)

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        if e.code and e.code < 400:
            return e
        # A handler that failed on the database ends here as a 500 carrying what it raised.
        original = getattr(e, "original_exception", None)
        if database_away(original) or statement_timed_out(original):
            return _database_unavailable(original)
        return respond(e.code or 500, _limit_words(e))

    @app.errorhandler(Exception)
    def unexpected(e: Exception):
        if isinstance(e, HTTPException):
            return http_error(e)
        if database_away(e) or statement_timed_out(e):
            return _database_unavailable(e)
        try:
            db.session.rollback()
        except Exception:  # the session itself is broken; the page below must still answer
            log.exception("rollback failed")
        log.exception("unhandled error on %s %s", request.method, request.path)
        return respond(InternalServerError.code)
