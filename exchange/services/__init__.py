"""Use cases. The only layer that commits; no request and no current_user in here."""
