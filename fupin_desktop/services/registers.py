"""The team's own registers and the 公示 notices (domain.md §7.2; issue 17 "missing ledgers"): one read method per
document, returning a :class:`~fupin_desktop.services.register_lines.Register` whose rows ``reports/`` renders.

Figures shared with other documents are not recomputed here: 驻村天数 comes from ``services.attendance``
(在村 + 因公外出), goods in stock from ``DonationService.stock`` (received − given out), the monitoring dates from
``MonitoringService.roster``. The 资金台账's 收入/支出/结余 are defined in :data:`FUND_DEFINITION`.
"""
from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from fupin_desktop.domain import codes
from fupin_desktop.services.attendance import VILLAGE_STATUSES, served_days
from fupin_desktop.services.base import Service
from fupin_desktop.services.register_lines import (
    FUND_DEFINITION, AssetLine, CheckLine, FundBook, FundEntry, MeetingLine, NoticeDonationLine,
    NoticeMonitoredLine, NoticeProjectLine, Register, SignInMonth, SignInRow, StockLine, TeamMemberLine,
)
from fupin_desktop.services.report_lines import ReportFilter
from fupin_desktop.storage.queries import projects as pq
from fupin_desktop.storage.queries import records as recq
from fupin_desktop.storage.queries import registers as gq
from fupin_desktop.storage.queries import reporting as rq
from fupin_desktop.storage.queries.reporting import Scope

__all__ = ["RegisterService", "FUND_DEFINITION", "MEETING_KINDS", "SPENT_FROM"]

ZERO = Decimal("0.00")
# 会议记录: every kind of the work log except door-to-door publicity (入户宣传 has no meeting to sign in to).
MEETING_KINDS = tuple(c for c in codes.get("worklog_kind").codes() if c != "publicity")
# A project's received money counts as spent (报账) from 竣工验收/报账 on.
_STATUSES = tuple(c for c in codes.get("project_status").codes() if c != "cancelled")
SPENT_FROM = "accepted"
_SPENT = frozenset(_STATUSES[_STATUSES.index(SPENT_FROM):])
DONATION_FUND = "捐赠资金"


def _overlaps(start: date | None, end: date | None, lo: date, hi: date) -> bool:
    return (start is None or start <= hi) and (end is None or end >= lo)


