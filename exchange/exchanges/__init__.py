from flask import Blueprint

bp = Blueprint("exchanges", __name__)

from exchange.exchanges import routes  # noqa: E402,F401
