"""Finding listings across the archipelago: accents and case ignored, word prefixes, French
word forms, the feminine and masculine of a trade, and a typo or two.

Every listing keeps its distinct words in `listing_terms` (folded, with a French Snowball stem
and a weight: 3 for the title and tags, 1 for the rest). A query word matches a listing when
one of its words
  - starts with it ("compta" → "comptabilite"),
  - shares its French stem ("comptables" → "comptable"),
  - or is close by trigram similarity ("developpeur" ~ "developpeuse", "comptabilte").
Stemming alone never joins "développeur" and "développeuse"; trigrams do.

PostgreSQL does the matching in the database: its French full-text configuration over
unaccented text (a tsvector kept by a trigger, GIN index) and pg_trgm's `%` operator (GIN
trigram index). SQLite has neither, so the same three rules run in Python over the vocabulary
(the distinct words, far fewer than the rows). Both then rank the same way, here, from the
matched words' weights and closeness, and the same tests pass on both.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

import snowballstemmer
from sqlalchemy import and_, delete, func, literal_column, or_, select, text

from exchange.text import fold
from models import Listing, ListingTerm, db

SIMILARITY = 0.4  # pg_trgm's default is 0.3: a little stricter keeps the noise down
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


# ---------------------------------------------------------------------------- indexing


def index_listing(listing: Listing) -> None:
    """Recompute a listing's search text and words (inside the caller's transaction)."""
    heavy = [listing.title, *(s.name for s in listing.skills)]
    light = [listing.summary, listing.details, listing.next_steps]
    if listing.category is not None:
        light += [listing.category.name_fr, listing.category.name_en]
    listing.search_text = fold(" ".join(filter(None, heavy + light)))
    weights: dict[str, int] = {}
    for weight, parts in ((3, heavy), (1, light)):
        for word in words(" ".join(filter(None, parts))):
            weights[word[:60]] = max(weights.get(word[:60], 0), weight)
    if listing.id is not None:
        db.session.execute(delete(ListingTerm).where(ListingTerm.listing_id == listing.id))
    else:
        db.session.flush()
    db.session.add_all(
        ListingTerm(listing_id=listing.id, term=w, stem=stem(w), weight=n)
        for w, n in weights.items()
    )


# ---------------------------------------------------------------------------- matching


def _closeness(term: str, word: str) -> float:
    """How well a listing's word answers a query word: 1 exact … 0 unrelated."""
    if term == word:
        return 1.0
    if term.startswith(word):
        return 0.8
    if stem(term) == stem(word):
        return 0.8
    return similarity(term, word)


def _matching_terms_python(word: str, vocabulary: list[tuple[str, str]]) -> set[str]:
    """SQLite: the vocabulary's words that answer `word` (prefix, stem, trigrams)."""
    word_stem = stem(word)
    found = set()
    for term, term_stem in vocabulary:
        if (
            term.startswith(word)
            or term_stem == word_stem
            or (_length_allows(term, word) and similarity(term, word) >= SIMILARITY)
        ):
            found.add(term)
    return found


def _length_allows(term: str, word: str) -> bool:
    # Words of very different lengths cannot reach the threshold: skip the trigram work.
    a, b = len(term) + 2, len(word) + 2
    return min(a, b) / max(a, b) >= SIMILARITY


def _word_condition_postgresql(word: str):
    """PostgreSQL: French full text (prefix on the stem) or a word close by trigrams."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    close_terms = select(ListingTerm.listing_id).where(
        or_(
            ListingTerm.term.like(f"{escaped}%", escape="\\"),
            ListingTerm.stem == stem(word),
            ListingTerm.term.op("%")(word),
        )
    )
    # The column exists on PostgreSQL only (models.listings.PG_ONLY), hence no mapped attribute.
    full_text = literal_column("listings.search_vector").op("@@")(
        func.to_tsquery("french", f"{word}:*")
    )
    return or_(Listing.id.in_(close_terms), full_text)


def matching_ids(q: str, base_conditions: list) -> list[tuple[int, float]]:
    """(listing id, relevance) of the listings matching every word of `q` and the filters."""
    query_w = query_words(q)
    if not query_w:
        return []
    postgres = db.engine.dialect.name == "postgresql"
    conditions = list(base_conditions)
    per_word_terms: dict[str, set[str]] = {}
    if postgres:
        db.session.execute(
            text("SELECT set_config('pg_trgm.similarity_threshold', :t, true)"),
            {"t": str(SIMILARITY)},
        )
        conditions += [_word_condition_postgresql(w) for w in query_w]
    else:
        vocabulary = db.session.execute(select(ListingTerm.term, ListingTerm.stem).distinct()).all()
        for w in query_w:
            per_word_terms[w] = _matching_terms_python(w, vocabulary)
            if not per_word_terms[w]:
                return []
            conditions.append(
                Listing.id.in_(
                    select(ListingTerm.listing_id).where(ListingTerm.term.in_(per_word_terms[w]))
                )
            )
    candidates = select(Listing.id).where(and_(*conditions))
    # Every listing has words (its title has some), so the candidates are those of the rows.
    rows = db.session.execute(
        select(ListingTerm.listing_id, ListingTerm.term, ListingTerm.weight).where(
            ListingTerm.listing_id.in_(candidates)
        )
    )
    # Relevance: for each query word, the best (weight × closeness) among the listing's words.
    best: dict[int, dict[str, float]] = defaultdict(dict)
    for listing_id, term, weight in rows:
        scores = best[listing_id]
        for w in query_w:
            closeness = _closeness(term, w)
            if closeness >= SIMILARITY or (postgres and term.startswith(w)):
                scores[w] = max(scores.get(w, 0.0), weight * closeness)
    return [(listing_id, sum(scores.values())) for listing_id, scores in best.items()]
