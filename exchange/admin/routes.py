"""Network administration: the list of listing categories."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from exchange.admin import bp
from exchange.admin.forms import CategoryForm
from exchange.forms_common import attach_error
from exchange.services import categories
from exchange.services.errors import DomainError


@bp.before_request
@login_required
def admins_only():
    if not current_user.is_admin:
        abort(403)


@bp.route("/admin/categories", methods=["GET", "POST"])
def category_list():
    """The categories, their use, and a form to add one."""
    form = CategoryForm()
    if form.validate_on_submit():
        try:
            categories.create(current_user.id, name_fr=form.name_fr.data, name_en=form.name_en.data)
        except DomainError as e:
            if not attach_error(form, e):
                flash(str(e.message), "error")
        else:
            flash(_("Catégorie ajoutée."), "success")
            return redirect(url_for("admin.category_list"))
    return render_template(
        "admin/categories.html",
        items=categories.with_counts(),
        form=form,
        edit_forms={},
        action_form=FlaskForm(),
    ), 400 if form.errors else 200


@bp.route("/admin/categories/<int:category_id>", methods=["POST"])
def category_update(category_id: int):
    """Rename, move or delete one category."""
    action = request.form.get("action", "rename")
    try:
        if action == "delete" and FlaskForm().validate_on_submit():
            categories.delete(current_user.id, category_id)
            flash(_("Catégorie supprimée."), "info")
        elif action in ("up", "down") and FlaskForm().validate_on_submit():
            categories.move(current_user.id, category_id, -1 if action == "up" else 1)
        elif action == "rename":
            form = CategoryForm()
            if form.validate_on_submit():
                categories.rename(
                    current_user.id,
                    category_id,
                    name_fr=form.name_fr.data,
                    name_en=form.name_en.data,
                )
                flash(_("Catégorie renommée."), "success")
            else:
                flash(_("Donnez les deux noms, en français et en anglais."), "error")
    except DomainError as e:
        if e.status_code == 404:
            raise
        flash(str(e.message), "error")
    return redirect(url_for("admin.category_list"))
