"""The sentences of the notifications about fees and payment accounts, in the reader's
language."""

from __future__ import annotations

from flask_babel import gettext as _

from exchange.services.payments import euros_text

KINDS = frozenset(
    {
        "fee_attached",
        "fee_paid",
        "fee_payment_failed",
        "fee_refunded",
        "fee_settled",
        "stripe_ready",
        "fee_to_refund",
        "fee_disputed",
        "fee_dispute_won",
        "fee_dispute_lost",
    }
)


def describe(kind: str, d: dict) -> str:
    member, title = d.get("member", ""), d.get("title", "")
    amount = euros_text(int(d.get("amount_cents") or 0))
    covers = d.get("covers", "")
    if kind == "fee_attached":
        return _(
            "%(member)s a joint des frais de %(amount)s à l'échange « %(title)s » : %(covers)s.",
            member=member,
            amount=amount,
            title=title,
            covers=covers,
        )
    if kind == "fee_paid":
        return _(
            "%(member)s a payé en ligne les frais de %(amount)s de l'échange « %(title)s ».",
            member=member,
            amount=amount,
            title=title,
        )
    if kind == "fee_payment_failed":
        return _(
            "Le paiement des frais de %(amount)s pour « %(title)s » n'a pas abouti : rien n'a "
            "été débité. Vous pouvez réessayer.",
            amount=amount,
            title=title,
        )
    if kind == "fee_refunded":
        return _(
            "Les frais de %(amount)s de l'échange « %(title)s » ont été remboursés.",
            amount=amount,
            title=title,
        )
    if kind == "fee_settled":
        return _(
            "%(member)s indique que les frais de %(amount)s de « %(title)s » sont réglés hors "
            "d'Archipel.",
            member=member,
            amount=amount,
            title=title,
        )
    if kind == "fee_to_refund":
        return _(
            "L'échange « %(title)s » s'est clos sans avoir lieu, mais sa participation aux "
            "frais de %(amount)s est payée : décidez s'il faut la rembourser.",
            title=title,
            amount=amount,
        )
    if kind == "fee_disputed":
        return _(
            "La banque de %(member)s conteste le paiement des frais de %(amount)s de l'échange "
            "« %(title)s ». Les administrateurs du réseau y répondent depuis Stripe.",
            member=member,
            amount=amount,
            title=title,
        )
    if kind == "fee_dispute_won":
        return _(
            "Contestation bancaire close : le paiement des frais de %(amount)s de « %(title)s » "
            "est maintenu.",
            amount=amount,
            title=title,
        )
    if kind == "fee_dispute_lost":
        return _(
            "Contestation bancaire perdue : la banque a rendu à %(member)s les frais de "
            "%(amount)s de « %(title)s ».",
            member=member,
            amount=amount,
            title=title,
        )
    return _("Votre compte de paiement Stripe est prêt : vous pouvez recevoir des frais en ligne.")
