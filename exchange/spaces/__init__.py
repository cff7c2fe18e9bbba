from flask import Blueprint

bp = Blueprint("spaces", __name__)

from exchange.spaces import routes  # noqa: E402,F401
