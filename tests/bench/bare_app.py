"""Ceiling 1: a bare Flask page, served with Archipel's gunicorn settings."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Bonjour"
