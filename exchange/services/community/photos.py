"""A member's profile picture: checked, drawn again at two sizes, stored, shown.

The files live in the file store (exchange/adapters/storage.py) under a name made of the
member's id and the picture's digest, so a new picture has a new address: the old one may stay
in a browser's cache for a year without ever being shown in its place."""

from __future__ import annotations

import logging

from flask_babel import lazy_gettext as _l

from exchange import images
from exchange.adapters.storage import StorageError, storage
from exchange.services.community.spaces import user_of
from exchange.services.errors import Conflict, InvalidInput, NotFound
from models import User, db

log = logging.getLogger("archipel.photos")

REFUSALS = {
    "too_big": _l("Cette image pèse plus de 5 Mo : choisissez-en une plus légère."),
    "too_large": _l(
        "Cette image est trop grande (plus de 60 millions de pixels) : réduisez-la d'abord."
    ),
    "not_image": _l("Ce fichier n'est pas une image JPEG, PNG ou WebP."),
    "broken": _l("Cette image est incomplète ou abîmée : elle ne s'ouvre pas."),
}


class StoreUnavailable(Conflict):
    status_code = 503
    default_message = _l(
        "Les photos ne peuvent pas être enregistrées pour l'instant : rien n'a changé. "
        "Réessayez dans un moment."
    )


def key(user_id: int, photo: str, size: str) -> str:
    """Where one size of a member's picture is kept in the file store."""
    return f"photos/{user_id}/{photo}-{size}.{images.EXTENSION}"


def forget(user_id: int, photo: str | None) -> None:
    """Remove a picture's files once no row names them; a store that fails only leaves
    orphans behind (logged), never an error for the member."""
    if not photo:
        return
    for size in images.SIZES:
        try:
            storage().delete(key(user_id, photo, size))
        except StorageError:
            log.warning("could not delete %s", key(user_id, photo, size), exc_info=True)


def set_photo(user_id: int, data: bytes) -> User:
    """The member's new picture, from the bytes they sent: refused with a reason when it is
    not a picture we take (nothing stored), else stored at both sizes and shown at once."""
    user = user_of(user_id)
    try:
        photo = images.process(data)
    except images.BadImage as e:
        raise InvalidInput(REFUSALS[e.reason], field="photo") from None
    written: list[str] = []
    try:
        for size, content in photo.sizes.items():
            storage().put(key(user.id, photo.digest, size), content, images.CONTENT_TYPE)
            written.append(size)
    except StorageError:
        log.warning("could not store a photo for member %s", user.id, exc_info=True)
        forget(user.id, photo.digest if written else None)
        raise StoreUnavailable() from None
    old, user.photo = user.photo, photo.digest
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        forget(user_id, photo.digest)
        raise
    if old != photo.digest:
        forget(user.id, old)
    return user


def remove_photo(user_id: int) -> User:
    """The member goes back to their initials; the files go."""
    user = user_of(user_id)
    old, user.photo = user.photo, None
    db.session.commit()
    forget(user.id, old)
    return user


def read(user_id: int, photo: str, size: str) -> bytes:
    """One size of a member's current picture (an old address is NotFound: the member
    replaced or removed it)."""
    if size not in images.SIZES:
        raise NotFound()
    current = db.session.get(User, user_id)
    if current is None or current.photo != photo:
        raise NotFound()
    try:
        data = storage().get(key(user_id, photo, size))
    except StorageError:
        raise StoreUnavailable() from None
    if data is None:
        raise NotFound()
    return data
