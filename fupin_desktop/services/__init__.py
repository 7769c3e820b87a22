"""Services: one module per area; the :class:`Services` facade is what the UI and the CLI hold.

Each area is created on first use so that starting the program does not import what it does not need. The facade
carries the signed-in user (``actor``): the window and every command-line verb build it after sign-in, and the
services check that user's role (services.base.check_permission) and record the user in the audit trail.
"""
from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # return types for readers and IDEs; the areas themselves are imported on first use
    # (SQLAlchemy too: importing ``services.access`` for the sign-in window must not load it)
    from fupin_desktop.storage.db import Actor, Database
    from fupin_desktop.services.attachments import AttachmentService
    from fupin_desktop.services.attendance import AttendanceService
    from fupin_desktop.services.audit import AuditService
    from fupin_desktop.services.auth import UserService
    from fupin_desktop.services.closing import ClosingService
    from fupin_desktop.services.backups import BackupService
    from fupin_desktop.services.codelists import CodeListService
    from fupin_desktop.services.demo_data import DemoService
    from fupin_desktop.services.diary import DiaryService
    from fupin_desktop.services.donations import DonationService
    from fupin_desktop.services.exchange_data import ExchangeDataService
    from fupin_desktop.services.handover import HandoverService
    from fupin_desktop.services.households import HouseholdService, PairingService
    from fupin_desktop.services.measures import MeasureService
    from fupin_desktop.services.monitoring import MonitoringService
    from fupin_desktop.services.problems import ProblemService
    from fupin_desktop.services.projects import ProjectService
    from fupin_desktop.services.purchases import PurchaseService
    from fupin_desktop.services.registers import RegisterService
    from fupin_desktop.services.reporting import ReportingService
    from fupin_desktop.services.risk import RiskService
    from fupin_desktop.services.search import SearchService
    from fupin_desktop.services.settings import SettingsService
    from fupin_desktop.services.stats import StatsService
    from fupin_desktop.services.summary_sections import SummarySectionsService
    from fupin_desktop.services.suggestions import SuggestionService
    from fupin_desktop.services.sync import SyncService
    from fupin_desktop.services.targets import TargetService
    from fupin_desktop.services.village import CadreService, VillageService
    from fupin_desktop.services.visits import VisitService
    from fupin_desktop.services.worklog import WorkLogService


