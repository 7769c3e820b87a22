"""Data of the printed documents (ledgers, 一户一册, 民情日记本, 工作总结): for a period and an optional 村民小组 or
cadre, gathered in one read transaction and returned as frozen dataclasses (``services.report_lines``) that
``reports/`` renders. The 工作总结's figures are defined in ``services.figures``.

Values keep their codes (``reports`` shows the labels) and personal numbers unmasked (``reports`` masks them);
money is ``Decimal`` in 元.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.money import format_quantity
from fupin_desktop.services.base import Service
from fupin_desktop.services.figures import (POOR_TYPES_EXCLUDED, ProjectFigure, SummaryFigures, is_target,
                                            monitored_now, summary_figures)
from fupin_desktop.services.report_lines import (  # noqa: F401  (re-exported: callers import them from here)
    ZERO,
    Period,
    ReportFilter,
    ReportHead,
    HouseholdLine,
    PairingLine,
    VisitLine,
    ProblemLine,
    DiaryLine,
    WorkLogLine,
    AttendanceLine,
    FundingPart,
    ProjectLine,
    DonationLine,
    DistributionLine,
    PurchaseLine,
    Ledger,
    MemberLine,
    IncomeLine,
    MeasureLine,
    HouseholdBook,
    Handbook,
    DiaryBook,
    _split,
    _health_text,
    _household_line,
    _visit_line,
    _problem_line,
    _diary_line,
    _funding_parts,
)
from fupin_desktop.storage.models import Household
from fupin_desktop.storage.queries import reporting as rq
from fupin_desktop.storage.queries.visits import purposes_of_visits
from fupin_desktop.storage.queries.reporting import Scope

__all__ = ["KINDS", "MONITORING_KINDS", "ReportingService", "SummaryFigures", "ProjectFigure", "is_target",
           "monitored_now", "POOR_TYPES_EXCLUDED", "Period", "ReportFilter", "ReportHead", "HouseholdLine", "PairingLine", "VisitLine", "ProblemLine", "DiaryLine", "WorkLogLine", "AttendanceLine", "FundingPart", "ProjectLine", "DonationLine", "DistributionLine", "PurchaseLine", "Ledger", "MemberLine", "IncomeLine", "MeasureLine", "HouseholdBook", "Handbook", "DiaryBook"]

ALL_VILLAGES = "全部村"  # the head of a document of every village of a township database

KINDS = ("roster", "pairings", "visits", "problems", "diary", "worklog", "attendance", "projects", "funds",
         "donations", "distributions", "purchases", "monitored", "measures")
MONITORING_KINDS = ("monitored", "measures")  # rows come from the monitoring and measure services


class ReportingService(Service):
    """Read-only: every method is one read transaction."""

    # -- heads ----------------------------------------------------------------------------------------------------
    def _head(self, s, flt: ReportFilter) -> ReportHead:
        v = rq.village(s, flt.village_id)
        name = v.name if v else ""
        dispatch = (v.dispatch_unit or "") if v else ""
        unit = f"{dispatch}驻{name}工作队" if dispatch and name else (name or dispatch)
        label = flt.period.label
        extras = []
        if not flt.village_id and len(rq.villages(s)) > 1:  # a township database, every village: said so
            name, dispatch = ALL_VILLAGES, ""
            unit = f"{(v.township or '') if v else ''}{ALL_VILLAGES}"
            extras.append(ALL_VILLAGES)
        if flt.group_name:
            extras.append(flt.group_name)
        cname = rq.cadre_name(s, flt.cadre_id)
        if cname:
            extras.append(cname)
        if extras:
            label = f"{label}（{'，'.join(extras)}）"
        return ReportHead(unit=unit, village=name, period=label, printed_on=self.today(),
                          township=(v.township or "") if v else "", county=(v.county or "") if v else "",
                          dispatch_unit=dispatch)

    def head(self, flt: ReportFilter) -> ReportHead:
        with self.read() as s:
            return self._head(s, flt)

    def group_names(self, village_id: str | None = None) -> list[str]:
        with self.read() as s:
            return sorted({h.group_name for h in rq.households(s, Scope(date.min, date.max, village_id=village_id))
                           if h.group_name})

    # -- ledgers --------------------------------------------------------------------------------------------------
    def ledger(self, kind: str, flt: ReportFilter) -> Ledger:
        if kind not in KINDS:
            raise ValidationError("kind", f"没有这种台账：{kind}")
        if kind in MONITORING_KINDS:
            return self._monitoring_ledger(kind, flt)
        with self.read() as s:
            head = self._head(s, flt)
            scope = flt.scope()
            rows, sources = getattr(self, f"_{kind}")(s, scope), ()
            if kind == "projects":
                rows, sources = rows
            return Ledger(kind, head, tuple(rows), tuple(sources))

    def _roster(self, s, scope: Scope):
        from fupin_desktop.domain import codes

        health = rq.member_health(s)
        incomes = rq.latest_incomes(s, scope.end.year)
        labels = codes.get("health")
        out = []
        for h in rq.households(s, scope):
            counts: Counter = Counter()
            for codes_text, disability in health.get(h.id, []):
                kinds = {c for c in _split(codes_text) if c != "healthy"}
                if disability:
                    kinds.add("disabled")
                for k in kinds:
                    counts[k] += 1
            text = "、".join(f"{labels.label(k)}{counts[k]}人" for k in labels.codes() if counts.get(k))
            inc = incomes.get(h.id)
            per_capita = None
            if inc is not None:
                line = IncomeLine(inc.year, inc.wages or ZERO, inc.business or ZERO, inc.property_income or ZERO,
                                  inc.transfer or ZERO, inc.production_cost or ZERO, inc.size or h.member_count or 0)
                per_capita = line.per_capita if line.size else None
            out.append(replace(_household_line(h), health=text, per_capita_income=per_capita,
                               income_year=inc.year if inc is not None else None))
        return out

    def _monitoring_ledger(self, kind: str, flt: ReportFilter) -> Ledger:
        """监测户花名册 (households in the lifecycle during the period, with stage and dates) and 帮扶措施落实台账
        (measures dated in the period), filtered by 村民小组 / cadre like the other ledgers."""
        from fupin_desktop.services.measures import MeasureQuery, MeasureService
        from fupin_desktop.services.monitoring import MonitoringService

        p = flt.period
        with self.read() as s:
            head = self._head(s, flt)
            scope = flt.scope()
            wanted = (set(rq.household_ids(s, Scope(date.min, date.max, scope.group_name, scope.cadre_id,
                                                    scope.village_id)))
                      if (scope.group_name or scope.cadre_id or scope.village_id) else None)
        if kind == "monitored":
            rows = []
            for r in MonitoringService(self.ctx).roster():
                if wanted is not None and r.household_id not in wanted:
                    continue
                first = r.clue_on or r.identified_on or r.stage_date
                if first is not None and first > p.end:
                    continue  # entered the lifecycle after the period
                if r.risk_eliminated and r.eliminated_on is not None and r.eliminated_on < p.start:
                    continue  # eliminated before the period
                if r.risk_eliminated and r.eliminated_on is not None and r.eliminated_on > p.end:
                    # as it stood at the end of the period (the figures count it as still monitored then)
                    r = replace(r, risk_eliminated=False, elimination_way=None, eliminated_on=None)
                rows.append(r)
            rows.sort(key=lambda r: (r.risk_eliminated, r.group_name or "", r.number))
        else:
            rows = [m for m in MeasureService(self.ctx).ledger(MeasureQuery(start=p.start, end=p.end))
                    if wanted is None or m.household_id in wanted]
            rows.sort(key=lambda m: (m.measure_date, m.number))
        return Ledger(kind, head, tuple(rows))

    def _pairings(self, s, scope: Scope):
        """Pairings that ran in the period, each with its own cadre's visits and the visits it owes (counted up to
        the end of the period or today, ``services.pairing_visits``)."""
        from fupin_desktop.services.pairing_visits import required_visits
        from fupin_desktop.services.settings import SettingsService

        per_year = SettingsService(self.ctx).get("pairing.min_visits_per_year")
        until = max(scope.start, min(scope.end, self.today()))
        rows = rq.pairings(s, scope)
        visited = rq.paired_visit_counts(s, [p.id for p, _, _ in rows], scope.start, until)
        return [PairingLine(c.name, c.unit, c.phone, h.number, h.head_name, h.group_name, h.household_type,
                            h.monitoring_category, p.start_date, p.end_date, visited.get(p.id, 0),
                            required_visits(per_year, scope.start, until, p.start_date, p.end_date), h.id)
                for p, c, h in rows]

    def pairings_below(self, flt: ReportFilter) -> list[PairingLine]:
        """Pairings of the period whose cadre visited less than the rule asks (the home page's list)."""
        with self.read() as s:
            return [p for p in self._pairings(s, flt.scope()) if p.below_minimum]

    def visit_count(self, flt: ReportFilter) -> int:
        with self.read() as s:
            return rq.count_visits(s, flt.scope())

    def _visits(self, s, scope: Scope):
        out = []
        offset = 0
        while True:
            batch = rq.visits(s, scope, offset, 2000)
            if not batch:
                break
            ids = [v.id for v, _ in batch]
            cadres = rq.visit_cadre_names(s, ids)
            purposes = purposes_of_visits(s, ids)
            out += [_visit_line(v, h, cadres.get(v.id, []), purposes.get(v.id, [])) for v, h in batch]
            offset += len(batch)
        return out

    def _problems(self, s, scope: Scope):
        """Problems raised in the period or still open at its start, as they stood at its end (a problem closed
        later is still 办理中 in a ledger printed for the period)."""
        out = []
        for p, hn, num, resp in rq.problems(s, scope):
            line = _problem_line(p, hn, num, resp)
            if line.closed_on is not None and line.closed_on > scope.end:
                line = replace(line, status="in_progress", resolution=None, closed_on=None, revisited_on=None,
                               satisfaction=None)
            elif line.revisited_on is not None and line.revisited_on > scope.end:
                line = replace(line, status="resolved", revisited_on=None, satisfaction=None)
            out.append(line)
        return out

    def _diary(self, s, scope: Scope):
        rows = rq.diary_entries(s, scope)
        hh = rq.diary_households(s, [d.id for d, _ in rows])
        return [_diary_line(d, name, hh.get(d.id, [])) for d, name in rows]

    def _worklog(self, s, scope: Scope):
        return [WorkLogLine(w.log_date, w.kind, w.topic, w.place, w.host, w.attendees_count, w.content)
                for w in rq.worklogs(s, scope)]

    def _attendance(self, s, scope: Scope):
        from fupin_desktop.services.settings import SettingsService

        required = SettingsService(self.ctx).get("attendance.min_days_per_month")
        table: dict[tuple[str, str, int, int], Counter] = defaultdict(Counter)
        for cid, name, y, m, st, n in rq.attendance_counts(s, scope):
            table[(cid, name, y, m)][st] += n
        return [AttendanceLine(name, y, m, c["in_village"], c["official_trip"], c["leave"], c["other"], required)
                for (cid, name, y, m), c in table.items()]

    def _projects(self, s, scope: Scope):
        from fupin_desktop.domain import codes

        rows = rq.projects(s, scope)
        lines = rq.funding_lines(s, [p.id for p in rows])
        listed = rq.project_beneficiaries(s, [p.id for p in rows])
        seen: set[str] = set()
        out = []
        for p in rows:
            parts = _funding_parts(lines.get(p.id, []))
            seen |= {f.source for f in parts}
            out.append(ProjectLine(p.number, p.year, p.name, p.category, p.place, p.content_scale,
                                   p.implementing_unit, p.status, p.progress_percent or 0, p.planned_start,
                                   p.planned_end, p.total_investment or ZERO, parts, p.beneficiary_households,
                                   p.beneficiary_poor_households, p.benefit_mechanism, listed.get(p.id, ())))
        order = [c for c in codes.get("funding_source").codes() if c in seen] + sorted(
            seen - set(codes.get("funding_source").codes()))
        return out, order

    def _funds(self, s, scope: Scope):
        # the same projects; the renderer lists one line per project and source
        return self._projects(s, scope)[0]

    def _donations(self, s, scope: Scope):
        rows = rq.donations(s, scope)
        items = rq.donation_items(s, [d.id for d, _ in rows])
        out = []
        for d, donor in rows:
            text = "、".join(f"{it.name}{format_quantity(it.quantity)}{it.unit or ''}" for it in items.get(d.id, []))
            out.append(DonationLine(d.received_on, donor.name, donor.kind, d.kind, text, d.amount or ZERO,
                                    d.purpose or d.designated_target, d.handler, d.receipt_number, d.is_condolence))
        return out

    def _distributions(self, s, scope: Scope):
        out = []
        for d, h, item in rq.distributions(s, scope):
            recipient = h.head_name if h is not None else (d.target_name or "")
            what = item.name if item is not None else "现金"
            out.append(DistributionLine(d.distributed_on, recipient, h.number if h is not None else None,
                                        h.household_type if h is not None else d.target_kind, what,
                                        d.quantity or Decimal("0"), item.unit if item is not None else None,
                                        d.amount or ZERO, d.handler, d.proxy_note,
                                        signed_by=d.signed_by, signed=bool(d.signed)))
        return out

    def _purchases(self, s, scope: Scope):
        from fupin_desktop.storage.queries.purchases import household_links

        rows = rq.purchases(s, scope)
        listed: dict[str, list[str]] = {}
        for link in household_links(s, [p.id for p in rows]):
            listed.setdefault(link.purchase_id, []).append(link.household_id)
        return [PurchaseLine(p.purchase_date, p.buyer_unit, p.product, p.supplier, p.origin, p.quantity, p.unit,
                             p.amount or ZERO, p.channel, p.households_benefiting, tuple(listed.get(p.id, ())))
                for p in rows]

    # -- documents ------------------------------------------------------------------------------------------------
    def sign_sheet_batches(self, flt: ReportFilter) -> list:
        """发放批次 with distributions in the period (services.sign_sheets.Batch), for choosing a 签收表."""
        from fupin_desktop.services import sign_sheets

        with self.read() as s:
            return sign_sheets.batches(s, flt)

    def sign_sheet(self, donation_id: str, flt: ReportFilter):
        """发放签收表 of one batch (services.sign_sheets.SignSheet). Raises ValidationError("donation")."""
        from fupin_desktop.services import sign_sheets

        with self.read() as s:
            return sign_sheets.sign_sheet(s, donation_id, flt, self._head(s, flt))

    def handbook(self, flt: ReportFilter, household_ids: list[str] | None = None, data_dir=None) -> Handbook:
        """一户一册 of one, some or all households (filtered by 村民小组 / cadre when no ids are given)."""
        from fupin_desktop.services.attachments import AttachmentService

        att = AttachmentService(self.ctx)
        with self.read() as s:
            head = self._head(s, flt)
            ids = household_ids or rq.household_ids(s, flt.scope())
            books = []
            for hid in ids:
                h = s.get(Household, hid)
                if h is None or h.deleted_at is not None:
                    continue
                books.append(self._book(s, h, att))
            return Handbook(head, tuple(books))

    def _book(self, s, h, att) -> HouseholdBook:

        members = rq.members(s, h.id)
        size = len(members)
        visits = rq.household_visits(s, h.id)
        vids = [v.id for v in visits]
        cadres = rq.visit_cadre_names(s, vids)
        purposes = purposes_of_visits(s, vids)
        pairs = rq.household_pairings(s, h.id)
        pics = rq.photos(s, "visit", vids) + rq.photos(s, "household", [h.id])
        photo_paths = []
        for a in pics[:12]:
            p = att.path_of(a.sha256, a.filename)
            if p.exists():
                photo_paths.append(str(p))
        return HouseholdBook(
            household=_household_line(h, helpers=tuple(c.name for p, c in pairs if p.end_date is None)),
            address=h.address, poverty_causes=_split(h.poverty_causes), monitoring_stage=h.monitoring_stage,
            identified_on=h.identified_on, risk_eliminated=h.risk_eliminated, eliminated_on=h.eliminated_on,
            bank_account=h.bank_account, housing_grade=h.housing_grade, farmland_mu=h.farmland_mu,
            members=tuple(MemberLine(m.name, m.relation, m.sex, m.id_number, m.birth_date, m.education,
                                     _health_text(m.health, m.disability_category),
                                     m.labour_skill, m.work_place, m.dibao, m.tekun) for m in members),
            incomes=tuple(IncomeLine(i.year, i.wages or ZERO, i.business or ZERO, i.property_income or ZERO,
                                     i.transfer or ZERO, i.production_cost or ZERO, i.size or size)
                          for i in rq.incomes(s, h.id)),
            pairings=tuple(PairingLine(c.name, c.unit, c.phone, h.number, h.head_name, h.group_name,
                                       h.household_type, h.monitoring_category, p.start_date, p.end_date, 0)
                           for p, c in pairs),
            measures=tuple(MeasureLine(m.measure_date, m.category, m.content, m.amount, name, m.result)
                           for m, name in rq.measures(s, h.id)),
            visits=tuple(_visit_line(v, h, cadres.get(v.id, []), purposes.get(v.id, [])) for v in visits),
            problems=tuple(_problem_line(p, h.head_name, h.number, name) for p, name in rq.household_problems(s, h.id)),
            photos=tuple(photo_paths),
        )

    def diary_book(self, flt: ReportFilter) -> DiaryBook:
        with self.read() as s:
            head = self._head(s, flt)
            return DiaryBook(head, rq.cadre_name(s, flt.cadre_id), tuple(self._diary(s, flt.scope())))
    def summary_figures(self, flt: ReportFilter, as_of: date | None = None) -> SummaryFigures:
        """The 工作总结's figures for ``flt``; ``as_of``: drafted as of that day (ValidationError outside the
        period)."""
        return summary_figures(self, flt, as_of)
