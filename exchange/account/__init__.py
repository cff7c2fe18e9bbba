"""The account pages: the blueprint and its routes (`routes`; the Minga's in `minga`), its
forms (`forms`)."""

from exchange.account import minga as _minga  # noqa: F401  (its routes join the blueprint)
from exchange.account.routes import bp

__all__ = ["bp"]
