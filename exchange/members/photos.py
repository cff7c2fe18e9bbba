"""Profile pictures: sending one, removing it, and serving them."""

from __future__ import annotations

from flask import make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from exchange import images
from exchange.actions import act
from exchange.members.forms import PhotoForm
from exchange.members.routes import bp, profile_page, saved_profile_form
from exchange.services.community import photos

YEAR = 365 * 24 * 3600


@bp.route("/profil/photo", methods=["POST"])
@login_required
def upload_photo():
    """Send a new profile picture (it replaces the one before)."""
    try:
        form = PhotoForm()
        valid = form.validate_on_submit()
    except RequestEntityTooLarge:  # past MAX_CONTENT_LENGTH: refused before it was read
        form = PhotoForm(formdata=None)
        form.photo.errors = [str(photos.REFUSALS["too_big"])]
        return profile_page(saved_profile_form(), form, 413)
    outcome = None
    if valid:
        # One byte past the limit is enough to know it is too heavy.
        data = form.photo.data.stream.read(images.MAX_BYTES + 1)
        outcome = act(
            lambda: photos.set_photo(current_user.id, data), form=form, done=_("Photo enregistrée.")
        )
        if outcome:
            return redirect(url_for("members.edit_profile"))
    status = outcome.error.status_code if outcome is not None and outcome.error else None
    return profile_page(saved_profile_form(), form, status)


@bp.route("/profil/photo/supprimer", methods=["POST"])
@login_required
def remove_photo():
    """Go back to initials in a circle."""
    act(lambda: photos.remove_photo(current_user.id), done=_("Photo retirée."))
    return redirect(url_for("members.edit_profile"))


@bp.route("/photos/<int:user_id>/<any(large, small):size>/<photo>.webp")
def photo(user_id: int, size: str, photo: str):
    """One size of a member's picture: its address changes with it, so it may be kept a year."""
    response = make_response(photos.read(user_id, photo, size))
    response.mimetype = images.CONTENT_TYPE
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    response.set_etag(f"{photo}-{size}")
    return response.make_conditional(request)
