"""防返贫监测: the dated lifecycle of a monitored household (domain.md §2.2), the checks before its risk is
eliminated, the year's figures and the 监测户花名册.

A household goes through two rounds of steps (codes.monitoring_stage)::

    识别: 风险线索 → 申请/承诺 → 入户核查 → 村民主评议 → 村内公示 → 乡镇审核 → 县级审定 → 纳入监测
    帮扶: 帮扶 (as often as needed)
    消除: 入户核查 → 村民主评议 → 村内公示 → 乡镇审核 → 县级审定 → 风险消除

after which a new 风险线索 may start another cycle. Steps may be recorded late (any past date) but only in this
order and with dates that never go backwards; 村内公示 lasts at least 5 days before 乡镇审核. Each step names who
did it (``actor``) and when.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from fupin_desktop.domain import codes
from fupin_desktop.domain.dates import add_months, format_cn_date, year_range
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.fields import MAX_RISK_TYPES, risk_type_codes
from fupin_desktop.domain.income import IncomeFigures
from fupin_desktop.domain.money import format_yuan
from fupin_desktop.domain.rules import HouseholdFacts, MemberFacts, has_labour
from fupin_desktop.services.monitoring_figures import Cycle, WayFigure, YearFigures, cycles, period_figures
from fupin_desktop.services.base import Changes, Outcome, Service, copy_to, require_code, require_text
from fupin_desktop.storage.models import (
    Cadre, Household, MonitoringLine, MonitoringStep, Problem, Visit, VisitCadre,
)
from fupin_desktop.storage.queries import common
from fupin_desktop.storage.queries import households as hq
from fupin_desktop.storage.queries import monitoring as mq
from fupin_desktop.storage.queries.monitoring import MonitoredQuery

__all__ = [
    "MonitoringService", "StepInput", "StepDTO", "MonitoringStatus", "MonitoredRow", "RosterRow",
    "EarlierRecord", "EliminationCheck", "EliminationReview", "YearFigures", "WayFigure", "MonitoredQuery",
    "IDENTIFY_ROUND", "ELIMINATE_ROUND", "PUBLICITY_DAYS", "MAX_RISK_TYPES", "GUARANTEE_ITEMS",
]

IDENTIFY_ROUND = ("clue", "application", "verification", "village_review", "publicity", "township_review",
                  "county_approval", "identified")
ELIMINATE_ROUND = ("verification", "village_review", "publicity", "township_review", "county_approval",
                   "eliminated")
PUBLICITY_DAYS = 5
GUARANTEE_ITEMS = tuple(codes.get("guarantee_item").codes())  # 不愁吃 不愁穿 义务教育 基本医疗 住房安全 饮水安全


def stage_label(stage: str | None) -> str:
    return codes.label("monitoring_stage", stage) if stage else ""


# --- inputs and outputs -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepInput:
    stage: str
    step_date: date
    actor: str  # who did it: a person, 村两委, 乡镇人民政府…
    source: str | None = None  # 风险线索: codes.clue_source
    category: str | None = None  # 纳入监测: codes.monitoring_category
    risk_types: tuple[str, ...] = ()  # 纳入监测: codes.risk_type, 1–5
    elimination_way: str | None = None  # 风险消除: codes.elimination_way
    people: int | None = None  # people covered (default: the household's members)
    note: str | None = None


@dataclass(frozen=True)
class EarlierRecord:
    """A monitoring cycle from before the records, entered as the county system shows it (no steps replayed)."""

    category: str  # codes.monitoring_category
    risk_types: tuple[str, ...]  # codes.risk_type, 1–5
    identified_on: date  # 识别监测时间 (stored as the first of its month)
    eliminated_on: date | None = None  # 消除监测时间 (None: still monitored)
    elimination_way: str | None = None  # codes.elimination_way, with ``eliminated_on``


@dataclass(frozen=True)
class StepDTO:
    id: str
    household_id: str
    stage: str
    step_date: date
    actor: str | None
    source: str | None
    category: str | None
    risk_types: tuple[str, ...]
    elimination_way: str | None
    people: int | None
    note: str | None
    round: str = ""  # "identify" / "assist" / "eliminate"

    @property
    def stage_label(self) -> str:
        return stage_label(self.stage)


@dataclass(frozen=True)
class MonitoringStatus:
    """Where a household stands in the lifecycle and what comes next."""

    household_id: str
    number: str
    head_name: str
    member_count: int
    monitoring_category: str | None
    risk_types: tuple[str, ...]
    identified_on: date | None
    risk_eliminated: bool
    elimination_way: str | None
    eliminated_on: date | None
    stage: str | None  # latest step (None: not in the lifecycle)
    stage_date: date | None
    round: str | None  # "identify" / "assist" / "eliminate" / None
    next_stages: tuple[str, ...]  # allowed next steps, the expected one first
    earliest_next_date: date | None  # no step may be dated before this
    hint: str  # a sentence for the user: what to do next
    steps: tuple[StepDTO, ...] = ()
    from_registry: bool = False  # monitored in the registry without recorded steps

    @property
    def next_stage(self) -> str | None:
        return self.next_stages[0] if self.next_stages else None

    @property
    def monitored(self) -> bool:
        return self.monitoring_category is not None and not self.risk_eliminated


@dataclass(frozen=True)
class MonitoredRow:
    household_id: str
    number: str
    head_name: str
    group_name: str | None
    household_type: str
    member_count: int
    monitoring_category: str | None
    risk_types: tuple[str, ...]
    stage: str | None
    stage_date: date | None
    next_stage: str | None
    identified_on: date | None
    risk_eliminated: bool
    elimination_way: str | None
    eliminated_on: date | None


@dataclass(frozen=True)
class RosterRow:
    """A line of the 监测户花名册 (monitored-household roster) for ledgers and exports."""

    household_id: str
    number: str
    head_name: str
    group_name: str | None
    household_type: str
    people: int
    monitoring_category: str | None
    risk_types: tuple[str, ...]
    clue_on: date | None
    identified_on: date | None  # 识别监测时间 (first of the month)
    stage: str | None
    stage_date: date | None
    risk_eliminated: bool
    elimination_way: str | None
    eliminated_on: date | None


@dataclass(frozen=True)
class EliminationCheck:
    key: str  # income / guarantee_<item> / labour / month
    title: str
    ok: bool
    detail: str
    blocking: bool = True  # False: a warning that does not stop the step


@dataclass(frozen=True)
class EliminationReview:
    household_id: str
    way: str
    on: date
    checks: tuple[EliminationCheck, ...]
    per_capita_income: Decimal | None = None
    income_year: int | None = None
    monitoring_line: Decimal | None = None

    @property
    def can_eliminate(self) -> bool:
        return all(c.ok for c in self.checks if c.blocking)

    @property
    def failures(self) -> tuple[EliminationCheck, ...]:
        return tuple(c for c in self.checks if c.blocking and not c.ok)

    @property
    def warnings(self) -> tuple[EliminationCheck, ...]:
        return tuple(c for c in self.checks if not c.blocking and not c.ok)


# --- the lifecycle as a small state machine ---------------------------------------------------------------------


@dataclass
class _State:
    round: str | None = None  # None / identify / assist / eliminate / done
    index: int = -1  # position inside the round
    last: MonitoringStep | None = None
    publicity_on: date | None = None  # 村内公示 of the current round
    identified_on: date | None = None  # date of the 纳入监测 step of the current cycle


def _replay(steps: list[MonitoringStep], start: _State | None = None) -> tuple[_State, list[str]]:
    """Walk the steps in order; returns the final state and the round of each step."""
    st = start or _State()
    rounds = []
    for s in steps:
        st = _advance(st, s.stage, s.step_date)
        st.last = s
        rounds.append(st.round if st.round != "done" else "eliminate")
    return st, rounds


def _advance(st: _State, stage: str, when: date) -> _State:
    new = _State(st.round, st.index, st.last, st.publicity_on, st.identified_on)
    if stage == "clue" and st.round in (None, "done"):
        new.round, new.index, new.publicity_on, new.identified_on = "identify", 0, None, None
    elif st.round == "identify" and stage in IDENTIFY_ROUND and IDENTIFY_ROUND.index(stage) == st.index + 1:
        if stage == "identified":
            new.round, new.index, new.identified_on, new.publicity_on = "assist", 0, when, None
        else:
            new.index = st.index + 1
    elif st.round == "assist" and stage == "assisting":
        new.index = st.index + 1
    elif st.round == "assist" and stage == ELIMINATE_ROUND[0]:
        new.round, new.index = "eliminate", 0
    elif st.round == "eliminate" and stage in ELIMINATE_ROUND and ELIMINATE_ROUND.index(stage) == st.index + 1:
        new.index = st.index + 1
        if stage == "eliminated":
            new.round = "done"
    else:
        return new  # out of order: callers check with _allowed first (imported data is replayed leniently)
    if stage == "publicity":
        new.publicity_on = when
    return new


def _allowed(st: _State) -> tuple[str, ...]:
    """Allowed next stages, the expected one first."""
    if st.round in (None, "done"):
        return ("clue",)
    if st.round == "identify":
        return (IDENTIFY_ROUND[st.index + 1],)
    if st.round == "assist":
        return ("assisting", ELIMINATE_ROUND[0]) if st.index == 0 else (ELIMINATE_ROUND[0], "assisting")
    return (ELIMINATE_ROUND[st.index + 1],)


def _order_position(st: _State) -> int:
    """Position of the state on the whole path (to tell "earlier" from "skipping ahead" in messages)."""
    if st.round == "identify":
        return st.index
    if st.round == "assist":
        return len(IDENTIFY_ROUND)
    if st.round == "eliminate":
        return len(IDENTIFY_ROUND) + 1 + st.index
    return -1


def _passed(st: _State) -> set[str]:
    """Stages already passed in the current cycle."""
    if st.round == "identify":
        return set(IDENTIFY_ROUND[:st.index + 1])
    if st.round == "assist":
        return set(IDENTIFY_ROUND) | ({"assisting"} if st.index else set())
    if st.round == "eliminate":
        return set(IDENTIFY_ROUND) | {"assisting"} | set(ELIMINATE_ROUND[:st.index + 1])
    if st.round == "done":
        return set(IDENTIFY_ROUND) | {"assisting"} | set(ELIMINATE_ROUND)
    return set()


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(x for x in (text or "").split(",") if x)


def step_dto(row: MonitoringStep, round_: str = "") -> StepDTO:
    return copy_to(StepDTO, row, risk_types=_split(row.risk_types), round=round_)


def next_stage_of(stage: str | None, category: str | None, eliminated: bool) -> str | None:
    """The expected next step from a household's columns alone (for long lists; :meth:`status` replays)."""
    if stage is None:
        return "assisting" if category and not eliminated else "clue"
    if stage == "eliminated":
        return "clue"
    if stage == "identified":
        return "assisting"
    if stage == "assisting":
        return ELIMINATE_ROUND[0]
    in_elimination = category is not None and not eliminated and stage in ELIMINATE_ROUND
    if in_elimination:
        return ELIMINATE_ROUND[ELIMINATE_ROUND.index(stage) + 1]
    return IDENTIFY_ROUND[IDENTIFY_ROUND.index(stage) + 1] if stage in IDENTIFY_ROUND[:-1] else None


