"""/compte/reglages#donnees: a member downloads their data as a ZIP, at once or, when large,
once it is ready; nobody else can take it."""

from __future__ import annotations

import io
import json
import re
import zipfile

from exchange.services.privacy.export import FOLDER
from models import db
from tests import factories


def _data(response) -> dict:
    return json.loads(zipfile.ZipFile(io.BytesIO(response.data)).read(f"{FOLDER}/data.json"))


def test_a_member_downloads_their_data_at_once(client, auth, member):
    auth.login(member)
    page = client.get("/compte/reglages").text
    assert 'action="/compte/donnees"' in page and "Télécharger mes données" in page
    response = client.post("/compte/donnees")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert re.fullmatch(
        r'attachment; filename="archipel-donnees-\d{4}-\d\d-\d\d\.zip"',
        response.headers["Content-Disposition"],
    )
    assert response.headers["Cache-Control"] == "no-store"
    assert _data(response)["profile"][0]["email"] == member.email


def test_a_large_export_is_offered_on_the_settings_page_once_ready(app, client, auth, member):
    app.config["EXPORT_INLINE_ROWS"] = -1  # every export goes to the job
    auth.login(member)
    response = client.post("/compte/donnees")
    assert response.status_code == 302
    assert response.headers["Location"] == "/compte/reglages#donnees"
    page = client.get("/compte/reglages").text
    assert "Votre export est en préparation" in page  # the flash
    taken = re.search(r'action="(/compte/donnees/\d+)"', page)
    assert taken and "Télécharger mon export" in page  # inline jobs: ready already

    other = factories.member("Zoé Autre")
    stranger = app.test_client()
    stranger.post("/connexion", data={"email": other.email, "password": factories.PASSWORD})
    assert stranger.post(taken.group(1)).status_code == 404

    download = client.post(taken.group(1))
    assert download.mimetype == "application/zip"
    assert _data(download)["profile"][0]["email"] == member.email
    again = client.post(taken.group(1))
    assert again.status_code == 404 and "déjà été téléchargé ou a expiré" in again.text
    assert 'action="/compte/donnees"' in client.get("/compte/reglages").text


def test_the_export_speaks_the_members_language_in_its_notifications(app, client, auth, member):
    member.locale = "en"
    db.session.commit()
    app.config["EXPORT_INLINE_ROWS"] = -1  # every export goes to the job
    auth.login(member)
    client.post("/compte/donnees?lang=en")
    page = client.get("/notifications?lang=en").text
    assert "Your data export is ready" in page
