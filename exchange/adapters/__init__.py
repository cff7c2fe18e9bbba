"""Everything that talks to the outside world, each behind a small interface with a fake."""
