"""the one-click unsubscribe link a notification's email carries

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-08 04:10:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_emails') as batch_op:
        batch_op.add_column(
            sa.Column('unsubscribe', sa.String(length=500), server_default='', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('outbox_emails') as batch_op:
        batch_op.drop_column('unsubscribe')
