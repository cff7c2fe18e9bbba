"""A member takes their data (GDPR art. 15 and 20): one ZIP with JSON for machines, CSV for
spreadsheets and the photo.

A small export is built while the member waits. A large one (a member with thousands of
movements) is built by a job, kept in the file store and offered once: the member is told,
downloads it from their account (logged in), and the file goes; never taken, it goes when
its link expires (EXPORT_HOURS). One export waits per member at a time."""

from __future__ import annotations

import csv
import io
import json
import logging
import secrets
import zipfile
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from exchange.adapters import jobs
from exchange.adapters.storage import StorageError, storage
from exchange.services.community import photos
from exchange.services.community.spaces import user_of
from exchange.services.errors import Conflict, NotFound
from exchange.services.notify import notifications
from exchange.services.privacy.gather import SECTIONS
from exchange.services.spreadsheets import CSV_DIALECT, cell
from models import (
    Account,
    DataExport,
    Entry,
    Exchange,
    ExchangeEvent,
    Message,
    Notification,
    Participant,
    db,
)
from models.base import utcnow

log = logging.getLogger("archipel.export")

BUILD = "exchange.services.privacy.export.build"
BUILD_GIVEN_UP = timedelta(minutes=30)
FOLDER = "archipel-donnees"
README = """Vos données sur {network}, au {date}.

data.json      tout, pour une machine (une clé par rubrique)
csv/*.csv      les mêmes rubriques, pour un tableur (UTF-8, séparateur ;)
photo.webp     votre photo de profil, si vous en avez une

Les autres membres y figurent par le nom qu'ils affichent, jamais par leur adresse.
Durées en minutes ; montants en centimes.

Your data on {network}, as of {date}: data.json for machines, csv/ for spreadsheets
(UTF-8, ; separated), photo.webp. Other members appear by their shown name only.
Durations in minutes; amounts in cents.
"""


class ExportUnavailable(Conflict):
    status_code = 503
    default_message = _l(
        "Votre export ne peut pas être préparé pour l'instant : réessayez dans un moment."
    )


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    columns = list(dict.fromkeys(k for row in rows for k in row))
    writer = csv.writer(out, CSV_DIALECT)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [
                cell(v) if isinstance(v, str) else ("" if v is None else v)
                for v in (row.get(c) for c in columns)
            ]
        )
    return ("\ufeff" + out.getvalue()).encode()


