"""What gunicorn serves in the database fault tests: the production entry point (app.py), plus
the one fault a test may ask for with a header (tests/db_faults.py, KILL_HEADER)."""

from app import app
from tests.db_faults import kill_connection_after_the_page

kill_connection_after_the_page(app)

__all__ = ["app"]
