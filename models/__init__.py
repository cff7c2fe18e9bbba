"""Archipel's SQLAlchemy models, one aggregate per module.

This package imports nothing from `exchange/`: the application depends on the models,
never the other way round, which keeps imports acyclic.
"""

from models.base import db
from models.conversations import Block, Conversation, Message, Participant
from models.exchanges import Exchange, ExchangeEvent
from models.feedback import Feedback, feedback_skills
from models.ledger import Account, Entry, NetworkSettings, Transfer
from models.listings import Category, Listing, ListingTerm, Report, listing_skills
from models.moderation import ModerationAction
from models.notifications import Notification
from models.outbox import OutboxEmail
from models.payments import Fee, StripeAccount, StripeEvent
from models.privacy import DataExport
from models.spaces import Membership, Space
from models.users import LoginSession, Skill, User, user_skills

__all__ = [
    "Account",
    "Block",
    "Category",
    "Conversation",
    "DataExport",
    "Entry",
    "Exchange",
    "ExchangeEvent",
    "Fee",
    "Feedback",
    "Listing",
    "ListingTerm",
    "LoginSession",
    "Membership",
    "Message",
    "ModerationAction",
    "NetworkSettings",
    "Notification",
    "OutboxEmail",
    "Participant",
    "Report",
    "Skill",
    "Space",
    "StripeAccount",
    "StripeEvent",
    "Transfer",
    "User",
    "db",
    "feedback_skills",
    "listing_skills",
    "user_skills",
]