def archive(user_id: int) -> bytes:
    """The member's ZIP: every section as JSON and as CSV, the photo, a note on what is what."""
    user = user_of(user_id)
    now = utcnow()
    with force_locale(user.locale or "fr"):  # notifications read in the member's language
        sections = {name: list(rows(user)) for name, rows in SECTIONS.items()}
    document = {
        "network": current_app.config["NETWORK_NAME"],
        "generated_at": now.isoformat(),
        "member_id": user.id,
        **sections,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        note = README.format(network=document["network"], date=now.date().isoformat())
        zf.writestr(f"{FOLDER}/LISEZMOI.txt", note)
        zf.writestr(
            f"{FOLDER}/data.json", json.dumps(document, ensure_ascii=False, indent=1, default=str)
        )
        for name, rows in sections.items():
            zf.writestr(f"{FOLDER}/csv/{name}.csv", _csv(rows))
        if user.photo:
            try:
                zf.writestr(f"{FOLDER}/photo.webp", photos.read(user.id, user.photo, "large"))
            except (NotFound, Conflict):  # a store that lost it or is away: the rest still goes
                log.warning("member %s's photo left out of their export", user.id)
    return out.getvalue()


def _weight(user_id: int) -> int:
    """Roughly how many rows the export holds: its largest sections, counted."""
    mine = or_(Exchange.provider_id == user_id, Exchange.receiver_id == user_id)
    account = select(Account.id).where(Account.user_id == user_id).scalar_subquery()
    entries = select(func.count(Entry.id)).where(Entry.account_id == account)
    events = select(func.count(ExchangeEvent.id)).where(
        ExchangeEvent.exchange_id.in_(select(Exchange.id).where(mine))
    )
    notes = select(func.count(Notification.id)).where(Notification.user_id == user_id)
    talk = select(func.count(Message.id)).where(
        Message.conversation_id.in_(
            select(Participant.conversation_id).where(Participant.user_id == user_id)
        )
    )
    return sum(db.session.scalar(q) or 0 for q in (entries, events, notes, talk))


def waiting(user_id: int) -> DataExport | None:
    """The member's export being built or ready to take, if any."""
    return db.session.scalar(
        select(DataExport)
        .where(
            DataExport.user_id == user_id,
            or_(
                DataExport.state == "building",
                (DataExport.state == "ready") & (DataExport.expires_at > utcnow()),
            ),
        )
        .order_by(DataExport.id.desc())
        .limit(1)
    )


def request_export(user_id: int) -> bytes | DataExport:
    """The ZIP at once when it is small; else an export handed to a job (the member is told
    when it is ready). One export waits per member at a time."""
    user = user_of(user_id)
    if waiting(user.id) is not None:
        raise Conflict(_l("Votre export est déjà en préparation ou prêt : il est sur cette page."))
    if _weight(user.id) <= current_app.config["EXPORT_INLINE_ROWS"]:
        return archive(user.id)
    export = DataExport(user_id=user.id, state="building")
    db.session.add(export)
    db.session.commit()
    try:
        jobs.enqueue(BUILD, export.id)
    except jobs.JobsUnavailable:
        db.session.delete(export)
        db.session.commit()
        raise ExportUnavailable() from None
    return export


def build(export_id: int) -> None:
    """The job: the archive into the file store, the member told (in the site and by email)."""
    export = db.session.get(DataExport, export_id)
    if export is None or export.state != "building":
        return
    data = archive(export.user_id)
    key = f"exports/{export.user_id}/{export.id}-{secrets.token_hex(16)}.zip"
    storage().put(key, data, "application/zip")
    export.key, export.size, export.state = key, len(data), "ready"
    export.expires_at = utcnow() + timedelta(hours=current_app.config["EXPORT_HOURS"])
    user = user_of(export.user_id)
    link = notifications.path("members.account_settings") + "#donnees"
    notifications.notify(user, "export_ready", link=link, hours=current_app.config["EXPORT_HOURS"])
    db.session.commit()


def take(user_id: int, export_id: int) -> bytes:
    """The member downloads their ready export, once: the file leaves the store."""
    export = db.session.get(DataExport, export_id)
    if export is None or export.user_id != user_id:
        raise NotFound()
    if export.state != "ready" or export.expires_at is None or export.expires_at <= utcnow():
        raise NotFound(_l("Cet export a déjà été téléchargé ou a expiré : demandez-en un nouveau."))
    try:
        data = storage().get(export.key)
    except StorageError:
        raise ExportUnavailable() from None
    if data is None:  # the store lost it: the member may ask for a new one at once
        export.state = "expired"
        db.session.commit()
        raise NotFound(_l("Cet export a déjà été téléchargé ou a expiré : demandez-en un nouveau."))
    export.state, export.taken_at = "taken", utcnow()
    db.session.commit()
    drop(export.key)
    return data


def drop(key: str) -> None:
    try:
        storage().delete(key)
    except StorageError:
        log.warning("could not delete %s (the sweep tries again)", key, exc_info=True)


def sweep() -> None:
    """Periodic: an export never taken is deleted once expired; a build that failed (its job
    logged why) is given up after BUILD_GIVEN_UP, so that the member may ask again."""
    now = utcnow()
    expired = db.session.scalars(
        select(DataExport).where(
            or_(
                (DataExport.state == "ready") & (DataExport.expires_at <= now),
                (DataExport.state == "building") & (DataExport.created_at < now - BUILD_GIVEN_UP),
            )
        )
    ).all()
    for export in expired:
        export.state = "expired"
    db.session.commit()
    for export in expired:
        if export.key:
            drop(export.key)
