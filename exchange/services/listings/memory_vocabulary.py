"""SQLite's copy of the search vocabulary, in the memory of each worker process, with what
PostgreSQL gets from its indexes: the words sorted (prefixes by bisection), the words of each
stem (stems sorted too, for stem prefixes) and a trigram inverted index (typos found without
comparing every word).

The table is append-only and its ids only grow (AUTOINCREMENT), so one statement a search,
`id > last seen`, brings the copy up to date. It reads on a connection of its own: what it
sees is committed, so a rolled-back word never lingers in it. The row with the smallest id
comes back every time: if it is not the one the copy started from, the table was emptied
(the tests do, between tests), and the same statement has read it all again.

Measured on 133,637 words (50,000 synthetic listings): the first search of a worker reads
them all in about 1 s; the copy then holds about 22 MB (the worker's RSS grows by ~37 MB),
because the postings are arrays of 32-bit positions, not sets of Python ints (1.3 M of
them), and the words of one stem share one string. A search then costs one query (a row,
when nothing is new) and a millisecond or two of matching.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from itertools import chain
from math import ceil

from sqlalchemy import case, func, select, union_all

from models.listings import SearchVocabulary

SIMILARITY = 0.4  # pg_trgm's default is 0.3: a little stricter keeps the noise down


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: padded with two spaces before and one after."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all distinct trigrams."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    shared = len(ta & tb)
    return shared / (len(ta) + len(tb) - shared)


class MemoryVocabulary:
    """The vocabulary of one database, as of the last refresh."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._clear()

    def _clear(self) -> None:
        self.first_id: int | None = None
        self.last_id = 0
        self.terms: list[str] = []  # by position (the order they came in)
        self.stems: list[str] = []  # by position
        self.sizes = array("B")  # how many distinct trigrams each word has, by position
        self.postings: dict[str, array] = {}  # trigram → positions of the words that have it
        self.sorted_terms: list[str] = []
        self.sorted_stems: list[str] = []  # one a word, sorted, beside …
        self.stem_positions = array("i")  # … the position of its word

    def refresh(self, connection) -> None:
        """Read the words added since the last refresh (all of them the first time, or when
        the table was emptied since), in one statement that reads only those rows."""
        v = SearchVocabulary
        first = select(func.min(v.id)).scalar_subquery()
        since = case((first == self.first_id, self.last_id), else_=0)
        rows = connection.execute(
            union_all(
                select(v.id, v.term, v.stem).where(v.id == first),
                select(v.id, v.term, v.stem).where(v.id > since),
            ).order_by("id")
        )
        head = next(rows, None)
        if head is None or head[0] != self.first_id:
            self._clear()
        if head is not None:
            self.first_id = head[0]
            self._add(rows if head[0] <= self.last_id else chain([head], rows))

    def _add(self, rows) -> None:
        first_new = len(self.terms)
        shared_stems: dict[str, str] = {}  # one string a stem, however many words share it
        for row_id, term, term_stem in rows:
            self.last_id = row_id
            pos = len(self.terms)
            self.terms.append(term)
            self.stems.append(shared_stems.setdefault(term_stem, term_stem))
            grams = trigrams(term)
            self.sizes.append(len(grams))
            for gram in grams:
                self.postings.setdefault(gram, array("i")).append(pos)
        if len(self.terms) - first_new > 100:  # the first load, a bulk import: sort once
            self.sorted_terms = sorted(self.terms)
            order = sorted(range(len(self.terms)), key=self.stems.__getitem__)
            self.sorted_stems = [self.stems[pos] for pos in order]
            self.stem_positions = array("i", order)
            return
        for pos in range(first_new, len(self.terms)):  # a listing's few new words
            insort(self.sorted_terms, self.terms[pos])
            at = bisect_right(self.sorted_stems, self.stems[pos])
            self.sorted_stems.insert(at, self.stems[pos])
            self.stem_positions.insert(at, pos)

    def _similar(self, word: str):
        """(position, similarity) of the words at SIMILARITY or closer, from the postings."""
        grams = trigrams(word)
        n = len(grams)
        # similarity ≥ S needs at least S·n shared trigrams: skip the words below that.
        need = ceil(SIMILARITY * n - 1e-9)
        shared_counts = Counter(chain.from_iterable(self.postings.get(g, ()) for g in grams))
        sizes = self.sizes
        for pos, shared in shared_counts.items():
            if shared >= need:
                close = shared / (n + sizes[pos] - shared)  # = similarity(), same integers
                if close >= SIMILARITY:
                    yield pos, close

    def matches(self, word: str, word_stem: str) -> list[tuple[str, float]]:
        """Every word that answers `word`, with its closeness (search_vocabulary.closeness)."""
        found: dict[str, float] = {}
        for term in _starting_with(self.sorted_terms, word):
            found[term] = 1.0 if term == word else 0.8
        stem_prefix: list[str] = []
        start = bisect_left(self.sorted_stems, word_stem)
        for i, term_stem in enumerate(_starting_with(self.sorted_stems, word_stem), start):
            term = self.terms[self.stem_positions[i]]
            if term in found:
                continue
            if term_stem == word_stem:
                found[term] = 0.8
            else:
                stem_prefix.append(term)
        for pos, close in self._similar(word):
            found.setdefault(self.terms[pos], close)
        for term in stem_prefix:  # the full-text rule alone: a match that scores nothing
            found.setdefault(term, 0.0)
        return list(found.items())


def _starting_with(sorted_words: list[str], prefix: str):
    i = bisect_left(sorted_words, prefix)
    while i < len(sorted_words) and sorted_words[i].startswith(prefix):
        yield sorted_words[i]
        i += 1


_copies: dict[str, MemoryVocabulary] = {}
_copies_lock = threading.Lock()


def matches(engine, query: list[tuple[str, str]]) -> list[list[tuple[str, float]]]:
    """For each (word, stem) of a query, every word of the vocabulary of `engine`'s database
    that answers it, with its closeness; the copy is brought up to date first."""
    key = engine.url.render_as_string(hide_password=True)
    with _copies_lock:
        vocabulary = _copies.setdefault(key, MemoryVocabulary())
    with vocabulary.lock:
        with engine.connect() as connection:
            vocabulary.refresh(connection)
        return [vocabulary.matches(word, word_stem) for word, word_stem in query]
