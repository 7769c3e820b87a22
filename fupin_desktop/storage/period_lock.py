"""结账, enforced in one place: every ORM flush that adds, edits or deletes a record dated inside a closed period
(``period_close`` rows not reopened) is refused with :class:`PeriodClosedError`, whichever service wrote it.

The records that belong to a period, and the date that places them there, are declared once in :data:`DATED`;
their child rows (a visit's cadres, a donation's items…) follow their parent in :data:`CHILDREN`. Household and
member data are not period records and stay editable. The 同步包 merge writes through Core, not the ORM: it does not
pass here (an edit arriving into a closed period is the merge's business).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from fupin_desktop.domain.errors import PeriodClosedError
from fupin_desktop.storage import models as m


@dataclass(frozen=True)
class Dated:
    column: str  # the date that places the record in a period
    what: str  # what the message calls it
    # when the row has no village_id: the (parent model, foreign key) steps to a row that has one
    village_via: tuple[tuple[type, str], ...] = ()


DATED: dict[type, Dated] = {
    m.Visit: Dated("visit_date", "走访记录", ((m.Household, "household_id"),)),
    m.DiaryEntry: Dated("entry_date", "民情日记"),
    m.WorkLog: Dated("log_date", "工作日志"),
    m.Attendance: Dated("day", "考勤", ((m.Cadre, "cadre_id"),)),
    m.Donation: Dated("received_on", "捐赠"),
    m.Distribution: Dated("distributed_on", "发放记录", ((m.Donation, "donation_id"),)),
    m.Purchase: Dated("purchase_date", "消费帮扶"),
    m.MonitoringStep: Dated("step_date", "监测记录", ((m.Household, "household_id"),)),
    m.FundingReceipt: Dated("received_on", "项目资金到位",
                            ((m.FundingLine, "funding_line_id"), (m.Project, "project_id"))),
    m.Suggestion: Dated("made_on", "意见建议"),
}
# Child rows written with their parent: (parent model, foreign key to it).
CHILDREN: dict[type, tuple[type, str]] = {
    m.VisitCadre: (m.Visit, "visit_id"),
    m.VisitPurpose: (m.Visit, "visit_id"),
    m.VisitCheck: (m.Visit, "visit_id"),
    m.DiaryHousehold: (m.DiaryEntry, "diary_id"),
    m.DonationItem: (m.Donation, "donation_id"),
    m.PurchaseHousehold: (m.Purchase, "purchase_id"),
}
KIND_NAMES = {"month": "月", "quarter": "季度", "half": "半年", "year": "年"}


def period_label(kind: str, year: int, number: int) -> str:
    """2024年上半年, 2024年第二季度, 2024年3月, 2024年 (the labels of services.reporting.Period)."""
    if kind == "half":
        return f"{year}年{'上' if number == 1 else '下'}半年"
    if kind == "quarter":
        return f"{year}年第{'一二三四'[number - 1]}季度"
    if kind == "month":
        return f"{year}年{number}月"
    return f"{year}年"


def local_day(at: datetime) -> date:
    """The local calendar day of a stored (naive UTC) time."""
    return at.replace(tzinfo=timezone.utc).astimezone().date()


def refusal(close: m.PeriodClose) -> str:
    return (f"{period_label(close.kind, close.year, close.number)}已于{local_day(close.closed_at):%Y-%m-%d}"
            f"由{close.closed_by}结账，不能修改该期间的记录；如需修改请管理员先反结账")


def _old(obj, key: str):
    hist = inspect(obj).attrs[key].history
    return hist.deleted[0] if hist.deleted else None


def _placed(session: Session, obj, parent_old: bool = False) -> list[tuple[date, str | None, str]]:
    """(date, village, what) of a dated record: its date now and, when edited, before."""
    cls = type(obj)
    if cls in CHILDREN:
        parent_cls, fk = CHILDREN[cls]
        parent_id = getattr(obj, fk)
        parent = session.get(parent_cls, parent_id) if parent_id else None
        return _placed(session, parent) if parent is not None else []
    spec = DATED[cls]
    when = [getattr(obj, spec.column)]
    if obj in session.dirty:
        when.append(_old(obj, spec.column))
    return [(d, village_of(session, obj), spec.what) for d in when if isinstance(d, date)]


def village_of(session: Session, obj) -> str | None:
    """The village of a dated record: its own village_id or, following DATED's steps, its parent's."""
    village = getattr(obj, "village_id", None)
    for parent_cls, fk in DATED[type(obj)].village_via if village is None else ():
        parent_id = getattr(obj, fk)
        obj = session.get(parent_cls, parent_id) if parent_id else None
        if obj is None:
            return None
        village = getattr(obj, "village_id", None)
    return village


def closures(session: Session, include_reopened: bool = False) -> list[m.PeriodClose]:
    """The closures in force (``include_reopened``: also those reopened since), newest period first."""
    q = select(m.PeriodClose).where(m.PeriodClose.deleted_at.is_(None))
    if not include_reopened:
        q = q.where(m.PeriodClose.reopened_at.is_(None))
    return list(session.execute(q.order_by(m.PeriodClose.start_date.desc(), m.PeriodClose.end_date)).scalars())


def closure_of(session: Session, kind: str, year: int, number: int) -> m.PeriodClose | None:
    """The row of one period (closed or reopened), if it was ever closed."""
    return session.execute(select(m.PeriodClose).where(
        m.PeriodClose.deleted_at.is_(None), m.PeriodClose.kind == kind, m.PeriodClose.year == year,
        m.PeriodClose.number == number).order_by(m.PeriodClose.created_at)).scalars().first()


def covering(closures, day: date, village: str | None):
    for c in closures:
        if c.start_date <= day <= c.end_date and (village is None or c.village_id in (None, village)):
            return c
    return None


@event.listens_for(Session, "before_flush")
def _refuse_writes_in_closed_periods(session: Session, _ctx, _instances) -> None:
    touched = [o for o in (*session.new, *session.deleted) if type(o) in DATED or type(o) in CHILDREN]
    touched += [o for o in session.dirty if (type(o) in DATED or type(o) in CHILDREN)
                and session.is_modified(o, include_collections=False)]
    if not touched:
        return
    with session.no_autoflush:
        closed = closures(session)
        if not closed:
            return
        for obj in touched:
            for day, village, _what in _placed(session, obj):
                close = covering(closed, day, village)
                if close is not None:
                    raise PeriodClosedError(refusal(close))
