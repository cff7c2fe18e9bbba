"""Sign up, confirm the address, log in and out, reset a forgotten password."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from exchange.actions import act
from exchange.auth.forms import (
    ConfirmForm,
    EmailForm,
    LoginForm,
    LogoutForm,
    ResetPasswordForm,
    SignupForm,
)
from exchange.forms_common import local_path
from exchange.services.community import accounts
from exchange.services.errors import EmailNotConfirmed, InvalidToken

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to somewhere else."""
    return local_path(target, url_for("main.index"))


@bp.route("/inscription", methods=["GET", "POST"])
def signup():
    """Create an account; the confirmation link leaves by email."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = SignupForm()
    if form.validate_on_submit() and act(
        lambda: accounts.register(
            display_name=form.display_name.data,
            email=form.email.data,
            password=form.password.data,
            locale=str(get_locale()),
        ),
        form=form,
        access=(),
    ):
        return render_template("auth/check_email.html", email=form.email.data.strip().lower())
    return render_template("auth/signup.html", form=form), 400 if form.errors else 200


@bp.route("/confirmation/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """GET shows a button; POST confirms (link scanners only ever GET)."""
    form = ConfirmForm()
    try:
        user = accounts.check_confirmation_token(token)
    except InvalidToken as e:
        return render_template(
            "auth/confirm_invalid.html", message=str(e.message), form=EmailForm()
        ), 400
    if form.validate_on_submit():
        user = accounts.confirm_email(token, user_agent=request.headers.get("User-Agent", ""))
        if user.session_token:
            session.clear()  # a fresh session, as at log-in
            login_user(user)
            flash(
                _(
                    "Adresse confirmée : bienvenue sur %(network)s !",
                    network=current_app.config["NETWORK_NAME"],
                ),
                "success",
            )
            return redirect(url_for("members.first_steps"))
        flash(_("Adresse confirmée. Vous pouvez vous connecter."), "success")
        return redirect(url_for("auth.login", email=user.email))
    return render_template("auth/confirm.html", form=form, user=user)


@bp.route("/confirmation/renvoyer", methods=["POST"])
def resend_confirmation():
    """Send the confirmation link again (same answer whether the address exists or not)."""
    form = EmailForm()
    if form.validate_on_submit():
        accounts.resend_confirmation(form.email.data)
        return render_template("auth/check_email.html", email=form.email.data.strip().lower())
    flash(_("Indiquez une adresse e-mail valide."), "error")
    return redirect(url_for("auth.login"))


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    """Log in; a new session starts and the old one (if any) is forgotten."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if request.method == "GET" and request.args.get("email"):
        form.email.data = request.args["email"]
    unconfirmed = False
    if form.validate_on_submit():
        logged_in = act(
            lambda: accounts.log_in(
                form.email.data,
                form.password.data,
                remember=form.remember.data,
                user_agent=request.headers.get("User-Agent", ""),
            ),
            access=(),
        )
        unconfirmed = isinstance(logged_in.error, EmailNotConfirmed)  # offer a new link
        if logged_in:
            user = logged_in.value
            session.clear()  # a fresh session: nothing from before the log-in carries over
            login_user(user, remember=form.remember.data)
            flash(_("Bienvenue, %(name)s.", name=user.display_name), "success")
            return redirect(_safe_next(request.args.get("next")))
    status = 400 if request.method == "POST" else 200
    return (
        render_template(
            "auth/login.html",
            form=form,
            unconfirmed=unconfirmed,
            resend_form=EmailForm(formdata=None),
        ),
        status,
    )


@bp.route("/deconnexion", methods=["POST"])
@login_required
def logout():
    """End the session for real: the cookies stop working, wherever they are."""
    form = LogoutForm()
    if form.validate_on_submit():
        accounts.end_session(current_user.get_id())
        session.clear()  # before logout_user(), which leaves the flag that deletes "remember me"
        logout_user()
        flash(_("Vous êtes déconnecté·e."), "info")
    return redirect(url_for("main.index"))


@bp.route("/mot-de-passe/oublie", methods=["GET", "POST"])
def forgot_password():
    """Ask for a reset link by email."""
    form = EmailForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        return render_template("auth/reset_sent.html", email=form.email.data.strip().lower())
    return render_template("auth/forgot.html", form=form), 400 if form.errors else 200


@bp.route("/mot-de-passe/nouveau/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from the emailed link."""
    try:
        accounts.check_reset_token(token)
    except InvalidToken as e:
        flash(str(e.message), "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit() and act(
        lambda: accounts.reset_password(token, form.password.data), form=form, access=()
    ):
        if current_user.is_authenticated:
            accounts.end_session(current_user.get_id())
        session.clear()
        logout_user()
        flash(_("Mot de passe changé. Connectez-vous avec le nouveau."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 400 if form.errors else 200
