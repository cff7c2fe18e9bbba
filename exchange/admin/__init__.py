from flask import Blueprint

bp = Blueprint("admin", __name__)

from exchange.admin import emails, routes  # noqa: E402,F401