def _months(lo: date, hi: date) -> list[tuple[int, int]]:
    out, y, m = [], lo.year, lo.month
    while (y, m) <= (hi.year, hi.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


class RegisterService(Service):
    """Read-only: every method is one read transaction (or reads other services' one definition)."""

    def _head(self, s, flt: ReportFilter):
        from fupin_desktop.services.reporting import ReportingService

        return ReportingService(self.ctx)._head(s, flt)

    def _register(self, kind: str, s, flt: ReportFilter, rows) -> Register:
        return Register(kind, self._head(s, flt), tuple(rows), flt.period.start, flt.period.end)

    # -- 工作队花名册 ------------------------------------------------------------------------------------------------
    def team_roster(self, flt: ReportFilter) -> Register:
        """Every work-team member (cadres marked in the team) whose time in the team overlaps the period, 第一书记
        first, with the 驻村天数 of the period (在村 + 因公外出)."""
        p = flt.period
        with self.read() as s:
            cadres = [c for c in rq.team_cadres(s, flt.village_id)
                      if _overlaps(c.start_date, c.end_date, p.start, p.end)]
            days: dict[str, int] = defaultdict(int)
            for cid, _y, _m, status, n in recq.attendance_counts(s, p.start, p.end):
                if status in VILLAGE_STATUSES:
                    days[cid] += n
            order = {c: i for i, c in enumerate(codes.get("cadre_role").codes())}
            cadres.sort(key=lambda c: (order.get(c.role, 99), c.start_date or date.min, c.name))
            rows = [TeamMemberLine(c.name, c.sex, c.unit, c.position, c.role, c.phone, c.start_date, c.end_date,
                                   days[c.id]) for c in cadres]
            return self._register("team", s, flt, rows)

    # -- 考勤签到表 ---------------------------------------------------------------------------------------------------
    def sign_in_sheets(self, flt: ReportFilter) -> tuple[Register, tuple[SignInMonth, ...]]:
        """One month grid per month of the period: each team member serving that month, with the marks recorded."""
        from fupin_desktop.services.settings import SettingsService

        required = SettingsService(self.ctx).get("attendance.min_days_per_month")
        p = flt.period
        with self.read() as s:
            cadres = rq.team_cadres(s, flt.village_id)
            order = {c: i for i, c in enumerate(codes.get("cadre_role").codes())}
            cadres.sort(key=lambda c: (order.get(c.role, 99), c.start_date or date.min, c.name))
            marks: dict[tuple[str, int, int], dict[int, str]] = defaultdict(dict)
            for cid, day, status in gq.attendance_marks(s, p.start, p.end):
                marks[(cid, day.year, day.month)][day.day] = status
            months = []
            for y, m in _months(p.start, p.end):
                length = calendar.monthrange(y, m)[1]
                lo, hi = date(y, m, 1), date(y, m, length)
                rows = []
                for c in cadres:
                    if not served_days(lo, hi, c.start_date, c.end_date):
                        continue
                    first = max(lo, c.start_date) if c.start_date else lo
                    last = min(hi, c.end_date) if c.end_date else hi
                    serving = None if (first, last) == (lo, hi) else (first.day, last.day)
                    rows.append(SignInRow(c.name, c.role, dict(marks.get((c.id, y, m), {})), serving))
                months.append(SignInMonth(y, m, length, tuple(rows), required))
            return self._register("sign_in", s, flt, []), tuple(months)

    # -- 会议记录 -----------------------------------------------------------------------------------------------------
    def meetings(self, flt: ReportFilter) -> Register:
        """Meetings, 党课, trainings … of the work log in the period (not 入户宣传), by date."""
        with self.read() as s:
            rows = [MeetingLine(w.log_date, w.kind, w.topic, w.place, w.host, w.attendees_count, w.attendees,
                                w.content)
                    for w in rq.worklogs(s, flt.scope()) if w.kind in MEETING_KINDS]
            return self._register("meetings", s, flt, rows)

    # -- 资金台账 -----------------------------------------------------------------------------------------------------
    def fund_book(self, flt: ReportFilter) -> tuple[Register, FundBook]:
        """收入/支出/结余 per fund (:data:`FUND_DEFINITION`): project money per funding source, and the cash
        donations as one fund; entries before the period are carried into each fund's 期初结余."""
        p = flt.period
        with self.read() as s:
            moves: dict[str, list[tuple[date, int, str, Decimal, Decimal]]] = defaultdict(list)
            projects = rq.projects(s, Scope(date.min, p.end, None, None, flt.village_id))
            lines = rq.funding_lines(s, [x.id for x in projects])
            for x in projects:
                label = " ".join(t for t in (x.number, x.name) if t)
                start = x.actual_start or x.planned_start or (date(x.year, 1, 1) if x.year else None)
                end = x.actual_end or x.planned_end or (date(x.year, 12, 31) if x.year else None)
                funded = lines.get(x.id, [])
                got = pq.receipts(s, [f.id for f in funded])
                for f in funded:
                    fund = codes.label("funding_source", f.source)
                    parts = [(r.received_on, r.amount or ZERO) for r in got.get(f.id, [])]
                    if not parts and f.received_amount:  # received before receipts were dated (schema 0006)
                        parts = [(None, f.received_amount)]
                    received = ZERO
                    for on, amount in parts:
                        if on is not None and on > p.end:
                            continue
                        when = on or start  # an undated receipt: on the project's start (its date is unknown)
                        if when is None or not amount:
                            continue
                        received += amount
                        note = "资金到位" if on else "资金到位（到位日期未登记）"
                        moves[fund].append((when, 0, f"{label} {note}", amount, ZERO))
                    if x.status in _SPENT and end is not None and received:
                        moves[fund].append((end, 1, f"{label} 竣工验收报账", ZERO, received))
            cash = {d.id: (d, o) for d, o in rq.donations(s, Scope(date.min, p.end, None, None, flt.village_id))
                    if d.kind == "cash"}
            for d, o in cash.values():
                moves[DONATION_FUND].append((d.received_on, 0, f"收到{o.name}捐款", d.amount or ZERO, ZERO))
            given: dict[tuple[str, date], list] = defaultdict(list)
            for dist, name in gq.cash_given(s, p.end):
                if dist.donation_id in cash:
                    given[(dist.donation_id, dist.distributed_on)].append((dist, name))
            for (did, day), parts in given.items():
                donor = cash[did][1].name
                amount = sum((dist.amount or ZERO for dist, _ in parts), ZERO)
                who = f"{len(parts)}户（人）" if len(parts) > 1 else (parts[0][1] or parts[0][0].target_name or "")
                moves[DONATION_FUND].append((day, 1, f"发放{donor}捐款：{who}", ZERO, amount))
            entries: list[FundEntry] = []
            for fund in sorted(moves, key=lambda f: (f == DONATION_FUND, f)):
                balance = opening = ZERO
                rows = []
                for on, _k, summary, inc, exp in sorted(moves[fund], key=lambda m: (m[0], m[1], m[2])):
                    balance += inc - exp
                    if on < p.start:
                        opening = balance
                    else:
                        rows.append(FundEntry(fund, on, summary, inc, exp, balance))
                if opening or any(e.income or e.expense for e in rows):
                    if opening:
                        entries.append(FundEntry(fund, None, "期初结余", ZERO, ZERO, opening))
                    entries += rows
            return self._register("fund_book", s, flt, []), FundBook(tuple(entries))

    # -- 捐赠物资收发存 -------------------------------------------------------------------------------------------------
    def goods_stock(self, flt: ReportFilter) -> Register:
        """Per kind of goods (name, spec, unit): 期初 = stock on the day before the period, 收入 = received in the
        period, 结存 = stock on its last day, 发出 = 期初 + 收入 − 结存 (DonationService.stock, one definition)."""
        from fupin_desktop.services.donations import DonationService

        p = flt.period
        dons = DonationService(self.ctx)
        before = dons.stock(as_of=p.start - timedelta(days=1), village_id=flt.village_id)
        after = dons.stock(as_of=p.end, village_id=flt.village_id)
        acc: dict[tuple, dict] = {}
        for rows, when in ((before, "opening"), (after, "closing")):
            for r in rows:
                key = (r.name, r.spec or "", r.unit or "")
                a = acc.setdefault(key, {"opening": ZERO, "closing": ZERO, "received": ZERO, "value": ZERO,
                                         "donors": {}})
                a[when] += r.on_hand
                if when == "closing" and r.received_on >= p.start:
                    a["received"] += r.received
                    a["value"] += (r.unit_price or ZERO) * r.received
                    a["donors"][r.donor_name] = None
        lines = []
        for (name, spec, unit), a in sorted(acc.items()):
            given = a["opening"] + a["received"] - a["closing"]
            if not (a["opening"] or a["received"] or given or a["closing"]):
                continue
            lines.append(StockLine(name, spec or None, unit or None, tuple(a["donors"]), a["opening"],
                                   a["received"], given, a["closing"], a["value"].quantize(ZERO)))
        with self.read() as s:
            return self._register("goods_stock", s, flt, lines)

    # -- 两不愁三保障核查台账 ------------------------------------------------------------------------------------------
    def guarantee_checks(self, flt: ReportFilter) -> Register:
        """Every visit of the period that recorded 两不愁三保障/饮水 checks, item by item (secure or not)."""
        with self.read() as s:
            rows = gq.checked_visits(s, flt.scope())
            names = rq.visit_cadre_names(s, [v.id for v, _h, _c in rows])
            lines = [CheckLine(v.visit_date, h.number, h.head_name, h.group_name, h.household_type,
                               h.monitoring_category, tuple(names.get(v.id, [])),
                               {c.item: bool(c.secure) for c in checks},
                               {c.item: c.note for c in checks if not c.secure and c.note})
                     for v, h, checks in rows]
            return self._register("guarantee_checks", s, flt, lines)

    # -- 项目资产台账 ----------------------------------------------------------------------------------------------------
    def project_assets(self, flt: ReportFilter) -> Register:
        """Assets formed by projects up to the end of the period: every project with an 资产类别 that has reached
        竣工验收/报账 (or a later step); projects still being built have formed no asset yet."""
        p = flt.period
        with self.read() as s:
            rows = [AssetLine(x.number, x.name, x.asset_type, x.category, x.place, x.total_investment or ZERO,
                              x.actual_end or x.planned_end, x.status, x.asset_owner, x.handover_date,
                              x.handover_note, x.benefit_mechanism)
                    for x in rq.projects(s, Scope(date.min, p.end, flt.group_name, None, flt.village_id))
                    if x.asset_type and x.status in _SPENT]
            order = {c: i for i, c in enumerate(codes.get("asset_type").codes())}
            rows.sort(key=lambda a: (order.get(a.asset_type, 9), a.number or "", a.name))
            return self._register("assets", s, flt, rows)

    # -- 公示 notices ----------------------------------------------------------------------------------------------------
    def notice_monitoring(self, flt: ReportFilter, eliminated: bool) -> Register:
        """监测对象 newly 纳入 (identified in the period) or 风险消除 (eliminated in the period)."""
        from fupin_desktop.services.monitoring import MonitoringService

        p = flt.period
        with self.read() as s:
            scope = flt.scope()
            wanted = (set(rq.household_ids(s, Scope(date.min, date.max, scope.group_name, scope.cadre_id,
                                                    scope.village_id)))
                      if (scope.group_name or scope.cadre_id or scope.village_id) else None)
        rows = []
        for r in MonitoringService(self.ctx).roster():
            if wanted is not None and r.household_id not in wanted:
                continue
            on = r.eliminated_on if eliminated else r.identified_on
            if (eliminated and not r.risk_eliminated) or on is None or not p.start <= on <= p.end:
                continue
            rows.append(NoticeMonitoredLine(r.group_name, r.head_name, r.people, r.monitoring_category, on))
        rows.sort(key=lambda r: (r.on, r.group_name or "", r.head_name))
        with self.read() as s:
            return self._register("notice_eliminated" if eliminated else "notice_monitored", s, flt, rows)

    def notice_donations(self, flt: ReportFilter) -> Register:
        """Donations received in the period with what was given out of each (households, cash)."""
        from fupin_desktop.services.donations import format_quantity

        with self.read() as s:
            scope = flt.scope()
            dons = rq.donations(s, scope)
            items = rq.donation_items(s, [d.id for d, _o in dons])
            households: dict[str, set] = defaultdict(set)
            cash: dict[str, Decimal] = defaultdict(lambda: ZERO)
            for dist, _h, item in rq.distributions(s, Scope(scope.start, date.max, None, None, scope.village_id)):
                if dist.household_id:
                    households[dist.donation_id].add(dist.household_id)
                if item is None:
                    cash[dist.donation_id] += dist.amount or ZERO
            rows = [NoticeDonationLine(
                d.received_on, o.name, d.kind,
                "、".join(f"{i.name}{format_quantity(i.quantity)}{i.unit or ''}" for i in items.get(d.id, [])),
                d.amount or ZERO, d.purpose, len(households[d.id]), cash[d.id]) for d, o in dons]
            return self._register("notice_donations", s, flt, rows)

    def notice_projects(self, flt: ReportFilter) -> Register:
        """Projects of the period (not cancelled) as the village posts them: content, money, dates, benefit."""
        with self.read() as s:
            projects = rq.projects(s, flt.scope())
            lines = rq.funding_lines(s, [x.id for x in projects])
            rows = [NoticeProjectLine(x.number, x.name, x.category, x.place, x.content_scale,
                                      x.total_investment or ZERO,
                                      tuple((f.source, f.planned_amount or ZERO) for f in lines.get(x.id, [])),
                                      x.implementing_unit, x.planned_start, x.planned_end,
                                      x.beneficiary_households, x.benefit_mechanism, x.status)
                    for x in projects]
            return self._register("notice_projects", s, flt, rows)
