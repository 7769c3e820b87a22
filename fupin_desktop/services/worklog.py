"""工作日志: meetings and activities of the work team (两委会议, 党员大会, 党课, 培训, 座谈会, 村民代表大会, 入户宣传,
其他) with date, topic, attendees, content and photos; counts by kind for a period."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fupin_desktop.domain import codes
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.services.attachments import AttachmentDTO, AttachmentService
from fupin_desktop.services.base import Changes, Outcome, Service, copy_to, require_code, require_text
from fupin_desktop.storage.models import Attachment, WorkLog
from fupin_desktop.storage.queries import common
from fupin_desktop.storage.queries import records as rq
from fupin_desktop.storage.queries.records import WorkLogQuery

__all__ = ["WorkLogService", "WorkLogInput", "WorkLogDTO", "WorkLogQuery", "KindCount"]

OWNER = "work_log"


@dataclass(frozen=True)
class WorkLogInput:
    kind: str  # codes.worklog_kind
    topic: str
    log_date: date | None = None  # default today
    place: str | None = None
    host: str | None = None  # 主持人
    attendees_count: int | None = None
    attendees: str | None = None
    content: str | None = None
    photos: tuple[str, ...] = ()  # file paths to copy into the data folder (added; existing photos stay)


@dataclass(frozen=True)
class WorkLogDTO:
    id: str
    log_date: date
    kind: str
    topic: str
    place: str | None
    host: str | None
    attendees_count: int | None
    attendees: str | None
    content: str | None
    photo_count: int = 0

    @property
    def kind_label(self) -> str:
        return codes.label("worklog_kind", self.kind)


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    count: int


class WorkLogService(Service):
    def validate(self, data: WorkLogInput) -> None:
        require_code("worklog_kind", data.kind, "kind", "活动类型")
        require_text(data.topic, "topic", "主题", 255)
        when = data.log_date or self.today()
        if when > self.today():
            raise ValidationError("log_date", "日期不能晚于今天")
        if data.attendees_count is not None and not 0 <= data.attendees_count <= 100000:
            raise ValidationError("attendees_count", "参加人数不对")
        for name, title, max_len in (("place", "地点", 128), ("host", "主持人", 64)):
            value = getattr(data, name)
            if value and len(value.strip()) > max_len:
                raise ValidationError(name, f"{title}太长了（最多{max_len}个字）")

    @staticmethod
    def _apply(row: WorkLog, data: WorkLogInput) -> None:
        def clean(v: str | None) -> str | None:
            v = (v or "").strip()
            return v or None

        row.kind = data.kind
        row.topic = data.topic.strip()
        row.place = clean(data.place)
        row.host = clean(data.host)
        row.attendees_count = data.attendees_count
        row.attendees = clean(data.attendees)
        row.content = clean(data.content)

    def create(self, data: WorkLogInput) -> Outcome[WorkLogDTO]:
        """Record a meeting or activity with its photos. Raises ValidationError (kind, topic, log_date,
        attendees_count, photos)."""
        self.validate(data)
        attachments = AttachmentService(self.ctx)
        stored = [attachments.store_file(p) for p in data.photos]
        with self.write() as s:
            row = WorkLog(log_date=data.log_date or self.today())
            self._apply(row, data)
            s.add(row)
            s.flush()
            attachments.add_rows(s, OWNER, row.id, stored)
            s.flush()
        return Outcome(self.get(row.id), Changes.of_session(s))

    def update(self, log_id: str, data: WorkLogInput) -> Outcome[WorkLogDTO]:
        """Edit a record; ``data.photos`` are added to the photos it has. Raises ValidationError, NotFoundError."""
        self.validate(data)
        attachments = AttachmentService(self.ctx)
        stored = [attachments.store_file(p) for p in data.photos]
        with self.write() as s:
            row = self.get_live(s, WorkLog, log_id, "工作日志")
            row.log_date = data.log_date or row.log_date
            self._apply(row, data)
            attachments.add_rows(s, OWNER, row.id, stored)
            s.flush()
        return Outcome(self.get(log_id), Changes.of_session(s))

    def delete(self, log_id: str) -> Outcome[None]:
        with self.write() as s:
            row = self.get_live(s, WorkLog, log_id, "工作日志")
            self.soft_delete(row)
            for a in common.all_live(s, Attachment, owner_type=OWNER, owner_id=log_id):
                self.soft_delete(a)
        return Outcome(None, Changes.of_session(s))

    def get(self, log_id: str) -> WorkLogDTO:
        with self.read() as s:
            row = self.get_live(s, WorkLog, log_id, "工作日志")
            n = common.count_live(s, Attachment, owner_type=OWNER, owner_id=log_id)
            return copy_to(WorkLogDTO, row, photo_count=n)

    def list(self, query: WorkLogQuery = WorkLogQuery(), offset: int = 0, limit: int = 500) -> list[WorkLogDTO]:
        with self.read() as s:
            return [copy_to(WorkLogDTO, r) for r in rq.worklog_rows(s, query, offset, limit)]

    def count(self, query: WorkLogQuery = WorkLogQuery()) -> int:
        with self.read() as s:
            return rq.count_worklogs(s, query)

    def photos(self, log_id: str) -> list[AttachmentDTO]:
        return AttachmentService(self.ctx).of(OWNER, log_id)

    def counts_by_kind(self, start: date, end: date, include_zero: bool = True) -> list[KindCount]:
        """How many meetings/activities of each kind in [start, end], in code-list order."""
        with self.read() as s:
            counts = rq.worklog_counts_by_kind(s, start, end)
        out = [KindCount(i.code, i.label, counts.pop(i.code, 0)) for i in codes.get("worklog_kind").items()]
        out += [KindCount(k, k, n) for k, n in sorted(counts.items())]  # codes no longer in the list: never hide
        return [k for k in out if include_zero or k.count]
