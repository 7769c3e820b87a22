"""意见建议: suggestions a cadre made (date, who, to whom or which body, content, adopted or not and how). Each is
one record: audited by the storage hook, in the 同步包 like every tracked table, and locked by 结账 by its date
(``storage.period_lock.DATED``)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.services.base import Changes, Outcome, Service, require_text
from fupin_desktop.storage.models import Cadre, Suggestion
from fupin_desktop.storage.queries import targets as tq

__all__ = ["SuggestionService", "SuggestionInput", "SuggestionDTO"]


@dataclass(frozen=True)
class SuggestionInput:
    cadre_id: str  # who made it
    addressee: str  # 向谁/哪个单位提出
    content: str
    made_on: date | None = None  # default today
    adopted: bool = False
    adopted_note: str | None = None  # 采纳情况


@dataclass(frozen=True)
class SuggestionDTO:
    id: str
    made_on: date
    cadre_id: str
    cadre_name: str
    addressee: str
    content: str
    adopted: bool
    adopted_note: str | None


def _dto(row: Suggestion, cadre_name: str) -> SuggestionDTO:
    return SuggestionDTO(row.id, row.made_on, row.cadre_id, cadre_name, row.addressee, row.content, row.adopted,
                         row.adopted_note)


class SuggestionService(Service):
    def validate(self, data: SuggestionInput) -> None:
        if not data.cadre_id:
            raise ValidationError("cadre_id", "请选择提出建议的干部")
        require_text(data.addressee, "addressee", "提出对象（向谁或哪个单位提出）", 128)
        require_text(data.content, "content", "建议内容")
        if (data.made_on or self.today()) > self.today():
            raise ValidationError("made_on", "日期不能晚于今天")

    def _apply(self, s, row: Suggestion, data: SuggestionInput) -> str:
        cadre = self.get_live(s, Cadre, data.cadre_id, "干部")
        row.cadre_id = cadre.id
        row.made_on = data.made_on or self.today()
        row.addressee = data.addressee.strip()
        row.content = data.content.strip()
        row.adopted = bool(data.adopted)
        row.adopted_note = (data.adopted_note or "").strip() or None
        return cadre.name

    def create(self, data: SuggestionInput) -> Outcome[SuggestionDTO]:
        """Record a suggestion. Raises ValidationError (cadre_id, addressee, content, made_on), NotFoundError (the
        cadre), PeriodClosedError (its date lies in a closed period)."""
        self.validate(data)
        with self.write() as s:
            row = Suggestion()
            name = self._apply(s, row, data)
            s.add(row)
            s.flush()
            dto = _dto(row, name)
        return Outcome(dto, Changes.of_session(s))

    def update(self, suggestion_id: str, data: SuggestionInput) -> Outcome[SuggestionDTO]:
        """Edit a suggestion (e.g. mark it adopted). Raises ValidationError, NotFoundError, PeriodClosedError."""
        self.validate(data)
        with self.write() as s:
            row = self.get_live(s, Suggestion, suggestion_id, "意见建议")
            name = self._apply(s, row, data)
            s.flush()
            dto = _dto(row, name)
        return Outcome(dto, Changes.of_session(s))

    def delete(self, suggestion_id: str) -> Outcome[None]:
        with self.write() as s:
            self.soft_delete(self.get_live(s, Suggestion, suggestion_id, "意见建议"))
        return Outcome(None, Changes.of_session(s))

    def get(self, suggestion_id: str) -> SuggestionDTO:
        with self.read() as s:
            row = self.get_live(s, Suggestion, suggestion_id, "意见建议")
            cadre = s.get(Cadre, row.cadre_id)
            return _dto(row, cadre.name if cadre else "")

    def list(self, start: date | None = None, end: date | None = None,
             cadre_id: str | None = None) -> list[SuggestionDTO]:
        """Suggestions made in [start, end] (by ``cadre_id``), newest first."""
        with self.read() as s:
            return [_dto(r, n) for r, n in tq.suggestions(s, start, end, cadre_id)]
