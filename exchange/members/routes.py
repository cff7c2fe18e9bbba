"""The member directory, profiles, and editing one's own profile."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.actions import act
from exchange.auth.forms import ConfirmForm
from exchange.feedback.forms import ReplyForm
from exchange.forms_common import int_arg
from exchange.members.forms import (
    EmailChangeForm,
    LanguageForm,
    PasswordChangeForm,
    PhotoForm,
    ProfileForm,
)
from exchange.services.community import accounts, members, settings
from exchange.services.community.first_steps import progress as first_steps_of
from exchange.services.conversations import blocks
from exchange.services.errors import InvalidToken
from exchange.services.listings import queries as listing_queries
from exchange.services.moderation import rights
from exchange.services.money import amounts, connect
from exchange.services.privacy import export
from exchange.services.reputation import summaries

bp = Blueprint("members", __name__)

PROFILE_FEEDBACK = 5  # the latest ones; the rest on /membres/<id>/retours


@bp.route("/membres")
def directory():
    """Search members by name, skill and space."""
    q = request.args.get("q", "")[:100]
    skill = request.args.get("competence", "")[:60]
    space_id = int_arg("lieu")
    page = members.search_members(
        q=q, skill=skill, space_id=space_id, page=int_arg("page", 1), per_page=24
    )
    summaries.preload_cards([m.id for m in page.items])
    return render_template(
        "members/directory.html",
        page=page,
        q=q,
        skill=skill,
        space_id=space_id,
        spaces=members.all_spaces(),
        skills=members.popular_skills(40),
    )


@bp.route("/membres/<int:user_id>")
def profile(user_id: int):
    """A member's public profile, with what their counterparts said of them; contact details
    only for members who are logged in."""
    member = members.get_member(user_id)
    own = current_user.is_authenticated and current_user.id == member.id
    fees_on = amounts.online_fees_enabled()
    latest = summaries.latest(member.id, limit=PROFILE_FEEDBACK)
    rights.preload_feedback_spaces(current_user, latest)
    return render_template(
        "members/profile.html",
        member=member,
        member_listings=listing_queries.by_author(member.id, public_only=not own),
        locale=str(get_locale()),
        summary=summaries.summary(member.id),
        latest_feedback=latest,
        feedback_count=summaries.count_visible(member.id),
        reply_form=ReplyForm(formdata=None),
        fees_on=fees_on,
        stripe_state=connect.state_of(member.id) if fees_on else "none",
        blocked=current_user.is_authenticated
        and not own
        and blocks.blocks(current_user.id, member.id),
    )


@bp.route("/profil", methods=["GET", "POST"])
@login_required
def edit_profile():
    """Edit my own profile."""
    # The profile fills the form on GET only: a POST is what was sent, missing fields included.
    form = saved_profile_form() if request.method == "GET" else ProfileForm()
    if form.validate_on_submit() and act(
        lambda: members.update_profile(
            current_user.id,
            display_name=form.display_name.data,
            bio=form.bio.data,
            city=form.city.data,
            languages=form.languages.data,
            contact=form.contact.data,
            skills=form.skills.data,
            locale=form.locale.data,
        ),
        form=form,
        done=_("Profil enregistré."),
    ):
        # ?lang= makes the chosen language the remembered one at once.
        return redirect(url_for("members.profile", user_id=current_user.id, lang=form.locale.data))
    return profile_page(form, PhotoForm(formdata=None))


def saved_profile_form() -> ProfileForm:
    """The profile's form as saved, never filled from the request."""
    form = ProfileForm(formdata=None, obj=current_user)
    form.skills.data = ", ".join(s.name for s in current_user.skills)
    form.locale.data = current_user.locale or "fr"
    return form


def profile_page(form: ProfileForm, photo_form: PhotoForm, status: int | None = None):
    """The profile's page: its form, and the picture's."""
    page = render_template("members/edit.html", form=form, photo_form=photo_form)
    return page, status or (400 if form.errors or photo_form.errors else 200)


ADDRESS = "adresse"  # the address form's prefix: several forms on one page, no name twice
LANGUAGE = "langue"


