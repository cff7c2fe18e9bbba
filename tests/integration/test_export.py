"""A member takes their data (GDPR art. 15 and 20): one ZIP, JSON and CSV and the photo, with
every section Archipel keeps about them and nobody else's address; a large one built by a job
and offered once, until its link expires."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select

from exchange.adapters.storage import StorageError, storage
from exchange.services.community import photos
from exchange.services.errors import Conflict, NotFound
from exchange.services.exchanges import lifecycle
from exchange.services.ledger import gifts
from exchange.services.moderation import reports
from exchange.services.privacy import export
from exchange.services.reputation import feedback
from models import DataExport, Notification, db
from models.base import utcnow
from tests import factories, pictures
from tests.querycount import counting

FOLDER = export.FOLDER


@pytest.fixture
def alice(app):
    """Alice asked Bob for a bike repair (an hour, confirmed, feedback both ways), gave half an
    hour to the pot, reported a listing of Carol's, and has a photo."""
    place = factories.space("La Ruche")
    alice = factories.member("Alice Martin", "alice@example.org", bio="Je code.", contact="=1+1")
    bob = factories.member("Bob Durand", "bob@example.org")
    carol = factories.member("Carol", "carol@example.org")
    for person in (alice, bob, carol):
        factories.join(person, place)
    offer = factories.listing(bob, place, "Réparation de vélo")
    factories.listing(alice, place, "Relecture de CV", kind="offer")
    spam = factories.listing(carol, place, "Achetez mes cryptos")
    ex = lifecycle.propose(alice.id, offer.id, message="Samedi ?", foreseen_minutes=60)
    lifecycle.accept(bob.id, ex.id)
    lifecycle.log_time(bob.id, ex.id, minutes=60)
    lifecycle.confirm(alice.id, ex.id)
    feedback.write(alice.id, ex.id, "recommends", "Impeccable, merci Bob", [])
    feedback.write(bob.id, ex.id, "recommends", "Alice était prête", [])
    gifts.give(alice.id, minutes=30, message="Pour le pot", to_member_id=None)
    reports.report_listing(alice.id, spam.id, "spam", "De la pub")
    photos.set_photo(alice.id, pictures.photo())
    return alice


def _zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def _csv(zf: zipfile.ZipFile, name: str) -> list[dict]:
    text = zf.read(f"{FOLDER}/csv/{name}.csv").decode("utf-8")
    assert text.startswith("\ufeff")  # Excel set to French knows it is UTF-8
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_the_zip_holds_every_section_as_json_and_csv_and_the_photo(app, alice):
    zf = _zip(export.request_export(alice.id))
    names = set(zf.namelist())
    assert {f"{FOLDER}/data.json", f"{FOLDER}/LISEZMOI.txt", f"{FOLDER}/photo.webp"} <= names
    data = json.loads(zf.read(f"{FOLDER}/data.json"))
    for section in export.SECTIONS:
        assert f"{FOLDER}/csv/{section}.csv" in names, section
        assert section in data, section

    assert data["profile"][0]["email"] == "alice@example.org"
    assert data["profile"][0]["bio"] == "Je code."
    assert [m["space"] for m in data["memberships"]] == ["La Ruche"]
    assert [item["title"] for item in data["listings"]] == ["Relecture de CV"]
    (exchange,) = data["exchanges"]
    assert (exchange["other"], exchange["my_part"], exchange["minutes"]) == (
        "Bob Durand",
        "receiver",
        60,
    )
    assert {ev["kind"] for ev in data["exchange_history"]} >= {"proposed", "confirmed"}
    assert [f["comment"] for f in data["feedback_given"]] == ["Impeccable, merci Bob"]
    assert [(f["from"], f["comment"]) for f in data["feedback_received"]] == [
        ("Bob Durand", "Alice était prête")
    ]
    moves = {(t["kind"], t["minutes"], t["other"]) for t in data["transfers"]}
    assert ("settlement", -60, "Bob Durand") in moves
    assert ("gift", -30, "caisse commune") in moves
    assert [r["text"] for r in data["reports_made"]] == ["De la pub"]
    assert data["notifications"] and all(n["text"] for n in data["notifications"])
    assert zf.read(f"{FOLDER}/photo.webp") == photos.read(alice.id, alice.photo, "large")


