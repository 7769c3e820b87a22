"""Households (户), members (家庭成员), yearly income and pairings with helpers (结对帮扶)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from fupin_desktop.domain import codes
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.fields import (
    check_education_schooling, health_codes, household_number, poverty_cause_codes, read_id, risk_type_codes,
    work_months,
)
from fupin_desktop.domain.idcard import IdCardNumber
from fupin_desktop.domain.income import IncomeFigures
from fupin_desktop.domain.lengths import check_lengths
from fupin_desktop.domain.money import to_money
from fupin_desktop.domain.phone import clean_phone
from fupin_desktop.domain.text import search_keys
from fupin_desktop.services.base import (
    KEEP, Changes, Outcome, Service, apply_fields, copy_to, require_code, require_text, resolve_keep,
)
from fupin_desktop.storage.models import Cadre, Household, HouseholdIncome, Member, Pairing, Village
from fupin_desktop.storage.queries import common
from fupin_desktop.storage.queries import households as hq
from fupin_desktop.storage.queries.households import HouseholdQuery  # re-exported for the UI

__all__ = ["HouseholdQuery", "HouseholdService", "PairingService", "HouseholdInput", "MemberInput",
           "IncomeInput", "HouseholdDTO", "MemberDTO", "IncomeDTO", "HouseholdRow", "HouseholdDetail",
           "PairingDTO"]



# --- inputs and outputs -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HouseholdInput:
    head_name: str
    number: str = ""  # empty: a local number (village code + sequence) is assigned
    number_from_platform: bool = False
    household_type: str = "ordinary"
    group_name: str | None = None
    natural_village: str | None = None
    address: str | None = None
    head_id_number: str | None = None
    phone: str | None = None
    monitoring_category: str | None = None
    identified_on: date | None = None
    risk_types: tuple[str, ...] = ()
    poverty_causes: tuple[str, ...] = ()
    is_martyr_family: bool = False
    no_labour_safety_net: bool = False
    long_absent: bool = False
    relocation_address: str | None = None
    farmland_mu: Decimal | None = None
    housing_area: Decimal | None = None
    housing_grade: str | None = None
    drinking_water: str | None = None
    toilet: str | None = None
    bank_account: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class HouseholdDTO:
    id: str
    number: str
    number_from_platform: bool
    head_name: str
    household_type: str
    group_name: str | None
    natural_village: str | None
    address: str | None
    head_id_number: str | None
    phone: str | None
    monitoring_category: str | None
    monitoring_stage: str | None
    identified_on: date | None
    risk_eliminated: bool
    elimination_way: str | None
    eliminated_on: date | None
    risk_types: tuple[str, ...]
    poverty_causes: tuple[str, ...]
    is_martyr_family: bool
    no_labour_safety_net: bool
    long_absent: bool
    relocation_address: str | None
    farmland_mu: Decimal | None
    housing_area: Decimal | None
    housing_grade: str | None
    drinking_water: str | None
    toilet: str | None
    bank_account: str | None
    member_count: int
    last_visit_on: date | None
    open_problems: int
    note: str | None


@dataclass(frozen=True)
class MemberInput:
    name: str
    relation: str
    id_number: str | None = None
    sex: str | None = None
    birth_date: date | None = None
    ethnicity: str | None = None
    political_status: str | None = None
    education: str | None = None
    schooling: str | None = None
    health: tuple[str, ...] = ()
    disability_category: str | None = None
    disability_level: str | None = None
    labour_skill: str | None = None
    work_place: str | None = None
    work_months: int | None = None
    work_company: str | None = None
    public_job: str | None = None
    phone: str | None = None
    dibao: bool = False
    tekun: bool = False
    resident_medical: bool | None = None
    employee_medical: bool | None = None
    critical_illness_insurance: bool | None = None
    resident_pension: bool | None = None
    employee_pension: bool | None = None
    person_number: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class MemberDTO(MemberInput):
    id: str = ""
    household_id: str = ""
    sort_order: int = 0


@dataclass(frozen=True)
class IncomeInput:
    year: int
    wages: Decimal = Decimal("0")
    business: Decimal = Decimal("0")
    property_income: Decimal = Decimal("0")
    transfer: Decimal = Decimal("0")
    production_cost: Decimal = Decimal("0")
    size: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class IncomeDTO(IncomeInput):
    id: str = ""
    net_income: Decimal = Decimal("0")
    per_capita: Decimal = Decimal("0")


@dataclass(frozen=True)
class HouseholdRow:
    """A row of the registry list (personal numbers unmasked here; lists mask them when shown)."""

    id: str
    number: str
    head_name: str
    group_name: str | None
    household_type: str
    monitoring_category: str | None
    risk_eliminated: bool
    monitoring_stage: str | None
    member_count: int
    head_id_number: str | None
    phone: str | None
    last_visit_on: date | None
    open_problems: int
    risk_types: tuple[str, ...]
    long_absent: bool


@dataclass(frozen=True)
class PairingDTO:
    id: str
    cadre_id: str
    cadre_name: str
    household_id: str
    start_date: date
    end_date: date | None
    note: str | None


@dataclass(frozen=True)
class HouseholdDetail:
    household: HouseholdDTO
    members: tuple[MemberDTO, ...]
    incomes: tuple[IncomeDTO, ...]
    pairings: tuple[PairingDTO, ...]


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(x for x in (text or "").split(",") if x)


def household_dto(row: Household) -> HouseholdDTO:
    return copy_to(HouseholdDTO, row, risk_types=_split(row.risk_types), poverty_causes=_split(row.poverty_causes))


def member_dto(row: Member) -> MemberDTO:
    return copy_to(MemberDTO, row, health=_split(row.health))


def income_dto(row: HouseholdIncome, members: int) -> IncomeDTO:
    figures = IncomeFigures(row.wages, row.business, row.property_income, row.transfer, row.production_cost)
    size = row.size or members
    return copy_to(IncomeDTO, row, net_income=figures.net_income, per_capita=figures.per_capita(size))


# --- validation -------------------------------------------------------------------------------------------------


def _clean_phone(value: str | None, field_name: str) -> str | None:
    if value is KEEP:
        return KEEP
    return clean_phone(value, field_name)


def validate_household(data: HouseholdInput) -> HouseholdInput:
    """Check and normalise a household; raises ValidationError naming the field."""
    name = require_text(data.head_name, "head_name", "户主姓名")  # its length: check_lengths (domain/lengths)
    check_lengths("household", data)  # before the database sees them (PostgreSQL refuses with the statement)
    require_code("household_type", data.household_type, "household_type", "户类型")
    require_code("monitoring_category", data.monitoring_category, "monitoring_category", "监测对象类别",
                 optional=True)
    risk_types = risk_type_codes(data.risk_types)
    poverty_causes = poverty_cause_codes(data.poverty_causes)
    head_id = data.head_id_number
    if head_id is not KEEP:
        head_id = IdCardNumber.parse(head_id, field="head_id_number").value if head_id else None
    number = household_number(data.number)
    if data.housing_grade:
        require_code("housing_grade", data.housing_grade, "housing_grade", "危房等级")
    for f in ("farmland_mu", "housing_area"):
        v = getattr(data, f)
        if v is not None and Decimal(v) < 0:
            raise ValidationError(f, "不能是负数")
    return replace(data, head_name=name, number=number, head_id_number=head_id, risk_types=risk_types,
                   poverty_causes=poverty_causes,
                   phone=_clean_phone(data.phone, "phone"))


def validate_member(data: MemberInput) -> MemberInput:
    """Check a member; sex and birth date are taken from the 身份证号 when it is given."""
    name = require_text(data.name, "name", "姓名")  # its length: check_lengths (domain/lengths)
    check_lengths("member", data)
    require_code("relation", data.relation, "relation", "与户主关系")
    sex, birth = data.sex, data.birth_date
    id_number = None
    if data.id_number is KEEP:  # stored number unchanged: the service checks it after reading it
        id_number = KEEP
    elif data.id_number and data.id_number.strip():
        id_number, card_sex, card_birth = read_id(data.id_number)
        if sex and sex != card_sex:
            raise ValidationError("sex", f"性别与身份证号不符（身份证号显示为{codes.label('sex', card_sex)}）")
        if birth and birth != card_birth:
            raise ValidationError("birth_date", "出生日期与身份证号不符")
        sex, birth = card_sex, card_birth
    require_code("sex", sex, "sex", "性别", optional=True)
    for list_name, value, title in (
        ("ethnicity", data.ethnicity, "民族"), ("political_status", data.political_status, "政治面貌"),
        ("education", data.education, "文化程度"), ("schooling", data.schooling, "在校生状况"),
        ("labour_skill", data.labour_skill, "劳动技能"),
        ("disability_category", data.disability_category, "残疾类别"),
        ("disability_level", data.disability_level, "残疾等级"),
    ):
        require_code(list_name, value, list_name, title, optional=True)
    health = health_codes(data.health)
    check_education_schooling(data.education, data.schooling)
    months = work_months(data.work_months)
    if data.resident_medical and data.employee_medical:
        raise ValidationError("employee_medical", "城乡居民医保和职工医保只能参加一种")
    return replace(data, name=name, id_number=id_number, sex=sex, birth_date=birth, health=health,
                   work_months=months, phone=_clean_phone(data.phone, "phone"))


# --- services ---------------------------------------------------------------------------------------------------


class HouseholdService(Service):
    def count(self, query: HouseholdQuery = HouseholdQuery()) -> int:
        with self.read() as s:
            return hq.count(s, replace(query, today=query.today or self.today()))

    def page(self, query: HouseholdQuery, offset: int, limit: int, total: int | None = None) -> list[HouseholdRow]:
        """Rows ``offset``…``offset+limit`` of the filtered, sorted list (pass ``total`` for fast deep pages)."""
        with self.read() as s:
            rows = hq.rows(s, replace(query, today=query.today or self.today()), offset, limit, total)
        return [HouseholdRow(*r[:13], _split(r[13]), r[14]) for r in rows]

    def group_names(self) -> list[str]:
        with self.read() as s:
            return hq.group_names(s)

    def get(self, household_id: str) -> HouseholdDTO:
        with self.read() as s:
            return household_dto(self.get_live(s, Household, household_id, "农户"))

    def detail(self, household_id: str) -> HouseholdDetail:
        with self.read() as s:
            h = self.get_live(s, Household, household_id, "农户")
            members = hq.live_members(s, household_id)
            incomes = common.all_live(s, HouseholdIncome, order_by="year", household_id=household_id)
            pairings = hq.pairings_of(s, household_id)
            return HouseholdDetail(
                household_dto(h),
                tuple(member_dto(m) for m in members),
                tuple(income_dto(i, len(members)) for i in reversed(incomes)),
                tuple(copy_to(PairingDTO, p, cadre_name=n) for p, n in pairings),
            )

    def create(self, data: HouseholdInput, members: list[MemberInput] = ()) -> Outcome[HouseholdDTO]:
        """New household, optionally with its members. Raises ValidationError (field names of the inputs;
        member errors are prefixed ``members[i].``)."""
        data = validate_household(resolve_keep(data, None))
        checked = []
        for i, m in enumerate(members):
            try:
                checked.append(validate_member(resolve_keep(m, None)))
            except ValidationError as e:
                raise ValidationError(f"members[{i}].{e.field}", e.message) from None
        heads = [m for m in checked if m.relation == "head"]
        if len(heads) > 1:
            raise ValidationError("members", "一户只能有一个户主")
        with self.write() as s:
            village = common.first_live(s, Village)
            if village is None:
                raise ValidationError("village", "请先设置本村信息")
            number = data.number or hq.next_number(s, village.division_code)
            if hq.number_taken(s, number):
                raise ValidationError("number", f"户编号 {number} 已被使用")
            row = Household(village_id=village.id)
            self._apply(row, data)
            row.number = number
            s.add(row)
            s.flush()
            for i, m in enumerate(checked):
                self._check_id_unique(s, m.id_number, None, f"members[{i}].id_number")
                self._add_member_row(s, row, m, i)
            self._sync_head(s, row)
            dto = household_dto(row)
        return Outcome(dto, Changes.of_session(s))

    def update(self, household_id: str, data: HouseholdInput) -> Outcome[HouseholdDTO]:
        """Fields sent as ``KEEP`` (a masked number the form did not reveal) keep their stored value."""
        data = validate_household(data)
        with self.write() as s:
            row = self.get_live(s, Household, household_id, "农户")
            data = validate_household(resolve_keep(data, row))
            if data.number and data.number != row.number and hq.number_taken(s, data.number, household_id):
                raise ValidationError("number", f"户编号 {data.number} 已被使用")
            members = hq.live_members(s, household_id)  # read before changing anything: one flush, one audit row
            self._apply(row, data)
            if data.number:
                row.number = data.number
            self._sync_head(s, row, prefer_household_name=True, members=members)
            s.flush()
            dto = household_dto(row)
        return Outcome(dto, Changes.of_session(s))

    def delete(self, household_id: str) -> Outcome[None]:
        """Soft delete (a tombstone that travels in packages) of the household and its members."""
        with self.write() as s:
            row = self.get_live(s, Household, household_id, "农户")
            for m in hq.live_members(s, household_id):
                self.soft_delete(m)
            for p, _ in hq.pairings_of(s, household_id):
                self.soft_delete(p)
            self.soft_delete(row)
        return Outcome(None, Changes.of_session(s))

    # -- members ---------------------------------------------------------------------------------------------------
    def add_member(self, household_id: str, data: MemberInput) -> Outcome[MemberDTO]:
        data = validate_member(resolve_keep(data, None))
        with self.write() as s:
            h = self.get_live(s, Household, household_id, "农户")
            members = hq.live_members(s, household_id)
            self._check_relation(members, data.relation, None)
            self._check_id_unique(s, data.id_number, None, "id_number")
            row = self._add_member_row(s, h, data, len(members))
            self._sync_head(s, h)
            dto = member_dto(row)
        return Outcome(dto, Changes.of_session(s))

    def update_member(self, member_id: str, data: MemberInput) -> Outcome[MemberDTO]:
        """Fields sent as ``KEEP`` keep their stored value (checked again, e.g. sex against the stored ID)."""
        data = validate_member(data)
        with self.write() as s:
            row = self.get_live(s, Member, member_id, "家庭成员")
            data = validate_member(resolve_keep(data, row))
            members = hq.live_members(s, row.household_id)
            self._check_relation(members, data.relation, member_id)
            self._check_id_unique(s, data.id_number, member_id, "id_number")
            self._apply_member(row, data)
            h = s.get(Household, row.household_id)
            self._sync_head(s, h)
            s.flush()
            dto = member_dto(row)
        return Outcome(dto, Changes.of_session(s))

    def remove_member(self, member_id: str) -> Outcome[None]:
        with self.write() as s:
            row = self.get_live(s, Member, member_id, "家庭成员")
            if row.relation == "head":
                others = [m for m in hq.live_members(s, row.household_id) if m.id != member_id]
                if others:
                    raise ValidationError("relation", "不能删除户主：请先把另一位成员设为户主")
            self.soft_delete(row)
            s.flush()
            h = s.get(Household, row.household_id)
            self._sync_head(s, h)
        return Outcome(None, Changes.of_session(s))

    # -- income ------------------------------------------------------------------------------------------------------
    def set_income(self, household_id: str, data: IncomeInput) -> Outcome[IncomeDTO]:
        """Create or replace the income of one year. Amounts in 元 (Decimal)."""
        if not 2000 <= data.year <= 2100:
            raise ValidationError("year", "年份不对")
        amounts = {}
        for f in ("wages", "business", "property_income", "transfer", "production_cost"):
            v = to_money(getattr(data, f) if getattr(data, f) is not None else Decimal("0"))
            if v < 0:
                raise ValidationError(f, "金额不能是负数")
            amounts[f] = v
        if data.size is not None and data.size <= 0:
            raise ValidationError("size", "家庭人口应大于0")
        with self.write() as s:
            h = self.get_live(s, Household, household_id, "农户")
            row = common.find_live(s, HouseholdIncome, household_id=household_id, year=data.year)
            if row is None:
                row = HouseholdIncome(household_id=household_id, year=data.year)
                s.add(row)
            for k, v in amounts.items():
                setattr(row, k, v)
            row.size, row.note = data.size, data.note
            s.flush()
            dto = income_dto(row, h.member_count)
        return Outcome(dto, Changes.of_session(s))

    # -- helpers -----------------------------------------------------------------------------------------------------
    @staticmethod
    def _apply(row: Household, data: HouseholdInput) -> None:
        apply_fields(row, data, exclude=("number", "risk_types", "poverty_causes"))
        row.risk_types = ",".join(data.risk_types)
        row.poverty_causes = ",".join(data.poverty_causes)
        row.name_pinyin, row.name_initials = search_keys(data.head_name)  # every reading of 长, 曾, 单…

    @staticmethod
    def _apply_member(row: Member, data: MemberInput) -> None:
        apply_fields(row, data, exclude=("health",))
        row.health = ",".join(data.health) or None
        row.name_pinyin, row.name_initials = search_keys(data.name)

    def _add_member_row(self, s, h: Household, data: MemberInput, order: int) -> Member:
        row = Member(household_id=h.id, sort_order=order)
        self._apply_member(row, data)
        s.add(row)
        s.flush()
        return row

    @staticmethod
    def _check_relation(members: list[Member], relation: str, member_id: str | None) -> None:
        others = [m for m in members if m.id != member_id]
        if relation == "head" and any(m.relation == "head" for m in others):
            raise ValidationError("relation", "这一户已经有户主了")
        if relation == "spouse" and any(m.relation == "spouse" for m in others):
            raise ValidationError("relation", "这一户已经有配偶了")

    @staticmethod
    def _check_id_unique(s, id_number: str | None, member_id: str | None, field_name: str) -> None:
        if not id_number:
            return
        owner = hq.id_number_owner(s, id_number, member_id)
        if owner:
            raise ValidationError(field_name, f"身份证号已登记在户{owner[1]}的{owner[0]}名下")

    @staticmethod
    def _sync_head(s, h: Household, prefer_household_name: bool = False,
                   members: list[Member] | None = None) -> None:
        """Keep the household's head name/ID and member count in step with its members."""
        if members is None:
            s.flush()
            members = hq.live_members(s, h.id)
        h.member_count = len(members)
        head = next((m for m in members if m.relation == "head"), None)
        if head is None:
            return
        if prefer_household_name and head.name != h.head_name:
            head.name = h.head_name
            head.name_pinyin, head.name_initials = h.name_pinyin, h.name_initials
        else:
            h.head_name, h.name_pinyin, h.name_initials = head.name, head.name_pinyin, head.name_initials
        if head.id_number:
            h.head_id_number = head.id_number


