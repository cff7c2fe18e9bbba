"""The sentences of the notifications about fees and payment accounts, in the reader's
language."""

from __future__ import annotations

from flask_babel import gettext as _

from exchange.services.money.amounts import euros_text

KINDS = frozenset(
    {
        "fee_attached",
        "fee_paid",
        "fee_payment_failed",
        "fee_refunded",
        "fee_settled",
        "stripe_ready",
        "fee_to_refund",
        "fee_dispute_inquiry",
        "fee_dispute_open",
        "fee_dispute_won",
        "fee_dispute_lost",
        "fee_dispute_closed",
        "fee_dispute_admin",
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
    if kind.startswith("fee_dispute_"):
        return _dispute(kind.removeprefix("fee_dispute_"), d, member, title, amount)
    return _("Votre compte de paiement Stripe est prêt : vous pouvez recevoir des frais en ligne.")


def _dispute(step: str, d: dict, member: str, title: str, amount: str) -> str:
    """The provider's notices (the exchange named by its title) and the admins' ("admin": the
    exchange by its number, and what to do in Stripe's dashboard)."""
    if step == "admin":
        return _dispute_for_admins(d.get("step", ""), member, d.get("number", ""), amount)
    if step == "inquiry":
        return _(
            "La banque de %(member)s pose des questions sur le paiement des frais de %(amount)s "
            "de « %(title)s ». Les administrateurs du réseau y répondent depuis Stripe.",
            member=member,
            amount=amount,
            title=title,
        )
    if step == "open":
        return _(
            "Litige bancaire : la banque de %(member)s conteste le paiement des frais de "
            "%(amount)s de « %(title)s ». Les administrateurs du réseau y répondent depuis "
            "Stripe.",
            member=member,
            amount=amount,
            title=title,
        )
    if step == "won":
        return _(
            "Litige bancaire clos : le paiement des frais de %(amount)s de « %(title)s » est "
            "maintenu.",
            amount=amount,
            title=title,
        )
    if step == "lost":
        return _(
            "Litige bancaire clos : la banque a rendu à %(member)s les %(amount)s de « %(title)s ».",
            member=member,
            amount=amount,
            title=title,
        )
    return _(
        "La banque de %(member)s a clos ses questions sur les frais de « %(title)s », sans litige.",
        member=member,
        title=title,
    )


def _dispute_for_admins(step: str, member: str, number, amount: str) -> str:
    if step == "inquiry":
        return _(
            "La banque de %(member)s pose des questions sur un paiement de %(amount)s (échange "
            "n° %(number)s). Répondez-lui depuis le tableau de bord Stripe : un remboursement "
            "reste possible.",
            member=member,
            amount=amount,
            number=number,
        )
    if step == "open":
        return _(
            "Litige bancaire : la banque de %(member)s conteste un paiement de %(amount)s "
            "(échange n° %(number)s) et Stripe a repris la somme au réseau. Répondez-lui depuis "
            "le tableau de bord Stripe.",
            member=member,
            amount=amount,
            number=number,
        )
    if step == "won":
        return _(
            "Litige bancaire clos pour le paiement de %(amount)s (échange n° %(number)s) : la "
            "banque a tranché pour le paiement, Stripe rend la somme au réseau.",
            amount=amount,
            number=number,
        )
    if step == "lost":
        return _(
            "Litige bancaire clos : la banque a rendu à %(member)s les %(amount)s de l'échange "
            "n° %(number)s. Décidez depuis Stripe s'il faut reprendre la somme à la personne "
            "payée (annulation du transfert).",
            member=member,
            amount=amount,
            number=number,
        )
    return _(
        "La banque de %(member)s a clos ses questions sur le paiement de l'échange "
        "n° %(number)s, sans litige.",
        member=member,
        number=number,
    )
