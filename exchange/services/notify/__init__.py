"""Telling people: in-app notifications and their sentences, and the email outbox."""