class Services:
    def __init__(self, db: Database, actor: Actor | None = None, data_dir=None, today=None):
        from fupin_desktop.services.base import ServiceContext
        from fupin_desktop.storage.db import Actor

        self.ctx = ServiceContext(db=db, actor=actor or Actor())
        if data_dir is not None:
            self.ctx.data_dir = data_dir
        if today is not None:
            self.ctx.today = today

    @property
    def db(self) -> Database:
        return self.ctx.db

    @property
    def actor(self) -> Actor:
        return self.ctx.actor

    def set_actor(self, actor: Actor) -> None:
        self.ctx.actor = actor

    def require(self, need: str) -> None:
        """Refuse (PermissionDeniedError) before starting an action the signed-in user may not do; the same
        check the services make when they write (need: base.READ / WRITE / ADMIN)."""
        from fupin_desktop.services.base import check_permission

        check_permission(self.ctx.actor, need)

    @cached_property
    def demo(self) -> DemoService:
        from fupin_desktop.services.demo_data import DemoService
        return DemoService(self.ctx)

    @cached_property
    def village(self) -> VillageService:
        from fupin_desktop.services.village import VillageService
        return VillageService(self.ctx)

    @cached_property
    def cadres(self) -> CadreService:
        from fupin_desktop.services.village import CadreService
        return CadreService(self.ctx)

    @cached_property
    def targets(self) -> TargetService:
        from fupin_desktop.services.targets import TargetService
        return TargetService(self.ctx)

    @cached_property
    def suggestions(self) -> SuggestionService:
        from fupin_desktop.services.suggestions import SuggestionService
        return SuggestionService(self.ctx)

    @cached_property
    def handover(self) -> HandoverService:
        from fupin_desktop.services.handover import HandoverService
        return HandoverService(self.ctx)

    @cached_property
    def households(self) -> HouseholdService:
        from fupin_desktop.services.households import HouseholdService
        return HouseholdService(self.ctx)

    @cached_property
    def pairings(self) -> PairingService:
        from fupin_desktop.services.households import PairingService
        return PairingService(self.ctx)

    @cached_property
    def closing(self) -> ClosingService:
        from fupin_desktop.services.closing import ClosingService
        return ClosingService(self.ctx)

    @cached_property
    def visits(self) -> VisitService:
        from fupin_desktop.services.visits import VisitService
        return VisitService(self.ctx)

    @cached_property
    def problems(self) -> ProblemService:
        from fupin_desktop.services.problems import ProblemService
        return ProblemService(self.ctx)

    @cached_property
    def monitoring(self) -> MonitoringService:
        from fupin_desktop.services.monitoring import MonitoringService
        return MonitoringService(self.ctx)

    @cached_property
    def measures(self) -> MeasureService:
        from fupin_desktop.services.measures import MeasureService
        return MeasureService(self.ctx)

    @cached_property
    def risk(self) -> RiskService:
        from fupin_desktop.services.risk import RiskService
        return RiskService(self.ctx)

    @cached_property
    def attachments(self) -> AttachmentService:
        from fupin_desktop.services.attachments import AttachmentService
        return AttachmentService(self.ctx)

    @cached_property
    def search(self) -> SearchService:
        """The one global search of the top bar (Ctrl+F)."""
        from fupin_desktop.services.search import SearchService
        return SearchService(self.ctx)

    @cached_property
    def settings(self) -> SettingsService:
        from fupin_desktop.services.settings import SettingsService
        return SettingsService(self.ctx)

    @cached_property
    def stats(self) -> StatsService:
        from fupin_desktop.services.stats import StatsService
        return StatsService(self.ctx)

    @cached_property
    def backups(self) -> BackupService:
        from fupin_desktop.services.backups import BackupService
        return BackupService(self.ctx)

    @cached_property
    def sync(self) -> SyncService:
        from fupin_desktop.services.sync import SyncService
        return SyncService(self.ctx)

    @cached_property
    def exchange(self) -> ExchangeDataService:
        from fupin_desktop.services.exchange_data import ExchangeDataService
        return ExchangeDataService(self.ctx)

    @cached_property
    def reporting(self) -> ReportingService:
        from fupin_desktop.services.reporting import ReportingService
        return ReportingService(self.ctx)

    @cached_property
    def registers(self) -> RegisterService:
        from fupin_desktop.services.registers import RegisterService
        return RegisterService(self.ctx)

    @cached_property
    def summary_sections(self) -> SummarySectionsService:
        """The 工作总结's sections the secretary writes (存在的问题, 下一步打算, …)."""
        from fupin_desktop.services.summary_sections import SummarySectionsService
        return SummarySectionsService(self.ctx)

    @cached_property
    def projects(self) -> ProjectService:
        from fupin_desktop.services.projects import ProjectService
        return ProjectService(self.ctx)

    @cached_property
    def donations(self) -> DonationService:
        from fupin_desktop.services.donations import DonationService
        return DonationService(self.ctx)

    @cached_property
    def purchases(self) -> PurchaseService:
        from fupin_desktop.services.purchases import PurchaseService
        return PurchaseService(self.ctx)

    @cached_property
    def diary(self) -> DiaryService:
        from fupin_desktop.services.diary import DiaryService
        return DiaryService(self.ctx)

    @cached_property
    def worklog(self) -> WorkLogService:
        from fupin_desktop.services.worklog import WorkLogService
        return WorkLogService(self.ctx)

    @cached_property
    def attendance(self) -> AttendanceService:
        from fupin_desktop.services.attendance import AttendanceService
        return AttendanceService(self.ctx)

    @cached_property
    def codelists(self) -> CodeListService:
        from fupin_desktop.services.codelists import CodeListService
        return CodeListService(self.ctx)

    @cached_property
    def users(self) -> UserService:
        from fupin_desktop.services.auth import UserService
        return UserService(self.ctx)

    @cached_property
    def audit(self) -> AuditService:
        from fupin_desktop.services.audit import AuditService
        return AuditService(self.ctx)
