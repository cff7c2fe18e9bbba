"""Checks `make lint` runs beside ruff: the import contracts (`.importlinter`)."""
