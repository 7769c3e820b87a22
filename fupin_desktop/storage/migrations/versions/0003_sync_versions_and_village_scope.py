"""Sync: every record scoped by village, per-field versions (HLC), installation, conflicts and pinned sender keys

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 16:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# Tables that reach no village through a parent get their own village_id (filled with the database's village).
SCOPED = ('diary_entry', 'problem', 'work_log', 'project', 'donor', 'donation', 'purchase')


def upgrade() -> None:
    bind = op.get_bind()
    villages = [r[0] for r in bind.execute(sa.text("SELECT id FROM village ORDER BY created_at")).fetchall()]
    only = villages[0] if len(villages) == 1 else None

    for name in SCOPED:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('village_id', sa.String(length=36), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{name}_village_id'), ['village_id'], unique=False)
    # The uniqueness rules of 监测标准 and local code items include the village (a township holds many).
    with op.batch_alter_table('monitoring_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('village_id', sa.String(length=36), nullable=True))
        batch_op.drop_constraint('uq_monitoring_line_year', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_monitoring_line_village_id'), ['village_id', 'year', 'area'])
        batch_op.create_index(batch_op.f('ix_monitoring_line_village_id'), ['village_id'], unique=False)
    with op.batch_alter_table('code_extension', schema=None) as batch_op:
        batch_op.add_column(sa.Column('village_id', sa.String(length=36), nullable=True))
        batch_op.drop_constraint('uq_code_extension_list_name', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_code_extension_village_id'),
                                          ['village_id', 'list_name', 'code'])
        batch_op.create_index(batch_op.f('ix_code_extension_village_id'), ['village_id'], unique=False)
    if only is not None:
        for name in (*SCOPED, 'monitoring_line', 'code_extension'):
            bind.execute(sa.text(f"UPDATE {name} SET village_id = :v WHERE village_id IS NULL"), {"v": only})

    with op.batch_alter_table('sync_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seen_hlc', sa.BigInteger(), nullable=False, server_default='0'))
    op.create_table('installation',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('village_id', sa.String(length=36), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('signing_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_installation'))
    )
    op.create_table('field_version',
    sa.Column('tbl', sa.String(length=32), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('origin', sa.String(length=36), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('tbl', 'row_id', 'field', name=op.f('pk_field_version'))
    )
    op.create_table('sync_conflict',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('tbl', sa.String(length=32), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('winner_value', sa.Text(), nullable=True),
    sa.Column('winner_hlc', sa.BigInteger(), nullable=False),
    sa.Column('winner_origin', sa.String(length=36), nullable=False),
    sa.Column('winner_author', sa.String(length=64), nullable=True),
    sa.Column('loser_value', sa.Text(), nullable=True),
    sa.Column('loser_hlc', sa.BigInteger(), nullable=False),
    sa.Column('loser_origin', sa.String(length=36), nullable=False),
    sa.Column('loser_author', sa.String(length=64), nullable=True),
    sa.Column('detected_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflict'))
    )
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_conflict_row_id'), ['row_id'], unique=False)
    op.create_table('sender_key',
    sa.Column('installation_id', sa.String(length=36), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('village', sa.String(length=64), nullable=True),
    sa.Column('pinned_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('installation_id', name=op.f('pk_sender_key'))
    )


def downgrade() -> None:
    op.drop_table('sender_key')
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_conflict_row_id'))
    op.drop_table('sync_conflict')
    op.drop_table('field_version')
    op.drop_table('installation')
    with op.batch_alter_table('sync_state', schema=None) as batch_op:
        batch_op.drop_column('seen_hlc')
    with op.batch_alter_table('code_extension', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_code_extension_village_id'))
        batch_op.drop_constraint(batch_op.f('uq_code_extension_village_id'), type_='unique')
        batch_op.create_unique_constraint('uq_code_extension_list_name', ['list_name', 'code'])
        batch_op.drop_column('village_id')
    with op.batch_alter_table('monitoring_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_line_village_id'))
        batch_op.drop_constraint(batch_op.f('uq_monitoring_line_village_id'), type_='unique')
        batch_op.create_unique_constraint('uq_monitoring_line_year', ['year', 'area'])
        batch_op.drop_column('village_id')
    for name in reversed(SCOPED):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{name}_village_id'))
            batch_op.drop_column('village_id')
