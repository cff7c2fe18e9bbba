"""Language and time zone: French by default, English second; `?lang=` switches and is remembered."""

from __future__ import annotations

from flask import current_app, g, has_app_context, has_request_context, request, url_for
from flask_babel import get_locale, get_translations
from flask_login import current_user

from exchange.forms_common import carried_args

LANG_COOKIE = "archipel_lang"


def select_locale() -> str:
    """`?lang=` first (and remember it), then the remembered choice, then the member's, then French."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands and services outside a request: the default
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    asked = request.args.get("lang")
    if asked is not None and asked in languages:
        g.remember_lang = asked
        return asked
    remembered = request.cookies.get(LANG_COOKIE)
    if remembered is not None and remembered in languages:
        return remembered
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def remember_language(response):
    """Keep the language chosen with `?lang=` in a cookie of its own (a year, not the session's)."""
    lang = g.pop("remember_lang", None)
    if lang:
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def switch_language_url(lang: str) -> str:
    """The current page in another language."""
    if request.endpoint and request.url_rule and "GET" in (request.url_rule.methods or ()):
        return url_for(request.endpoint, **carried_args(lang=lang), **(request.view_args or {}))
    return url_for("main.index", lang=lang)


def translations():
    """The translations of the locale in force, looked up once per locale and request.

    Flask-Babel formats the locale's name again for every string it translates (about 25 µs
    each), and a coordinator's desk says 2,000 of them. `force_locale` (an email in its
    recipient's language) gives another locale, hence other translations."""
    if not has_app_context():
        return get_translations()
    locale = get_locale()
    known = g.get("_archipel_translations")
    if known is None or known[0] is not locale:
        known = g._archipel_translations = (locale, get_translations())
    return known[1]
