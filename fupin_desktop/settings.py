"""Every user setting declared once: key, type, default, Chinese title.

Two scopes:
* ``village`` settings travel with the data (targets, visit intervals, attendance rule…). They are stored in the
  database table ``setting`` and read/written through ``services.settings``.
* ``machine`` settings belong to this laptop (language, backup folder, idle lock…). They live in
  ``settings.json`` in the data folder, written temp-then-rename so a power cut never leaves half a file.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fupin_desktop import paths
from fupin_desktop.fileio import write_text_atomic


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    title: str
    scope: str = "village"  # "village" or "machine"
    minimum: int | None = None
    maximum: int | None = None


SETTINGS: tuple[Setting, ...] = (
    # Yearly targets (the "五个百" style slogans differ by place, so every target is configurable).
    Setting("target.visits_per_year", int, 200, "年度走访目标（户次）", minimum=0, maximum=100000),
    Setting("target.households_covered", int, 100, "年度走访覆盖户数目标", minimum=0, maximum=100000),
    Setting("target.diary_days", int, 100, "年度民情日记目标（天）", minimum=0, maximum=366),
    Setting("target.problems_solved", int, 30, "年度解决问题目标（件）", minimum=0, maximum=100000),
    Setting("target.village_days_per_year", int, 200, "每年驻村天数要求", minimum=0, maximum=366),
    # Visit intervals in days, by kind of household.
    Setting("visit_interval.monitored", int, 30, "监测户走访间隔（天）", minimum=1, maximum=366),
    Setting("visit_interval.alleviated", int, 90, "脱贫户走访间隔（天）", minimum=1, maximum=366),
    Setting("visit_interval.ordinary", int, 180, "一般农户走访间隔（天）", minimum=1, maximum=366),
    Setting("attendance.min_days_per_month", int, 20, "每月驻村天数要求", minimum=0, maximum=31),
    Setting("pairing.min_visits_per_year", int, 4, "结对帮扶每年走访次数要求（次）", minimum=0, maximum=366),
    Setting("problem.default_due_days", int, 15, "问题默认办理期限（天）", minimum=1, maximum=365),
    Setting("risk.income_factor_percent", int, 150, "收入预警线（监测线的百分比）", minimum=100, maximum=300),
    Setting("risk.recent_disaster_days", int, 90, "灾情提示时长（天）", minimum=7, maximum=366),
    # This laptop.
    Setting("ui.language", str, "zh_CN", "界面语言", scope="machine"),
    Setting("ui.idle_lock_minutes", int, 5, "空闲自动锁定（分钟）", scope="machine", minimum=1, maximum=240),
    Setting("backup.interval_minutes", int, 30, "自动备份间隔（分钟）", scope="machine", minimum=5, maximum=1440),
    Setting("backup.keep_daily", int, 7, "保留每日备份（份）", scope="machine", minimum=1, maximum=365),
    Setting("backup.keep_weekly", int, 8, "保留每周备份（份）", scope="machine", minimum=0, maximum=520),
    Setting("backup.keep_monthly", int, 12, "保留每月备份（份）", scope="machine", minimum=0, maximum=240),
    Setting("backup.extra_dir", str, "", "额外备份文件夹（U盘）", scope="machine"),
    Setting("backup.extra_last_used", str, "", "额外备份上次使用时间", scope="machine"),
    # The folder she last saved an export, ledger or report into (ui/widgets/save_path.py); "" = USB stick/Documents.
    Setting("export.folder", str, "", "导出文件保存位置", scope="machine"),
    # "size:mtime_ns" of the database file at the last clean exit: the start-up check may skip quick_check then.
    Setting("db.clean_exit", str, "", "上次正常退出时的数据文件状态", scope="machine"),
)

BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}


def declared(key: str) -> Setting:
    try:
        return BY_KEY[key]
    except KeyError:
        raise KeyError(f"undeclared setting {key!r}: declare it in settings.py") from None


def coerce(key: str, value: Any) -> Any:
    """Turn a stored value (JSON text, a string from a form…) into the declared type, or the default."""
    s = declared(key)
    if value is None or value == "":
        return s.default if s.type is not str else (value or s.default)
    try:
        v = s.type(value)
    except (TypeError, ValueError):
        return s.default
    if s.type is int:
        if s.minimum is not None and v < s.minimum:
            return s.minimum
        if s.maximum is not None and v > s.maximum:
            return s.maximum
    return v


class MachineSettings:
    """Settings of this laptop in ``settings.json`` (data folder)."""

    def __init__(self, path: Path | None = None):
        self.path = path or (paths.data_dir() / "settings.json")
        self._values: dict[str, Any] = {}
        if self.path.exists():
            try:
                self._values = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._values = {}  # a damaged settings file falls back to defaults rather than blocking the start

    def get(self, key: str) -> Any:
        return coerce(key, self._values.get(key))

    def set(self, key: str, value: Any) -> None:
        s = declared(key)
        if s.scope != "machine":
            raise KeyError(f"{key} is a village setting")
        self._values[key] = coerce(key, value)
        write_text_atomic(self.path, json.dumps(self._values, ensure_ascii=False, indent=2))
