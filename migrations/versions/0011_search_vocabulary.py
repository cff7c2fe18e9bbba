"""search vocabulary: the distinct words of the listings, matched before the listings are

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 10:00:00.000000

A query word is now matched against `search_vocabulary` (prefix, stem, trigrams), then the
words found are joined to `listing_terms` by term in one ranked, paged statement. So
`listing_terms` needs an index on (term, listing_id, weight) that answers that join alone,
and no longer its stem and trigram indexes; `listings` gets a narrow copy of what the filters
and the order read.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# The same statement as exchange.services.search.sync_vocabulary(), written out here so that
# this migration keeps doing what it did whatever the application becomes.
FILL_VOCABULARY = """
INSERT INTO search_vocabulary (term, stem)
SELECT lt.term, min(lt.stem) FROM listing_terms lt
WHERE NOT EXISTS (SELECT 1 FROM search_vocabulary v WHERE v.term = lt.term)
GROUP BY lt.term ORDER BY lt.term
ON CONFLICT (term) DO NOTHING
"""

LISTING_SEARCH_COLUMNS = [
    'id', 'status', 'moderation', 'expires_at', 'author_id', 'created_at', 'kind', 'space_id',
    'category_id', 'mode',
]


def upgrade():
    op.create_table(
        'search_vocabulary',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('term', sa.String(length=60), nullable=False),
        sa.Column('stem', sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_vocabulary')),
        sa.UniqueConstraint('term', name=op.f('uq_search_vocabulary_term')),
        sqlite_autoincrement=True,
    )
    op.create_index(
        'ix_search_vocabulary_stem', 'search_vocabulary', ['stem'], unique=False,
        postgresql_ops={'stem': 'varchar_pattern_ops'},
    )
    op.execute(FILL_VOCABULARY)

    with op.batch_alter_table('listing_terms', schema=None) as batch_op:
        batch_op.drop_index('ix_listing_terms_term')
        batch_op.drop_index('ix_listing_terms_stem')
        batch_op.create_index(
            'ix_listing_terms_lookup', ['term', 'listing_id', 'weight'], unique=False
        )
    op.create_index('ix_listings_search', 'listings', LISTING_SEARCH_COLUMNS, unique=False)

    if op.get_bind().dialect.name == "postgresql":
        # Typos and prefixes on the vocabulary (models.listings.PG_ONLY); the trigram index
        # of listing_terms (2 M rows at 50,000 listings) is no longer read.
        op.execute("DROP INDEX IF EXISTS ix_listing_terms_trgm")
        op.execute(
            "CREATE INDEX ix_search_vocabulary_trgm ON search_vocabulary"
            " USING gin (term gin_trgm_ops)"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_vocabulary_trgm")
        op.execute(
            "CREATE INDEX ix_listing_terms_trgm ON listing_terms USING gin (term gin_trgm_ops)"
        )
    op.drop_index('ix_listings_search', table_name='listings')
    with op.batch_alter_table('listing_terms', schema=None) as batch_op:
        batch_op.drop_index('ix_listing_terms_lookup')
        batch_op.create_index('ix_listing_terms_stem', ['stem'], unique=False)
        batch_op.create_index('ix_listing_terms_term', ['term'], unique=False)
    op.drop_index('ix_search_vocabulary_stem', table_name='search_vocabulary')
    op.drop_table('search_vocabulary')
