"""Small text helpers: what members type, made plain (line breaks, search keys, tags)."""

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


# What browsers and keyboards send as a line break: CRLF, a bare CR, NEL (U+0085), the line and
# paragraph separators (U+2028, U+2029), and the C0 characters Python's str.splitlines() reads
# as line ends (vertical tab, form feed, the file/group/record separators).
_LINE_BREAK = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Control characters that are never text: C0 and C1 except tab and line feed, and DEL.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
_SPACES = re.compile(" {2,}")


def multiline(text: str | None) -> str:
    """Several lines as a member meant them: every kind of line break becomes "\n", the
    control characters that are not text go. "Merci !\r\nÀ bientôt" → "Merci !\nÀ bientôt"."""
    return _CONTROL.sub("", _LINE_BREAK.sub("\n", text or ""))


def one_line(text: str | None, limit: int | None = None) -> str:
    """One line whatever was typed: line breaks, tabs and controls become spaces, runs of
    spaces one; non-breaking spaces stay ("1 h 30" is not cut). Cut at `limit` characters
    with an ellipsis (an email's subject)."""
    line = _SPACES.sub(" ", multiline(text).replace("\n", " ").replace("\t", " ")).strip(" ")
    if limit is not None and len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return line


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


def initials(name: str | None) -> str:
    """The letters of a member's circle when they have no picture: "Hélène Martin" → "HM",
    "jean-luc" → "JL", "Ancien membre n° 4" → "AM"; "?" for a name without a letter."""
    words = [w for w in re.split(r"[\s\-_.']+", name or "") if any(c.isalpha() for c in w)]
    letters = [next(c for c in w if c.isalpha()) for w in words[:2]]
    return "".join(letters).upper() or "?"


def quote_lines(text: str | None) -> str:
    """A message quoted in a plain-text email: each line after "> ", line breaks normalised
    (browsers send CRLF)."""
    lines = multiline(text).split("\n")
    return "\n".join(f"> {line}".rstrip() for line in lines)
