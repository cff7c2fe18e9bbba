from flask import Blueprint

bp = Blueprint("moderation", __name__)

from exchange.moderation import routes  # noqa: E402,F401
