from flask import Blueprint

bp = Blueprint("payments", __name__)

from exchange.payments import routes  # noqa: E402,F401
