"""The exchanges pages: the blueprint and its routes (`routes`; the exchange's own thread in
`thread`, the time logged outside a listing in `direct`), its forms (`forms`)."""

from exchange.exchanges import direct as _direct  # noqa: F401  (its route joins the blueprint)
from exchange.exchanges import thread as _thread  # noqa: F401
from exchange.exchanges.routes import bp

__all__ = ["bp"]
