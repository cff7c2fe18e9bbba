"""Signed, expiring tokens for the links we email (confirmation, password reset)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from exchange.services.errors import InvalidToken


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"archipel.{purpose}")


def make(purpose: str, payload: dict) -> str:
    return _serializer(purpose).dumps(payload)


def read(purpose: str, token: str, max_age: timedelta) -> dict:
    """The payload, or InvalidToken when the link is forged, altered or too old."""
    try:
        payload = _serializer(purpose).loads(token, max_age=int(max_age.total_seconds()))
    except BadSignature as e:  # SignatureExpired is a BadSignature
        raise InvalidToken() from e
    if not isinstance(payload, dict):
        raise InvalidToken()
    return payload
