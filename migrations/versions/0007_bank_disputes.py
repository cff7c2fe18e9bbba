"""money: what the payer's bank does about a paid fee (inquiry, chargeback), as Stripe says

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    # The history's new steps (fee_dispute_inquiry, ...) are longer than the first ones.
    with op.batch_alter_table('exchange_events', schema=None) as batch_op:
        batch_op.alter_column(
            'kind', existing_type=sa.String(length=12), type_=sa.String(length=30),
            existing_nullable=False,
        )
    with op.batch_alter_table('fees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dispute_id', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('dispute_status', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('dispute_cents', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('disputed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('dispute_closed_at', sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_fees_dispute_id'), ['dispute_id'])
        batch_op.create_check_constraint(
            'dispute_status',
            "dispute_status IS NULL OR dispute_status IN "
            "('inquiry', 'open', 'won', 'lost', 'closed')",
        )


def downgrade():
    with op.batch_alter_table('fees', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_fees_dispute_status'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_fees_dispute_id'), type_='unique')
        batch_op.drop_column('dispute_closed_at')
        batch_op.drop_column('disputed_at')
        batch_op.drop_column('dispute_cents')
        batch_op.drop_column('dispute_status')
        batch_op.drop_column('dispute_id')
    with op.batch_alter_table('exchange_events', schema=None) as batch_op:
        batch_op.alter_column(
            'kind', existing_type=sa.String(length=30), type_=sa.String(length=12),
            existing_nullable=False,
        )
