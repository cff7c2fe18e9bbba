"""The people and the places: accounts and sessions, passwords, one-time tokens, the member
directory, spaces and who belongs to them."""
