"""The demo's data files (TOML, beside this module), read once: what the network is made of, as
people wrote it. The code around them only decides when and in what order it happened."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent


@cache
def load(name: str) -> dict:
    """The contents of `<name>.toml` in this package."""
    with (HERE / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)
