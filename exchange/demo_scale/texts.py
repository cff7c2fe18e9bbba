"""The words of the generated network: pads in the network's standard (title, three-line
summary, details, next steps), bios, messages, feedback, reports.

Built from the trades of `lexicon` (verbs conjugated by `inflect`), the names of `names`, and the
demo's own texts (its listings' paragraphs, its feedback and messages), so that a search meets
the vocabulary a real network writes, with its conjugations and plurals. One `random.Random`
decides everything: the same seed writes the same words.
"""

from __future__ import annotations

import random

from exchange import demo
from exchange.demo import feedback_world as demo_words
from exchange.demo import history_data as demo_history
from exchange.demo.listings import LISTINGS
from exchange.demo_scale import inflect as fr
from exchange.demo_scale import names, sentences
from exchange.demo_scale.lexicon import COMMON_VERBS, TRADES

TITLE_MAX, SUMMARY_MAX, NEXT_MAX = 120, 400, 500
# Real user text: about half the distinct words of a network's listings are typed once, many
# of them misspelt. One long word in fifty loses, swaps or doubles a letter here.
TYPO_RATE = 0.02


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _strings(pool) -> list[str]:
    return [item if isinstance(item, str) else item[1] for item in pool]


def _paragraphs() -> dict[str, list[str]]:
    """The demo listings' paragraphs of details, by category: real sentences to reuse."""
    found: dict[str, list[str]] = {}
    for pad in LISTINGS:
        found.setdefault(pad.category, []).extend(p for p in pad.details.split("\n\n") if p)
    return found


