"""Conversations: members writing to each other, coordinators writing as the coordination."""
