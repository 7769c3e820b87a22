"""The one global search (Ctrl+F in the top bar): households (name, pinyin initials of any reading, 户编号,
身份证号 tail), members, visits, diary entries, problems and projects — a few best hits per group."""
from __future__ import annotations

from dataclasses import dataclass

from fupin_desktop.domain import codes
from fupin_desktop.domain.dates import format_cn_date
from fupin_desktop.domain.text import normalize_text
from fupin_desktop.services.base import Service
from fupin_desktop.services.diary import DiaryService
from fupin_desktop.storage.queries import search as sq

__all__ = ["SearchService", "SearchHit", "SearchGroup", "GROUPS"]

# group key → its title, in the order the results are shown
GROUPS: dict[str, str] = {
    "household": "农户",
    "member": "家庭成员",
    "visit": "走访记录",
    "diary": "民情日记",
    "problem": "问题清单",
    "project": "项目",
}


@dataclass(frozen=True)
class SearchHit:
    kind: str                 # a key of GROUPS
    record_id: str            # the household, member, visit, diary entry, problem or project
    title: str
    detail: str = ""
    household_id: str | None = None
    household_name: str | None = None
    household_number: str | None = None


@dataclass(frozen=True)
class SearchGroup:
    kind: str
    title: str
    hits: tuple[SearchHit, ...]
    more: bool  # more matches than shown


def _snippet(text: str | None, width: int = 40) -> str:
    one_line = " ".join((text or "").split())
    return one_line if len(one_line) <= width else one_line[:width - 1] + "…"


class SearchService(Service):
    def search(self, text: str, per_group: int = 5, village_id: str | None = None) -> list[SearchGroup]:
        """Groups with at least one hit, in the order of :data:`GROUPS`; empty for an empty query. ``village_id``:
        the records of one village of a township database."""
        text = normalize_text(text)
        if not text:
            return []
        n = per_group + 1  # one more tells whether there are more
        groups: dict[str, list[SearchHit]] = {}
        with self.read() as s:
            groups["household"] = [
                SearchHit("household", r.id, r.head_name,
                          " · ".join(x for x in (r.number, r.group_name,
                                                 codes.label("household_type", r.household_type)) if x),
                          r.id, r.head_name, r.number)
                for r in sq.households(s, text, n, village_id)]
            groups["member"] = [
                SearchHit("member", mid, name, f"{hname}户 · {codes.label('relation', relation)} · {number}",
                          hid, hname, number)
                for mid, name, relation, hid, hname, number in sq.members(s, text, n, village_id)]
            groups["visit"] = [
                SearchHit("visit", vid, f"{format_cn_date(day)} 走访 {hname}", _snippet(findings), hid, hname)
                for vid, day, findings, hid, hname in sq.visits(s, text, n, village_id)]
            groups["problem"] = [
                SearchHit("problem", pid, _snippet(description, 30),
                          " · ".join(x for x in (hname and f"{hname}户", codes.label("problem_status", status),
                                                 due and f"期限{format_cn_date(due)}") if x), hid, hname)
                for pid, description, status, due, hid, hname in sq.problems(s, text, n, village_id)]
            groups["project"] = [
                SearchHit("project", pid, name,
                          " · ".join(x for x in (number, year and f"{year}年", codes.label("project_status", status))
                                     if x))
                for pid, name, number, year, status in sq.projects(s, text, n, village_id)]
        groups["diary"] = [
            SearchHit("diary", d.id, f"{format_cn_date(d.entry_date)} {d.title or _snippet(d.content, 20)}",
                      " · ".join(x for x in (d.author_name, _snippet(d.content)) if x))
            for d in DiaryService(self.ctx).search(text, limit=n, village_id=village_id)]
        return [SearchGroup(kind, title, tuple(groups[kind][:per_group]), len(groups[kind]) > per_group)
                for kind, title in GROUPS.items() if groups.get(kind)]
