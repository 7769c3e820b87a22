"""The audit trail viewer's service, and the audited "show the full number" action (PIPL: every access to full
personal data is traceable)."""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from fupin_desktop.domain.errors import PermissionDeniedError, ValidationError
from fupin_desktop.domain.privacy import AGE_TITLE, age_on, mask_bank, mask_id, mask_phone
from fupin_desktop.fileio import write_bytes_atomic
from fupin_desktop.services.base import Service, copy_to
from fupin_desktop.storage import audit
from fupin_desktop.storage.audit import SECRET_MARK
from fupin_desktop.storage.models import Cadre, Household, Member
from fupin_desktop.storage.queries import audit as aq
from fupin_desktop.storage.integrity import TABLE_LABELS
from fupin_desktop.storage.queries.audit import AuditQuery

__all__ = ["AuditService", "AuditEntryDTO", "AuditQuery", "ACTION_LABELS", "REVEALABLE", "mask_field",
           "mask_numbers", "REFERENCES", "BIRTH_FIELDS", "AGE_TITLE"]

ACTION_LABELS = {
    "insert": "新增", "update": "修改", "delete": "删除", "purge": "彻底删除", "login": "登录",
    "login_failed": "登录失败", "recover": "用恢复密钥登录", "setup_admin": "创建管理员", "export": "导出",
    "view_full": "查看完整号码", "restore": "恢复备份", "reset_password": "重设密码",
    "change_password": "修改密码", "import": "导入", "merge": "合并", "print": "打印",
    "demo": "生成演示数据", "close_period": "结账", "reopen_period": "反结账", "handover": "交接",
    "handover_reopen": "交接后重新开放", "handover_receive": "接收交接包",
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

    def changes_text(self, full: bool = False, render=None, names: dict | None = None) -> str:
        """"field: old → new" lines; ID, phone and bank numbers masked unless ``full``. ``render(entity, field,
        value, full, names) -> (title, text)`` gives Chinese field titles, code labels and the names of records
        referred to (exchange.audit_text; ``names`` from :meth:`AuditService.record_names`)."""
        if not self.changes:
            return ""
        try:
            changes = json.loads(self.changes)
        except ValueError:
            return self.changes if full else mask_numbers(self.changes)
        parts = []
        for k, v in changes.items():
            old, new = (v + [None, None])[:2] if isinstance(v, list) else (None, v)
            if render is not None:
                title, old_text = render(self.entity, k, old, full, names)
                _, new_text = render(self.entity, k, new, full, names)
            else:
                title, old_text, new_text = k, _show(k, old, full), _show(k, new, full)
            if new == SECRET_MARK:  # a secret: that it changed, never the value (storage.audit)
                parts.append(f"{title}: {SECRET_MARK.strip('（）')}")
                continue
            parts.append(f"{title}: {old_text} → {new_text}")
        return "；".join(parts)

    def detail_text(self, full: bool = False) -> str:
        return (self.detail or "") if full else mask_numbers(self.detail or "")


PERSONAL_NUMBER_FIELDS = {"head_id_number": mask_id, "id_number": mask_id, "phone": mask_phone,
                          "bank_account": mask_bank}
_LONG_NUMBER = re.compile(r"(?<![0-9])[0-9]{14,18}[0-9Xx]?(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def mask_numbers(text: str) -> str:
    """ID, bank and mobile numbers inside free text (details written by older versions) masked."""
    text = _LONG_NUMBER.sub(lambda m: mask_id(m.group(0)), text)
    return _MOBILE.sub(lambda m: mask_phone(m.group(0)), text)


BIRTH_FIELDS = frozenset({"birth_date"})
# Numbers that are not personal (户编号, division codes, record ids): shown as they are.
NOT_PERSONAL = frozenset({"id", "number", "division_code", "receipt_number", "project_number"})


def mask_field(field: str, value, full: bool = False):
    """``value`` of ``field`` as a masked output shows it (privacy's mask functions, one rule everywhere)."""
    if full or value in (None, ""):
        return value
    masker = PERSONAL_NUMBER_FIELDS.get(field)
    if masker is not None:
        return masker(value)
    if field in BIRTH_FIELDS:  # a birth date beside a masked ID rebuilds it: the age instead (domain.privacy)
        try:
            return f"{age_on(date.fromisoformat(str(value)[:10]), date.today())}岁"
        except ValueError:
            return "（已遮盖）"
    if field in NOT_PERSONAL or field.endswith("_id"):
        return value
    return mask_numbers(value) if isinstance(value, str) else value


# Fields that refer to another record → its table (for showing the record's name instead of its UUID).
REFERENCES = {"household_id": "household", "cadre_id": "cadre", "responsible_id": "cadre", "author_id": "cadre",
              "visit_id": "visit", "diary_id": "diary_entry", "problem_id": "problem", "project_id": "project",
              "donor_id": "donor", "donation_id": "donation", "item_id": "donation_item",
              "purchase_id": "purchase", "village_id": "village", "member_id": "member", "user_id": "app_user"}


def _show(field: str, v, full: bool = False) -> str:
    return "（空）" if v in (None, "") else str(mask_field(field, v, full))


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

    def record_names(self, entries: list[AuditEntryDTO]) -> dict[tuple[str, str], str]:
        """Readable names of the records ``entries`` point at: (entity, id) → "张三户（1302…）", a user's name…"""
        self.require_admin()
        keys = {(e.entity, e.entity_id) for e in entries if e.entity and e.entity_id}
        for e in entries:  # records the changes refer to (household_id → the household's name)
            if e.changes and '_id"' in e.changes:
                try:
                    changes = json.loads(e.changes)
                except ValueError:
                    continue
                for field, values in changes.items():
                    table = REFERENCES.get(field)
                    if table and isinstance(values, list):
                        keys.update((table, v) for v in values if isinstance(v, str) and v)
        with self.read() as s:
            return aq.record_names(s, keys)

    def record_text(self, e: AuditEntryDTO, names: dict[tuple[str, str], str]) -> str:
        """"户 · 张三户（1302…）" instead of "household 4be047eb"."""
        if not e.entity:
            return ""
        label = TABLE_LABELS.get(e.entity, e.entity)
        name = names.get((e.entity, e.entity_id or ""))
        if name:
            return f"{label} · {name}"
        return f"{label} {e.entity_id[:8]}" if e.entity_id else label

    def export_csv(self, path: Path, query: AuditQuery = AuditQuery(), full: bool = False, render=None) -> int:
        """Write the filtered trail as a CSV that Excel/WPS open (UTF-8 with BOM); the export is itself audited.

        ID, phone and bank numbers are masked unless ``full`` — a deliberate choice of an administrator, recorded
        as such. ``render``: Chinese field titles and code labels (exchange.audit_text.render_value).
        Raises PermissionDeniedError (not an administrator)."""
        rows = self.list(query, 0, 10_000_000)
        names = self.record_names(rows)
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["序号", "时间", "用户", "操作", "对象", "内容", "说明"])
        for e in rows:
            w.writerow([e.seq, f"{e.at:%Y-%m-%d %H:%M:%S}", e.user_name or "", e.action_label,
                        self.record_text(e, names), e.changes_text(full, render, names), e.detail_text(full)])
        write_bytes_atomic(path, buf.getvalue().encode("utf-8-sig"))
        with self.db.unit_of_work(self.actor) as s:
            kind = "完整导出（含完整身份证号、电话和银行账号）" if full else "导出（号码已遮盖）"
            audit.record(s, "export", "audit_entry", None, detail=f"{kind}审计记录 {len(rows)} 条到 {Path(path).name}")
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


