"""Which documents have a 公示 (public notice) version — the one answer the CLI, the reports page and any document
registry ask (DESIGN.md §5.10: 公示 outputs carry no health, disability, income or free text).

A document is named as the CLI names it (``ledger-visits``, ``handbook``, ``diary-book``, ``summary``) or as the
reports page does (``visits``, ``handbook``, ``diary_book``, ``summary``). Ledgers: see
:data:`fupin_desktop.reports.ledgers.PUBLIC_COLUMNS`; the 一户一册 has one (no health, income, measures, free text
or photos); the 民情日记本 and the 工作总结 are free text from end to end and have none.
"""
from __future__ import annotations

from fupin_desktop.reports.ledgers import PUBLIC_COLUMNS, NoPublicForm, no_public_form
from fupin_desktop.reports.notices import NOTICE_KEYS

__all__ = ["has_public_form", "require_public_form", "NoPublicForm", "PUBLIC_DOCUMENTS"]

# the 公示 notices (reports.notices) are public in every form: their allow-list is reports.notices.NOTICE_COLUMNS
PUBLIC_DOCUMENTS = frozenset(PUBLIC_COLUMNS) | {"handbook"} | frozenset(NOTICE_KEYS)
_NAMES = {"handbook": "一户一册", "diary_book": "民情日记本", "summary": "工作总结", "village_facts": "村基本情况表",
          "suggestions": "意见建议台账"}


def _key(document: str) -> str:
    return document.removeprefix("ledger-").replace("-", "_")


def has_public_form(document: str) -> bool:
    return _key(document) in PUBLIC_DOCUMENTS


def require_public_form(document: str) -> None:
    """Raise :class:`NoPublicForm` (a Chinese message saying what to do) unless ``document`` has a 公示 version."""
    if not has_public_form(document):
        from fupin_desktop.reports.ledgers import TITLES
        from fupin_desktop.reports.registry import BY_KEY  # (registry imports this module: looked up when refusing)

        key = _key(document)
        registered = BY_KEY.get(key)
        raise no_public_form(_NAMES.get(key) or TITLES.get(key) or (registered.title if registered else document))
