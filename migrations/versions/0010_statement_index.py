"""statement index: a period's totals read one index, whatever the account's age

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 10:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    # The totals of a statement's period (count, sums, first and last ids) read this index
    # alone: an index-only scan bounded by the period, not the account's whole history.
    op.create_index(
        'ix_entries_account_period',
        'entries',
        ['account_id', 'created_at', 'id', 'amount'],
        unique=False,
    )


def downgrade():
    op.drop_index('ix_entries_account_period', table_name='entries')
