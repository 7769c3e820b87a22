"""Projects (项目库): fields, funding lines per source, status workflow with dated events, beneficiaries, handover.

Funding lines (资金来源) must add up to the total investment. When they do not, :meth:`ProjectService.create` and
:meth:`ProjectService.update` raise ``ValidationError("funding", …)`` stating the difference in 元 and 万元,
unless called with ``confirm_mismatch=True`` (the UI asks the user first).

Status follows the order of ``codes.project_status`` (domain.md §3.4): a project may move forward one or more
steps, or be cancelled; it never moves backwards, and a cancelled project stays cancelled.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from fupin_desktop.domain import codes
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.money import format_wan, format_yuan, to_money
from fupin_desktop.services import project_funding as funding
from fupin_desktop.services.base import Changes, Outcome, Service, copy_to, require_code, require_text
from fupin_desktop.storage.models import Attachment, FundingLine, Household, Project, ProjectBeneficiary, ProjectEvent
from fupin_desktop.storage.queries import common
from fupin_desktop.storage.queries import projects as pq
from fupin_desktop.storage.queries.projects import ProjectQuery  # re-exported for the UI

__all__ = ["ProjectService", "ProjectQuery", "ProjectInput", "FundingInput", "ProjectDTO", "FundingLineDTO",
           "ProjectEventDTO", "ProjectRow", "ProjectDetail", "ProjectTotals", "BeneficiaryDTO",
           "STATUS_ORDER", "funding_difference", "mismatch_message"]

ZERO = Decimal("0.00")
CANCELLED = "cancelled"
STATUS_ORDER: tuple[str, ...] = tuple(c for c in codes.get("project_status").codes() if c != CANCELLED)
HANDOVER_FROM = "accepted"  # 竣工验收/报账: assets can be handed over from here on
EVENT_OWNER = "project_event"


# --- inputs and outputs -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundingInput:
    source: str
    planned_amount: Decimal = ZERO
    received_amount: Decimal = ZERO
    note: str | None = None
    received_on: date | None = None  # when a change of received_amount arrived (today when empty)


@dataclass(frozen=True)
class BeneficiaryFigures:
    """受益户 of a set of projects (the 项目台账's 合计, the summary): the sum over projects is 户次 (a household that
    benefits from two projects counts twice); distinct households can only be counted from the projects' 受益户
    lists (ProjectBeneficiary), so projects with a number but no list are counted apart."""

    household_times: int  # Σ 受益户 (户次)
    poor_household_times: int  # Σ 其中脱贫户 (户次)
    distinct_households: int  # households on the lists, each once
    projects_without_list: int  # projects with 受益户 entered as a number only


def beneficiary_figures(lines) -> BeneficiaryFigures:
    """Of ``services.report_lines.ProjectLine`` rows."""
    distinct = {hid for p in lines for hid in p.beneficiary_ids}
    return BeneficiaryFigures(
        household_times=sum(p.households for p in lines),
        poor_household_times=sum(p.beneficiary_poor_households or 0 for p in lines),
        distinct_households=len(distinct),
        projects_without_list=sum(1 for p in lines if p.households and not p.beneficiary_ids))


@dataclass(frozen=True)
class ProjectInput:
    name: str
    total_investment: Decimal = ZERO
    funding: tuple[FundingInput, ...] = ()
    year: int | None = None
    number: str | None = None
    category: str | None = None
    subcategory: str | None = None
    nature: str | None = None
    action_type: str = "required"
    place: str | None = None
    content_scale: str | None = None
    implementing_unit: str | None = None
    supervising_dept: str | None = None
    responsible: str | None = None
    planned_start: date | None = None
    planned_end: date | None = None
    actual_start: date | None = None
    actual_end: date | None = None
    beneficiary_households: int | None = None
    beneficiary_people: int | None = None
    beneficiary_poor_households: int | None = None
    beneficiary_monitored_households: int | None = None
    benefit_mechanism: str | None = None
    performance_target: str | None = None
    note: str | None = None
    status: str | None = None  # only for create (an existing project moves with ProjectService.move)


@dataclass(frozen=True)
class ProjectDTO:
    id: str
    name: str
    number: str | None
    year: int | None
    category: str | None
    subcategory: str | None
    nature: str | None
    action_type: str
    place: str | None
    content_scale: str | None
    implementing_unit: str | None
    supervising_dept: str | None
    responsible: str | None
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    total_investment: Decimal
    status: str
    progress_percent: int
    beneficiary_households: int | None
    beneficiary_people: int | None
    beneficiary_poor_households: int | None
    beneficiary_monitored_households: int | None
    benefit_mechanism: str | None
    performance_target: str | None
    asset_type: str | None
    asset_owner: str | None
    handover_date: date | None
    handover_note: str | None
    note: str | None


@dataclass(frozen=True)
class FundingLineDTO:
    id: str
    source: str
    planned_amount: Decimal
    received_amount: Decimal
    note: str | None


@dataclass(frozen=True)
class ProjectEventDTO:
    id: str
    event_date: date
    kind: str  # status / progress / note / handover
    from_status: str | None
    to_status: str | None
    percent: int | None
    note: str | None
    photos: tuple[str, ...] = ()  # attachment ids


@dataclass(frozen=True)
class BeneficiaryDTO:
    household_id: str
    number: str
    head_name: str
    household_type: str
    monitoring_category: str | None


@dataclass(frozen=True)
class ProjectRow:
    """A line of the project list: the project and its money by source."""

    project: ProjectDTO
    planned_by_source: dict[str, Decimal]
    received_by_source: dict[str, Decimal]

    @property
    def planned_total(self) -> Decimal:
        return sum(self.planned_by_source.values(), ZERO)

    @property
    def received_total(self) -> Decimal:
        return sum(self.received_by_source.values(), ZERO)

    @property
    def difference(self) -> Decimal:
        """Total investment minus the funding lines (0 when they add up)."""
        return self.project.total_investment - self.planned_total


@dataclass(frozen=True)
class ProjectDetail:
    project: ProjectDTO
    funding: tuple[FundingLineDTO, ...]
    beneficiaries: tuple[BeneficiaryDTO, ...]

    @property
    def planned_total(self) -> Decimal:
        return sum((f.planned_amount for f in self.funding), ZERO)

    @property
    def received_total(self) -> Decimal:
        return sum((f.received_amount for f in self.funding), ZERO)


@dataclass(frozen=True)
class ProjectTotals:
    """Figures over a list of projects (a year's plan, a filter)."""

    count: int
    total_investment: Decimal
    planned_by_source: dict[str, Decimal]
    received_by_source: dict[str, Decimal]
    count_by_status: dict[str, int]
    required_count: int = 0  # 规定动作
    optional_count: int = 0  # 自选动作

    @property
    def planned_total(self) -> Decimal:
        return sum(self.planned_by_source.values(), ZERO)

    @property
    def received_total(self) -> Decimal:
        return sum(self.received_by_source.values(), ZERO)

    @property
    def received_ratio(self) -> Decimal:
        """到位率 (received / planned), 0–1 with four places; 0 when nothing is planned."""
        planned = self.planned_total
        return (self.received_total / planned).quantize(Decimal("0.0001")) if planned else Decimal("0")

    def sources(self) -> list[str]:
        """Sources that occur, in code-list order."""
        order = codes.get("funding_source").codes()
        used = set(self.planned_by_source) | set(self.received_by_source)
        return [c for c in order if c in used] + sorted(used - set(order))


# --- rules ------------------------------------------------------------------------------------------------------


def funding_difference(total: Decimal, planned_amounts) -> Decimal:
    """Total investment minus the sum of the planned funding amounts (positive: lines are short)."""
    return to_money(total) - sum((to_money(a) for a in planned_amounts if a is not None), ZERO)


def _yuan_wan(amount: Decimal) -> str:
    return f"{format_yuan(amount)}元（{format_wan(amount, 4)}）"


def mismatch_message(total: Decimal, planned_sum: Decimal) -> str:
    diff = to_money(total) - to_money(planned_sum)
    if diff > 0:
        tail = f"资金来源比总投资少 {_yuan_wan(diff)}"
    else:
        tail = f"资金来源比总投资多 {_yuan_wan(-diff)}"
    return (f"各资金来源合计 {_yuan_wan(planned_sum)}，总投资 {_yuan_wan(total)}，两者不相等：{tail}。")


def status_index(status: str) -> int:
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else -1


def _label(status: str | None) -> str:
    return codes.label("project_status", status)


def project_dto(row: Project) -> ProjectDTO:
    return copy_to(ProjectDTO, row)


# --- the service ------------------------------------------------------------------------------------------------


class ProjectService(Service):
    # -- validation -----------------------------------------------------------------------------------------------
    def validate(self, data: ProjectInput, confirm_mismatch: bool = False) -> tuple[Decimal, list[FundingInput]]:
        require_text(data.name, "name", "项目名称", 255)
        require_code("project_category", data.category, "category", "项目类别", optional=True)
        require_code("project_nature", data.nature, "nature", "建设性质", optional=True)
        require_code("action_type", data.action_type, "action_type", "动作类型")
        if data.status is not None:
            require_code("project_status", data.status, "status", "项目状态")
        if data.year is not None and not 1990 <= data.year <= 2100:
            raise ValidationError("year", "年度不对")
        for a, b, fname, title in ((data.planned_start, data.planned_end, "planned_end", "计划完工日期"),
                                   (data.actual_start, data.actual_end, "actual_end", "实际完工日期")):
            if a and b and b < a:
                raise ValidationError(fname, f"{title}不能早于开工日期")
        for name in ("beneficiary_households", "beneficiary_people", "beneficiary_poor_households",
                     "beneficiary_monitored_households"):
            v = getattr(data, name)
            if v is not None and v < 0:
                raise ValidationError(name, "受益数不能为负数")
        total = to_money(data.total_investment if data.total_investment is not None else ZERO)
        if total < 0:
            raise ValidationError("total_investment", "总投资不能为负数")
        lines: list[FundingInput] = []
        seen: set[str] = set()
        for i, line in enumerate(data.funding):
            require_code("funding_source", line.source, f"funding[{i}].source", "资金来源")
            if line.source in seen:
                raise ValidationError(f"funding[{i}].source",
                                      f"资金来源“{codes.label('funding_source', line.source)}”填了两次，请合并为一行")
            seen.add(line.source)
            planned = to_money(line.planned_amount if line.planned_amount is not None else ZERO)
            received = to_money(line.received_amount if line.received_amount is not None else ZERO)
            if planned < 0 or received < 0:
                raise ValidationError(f"funding[{i}].planned_amount", "金额不能为负数")
            lines.append(FundingInput(line.source, planned, received, (line.note or "").strip() or None,
                                      line.received_on))
        planned_sum = sum((l.planned_amount for l in lines), ZERO)
        if planned_sum != total and not confirm_mismatch:
            raise ValidationError("funding", mismatch_message(total, planned_sum))
        return total, lines

    # -- writing --------------------------------------------------------------------------------------------------
    def create(self, data: ProjectInput, confirm_mismatch: bool = False,
               beneficiary_ids: tuple[str, ...] | None = None) -> Outcome[ProjectDetail]:
        """Add a project with its funding lines. Raises ValidationError (name, funding, …)."""
        total, lines = self.validate(data, confirm_mismatch)
        with self.write() as s:
            row = Project(status=data.status or "planning", progress_percent=0)
            self._apply(row, data, total)
            s.add(row)
            s.flush()
            self._replace_funding(s, row.id, lines)
            if beneficiary_ids is not None:
                self._set_beneficiaries(s, row.id, beneficiary_ids)
            s.flush()
            pid = row.id
        return Outcome(self.get(pid), Changes.of_session(s))

    def update(self, project_id: str, data: ProjectInput, confirm_mismatch: bool = False,
               beneficiary_ids: tuple[str, ...] | None = None) -> Outcome[ProjectDetail]:
        total, lines = self.validate(data, confirm_mismatch)
        with self.write() as s:
            row = self.get_live(s, Project, project_id, "项目")
            self._apply(row, data, total)
            self._replace_funding(s, row.id, lines)
            if beneficiary_ids is not None:
                self._set_beneficiaries(s, row.id, beneficiary_ids)
        return Outcome(self.get(project_id), Changes.of_session(s))

    def delete(self, project_id: str) -> Outcome[None]:
        with self.write() as s:
            row = self.get_live(s, Project, project_id, "项目")
            for line in pq.funding_lines(s, [project_id])[project_id]:
                funding.remove_line(self, s, line)
            for event in pq.events(s, project_id):
                self.soft_delete(event)
            for link in pq.beneficiary_links(s, project_id):
                if link.deleted_at is None:
                    self.soft_delete(link)
            self.soft_delete(row)
        return Outcome(None, Changes.of_session(s))

    def move(self, project_id: str, to_status: str, on: date | None = None, note: str | None = None,
             photos: tuple[str | Path, ...] = ()) -> Outcome[ProjectDTO]:
        """Move forward one or more steps of the workflow, or cancel. Backwards is refused.

        Raises ValidationError("status", …), NotFoundError."""
        require_code("project_status", to_status, "status", "项目状态")
        when = on or self.today()
        stored = self._store_photos(photos)
        with self.write() as s:
            row = self.get_live(s, Project, project_id, "项目")
            current = row.status
            if current == to_status:
                raise ValidationError("status", f"项目已经是“{_label(current)}”")
            if current == CANCELLED:
                raise ValidationError("status", "项目已取消，不能再改变状态")
            if to_status != CANCELLED and status_index(to_status) < status_index(current):
                raise ValidationError("status", f"项目当前为“{_label(current)}”，不能退回到“{_label(to_status)}”")
            if to_status != CANCELLED and status_index(to_status) >= status_index("in_progress"):
                row.actual_start = row.actual_start or when
            if to_status != CANCELLED and status_index(to_status) >= status_index(HANDOVER_FROM):
                row.actual_end = row.actual_end or when
                row.progress_percent = 100
            event = ProjectEvent(project_id=row.id, event_date=when, kind="status", from_status=current,
                                 to_status=to_status, note=(note or "").strip() or None)
            s.add(event)
            row.status = to_status
            s.flush()
            self._attach(s, event.id, stored)
            dto = project_dto(row)
        return Outcome(dto, Changes.of_session(s))

    def record_progress(self, project_id: str, percent: int | None = None, note: str | None = None,
                        on: date | None = None, photos: tuple[str | Path, ...] = ()) -> Outcome[ProjectEventDTO]:
        """A dated progress entry: % complete and/or a note, with photos. Raises ValidationError (percent, note)."""
        if percent is not None and not 0 <= percent <= 100:
            raise ValidationError("percent", "完成进度应在 0 到 100 之间")
        text = (note or "").strip() or None
        if percent is None and not text and not photos:
            raise ValidationError("note", "请填写进度、情况说明或添加照片")
        when = on or self.today()
        stored = self._store_photos(photos)
        with self.write() as s:
            row = self.get_live(s, Project, project_id, "项目")
            if row.status == CANCELLED:
                raise ValidationError("status", "项目已取消，不能再记录进度")
            event = ProjectEvent(project_id=row.id, event_date=when, kind="progress" if percent is not None else "note",
                                 percent=percent, note=text)
            s.add(event)
            if percent is not None:
                row.progress_percent = percent
            s.flush()
            ids = tuple(a.id for a in self._attach(s, event.id, stored))
            dto = copy_to(ProjectEventDTO, event, photos=ids)
        return Outcome(dto, Changes.of_session(s))

    def record_handover(self, project_id: str, asset_type: str, owner: str, handover_date: date | None = None,
                        note: str | None = None) -> Outcome[ProjectDTO]:
        """资产确权登记与移交: only once the project is accepted (竣工验收); moves it to 资产移交 if not there yet.

        Raises ValidationError (asset_type, asset_owner, handover_date, status)."""
        require_code("asset_type", asset_type, "asset_type", "资产类别")
        owner_text = require_text(owner, "asset_owner", "资产所有权人（确权对象）", 128)
        when = handover_date or self.today()
        with self.write() as s:
            row = self.get_live(s, Project, project_id, "项目")
            if row.status == CANCELLED or status_index(row.status) < status_index(HANDOVER_FROM):
                raise ValidationError("status", f"项目当前为“{_label(row.status)}”，竣工验收后才能登记资产移交")
            if row.actual_end and when < row.actual_end:
                raise ValidationError("handover_date", "移交日期不能早于竣工日期")
            row.asset_type = asset_type
            row.asset_owner = owner_text
            row.handover_date = when
            row.handover_note = (note or "").strip() or None
            text = f"资产移交：{codes.label('asset_type', asset_type)}，确权给{owner_text}"
            if status_index(row.status) < status_index("handed_over"):
                s.add(ProjectEvent(project_id=row.id, event_date=when, kind="status", from_status=row.status,
                                   to_status="handed_over", note=text))
                row.status = "handed_over"
            else:
                s.add(ProjectEvent(project_id=row.id, event_date=when, kind="note", note=text))
            s.flush()
            dto = project_dto(row)
        return Outcome(dto, Changes.of_session(s))

    def set_beneficiaries(self, project_id: str, household_ids: tuple[str, ...]) -> Outcome[ProjectDetail]:
        with self.write() as s:
            self.get_live(s, Project, project_id, "项目")
            self._set_beneficiaries(s, project_id, household_ids)
        return Outcome(self.get(project_id), Changes.of_session(s))

    # -- reading --------------------------------------------------------------------------------------------------
    def get(self, project_id: str) -> ProjectDetail:
        with self.read() as s:
            row = self.get_live(s, Project, project_id, "项目")
            lines = pq.funding_lines(s, [project_id])[project_id]
            bens = pq.beneficiary_rows(s, project_id)
            return ProjectDetail(
                project_dto(row),
                tuple(copy_to(FundingLineDTO, l) for l in self._sorted_lines(lines)),
                tuple(BeneficiaryDTO(h.id, h.number, h.head_name, h.household_type, h.monitoring_category)
                      for _b, h in bens))

    def list(self, query: ProjectQuery = ProjectQuery()) -> list[ProjectRow]:
        with self.read() as s:
            rows = pq.projects(s, query)
            lines = pq.funding_lines(s, [r.id for r in rows])
            out = []
            for r in rows:
                planned: dict[str, Decimal] = {}
                received: dict[str, Decimal] = {}
                for l in self._sorted_lines(lines.get(r.id, [])):
                    planned[l.source] = planned.get(l.source, ZERO) + l.planned_amount
                    received[l.source] = received.get(l.source, ZERO) + l.received_amount
                out.append(ProjectRow(project_dto(r), planned, received))
            return out

    def totals(self, rows: list[ProjectRow] | ProjectQuery | None = None) -> ProjectTotals:
        """Derived figures over a list of projects: total investment, by source (planned, received), by status."""
        if rows is None or isinstance(rows, ProjectQuery):
            rows = self.list(rows or ProjectQuery())
        planned: dict[str, Decimal] = {}
        received: dict[str, Decimal] = {}
        by_status: dict[str, int] = {}
        total = ZERO
        required = optional = 0
        for r in rows:
            total += r.project.total_investment
            by_status[r.project.status] = by_status.get(r.project.status, 0) + 1
            if r.project.action_type == "optional":
                optional += 1
            else:
                required += 1
            for src, amount in r.planned_by_source.items():
                planned[src] = planned.get(src, ZERO) + amount
            for src, amount in r.received_by_source.items():
                received[src] = received.get(src, ZERO) + amount
        return ProjectTotals(len(rows), total, planned, received, by_status, required, optional)

    def counts_by_status(self, query: ProjectQuery = ProjectQuery()) -> dict[str, int]:
        with self.read() as s:
            return pq.counts_by_status(s, query)

    def events(self, project_id: str) -> list[ProjectEventDTO]:
        with self.read() as s:
            self.get_live(s, Project, project_id, "项目")
            evs = pq.events(s, project_id)
            out = []
            for e in evs:
                photos = common.all_live(s, Attachment, order_by="created_at", owner_type=EVENT_OWNER,
                                         owner_id=e.id)
                out.append(copy_to(ProjectEventDTO, e, photos=tuple(p.id for p in photos)))
            return out

    def years(self) -> list[int]:
        with self.read() as s:
            return pq.years(s)

    # -- helpers --------------------------------------------------------------------------------------------------
    @staticmethod
    def _sorted_lines(lines: list[FundingLine]) -> list[FundingLine]:
        order = {c: i for i, c in enumerate(codes.get("funding_source").codes())}
        return sorted(lines, key=lambda l: order.get(l.source, len(order)))

    @staticmethod
    def _apply(row: Project, data: ProjectInput, total: Decimal) -> None:
        for name in ("number", "year", "category", "subcategory", "nature", "action_type", "place",
                     "content_scale", "implementing_unit", "supervising_dept", "responsible", "planned_start",
                     "planned_end", "actual_start", "actual_end", "beneficiary_households", "beneficiary_people",
                     "beneficiary_poor_households", "beneficiary_monitored_households", "benefit_mechanism",
                     "performance_target", "note"):
            value = getattr(data, name)
            if isinstance(value, str):
                value = value.strip() or None
            setattr(row, name, value)
        row.name = data.name.strip()
        row.total_investment = total

    def _replace_funding(self, s, project_id: str, lines: list[FundingInput]) -> None:
        funding.replace_lines(self, s, project_id, lines)

    def receipts(self, project_id: str) -> list[funding.ReceiptDTO]:
        """The dated receipts (资金到位) behind the project's received amounts, oldest first (undated first)."""
        with self.read() as s:
            self.get_live(s, Project, project_id, "项目")
            return funding.receipts_of(s, project_id)

    def _set_beneficiaries(self, s, project_id: str, household_ids) -> None:
        wanted = list(dict.fromkeys(household_ids))
        for hid in wanted:
            self.get_live(s, Household, hid, "农户")
        links = {l.household_id: l for l in pq.beneficiary_links(s, project_id)}
        for hid in wanted:
            link = links.pop(hid, None)
            if link is None:
                s.add(ProjectBeneficiary(project_id=project_id, household_id=hid))
            elif link.deleted_at is not None:
                link.deleted_at = None
        for link in links.values():
            if link.deleted_at is None:
                self.soft_delete(link)

    def _store_photos(self, photos):
        if not photos:
            return []
        from fupin_desktop.services.attachments import AttachmentService

        svc = AttachmentService(self.ctx)
        return [svc.store_file(p) for p in photos]

    def _attach(self, s, event_id: str, stored) -> list:
        if not stored:
            return []
        from fupin_desktop.services.attachments import AttachmentService

        rows = AttachmentService(self.ctx).add_rows(s, EVENT_OWNER, event_id, stored)
        s.flush()
        return rows

