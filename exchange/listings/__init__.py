from flask import Blueprint

bp = Blueprint("listings", __name__)

from exchange.listings import routes  # noqa: E402,F401
