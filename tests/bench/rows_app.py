"""Ceiling 2: a minimal Flask page that reads 20 rows from PostgreSQL (the same driver and
pool as Archipel) and renders them with a template, served with Archipel's gunicorn settings."""

import os
from pathlib import Path

from flask import Flask, render_template
from sqlalchemy import create_engine, text

from exchange.config import _database_url

app = Flask(__name__, template_folder=str(Path(__file__).resolve().parent / "templates"))
engine = create_engine(_database_url(os.environ["DATABASE_URL"]), pool_pre_ping=True)
ROWS = text("SELECT id, title, created_at FROM listings ORDER BY id LIMIT 20")


@app.route("/")
def rows():
    with engine.connect() as connection:
        listings = connection.execute(ROWS).all()
    return render_template("rows.html", listings=listings)
