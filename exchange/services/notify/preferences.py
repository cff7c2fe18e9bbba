"""How each member wants to be told, topic by topic: in the site only, by email at once, or
not at all. What concerns their time, their money or a decision about them cannot be turned
fully off: it always stays in the site.

Every notification kind belongs to one topic (`KIND_TOPIC`); `notify` asks `channel_for`
before writing the notification and its email. A member who never chose has the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from exchange.services.community import tokens
from exchange.services.errors import InvalidInput, InvalidToken, NotFound
from models import User, db

SITE, EMAIL, OFF = "site", "email", "off"
CHANNELS = (EMAIL, SITE, OFF)
CHANNEL_LABELS = {
    EMAIL: _l("Sur le site et par e-mail"),
    SITE: _l("Sur le site seulement"),
    OFF: _l("Ni l'un ni l'autre"),
}


@dataclass(frozen=True)
class Topic:
    key: str
    label: object
    hint: object
    kinds: frozenset[str]
    locked: bool = False  # money or a decision about me: never fully off
    default: str = EMAIL

    @property
    def channels(self) -> tuple[str, ...]:
        return (EMAIL, SITE) if self.locked else CHANNELS


TOPICS = (
    Topic(
        "waiting",
        _l("Ce qui attend ma réponse"),
        _l("Une proposition d'échange, un temps à confirmer, une demande à traiter."),
        frozenset(
            {
                "exchange_proposed",
                "exchange_logged",
                "dispute_opened",
                "join_requested",
                "listing_to_approve",
                "report_filed",
                "fee_to_refund",
                "fee_dispute_admin",
                "act_contested",
            }
        ),
    ),
    Topic(
        "ledger",
        _l("Mon temps et mon argent"),
        _l("Échanges acceptés, confirmés ou annulés, dons, rétributions, frais, corrections."),
        frozenset(
            {
                "exchange_accepted",
                "exchange_declined",
                "exchange_cancelled",
                "exchange_confirmed",
                "exchange_disputed",
                "exchange_expired",
                "exchange_resolved",
                "gift_received",
                "retribution_received",
                "welcome_grant",
                "transfer_corrected",
                "fee_attached",
                "fee_paid",
                "fee_payment_failed",
                "fee_refunded",
                "fee_settled",
                "fee_dispute_open",
                "fee_dispute_inquiry",
                "fee_dispute_won",
                "fee_dispute_lost",
                "fee_dispute_closed",
                "stripe_ready",
                "export_ready",
            }
        ),
        locked=True,
    ),
    Topic(
        "feedback",
        _l("Les retours"),
        _l("Un retour à écrire, un retour publié sur moi, une réponse au mien."),
        frozenset({"feedback_waiting", "feedback_published", "feedback_replied"}),
    ),
    Topic(
        "messages",
        _l("Les messages"),
        _l("Un nouveau message dans une conversation : un e-mail par heure au plus."),
        frozenset({"message_received"}),
    ),
    Topic(
        "moderation",
        _l("Les décisions qui me concernent"),
        _l("Adhésions, rôles, annonces masquées ou relues, signalements, actes faits pour moi."),
        frozenset(
            {
                "join_approved",
                "join_declined",
                "coordinator_named",
                "coordinator_removed",
                "listing_hidden",
                "listing_restored",
                "listing_approved",
                "edit_requested",
                "member_suspended",
                "member_reinstated",
                "report_received",
                "report_handled",
                "message_hidden",
                "feedback_hidden",
                "feedback_restored",
                "acted_for_you",
            }
        ),
        locked=True,
    ),
)
BY_KEY = {t.key: t for t in TOPICS}
KIND_TOPIC = {kind: topic for topic in TOPICS for kind in topic.kinds}


UNSUBSCRIBE = "unsubscribe"


def topic_of(kind: str) -> str:
    """The topic of a kind of notification, "" for a kind of none."""
    topic = KIND_TOPIC.get(kind)
    return topic.key if topic is not None else ""


def unsubscribe_token(user_id: int, topic: str) -> str:
    """The signed token of an email's one-click unsubscribe link: this member, this topic."""
    return tokens.make(UNSUBSCRIBE, {"u": user_id, "t": topic})


def unsubscribe(token: str) -> tuple[User, Topic]:
    """One click from an email, logged in or not: that topic's emails stop (it stays in the
    site). A forged or altered link changes nothing."""
    user, topic = read_unsubscribe(token)
    if channel_for_topic(user, topic) == EMAIL:
        user.notification_channels = {**(user.notification_channels or {}), topic.key: SITE}
        db.session.commit()
    return user, topic


def read_unsubscribe(token: str) -> tuple[User, Topic]:
    """Who and what an unsubscribe link names, without changing anything (its page)."""
    payload = tokens.read(UNSUBSCRIBE, token, max_age=timedelta(days=3650))
    user = db.session.get(User, payload.get("u"))
    topic = BY_KEY.get(str(payload.get("t")))
    if user is None or topic is None or user.erased_at is not None:
        raise InvalidToken()
    return user, topic


def channel_for(user: User, kind: str) -> str:
    """How this member is told of this kind of event (email for a kind of no topic)."""
    topic = KIND_TOPIC.get(kind)
    return EMAIL if topic is None else channel_for_topic(user, topic)


def chosen(user: User) -> dict[str, str]:
    """Every topic's channel for this member, the defaults where they chose none."""
    return {t.key: channel_for_topic(user, t) for t in TOPICS}


def channel_for_topic(user: User, topic: Topic) -> str:
    """The member's channel for a topic, or its default."""
    picked = (user.notification_channels or {}).get(topic.key)
    return picked if picked in topic.channels else topic.default


def save(user_id: int, channels: dict[str, str | None]) -> User:
    """The member's choice for each topic; a topic left out keeps its channel. A channel a
    topic does not offer is refused beside it."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    saved = dict(user.notification_channels or {})
    for key, channel in channels.items():
        topic = BY_KEY.get(key)
        if topic is None or channel is None:
            continue
        if channel not in topic.channels:
            raise InvalidInput(
                _l(
                    "Ce qui touche à votre temps, votre argent ou une décision vous concernant "
                    "reste au moins sur le site."
                )
                if topic.locked and channel == OFF
                else _l("Choisissez une des possibilités proposées."),
                field=key,
            )
        saved[key] = channel
    user.notification_channels = saved
    db.session.commit()
    return user
