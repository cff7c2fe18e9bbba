"""Which words of the listings answer a query word, and how closely: the search's first step,
run on `search_vocabulary` (every distinct word once, ~130,000 at 50,000 listings) rather
than on `listing_terms` (2 M rows).

A word of the vocabulary answers a query word when
  - it is the word (closeness 1) or starts with it (0.8: "compta" → "comptabilite"),
  - it has the same French stem (0.8: "comptables" → "comptable"),
  - its stem starts with the query word's stem: the rule of PostgreSQL's French full text
    (`to_tsquery('french', 'w:*')`), kept on both databases with Snowball's stems from
    Python; it scores its trigram similarity, or 0 below SIMILARITY,
  - or it is close by trigrams (its similarity: "developpeur" ~ "developpeuse").
Only the MAX_TERMS closest count (closeness, then the shorter, then alphabetical), so that a
two-letter prefix cannot drag ten thousand words into the ranking.

PostgreSQL answers in SQL, from a GIN trigram index (prefixes and `%`) and a pattern index on
the stems: one statement for all the query words. SQLite has no trigram index: each worker
keeps the vocabulary in memory (`memory_vocabulary.py`), brought up to date by one cheap
query a search. Both give the same words with the same closeness.
"""

from __future__ import annotations

from heapq import nsmallest

from sqlalchemy import and_, case, func, literal, or_, select, text, union_all

from exchange.services.listings import memory_vocabulary
from exchange.services.listings.memory_vocabulary import SIMILARITY, similarity
from models import db
from models.listings import SearchVocabulary

MAX_TERMS = 200

Matches = list[tuple[str, float]]  # (term, closeness) for one query word


def closeness(term: str, term_stem: str, word: str, word_stem: str) -> float:
    """How well a word of the vocabulary answers a query word it matches: 1 exact … 0."""
    if term == word:
        return 1.0
    if term.startswith(word) or term_stem == word_stem:
        return 0.8
    close = similarity(term, word)
    return close if close >= SIMILARITY else 0.0


def _closest(found: Matches) -> Matches:
    return nsmallest(MAX_TERMS, found, key=lambda m: (-m[1], len(m[0]), m[0]))


def matches(query: list[tuple[str, str]]) -> list[Matches]:
    """For each (word, stem) of a query, the closest words of the vocabulary that answer it."""
    if db.engine.dialect.name == "postgresql":
        return _matches_postgresql(query)
    return [_closest(found) for found in memory_vocabulary.matches(db.engine, query)]


def _candidates_postgresql(index: int, word: str, word_stem: str):
    # Query words are [a-z0-9]+ (search.words), so they hold no LIKE wildcard to escape.
    v = SearchVocabulary
    sim = func.similarity(v.term, word)
    rank = case(
        (v.term == word, 1.0),
        (or_(v.term.like(f"{word}%"), v.stem == word_stem), 0.8),
        (sim >= SIMILARITY, sim),
        else_=0.0,
    )
    # `%` finds the words at pg_trgm's threshold in the GIN index (set to ours: at its default,
    # 0.3, a long word drags in thousands of rows to recheck); the similarity keeps ours
    # whatever the threshold.
    return (
        select(literal(index).label("word"), v.term, v.stem)
        .where(
            or_(
                v.term.like(f"{word}%"),
                v.stem.like(f"{word_stem}%"),
                and_(v.term.op("%")(word), sim >= SIMILARITY),
            )
        )
        .order_by(rank.desc(), func.length(v.term), v.term.collate("C"))
        .limit(MAX_TERMS)
        .subquery()
    )


def _matches_postgresql(query: list[tuple[str, str]]) -> list[Matches]:
    # SET takes no bound parameter; the value is this module's constant, for this transaction.
    db.session.execute(text(f"SET LOCAL pg_trgm.similarity_threshold = {SIMILARITY}"))
    parts = [_candidates_postgresql(i, w, s) for i, (w, s) in enumerate(query)]
    rows = db.session.execute(union_all(*(select(p) for p in parts))).all()
    found: list[Matches] = [[] for _ in query]
    for index, term, term_stem in rows:
        word, word_stem = query[index]
        found[index].append((term, closeness(term, term_stem, word, word_stem)))
    return [_closest(f) for f in found]