class PairingService(Service):
    """结对帮扶: which helper (cadre) looks after which household, and since when."""

    def pair(self, cadre_id: str, household_id: str, start_date: date | None = None,
             note: str | None = None) -> Outcome[PairingDTO]:
        start = start_date or self.today()
        with self.write() as s:
            cadre = self.get_live(s, Cadre, cadre_id, "帮扶干部")
            self.get_live(s, Household, household_id, "农户")
            for p, _ in hq.pairings_of(s, household_id):
                if p.cadre_id == cadre_id and p.end_date is None:
                    raise ValidationError("cadre_id", f"{cadre.name}已经结对帮扶这一户")
            current = hq.households_of_cadre(s, cadre_id)
            if cadre.role == "helper" and len(current) >= 5:
                raise ValidationError("cadre_id", f"{cadre.name}已结对{len(current)}户，帮扶责任人最多结对5户")
            row = Pairing(cadre_id=cadre_id, household_id=household_id, start_date=start, note=note)
            s.add(row)
            s.flush()
            dto = copy_to(PairingDTO, row, cadre_name=cadre.name)
        return Outcome(dto, Changes.of_session(s))

    def end(self, pairing_id: str, end_date: date | None = None) -> Outcome[PairingDTO]:
        with self.write() as s:
            row = self.get_live(s, Pairing, pairing_id, "结对关系")
            end = end_date or self.today()
            if end < row.start_date:
                raise ValidationError("end_date", "结束日期不能早于结对日期")
            row.end_date = end
            cadre = s.get(Cadre, row.cadre_id)
            s.flush()
            dto = copy_to(PairingDTO, row, cadre_name=cadre.name)
        return Outcome(dto, Changes.of_session(s))

    def of_household(self, household_id: str) -> list[PairingDTO]:
        with self.read() as s:
            return [copy_to(PairingDTO, p, cadre_name=n) for p, n in hq.pairings_of(s, household_id)]

    def households_of(self, cadre_id: str) -> list[HouseholdDTO]:
        with self.read() as s:
            return [household_dto(h) for h in hq.households_of_cadre(s, cadre_id)]