class Writer:
    """Words for one category at a time, drawn from `rng`."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.paragraphs = _paragraphs()
        self.received = _strings(demo_words.RECEIVED) + list(demo_words.RECEIVED_ANY)
        self.gave = _strings(demo_words.GAVE) + list(demo_words.GAVE_ANY)

    # ------------------------------------------------------------------------ pieces

    def pick(self, pool):
        return pool[self.rng.randrange(len(pool))]

    def verb(self, trade, regular: bool = False) -> str:
        pool = trade.verbs if self.rng.random() < 0.85 else COMMON_VERBS
        verb = self.pick(pool)
        while regular and not fr.can_conjugate(verb):
            verb = self.pick(pool)
        return verb

    def obj(self, trade, plural: bool | None = None) -> str:
        item = self.pick(trade.objects)
        if plural is None:
            plural = self.rng.random() < 0.3
        return fr.plural_object(item) if plural else fr.singular_object(item)

    def action(self, trade) -> str:
        return f"{self.verb(trade)} {self.obj(trade)}"

    def when(self) -> str:
        return f"{self.pick(names.DAYS)} {self.pick(names.MOMENTS)}"

    def person(self) -> str:
        return self.pick(names.FIRST_NAMES)

    # ------------------------------------------------------------------------ sentences

    def sentence(self, trade) -> str:
        """One sentence of details, in one of the tenses members write in."""
        return _cap(self.pick(sentences.ALL)(self, trade, self.verb(trade, regular=True)))

    def steps(self, trade) -> str:
        lines = [f"- {self.action(trade)} ;" for _ in range(self.rng.randint(2, 4))]
        lines[-1] = lines[-1][:-2] + "."
        return "Ce qu'on fait ensemble :\n\n" + "\n".join(lines)

    # ------------------------------------------------------------------------ a pad

    def title(self, kind: str, trade, skill: str) -> str:
        act = self.action(trade)
        if kind == "offer":
            pool: tuple[str, ...] = (
                _cap(act),
                f"{_cap(self.obj(trade, False))} : on s'y met ensemble",
                f"Initiation : {act}",
                f"Coup de main pour {act}",
                f"Je peux vous aider à {act}",
                f"Atelier {skill} : {act}",
                f"{_cap(skill)} pour {self.pick(names.AUDIENCES)}",
            )
        else:
            pool = (
                f"Je cherche quelqu'un pour {act}",
                f"Besoin d'aide pour {act}",
                f"Cherche {self.pick(trade.roles)} pour {act}",
                f"Qui pourrait m'aider à {act} ?",
                f"Un coup de main en {skill} ?",
                f"{_cap(self.obj(trade, False))} : qui s'y connaît ?",
            )
        return self.pick(pool)[:TITLE_MAX]

    def summary(self, kind: str, trade, giving: str) -> str:
        if kind == "offer":
            first = f"Je peux vous aider à {self.action(trade)}, {self.when()}."
            second = self.pick(
                (
                    f"Vous repartez en sachant {self.action(trade)} vous-même.",
                    f"Une séance {self.pick(names.PLACES)}, à votre rythme.",
                    f"J'ai l'habitude de travailler avec {self.pick(names.AUDIENCES)}.",
                )
            )
        else:
            first = f"Je cherche une personne patiente pour {self.action(trade)}."
            second = f"En échange : du temps en {giving}, ou ce qui vous rendrait service."
        return self.typos(f"{first}\n{second}")[:SUMMARY_MAX]

    def details(self, trade, category: str) -> str:
        parts = [" ".join(self.sentence(trade) for _ in range(self.rng.randint(1, 2)))]
        if self.rng.random() < 0.2 and category in self.paragraphs:
            parts.append(self.pick(self.paragraphs[category]))
        if self.rng.random() < 0.2:
            parts.append(self.steps(trade))
        if self.rng.random() < 0.3:
            parts.append(self.sentence(trade))
        return self.typos("\n\n".join(parts))

    def typos(self, text: str) -> str:
        """Members type fast: some long words lose, swap or double a letter (TYPO_RATE)."""
        words = text.split(" ")
        for i, word in enumerate(words):
            if len(word) >= 7 and word.isalpha() and self.rng.random() < TYPO_RATE:
                at = self.rng.randrange(1, len(word) - 2)
                words[i] = self.pick(
                    (
                        word[:at] + word[at + 1 :],
                        word[:at] + word[at + 1] + word[at] + word[at + 2 :],
                        word[:at] + word[at] + word[at:],
                    )
                )
        return " ".join(words)

    def next_steps(self) -> str:
        place = self.pick(names.PLACES)
        return self.pick(
            (
                f"Écrivez-moi ici, puis on se retrouve {place} {self.when()}.",
                f"Un café {place} {self.pick(names.DAYS)} pour en parler ?",
                f"Passez me voir {place} le {self.when()}.",
                "Répondez à l'annonce avec vos disponibilités ; je réponds sous 48 h.",
                f"Proposez un créneau : je suis souvent {place} le {self.pick(names.DAYS)}.",
            )
        )[:NEXT_MAX]

    # ------------------------------------------------------------------------ people

    def bio(self, trade, city: str, skills: list[str]) -> str:
        other = self.pick(list(TRADES.values()))
        return " ".join(
            (
                f"J'habite {city} ; je travaille en {skills[0]} depuis {self.rng.randint(2, 20)} ans.",
                f"J'aime {self.action(trade)} et {self.action(trade)}.",
                f"On me trouve souvent {self.pick(names.PLACES)} le {self.pick(names.DAYS)}.",
                f"En échange, un coup de main pour {self.action(other)} me rendrait service.",
            )
        )

    def contact(self) -> str:
        return self.pick(demo.CONTACTS)

    def languages(self) -> str:
        others = self.rng.sample(names.LANGUAGES, self.rng.choice((0, 1, 1, 2)))
        return ", ".join(["français", *others])

    # ------------------------------------------------------------------------ exchanges

    def proposal(self, kind: str, first: str, trade) -> str:
        pool = demo_history.OFFER_PROPOSALS if kind == "offer" else demo_history.REQUEST_PROPOSALS
        why = (
            f"je dois {self.action(trade)}"
            if kind == "offer"
            else f"j'ai déjà su {self.action(trade)}"
        )
        slot = self.pick(demo_history.SLOTS)
        return self.pick(pool).format(
            first=first, why=why, Why=_cap(why), slot=slot, Slot=_cap(slot)
        )

    def accept(self) -> str:
        return self.pick(demo_history.ACCEPTS)

    def note(self) -> str:
        return self.pick(demo_history.NOTES_AS_FORESEEN + demo_history.NOTES_LONGER)

    def direct_title(self, trade) -> str:
        if self.rng.random() < 0.2:
            return self.pick(demo_history.DIRECT_LOGS).title
        return _cap(self.action(trade))[:TITLE_MAX]

    def feedback(self, recommendation: str, first: str, received: bool) -> str:
        if recommendation == "recommends":
            pool = self.received if received else self.gave
            words = self.pick(pool)
            if self.rng.random() < 0.3:
                words += " " + self.pick(demo_words.PERSON)
        elif recommendation == "neutral":
            pool = demo_words.NEUTRAL_RECEIVED if received else demo_words.NEUTRAL_GAVE
            words = self.pick(pool)
        else:
            pool = _strings(demo_words.NOT_RECOMMENDED_RECEIVED + demo_words.NOT_RECOMMENDED_GAVE)
            words = self.pick(pool)
        de_first = fr.elide("de", first)
        return words.replace("{first}", first).replace("{de_first}", de_first)

    def reply(self, first: str) -> str:
        return self.pick(demo_words.REPLY_THANKS).replace("{first}", first)

    def gift(self) -> str:
        return self.pick(demo_history.GIFTS)[3]

    def pot_gift(self) -> str:
        return self.pick(demo_history.POT_GIFTS)[1]

    def retribution(self, trade) -> str:
        return f"Contribution aux communs : {self.action(trade)} pour le lieu"

    def dispute(self) -> str:
        return self.pick(
            (
                "On avait dit une heure, pas deux : je ne peux pas confirmer ce temps.",
                "La séance n'a pas eu lieu, je ne comprends pas cette déclaration.",
                "Le travail n'est pas terminé, on en reparle avant de confirmer.",
            )
        )
