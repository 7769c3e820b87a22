"""The audit trail viewer's service, and the audited "show the full number" action (PIPL: every access to full
personal data is traceable)."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fupin_desktop.domain.errors import PermissionDeniedError, ValidationError
from fupin_desktop.fileio import write_bytes_atomic
from fupin_desktop.services.base import Service, copy_to
from fupin_desktop.storage import audit
from fupin_desktop.storage.models import Cadre, Household, Member
from fupin_desktop.storage.queries import audit as aq
from fupin_desktop.storage.queries.audit import AuditQuery

__all__ = ["AuditService", "AuditEntryDTO", "AuditQuery", "ACTION_LABELS", "REVEALABLE"]

ACTION_LABELS = {
    "insert": "新增", "update": "修改", "delete": "删除", "purge": "彻底删除", "login": "登录",
    "login_failed": "登录失败", "recover": "用恢复密钥登录", "setup_admin": "创建管理员", "export": "导出",
    "view_full": "查看完整号码", "restore": "恢复备份", "reset_password": "重设密码",
    "change_password": "修改密码", "import": "导入", "merge": "合并", "print": "打印",
}
# Which fields hold full personal numbers, per entity; only these can be revealed.
REVEALABLE = {
    "household": (Household, ("head_id_number", "phone", "bank_account")),
    "member": (Member, ("id_number", "phone")),
    "cadre": (Cadre, ("phone",)),
}
REVEAL_ROLES = frozenset({"admin", "member"})


@dataclass(frozen=True)
class AuditEntryDTO:
    seq: int
    at: datetime
    user_name: str | None
    action: str
    entity: str | None
    entity_id: str | None
    changes: str | None
    detail: str | None

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    def changes_text(self) -> str:
        """"field: old → new" lines (personal numbers already masked where shown in lists)."""
        if not self.changes:
            return ""
        return "；".join(f"{k}: {_show(v[0])} → {_show(v[1])}" for k, v in json.loads(self.changes).items())


def _show(v) -> str:
    return "（空）" if v in (None, "") else str(v)


class AuditService(Service):
    def list(self, query: AuditQuery = AuditQuery(), offset: int = 0, limit: int = 500) -> list[AuditEntryDTO]:
        self.require_admin()
        with self.read() as s:
            return [copy_to(AuditEntryDTO, e) for e in aq.entries(s, query, offset, limit)]

    def count(self, query: AuditQuery = AuditQuery()) -> int:
        self.require_admin()
        with self.read() as s:
            return aq.count(s, query)

    def user_names(self) -> list[str]:
        with self.read() as s:
            return aq.user_names(s)

    def verify(self) -> list[str]:
        """Chinese findings for every break in the hash chain (empty when untouched)."""
        with self.read() as s:
            return audit.verify_chain(s)

    def export_csv(self, path: Path, query: AuditQuery = AuditQuery()) -> int:
        """Write the filtered trail as a CSV that Excel/WPS open (UTF-8 with BOM); the export is itself audited."""
        rows = self.list(query, 0, 10_000_000)
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["序号", "时间", "用户", "操作", "对象", "记录", "内容", "说明"])
        for e in rows:
            w.writerow([e.seq, f"{e.at:%Y-%m-%d %H:%M:%S}", e.user_name or "", e.action_label, e.entity or "",
                        e.entity_id or "", e.changes_text(), e.detail or ""])
        write_bytes_atomic(path, buf.getvalue().encode("utf-8-sig"))
        with self.db.unit_of_work(self.actor) as s:
            audit.record(s, "export", "audit_entry", None, detail=f"导出审计记录 {len(rows)} 条到 {Path(path).name}")
        return len(rows)

    def reveal(self, entity: str, entity_id: str, field: str) -> str:
        """The full value of a masked personal number, for roles allowed to see it; the view is audited."""
        if self.actor.role not in REVEAL_ROLES:
            raise PermissionDeniedError("当前账号不能查看完整号码")
        model, fields = REVEALABLE.get(entity, (None, ()))
        if field not in fields:
            raise ValidationError("field", "这一项不能查看")
        with self.db.unit_of_work(self.actor) as s:
            value = aq.field_value(s, model, entity_id, field)
            audit.record(s, "view_full", entity, entity_id, detail=f"查看完整的{field}")
        return value or ""


