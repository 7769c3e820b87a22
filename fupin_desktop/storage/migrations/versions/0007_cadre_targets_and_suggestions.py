"""Targets per cadre and year (cadre_target) and the 意见建议 record kind (suggestion): two new, empty tables

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 19:46:40
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cadre_target',
    sa.Column('village_id', sa.String(length=36), nullable=True),
    sa.Column('cadre_id', sa.String(length=36), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(length=24), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['cadre_id'], ['cadre.id'], name=op.f('fk_cadre_target_cadre_id_cadre')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cadre_target')),
    sa.UniqueConstraint('cadre_id', 'year', 'metric', name=op.f('uq_cadre_target_cadre_id'))
    )
    with op.batch_alter_table('cadre_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cadre_target_cadre_id'), ['cadre_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadre_target_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadre_target_village_id'), ['village_id'], unique=False)

    op.create_table('suggestion',
    sa.Column('village_id', sa.String(length=36), nullable=True),
    sa.Column('made_on', sa.Date(), nullable=False),
    sa.Column('cadre_id', sa.String(length=36), nullable=False),
    sa.Column('addressee', sa.String(length=128), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('adopted', sa.Boolean(), nullable=False),
    sa.Column('adopted_note', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['cadre_id'], ['cadre.id'], name=op.f('fk_suggestion_cadre_id_cadre')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion'))
    )
    with op.batch_alter_table('suggestion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_cadre_id'), ['cadre_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestion_made_on'), ['made_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestion_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestion_village_id'), ['village_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('suggestion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestion_village_id'))
        batch_op.drop_index(batch_op.f('ix_suggestion_updated_at'))
        batch_op.drop_index(batch_op.f('ix_suggestion_made_on'))
        batch_op.drop_index(batch_op.f('ix_suggestion_cadre_id'))

    op.drop_table('suggestion')
    with op.batch_alter_table('cadre_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cadre_target_village_id'))
        batch_op.drop_index(batch_op.f('ix_cadre_target_updated_at'))
        batch_op.drop_index(batch_op.f('ix_cadre_target_cadre_id'))

    op.drop_table('cadre_target')
