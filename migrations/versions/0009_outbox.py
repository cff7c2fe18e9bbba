"""outbox: every email is a row written with the action it tells, delivered by a worker

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 15:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'outbox_emails',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('to_address', sa.String(length=320), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('template', sa.String(length=60), server_default='', nullable=False),
        sa.Column('message_id', sa.String(length=255), nullable=False),
        sa.Column('status', sa.String(length=10), server_default='pending', nullable=False),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(), nullable=True),
        sa.Column('last_error', sa.Text(), server_default='', nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed')",
            name=op.f('ck_outbox_emails_status'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_emails')),
        sa.UniqueConstraint('message_id', name=op.f('uq_outbox_emails_message_id')),
    )
    op.create_index(
        'ix_outbox_emails_status_next_attempt_at',
        'outbox_emails',
        ['status', 'next_attempt_at'],
        unique=False,
    )


def downgrade():
    op.drop_index('ix_outbox_emails_status_next_attempt_at', table_name='outbox_emails')
    op.drop_table('outbox_emails')
