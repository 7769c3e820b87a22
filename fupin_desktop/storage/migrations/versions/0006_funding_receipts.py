"""结账 of project funding: money received on a funding line is recorded as dated receipts (funding_receipt)

Each existing line with an amount received gets one receipt of that amount with no date: when it arrived was
never recorded, so no closed period can hold it (a date guessed from the project would lock or unlock it by
chance). Its id is derived from the line's id, so two laptops upgrading the same data make the same receipt and
their 同步包 do not double it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 19:30:00
"""
import uuid
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# uuid5 namespace of the receipts made by this upgrade (never change it: the ids must agree across laptops)
UNDATED = uuid.UUID("6f1c2b4e-0006-4c1e-9a5d-2f7e3b8d0006")


def upgrade() -> None:
    receipt = op.create_table('funding_receipt',
    sa.Column('funding_line_id', sa.String(length=36), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('note', sa.String(length=255), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['funding_line_id'], ['funding_line.id'],
                            name=op.f('fk_funding_receipt_funding_line_id_funding_line')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_receipt'))
    )
    with op.batch_alter_table('funding_receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_receipt_funding_line_id'), ['funding_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_funding_receipt_received_on'), ['received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_funding_receipt_updated_at'), ['updated_at'], unique=False)

    line = sa.table('funding_line', sa.column('id', sa.String), sa.column('received_amount', sa.Numeric(14, 2)),
                    sa.column('created_at', sa.DateTime), sa.column('deleted_at', sa.DateTime))
    conn = op.get_bind()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = [{"id": str(uuid.uuid5(UNDATED, r.id)), "funding_line_id": r.id, "received_on": None,
             "amount": r.received_amount, "note": None, "created_at": r.created_at or now, "updated_at": now,
             "deleted_at": r.deleted_at, "created_by": None, "updated_by": None}
            for r in conn.execute(sa.select(line).where(line.c.received_amount != 0))]
    if rows:
        op.bulk_insert(receipt, rows)


def downgrade() -> None:
    with op.batch_alter_table('funding_receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_receipt_updated_at'))
        batch_op.drop_index(batch_op.f('ix_funding_receipt_received_on'))
        batch_op.drop_index(batch_op.f('ix_funding_receipt_funding_line_id'))
    op.drop_table('funding_receipt')
