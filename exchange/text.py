"""Small text helpers shared by search and tags."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str | None) -> str:
    """Lower-case, accent-free, single-spaced: 'Hélène  Dupré' → 'helene dupre'."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def squash(text: str | None) -> str:
    """Whitespace folded to single spaces, ends trimmed: what a name or a title should be."""
    return " ".join((text or "").split())


def slugify(text: str) -> str:
    """A stable key for a tag: 'Comptabilité & paie' → 'comptabilite-paie'."""
    # Folding can lengthen a text ("ﬃ" → "ffi"): the key is cut to its column's 60 characters.
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60].strip("-")


def parse_tags(raw: str | None, limit: int = 20) -> list[str]:
    """Tags typed by a person, separated by commas or hashtags; deduplicated, order kept."""
    if not raw:
        return []
    seen: dict[str, str] = {}
    for part in re.split(r"[,;\n#]+", raw):
        name = " ".join(part.split()).strip(" .")[:60]
        slug = slugify(name)
        if slug and slug not in seen:
            seen[slug] = name
    return list(seen.values())[:limit]
