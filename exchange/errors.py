"""One place that turns HTTP errors and domain errors into pages (or JSON under /api/)."""

from __future__ import annotations

import logging

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError

from exchange.services.errors import DomainError
from models import db

log = logging.getLogger(__name__)


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


def _respond(code: int, message: str | None = None):
    titles = _titles()
    title, default = titles.get(code, titles[500] if code >= 500 else titles[400])
    message = message or default
    if request.path.startswith("/api/"):
        return jsonify(error={"code": code, "title": title, "message": message}), code
    try:
        return render_template("errors/error.html", code=code, title=title, message=message), code
    except Exception:
        # The page itself failed (the database is down, say): answer plainly rather than not at all.
        log.exception("could not render the error page")
        body = f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(message)}</p>"
        return body, code


def register(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return _respond(
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
        return _respond(e.status_code, str(e.message) if specific else None)

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        if e.code and e.code < 400:
            return e
        return _respond(e.code or 500)

    @app.errorhandler(Exception)
    def unexpected(e: Exception):
        if isinstance(e, HTTPException):
            return http_error(e)
        try:
            db.session.rollback()
        except Exception:  # the session itself is broken; the page below must still answer
            log.exception("rollback failed")
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _respond(InternalServerError.code)
