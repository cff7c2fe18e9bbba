"""Named domain failures. Each carries a message for the member and the HTTP status it maps to."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    status_code = 400
    default_message = _l("Cette action n'est pas possible.")

    def __init__(self, message=None, *, field: str | None = None):
        self.message = message or self.default_message
        self.field = field  # the form field the message belongs beside, when there is one
        super().__init__(str(self.message))


class NotFound(DomainError):
    status_code = 404
    default_message = _l("Introuvable.")


class Forbidden(DomainError):
    status_code = 403
    default_message = _l("Vous n'avez pas le droit de faire cela.")


class InvalidInput(DomainError):
    status_code = 400


class Conflict(DomainError):
    status_code = 409


class WeakPassword(InvalidInput):
    pass


class InvalidCredentials(DomainError):
    status_code = 401
    default_message = _l("Adresse ou mot de passe incorrect.")


class EmailNotConfirmed(DomainError):
    status_code = 403
    default_message = _l("Confirmez d'abord votre adresse : le lien vous a été envoyé par e-mail.")


class InvalidToken(DomainError):
    status_code = 400
    default_message = _l("Ce lien n'est plus valable. Demandez-en un nouveau.")


class AccountSuspended(DomainError):
    status_code = 403
    default_message = _l("Ce compte est suspendu.")


class CreditLimitExceeded(Conflict):
    """A transfer would take an account past the network's floor or ceiling (or empty the pot).

    `possible` is how many minutes could move instead (0 when none can).
    """

    default_message = _l("Ce mouvement dépasserait les limites de crédit du réseau.")

    def __init__(self, message=None, *, possible: int = 0, field: str | None = None):
        super().__init__(message, field=field)
        self.possible = possible


class LargeAmountUnconfirmed(Conflict):
    """A large gift or logged time waits for the person to confirm it, amount in words.
    Nothing moved; sending it again with the confirmation moves it."""

    default_message = _l("Une durée aussi longue se confirme : vérifiez-la avant d'envoyer.")

    def __init__(self, message=None, *, minutes: int):
        super().__init__(message, field="minutes")
        self.minutes = minutes


class PaymentUnavailable(Conflict):
    """Stripe could not be reached or refused the request: nothing was charged."""

    default_message = _l(
        "Le service de paiement ne répond pas pour l'instant : rien n'a été payé ni "
        "enregistré. Réessayez dans un moment."
    )


class PaymentRefused(Conflict):
    """Stripe answered and refused the request: nothing was charged."""

    default_message = _l(
        "Stripe a refusé cette demande : rien n'a été payé ni enregistré. Réessayez plus tard, "
        "ou réglez directement avec l'autre personne."
    )


def payment_failure(lost: bool) -> PaymentUnavailable | PaymentRefused:
    """The member's message when Stripe did not do it: no answer (`lost`: the same request
    will be sent again with the same key), or a refusal."""
    return PaymentUnavailable() if lost else PaymentRefused()
