"""Data of the 上报表 (the upward report workbook) that the printed ledgers do not already carry: the village's
own facts (村基本情况), the work team (工作队花名册) and every family member (家庭成员).

Every other sheet of the workbook is a ledger of :class:`fupin_desktop.services.reporting.ReportingService`, so each
figure is computed by one piece of code for the PDF ledger, the summary and the workbook. Values keep their codes
and personal numbers are unmasked here (``exchange.report_book`` labels and masks them).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fupin_desktop.services.base import Service
from fupin_desktop.services.reporting import ReportFilter
from fupin_desktop.services.village_figures import VillagePeople, village_people
from fupin_desktop.storage.queries import reporting as rq


@dataclass(frozen=True)
class VillageFacts:
    name: str
    division_code: str
    province: str
    city: str
    county: str
    township: str
    dispatch_unit: str
    address: str
    profile_year: int | None = None
    households: int | None = None
    population: int | None = None
    groups: int | None = None
    farmland_mu: Decimal | None = None
    forest_mu: Decimal | None = None
    party_members: int | None = None
    per_capita_income: Decimal | None = None
    collective_income: Decimal | None = None
    people: VillagePeople | None = None  # the figures derived from the members, beside the profile's (one definition)


@dataclass(frozen=True)
class CadreRow:
    name: str
    sex: str | None
    role: str
    unit: str | None
    position: str | None
    phone: str | None
    start_date: date | None
    end_date: date | None


@dataclass(frozen=True)
class MemberRow:
    number: str
    head_name: str
    group_name: str | None
    name: str
    relation: str
    sex: str | None
    id_number: str | None
    birth_date: date | None
    ethnicity: str | None
    education: str | None
    health: str | None  # comma separated codes.health
    disability_category: str | None
    labour_skill: str | None
    work_place: str | None
    work_months: int | None
    phone: str | None
    dibao: bool
    tekun: bool
    resident_medical: bool | None
    resident_pension: bool | None


class ReportBookService(Service):
    """Read-only: every method is one read transaction."""

    def facts(self, flt: ReportFilter) -> VillageFacts:
        people = village_people(self, flt)
        with self.read() as s:
            v = rq.village(s, flt.village_id)
            if v is None:
                return VillageFacts("", "", "", "", "", "", "", "")
            p = rq.village_profile(s, v.id, flt.period.end.year)
            extra = {} if p is None else dict(
                profile_year=p.year, households=p.households, population=p.population, groups=p.groups,
                farmland_mu=p.farmland_mu, forest_mu=p.forest_mu, party_members=p.party_members,
                per_capita_income=p.per_capita_income, collective_income=p.collective_income)
            return VillageFacts(v.name or "", v.division_code or "", v.province or "", v.city or "", v.county or "",
                                v.township or "", v.dispatch_unit or "", v.address or "", people=people, **extra)

    def team(self, flt: ReportFilter) -> list[CadreRow]:
        """The work team members serving at some time in the period (secretary first)."""
        p = flt.period
        with self.read() as s:
            return [CadreRow(c.name, c.sex, c.role, c.unit, c.position, c.phone, c.start_date, c.end_date)
                    for c in rq.team_cadres(s, flt.village_id)
                    if (c.start_date is None or c.start_date <= p.end) and (c.end_date is None or c.end_date >= p.start)]

    def members(self, flt: ReportFilter) -> list[MemberRow]:
        with self.read() as s:
            return [MemberRow(*r) for r in rq.member_rows(s, flt.scope())]

    def villages(self) -> list[tuple[str, str, str, str]]:
        """(id, name, 区划代码, township) of every village in the database (a township database holds many)."""
        with self.read() as s:
            return [(v.id, v.name or "", v.division_code or "", v.township or "") for v in rq.villages(s)]
