"""Reputation earned from exchanges only: feedback written after an exchange and the summaries
shown on profiles."""
