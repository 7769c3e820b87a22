"""民情日记: one entry per day per author, with its linked households, the problems it found and full-text search.

Rules
* One entry per author and day (domain.md §5.1: the diary is a day book). Writing a second one raises
  ``ValidationError("entry_date", …)``; the UI calls :meth:`DiaryService.find` first and opens the existing entry.
* The header shows date, weekday (derived from the date, never stored) and weather.
* Problems found may be registered as Problem records (source 民情日记) in the same transaction; a problem with the
  same text already raised from this entry is not raised twice.
* Search: FTS5 trigram index on SQLite for terms of 3+ characters, LIKE for shorter terms (most given names have
  two characters) and on PostgreSQL (see storage/queries/records.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fupin_desktop.domain.dates import format_cn_date, weekday_cn, year_range
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.services.base import Changes, Outcome, Service, copy_to, require_code, require_text
from fupin_desktop.services.problems import ProblemInput, ProblemService
from fupin_desktop.services.settings import SettingsService
from fupin_desktop.storage.models import Cadre, DiaryEntry, DiaryHousehold, Household
from fupin_desktop.storage.queries import records as rq
from fupin_desktop.storage.queries.records import DiaryQuery

__all__ = ["DiaryService", "DiaryInput", "DiaryDTO", "DiaryProgress", "DiaryQuery", "LinkedHousehold"]


@dataclass(frozen=True)
class DiaryInput:
    author_id: str
    entry_date: date | None = None  # default today
    weather: str | None = None  # codes.weather
    place: str | None = None
    people_met: str | None = None
    title: str | None = None
    content: str = ""  # what was learned
    problems_found: str | None = None
    follow_up: str | None = None
    household_ids: tuple[str, ...] = ()
    problems: tuple[ProblemInput, ...] = ()  # registered in the problem list (source = diary)


@dataclass(frozen=True)
class LinkedHousehold:
    id: str
    head_name: str
    number: str


@dataclass(frozen=True)
class DiaryDTO:
    id: str
    author_id: str
    author_name: str | None
    entry_date: date
    weather: str | None
    place: str | None
    people_met: str | None
    title: str | None
    content: str
    problems_found: str | None
    follow_up: str | None
    households: tuple[LinkedHousehold, ...] = ()
    problem_ids: tuple[str, ...] = ()  # filled by get()/find() only (lists leave it empty)

    @property
    def weekday(self) -> str:
        """星期三 — derived from the date."""
        return weekday_cn(self.entry_date)

    @property
    def header(self) -> str:
        """"2024年6月28日 星期五 晴" as the entry's first line."""
        from fupin_desktop.domain import codes

        parts = [format_cn_date(self.entry_date), self.weekday]
        if self.weather:
            parts.append(codes.label("weather", self.weather))
        return " ".join(parts)

    @property
    def household_ids(self) -> tuple[str, ...]:
        return tuple(h.id for h in self.households)


@dataclass(frozen=True)
class DiaryProgress:
    year: int
    days: int  # distinct days with an entry
    entries: int
    target: int  # settings target.diary_days

    @property
    def percent(self) -> int:
        return min(100, round(self.days * 100 / self.target)) if self.target else 100

    @property
    def met(self) -> bool:
        return self.days >= self.target


