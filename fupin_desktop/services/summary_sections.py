"""The 工作总结's sections the secretary writes herself (典型经验和特色做法, 存在的问题, 下一步打算, 意见建议), saved
in the program per period and per drafting unit (the 工作队's summary or the 派出单位's own) so that the Word and PDF
summaries carry them.

Stored in the village-scope key-value store (table ``setting``, one JSON row per village, period and drafting unit;
no schema change). Like the settings, these rows stay on this laptop: the 同步包 does not carry them.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.services.base import Changes, Outcome, Service
from fupin_desktop.services.report_lines import Period
from fupin_desktop.storage.models import SettingValue
from fupin_desktop.storage.queries import common
from fupin_desktop.storage.queries import reporting as rq

TEAM, BUREAU = "team", "bureau"
DRAFTERS = (TEAM, BUREAU)  # 驻村工作队 / 派出单位（帮扶单位）
MAX_CHARS = 20000  # per section: several pages of text


@dataclass(frozen=True)
class SummarySections:
    """Her own text, one string per section (lines = paragraphs); empty: not written yet."""

    experience: str = ""   # 典型经验和特色做法 (printed only when written)
    problems: str = ""     # 存在的问题
    plans: str = ""        # 下一步打算
    suggestions: str = ""  # 意见建议 (printed only when written)

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name).strip() for f in fields(self))


TITLES = {"experience": "典型经验和特色做法", "problems": "存在的问题", "plans": "下一步打算",
          "suggestions": "意见建议"}


def storage_key(village_id: str, period: Period, drafter: str) -> str:
    """At most 60 characters (the store's key column holds 64)."""
    return f"sum:{village_id}:{period.start:%Y%m%d}-{period.end:%Y%m%d}:{drafter[0]}"


class SummarySectionsService(Service):
    def _key(self, s, period: Period, drafter: str, village_id: str | None) -> str | None:
        if drafter not in DRAFTERS:
            raise ValidationError("drafter", f"起草单位只能是驻村工作队或派出单位：{drafter}")
        v = rq.village(s, village_id)
        return storage_key(v.id, period, drafter) if v is not None else None

    def get(self, period: Period, drafter: str = TEAM, village_id: str | None = None) -> SummarySections:
        """What she wrote for ``period`` and ``drafter`` (empty sections when nothing yet)."""
        with self.read() as s:
            key = self._key(s, period, drafter, village_id)
            row = common.find_live(s, SettingValue, key=key) if key else None
            stored = json.loads(row.value) if row else {}
        names = {f.name for f in fields(SummarySections)}
        return SummarySections(**{k: str(v) for k, v in stored.items() if k in names})

    def save(self, period: Period, sections: SummarySections, drafter: str = TEAM,
             village_id: str | None = None) -> Outcome[SummarySections]:
        """Save her sections for ``period`` and ``drafter``. Raises PermissionDeniedError (viewers),
        ValidationError (no village set up yet; a section longer than :data:`MAX_CHARS`)."""
        self.require_write()
        clean = SummarySections(**{k: (v or "").replace("\r\n", "\n").strip() for k, v in asdict(sections).items()})
        for name, value in asdict(clean).items():
            if len(value) > MAX_CHARS:
                raise ValidationError(name, f"“{TITLES[name]}”太长：{len(value)}字，最多{MAX_CHARS}字")
        with self.write() as s:
            key = self._key(s, period, drafter, village_id)
            if key is None:
                raise ValidationError("village", "还没有设置村庄，不能保存工作总结")
            row = common.find_live(s, SettingValue, key=key)
            if row is None:
                row = SettingValue(key=key, value="")
                s.add(row)
            row.value = json.dumps(asdict(clean), ensure_ascii=False)
        return Outcome(clean, Changes.of_session(s))
