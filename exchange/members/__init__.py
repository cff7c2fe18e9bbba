"""The members pages: the blueprint and its routes (`routes`; the pictures' in `photos`, the
data export's in `privacy`, the notifications' channels in `preferences`), its forms (`forms`)."""

from exchange.members import photos as _photos  # noqa: F401  (its routes join the blueprint)
from exchange.members import pickers as _pickers  # noqa: F401
from exchange.members import preferences as _preferences  # noqa: F401
from exchange.members import privacy as _privacy  # noqa: F401
from exchange.members.routes import bp

__all__ = ["bp"]
