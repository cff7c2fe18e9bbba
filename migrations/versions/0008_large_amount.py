"""the network's threshold above which a gift or a logged time asks to be confirmed

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 15:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('network_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('large_amount', sa.Integer(), server_default='300', nullable=False))
        batch_op.create_check_constraint('large_amount', 'large_amount > 0')


def downgrade():
    with op.batch_alter_table('network_settings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_network_settings_large_amount'), type_='check')
        batch_op.drop_column('large_amount')
