"""members who leave: when their account was erased, and the transfer that closes it

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08 00:30:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

KINDS = "'settlement', 'gift', 'retribution', 'grant', 'correction'"


def _kinds(kinds: str) -> None:
    # On PostgreSQL the constraint changes in place (no row is rewritten, so the ledger's
    # append-only triggers never fire); SQLite rebuilds the table, as batch mode does.
    with op.batch_alter_table('transfers') as batch_op:
        batch_op.drop_constraint(op.f('ck_transfers_kind'), type_='check')
        batch_op.create_check_constraint('kind', f"kind IN ({kinds})")


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(), nullable=True))
    _kinds(KINDS + ", 'closure'")


def downgrade():
    _kinds(KINDS)
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('erased_at')
