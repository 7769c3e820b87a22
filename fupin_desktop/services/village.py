"""Village profile (村情), yearly figures, the work team and helpers (cadres), first-start set-up."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fupin_desktop.domain.division import DivisionCode
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.phone import clean_phone
from fupin_desktop.services.base import (
    KEEP, Changes, Outcome, Service, apply_fields, copy_to, require_code, require_text, resolve_keep,
)
from fupin_desktop.storage.models import Cadre, User, Village, VillageProfile
from fupin_desktop.storage.queries import common


@dataclass(frozen=True)
class VillageInput:
    name: str
    division_code: str
    township: str | None = None
    county: str | None = None
    city: str | None = None
    province: str | None = None
    dispatch_unit: str | None = None
    address: str | None = None
    division_year: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class VillageDTO:
    id: str
    name: str
    division_code: str
    township: str | None
    county: str | None
    city: str | None
    province: str | None
    dispatch_unit: str | None
    address: str | None
    division_year: int | None
    note: str | None


@dataclass(frozen=True)
class ProfileInput:
    year: int
    households: int | None = None
    population: int | None = None
    agricultural_population: int | None = None
    groups: int | None = None
    farmland_mu: Decimal | None = None
    forest_mu: Decimal | None = None
    party_members: int | None = None
    committee_members: str | None = None
    per_capita_income: Decimal | None = None
    collective_income: Decimal | None = None
    note: str | None = None


@dataclass(frozen=True)
class ProfileDTO(ProfileInput):
    id: str = ""


@dataclass(frozen=True)
class CadreInput:
    name: str
    role: str = "member"
    unit: str | None = None
    position: str | None = None
    phone: str | None = None
    sex: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    in_team: bool = True


@dataclass(frozen=True)
class CadreDTO:
    id: str
    name: str
    role: str
    unit: str | None
    position: str | None
    phone: str | None
    sex: str | None
    start_date: date | None
    end_date: date | None
    in_team: bool


class VillageService(Service):
    """The one village of this database (a township database merges many: see exchange)."""

    def get(self) -> VillageDTO | None:
        with self.read() as s:
            row = common.first_live(s, Village)
            return copy_to(VillageDTO, row) if row else None

    def villages(self) -> list[VillageDTO]:
        """Every village of this database by name: one for a team, many in a township or county database (merged
        同步包); the window offers a village chooser when there are several."""
        with self.read() as s:
            return [copy_to(VillageDTO, r) for r in common.all_live(s, Village, order_by="name")]

    def is_set_up(self) -> bool:
        return self.get() is not None

    def _validate(self, data: VillageInput) -> str:
        require_text(data.name, "name", "村名", 64)
        return DivisionCode.parse(data.division_code.strip(), field="division_code").value

    def save(self, data: VillageInput) -> Outcome[VillageDTO]:
        """Create or update the village. Raises ValidationError (name, division_code)."""
        code = self._validate(data)
        with self.write() as s:
            row = common.first_live(s, Village) or Village()
            apply_fields(row, data)
            row.name = data.name.strip()
            row.division_code = code
            s.add(row)
            s.flush()
            dto = copy_to(VillageDTO, row)
        return Outcome(dto, Changes.of_session(s))

    def set_up(self, village: VillageInput, team: list[CadreInput]) -> Outcome[VillageDTO]:
        """First start: the village and its work team in one transaction."""
        code = self._validate(village)
        if not team:
            raise ValidationError("team", "请至少填写一名工作队员")
        for i, c in enumerate(team):
            _validate_cadre(c, f"team[{i}]")
        with self.write() as s:
            row = common.first_live(s, Village) or Village()
            apply_fields(row, village)
            row.division_code = code
            s.add(row)
            s.flush()
            for c in team:
                cadre = Cadre(village_id=row.id)
                apply_fields(cadre, c)
                cadre.name = c.name.strip()
                s.add(cadre)
            s.flush()
            dto = copy_to(VillageDTO, row)
        return Outcome(dto, Changes.of_session(s))

    # -- yearly profile ------------------------------------------------------------------------------------------
    def profile(self, year: int) -> ProfileDTO | None:
        with self.read() as s:
            row = common.find_live(s, VillageProfile, year=year)
            return copy_to(ProfileDTO, row) if row else None

    def profiles(self) -> list[ProfileDTO]:
        with self.read() as s:
            return [copy_to(ProfileDTO, r) for r in common.all_live(s, VillageProfile, order_by="year")]

    def save_profile(self, data: ProfileInput) -> Outcome[ProfileDTO]:
        if not 1949 <= data.year <= 2100:
            raise ValidationError("year", "年份不对")
        for name in ("households", "population", "agricultural_population", "groups", "party_members"):
            v = getattr(data, name)
            if v is not None and v < 0:
                raise ValidationError(name, "不能是负数")
        with self.write() as s:
            village = common.first_live(s, Village)
            if village is None:
                raise ValidationError("village", "请先设置本村信息")
            row = common.find_live(s, VillageProfile, year=data.year) or VillageProfile(village_id=village.id)
            apply_fields(row, data)
            s.add(row)
            s.flush()
            dto = copy_to(ProfileDTO, row)
        return Outcome(dto, Changes.of_session(s))


def _validate_cadre(c: CadreInput, prefix: str = "") -> None:
    p = f"{prefix}." if prefix else ""
    require_text(c.name, f"{p}name", "姓名", 64)
    require_code("cadre_role", c.role, f"{p}role", "身份")
    if c.sex:
        require_code("sex", c.sex, f"{p}sex", "性别")
    if c.phone and c.phone is not KEEP:
        clean_phone(c.phone, f"{p}phone")  # 11-digit mobile or a fixed line with its area code
    if c.start_date and c.end_date and c.end_date < c.start_date:
        raise ValidationError(f"{p}end_date", "结束日期不能早于开始日期")


class CadreService(Service):
    """Work-team members and paired helpers (帮扶责任人)."""

    def list(self, include_inactive: bool = False, village_id: str | None = None) -> list[CadreDTO]:
        """The cadres (of one village of a township database when ``village_id`` is given)."""
        with self.read() as s:
            rows = common.all_live(s, Cadre, order_by="name")
            if village_id:
                rows = [r for r in rows if r.village_id == village_id]
            today = self.today()
            if not include_inactive:
                rows = [r for r in rows if r.end_date is None or r.end_date >= today]
            # team first (第一书记, 队员), then helpers
            order = {"secretary": 0, "member": 1, "helper": 2, "village_cadre": 3}
            rows.sort(key=lambda r: (order.get(r.role, 9), r.name))
            return [copy_to(CadreDTO, r) for r in rows]

    def get(self, cadre_id: str) -> CadreDTO:
        with self.read() as s:
            return copy_to(CadreDTO, self.get_live(s, Cadre, cadre_id, "干部"))

    def current(self) -> CadreDTO | None:
        """The cadre of the signed-in user (``User.cadre_id``); else the first active work-team member
        (secretary first); None when there is no team. Forms use it as the default "me"."""
        with self.read() as s:
            user = s.get(User, self.actor.user_id) if self.actor.user_id else None
            cadre = s.get(Cadre, user.cadre_id) if user is not None and user.cadre_id else None
            if cadre is not None and cadre.deleted_at is None:
                return copy_to(CadreDTO, cadre)
        team = [c for c in self.list() if c.in_team and c.role in ("secretary", "member")]
        return team[0] if team else None

    def create(self, data: CadreInput) -> Outcome[CadreDTO]:
        data = resolve_keep(data, None)
        _validate_cadre(data)
        with self.write() as s:
            village = common.first_live(s, Village)
            row = Cadre(village_id=village.id if village else None)
            apply_fields(row, data)
            row.name = data.name.strip()
            s.add(row)
            s.flush()
            dto = copy_to(CadreDTO, row)
        return Outcome(dto, Changes.of_session(s))

    def update(self, cadre_id: str, data: CadreInput) -> Outcome[CadreDTO]:
        _validate_cadre(data)
        with self.write() as s:
            row = self.get_live(s, Cadre, cadre_id, "干部")
            data = resolve_keep(data, row)  # a phone sent as KEEP (masked, not revealed) stays as stored
            apply_fields(row, data)
            row.name = data.name.strip()
            s.flush()
            dto = copy_to(CadreDTO, row)
        return Outcome(dto, Changes.of_session(s))

    def delete(self, cadre_id: str) -> Outcome[None]:
        with self.write() as s:
            row = self.get_live(s, Cadre, cadre_id, "干部")
            self.soft_delete(row)
        return Outcome(None, Changes.of_session(s))
