"""A member's profile picture: sent from /profil, drawn again, shown wherever their name is,
served with a long cache life under a name that changes with it; bad files change nothing."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from exchange.adapters.storage import storage
from models import User, db
from tests import factories, pictures


def _send(client, data: bytes | str, name: str = "moi.jpg", lang: str = ""):
    value = (io.BytesIO(data), name) if isinstance(data, bytes) else data
    return client.post(
        "/profil/photo" + (f"?lang={lang}" if lang else ""),
        data={"photo": value},
        content_type="multipart/form-data",
    )


def _photo_of(user: User) -> str | None:
    db.session.expire_all()
    return db.session.get(User, user.id).photo


def _address(html: str, size: str = "large") -> str:
    found = re.search(rf'src="(/photos/\d+/{size}/[0-9a-f]+\.webp)"', html)
    assert found, "no picture on the page"
    return found.group(1)


def test_a_member_sends_a_photo_and_it_is_served_to_anyone_for_a_year(client, auth, member):
    auth.login(member)
    response = _send(client, pictures.photo(1200, 900, gps=True))
    assert response.status_code == 302 and response.headers["Location"] == "/profil"
    assert "Photo enregistrée." in client.get("/profil").text
    assert sorted(storage().files) == [
        f"photos/{member.id}/{_photo_of(member)}-large.webp",
        f"photos/{member.id}/{_photo_of(member)}-small.webp",
    ]
    address = _address(client.get(f"/membres/{member.id}").text)

    visitor = client.application.test_client()
    served = visitor.get(address)
    assert served.status_code == 200 and served.mimetype == "image/webp"
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"Fairphone" not in served.data
    assert "Set-Cookie" not in served.headers
    again = visitor.get(address, headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304
    # Logged in too: a picture is not a private page, so no no-store for it.
    assert client.get(address).headers["Cache-Control"].startswith("public")


def test_a_new_photo_gets_a_new_address_and_the_old_files_go(client, auth, member):
    auth.login(member)
    _send(client, pictures.photo(colour=(10, 120, 30)))
    first = _address(client.get(f"/membres/{member.id}").text)
    _send(client, pictures.photo(colour=(120, 10, 200)))
    second = _address(client.get(f"/membres/{member.id}").text)
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert len(storage().files) == 2


def test_a_member_removes_their_photo_and_gets_their_initials_back(client, auth, member):
    auth.login(member)
    _send(client, pictures.photo())
    address = _address(client.get(f"/membres/{member.id}").text)
    response = client.post("/profil/photo/supprimer")
    assert response.status_code == 302
    assert _photo_of(member) is None and storage().files == {}
    assert client.get(address).status_code == 404
    page = client.get(f"/membres/{member.id}").text
    assert '<span class="avatar avatar-128 avatar-initials' in page and ">LM</span>" in page


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (pictures.RENAMED_PDF, "photo.jpg", "Ce fichier n'est pas une image JPEG, PNG ou WebP."),
        (pictures.png_bomb(20_000), "grand.png", "Cette image est trop grande"),
        (pictures.truncated_jpeg(), "coupee.jpg", "Cette image est incomplète ou abîmée"),
        ("du texte, pas un fichier", None, "Choisissez une image sur votre appareil."),
        (b"", "vide.jpg", "Ce fichier n'est pas une image JPEG, PNG ou WebP."),
    ],
    ids=["renamed-pdf", "20000-square-png", "truncated-jpeg", "text-field", "empty-file"],
)
def test_a_bad_file_is_refused_beside_the_field_and_nothing_is_stored(
    client, auth, member, data, name, message
):
    auth.login(member)
    response = _send(client, data, name or "x")
    assert response.status_code == 400
    assert message in response.text
    assert 'id="photo-error"' in response.text
    assert 'value="Léa Martin"' in response.text  # the profile's form above, as saved
    assert _photo_of(member) is None and storage().files == {}


def test_a_file_past_the_request_limit_gets_the_weight_message_not_an_error_page(
    client, auth, member
):
    auth.login(member)
    response = _send(client, b"\xff\xd8\xff" + b"\0" * (7 * 1024 * 1024))
    assert response.status_code == 413
    assert "Cette image pèse plus de 5 Mo" in response.text
    assert _photo_of(member) is None and storage().files == {}


def test_the_refusal_speaks_english_to_an_english_speaker(client, auth, member):
    auth.login(member)
    response = _send(client, pictures.RENAMED_PDF, lang="en")
    assert "This file is not a JPEG, PNG or WebP image." in response.text


def test_a_store_that_is_down_changes_nothing_and_says_to_try_again(client, auth, member):
    auth.login(member)
    _send(client, pictures.photo(colour=(1, 2, 3)))
    before = _photo_of(member)
    storage().down = True
    response = _send(client, pictures.photo(colour=(200, 2, 3)))
    assert response.status_code == 503
    assert "Les photos ne peuvent pas être enregistrées pour l'instant" in response.text
    assert _photo_of(member) == before
    storage().down = False
    assert len(storage().files) == 2


def test_only_the_current_photo_of_a_member_is_served(client, app, member):
    assert client.get(f"/photos/{member.id}/large/0123456789abcdef.webp").status_code == 404
    assert client.get(f"/photos/{member.id}/huge/0123456789abcdef.webp").status_code == 404
    assert client.get("/photos/999999/small/0123456789abcdef.webp").status_code == 404


def test_the_photo_shows_in_the_directory_on_listings_and_exchanges(client, auth, member):
    place = factories.space("La Ruche")
    offer = factories.listing(member, place, "Relecture de CV")
    other = factories.member("Jean Dupont")
    factories.join(other, place)
    auth.login(member)
    _send(client, pictures.photo())
    small = re.compile(rf'src="/photos/{member.id}/small/[0-9a-f]+\.webp"')
    for page in ("/membres", f"/annonces/{offer.id}", "/annonces", f"/lieux/{place.id}"):
        assert small.search(client.get(page).text), page
    # Jean has no photo: his initials, in a circle no screen reader reads twice.
    directory = client.get("/membres").text
    assert 'aria-hidden="true">JD</span>' in directory


def test_a_heavy_photo_under_5_mb_is_taken_though_text_forms_stop_at_2_mb(client, auth, member):
    out = io.BytesIO()
    Image.effect_noise((1800, 1500), 90).convert("RGB").save(out, "JPEG", quality=97)
    assert 2 * 1024 * 1024 < len(out.getvalue()) < 5 * 1024 * 1024
    auth.login(member)
    assert _send(client, out.getvalue()).status_code == 302
    assert _photo_of(member) is not None
    # Any other form still refuses a body that heavy.
    heavy = client.post("/profil", data={"bio": "x" * (3 * 1024 * 1024)})
    assert heavy.status_code == 413
