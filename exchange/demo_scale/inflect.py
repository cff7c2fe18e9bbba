"""French inflection, enough for generated pads: regular verbs (-er, second-group -ir) in the
tenses members write in, and the plural of an object's head noun.

Irregular verbs keep their infinitive only (`can_conjugate` says which are regular).
"""

from __future__ import annotations

import re

# Second-group verbs (finir: nous finissons); other -ir verbs are irregular.
SECOND_GROUP = frozenset(
    [
        "finir",
        "choisir",
        "réussir",
        "grandir",
        "agir",
        "bâtir",
        "réfléchir",
        "remplir",
        "nourrir",
        "établir",
        "définir",
        "investir",
        "réunir",
        "accomplir",
        "saisir",
        "aboutir",
        "approfondir",
        "enrichir",
        "ralentir",
        "garnir",
    ]
)
PERSONS = ("1s", "2s", "3s", "1p", "2p", "3p")
_PRESENT_ER = dict(zip(PERSONS, ("e", "es", "e", "ons", "ez", "ent"), strict=True))
_PRESENT_IR = dict(zip(PERSONS, ("is", "is", "it", "issons", "issez", "issent"), strict=True))
_FUTURE = dict(zip(PERSONS, ("ai", "as", "a", "ons", "ez", "ont"), strict=True))
_IMPERFECT = dict(zip(PERSONS, ("ais", "ais", "ait", "ions", "iez", "aient"), strict=True))
_CONDITIONAL = dict(zip(PERSONS, ("ais", "ais", "ait", "ions", "iez", "aient"), strict=True))
_STRONG = {"1s", "2s", "3s", "3p"}  # the persons whose ending is mute: lève, préfère
# lever, préférer: the e (before one consonant) or é (before any) that opens to è.
_OPEN_E = re.compile(r"(e)([^aeéèêiouy])$|(é)([^aeéèêiouy]+)$")
_VOWELS = "aâàeéèêëiîïoôuûyh"


def can_conjugate(verb: str) -> bool:
    return (verb.endswith("er") and verb != "aller") or verb in SECOND_GROUP


def _stem(verb: str) -> str:
    return verb[:-2]


def _before(stem: str, ending: str) -> str:
    """Spelling of the stem before an ending: mangeons, commençons, nettoie."""
    if ending[:1] in ("a", "o"):
        if stem.endswith("g"):
            return stem + "e"
        if stem.endswith("c"):
            return stem[:-1] + "ç"
    return stem


def _mute_stem(stem: str) -> str:
    if stem.endswith(("oy", "uy")):
        return stem[:-1] + "i"  # nettoie, appuie
    match = _OPEN_E.search(stem)
    if match is None:
        return stem
    return stem[: match.start()] + "è" + (match.group(2) or match.group(4))


def present(verb: str, person: str) -> str:
    if verb in SECOND_GROUP:
        return verb[:-2] + _PRESENT_IR[person]
    stem, ending = _stem(verb), _PRESENT_ER[person]
    if person in _STRONG:
        return _mute_stem(stem) + ending
    return _before(stem, ending) + ending


def imperfect(verb: str, person: str) -> str:
    if verb in SECOND_GROUP:
        return verb[:-2] + "iss" + _IMPERFECT[person]
    stem, ending = _stem(verb), _IMPERFECT[person]
    return _before(stem, ending) + ending


def _future_stem(verb: str) -> str:
    if verb in SECOND_GROUP:
        return verb
    stem = _stem(verb)
    if stem.endswith(("oy", "uy")):
        return stem[:-1] + "ier"
    match = _OPEN_E.search(stem)
    if match is not None and match.group(1) == "e":
        return stem[: match.start()] + "è" + match.group(2) + "er"  # lèverai; préférerai stays
    return verb


def future(verb: str, person: str) -> str:
    return _future_stem(verb) + _FUTURE[person]


def conditional(verb: str, person: str) -> str:
    return _future_stem(verb) + _CONDITIONAL[person]


def participle(verb: str, feminine: bool = False, plural: bool = False) -> str:
    base = verb[:-1] if verb in SECOND_GROUP else verb[:-2] + "é"
    return base + ("e" if feminine else "") + ("s" if plural else "")


def gerund(verb: str) -> str:
    if verb in SECOND_GROUP:
        return verb[:-2] + "issant"
    return _before(_stem(verb), "ant") + "ant"


def elide(word: str, before: str) -> str:
    """ "je" + "aide" -> "j'aide"; "de" + "équipe" -> "d'équipe"."""
    if before[:1].lower() in _VOWELS and word in ("je", "de", "le", "la", "que", "ne", "me", "te"):
        return word[0] + "'" + before
    return f"{word} {before}"


_IRREGULAR_PLURALS = {"bail": "baux", "travail": "travaux", "œil": "yeux"}
_LINKS = (
    "de",
    "d'",
    "du",
    "des",
    "à",
    "au",
    "aux",
    "en",
    "pour",
    "sous",
    "sur",
    "avec",
    "qui",
    "«",
)


def plural_noun(noun: str) -> str:
    if noun in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[noun]
    if noun.endswith(("s", "x", "z")):
        return noun
    if noun.endswith(("eau", "au", "eu")):
        return noun + "x"
    if noun.endswith("al") and noun not in ("festival", "bal", "carnaval", "récital"):
        return noun[:-2] + "aux"
    return noun + "s"


PLURAL_DETERMINERS = {
    "un": "des",
    "une": "des",
    "le": "les",
    "la": "les",
    "l'": "les",
    "les": "les",
}


def plural_object(obj: tuple[str, str, str]) -> str:
    """("une", "affiche", "de concert") -> "des affiches de concert"."""
    determiner, head, rest = obj
    words = head.split(" ", 1)
    words[0] = plural_noun(words[0])
    if rest and " " not in rest and not rest.startswith(_LINKS):
        rest = plural_noun(rest)  # an adjective agrees: des rapprochements bancaires
    return " ".join(filter(None, [PLURAL_DETERMINERS.get(determiner, "des"), *words, rest]))


def singular_object(obj: tuple[str, str, str]) -> str:
    determiner, head, rest = obj
    front = determiner + head if determiner.endswith("'") else f"{determiner} {head}"
    return f"{front} {rest}".strip()