class DiaryService(Service):
    # -- search index -----------------------------------------------------------------------------------------------
    def _fts(self) -> bool:
        return rq.ensure_diary_search(self.db)

    # -- validation -------------------------------------------------------------------------------------------------
    def validate(self, data: DiaryInput) -> None:
        if not data.author_id:
            raise ValidationError("author_id", "请选择记录人")
        when = data.entry_date or self.today()
        if when > self.today():
            raise ValidationError("entry_date", "日记日期不能晚于今天")
        require_code("weather", data.weather, "weather", "天气", optional=True)
        require_text(data.content, "content", "日记内容（了解到的情况）", 20000)
        for name, title, max_len in (("place", "地点", 128), ("people_met", "走访对象", 255), ("title", "标题", 128)):
            value = getattr(data, name)
            if value and len(value.strip()) > max_len:
                raise ValidationError(name, f"{title}太长了（最多{max_len}个字）")
        problems = ProblemService(self.ctx)
        for i, p in enumerate(data.problems):
            try:
                problems.validate(p)
            except ValidationError as e:
                raise ValidationError(f"problems[{i}].{e.field}", e.message) from None

    @staticmethod
    def _duplicate_message(existing: DiaryEntry) -> str:
        return f"{format_cn_date(existing.entry_date)}已有一篇日记，每人每天只写一篇，请打开那一篇继续写"

    # -- writing ----------------------------------------------------------------------------------------------------
    def create(self, data: DiaryInput) -> Outcome[DiaryDTO]:
        """Write a new entry with its households and problems.

        Raises ValidationError (entry_date — also when the author already has an entry that day —, author_id,
        content, weather, problems[i].…), NotFoundError (author, household)."""
        self.validate(data)
        self._fts()
        when = data.entry_date or self.today()
        due_days = ProblemService(self.ctx).default_due_days()
        with self.write() as s:
            self.get_live(s, Cadre, data.author_id, "记录人")
            existing = rq.diary_on(s, data.author_id, when)
            if existing is not None:
                raise ValidationError("entry_date", self._duplicate_message(existing))
            row = DiaryEntry(author_id=data.author_id, entry_date=when)
            self._apply(row, data)
            s.add(row)
            s.flush()
            self._write_links(s, row.id, data.household_ids)
            self._raise_problems(s, row, data, due_days)
            s.flush()
        return Outcome(self.get(row.id), Changes.of_session(s))

    def update(self, diary_id: str, data: DiaryInput) -> Outcome[DiaryDTO]:
        """Edit an entry (moving it to a day that already has one of the author's entries is refused).

        Raises ValidationError (as :meth:`create`), NotFoundError."""
        self.validate(data)
        self._fts()
        due_days = ProblemService(self.ctx).default_due_days()
        with self.write() as s:
            row = self.get_live(s, DiaryEntry, diary_id, "民情日记")
            self.get_live(s, Cadre, data.author_id, "记录人")
            when = data.entry_date or row.entry_date
            existing = rq.diary_on(s, data.author_id, when, exclude_id=diary_id)
            if existing is not None:
                raise ValidationError("entry_date", self._duplicate_message(existing))
            row.author_id = data.author_id
            row.entry_date = when
            self._apply(row, data)
            self._write_links(s, row.id, data.household_ids)
            self._raise_problems(s, row, data, due_days)
            s.flush()
        return Outcome(self.get(diary_id), Changes.of_session(s))

    def delete(self, diary_id: str) -> Outcome[None]:
        """Delete an entry (a tombstone; the problems it raised stay in the problem list)."""
        with self.write() as s:
            row = self.get_live(s, DiaryEntry, diary_id, "民情日记")
            self.soft_delete(row)
            for link in rq.diary_links(s, diary_id):
                if link.deleted_at is None:
                    self.soft_delete(link)
        return Outcome(None, Changes.of_session(s))

    @staticmethod
    def _apply(row: DiaryEntry, data: DiaryInput) -> None:
        def clean(v: str | None) -> str | None:
            v = (v or "").strip()
            return v or None

        row.weather = data.weather or None
        row.place = clean(data.place)
        row.people_met = clean(data.people_met)
        row.title = clean(data.title)
        row.content = data.content.strip()
        row.problems_found = clean(data.problems_found)
        row.follow_up = clean(data.follow_up)

    def _write_links(self, s, diary_id: str, household_ids: tuple[str, ...]) -> None:
        wanted = list(dict.fromkeys(h for h in household_ids if h))
        for hid in wanted:
            self.get_live(s, Household, hid, "农户")
        existing = {link.household_id: link for link in rq.diary_links(s, diary_id)}
        for hid, link in existing.items():
            if hid not in wanted and link.deleted_at is None:
                self.soft_delete(link)
        for hid in wanted:
            link = existing.get(hid)
            if link is None:
                s.add(DiaryHousehold(diary_id=diary_id, household_id=hid))
            elif link.deleted_at is not None:
                link.deleted_at = None  # (diary, household) is unique: revive the tombstone

    def _raise_problems(self, s, row: DiaryEntry, data: DiaryInput, due_days: int) -> None:
        if not data.problems:
            return
        problems = ProblemService(self.ctx)
        already = {p.description.strip() for p in rq.problems_of_diary(s, row.id)}
        links = list(dict.fromkeys(data.household_ids))
        for p in data.problems:
            text = p.description.strip()
            if text in already:
                continue
            already.add(text)
            problems.add_row(s, ProblemInput(
                description=text, household_id=p.household_id or (links[0] if len(links) == 1 else None),
                responsible_id=p.responsible_id or row.author_id, due_date=p.due_date, raised_on=row.entry_date,
                category=p.category, source="diary"), diary_id=row.id, default_due_days=due_days)

    # -- reading ----------------------------------------------------------------------------------------------------
    def get(self, diary_id: str) -> DiaryDTO:
        with self.read() as s:
            row = self.get_live(s, DiaryEntry, diary_id, "民情日记")
            author = s.get(Cadre, row.author_id)
            return self._dtos(s, [(row, author.name if author else None)], with_problems=True)[0]

    def find(self, author_id: str, day: date) -> DiaryDTO | None:
        """The author's entry of ``day``, if there is one (the UI opens it instead of starting a second one)."""
        with self.read() as s:
            row = rq.diary_on(s, author_id, day)
            if row is None:
                return None
            author = s.get(Cadre, row.author_id)
            return self._dtos(s, [(row, author.name if author else None)], with_problems=True)[0]

    def list(self, query: DiaryQuery = DiaryQuery(), offset: int = 0, limit: int = 500) -> list[DiaryDTO]:
        """Entries matching ``query`` (newest first); ``query.text`` is a full-text search."""
        fts = self._fts()
        with self.read() as s:
            return self._dtos(s, rq.diary_rows(s, query, fts, offset, limit))

    def search(self, text: str, limit: int = 200, village_id: str | None = None) -> list[DiaryDTO]:
        return self.list(DiaryQuery(text=text, village_id=village_id), limit=limit)

    def count(self, query: DiaryQuery = DiaryQuery()) -> int:
        fts = self._fts()
        with self.read() as s:
            return rq.count_diary(s, query, fts)

    def days_with_entries(self, start: date, end: date, author_id: str | None = None) -> dict[date, int]:
        """day → number of entries (for a calendar)."""
        with self.read() as s:
            return rq.diary_dates(s, start, end, author_id)

    def progress(self, year: int, author_id: str | None = None) -> DiaryProgress:
        """Days with at least one entry in ``year`` (of one author, or of the whole team) against the yearly
        target (setting target.diary_days)."""
        start, end = year_range(year)
        with self.read() as s:
            days, entries = rq.diary_days(s, start, end, author_id)
        return DiaryProgress(year, days, entries, SettingsService(self.ctx).get("target.diary_days"))

    @staticmethod
    def _dtos(s, pairs, with_problems: bool = False) -> list[DiaryDTO]:
        ids = [d.id for d, _ in pairs]
        households = rq.households_of_diaries(s, ids)
        out = []
        for d, author_name in pairs:
            problem_ids = tuple(p.id for p in rq.problems_of_diary(s, d.id)) if with_problems else ()
            out.append(copy_to(DiaryDTO, d, author_name=author_name,
                               households=tuple(LinkedHousehold(*h) for h in households.get(d.id, [])),
                               problem_ids=problem_ids))
        return out
