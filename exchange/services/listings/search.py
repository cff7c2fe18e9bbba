"""Finding listings across the archipelago: accents and case ignored, word prefixes, French
word forms, the feminine and masculine of a trade, and a typo or two.

Every listing keeps its distinct words in `listing_terms` (folded, with a French Snowball stem
and a weight: 3 for the title and tags, 1 for the rest), and `search_vocabulary` keeps every
distinct word once. A search runs in two steps, the same on SQLite and PostgreSQL:

1. each query word is matched against the vocabulary (search_vocabulary.py): the words that
   start with it, share its stem or its stem's beginning, or are close by trigrams
   ("developpeur" ~ "developpeuse", "comptabilte"), each with a closeness, at most 200;
2. one statement joins those (word, term, closeness) rows to `listing_terms`, scores each
   listing (for each query word its best weight × closeness, summed over the words), keeps
   the listings that match every word and pass the filters, and returns one page of them,
   ordered, with the total (listing_queries.find). No match is ever read into Python.
"""

from __future__ import annotations

import json
import operator
import re
from functools import lru_cache, reduce

import snowballstemmer
from sqlalchemy import Integer, String, and_, bindparam, case, column, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.expression import ColumnClause

from exchange.services.listings import vocabulary as search_vocabulary
from exchange.text import fold
from models import Listing, ListingTerm, db
from models.listings import SearchVocabulary

MAX_WORDS = 8
MIN_LENGTH = 2

# Words that carry no meaning in a search, and the words of asking and offering themselves:
# "besoin d'aide en comptabilité" looks for "comptabilité" (the type filter says offer/request).
STOP_WORDS = frozenset(
    """a au aux avec ce ces d dans de des du elle en et il je la le les leur l m ma mais me mes
    mon ne nous on ou par pas pour qu que qui s sa se ses son sur t ta te tes ton tu un une vos
    votre vous y the and of for to in on with
    aide aider besoin cherche recherche propose offre demande help need""".split()  # noqa: SIM905
)

_WORD = re.compile(r"[a-z0-9]+")
_stemmer = snowballstemmer.stemmer("french")


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def words(text_: str | None) -> list[str]:
    """The folded words of a text, in order, without stop words or single letters."""
    return [w for w in _WORD.findall(fold(text_)) if len(w) >= MIN_LENGTH and w not in STOP_WORDS]


def query_words(q: str | None) -> list[str]:
    """The distinct words of a query, at most MAX_WORDS of them."""
    return list(dict.fromkeys(words(q)))[:MAX_WORDS]


# ---------------------------------------------------------------------------- indexing


def searchable(
    title: str, summary: str, details: str, next_steps: str, skills=(), category_names=()
) -> tuple[str, dict[str, int]]:
    """A listing's search text and its distinct words with their weights, from its texts: 3 for
    the title and the tags (skill names), 1 for the rest and the category's names. Pure."""
    heavy = [title, *skills]
    light = [summary, details, next_steps, *category_names]
    search_text = fold(" ".join(filter(None, heavy + light)))
    weights: dict[str, int] = {}
    for weight, parts in ((3, heavy), (1, light)):
        for word in words(" ".join(filter(None, parts))):
            weights[word[:60]] = max(weights.get(word[:60], 0), weight)
    return search_text, weights


def index_listing(listing: Listing) -> None:
    """Recompute a listing's search text and words (inside the caller's transaction)."""
    category = listing.category
    listing.search_text, weights = searchable(
        listing.title,
        listing.summary,
        listing.details,
        listing.next_steps,
        [s.name for s in listing.skills],
        (category.name_fr, category.name_en) if category is not None else (),
    )
    if listing.id is not None:
        db.session.execute(delete(ListingTerm).where(ListingTerm.listing_id == listing.id))
    else:
        db.session.flush()
    db.session.add_all(
        ListingTerm(listing_id=listing.id, term=w, stem=stem(w), weight=n)
        for w, n in weights.items()
    )
    _add_to_vocabulary(sorted(weights))


def _insert():
    return (postgresql if db.engine.dialect.name == "postgresql" else sqlite).insert


def _add_to_vocabulary(terms: list[str]) -> None:
    """The words the vocabulary does not have yet. Sorted: two listings saved at once insert
    their common new words in the same order, so they wait for each other, never deadlock."""
    if terms:
        db.session.execute(
            _insert()(SearchVocabulary)
            .values([{"term": t, "stem": stem(t)} for t in terms])
            .on_conflict_do_nothing(index_elements=["term"])
        )


def sync_vocabulary() -> None:
    """Add to the vocabulary every word of `listing_terms` it lacks, in one statement, and
    commit: for a bulk insert of listing_terms, after it. Running it again adds nothing."""
    lt, v = ListingTerm, SearchVocabulary
    missing = (
        select(lt.term, func.min(lt.stem))
        .where(~select(v.id).where(v.term == lt.term).exists())
        .group_by(lt.term)
        .order_by(lt.term)
    )
    db.session.execute(
        _insert()(v)
        .from_select(["term", "stem"], missing)
        .on_conflict_do_nothing(index_elements=["term"])
    )
    db.session.commit()


# ---------------------------------------------------------------------------- ranking

# Closeness in millionths: the scores are integers, so equal scores are equal on both
# databases whatever the order of the sum, and ties fall to the newest.
SCALE = 1_000_000
MATCHED: tuple[ColumnClause, ...] = (
    column("word", Integer),
    column("term", String),
    column("closeness", Integer),
)


def _matched(rows: list[tuple[int, str, int]]):
    """The (word, term, closeness) rows as a table, each column one bound parameter: the
    statement's text is the same for any number of rows (SQLAlchemy compiles it once)."""
    if db.engine.dialect.name == "postgresql":
        word, term, closeness = (list(c) for c in zip(*rows, strict=True))
        return (
            func.unnest(
                bindparam("matched_word", word, ARRAY(Integer)),
                bindparam("matched_term", term, ARRAY(String)),
                bindparam("matched_closeness", closeness, ARRAY(Integer)),
            )
            .table_valued(*MATCHED)
            .render_derived(name="matched")
        )
    each = func.json_each(bindparam("matched", json.dumps(rows))).table_valued("value")
    return select(
        *(
            func.json_extract(each.c.value, f"$[{i}]", type_=c.type).label(c.name)
            for i, c in enumerate(MATCHED)
        )
    ).subquery("matched")


def relevance(q: str):
    """A subquery of (listing_id, score): the listings that have, for every word of `q`, a
    word that answers it; None when a query word answers nothing at all.

    The score is the sum over the query words of the listing's best weight × closeness,
    computed in one pass over the joined rows (a MAX per word): one row a listing.
    """
    query = [(w, stem(w)) for w in query_words(q)]
    found = search_vocabulary.matches(query) if query else []
    if not query or not all(found):
        return None
    matched = _matched(
        [(i, term, round(c * SCALE)) for i, terms in enumerate(found) for term, c in terms]
    )
    per_word = [
        func.max(case((matched.c.word == i, ListingTerm.weight * matched.c.closeness)))
        for i in range(len(query))
    ]
    scored = (
        select(ListingTerm.listing_id, reduce(operator.add, per_word).label("score"))
        .join(matched, matched.c.term == ListingTerm.term)
        .group_by(ListingTerm.listing_id)
    )
    if len(per_word) > 1:  # every word must match
        scored = scored.having(and_(*(best.is_not(None) for best in per_word)))
    return scored.subquery("scored")
