"""How an audit entry reads for people (the 操作记录 viewer and its CSV): Chinese field titles and code-list labels
from the package's sheet definitions (exchange.ledgers), personal numbers masked by domain.privacy's one rule."""
from __future__ import annotations

import re
from pathlib import Path

from fupin_desktop.domain import codes
from fupin_desktop.exchange.ledgers import CODE_FIELDS, COMMON_TITLES, MULTI, TITLES
from fupin_desktop.services.audit import AGE_TITLE, BIRTH_FIELDS, REFERENCES, AuditQuery, mask_field

__all__ = ["field_title", "render_value", "export_audit_csv"]

# Fields of the program itself (users, settings) that no package sheet names.
EXTRA_TITLES = {
    "app_user": {"username": "用户名", "display_name": "姓名", "role": "角色", "active": "启用", "password_hash": "密码",
                 "wrapped_key": "钥匙", "last_login_at": "上次登录", "cadre_id": "对应干部"},
    "setting": {"key": "设置项", "value": "值"},
}
EXTRA_CODES = {("app_user", "role"): "role"}
BOOLEAN = {True: "是", False: "否"}
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def field_title(entity: str | None, field: str) -> str:
    entity = entity or ""
    return (EXTRA_TITLES.get(entity, {}).get(field) or TITLES.get(entity, {}).get(field)
            or COMMON_TITLES.get(field) or field)


def render_value(entity: str | None, field: str, value, full: bool = False,
                 names: dict | None = None) -> tuple[str, str]:
    """(Chinese title, shown value) of one changed field; a reference shows the record's name (``names``)."""
    title = field_title(entity, field)
    table = REFERENCES.get(field)
    if table and names:
        title = title.removesuffix("ID")
    if field in BIRTH_FIELDS and not full:
        title = AGE_TITLE
    if value in (None, ""):
        return title, "（空）"
    if table and names and (table, value) in names:
        return title, names[(table, value)]
    if isinstance(value, bool):
        return title, BOOLEAN[value]
    if isinstance(value, str) and _TIMESTAMP.match(value):  # 2026-12-03T17:24:41.130764 → 2026-12-03 17:24
        return title, f"{value[:10]} {value[11:16]}"
    list_name = CODE_FIELDS.get((entity or "", field)) or EXTRA_CODES.get((entity or "", field))
    if list_name:
        try:
            if (entity, field) in MULTI:
                return title, "、".join(codes.label(list_name, c) for c in str(value).split(",") if c)
            return title, codes.label(list_name, str(value))
        except KeyError:
            pass
    return title, str(mask_field(field, value, full))


def export_audit_csv(services, path: str | Path, query: AuditQuery = AuditQuery(), full: bool = False) -> int:
    """The audit trail as CSV for people: masked unless ``full`` (administrators; the choice is audited)."""
    return services.audit.export_csv(Path(path), query, full, render_value)
