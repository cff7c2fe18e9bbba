"""The demo's data files (TOML, beside this module), read once: what the network is made of, as
people wrote it. The code around them only decides when and in what order it happened."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import TypeVar

HERE = Path(__file__).parent
T = TypeVar("T")


@cache
def load(name: str) -> dict:
    """The contents of `<name>.toml` in this package."""
    with (HERE / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


def known(value: T | None) -> T:
    """A value the demo set on an earlier step (a closing date, the admin, a transfer written
    before the one reversing it): never None where it is read; said loudly if it were."""
    if value is None:
        raise ValueError("the demo reads a value before the step that sets it")
    return value
