"""Rate limits on the doors attackers knock at: log-in, sign-up, emailed links, and the new
conversations a member starts in a day (against spam from one account).

Each app gets a Limiter of its own, configured from its own config (storage, prefix, on/off):
Flask-Limiter keeps its settings on the Limiter object, so one shared module-level instance
would let the last app built decide for all of them. With REDIS_URL the counters live in
Redis and hold across every worker and machine; while Redis is away (down, frozen,
restarting) each process counts in its own memory and goes back to Redis once it answers
(RATELIMIT_IN_MEMORY_FALLBACK_ENABLED in config.py), so nobody is locked out of logging in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user

from exchange.adapters.redis_client import connection_options, is_redis_url
from exchange.services.community.accounts import normalise_email


def _per_client() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _per_account() -> str:
    return current_app.config["LOGIN_PER_ACCOUNT_LIMIT"]


def submitted_email() -> str:
    """Key for attempts aimed at one account, whatever the address they come from."""
    # The same address the log-in looks up, whatever control characters were sent around it.
    return "email:" + normalise_email(request.form.get("email") or "")[:254]


def _logged_in_member() -> str:
    """Key for attempts from one member's sessions: a session left open somewhere must not
    become a way to guess the member's password."""
    return f"member:{getattr(current_user, 'id', '')}"


def _failed(response) -> bool:
    """A log-in (or a password change) that did not redirect did not succeed."""
    return response.status_code != 302


# Failed current passwords are counted together, whichever settings form they were typed in.
GUESSES_SCOPE = "settings-guesses"
_GUESSES: list[tuple[Any, ...]] = [
    (_per_client, get_remote_address, False),
    (_per_account, _logged_in_member, True, GUESSES_SCOPE),
]

# endpoint → the limits on its POSTs, as (limit, key, count only failures?[, scope shared with
# other endpoints]). Per account, only failed log-ins count: otherwise anyone could lock a
# member out by typing their address.
LIMITED_ENDPOINTS: dict[str, list[tuple[Any, ...]]] = {
    "auth.login": [
        (_per_client, get_remote_address, False),
        (_per_account, submitted_email, True),
    ],
    "auth.signup": [(_per_client, get_remote_address, False)],
    "auth.resend_confirmation": [
        (_per_client, get_remote_address, False),
        (_per_account, submitted_email, False),
    ],
    "auth.forgot_password": [
        (_per_client, get_remote_address, False),
        (_per_account, submitted_email, False),
    ],
    "auth.reset_password": [(_per_client, get_remote_address, False)],
    "members.account_settings": _GUESSES,
    "members.change_email": _GUESSES,
}


# Starting a conversation (from a listing or a profile): counted per member, and only when a
# conversation was really started (writing again in one that exists is not counted).
CONVERSATION_STARTS = ("conversations.ask", "conversations.write")
TOO_MANY_CONVERSATIONS = _l(
    "Vous avez commencé beaucoup de conversations aujourd'hui : réessayez demain, ou répondez "
    "dans une conversation déjà ouverte."
)


def _conversations_per_day() -> str:
    return current_app.config["CONVERSATIONS_PER_DAY"]


def started_conversation() -> None:
    """The view says it started a conversation: this request counts against the limit."""
    g.conversation_started = True


def _started(response) -> bool:
    return bool(g.get("conversation_started"))


def init_app(app: Flask) -> Limiter:
    """Bind a Limiter to this app and wrap the limited views (after the blueprints are registered)."""
    storage_options = {}
    if is_redis_url(app.config["RATELIMIT_STORAGE_URI"]):
        storage_options = connection_options(app.config["REDIS_TIMEOUT"])
    limiter = Limiter(get_remote_address, strategy="moving-window", storage_options=storage_options)
    limiter.init_app(app)
    for endpoint, rules in LIMITED_ENDPOINTS.items():
        view: Callable[..., Any] = app.view_functions[endpoint]
        for limit, key, failures_only, *scope in rules:
            options: dict[str, Any] = {
                "key_func": key,
                "methods": ["POST"],
                "deduct_when": _failed if failures_only else None,
            }
            if scope:
                view = limiter.shared_limit(limit, scope[0], **options)(view)
            else:
                view = limiter.limit(limit, **options)(view)
        app.view_functions[endpoint] = view
    for endpoint in CONVERSATION_STARTS:
        started: Callable[..., Any] = limiter.shared_limit(
            _conversations_per_day,
            "conversations-started",
            key_func=_logged_in_member,
            methods=["POST"],
            deduct_when=_started,
            error_message=TOO_MANY_CONVERSATIONS,
        )(app.view_functions[endpoint])
        app.view_functions[endpoint] = started
    app.extensions["archipel.limiter"] = limiter
    return limiter
