"""members' data exports built in the background, offered once by a link that expires

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 00:10:00.000000

"""
import sqlalchemy as sa
from alembic import op



# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'data_exports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('key', sa.String(length=120), server_default='', nullable=False),
        sa.Column('size', sa.Integer(), server_default='0', nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=True),
        sa.Column('taken_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_data_exports_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_exports')),
    )
    with op.batch_alter_table('data_exports') as batch_op:
        batch_op.create_index('ix_data_exports_state', ['state', 'expires_at'])
        batch_op.create_index(batch_op.f('ix_data_exports_user_id'), ['user_id'])


def downgrade():
    op.drop_table('data_exports')
