"""The Minga: after a collective work the pot retributes several members at once, from one form
(a member and a time a row), a preview with the total and the pot's balance after, and one
confirmation. Without a script the typed names are looked up; "more rows" adds rows."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from exchange.account.forms import MINGA_MAX_ROWS, MINGA_ROWS, MingaForm
from exchange.account.routes import bp
from exchange.actions import act
from exchange.durations import duration_words, format_minutes
from exchange.forms_common import attach_error
from exchange.forms_people import explain_pick, prepare_picker
from exchange.services.community import members
from exchange.services.errors import DomainError
from exchange.services.ledger import minga, transfers
from exchange.services.ledger import rules as network_rules
from exchange.services.moderation import rights

_BARE_NUMBER = re.compile(r"^\s*[0-9]+(?:[.,][0-9]+)?\s*$")


def _pickers(form) -> dict[str, list]:
    """Each row's picker readied (a number gets its name, a typed name its member, among the
    members of the spaces one coordinates); the members each typed name could be."""
    scope = rights.scope(current_user)
    found = {}
    for entry in form.rows:
        row = entry.form
        found[entry.name] = prepare_picker(
            row.member,
            row.member_name,
            find=lambda typed: members.partner_suggestions(current_user.id, typed, scope),
            one=lambda wanted: members.partner(current_user.id, wanted, scope),
            wanted=None,
        )
    return found


def _lines(form, candidates: dict[str, list]) -> list[minga.Line] | None:
    """The rows filled in, as lines for the service; None when one needs a word beside it
    (set there): a member but no time, a time but no member, a bare number that may be
    minutes."""
    large = network_rules.current().large_amount
    lines, complete = [], True
    for entry in form.rows:
        row = entry.form
        if row.is_blank():
            continue
        explain_pick(row.member, row.member_name, candidates.get(entry.name, []))
        if not row.member.data and not (row.member.errors or row.member_name.errors):
            row.member_name.errors = [_("Choisissez le membre de cette ligne.")]
        minutes = row.minutes.minutes
        if not row.minutes.errors and minutes is None:
            row.minutes.errors = [_("Indiquez le temps à verser à ce membre, par exemple 2 h.")]
        elif minutes is not None and minutes > large and _BARE_NUMBER.match(row.minutes.data):
            typed = row.minutes.data.strip()
            row.minutes.errors = [
                _(
                    "« %(typed)s » se lit %(duration)s (%(words)s) : écrivez « %(typed)s min » "
                    "pour des minutes, ou « %(typed)s h » pour des heures.",
                    typed=typed,
                    duration=format_minutes(minutes),
                    words=duration_words(minutes),
                )
            ]
        if row.member.errors or row.member_name.errors or row.minutes.errors:
            complete = False
        elif row.member.data:
            lines.append(minga.Line(int(row.member.data), minutes, field=entry.name))
    if complete and not lines:
        form.rows[0].form.member_name.errors = [
            _("Ajoutez au moins un membre et le temps à lui verser.")
        ]
        complete = False
    return lines if complete else None


def _refused(form, error: DomainError | None) -> None:
    """A refusal beside the row it names, or the form's field, or said at the top."""
    if error is None:
        return
    rows = {entry.name: entry.form for entry in form.rows}
    row_name, _sep, part = (error.field or "").rpartition("-")
    row = rows.get(row_name)
    if row is not None and part in ("member", "minutes"):
        field = row.member if part == "member" else row.minutes
        field.errors = [*list(field.errors or []), str(error.message)]
    elif not attach_error(form, error):
        flash(str(error.message), "error")


def _paid(moved) -> str:
    total = format_minutes(sum(t.amount for t in moved))
    return ngettext(
        "Minga versée : %(total)s à %(num)s membre, consignée au journal ; il ou elle est "
        "prévenu·e.",
        "Minga versée : %(total)s à %(num)s membres, consignée au journal ; chacun·e est "
        "prévenu·e.",
        len(moved),
        total=total,
    )


@bp.route("/caisse-commune/minga", methods=["GET", "POST"])
@login_required
def minga_page():
    """A coordinator retributes several members of their spaces from the pot at once."""
    if not rights.is_moderator(current_user):
        abort(403)
    form = MingaForm()
    candidates = _pickers(form)
    action = request.form.get("action", "") if request.method == "POST" else ""
    preview, status = None, 200
    if action == "lignes":  # more rows, nothing checked yet
        for _n in range(MINGA_ROWS):
            if len(form.rows) < MINGA_MAX_ROWS:
                form.rows.append_entry()
    elif request.method == "POST":
        valid = form.validate_on_submit()
        lines = _lines(form, candidates)
        status = 400
        if valid and lines is not None:
            if action == "confirmer" and form.previewed.data == minga.digest(
                lines, form.reason.data or ""
            ):
                paid = act(
                    lambda: minga.pay(
                        current_user.id,
                        lines,
                        reason=form.reason.data,
                        request_key=form.request_key.data or None,
                    ),
                    done=_paid,
                    answered=(DomainError,),
                )
                if paid:
                    return redirect(url_for("account.pot"))
                _refused(form, paid.error)
            else:
                shown = act(lambda: minga.preview(current_user.id, lines), answered=(DomainError,))
                _refused(form, shown.error)
                if shown:
                    preview, status = shown.value, 200
                    form.previewed.data = minga.digest(lines, form.reason.data or "")
                    if action == "confirmer":
                        flash(
                            _("La liste a changé depuis l'aperçu : vérifiez-la, puis confirmez."),
                            "info",
                        )
    return render_template(
        "account/minga.html",
        form=form,
        preview=preview,
        candidates=candidates,
        pot=transfers.pot(),
        more_rows=len(form.rows) < MINGA_MAX_ROWS,
    ), status
