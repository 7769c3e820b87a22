"""Pinyin search keys hold every reading of a heteronym (刘长海: "lzh lch"): recompute name_pinyin/name_initials

A data revision: the columns stay, their values are recomputed with ``domain.text.search_keys`` (the usual
reading first, so the sort order by name_pinyin is unchanged). Rows whose keys are already right are left alone;
one cached computation per distinct name. Downgrade writes the usual reading only, as 0003's code did.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 17:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_TABLES = (("household", "head_name"), ("member", "name"))
_BATCH = 5000


def _recompute(keys_of) -> None:
    bind = op.get_bind()
    cache: dict = {}
    for table, name_column in _TABLES:
        rows = bind.execute(sa.text(f"SELECT id, {name_column}, name_pinyin, name_initials FROM {table}")).fetchall()
        changed = []
        for row_id, name, pinyin, initials in rows:
            keys = cache.get(name)
            if keys is None:
                keys = cache[name] = keys_of(name or "")
            if (pinyin, initials) != keys:
                changed.append({"i": row_id, "p": keys[0], "n": keys[1]})
        statement = sa.text(f"UPDATE {table} SET name_pinyin = :p, name_initials = :n WHERE id = :i")
        for start in range(0, len(changed), _BATCH):
            bind.execute(statement, changed[start:start + _BATCH])


def upgrade() -> None:
    from fupin_desktop.domain.text import PinyinKeys  # search_keys, per character with a cache: 100k names in seconds

    _recompute(PinyinKeys())


def downgrade() -> None:
    from fupin_desktop.domain.text import full_pinyin, pinyin_initials

    _recompute(lambda name: (full_pinyin(name), pinyin_initials(name)))
