"""Extensions, created once here and bound to the app in `create_app`."""

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

from models import db

login_manager = LoginManager()
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, strategy="moving-window")


def submitted_email() -> str:
    """Rate-limit key for log-in attempts aimed at one account, whatever the address they come from."""
    return "email:" + (request.form.get("email") or "").strip().lower()


__all__ = ["babel", "csrf", "db", "limiter", "login_manager", "migrate", "submitted_email"]
