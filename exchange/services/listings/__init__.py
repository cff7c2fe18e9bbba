"""Offers and requests: publishing them, reading and searching them, their categories, and the
cached counts of the listings pages."""
