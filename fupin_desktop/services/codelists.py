"""Local additions to the code lists of domain/codes.py (provinces add items every year).

An administrator adds an item ("光伏收益" to a list); it is stored in ``code_extension`` (so it travels with the data)
and added to ``domain.codes`` at once. :meth:`CodeListService.load_extensions` puts the stored items into
``domain.codes`` when the program starts (call it once after opening the database).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from fupin_desktop.domain import codes
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.text import full_pinyin
from fupin_desktop.services.base import Changes, Outcome, Service
from fupin_desktop.storage.models import CodeExtension
from fupin_desktop.storage.queries import common
from fupin_desktop.storage.queries import records as rq

__all__ = ["CodeListService", "CodeListInfo", "CodeItemInfo", "load_extensions"]


@dataclass(frozen=True)
class CodeItemInfo:
    code: str
    label: str
    local: bool


@dataclass(frozen=True)
class CodeListInfo:
    name: str
    title: str
    items: tuple[CodeItemInfo, ...]


def _code_for(label: str, taken: set[str]) -> str:
    """A stable ASCII code for a local label: "x_" + its pinyin (the same label gives the same code on every laptop,
    so merged files agree); a numeric suffix if that is taken."""
    base = "x_" + (re.sub(r"[^a-z0-9]", "", full_pinyin(label).lower()) or "item")
    base = base[:28]
    code, n = base, 2
    while code in taken:
        code = f"{base}{n}"
        n += 1
    return code


class CodeListService(Service):
    def lists(self) -> list[CodeListInfo]:
        """Every code list with its items (built-in and local), in display order."""
        return [CodeListInfo(cl.name, cl.title, tuple(CodeItemInfo(i.code, i.label, i.local) for i in cl.items()))
                for cl in codes.CODE_LISTS.values()]

    def load_extensions(self) -> int:
        """Replace the local items in domain.codes by those stored in the database; returns how many were loaded.
        An item that clashes with a built-in one (a newer program version added it) is skipped."""
        with self.read() as s:
            rows = [(r.list_name, r.code, r.label) for r in common.all_live(s, CodeExtension, order_by="created_at")]
        for cl in codes.CODE_LISTS.values():
            cl.clear_local()
        n = 0
        for list_name, code, label in rows:
            if list_name not in codes.CODE_LISTS:
                continue
            try:
                codes.get(list_name).add_local(code, label)
                n += 1
            except ValidationError:
                continue
        return n

    def add(self, list_name: str, label: str, code: str | None = None) -> Outcome[CodeItemInfo]:
        """Add a local item to ``list_name`` (administrators only). The code is made from the label's pinyin unless
        given. Raises ValidationError (list_name, label, code), PermissionDeniedError."""
        self.require_admin()
        if list_name not in codes.CODE_LISTS:
            raise ValidationError("list_name", "请选择代码表")
        cl = codes.get(list_name)
        label = (label or "").strip()
        if not label:
            raise ValidationError("label", "请填写名称")
        if len(label) > 64:
            raise ValidationError("label", "名称太长了（最多64个字）")
        if cl.code_for_label(label) is not None:
            raise ValidationError("label", f"{cl.title}里已有“{label}”")
        with self.write() as s:
            stored = {r.code: r for r in rq.code_extension_rows(s, list_name)}
            if code:
                code = code.strip()
                if not re.fullmatch(r"[A-Za-z0-9_]{1,32}", code):
                    raise ValidationError("code", "代码只能用字母、数字和下划线（最多32个）")
                if code in cl or (code in stored and stored[code].deleted_at is None):
                    raise ValidationError("code", f"{cl.title}里已有代码“{code}”")
            else:
                code = _code_for(label, set(cl.codes()) | {c for c, r in stored.items() if r.deleted_at is None})
            row = stored.get(code)
            if row is None:
                row = CodeExtension(list_name=list_name, code=code, label=label)
                s.add(row)
            else:  # (list, code) is unique: revive a removed item
                row.deleted_at = None
                row.label = label
            s.flush()
        cl.add_local(code, label)
        return Outcome(CodeItemInfo(code, label, True), Changes.of_session(s))

    def remove(self, list_name: str, code: str) -> Outcome[None]:
        """Remove a local item (records that use it keep the code and show it as it is). Built-in items cannot be
        removed. Raises ValidationError (code), PermissionDeniedError."""
        self.require_admin()
        with self.write() as s:
            row = common.find_live(s, CodeExtension, list_name=list_name, code=code)
            if row is None:
                raise ValidationError("code", "只能删除本地添加的选项")
            self.soft_delete(row)
        self.load_extensions()
        return Outcome(None, Changes.of_session(s))


def load_extensions(services) -> int:
    """Start-up helper: ``load_extensions(services)`` after opening the database."""
    return CodeListService(services.ctx).load_extensions()
