"""What kind of email an outbox row is, in words: what the admin's page and `flask outbox list`
show instead of its subject, which may quote a member's private words (a gift's message)."""

from __future__ import annotations

from flask_babel import gettext as _

NOTIFICATION = "notification_"


def email_label(template: str) -> str:
    """A short label for the row's `template` (`reset_password`, `notification_<kind>`…),
    falling back to the template's name."""
    accounts = {
        "confirm_email": _("Lien de confirmation de l'adresse"),
        "reset_password": _("Lien de réinitialisation du mot de passe"),
        "account_exists": _("Avis : un compte existe déjà pour cette adresse"),
        "password_changed": _("Avis : le mot de passe a changé"),
        "email_change_confirm": _("Lien de confirmation d'une nouvelle adresse"),
        "email_change_notice": _("Avis : un changement d'adresse est demandé"),
        "email_taken": _("Avis : l'adresse a été proposée pour un autre compte"),
    }
    if template in accounts:
        return accounts[template]
    if not template.startswith(NOTIFICATION):
        return template or _("Courriel")
    kind = template.removeprefix(NOTIFICATION)
    what = _notification_kinds().get(kind)
    return _("Notification : %(what)s", what=what) if what else template


def _notification_kinds() -> dict[str, str]:
    return {
        "generic": _("événement du réseau"),
        "gift_received": _("don reçu"),
        "retribution_received": _("rétribution reçue"),
        "welcome_grant": _("crédit de bienvenue"),
        "transfer_corrected": _("mouvement corrigé"),
        "exchange_proposed": _("échange proposé"),
        "exchange_accepted": _("échange accepté"),
        "exchange_declined": _("échange décliné"),
        "exchange_cancelled": _("échange annulé"),
        "exchange_logged": _("heures à confirmer"),
        "exchange_confirmed": _("échange confirmé"),
        "exchange_disputed": _("échange contesté"),
        "exchange_resolved": _("échange tranché"),
        "exchange_expired": _("échange expiré"),
        "join_requested": _("demande d'adhésion"),
        "join_approved": _("adhésion acceptée"),
        "join_declined": _("adhésion déclinée"),
        "coordinator_named": _("coordination confiée"),
        "coordinator_removed": _("coordination retirée"),
        "listing_to_approve": _("annonce à approuver"),
        "listing_approved": _("annonce approuvée"),
        "listing_hidden": _("annonce masquée"),
        "listing_restored": _("annonce rétablie"),
        "edit_requested": _("modification demandée"),
        "report_received": _("signalement reçu"),
        "report_handled": _("signalement traité"),
        "member_suspended": _("compte suspendu"),
        "member_reinstated": _("compte réactivé"),
        "feedback_waiting": _("retour à écrire"),
        "feedback_published": _("retour publié"),
        "feedback_replied": _("réponse à un retour"),
    }
