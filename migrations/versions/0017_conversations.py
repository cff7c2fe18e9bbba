"""conversations between members, their messages, blocks, reports of a message, retention

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08 03:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

TARGETS = (
    "(CASE WHEN listing_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN member_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN feedback_id IS NULL THEN 0 ELSE 1 END)"
)


def upgrade():
    op.create_table(
        'conversations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), server_default='members', nullable=False),
        sa.Column('listing_id', sa.Integer(), nullable=True),
        sa.Column('exchange_id', sa.Integer(), nullable=True),
        sa.Column('space_id', sa.Integer(), nullable=True),
        sa.Column('started_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_message_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('members', 'coordination')", name=op.f('ck_conversations_kind')),
        sa.CheckConstraint("(kind = 'coordination') = (space_id IS NOT NULL)", name=op.f('ck_conversations_coordination')),
        sa.ForeignKeyConstraint(['exchange_id'], ['exchanges.id'], name=op.f('fk_conversations_exchange_id_exchanges'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_conversations_listing_id_listings'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_conversations_space_id_spaces'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_conversations_started_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations')),
        sa.UniqueConstraint('exchange_id', name=op.f('uq_conversations_exchange_id')),
    )
    with op.batch_alter_table('conversations') as batch_op:
        batch_op.create_index(batch_op.f('ix_conversations_listing_id'), ['listing_id'])

    op.create_table(
        'messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('conversation_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), server_default='', nullable=False),
        sa.Column('as_coordination', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('hidden_at', sa.DateTime(), nullable=True),
        sa.Column('erased_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_messages_author_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_messages_conversation_id_conversations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    )
    with op.batch_alter_table('messages') as batch_op:
        batch_op.create_index('ix_messages_conversation', ['conversation_id', 'id'])
        batch_op.create_index(batch_op.f('ix_messages_author_id'), ['author_id'])
        batch_op.create_index(batch_op.f('ix_messages_created_at'), ['created_at'])

    op.create_table(
        'conversation_participants',
        sa.Column('conversation_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('last_message_at', sa.DateTime(), nullable=False),
        sa.Column('unread', sa.Integer(), server_default='0', nullable=False),
        sa.Column('read_at', sa.DateTime(), nullable=True),
        sa.Column('notification_id', sa.Integer(), nullable=True),
        sa.Column('emailed_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_conversation_participants_conversation_id_conversations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_conversation_participants_notification_id_notifications'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_conversation_participants_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('conversation_id', 'user_id', name=op.f('pk_conversation_participants')),
    )
    with op.batch_alter_table('conversation_participants') as batch_op:
        batch_op.create_index(
            'ix_conversation_participants_recent', ['user_id', 'last_message_at', 'conversation_id']
        )

    op.create_table(
        'blocks',
        sa.Column('blocker_id', sa.Integer(), nullable=False),
        sa.Column('blocked_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['blocked_id'], ['users.id'], name=op.f('fk_blocks_blocked_id_users'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['blocker_id'], ['users.id'], name=op.f('fk_blocks_blocker_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('blocker_id', 'blocked_id', name=op.f('pk_blocks')),
    )
    with op.batch_alter_table('blocks') as batch_op:
        batch_op.create_index(batch_op.f('ix_blocks_blocked_id'), ['blocked_id'])

    with op.batch_alter_table('reports') as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_reports_message_id_messages'), 'messages', ['message_id'], ['id'],
            ondelete='CASCADE',
        )
        batch_op.create_index(batch_op.f('ix_reports_message_id'), ['message_id'])
        batch_op.drop_constraint(op.f('ck_reports_one_target'), type_='check')
        batch_op.create_check_constraint(
            'one_target', TARGETS + " + (CASE WHEN message_id IS NULL THEN 0 ELSE 1 END) = 1"
        )
    op.create_index(
        'uq_reports_open_message', 'reports', ['reporter_id', 'message_id'], unique=True,
        sqlite_where=sa.text("status = 'open' AND message_id IS NOT NULL"),
        postgresql_where=sa.text("status = 'open' AND message_id IS NOT NULL"),
    )

    with op.batch_alter_table('network_settings') as batch_op:
        batch_op.add_column(sa.Column('message_retention_days', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            'retention', "message_retention_days IS NULL OR message_retention_days > 0"
        )


def downgrade():
    with op.batch_alter_table('network_settings') as batch_op:
        batch_op.drop_constraint(op.f('ck_network_settings_retention'), type_='check')
        batch_op.drop_column('message_retention_days')
    op.drop_index('uq_reports_open_message', table_name='reports')
    op.execute("DELETE FROM reports WHERE message_id IS NOT NULL")
    with op.batch_alter_table('reports') as batch_op:
        batch_op.drop_constraint(op.f('ck_reports_one_target'), type_='check')
        batch_op.create_check_constraint('one_target', TARGETS + " = 1")
        batch_op.drop_index(batch_op.f('ix_reports_message_id'))
        batch_op.drop_constraint(batch_op.f('fk_reports_message_id_messages'), type_='foreignkey')
        batch_op.drop_column('message_id')
    op.drop_table('blocks')
    op.drop_table('conversation_participants')
    op.drop_table('messages')
    op.drop_table('conversations')
