"""Entry point: `flask --app app …` and `gunicorn app:app` load this."""

from exchange import create_app

app = create_app()