@bp.route("/compte/reglages", methods=["GET", "POST"])
@login_required
def account_settings():
    """My password (the current one, then the new one; my other sessions end), my address,
    my open sessions."""
    form = PasswordChangeForm()
    if form.validate_on_submit() and act(
        lambda: settings.change_password(
            current_user.id,
            current_user.get_id(),
            form.current_password.data,
            form.password.data,
        ),
        form=form,
        done=_("Mot de passe changé. Vos autres sessions sont fermées."),
    ):
        return redirect(url_for("members.account_settings"))
    return _settings_page(form, EmailChangeForm(formdata=None, prefix=ADDRESS))


@bp.route("/compte/reglages/langue", methods=["POST"])
@login_required
def change_language():
    """The language of my pages and emails, from the settings (as from the profile)."""
    form = LanguageForm(prefix=LANGUAGE)
    if form.validate_on_submit() and act(
        lambda: settings.set_language(current_user.id, form.locale.data or ""),
        form=form,
        done=_saved_in_its_language,
    ):
        # ?lang= makes it the remembered one at once, as the profile does.
        return redirect(url_for("members.account_settings", lang=form.locale.data))
    return _settings_page(
        PasswordChangeForm(formdata=None), EmailChangeForm(formdata=None, prefix=ADDRESS), form
    )


@bp.route("/compte/reglages/adresse", methods=["POST"])
@login_required
def change_email():
    """Move my account to another address: a link goes there, nothing changes until it is
    followed."""
    form = EmailChangeForm(prefix=ADDRESS)
    if form.validate_on_submit() and act(
        lambda: settings.request_email_change(
            current_user.id, form.current_password.data, form.email.data
        ),
        form=form,
        done=lambda email: _(
            "Un lien de confirmation est parti à %(email)s : votre adresse changera quand "
            "vous l'aurez ouvert.",
            email=email,
        ),
    ):
        return redirect(url_for("members.account_settings"))
    return _settings_page(PasswordChangeForm(formdata=None), form)


def _saved_in_its_language(user) -> str:
    with force_locale(user.locale):  # said in the language just chosen
        return _("Langue enregistrée.")


def _settings_page(
    form: PasswordChangeForm, email_form: EmailChangeForm, language_form: LanguageForm | None = None
):
    if language_form is None:
        language_form = LanguageForm(formdata=None, prefix=LANGUAGE)
        language_form.locale.data = current_user.locale or "fr"
    page = render_template(
        "members/settings.html",
        form=form,
        email_form=email_form,
        language_form=language_form,
        sessions=settings.live_sessions(current_user.id),
        export=export.waiting(current_user.id),
        this_session=accounts.session_id(current_user.get_id()),
    )
    return page, 400 if form.errors or email_form.errors or language_form.errors else 200


@bp.route("/compte/adresse/<token>", methods=["GET", "POST"])
def confirm_email_change(token: str):
    """The link sent to the new address: GET shows a button, POST moves the account (link
    scanners only ever GET)."""
    try:
        _user, email = settings.check_email_change(token)
    except InvalidToken as e:
        flash(str(e.message), "error")
        return redirect(url_for("main.index"))
    form = ConfirmForm()
    if form.validate_on_submit() and act(
        lambda: settings.confirm_email_change(token),
        done=_("Adresse changée : vous vous connectez désormais avec %(email)s.", email=email),
        access=(),
    ):
        if current_user.is_authenticated:
            return redirect(url_for("members.account_settings"))
        return redirect(url_for("auth.login", email=email))
    return render_template("members/confirm_email_change.html", form=form, email=email)


@bp.route("/compte/reglages/sessions/<session_id>/fermer", methods=["POST"])
@login_required
def end_session(session_id: str):
    """End one of my sessions elsewhere (a lost phone, a shared computer)."""
    act(
        lambda: settings.end_session(current_user.id, session_id),
        done=_("Session fermée : ce navigateur-là devra se reconnecter."),
    )
    return redirect(url_for("members.account_settings"))


@bp.route("/premiers-pas")
@login_required
def first_steps():
    """A newcomer's checklist: join a space, say what I can do, a photo, a first listing, a
    first exchange; each step ticks itself once done."""
    return render_template("members/first_steps.html", progress=first_steps_of(current_user.id))


@bp.route("/compte/reglages/sessions/fermer-les-autres", methods=["POST"])
@login_required
def end_other_sessions():
    """End every session of mine but this one."""
    act(
        lambda: settings.end_other_sessions(current_user.id, current_user.get_id()),
        done=lambda ended: ngettext(
            "%(num)d autre session fermée.", "%(num)d autres sessions fermées.", ended
        ),
    )
    return redirect(url_for("members.account_settings"))