def _facts(h: Household, members) -> HouseholdFacts:
    return HouseholdFacts(
        id=h.id, number=h.number, head_name=h.head_name,
        members=tuple(MemberFacts(id=m.id, name=m.name, labour_skill=m.labour_skill) for m in members),
        risk_types=_split(h.risk_types), monitoring_category=h.monitoring_category,
        risk_eliminated=h.risk_eliminated, elimination_way=h.elimination_way, identified_on=h.identified_on)


# --- the service ------------------------------------------------------------------------------------------------


class MonitoringService(Service):
    # -- reading -----------------------------------------------------------------------------------------------------
    def status(self, household_id: str) -> MonitoringStatus:
        with self.read() as s:
            h = self.get_live(s, Household, household_id, "农户")
            return self._status(s, h)

    def steps(self, household_id: str) -> list[StepDTO]:
        return list(self.status(household_id).steps)

    def _state(self, s, h: Household) -> tuple[_State, list[MonitoringStep], list[str], bool]:
        """Replay the household's steps. A household marked as monitored in the registry (import, hand entry)
        whose steps do not start with a 风险线索 starts at 纳入监测 (``legacy``)."""
        steps = mq.steps_of(s, h.id)
        legacy = bool(h.monitoring_category and h.identified_on and (not steps or steps[0].stage != "clue"))
        start = None
        if legacy:
            done = not steps and h.risk_eliminated
            start = _State("done" if done else "assist", 0, None, None, h.identified_on)
        st, rounds = _replay(steps, start)
        return st, steps, rounds, legacy

    def _status(self, s, h: Household) -> MonitoringStatus:
        st, steps, rounds, legacy = self._state(s, h)
        last = st.last
        stage = last.stage if last else ("identified" if legacy and not h.risk_eliminated
                                         else "eliminated" if legacy else None)
        stage_date = last.step_date if last else (h.eliminated_on or h.identified_on if legacy else None)
        allowed = _allowed(st)
        earliest = stage_date
        hint = self._hint(st, allowed, stage_date)
        return MonitoringStatus(
            household_id=h.id, number=h.number, head_name=h.head_name, member_count=h.member_count,
            monitoring_category=h.monitoring_category, risk_types=_split(h.risk_types),
            identified_on=h.identified_on, risk_eliminated=h.risk_eliminated, elimination_way=h.elimination_way,
            eliminated_on=h.eliminated_on, stage=stage, stage_date=stage_date,
            round=st.round if st.round != "done" else ("eliminate" if stage else None),
            next_stages=allowed, earliest_next_date=earliest, hint=hint,
            steps=tuple(step_dto(row, r) for row, r in zip(steps, rounds)), from_registry=legacy)

    @staticmethod
    def _hint(st: _State, allowed: tuple[str, ...], last_date: date | None) -> str:
        nxt = stage_label(allowed[0])
        if st.round is None:
            return "尚未进入监测程序。发现返贫致贫风险时，登记“风险线索”。"
        if st.round == "done":
            return "风险已消除。如再次出现风险，可重新登记“风险线索”。"
        if allowed[0] == "township_review" and st.publicity_on:
            ready = st.publicity_on + timedelta(days=PUBLICITY_DAYS)
            return f"下一步：{nxt}。村内公示须满{PUBLICITY_DAYS}天，最早{format_cn_date(ready)}可以乡镇审核。"
        if st.round == "assist":
            return ("下一步：落实帮扶措施并登记“帮扶”；风险稳定消除后，从“入户核查”开始风险消除程序。")
        if allowed[0] == "eliminated":
            return "下一步：风险消除。登记前会核对收入是否高于监测范围、三保障和饮水安全是否有保障。"
        return f"下一步：{nxt}。"

    def list(self, query: MonitoredQuery = MonitoredQuery()) -> list[MonitoredRow]:
        """Households in the lifecycle (or monitored in the registry), still-open ones first."""
        with self.read() as s:
            rows = mq.monitored_households(s, query)
            dates = mq.last_step_dates(s, [h.id for h in rows])
            return [MonitoredRow(
                household_id=h.id, number=h.number, head_name=h.head_name, group_name=h.group_name,
                household_type=h.household_type, member_count=h.member_count,
                monitoring_category=h.monitoring_category, risk_types=_split(h.risk_types),
                stage=h.monitoring_stage or ("identified" if h.monitoring_category and not h.risk_eliminated
                                             else None),
                stage_date=dates.get(h.id), next_stage=next_stage_of(h.monitoring_stage, h.monitoring_category,
                                                                     h.risk_eliminated),
                identified_on=h.identified_on, risk_eliminated=h.risk_eliminated,
                elimination_way=h.elimination_way, eliminated_on=h.eliminated_on) for h in rows]

    def roster(self, query: MonitoredQuery = MonitoredQuery()) -> list[RosterRow]:
        """监测户花名册: each household in the lifecycle with its stage and dates."""
        with self.read() as s:
            rows = [h for h in mq.monitored_households(s, query)]
            ids = [h.id for h in rows]
            last = mq.last_step_dates(s, ids)
            clue = mq.first_step_dates(s, ids, "clue")
            return [RosterRow(
                household_id=h.id, number=h.number, head_name=h.head_name, group_name=h.group_name,
                household_type=h.household_type, people=h.member_count, monitoring_category=h.monitoring_category,
                risk_types=_split(h.risk_types), clue_on=clue.get(h.id), identified_on=h.identified_on,
                stage=h.monitoring_stage, stage_date=last.get(h.id), risk_eliminated=h.risk_eliminated,
                elimination_way=h.elimination_way, eliminated_on=h.eliminated_on) for h in rows]

    # -- writing -----------------------------------------------------------------------------------------------------
    def record_step(self, household_id: str, data: StepInput) -> Outcome[MonitoringStatus]:
        """Record the next step of a household's lifecycle.

        Raises ValidationError (stage, step_date, actor, source, category, risk_types, elimination_way, people,
        note) and NotFoundError; a 风险消除 step whose checks fail raises ValidationError("elimination", …)."""
        require_code("monitoring_stage", data.stage, "stage", "监测环节")
        actor = require_text(data.actor, "actor", "经办人（谁做的）", 64)
        if data.step_date is None:
            raise ValidationError("step_date", "请填写日期")
        if data.step_date > self.today():
            raise ValidationError("step_date", "日期不能晚于今天")
        if data.people is not None and data.people <= 0:
            raise ValidationError("people", "人数应大于0")
        if data.stage == "clue":
            require_code("clue_source", data.source, "source", "线索来源")
        if data.stage == "identified":
            require_code("monitoring_category", data.category, "category", "监测对象类别")
            risk_type_codes(data.risk_types, required=True)
        if data.stage == "eliminated":
            require_code("elimination_way", data.elimination_way, "elimination_way", "风险消除方式")
        with self.write() as s:
            h = self.get_live(s, Household, household_id, "农户")
            st, steps, _, legacy = self._state(s, h)
            self._check_order(st, data, legacy, h)
            if data.stage == "eliminated":
                review = self._review(s, h, st, data.elimination_way, data.step_date, data.note)
                if not review.can_eliminate:
                    raise ValidationError("elimination", "不能登记风险消除：" + "；".join(
                        f"{c.title}：{c.detail}" for c in review.failures))
            row = MonitoringStep(
                household_id=h.id, stage=data.stage, step_date=data.step_date, actor=actor,
                source=data.source if data.stage == "clue" else None,
                category=data.category if data.stage == "identified" else None,
                risk_types=",".join(dict.fromkeys(data.risk_types)) if data.stage == "identified" else None,
                elimination_way=data.elimination_way if data.stage == "eliminated" else None,
                people=data.people or h.member_count or None, note=(data.note or "").strip() or None)
            s.add(row)
            s.flush()
            self._sync(s, h)
            status = self._status(s, h)
        return Outcome(status, Changes.of_session(s))

    def record_earlier(self, household_id: str, data: EarlierRecord) -> Outcome[MonitoringStatus]:
        """Enter a household identified (and possibly eliminated) before the team kept records, in one go: its
        category, risks, 识别监测时间 and, when its risk is already eliminated, the day and way. The elimination
        checks are not run (the county approved it then). Only for a household without recorded steps; a new risk
        afterwards starts a new cycle with a 风险线索.

        Raises ValidationError (category, risk_types, identified_on, eliminated_on, elimination_way, stage) and
        NotFoundError."""
        require_code("monitoring_category", data.category, "category", "监测对象类别")
        risk_type_codes(data.risk_types, required=True)
        if data.identified_on is None:
            raise ValidationError("identified_on", "请填写识别监测时间")
        if data.identified_on > self.today():
            raise ValidationError("identified_on", "识别监测时间不能晚于今天")
        if data.eliminated_on is not None:
            require_code("elimination_way", data.elimination_way, "elimination_way", "风险消除方式")
            if data.eliminated_on > self.today():
                raise ValidationError("eliminated_on", "风险消除日期不能晚于今天")
            if data.eliminated_on < data.identified_on.replace(day=1):
                raise ValidationError("eliminated_on", "风险消除日期不能早于识别监测时间")
        elif data.elimination_way:
            raise ValidationError("eliminated_on", "已选择风险消除方式，请填写风险消除日期")
        with self.write() as s:
            h = self.get_live(s, Household, household_id, "农户")
            if mq.steps_of(s, h.id):
                raise ValidationError("stage", "这一户已有登记的监测环节，请按环节继续登记（或撤销已登记的环节）")
            h.monitoring_category = data.category
            h.risk_types = ",".join(dict.fromkeys(data.risk_types))
            h.identified_on = data.identified_on.replace(day=1)
            done = data.eliminated_on is not None
            h.risk_eliminated = done
            h.elimination_way = data.elimination_way if done else None
            h.eliminated_on = data.eliminated_on
            h.monitoring_stage = None
            s.flush()
            status = self._status(s, h)
        return Outcome(status, Changes.of_session(s))

    @staticmethod
    def _check_order(st: _State, data: StepInput, legacy: bool, h: Household) -> None:
        allowed = _allowed(st)
        last_date = st.last.step_date if st.last else (
            (h.eliminated_on if h.risk_eliminated else h.identified_on) if legacy else None)
        if data.stage not in allowed:
            expected = "或".join(f"“{stage_label(a)}”" for a in allowed)
            current = stage_label(st.last.stage) if st.last else ("纳入监测" if legacy else "")
            if current and data.stage in _passed(st):
                raise ValidationError("stage", f"当前环节是“{current}”，“{stage_label(data.stage)}”不能登记在它之后；"
                                               f"下一步应是{expected}")
            raise ValidationError("stage", f"下一步应是{expected}，不能登记“{stage_label(data.stage)}”"
                                           + ("（不能跳过环节）" if _order_position(st) >= 0 else ""))
        if last_date and data.step_date < last_date:
            raise ValidationError("step_date", f"日期不能早于上一环节的日期（{format_cn_date(last_date)}）")
        if data.stage == "township_review" and st.publicity_on:
            ready = st.publicity_on + timedelta(days=PUBLICITY_DAYS)
            if data.step_date < ready:
                raise ValidationError("step_date", f"村内公示从{format_cn_date(st.publicity_on)}开始，须满"
                                                   f"{PUBLICITY_DAYS}天，乡镇审核最早在{format_cn_date(ready)}")

    def _sync(self, s, h: Household) -> None:
        """Household columns follow the steps: stage, category, 识别监测时间, risk types, elimination."""
        steps = mq.steps_of(s, h.id)
        if not steps:
            return
        h.monitoring_stage = steps[-1].stage
        legacy = bool(h.monitoring_category and h.identified_on and steps[0].stage != "clue")
        st = _State("assist", 0, None, None, h.identified_on) if legacy else _State()
        for step in steps:
            st = _advance(st, step.stage, step.step_date)
            if step.stage == "identified" and st.round == "assist" and st.index == 0:
                h.monitoring_category = step.category
                h.identified_on = step.step_date.replace(day=1)
                h.risk_types = step.risk_types or ""
                h.risk_eliminated, h.elimination_way, h.eliminated_on = False, None, None
            elif step.stage == "eliminated" and st.round == "done":
                h.risk_eliminated, h.elimination_way, h.eliminated_on = True, step.elimination_way, step.step_date

    def delete_last_step(self, household_id: str) -> Outcome[MonitoringStatus]:
        """Undo the latest step (a mistake just entered). The household's columns follow the remaining steps."""
        with self.write() as s:
            h = self.get_live(s, Household, household_id, "农户")
            steps = mq.steps_of(s, h.id)
            if not steps:
                raise ValidationError("stage", "这一户没有可撤销的监测环节")
            last = steps[-1]
            self.soft_delete(last)
            s.flush()
            remaining = steps[:-1]
            if last.stage == "identified":
                h.monitoring_category, h.identified_on, h.risk_types = None, None, ""
            if last.stage == "eliminated":
                h.risk_eliminated, h.elimination_way, h.eliminated_on = False, None, None
            h.monitoring_stage = remaining[-1].stage if remaining else None
            self._sync(s, h)
            status = self._status(s, h)
        return Outcome(status, Changes.of_session(s))

    # -- elimination -------------------------------------------------------------------------------------------------
    def review_elimination(self, household_id: str, way: str, on: date | None = None,
                           note: str | None = None) -> EliminationReview:
        """The checks of domain.md §2.2 for marking the household's risk eliminated on ``on`` (shown before)."""
        require_code("elimination_way", way, "elimination_way", "风险消除方式")
        with self.read() as s:
            h = self.get_live(s, Household, household_id, "农户")
            st, *_ = self._state(s, h)
            return self._review(s, h, st, way, on or self.today(), note)

    def _review(self, s, h: Household, st: _State, way: str, on: date, note: str | None) -> EliminationReview:
        checks: list[EliminationCheck] = []
        members = hq.live_members(s, h.id)
        # 1. income of the year at or above the year's monitoring line
        line_row = common.find_live(s, MonitoringLine, year=on.year, area="")
        income = mq.income_of(s, h.id, on.year)
        per_capita = None
        if income is not None:
            figures = IncomeFigures(income.wages, income.business, income.property_income, income.transfer,
                                    income.production_cost)
            per_capita = figures.per_capita(income.size or len(members))
        if line_row is None:
            checks.append(EliminationCheck("income", "收入高于监测范围", False,
                                           f"没有设置{on.year}年的监测范围（在“监测范围”中添加）"))
        elif income is None:
            checks.append(EliminationCheck("income", "收入高于监测范围", False,
                                           f"没有{on.year}年及以前的收入数据，无法核对"))
        else:
            year_note = "" if income.year == on.year else f"（{on.year}年尚无收入数据，按{income.year}年）"
            ok = per_capita >= line_row.amount
            checks.append(EliminationCheck(
                "income", "收入高于监测范围", ok,
                f"人均纯收入{format_yuan(per_capita)}元{'≥' if ok else '<'}{on.year}年监测范围"
                f"{format_yuan(line_row.amount)}元{year_note}"))
        # 2. 两不愁三保障 and drinking water: the latest check of every item is secure
        latest = mq.latest_checks(s, h.id, on)
        for item in GUARANTEE_ITEMS:
            title = codes.label("guarantee_item", item)
            if item not in latest:
                checks.append(EliminationCheck(f"guarantee_{item}", title, False, "走访中没有核查记录"))
                continue
            check, when = latest[item]
            if check.secure:
                checks.append(EliminationCheck(f"guarantee_{item}", title, True,
                                               f"{format_cn_date(when)}走访核查有保障"))
            else:
                checks.append(EliminationCheck(f"guarantee_{item}", title, False,
                                               f"{format_cn_date(when)}走访核查未保障" +
                                               (f"：{check.note}" if check.note else "")))
        # 3. households without labour stay 未消除 unless the risk went away by itself and that is explained
        if has_labour(_facts(h, members)):
            checks.append(EliminationCheck("labour", "劳动能力", True, "家中有劳动力"))
        elif way == "assisted":
            checks.append(EliminationCheck("labour", "劳动能力", False,
                                           "家中无劳动力，落实兜底保障后仍应标注为风险未消除；确属风险自然消除的，"
                                           "请选择“自然消除”并写明理由"))
        elif not (note or "").strip():
            checks.append(EliminationCheck("labour", "劳动能力", False, "家中无劳动力，自然消除须在备注中写明理由"))
        else:
            checks.append(EliminationCheck("labour", "劳动能力", True, "家中无劳动力，已写明自然消除理由"))
        # 4. 帮扶消除 in the month of identification or the month after is flagged (a warning)
        identified = st.identified_on or h.identified_on
        if way == "assisted" and identified:
            first = identified.replace(day=1)
            too_soon = on < add_months(first, 2)
            checks.append(EliminationCheck(
                "month", "消除时间", not too_soon,
                (f"{identified.year}年{identified.month}月纳入监测，当月或次月即帮扶消除，请核实"
                 if too_soon else f"{identified.year}年{identified.month}月纳入监测"), blocking=False))
        return EliminationReview(h.id, way, on, tuple(checks), per_capita, income.year if income else None,
                                 line_row.amount if line_row else None)

    # -- visits: a "not secure" check raises a problem and a risk clue ------------------------------------------------
    def raise_from_checks(self, visit_id: str) -> Outcome[int]:
        """Public form of :meth:`raise_from_checks_in` (its own transaction); returns the problems raised."""
        with self.write() as s:
            n = self.raise_from_checks_in(s, visit_id)
        return Outcome(n, Changes.of_session(s))

    def raise_from_checks_in(self, s, visit_id: str) -> int:
        """Inside the visit's transaction: each check marked not secure raises a problem, and the household gets a
        风险线索 (source 干部走访排查) unless it is already in a monitoring cycle. Returns the problems raised."""
        from fupin_desktop.services.problems import ProblemInput, ProblemService

        visit = s.get(Visit, visit_id)
        bad = mq.insecure_checks(s, visit_id)
        if visit is None or not bad:
            return 0
        h = s.get(Household, visit.household_id)
        cadres = common.all_live(s, VisitCadre, visit_id=visit_id)
        responsible = cadres[0].cadre_id if cadres else None
        problems = ProblemService(self.ctx)
        due_days = problems.default_due_days()
        labels = []
        written = [p.description for p in common.all_live(s, Problem, visit_id=visit_id)]
        raised = 0
        for c in bad:
            label = codes.label("guarantee_item", c.item)
            labels.append(label)
            note = (c.note or "").strip()
            if any(label in d or (note and note in d) for d in written):
                continue  # the cadre already wrote this problem down on the visit
            raised += 1
            problems.add_row(s, ProblemInput(
                description=f"走访核查{label}没有保障" + (f"：{c.note}" if c.note else ""),
                household_id=h.id, responsible_id=responsible, raised_on=visit.visit_date,
                category="两不愁三保障", source="visit"), visit_id=visit_id, default_due_days=due_days)
        st, steps, _, legacy = self._state(s, h)
        last_date = steps[-1].step_date if steps else None
        if st.round in (None, "done") and not legacy and (last_date is None or visit.visit_date >= last_date):
            names = [s.get(Cadre, c.cadre_id).name for c in cadres]
            s.add(MonitoringStep(household_id=h.id, stage="clue", step_date=visit.visit_date,
                                 actor="、".join(names)[:64] or "走访干部", source="cadre_visit",
                                 people=h.member_count or None,
                                 note="走访核查发现" + "、".join(labels) + "没有保障"))
            s.flush()
            self._sync(s, h)
        return raised

    # -- figures (services.monitoring_figures) ----------------------------------------------------------------------
    def cycles(self, s, household_ids=None) -> list[Cycle]:
        return cycles(s, household_ids)

    def year_figures(self, year: int, as_of: date | None = None, household_ids=None,
                     village_id: str | None = None) -> YearFigures:
        """Identified in the year, eliminated in the year (by way) and remaining on ``as_of`` (default: the end of
        the year, or today when that is earlier), of every household, of ``household_ids`` or of one village."""
        from fupin_desktop.storage.queries import reporting as rq

        start, end = year_range(year)
        as_of = min(end, as_of or self.today())
        with self.read() as s:
            if village_id and household_ids is None:
                household_ids = rq.household_ids(s, rq.Scope(date.min, date.max, village_id=village_id))
            return period_figures(cycles(s, household_ids), start, as_of, year)
