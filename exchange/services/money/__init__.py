"""Euros: fees attached to exchanges and their Stripe payments, Stripe Connect accounts, the
events Stripe sends, and the record of fees paid and refunded."""
