"""The English catalogue is complete, faithful to its placeholders, and up to date."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "exchange" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalogue():
    with CATALOGUE.open("rb") as f:
        return read_po(f)


def _messages():
    return [m for m in _catalogue() if m.id]


def _forms(value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


@pytest.mark.parametrize("message", _messages(), ids=lambda m: str(_forms(m.id)[0])[:50])
def test_every_text_has_an_english_translation_with_the_same_placeholders(message):
    assert not message.fuzzy
    for translation in _forms(message.string):
        assert translation.strip(), "missing English"
    expected = set(PLACEHOLDER.findall(" ".join(_forms(message.id))))
    for translation in _forms(message.string):
        assert set(PLACEHOLDER.findall(translation)) <= expected
    # every named value reaches the reader at least once
    assert set(PLACEHOLDER.findall(" ".join(_forms(message.string)))) >= {
        p for p in expected if not p.startswith("%(num)")
    }


def test_catalogue_holds_every_text_of_the_code_and_templates(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
            "-k", "_l", "-k", "lazy_ngettext:1,2", "--no-location", "-o", str(pot), ".",
        ],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with pot.open("rb") as f:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in _messages()}
    missing = sorted(extracted - known)
    assert not missing, f"run `make update-messages` and translate: {missing[:10]}"