def test_nobody_elses_address_is_in_it_and_no_cell_runs_as_a_formula(app, alice):
    zf = _zip(export.request_export(alice.id))
    for name in zf.namelist():
        content = zf.read(name)
        for other in (b"bob@example.org", b"carol@example.org"):
            assert other not in content, (name, other)
    (profile,) = _csv(zf, "profile")
    assert profile["contact"] == "'=1+1"  # a spreadsheet shows it, never computes it
    assert json.loads(zf.read(f"{FOLDER}/data.json"))["profile"][0]["contact"] == "=1+1"


def test_the_export_costs_the_same_queries_for_ten_movements_or_two_hundred(app, alice):
    def queries() -> int:
        db.session.expire_all()  # the member read again each time, as a request would
        with counting() as seen:
            export.archive(alice.id)
        return seen.count

    few = queries()
    for _n in range(200):
        gifts.give(alice.id, minutes=1, message="Encore", to_member_id=None)
    assert queries() == few


def test_a_large_export_is_built_by_a_job_and_offered_once(app, alice, outbox):
    app.config["EXPORT_INLINE_ROWS"] = -1  # every export goes to the job
    waiting = export.request_export(alice.id)
    assert isinstance(waiting, DataExport)
    db.session.expire_all()
    ready = db.session.get(DataExport, waiting.id)  # inline jobs: built at once
    assert ready.state == "ready" and ready.key in storage().files
    assert ready.expires_at - utcnow() > timedelta(hours=47)
    told = db.session.scalars(select(Notification.kind).where(Notification.user_id == alice.id))
    assert "export_ready" in list(told)
    (email,) = [m for m in outbox if "export de données est prêt" in m["Subject"]]
    assert email["To"] == "alice@example.org" and "/compte/reglages#donnees" in email.get_content()
    with pytest.raises(Conflict):  # one at a time
        export.request_export(alice.id)

    other = factories.member("Zoé")
    with pytest.raises(NotFound):
        export.take(other.id, ready.id)
    data = export.take(alice.id, ready.id)
    assert f"{FOLDER}/data.json" in _zip(data).namelist()
    assert ready.key not in storage().files
    with pytest.raises(NotFound) as again:
        export.take(alice.id, ready.id)
    assert "déjà été téléchargé ou a expiré" in str(again.value.message)
    assert export.waiting(alice.id) is None  # a new one may be asked for


def test_an_export_never_taken_is_deleted_when_its_link_expires(app, alice):
    app.config["EXPORT_INLINE_ROWS"] = -1  # every export goes to the job
    waiting = export.request_export(alice.id)
    row = db.session.get(DataExport, waiting.id)
    key = row.key
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    export.sweep()
    db.session.expire_all()
    assert db.session.get(DataExport, waiting.id).state == "expired"
    assert key not in storage().files
    with pytest.raises(NotFound):
        export.take(alice.id, waiting.id)


def test_a_build_that_failed_is_given_up_so_the_member_can_ask_again(app, alice, monkeypatch):
    app.config["EXPORT_INLINE_ROWS"] = -1  # every export goes to the job
    jobs_asked = []
    monkeypatch.setattr(export.jobs, "enqueue", lambda *job: jobs_asked.append(job))
    waiting = export.request_export(alice.id)
    assert jobs_asked == [(export.BUILD, waiting.id)]
    storage().down = True
    with pytest.raises(StorageError):  # the job fails (its runner logs why)
        export.build(waiting.id)
    storage().down = False
    db.session.rollback()
    row = db.session.get(DataExport, waiting.id)
    assert row.state == "building" and storage().files.keys() == {
        photos.key(alice.id, alice.photo, size) for size in ("large", "small")
    }
    row.created_at = utcnow() - export.BUILD_GIVEN_UP - timedelta(seconds=1)
    db.session.commit()
    export.sweep()
    assert export.waiting(alice.id) is None
    assert not db.session.scalars(
        select(Notification).where(Notification.kind == "export_ready")
    ).all()
    assert isinstance(export.request_export(alice.id), DataExport)


def test_a_queue_that_is_away_leaves_no_export_waiting(app, alice, monkeypatch):
    app.config["EXPORT_INLINE_ROWS"] = -1  # every export goes to the job

    def away(*_job):
        raise export.jobs.JobsUnavailable()

    monkeypatch.setattr(export.jobs, "enqueue", away)
    with pytest.raises(export.ExportUnavailable):
        export.request_export(alice.id)
    assert db.session.scalars(select(DataExport)).all() == []
