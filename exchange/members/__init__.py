from flask import Blueprint

bp = Blueprint("members", __name__)

from exchange.members import routes  # noqa: E402,F401
