"""Household visits (入户走访): several cadres, purposes, present or not, findings, photos, problems raised,
and the 两不愁三保障 + 饮水 checks; plus visit coverage (who is overdue for a visit)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.services.attachments import AttachmentDTO, AttachmentService
from fupin_desktop.services.base import Changes, Outcome, Service, copy_to, require_code
from fupin_desktop.services.monitoring import MonitoringService
from fupin_desktop.services.problems import ProblemInput, ProblemService
from fupin_desktop.services.settings import SettingsService
from fupin_desktop.storage.models import Cadre, Household, Visit, VisitCadre, VisitCheck, VisitPurpose
from fupin_desktop.storage.queries import common
from fupin_desktop.storage.queries import visits as vq
from fupin_desktop.storage.queries.visits import VisitQuery

__all__ = ["VisitService", "VisitInput", "VisitDTO", "CheckInput", "CoverageRow", "VisitQuery"]


@dataclass(frozen=True)
class CheckInput:
    item: str  # codes.guarantee_item
    secure: bool = True
    note: str | None = None


@dataclass(frozen=True)
class VisitInput:
    household_id: str
    visit_date: date | None = None  # default today
    cadre_ids: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    present: bool = True
    method: str = "in_person"
    people_present: str | None = None
    findings: str | None = None
    actions: str | None = None
    satisfaction: str | None = None
    note: str | None = None
    problems: tuple[ProblemInput, ...] = ()
    photos: tuple[str, ...] = ()  # file paths to copy into the data folder
    checks: tuple[CheckInput, ...] = ()


@dataclass(frozen=True)
class VisitDTO:
    id: str
    household_id: str
    household_name: str
    household_number: str
    visit_date: date
    method: str
    present: bool
    people_present: str | None
    findings: str | None
    actions: str | None
    satisfaction: str | None
    note: str | None
    cadre_ids: tuple[str, ...] = ()
    cadre_names: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    checks: tuple[CheckInput, ...] = ()


@dataclass(frozen=True)
class CoverageRow:
    household_id: str
    number: str
    head_name: str
    household_type: str
    monitoring_category: str | None
    last_visit_on: date | None
    interval_days: int
    days_since: int | None  # None: never visited


class VisitService(Service):
    def validate(self, data: VisitInput) -> None:
        if not data.cadre_ids:
            raise ValidationError("cadre_ids", "请选择走访人")
        for p in data.purposes:
            require_code("visit_purpose", p, "purposes", "走访事由")
        require_code("visit_method", data.method, "method", "走访方式")
        if data.satisfaction:
            require_code("satisfaction", data.satisfaction, "satisfaction", "满意度")
        for c in data.checks:
            require_code("guarantee_item", c.item, "checks", "核查项目")
        when = data.visit_date or self.today()
        if when > self.today():
            raise ValidationError("visit_date", "走访日期不能晚于今天")

    def log_visit(self, data: VisitInput) -> Outcome[VisitDTO]:
        """Record a visit with its problems and photos in one transaction.

        Raises ValidationError (cadre_ids, purposes, visit_date, problems[i].…), NotFoundError."""
        self.validate(data)
        problems = ProblemService(self.ctx)
        for i, p in enumerate(data.problems):
            try:
                problems.validate(p)
            except ValidationError as e:
                raise ValidationError(f"problems[{i}].{e.field}", e.message) from None
        due_days = problems.default_due_days()
        attachments = AttachmentService(self.ctx)
        stored = [attachments.store_file(p) for p in data.photos]
        when = data.visit_date or self.today()
        with self.write() as s:
            h = self.get_live(s, Household, data.household_id, "农户")
            for cid in data.cadre_ids:
                self.get_live(s, Cadre, cid, "走访人")
            visit = Visit(household_id=h.id, visit_date=when, method=data.method, present=data.present,
                          people_present=data.people_present, findings=data.findings, actions=data.actions,
                          satisfaction=data.satisfaction, note=data.note)
            s.add(visit)
            s.flush()
            self._write_children(s, visit, data)
            for p in data.problems:
                problems.add_row(s, ProblemInput(
                    description=p.description, household_id=h.id,
                    responsible_id=p.responsible_id or data.cadre_ids[0], due_date=p.due_date,
                    raised_on=when, category=p.category, source="visit"), visit_id=visit.id,
                    default_due_days=due_days)
            attachments.add_rows(s, "visit", visit.id, stored)
            s.flush()
            MonitoringService(self.ctx).raise_from_checks_in(s, visit.id)  # 未保障 → problem + 风险线索
            vq.refresh_last_visit(s, h.id)
        return Outcome(self.get(visit.id), Changes.of_session(s))

    def update(self, visit_id: str, data: VisitInput) -> Outcome[VisitDTO]:
        """Edit a visit's fields, cadres, purposes and checks (its problems are edited on their own)."""
        self.validate(data)
        with self.write() as s:
            visit = self.get_live(s, Visit, visit_id, "走访记录")
            for name in ("method", "present", "people_present", "findings", "actions", "satisfaction", "note"):
                setattr(visit, name, getattr(data, name))
            visit.visit_date = data.visit_date or visit.visit_date
            for model in (VisitCadre, VisitPurpose, VisitCheck):
                for row in common.all_live(s, model, visit_id=visit_id):
                    s.delete(row)
            s.flush()
            self._write_children(s, visit, data)
            s.flush()
            vq.refresh_last_visit(s, visit.household_id)
        return Outcome(self.get(visit_id), Changes.of_session(s))

    def delete(self, visit_id: str) -> Outcome[None]:
        with self.write() as s:
            visit = self.get_live(s, Visit, visit_id, "走访记录")
            self.soft_delete(visit)
            s.flush()
            vq.refresh_last_visit(s, visit.household_id)
        return Outcome(None, Changes.of_session(s))

    @staticmethod
    def _write_children(s, visit: Visit, data: VisitInput) -> None:
        for cid in dict.fromkeys(data.cadre_ids):
            s.add(VisitCadre(visit_id=visit.id, cadre_id=cid))
        for p in dict.fromkeys(data.purposes):
            s.add(VisitPurpose(visit_id=visit.id, purpose=p))
        for c in data.checks:
            s.add(VisitCheck(visit_id=visit.id, item=c.item, secure=c.secure, note=c.note))

    # -- reading -----------------------------------------------------------------------------------------------------
    def get(self, visit_id: str) -> VisitDTO:
        with self.read() as s:
            v = self.get_live(s, Visit, visit_id, "走访记录")
            return self._dtos(s, [(v, s.get(Household, v.household_id))])[0]

    def list(self, query: VisitQuery = VisitQuery(), offset: int = 0, limit: int = 500) -> list[VisitDTO]:
        with self.read() as s:
            return self._dtos(s, vq.visit_rows(s, query, offset, limit))

    def count(self, query: VisitQuery = VisitQuery()) -> int:
        with self.read() as s:
            return vq.count_visits(s, query)

    def photos(self, visit_id: str) -> list[AttachmentDTO]:
        return AttachmentService(self.ctx).of("visit", visit_id)

    @staticmethod
    def _dtos(s, pairs: list[tuple[Visit, Household]]) -> list[VisitDTO]:
        ids = [v.id for v, _ in pairs]
        cadres = vq.cadres_of_visits(s, ids)
        purposes = vq.purposes_of_visits(s, ids)
        checks = vq.checks_of_visits(s, ids)
        out = []
        for v, h in pairs:
            cs = cadres.get(v.id, [])
            out.append(copy_to(
                VisitDTO, v, household_name=h.head_name, household_number=h.number,
                cadre_ids=tuple(c for c, _ in cs), cadre_names=tuple(n for _, n in cs),
                purposes=tuple(purposes.get(v.id, [])),
                checks=tuple(CheckInput(c.item, c.secure, c.note) for c in checks.get(v.id, [])),
            ))
        return out

    def coverage(self, today: date | None = None, limit: int | None = None,
                 village_id: str | None = None) -> list[CoverageRow]:
        """Households (of one village when given) not visited within their interval (settings: monitored /
        脱贫户 / ordinary)."""
        today = today or self.today()
        cfg = SettingsService(self.ctx)
        with self.read() as s:
            rows = vq.coverage_rows(s, today, cfg.get("visit_interval.monitored"),
                                    cfg.get("visit_interval.alleviated"), cfg.get("visit_interval.ordinary"),
                                    limit, village_id)
            return [CoverageRow(h.id, h.number, h.head_name, h.household_type, h.monitoring_category,
                                h.last_visit_on, interval,
                                (today - h.last_visit_on).days if h.last_visit_on else None)
                    for h, interval in rows]
