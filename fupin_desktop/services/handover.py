"""交接 (handover to the next work team): the figures of the 交接清单, the handed-over mark, and what the successor's
side does after the 同步包 inside the handover package was merged (old users carried as inactive, pairings of the
leaving team marked to reassign).

Every figure comes from the service that owns it (problems, projects, donations' stock, monitoring, cadres,
backups); this module only selects and groups. The package itself (sealed with the 交接码) is
``exchange/handover_package.py``; the PDF is ``reports/handover.py``.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from fupin_desktop.domain import codes
from fupin_desktop.domain.privacy import mask_phone
from fupin_desktop.services.base import (
    HANDOVER_KEY, Changes, Outcome, Service, handover_state, refuse_if_handed_over, set_handover_state,
)
from fupin_desktop.services.problems import ProblemService
from fupin_desktop.services.projects import ProjectService
from fupin_desktop.services.donations import DonationService
from fupin_desktop.services.monitoring import MonitoringService
from fupin_desktop.services.village import CadreService, VillageDTO, ProfileDTO, VillageService
from fupin_desktop.services.backups import BackupService
from fupin_desktop.storage import audit
from fupin_desktop.storage.models import Pairing, SettingValue, User, utcnow
from fupin_desktop.storage.queries import handover as hoq, households as hq
from fupin_desktop.storage.queries.monitoring import MonitoredQuery
from fupin_desktop.storage.queries.visits import ProblemQuery
from fupin_desktop.storage.keyring import Keyring

__all__ = ["HandoverService", "HandoverList", "FINISHED_PROJECTS", "REASSIGN_NOTE"]

FINISHED_PROJECTS = frozenset({"evaluated", "operating", "cancelled"})  # 已完成/运营管护/取消: not "ongoing"
REASSIGN_NOTE = "【交接】原帮扶责任人随工作队离任，待重新安排"
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class TeamLine:
    name: str
    role: str  # label
    unit: str
    position: str
    phone: str  # masked
    start_date: date | None
    end_date: date | None


@dataclass(frozen=True)
class ProblemItem:
    household: str
    description: str
    status: str  # label
    raised_on: date
    responsible: str
    due_date: date | None


@dataclass(frozen=True)
class ProjectItem:
    name: str
    year: int | None
    status: str  # codes.project_status
    progress_percent: int
    planned: Decimal
    received: Decimal

    @property
    def outstanding(self) -> Decimal:
        return max(self.planned - self.received, ZERO)

    @property
    def stage(self) -> str:
        return _label("project_status", self.status)

    @property
    def next_step(self) -> str:
        """The next stage of the project procedure (codes.project_status order)."""
        order = [c for c in codes.get("project_status").codes() if c != "cancelled"]
        if self.status not in order or order.index(self.status) + 1 >= len(order):
            return "—"
        return _label("project_status", order[order.index(self.status) + 1])


@dataclass(frozen=True)
class StockItem:
    name: str
    unit: str
    on_hand: Decimal


@dataclass(frozen=True)
class MonitoringItem:
    number: str
    head_name: str
    group_name: str
    category: str
    stage: str
    next_step: str


@dataclass(frozen=True)
class PairingItem:
    pairing_id: str
    cadre_name: str
    number: str
    head_name: str
    start_date: date


@dataclass(frozen=True)
class BackupItem:
    folder: str
    newest: datetime | None
    count: int


@dataclass(frozen=True)
class HandoverList:
    village: VillageDTO | None
    profile: ProfileDTO | None
    team: tuple[TeamLine, ...]
    problems: tuple[ProblemItem, ...]
    projects: tuple[ProjectItem, ...]
    stock: tuple[StockItem, ...]
    cash_balance: Decimal
    monitoring: tuple[MonitoringItem, ...]
    pairings: tuple[PairingItem, ...]
    backups: tuple[BackupItem, ...]
    recovery_set: bool
    prepared_on: date
    prepared_by: str

    @property
    def planned_total(self) -> Decimal:
        return sum((p.planned for p in self.projects), ZERO)

    @property
    def received_total(self) -> Decimal:
        return sum((p.received for p in self.projects), ZERO)

    @property
    def outstanding_total(self) -> Decimal:
        return sum((p.outstanding for p in self.projects), ZERO)


def _label(list_name: str, code: str | None) -> str:
    return codes.get(list_name).label(code) if code else ""


class HandoverService(Service):
    def _sub(self, cls):
        return cls(self.ctx)

    def _data_dir(self) -> Path | None:
        return self.ctx.data_dir

    # -- the 交接清单 ----------------------------------------------------------------------------------------------
    def prepare(self) -> HandoverList:
        """The first step of a handover (window and CLI): a backup of the data as handed over (``交接前``; the old
        laptop keeps its last state, and the list names it), then the 交接清单's contents. On a server database
        the backup is the administrator's pg_dump: the list shows no local backups there."""
        self.require_admin()
        self.require_write()  # refuses when already handed over
        if self.db.path is not None:
            self._sub(BackupService).backup_now(reason="handover")
        return self.checklist()

    def checklist(self) -> HandoverList:
        """Everything the 交接清单 prints, gathered through the services that own each figure."""
        self.require_admin()
        village_svc = self._sub(VillageService)
        profiles = village_svc.profiles()
        team = tuple(TeamLine(c.name, _label("cadre_role", c.role), c.unit or "", c.position or "",
                              mask_phone(c.phone) if c.phone else "", c.start_date, c.end_date)
                     for c in self._sub(CadreService).list(include_inactive=True) if c.in_team)
        problems = tuple(ProblemItem(
            f"{p.household_number or ''} {p.household_name or ''}".strip() or "（全村）", p.description,
            _label("problem_status", p.status), p.raised_on, p.responsible_name or "（未指定）", p.due_date)
            for p in sorted(self._sub(ProblemService).list(ProblemQuery(status="open"), limit=1_000_000),
                            key=lambda p: (p.due_date or date.max, p.raised_on)))
        projects = tuple(ProjectItem(r.project.name, r.project.year, r.project.status, r.project.progress_percent, r.planned_total, r.received_total)
                         for r in self._sub(ProjectService).list() if r.project.status not in FINISHED_PROJECTS)
        donations = self._sub(DonationService)
        by_item: dict[tuple[str, str], Decimal] = {}
        for row in donations.stock(only_on_hand=True):
            key = (row.title, row.unit or "")
            by_item[key] = by_item.get(key, Decimal(0)) + row.on_hand
        stock = tuple(StockItem(name, unit, q) for (name, unit), q in sorted(by_item.items()))
        cash = sum((c.balance for c in donations.cash_balances()), ZERO)
        monitoring = tuple(MonitoringItem(m.number, m.head_name, m.group_name or "",
                                          _label("monitoring_category", m.monitoring_category),
                                          _label("monitoring_stage", m.stage), _label("monitoring_stage",
                                                                                      m.next_stage) or "—")
                           for m in self._sub(MonitoringService).list(MonitoredQuery(status="open")))
        with self.read() as s:
            pairings = tuple(PairingItem(p.id, c.name, h.number, h.head_name, p.start_date)
                             for p, h, c in hq.open_pairings_of_team(s))
        backups = self._backups()
        recovery = False
        if self._data_dir() is not None or self.db.path is not None:
            recovery = Keyring(self._data_dir() or self.db.path.parent).recovery_wrapping() is not None
        return HandoverList(village_svc.get(), profiles[-1] if profiles else None, team, problems, projects, stock,
                            cash, monitoring, pairings, backups, recovery, self.today(), self.actor.name)

    def _backups(self) -> tuple[BackupItem, ...]:
        from fupin_desktop.storage.backup import list_backups

        if self.db.path is None:
            return ()
        svc = self._sub(BackupService)
        folders = [svc.folder()]
        extra = svc.machine().get("backup.extra_dir")
        if extra:
            folders.append(Path(extra))
        out = []
        for folder in folders:
            found = list_backups(folder) if folder.is_dir() else []
            out.append(BackupItem(str(folder), found[0].taken_at if found else None, len(found)))
        return tuple(out)

    # -- users that travel with the handover package ----------------------------------------------------------------
    def users(self) -> list[dict]:
        """The old team's users (no password hashes, no keys): carried as inactive users by the package."""
        self.require_admin()
        with self.read() as s:
            rows = hoq.live_users(s)
            return [{"id": u.id, "username": u.username, "display_name": u.display_name, "role": u.role,
                     "cadre_id": u.cadre_id} for u in rows]

    # -- the handed-over mark ---------------------------------------------------------------------------------------
    def state(self) -> dict | None:
        return handover_state(self.db)

    def mark_handed_over(self, to_whom: str = "", package: str = "") -> Outcome[dict]:
        """Mark this data folder handed over: from now on every service refuses writes (services/base.py)."""
        self.require_admin()
        self.require_write()  # refuses when already handed over
        state = {"on": self.today().isoformat(), "by": self.actor.name}
        with self.write() as s:
            row = hoq.setting_row(s, HANDOVER_KEY)
            if row is None:
                row = SettingValue(key=HANDOVER_KEY, value="")
                s.add(row)
            row.value = json.dumps(state, ensure_ascii=False)
            row.deleted_at = None
            audit.record(s, "handover", "setting", row.id,
                         detail=f"交接：数据已移交{('给' + to_whom) if to_whom else ''}，本机数据改为只读"
                                f"{('（交接包：' + package + '）') if package else ''}")
        set_handover_state(self.db, state)
        return Outcome(state, Changes.of_session(s))

    def reopen(self, reason: str) -> Outcome[None]:
        """Administrator: writable again after a handover (audited with the reason)."""
        self.require_admin()
        reason = (reason or "").strip()
        if not reason:
            from fupin_desktop.domain.errors import ValidationError

            raise ValidationError("reason", "请写明重新开放的原因")
        with self.db.unit_of_work(self.actor) as s:  # not self.write(): that refuses on a handed-over folder
            row = hoq.setting_row(s, HANDOVER_KEY)
            if row is not None and row.deleted_at is None:
                row.deleted_at = utcnow()
                audit.record(s, "handover_reopen", "setting", row.id, detail=f"交接后重新开放：{reason}")
        set_handover_state(self.db, None)
        return Outcome(None, Changes.of_session(s))

    # -- the successor's side ----------------------------------------------------------------------------------------
    def receive(self, users: Sequence[Mapping], pairing_ids: Sequence[str], source: str = "") -> Outcome[dict]:
        """After the package's 同步包 was merged: the old team's users as inactive accounts without a password
        (a new administrator can give one a password to re-enable it), the leaving team's pairings marked."""
        self.require_admin()
        refuse_if_handed_over(self.db)
        added = marked = 0
        with self.write() as s:
            taken = hoq.usernames(s)
            for u in users:
                name = str(u["username"])
                if name in taken:
                    name = f"{name}（原）"
                    if name in taken:
                        continue
                taken.add(name)
                s.add(User(username=name, display_name=str(u.get("display_name") or name),
                           role=str(u.get("role") or "member"), cadre_id=None, password_hash=None,
                           active=False))
                added += 1
            for pid in pairing_ids:
                p = s.get(Pairing, pid)
                if p is not None and p.deleted_at is None and p.end_date is None and REASSIGN_NOTE not in (
                        p.note or ""):
                    p.note = f"{p.note}；{REASSIGN_NOTE}" if p.note else REASSIGN_NOTE
                    marked += 1
            audit.record(s, "handover_receive", None, None,
                         detail=f"接收交接：{source}；原工作队账号 {added} 个（已停用），"
                                f"待重新安排的结对 {marked} 个")
        return Outcome({"users": added, "pairings": marked}, Changes.of_session(s))
