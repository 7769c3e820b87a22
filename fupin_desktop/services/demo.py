"""Demo data: one village with a year of a work team's records, realistic enough to show, print and test.

Deterministic: the same ``seed`` and ``year`` give the same village, people, 身份证号 and records (only the UUID
keys and timestamps differ, so that two demo files can still be merged). Every random choice comes from one
``random.Random(seed)``; nothing reads the global generator. Everything is dated within the year up to the
reference date (31 December of ``year``; today when ``year`` is the current year).

The data pass ``services.checks.run_checks``: one 户主 per household, spouses of the other sex, 文化程度 XOR
在校生状况, 务工所在地 iff 务工月数 > 0, exactly one basic medical insurance, labour skills that fit age and
health, development-type help within 6 months for monitored households with labour, incomes above the
monitoring line after 帮扶消除, unique ID numbers.

Rows go in through :func:`fupin_desktop.storage.bulk.bulk_insert` in batches of households, all in ONE
transaction (nothing is left half written if it fails or is interrupted); memory stays flat for 100,000
households because only a batch of rows and a small index per household are held.
"""
from __future__ import annotations

import calendar
import os
import random
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from types import MappingProxyType

from fupin_desktop.domain import codes
from fupin_desktop.domain.dates import add_months
from fupin_desktop.domain.division import DivisionCode
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.idcard import make_id
from fupin_desktop.domain.text import search_keys
from fupin_desktop.storage.bulk import bulk_connection, bulk_insert, record_audit
from fupin_desktop.storage.versions import VILLAGE_DEFAULTED, claim_home_village
from fupin_desktop.storage.models import (
    Attendance,
    Cadre,
    DiaryEntry,
    DiaryHousehold,
    Distribution,
    Donation,
    DonationItem,
    Donor,
    FundingLine,
    FundingReceipt,
    Household,
    HouseholdIncome,
    Measure,
    Member,
    MonitoringLine,
    MonitoringStep,
    Pairing,
    Problem,
    ProblemEvent,
    Project,
    ProjectBeneficiary,
    ProjectEvent,
    Purchase,
    PurchaseHousehold,
    Village,
    VillageProfile,
    Visit,
    VisitCadre,
    VisitCheck,
    VisitPurpose,
    WorkLog,
    CadreTarget,
    Suggestion,
)

__all__ = ["DemoSummary", "generate_demo", "DEFAULT_BATCH", "monitoring_line_for"]

Progress = Callable[[int, int, str], None]
DEFAULT_BATCH = 1000  # households generated and inserted together

# --- the place --------------------------------------------------------------------------------------------------
# 河北省唐山市古冶区大庄坨乡东兴村: province 13, city 02, district 04, 乡 203 (200–399 = 乡), 村委会 213 (200–399).
PROVINCE, CITY, COUNTY, TOWNSHIP, VILLAGE = "河北省", "唐山市", "古冶区", "大庄坨乡", "东兴村"
DIVISION_CODE = "130204203213"
AREA6 = DIVISION_CODE[:6]
DISPATCH_UNIT = "唐山市财政局"
NATURAL_VILLAGES = ("东兴庄", "前街", "后街", "西沟", "小王庄")

# Common surnames with rough weights (national frequency), plus the clans that dominate this village.
_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟"
    "谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤常"
)
_SURNAME_WEIGHTS = [1.0 / (rank + 1) ** 0.9 for rank in range(len(_SURNAMES))]
_CLAN_BOOST = {"郑": 14.0, "王": 3.0, "刘": 3.0, "张": 2.0}
for _i, _s in enumerate(_SURNAMES):
    _SURNAME_WEIGHTS[_i] *= _CLAN_BOOST.get(_s, 1.0)

# Given names by sex and generation: (two-character names, characters for 1-char names and combinations).
_GIVEN = {
    ("male", 0): ("建国 建华 国强 志刚 德明 海军 春生 福林 宝山 金贵 永祥 振华 庆丰 长江 玉山 树林 文学 占国 宝成 "
                  "国庆 凤山 连生 广田 永福 德胜 树森 金山 学文 福贵 占海 俊山 洪亮".split(), "国建明志德海军华平福春林宝金"),
    ("female", 0): ("秀英 桂兰 淑珍 玉兰 凤英 秀兰 桂英 玉珍 淑兰 凤兰 秀珍 桂芝 素芬 翠花 玉梅 春梅 金凤 秀芳 丽华 "
                    "艳华 素珍 玉芝 淑芬 桂荣 秀荣 凤芝 春兰 玉荣".split(), "兰英珍芬梅华荣芝凤霞"),
    ("male", 1): ("海涛 志强 建伟 晓东 立军 永刚 红军 俊杰 海波 宏伟 振宇 建军 立新 卫东 志勇 国栋 金龙 海峰 "
                  "晓明 建新 利民 春雷 大伟 东升 文斌 小龙".split(), "伟磊勇军涛斌超鹏亮刚强杰波辉"),
    ("female", 1): ("丽娜 晓燕 海燕 秀云 春燕 红梅 丽娟 雪梅 丹丹 晓丽 艳红 美玲 玉洁 彩霞 晓静 丽萍 海霞 红艳 "
                    "建英 立芳".split(), "丽艳敏静娟霞燕红芳颖"),
    ("male", 2): ("浩然 子豪 宇轩 博文 梓轩 浩宇 俊熙 一鸣 天佑 思远 明轩 昊天 家乐 子墨 宇航 皓轩 雨泽 "
                  "嘉懿 煜城 泽宇 振轩 锦程".split(), "浩宇轩博睿哲航辰"),
    ("female", 2): ("欣怡 梓涵 诗涵 雨桐 子萱 佳怡 可馨 思琪 梦瑶 雨欣 一诺 语汐 若曦 欣悦 梓萱 紫涵 佳琪 "
                    "雨涵 书瑶 安琪".split(), "萱琪涵妍悦彤"),
}
_PHONE_PREFIXES = ("130 131 132 133 135 136 137 138 139 150 151 152 155 156 157 158 159 177 180 182 183 185 186 "
                   "187 188 189 199").split()
_WORK_PLACES = (
    ("北京市朝阳区", 4), ("北京市大兴区", 3), ("天津市滨海新区", 4), ("河北省唐山市路北区", 6), ("河北省唐山市古冶区", 8),
    ("河北省唐山市曹妃甸区", 4), ("河北省石家庄市", 2), ("河北省秦皇岛市", 2), ("山东省济南市", 1), ("广东省深圳市", 1),
    ("江苏省苏州市", 1),
)
_COMPANIES = ("唐山钢铁集团", "古冶区宏达建筑工程公司", "京东物流园", "曹妃甸港口公司", "天津一汽丰田", "滨海新区电子厂",
              "开滦煤矿", "唐山陶瓷厂", "顺丰速运", "美团外卖", "北京某物业公司", "装修队", "饭店", "建筑工地")
_UNITS = ("古冶区财政局", "古冶区教育局", "古冶区卫生健康局", "古冶区农业农村局", "古冶区人力资源和社会保障局",
          "古冶区住房和城乡建设局", "古冶区水务局", "古冶区市场监督管理局", "古冶区审计局", "大庄坨乡人民政府",
          "唐山市财政局", "古冶区税务局", "古冶区自然资源和规划局")
_POSITIONS = ("科员", "一级科员", "四级主任科员", "三级主任科员", "股长", "副局长", "办公室主任")
_PUBLIC_JOBS = ("村级保洁员", "护林员", "护路员", "水管员", "公共卫生防疫员", "养老服务员")


def monitoring_line_for(year: int) -> Decimal:
    """The demo's 监测范围 per person per year (a plausible Hebei-like line rising 400 元 a year from 6,000 in 2021)."""
    return Decimal(max(4000, 6000 + 400 * (year - 2021)))


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`generate_demo` wrote: rows per table (table name → count)."""

    village_name: str
    division_code: str
    year: int
    seed: int
    households: int
    members: int
    counts: Mapping[str, int] = field(default_factory=dict)

    def __getitem__(self, table: str) -> int:
        return self.counts.get(table, 0)


# --- small helpers ----------------------------------------------------------------------------------------------

# UUID keys must differ between runs (two demo files stay mergeable), so they come from the OS's entropy, not from
# the seed; a generator seeded once is 3× faster than uuid.uuid4() and 2 million keys are made for 100,000 households.
_id_bits = random.Random(os.urandom(32)).getrandbits


def new_id() -> str:
    """A random (version 4) UUID in text form, like ``models.new_id``."""
    h = "%032x" % _id_bits(128)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"



def _money(value: float | int) -> Decimal:
    return Decimal(int(round(value)))


@dataclass
class _Person:
    relation: str
    sex: str
    age: int
    surname: str
    birth: date | None = None
    name: str = ""
    schooling: str | None = None
    education: str | None = None
    disability: tuple[str, str] | None = None
    in_school: bool = False
    health: str = "healthy"
    labour: str = "none"
    migrant: bool = False
    wage: int = 0  # yearly


@dataclass
class _HouseholdIndex:
    """What later sections (projects, donations, diaries …) need to know about a household."""

    id: str
    head: str
    kind: str  # m(onitored) a(lleviated) d(ibao) t(ekun) o(rdinary)
    group: str
    students: int
    size: int


class _Demo:
    """One generation run: the random source, the open connection and what later sections need to know."""

    def __init__(self, conn, households: int, seed: int, year: int, ref: date, progress: Progress | None,
                 batch: int, cancel=None, village: str = VILLAGE, division: str = DIVISION_CODE):
        self.conn = conn
        self.village_name = village
        self.division = division
        self.n = households
        self.rng = random.Random(seed)
        self.seed = seed
        self.year = year
        self.ref = ref
        self.start = date(year, 1, 1)
        self.progress = progress
        self.cancel = cancel
        self.batch = batch
        self.counts: dict[str, int] = defaultdict(int)
        self.index: list[_HouseholdIndex] = []
        self.id_counter: dict[tuple[date, int], int] = defaultdict(int)
        self.pinyin: dict[str, tuple[str, str]] = {}
        self.groups = max(3, min(2500, round(households / 45)))
        self.width = max(4, len(str(households)))
        self.line = {y: monitoring_line_for(y) for y in (year - 1, year)}
        # village-wide sums for the profile
        self.population = 0
        self.party_members = 0
        self.farmland = Decimal("0")
        self.forest = Decimal("0")
        self.net_income = Decimal("0")
        self.income_people = 0
        # helpers (帮扶责任人) filled as households need them
        self.helper: dict | None = None
        self.helper_capacity = 0
        self.pending_cadres: list[dict] = []
        self.statuses: set[str] = set()  # problem statuses used so far

    # -- plumbing ---------------------------------------------------------------------------------------------------
    def insert(self, model, rows: list[dict]) -> None:
        if rows:
            if model.__tablename__ in VILLAGE_DEFAULTED:  # scoped by village: a township holds many
                for row in rows:
                    row.setdefault("village_id", self.village_id)
            bulk_insert(self.conn, model, rows)
            self.counts[model.__tablename__] += len(rows)

    def tick(self, done: int, total: int, text: str) -> None:
        if self.cancel is not None:
            self.cancel.raise_if_cancelled()  # propagates out of the transaction: nothing is kept
        if self.progress:
            self.progress(done, total, text)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, options, weights=None):
        if weights is None:
            return options[self.rng.randrange(len(options))]
        return self.rng.choices(options, weights)[0]

    def day_between(self, a: date, b: date) -> date:
        if b <= a:
            return a
        return a + timedelta(days=self.rng.randint(0, (b - a).days))

    def clamp(self, d: date) -> date:
        return min(d, self.ref)

    def months(self) -> range:
        return range(1, self.ref.month + 1)

    def month_days(self, month: int) -> tuple[date, date]:
        last = date(self.year, month, calendar.monthrange(self.year, month)[1])
        return date(self.year, month, 1), min(last, self.ref)

    def phone(self) -> str:
        return self.pick(_PHONE_PREFIXES) + f"{self.rng.randrange(10 ** 8):08d}"

    def keys(self, name: str) -> tuple[str, str]:
        cached = self.pinyin.get(name)
        if cached is None:
            cached = self.pinyin[name] = search_keys(name)
        return cached

    def surname(self) -> str:
        return self.rng.choices(_SURNAMES, _SURNAME_WEIGHTS)[0]

    def given(self, sex: str, birth_year: int) -> str:
        generation = 0 if birth_year < 1972 else 1 if birth_year < 1995 else 2
        pairs, chars = _GIVEN[(sex, generation)]
        r = self.rng.random()
        if r < 0.14:
            return self.pick(chars)
        if r < 0.62:
            return self.pick(pairs)
        return self.pick(chars) + self.pick(pairs)[1]

    def id_number(self, birth: date, sex: str) -> str:
        odd = 1 if sex == "male" else 0
        k = self.id_counter[(birth, odd)]
        self.id_counter[(birth, odd)] = k + 1
        # A per-day starting point that looks random, then every other number: odd for men, even for women.
        base = (birth.toordinal() * 37) % 200 * 2
        return make_id(self.division[:6], birth, base + odd + 2 * k)

    def birth_for_age(self, age: int) -> date:
        y = self.year - age
        first = date(y, 1, 1)
        last = min(date(y, 12, 31), self.ref)
        return self.day_between(first, last)

    # -- team, village ----------------------------------------------------------------------------------------------
    def cadre_row(self, role: str, in_team: bool, unit: str, position: str, start: date) -> dict:
        sex = "male" if self.chance(0.7 if role != "helper" else 0.6) else "female"
        age = self.rng.randint(26, 55)
        name = self.surname() + self.given(sex, self.year - age)
        return {
            "id": new_id(), "village_id": self.village_id, "name": name, "sex": sex, "phone": self.phone(),
            "unit": unit, "position": position, "role": role, "start_date": start, "end_date": None,
            "in_team": in_team,
        }

    def make_village(self) -> None:
        self.village_id = new_id()
        self.insert(Village, [{
            "id": self.village_id, "name": self.village_name, "division_code": self.division, "division_year": self.year,
            "province": PROVINCE, "city": CITY, "county": COUNTY, "township": TOWNSHIP,
            "dispatch_unit": DISPATCH_UNIT, "address": f"{PROVINCE}{CITY}{COUNTY}{TOWNSHIP}{self.village_name}",
            "note": "演示数据：由“生成演示数据”自动生成，人名、身份证号等均为虚构。",
        }])
        team_start = date(self.year - 1, 6, self.rng.randint(1, 28))
        self.secretary = self.cadre_row("secretary", True, DISPATCH_UNIT, "四级调研员", team_start)
        self.team = [self.secretary] + [
            self.cadre_row("member", True, DISPATCH_UNIT, self.pick(("一级主任科员", "二级主任科员", "科员")), team_start)
            for _ in range(2)
        ]
        self.village_cadres = [
            self.cadre_row("village_cadre", False, f"{self.village_name}村民委员会", position, date(self.year - 3, 1, 1))
            for position in ("党支部书记", "村委会主任", "村会计", "妇联主席")
        ]
        # The village party secretary shares the dominant clan name, as is usual in northern villages.
        self.village_cadres[0]["name"] = "郑" + self.village_cadres[0]["name"][1:]
        self.insert(Cadre, self.team + self.village_cadres)
        self.insert(MonitoringLine, [
            {"year": y, "area": "", "amount": amount} for y, amount in sorted(self.line.items())
        ])

    def make_attendance(self) -> None:
        """A row per team cadre per day: 20–24 days in the village a month, trips, leave, days off."""
        self.in_village: dict[str, dict[int, list[date]]] = {}
        rows = []
        for cadre in self.team:
            per_month: dict[int, list[date]] = {}
            for month in self.months():
                first, last = self.month_days(month)
                days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
                weekdays = [d for d in days if d.weekday() < 5]
                weekends = [d for d in days if d.weekday() >= 5]
                want = min(len(days), self.rng.randint(20, 24))
                if last.day < 28:  # a partial month (the current year): scale down
                    want = min(len(days), round(want * len(days) / 30))
                self.rng.shuffle(weekdays)
                self.rng.shuffle(weekends)
                chosen = set(weekdays[:want])
                rest = weekdays[want:]
                if len(chosen) < want:
                    chosen.update(weekends[: want - len(chosen)])
                status: dict[date, tuple[str, str | None]] = {d: ("in_village", None) for d in chosen}
                for i, d in enumerate(rest):
                    if i < self.rng.randint(1, 3):
                        status[d] = ("official_trip", self.pick(("到乡政府汇报工作", "参加区里驻村干部培训",
                                                                 "到派出单位汇报帮扶工作", "到区乡村振兴局对接项目")))
                    elif self.chance(0.5):
                        status[d] = ("leave", self.pick(("事假", "病假", "探亲假")))
                    else:
                        status[d] = ("other", "轮休")
                for d in days:
                    if d not in status:
                        status[d] = ("other", "轮休")
                for d in days:
                    s, note = status[d]
                    rows.append({"id": new_id(), "cadre_id": cadre["id"], "day": d, "status": s, "note": note})
                per_month[month] = sorted(d for d in chosen)
            self.in_village[cadre["id"]] = per_month
        self.insert(Attendance, rows)

    def team_day(self, month: int, cadre: dict | None = None) -> tuple[dict, date]:
        cadre = cadre or self.pick(self.team)
        days = self.in_village[cadre["id"]].get(month)
        if not days:
            first, last = self.month_days(month)
            return cadre, self.day_between(first, last)
        return cadre, self.pick(days)

    # -- helpers and pairings ---------------------------------------------------------------------------------------
    def next_helper(self, start: date) -> dict:
        if self.helper is None or self.helper_capacity <= 0:
            self.helper = self.cadre_row("helper", False, self.pick(_UNITS), self.pick(_POSITIONS), start)
            self.helper_capacity = self.rng.choice((4, 5, 5, 5))  # ≤ 5 households per helper
            self.pending_cadres.append(self.helper)
        self.helper_capacity -= 1
        return self.helper

    # -- households ---------------------------------------------------------------------------------------------------
    def household_kind(self) -> tuple[str, str, str | None]:
        """(index kind, household_type, monitoring_category)."""
        r = self.rng.random()
        if r < 0.03:
            category = self.pick(("unstable", "marginal", "sudden"), (45, 45, 10))
            if category == "unstable" or (category == "sudden" and self.chance(0.5)):
                return "m", "alleviated_general", category
            return "m", "ordinary", category
        if r < 0.20:
            t = self.pick(("alleviated_general", "alleviated_dibao", "alleviated_tekun"), (80, 14, 6))
            return ("t" if t == "alleviated_tekun" else "a"), t, None
        if r < 0.22:
            return "d", "dibao", None
        if r < 0.226:
            return "t", "tekun", None
        return "o", "ordinary", None

    def family(self, kind: str, htype: str) -> list[_Person]:
        rng = self.rng
        tekun = htype in ("tekun", "alleviated_tekun")
        if tekun:
            size = 1 if self.chance(0.8) else 2
            head_age = rng.randint(62, 90)
        else:
            size = self.pick((1, 2, 3, 4, 5, 6, 7), (10, 24, 22, 20, 13, 7, 4))
            if size == 1:
                head_age = rng.randint(45, 88)
            else:
                head_age = self.pick((rng.randint(24, 31), rng.randint(32, 57), rng.randint(58, 84)), (12, 48, 40))
        head_sex = "male" if self.chance(0.87 if size > 1 else 0.65) else "female"
        family_name = self.surname()
        head = _Person("head", head_sex, head_age, family_name)
        people = [head]
        other = "female" if head_sex == "male" else "male"
        # Children carry the husband's surname: the head's, unless the head is a woman (then the spouse's,
        # or a late husband's).
        child_surname = family_name if head_sex == "male" else self.surname()
        if size == 1:
            return people
        spouse_age = max(20, head_age + rng.randint(-4, 3) if head_sex == "male" else head_age + rng.randint(-2, 5))
        candidates: list[_Person] = []
        has_spouse = self.chance(0.9 if head_age < 58 else 0.72) or tekun
        if has_spouse:
            candidates.append(_Person("spouse", other, spouse_age, self.surname() if head_sex == "male"
                                      else child_surname))
        # Children are born to a mother aged 20–42, at least two years apart.
        if head_sex == "female":
            mother_age = head_age
        elif has_spouse:
            mother_age = spouse_age
        else:
            mother_age = head_age + rng.randint(-4, 1)  # the late or absent wife
        ages: dict[str, list[int]] = {"child": [], "grand": []}

        def child(mother: int, lo: int = 0, hi: int | None = None, grand: bool = False) -> _Person | None:
            low = max(lo, mother - 42)
            high = mother - 20 if hi is None else min(hi, mother - 20)
            siblings = ages["grand" if grand else "child"]
            for _ in range(4):
                if high < low:
                    return None
                age = rng.randint(low, high)
                if all(abs(age - other_age) >= 2 for other_age in siblings):
                    break
            else:
                return None
            siblings.append(age)
            sex = "male" if self.chance(0.52) else "female"
            if grand:
                relation = "grandson" if sex == "male" else "granddaughter"
            else:
                relation = "son" if sex == "male" else "daughter"
            return _Person(relation, sex, age, child_surname)

        if head_age >= 58 and not tekun:
            son = child(mother_age, lo=22, hi=mother_age - 23)
            if son is not None:
                son.relation, son.sex = "son", "male"
                candidates.append(son)
                wife = _Person("daughter_in_law", "female", max(20, son.age + rng.randint(-4, 2)), self.surname())
                candidates.append(wife)
                for _ in range(3):
                    g = child(wife.age, grand=True)
                    if g:
                        candidates.append(g)
            c = child(mother_age, lo=16)
            if c:
                candidates.append(c)
        elif head_age >= 32:
            for _ in range(2):
                c = child(mother_age)
                if c:
                    candidates.append(c)
            father_age = head_age + rng.randint(22, 32)
            if father_age <= 92:
                candidates.append(_Person("father", "male", father_age, family_name))
                candidates.append(_Person("mother", "female", min(95, father_age + rng.randint(-5, 1)),
                                          self.surname()))
            c = child(mother_age)
            if c:
                candidates.append(c)
        else:
            c = child(mother_age)
            if c:
                candidates.append(c)
            father_age = head_age + rng.randint(22, 30)
            candidates.append(_Person("father", "male", father_age, family_name))
            candidates.append(_Person("mother", "female", father_age + rng.randint(-5, 1), self.surname()))
            c = child(mother_age)
            if c:
                candidates.append(c)
        people.extend(candidates[: size - 1])
        return people

    def describe_person(self, p: _Person, htype: str, kind: str) -> None:
        """Fill schooling/education, health, labour skill and migrant work consistently with age."""
        rng = self.rng
        p.birth = self.birth_for_age(p.age)
        # Schooling (在校生状况) by age when the current school year began (1 September).
        school_start = date(self.year if self.ref.month >= 9 else self.year - 1, 9, 1)
        age = school_start.year - p.birth.year - ((9, 1) < (p.birth.month, p.birth.day))
        if p.birth > school_start:
            age = 0
        p.schooling = None
        p.education = None
        if age <= 2:
            p.schooling = "preschool_child"
        elif age <= 5:
            p.schooling = "preschool"
        elif age <= 11:
            p.schooling = "primary"
        elif age <= 14:
            p.schooling = ("grade7", "grade8", "grade9")[age - 12]
        elif age <= 17 and (age == 15 or self.chance(0.9)):
            n = min(3, max(1, age - 14))
            p.schooling = f"high{n}" if self.chance(0.78) else f"vocational{n}"
        elif 18 <= age <= 21 and self.chance(0.45):
            n = age - 17
            p.schooling = f"undergraduate{n}" if self.chance(0.6) else f"higher_vocational{min(3, n)}"
        if p.schooling is None:
            born = self.year - age
            if born < 1950:
                levels, weights = ("illiterate", "primary", "junior"), (45, 45, 10)
            elif born < 1965:
                levels, weights = ("illiterate", "primary", "junior", "senior"), (15, 45, 35, 5)
            elif born < 1980:
                levels, weights = ("primary", "junior", "senior", "college"), (25, 55, 15, 5)
            elif born < 1995:
                levels, weights = ("primary", "junior", "senior", "college", "bachelor"), (5, 55, 25, 10, 5)
            else:
                levels, weights = ("junior", "senior", "college", "bachelor"), (40, 30, 18, 12)
            if age < 18:
                levels, weights = ("junior",), (1,)
            p.education = self.pick(levels, weights)
        p.in_school = p.schooling is not None
        age = p.age
        # Health.
        if age >= 60:
            pc, ps, pd = 0.30, 0.04, 0.06
        elif age >= 40:
            pc, ps, pd = 0.10, 0.02, 0.04
        elif age >= 16:
            pc, ps, pd = 0.02, 0.005, 0.015
        else:
            pc, ps, pd = 0.005, 0.002, 0.006
        if htype in ("dibao", "alleviated_dibao", "tekun", "alleviated_tekun") or kind == "m":
            pc, ps, pd = pc * 2, ps * 3, pd * 2
        r = rng.random()
        p.disability = None
        if r < pd:
            p.health = "disabled,chronic" if self.chance(0.2) else "disabled"
            p.disability = (self.pick("1234567", (12, 14, 6, 40, 12, 10, 6)), self.pick("1234", (10, 25, 35, 30)))
        elif r < pd + ps:
            p.health = "serious_illness"
        elif r < pd + ps + pc:
            p.health = "chronic"
        else:
            p.health = "healthy"
        # Labour skill.
        tekun = htype in ("tekun", "alleviated_tekun")
        if p.in_school or age < 16:
            p.labour = "none"
        elif tekun:
            p.labour = "lost" if p.health != "healthy" else "none"
            if age < 63 and p.health == "healthy":  # a working-age, healthy 特困 person cannot be "no labour"
                p.health = "chronic"
                p.labour = "lost"
        elif p.health == "healthy":
            if age <= 62:
                p.labour = "skilled" if self.chance(0.2) else "ordinary"
            elif age <= 70:
                p.labour = self.pick(("ordinary", "weak"), (40, 60))
            else:
                p.labour = self.pick(("weak", "none"), (30, 70))
        elif p.health.startswith("disabled"):
            level = p.disability[1]
            p.labour = "lost" if level in "12" else self.pick(("weak", "lost"), (60, 40))
        elif p.health == "serious_illness":
            p.labour = self.pick(("lost", "weak"), (70, 30))
        else:  # chronic
            p.labour = self.pick(("ordinary", "weak"), (50, 50)) if age <= 62 else self.pick(("weak", "none"), (40, 60))
        # Migrant work.
        p.migrant = (p.labour in ("ordinary", "skilled") and 18 <= age <= 58
                     and self.chance(0.58 if p.sex == "male" else 0.42))

    def make_member(self, p: _Person, household_id: str, order: int, htype: str, kind: str,
                    long_absent: bool) -> dict:
        rng = self.rng
        p.name = p.surname + self.given(p.sex, p.birth.year)
        pinyin, initials = self.keys(p.name)
        work_place = work_company = None
        work_months = None
        employee = False
        if p.migrant:
            work_place = self.pick([w for w, _ in _WORK_PLACES], [w for _, w in _WORK_PLACES])
            work_months = self.pick((3, 4, 6, 8, 9, 10, 10, 11, 12, 12, 12))
            work_company = self.pick(_COMPANIES)
            employee = self.chance(0.25)
            monthly = rng.randint(3200, 5200) + (1500 if p.labour == "skilled" else 0)
            p.wage = monthly * work_months
        public_job = None
        public_job_months = None
        if (not p.migrant and kind in ("a", "m", "d") and p.labour in ("ordinary", "weak") and 40 <= p.age <= 68
                and self.chance(0.3)):
            public_job = self.pick(_PUBLIC_JOBS)
            public_job_months = self.pick((10, 12, 12))
            p.wage = 600 * public_job_months
        elif not p.migrant and p.labour in ("ordinary", "skilled") and p.age >= 18 and self.chance(0.6):
            p.wage = rng.randint(30, 150) * 100  # 本地零工 (day labour near home)
        political = "masses"
        if p.age >= 18 and self.chance(0.09 if p.age >= 55 else 0.05):
            political = "party_member"
            self.party_members += 1
        elif 14 <= p.age <= 28 and self.chance(0.3):
            political = "league_member"
        dibao = htype in ("dibao", "alleviated_dibao")
        tekun = htype in ("tekun", "alleviated_tekun")
        disability = p.disability
        return {
            "id": new_id(), "household_id": household_id, "person_number": None, "name": p.name,
            "name_pinyin": pinyin, "name_initials": initials, "sex": p.sex, "birth_date": p.birth,
            "id_type": "resident_id", "id_number": self.id_number(p.birth, p.sex),
            "ethnicity": "han" if self.chance(0.96) else self.pick(("manchu", "hui", "mongol")),
            "political_status": political, "relation": p.relation, "education": p.education,
            "schooling": p.schooling, "dropout_reason": None, "health": p.health,
            "disability_category": disability[0] if disability else None,
            "disability_level": disability[1] if disability else None,
            "labour_skill": p.labour, "work_place": work_place, "work_months": work_months,
            "work_company": work_company, "public_job": public_job, "public_job_months": public_job_months,
            "phone": self.phone() if 18 <= p.age <= 70 and (p.relation == "head" or self.chance(0.7)) else None,
            "dibao": dibao, "tekun": tekun,
            "resident_medical": not employee, "employee_medical": employee,
            "critical_illness_insurance": not employee,
            "resident_pension": (not employee) and p.age >= 16 and not p.in_school,
            "employee_pension": employee, "sort_order": order,
            "note": "长期在外务工" if long_absent and p.migrant else None,
        }

    def income(self, household_id: str, year: int, people: list[_Person], h: dict, target: tuple[float, float] | None,
               factor: float = 1.0) -> tuple[dict, Decimal]:
        """A year's 收支, adjusted so that per-capita net income falls inside ``target`` × the monitoring line."""
        rng = self.rng
        size = len(people)
        wages = sum(p.wage for p in people) * factor
        farmland = float(h["farmland_mu"] or 0)
        business = farmland * rng.randint(500, 900) * factor
        if self.chance(0.3):
            business += rng.randint(20, 150) * 100 * factor  # 养殖
        cost = business * rng.uniform(0.35, 0.5)
        prop = 0.0
        if self.chance(0.2):
            prop += farmland * 500  # 土地流转
        if h["household_type"] != "ordinary":
            prop += rng.randint(3, 10) * 100  # 资产收益分红
        transfer = 0.0
        for p in people:
            if p.age >= 60:
                transfer += rng.randint(150, 200) * 12
            if p.age >= 80:
                transfer += 600
            if p.health.startswith("disabled"):
                transfer += 1200
        if h["household_type"] in ("dibao", "alleviated_dibao"):
            transfer += 450 * 12 * size
        if h["household_type"] in ("tekun", "alleviated_tekun"):
            transfer += 900 * 12 * size
        if h["forest_mu"]:
            transfer += float(h["forest_mu"]) * 90  # 生态补偿
        support = 0.0
        if target is not None:
            line = float(self.line[year])
            net = wages + business + prop + transfer - cost
            low, high = target
            per_capita = net / size
            if per_capita < low * line:
                # 赡养费 from children living elsewhere, or more local work: lift into the band.
                support = (low * line - per_capita) * size + rng.randint(0, int(max(1.0, (high - low) * line * size * 0.3)))
            elif per_capita > high * line:
                # Scale work and farm income so that net income lands just under the top of the band.
                goal = high * line * size * rng.uniform(0.85, 0.98)
                scale = (goal - prop - transfer) / max(1.0, wages + 0.6 * business)
                scale = max(0.05, min(1.0, scale))
                wages *= scale
                business *= scale
                cost = business * 0.4
        values = {
            "wages": _money(wages), "business": _money(business), "property_income": _money(prop),
            "transfer": _money(transfer + support), "production_cost": _money(cost),
        }
        net = values["wages"] + values["business"] + values["property_income"] + values["transfer"] - values[
            "production_cost"]
        payout = out_of_pocket = None
        if any(p.health in ("serious_illness",) for p in people):
            out_of_pocket = _money(rng.randint(20, 300) * 100)
            payout = _money(float(out_of_pocket) * rng.uniform(0.5, 1.5))
        row = {"id": new_id(), "household_id": household_id, "year": year, **values, "insurance_payout": payout,
               "out_of_pocket_medical": out_of_pocket, "size": size, "note": None}
        return row, net

    def run_households(self) -> None:
        total = self.n
        done = 0
        while done < total:
            count = min(self.batch, total - done)
            self.household_batch(done, count)
            done += count
            self.tick(done, total + 6, f"已生成 {done} 户")

    def household_batch(self, offset: int, count: int) -> None:
        rows: dict[str, list[dict]] = defaultdict(list)
        for k in range(offset, offset + count):
            self.one_household(k, rows)
        self.insert(Cadre, self.pending_cadres)
        self.pending_cadres = []
        for model in (Household, Member, HouseholdIncome, Pairing, Visit, VisitCadre, VisitPurpose, VisitCheck,
                      Problem, ProblemEvent, MonitoringStep, Measure):
            self.insert(model, rows[model.__tablename__])

    def one_household(self, k: int, rows: dict[str, list[dict]]) -> None:
        rng = self.rng
        hid = new_id()
        kind, htype, category = self.household_kind()
        people = self.family(kind, htype)
        long_absent = kind == "o" and self.chance(0.04)
        for p in people:
            self.describe_person(p, htype, kind)
        if htype in ("dibao", "alleviated_dibao") and all(p.health == "healthy" for p in people):
            # 低保 families have a reason: a long illness or a disability somewhere.
            p = people[0]
            p.health = "chronic"
            if p.labour in ("ordinary", "skilled"):
                p.labour = "weak"
                p.migrant = False
        if long_absent:
            for p in people:
                if p.labour in ("ordinary", "skilled") and 18 <= p.age <= 58:
                    p.migrant = True
        group_no = k * self.groups // self.n + 1
        group = f"第{group_no}组"
        members = [self.make_member(p, hid, order, htype, kind, long_absent) for order, p in enumerate(people)]
        head = members[0]
        # facts the later sections need
        has_labour = any(p.labour in codes.LABOUR_SKILLS_WITH_LABOUR for p in people)
        has_migrant = any(m["work_months"] for m in members)
        students = sum(1 for p in people if p.schooling and p.schooling not in ("preschool_child", "preschool"))
        farmland = Decimal(rng.randint(5, 80)) / 10 if not long_absent or self.chance(0.5) else Decimal("0")
        forest = Decimal(rng.randint(2, 30)) / 10 if self.chance(0.15) else None
        h = {
            "id": hid, "village_id": self.village_id, "number": f"{self.division}{k + 1:0{self.width}d}",
            "number_from_platform": False, "group_name": group,
            "natural_village": NATURAL_VILLAGES[min(len(NATURAL_VILLAGES) - 1,
                                                    (group_no - 1) * len(NATURAL_VILLAGES) // self.groups)],
            "address": f"{self.village_name}{group}{rng.randint(1, 160)}号", "head_name": head["name"],
            "name_pinyin": head["name_pinyin"], "name_initials": head["name_initials"],
            "head_id_number": head["id_number"], "phone": head["phone"] or self.phone(),
            "household_type": htype, "monitoring_category": category, "monitoring_stage": None,
            "identified_on": None, "risk_eliminated": False, "elimination_way": None, "eliminated_on": None,
            "risk_types": "", "poverty_causes": "", "is_martyr_family": self.chance(0.003),
            "no_labour_safety_net": not has_labour and htype != "ordinary", "relocation_address": None,
            "long_absent": long_absent, "farmland_mu": farmland, "forest_mu": forest,
            "housing_area": Decimal(rng.randint(45, 180)), "housing_grade": self.pick(("a", "b"), (70, 30)),
            "drinking_water": self.pick(("自来水入户", "集中供水"), (85, 15)),
            "toilet": self.pick(("水冲式卫生厕所", "双瓮漏斗式卫生厕所", "旱厕"), (45, 40, 15)),
            "bank_account": "6217" + f"{rng.randrange(10 ** 15):015d}", "member_count": len(members),
            "last_visit_on": None, "open_problems": 0, "note": None,
        }
        if htype != "ordinary":
            causes = []
            if any(p.health in ("serious_illness", "chronic") for p in people):
                causes.append("illness")
            if any(p.health.startswith("disabled") for p in people):
                causes.append("disability")
            if students:
                causes.append("education")
            if not has_labour:
                causes.append("lack_labour")
            causes += [c for c in self.rng.sample(("lack_funds", "lack_skill", "disaster", "lack_motivation",
                                                   "poor_transport"), 2)]
            h["poverty_causes"] = ",".join(causes[:3])
        # monitoring
        measures = rows["measure"]
        paired = kind in ("m", "a", "d", "t")
        helper_from: date | None = None
        identified_step: date | None = None
        eliminated_on: date | None = None
        if kind == "m":
            identified_step, eliminated_on = self.monitoring(h, people, members, category, has_labour,
                                                             has_migrant, students, rows)
            helper_from = identified_step
        elif kind == "a" and self.chance(0.15):
            d = self.day_between(self.start, self.ref)
            cat, content, amount = self.pick((
                ("industry", "发放到户产业奖补资金", 2000), ("finance", "续贷脱贫人口小额信贷", 50000),
                ("employment", "落实外出务工交通补贴", 500), ("other_education", "落实雨露计划补助", 3000),
            ))
            measures.append(self.measure_row(hid, cat, d, content, amount))
        # income: per-capita bands relative to the monitoring line
        if kind == "m" and not h["risk_eliminated"]:
            band = (0.85, 1.45)
        elif kind == "m":
            band = (1.25, 1.9)
        elif kind in ("a", "d", "t"):
            band = (1.6, 3.0)
        else:
            band = (1.8, 4.5)
        income_row, net = self.income(hid, self.year, people, h, band)
        rows["household_income"].append(income_row)
        self.net_income += net
        self.income_people += len(people)
        if kind != "o":
            prev_band = band if h["risk_eliminated"] or kind != "m" else (1.1, 2.0)
            rows["household_income"].append(self.income(hid, self.year - 1, people, h, prev_band, 0.94)[0])
        # pairing with a helper
        pairings: list[tuple[dict, date, date | None]] = []
        if paired:
            start = helper_from or self.day_between(date(self.year - 3, 1, 1), date(self.year - 1, 6, 30))
            helper = self.next_helper(start)
            start = max(start, helper["start_date"])
            end = None
            if self.chance(0.04):
                end = self.day_between(self.start + timedelta(days=30), self.ref - timedelta(days=30))
                if end <= start or end >= self.ref - timedelta(days=1):
                    end = None
            pairings.append((helper, start, end))
            if end is not None:
                successor = self.next_helper(end + timedelta(days=1))
                pairings.append((successor, max(end + timedelta(days=1), successor["start_date"]), None))
            for helper, s, e in pairings:
                rows["pairing"].append({
                    "id": new_id(), "cadre_id": helper["id"], "household_id": hid, "start_date": s, "end_date": e,
                    "note": "工作调整，更换帮扶责任人" if e else None,
                })
        # visits
        self.visits(h, people, members, kind, pairings, rows, identified_step, eliminated_on)
        # bookkeeping for the village
        self.population += len(members)
        self.farmland += farmland
        self.forest += forest or 0
        rows["household"].append(h)
        rows["member"].extend(members)
        self.index.append(_HouseholdIndex(hid, head["name"], kind, group, students, len(members)))

    def monitoring(self, h: dict, people: list[_Person], members: list[dict], category: str, has_labour: bool,
                   has_migrant: bool, students: int, rows: dict[str, list[dict]]) -> tuple[date, date | None]:
        """Risks, the dated identification (and maybe elimination) steps and the measures of a monitored
        household; returns (date of the 纳入监测 step, eliminated_on or None)."""
        rng = self.rng
        hid = h["id"]
        head = members[0]
        steps = rows["monitoring_step"]
        measures = rows["measure"]
        eliminated_on: date | None = None
        risks = []
        if any(p.health in ("serious_illness", "chronic") for p in people):
            risks.append("illness")
        if any(p.health.startswith("disabled") for p in people):
            risks.append("disability")
        if students and any(p.schooling and p.schooling.startswith(("high", "vocational", "undergraduate",
                                                                     "higher_vocational")) for p in people):
            risks.append("education")
        if not has_labour:
            risks.append("lack_labour")
        if has_labour and has_migrant and self.chance(0.5):
            risks.append("unstable_work")
        if category == "sudden" or not risks:
            risks.append(self.pick(("accident", "disaster", "industry_failure")))
        rng.shuffle(risks)
        risks = risks[: rng.randint(1, min(3, len(risks)))]
        if "housing" not in risks and self.chance(0.08):
            risks.append("housing")
            h["housing_grade"] = "c"
        # 识别: somewhere between two years ago and two months before the reference date.
        earliest = date(self.year - 2, 1, 1)
        latest = max(earliest, add_months(self.ref, -2))
        identified_step = self.day_between(earliest, latest)
        identified_on = identified_step.replace(day=1)
        h.update(identified_on=identified_on, risk_types=",".join(risks), monitoring_stage="assisting")
        clue = identified_step - timedelta(days=14)
        source = self.pick(("self_report", "cadre_visit", "department_alert"), (30, 50, 20))
        people_n = len(members)
        for stage, offset, actor in (
            ("clue", 0, "户主本人" if source == "self_report" else self.secretary["name"]),
            ("application", 1, head["name"]), ("verification", 3, "驻村工作队"),
            ("village_review", 4, f"{self.village_name}两委"), ("publicity", 5, f"{self.village_name}两委"),
            ("township_review", 11, f"{TOWNSHIP}人民政府"), ("county_approval", 13, f"{COUNTY}乡村振兴局"),
            ("identified", 14, f"{COUNTY}乡村振兴局"),
        ):
            steps.append({
                "id": new_id(), "household_id": hid, "stage": stage, "step_date": clue + timedelta(days=offset),
                "actor": actor, "source": source if stage == "clue" else None,
                "category": category if stage == "identified" else None,
                "risk_types": h["risk_types"] if stage == "identified" else None, "elimination_way": None,
                "people": people_n,
                "note": {"publicity": "村内公示5天，无异议", "clue": "发现返贫致贫风险"}.get(stage),
            })
        # 帮扶措施: development-type help soon after identification when the family can work.
        first_measure = self.clamp(identified_step + timedelta(days=rng.randint(3, 45)))
        if has_labour:
            cat, content, amount = self.pick((
                ("industry", "发放产业奖补资金，扶持发展肉牛养殖", 3000),
                ("industry", "扶持种植食用菌大棚1个", 5000),
                ("employment", "推荐到区内企业稳定就业", None),
                ("employment", "参加电焊技能培训后转移就业", None),
                ("finance", "办理脱贫人口小额信贷5万元，用于发展养殖", 50000),
                ("public_job", "安排村级保洁公益岗位", 7200),
            ))
        else:
            cat, content, amount = ("social_security", "纳入低保兜底保障，落实临时救助", 3000)
        measures.append(self.measure_row(hid, cat, first_measure, content, amount))
        for risk in risks:
            extra = {
                "illness": ("health", "落实先诊疗后付费和大病救助，协助报销医疗费用", 2000),
                "disability": ("social_security", "协助办理残疾人两项补贴", 1200),
                "education": ("other_education", "落实雨露计划职业教育补助", 3000),
                "housing": ("housing", "实施农村危房改造", 20000),
                "disaster": ("social", "发放受灾临时救助金", 2000),
                "accident": ("social", "申请临时救助，协调防贫保险理赔", 5000),
                "industry_failure": ("training", "组织参加种养殖技术培训", None),
            }.get(risk)
            if extra:
                d = self.clamp(identified_step + timedelta(days=rng.randint(5, 90)))
                measures.append(self.measure_row(hid, extra[0], d, extra[1], extra[2]))
        steps.append({
            "id": new_id(), "household_id": hid, "stage": "assisting", "step_date": first_measure,
            "actor": "驻村工作队", "source": None, "category": None, "risk_types": None, "elimination_way": None,
            "people": people_n, "note": "制定并落实帮扶措施",
        })
        # 风险消除 for some families that can work, at least five months after identification.
        if has_labour and self.chance(0.45):
            candidate = add_months(identified_step, rng.randint(5, 14))
            if candidate <= self.ref - timedelta(days=10):
                eliminated_on = candidate
                way = self.pick(("assisted", "natural"), (80, 20))
                h.update(risk_eliminated=True, elimination_way=way, eliminated_on=eliminated_on,
                         monitoring_stage="eliminated")
                if h["housing_grade"] == "c":
                    h["housing_grade"] = "b"  # 危房改造 done: a risk is only eliminated once housing is safe
                for stage, back, actor in (
                    ("verification", 12, "驻村工作队"), ("village_review", 10, f"{self.village_name}两委"),
                    ("publicity", 9, f"{self.village_name}两委"), ("township_review", 3, f"{TOWNSHIP}人民政府"),
                    ("county_approval", 1, f"{COUNTY}乡村振兴局"), ("eliminated", 0, f"{COUNTY}乡村振兴局"),
                ):
                    steps.append({
                        "id": new_id(), "household_id": hid, "stage": stage,
                        "step_date": eliminated_on - timedelta(days=back), "actor": actor, "source": None,
                        "category": None, "risk_types": None,
                        "elimination_way": way if stage == "eliminated" else None, "people": people_n,
                        "note": "收入稳定超过监测范围，三保障和饮水安全有保障" if stage == "eliminated" else None,
                    })
        return identified_step, eliminated_on

    def measure_row(self, hid: str, category: str, d: date, content: str, amount: int | None) -> dict:
        return {
            "id": new_id(), "household_id": hid, "category": category, "measure_date": d, "content": content,
            "amount": _money(amount) if amount is not None else None,
            "responsible_id": self.pick(self.team)["id"], "result": "已落实" if d < self.ref else "落实中",
        }

    # -- visits and problems ------------------------------------------------------------------------------------------
    def visit_months(self, kind: str, identified: date | None, eliminated: date | None) -> list[int]:
        months = list(self.months())
        if kind == "m":
            # Monthly while monitored, quarterly before identification and after the risk is gone.
            out = []
            for m in months:
                month_start = date(self.year, m, 1)
                monitored = identified is not None and identified.replace(day=1) <= month_start and (
                    eliminated is None or month_start <= eliminated)
                if monitored or m in (2, 5, 8, 11):
                    out.append(m)
            return out
        if kind in ("a", "d", "t"):
            return sorted({self.pick(months[q:q + 3]) for q in range(0, len(months), 3)})
        r = self.rng.random()
        if r < 0.15:
            return []
        halves = [months[:6], months[6:]] if len(months) > 6 else [months]
        chosen = [self.pick(half) for half in halves if half]
        return sorted(set(chosen if r > 0.5 else chosen[:1]))

    def visits(self, h: dict, people: list[_Person], members: list[dict], kind: str,
               pairings: list[tuple[dict, date, date | None]], rows: dict[str, list[dict]],
               identified: date | None, eliminated: date | None) -> None:
        hid = h["id"]
        months = self.visit_months(kind, identified, eliminated)
        visit_dates: list[tuple[date, dict]] = []
        for month in months:
            cadres: list[dict] = []
            helper = None
            first, last = self.month_days(month)
            for c, s, e in pairings:
                if s <= last and (e is None or e >= first):
                    helper = c
                    lo, hi = max(first, s), min(last, e or last)
            if helper is not None and self.chance(0.85):
                d = self.day_between(lo, hi)
                cadres.append(helper)
                if self.chance(0.25):
                    team_cadre, _ = self.team_day(month)
                    days = self.in_village[team_cadre["id"]].get(month, [])
                    if d in days:
                        cadres.append(team_cadre)
            else:
                team_cadre, d = self.team_day(month)
                cadres.append(team_cadre)
                if self.chance(0.3):
                    other = self.pick([c for c in self.team if c is not team_cadre])
                    if d in self.in_village[other["id"]].get(month, []):
                        cadres.append(other)
            visit_dates.append((d, {"cadres": cadres}))
        visit_dates.sort(key=lambda t: t[0])
        head = members[0]
        open_count = 0
        last_visit = None
        resolved_waiting: list[dict] = []  # problems closed, to be revisited on a later visit
        for n, (d, info) in enumerate(visit_dates):
            vid = new_id()
            if h["long_absent"]:
                method, present = ("phone", False)
            else:
                method = self.pick(("in_person", "phone", "video"), (86, 10, 4))
                present = method != "in_person" or self.chance(0.93)
            purposes = self.visit_purposes(kind, d)
            follow_ups = [p for p in resolved_waiting if p["closed_on"] < d]
            if follow_ups:
                purposes = ["follow_up"] + [p for p in purposes if p != "follow_up"][:1]
            if present:
                others = [m["name"] for m in members[1:3] if self.chance(0.4)]
                people_present = "、".join([f"户主{head['name']}"] + others)
                findings = self.pick(_FINDINGS[kind if kind in _FINDINGS else "o"])
            else:
                people_present = None
                findings = ("全家长期在外务工，电话联系户主了解情况，收入稳定" if h["long_absent"]
                            else "家中无人，户主外出，已电话联系，约定下次入户")
            rows["visit"].append({
                "id": vid, "household_id": hid, "visit_date": d, "method": method, "present": present,
                "people_present": people_present, "findings": findings,
                "actions": self.pick(_ACTIONS), "satisfaction": self.pick(("satisfied", "basically", "unsatisfied"),
                                                                         (85, 13, 2)) if present else None,
                "note": None,
            })
            for c in info["cadres"]:
                rows["visit_cadre"].append({"id": new_id(), "visit_id": vid, "cadre_id": c["id"]})
            for purpose in purposes:
                rows["visit_purpose"].append({"id": new_id(), "visit_id": vid, "purpose": purpose})
            if ("screening" in purposes or "measure_check" in purposes) and (kind != "o" or self.chance(0.3)):
                for item in ("food", "clothing", "education", "medical", "housing", "water"):
                    insecure = item == "housing" and h["housing_grade"] == "c"
                    rows["visit_check"].append({
                        "id": new_id(), "visit_id": vid, "item": item, "secure": not insecure,
                        "note": "C级危房，已申请危房改造" if insecure else None,
                    })
            for p in follow_ups:
                p["status"] = "revisited"
                self.statuses.add("revisited")
                p["revisited_on"] = d
                p["satisfaction"] = self.pick(("satisfied", "basically"), (85, 15))
                rows["problem_event"].append(self.event(p["id"], d, "resolved", "revisited", "回访群众，表示满意"))
                resolved_waiting.remove(p)
            last_visit = d
            # problems raised on this visit
            p_rate = {"m": 0.10, "a": 0.06, "d": 0.07, "t": 0.06}.get(kind, 0.04)
            if present and self.chance(p_rate):
                problem, still_open = self.problem(hid, vid, d, info["cadres"], members, rows)
                open_count += still_open
                if problem["status"] == "resolved" and self.chance(0.7):
                    resolved_waiting.append(problem)
        if last_visit is None:
            last_visit = self.last_year_visit(h, members[0], rows)
        h["last_visit_on"] = last_visit
        h["open_problems"] = open_count

    def last_year_visit(self, h: dict, head: dict, rows: dict[str, list[dict]]) -> date:
        """One visit in the second half of last year (the team has been here since June) for a household not
        visited yet this year: with none at all the home page would say 从未走访, which is not the story. A
        generator of its own keeps the main sequence — and so the rest of the village — as it was."""
        own = random.Random(f"{self.seed}:{h['number']}")
        d = date(self.year - 1, 7, 1) + timedelta(days=own.randint(0, 170))
        vid = new_id()
        absent = bool(h["long_absent"])
        rows["visit"].append({
            "id": vid, "household_id": h["id"], "visit_date": d, "method": "phone" if absent else "in_person",
            "present": not absent, "people_present": None if absent else f"户主{head['name']}",
            "findings": "全家长期在外务工，电话联系户主了解情况，收入稳定" if absent else "家庭情况稳定，无新增困难",
            "actions": own.choice(_ACTIONS), "satisfaction": None if absent else "satisfied", "note": None,
        })
        rows["visit_cadre"].append({"id": new_id(), "visit_id": vid, "cadre_id": own.choice(self.team)["id"]})
        rows["visit_purpose"].append({"id": new_id(), "visit_id": vid, "purpose": "policy"})
        return d

    def visit_purposes(self, kind: str, d: date) -> list[str]:
        options = {
            "m": (("screening", "measure_check", "income", "policy"), (40, 35, 15, 10)),
            "a": (("policy", "measure_check", "screening", "income"), (35, 30, 25, 10)),
            "d": (("policy", "measure_check", "screening"), (40, 30, 30)),
            "t": (("condolence", "policy", "screening"), (40, 30, 30)),
            "o": (("screening", "policy", "other"), (60, 35, 5)),
        }[kind]
        first = self.pick(*options)
        purposes = [first]
        if d.month in (1, 2, 9) and kind != "o" and first != "condolence" and self.chance(0.5):
            purposes.append("condolence")
        elif self.chance(0.35):
            second = self.pick(*options)
            if second != first:
                purposes.append(second)
        if d.month == 12 and kind in ("m", "a") and "income" not in purposes:
            purposes.append("income")
        return purposes

    def event(self, problem_id: str, d: date, from_status: str | None, to_status: str, note: str | None) -> dict:
        return {"id": new_id(), "problem_id": problem_id, "event_date": d, "from_status": from_status,
                "to_status": to_status, "note": note}

    def problem(self, hid: str | None, vid: str | None, raised: date, cadres: list[dict], members: list[dict] | None,
                rows: dict[str, list[dict]], source: str = "visit", diary_id: str | None = None,
                closed_only: bool = False, status: str | None = None,
                templates: tuple = ()) -> tuple[dict, int]:
        """A problem with a consistent history; returns (row, 1 if still open else 0).

        ``status`` forces the outcome (the caller picks a ``raised`` date that leaves room for it).
        """
        rng = self.rng
        category, description, working, resolution = self.pick(templates or _PROBLEMS)
        member = members[rng.randrange(len(members))]["name"] if members else "群众"
        description = description.format(member=member)
        age = (self.ref - raised).days
        forced = status
        if forced:
            closed_only = forced in ("resolved", "unsolvable", "revisited")
            status = "resolved" if forced == "revisited" else forced
        elif closed_only:
            status = self.pick(("resolved", "unsolvable"), (88, 12))
        elif age < 20:
            status = self.pick(("pending", "in_progress"), (50, 50))
        elif age < 60:
            status = self.pick(("pending", "in_progress", "resolved", "unsolvable"), (8, 35, 50, 7))
        else:
            status = self.pick(("in_progress", "resolved", "unsolvable"), (8, 84, 8))
        pid = new_id()
        events = [self.event(pid, raised, None, "pending", "登记群众诉求")]
        closed_on = None
        text = None
        if status != "pending":
            started = self.clamp(raised + timedelta(days=rng.randint(0, 4)))
            events.append(self.event(pid, started, "pending", "in_progress", working or "已着手办理"))
            if status in ("resolved", "unsolvable"):
                closed_on = started + timedelta(days=rng.randint(2, 30))
                if closed_only:
                    closed_on = min(closed_on, self.ref)
                if closed_on > self.ref:
                    status, closed_on = "in_progress", None
                else:
                    text = resolution if status == "resolved" else self.pick(_UNSOLVABLE)
                    events.append(self.event(pid, closed_on, "in_progress", status, text))
        revisited_on = satisfaction = None
        if forced == "revisited" and closed_on is not None and closed_on < self.ref:
            status = "revisited"
            revisited_on = self.day_between(closed_on + timedelta(days=1), self.clamp(closed_on + timedelta(days=20)))
            satisfaction = self.pick(("satisfied", "basically"), (85, 15))
            events.append(self.event(pid, revisited_on, "resolved", "revisited", "回访群众，表示满意"))
        self.statuses.add(status)
        responsible = cadres[0] if cadres else self.secretary
        row = {
            "id": pid, "household_id": hid, "visit_id": vid, "diary_id": diary_id, "source": source,
            "category": category, "description": description, "raised_on": raised,
            "responsible_id": responsible["id"], "due_date": raised + timedelta(days=15), "status": status,
            "resolution": text, "closed_on": closed_on, "revisited_on": revisited_on, "satisfaction": satisfaction,
        }
        rows["problem"].append(row)
        rows["problem_event"].extend(events)
        return row, int(status in ("pending", "in_progress"))

    # -- diaries, work logs -------------------------------------------------------------------------------------------
    def random_households(self, count: int, kinds: str | None = None) -> list[_HouseholdIndex]:
        pool = self.index if kinds is None else [h for h in self.index if h.kind in kinds]
        if not pool:
            pool = self.index
        return self.rng.sample(pool, min(count, len(pool)))

    def weather(self, d: date) -> str:
        m = d.month
        if m in (12, 1, 2):
            options, weights = ("sunny", "cloudy", "overcast", "snow", "fog"), (45, 20, 15, 12, 8)
        elif m in (6, 7, 8):
            options, weights = ("sunny", "cloudy", "shower", "light_rain", "heavy_rain", "rainstorm"), (35, 20, 15, 15, 10, 5)
        else:
            options, weights = ("sunny", "cloudy", "overcast", "light_rain", "moderate_rain", "fog"), (45, 25, 12, 10, 5, 3)
        return self.pick(options, weights)

    def make_diaries(self) -> None:
        rows: dict[str, list[dict]] = defaultdict(list)
        diaries, links = [], []
        for cadre in self.team:
            for month, days in self.in_village[cadre["id"]].items():
                chosen = self.rng.sample(days, min(len(days), self.rng.randint(8, 11)))  # distinct days: ≤ 1 a day
                for d in sorted(chosen):
                    homes = self.random_households(self.rng.randint(1, 3))
                    title, content, problems_found, follow_up = self.pick(_DIARIES)
                    names = "、".join(h.head for h in homes)
                    did = new_id()
                    diaries.append({
                        "id": did, "author_id": cadre["id"], "entry_date": d, "weather": self.weather(d),
                        "place": f"{homes[0].group}{homes[0].head}家" if homes else "村委会",
                        "people_met": names, "title": title,
                        "content": content.format(names=names, village=self.village_name), "problems_found": problems_found,
                        "follow_up": follow_up,
                    })
                    for h in homes:
                        links.append({"id": new_id(), "diary_id": did, "household_id": h.id})
                    if problems_found and self.chance(0.25) and homes:
                        # Problems found while writing the diary; already closed so household counters stay right.
                        self.problem(homes[0].id, None, d, [cadre], None, rows, source="diary", diary_id=did,
                                     closed_only=True)
        self.insert(DiaryEntry, diaries)
        self.insert(DiaryHousehold, links)
        self.insert(Problem, rows["problem"])
        self.insert(ProblemEvent, rows["problem_event"])

    def make_village_problems(self) -> None:
        """Village-wide requests raised at meetings (no household), and one of every status still missing."""
        rows: dict[str, list[dict]] = defaultdict(list)
        for month in sorted(self.rng.sample(list(self.months()), min(len(self.months()), 5))):
            cadre, d = self.team_day(month)
            self.problem(None, None, d, [cadre], None, rows, source="other", templates=_VILLAGE_PROBLEMS)
        back = {"pending": (1, 10), "in_progress": (5, 25), "resolved": (40, 120), "unsolvable": (40, 120),
                "revisited": (60, 150)}
        for status in codes.get("problem_status").codes():
            if status in self.statuses or status not in back:
                continue
            lo, hi = back[status]
            raised = max(self.start, self.ref - timedelta(days=self.rng.randint(lo, hi)))
            cadre = self.pick(self.team)
            self.problem(None, None, raised, [cadre], None, rows, source="other", status=status,
                         templates=_VILLAGE_PROBLEMS)
        self.insert(Problem, rows["problem"])
        self.insert(ProblemEvent, rows["problem_event"])

    def make_worklogs(self) -> None:
        plan = {"committee": 9, "party_congress": 6, "party_lesson": 2, "training": 3, "symposium": 2,
                "representatives": 2, "publicity": 3, "other": 2}  # per half year
        halves = [(1, 6), (7, 12)]
        rows = []
        team_names = "、".join(c["name"] for c in self.team)
        village_names = "、".join(c["name"] for c in self.village_cadres)
        for lo, hi in halves:
            months = [m for m in range(lo, hi + 1) if m <= self.ref.month]
            if not months:
                continue
            for kind, count in plan.items():
                count = max(1, round(count * len(months) / 6))
                for i in range(count):
                    month = months[min(len(months) - 1, i * len(months) // count)]
                    _, d = self.team_day(month, self.secretary)
                    topic, content = self.pick(_WORKLOGS[kind])
                    host = self.secretary["name"] if kind in ("party_lesson", "training", "publicity") \
                        else self.village_cadres[0]["name"]
                    attendees = f"{team_names}、{village_names}"
                    count_people = {"committee": 7, "party_congress": self.rng.randint(20, 32),
                                    "representatives": self.rng.randint(25, 45)}.get(kind, self.rng.randint(8, 40))
                    rows.append({
                        "id": new_id(), "log_date": d, "kind": kind, "topic": topic,
                        "place": self.pick(("村委会会议室", "党群服务中心", "村文化广场")) if kind != "publicity"
                        else "各村民小组",
                        "host": host, "attendees_count": count_people,
                        "attendees": attendees if kind == "committee" else f"{attendees}及党员群众代表",
                        "content": content,
                    })
        self.insert(WorkLog, rows)

    # -- projects -------------------------------------------------------------------------------------------------
    def make_projects(self) -> None:
        rng = self.rng
        order = codes.get("project_status").codes()
        projects, lines, events, beneficiaries, receipts = [], [], [], [], []
        finals = ["operating", "handed_over", "accepted", "in_progress", "in_progress", "tendering", "approved",
                  "evaluated"]
        poor = [h for h in self.index if h.kind in "mat"]
        for n, (name, category, nature, asset, sources, scale, mechanism, target) in enumerate(_PROJECTS):
            final = finals[n % len(finals)]
            pid = new_id()
            total = 0
            first_line = len(lines)
            for source, (lo, hi) in sources:
                planned = rng.randint(lo, hi) * 1000
                total += planned
                reached = order.index(final) >= order.index("funded")
                if order.index(final) >= order.index("accepted"):
                    received = planned
                elif reached:
                    received = planned * rng.randint(3, 8) // 10
                else:
                    received = 0
                lines.append({"id": new_id(), "project_id": pid, "source": source, "planned_amount": _money(planned),
                              "received_amount": _money(received), "note": None})
            # status history, dated from the plan through the year
            stops = order[: order.index(final) + 1]
            begin = date(self.year - 1, rng.randint(9, 12), rng.randint(1, 28)) if order.index(final) >= order.index(
                "accepted") else self.day_between(self.start, self.start + timedelta(days=60))
            span = max(1, (self.clamp(self.ref - timedelta(days=5)) - begin).days)
            begin = min(begin, self.ref)
            d = begin
            actual_start = actual_end = None
            for i, status in enumerate(stops[1:], start=1):
                d = min(self.ref, begin + timedelta(days=span * i // len(stops)))
                events.append({"id": new_id(), "project_id": pid, "event_date": d, "kind": "status",
                               "from_status": stops[i - 1], "to_status": status, "percent": None,
                               "note": _STATUS_NOTES.get(status)})
                if status == "in_progress":
                    actual_start = d
                if status == "accepted":
                    actual_end = d
            percent = 100 if actual_end else 0
            if actual_start:
                end = actual_end or self.ref
                steps = (30, 60, 100) if actual_end else (20, rng.choice((40, 50, 60, 70)))
                for k, pct in enumerate(steps, start=1):
                    pd = actual_start + timedelta(days=max(1, (end - actual_start).days * k // (len(steps) + 1)))
                    events.append({"id": new_id(), "project_id": pid, "event_date": min(pd, self.ref),
                                   "kind": "progress", "from_status": None, "to_status": None, "percent": pct,
                                   "note": f"工程完成约{pct}%"})
                percent = steps[-1]
            linked = []
            if asset == "household" or category in ("industry", "employment"):
                linked = rng.sample(poor, min(len(poor), rng.randint(8, 30))) if poor else []
                for h in linked:
                    beneficiaries.append({"id": new_id(), "project_id": pid, "household_id": h.id})
                b_households = len(linked)
                b_people = sum(h.size for h in linked)
                b_poor = sum(1 for h in linked if h.kind in "at")
                b_monitored = sum(1 for h in linked if h.kind == "m")
            else:
                b_households = self.n
                b_people = self.population
                b_poor = sum(1 for h in self.index if h.kind in "at")
                b_monitored = sum(1 for h in self.index if h.kind == "m")
            projects.append({
                "id": pid, "number": f"{self.division[:6]}{begin.year}{n + 1:03d}", "year": begin.year, "name": name,
                "category": category, "subcategory": None, "nature": nature,
                "action_type": "required" if n % 3 else "optional", "place": f"{self.village_name}{self.pick(('第1组', '第2组', '全村'))}",
                "content_scale": scale, "implementing_unit": f"{TOWNSHIP}人民政府" if n % 2 else f"{self.village_name}村民委员会",
                "supervising_dept": f"{COUNTY}农业农村局", "responsible": self.secretary["name"],
                "planned_start": begin + timedelta(days=30), "planned_end": begin + timedelta(days=240),
                "actual_start": actual_start, "actual_end": actual_end, "total_investment": _money(total),
                "status": final, "progress_percent": percent, "beneficiary_households": b_households,
                "beneficiary_people": b_people, "beneficiary_poor_households": b_poor,
                "beneficiary_monitored_households": b_monitored, "benefit_mechanism": mechanism,
                "performance_target": target, "asset_type": asset,
                "asset_owner": f"{self.village_name}村集体" if asset != "household" else "受益农户",
                "handover_date": d if final in ("handed_over", "evaluated", "operating") else None,
                "handover_note": "资产已确权登记并移交村集体管护" if final in ("handed_over", "evaluated", "operating") else None,
                "note": None,
            })
            arrived = min(actual_start or begin + timedelta(days=30), self.ref)  # 资金到位: when work could start
            receipts += [{"id": new_id(), "funding_line_id": line["id"], "received_on": arrived,
                          "amount": line["received_amount"], "note": None}
                         for line in lines[first_line:] if line["received_amount"]]
        self.insert(Project, projects)
        self.insert(FundingLine, lines)
        self.insert(FundingReceipt, receipts)
        self.insert(ProjectEvent, events)
        self.insert(ProjectBeneficiary, beneficiaries)

    # -- donations and purchases ----------------------------------------------------------------------------------
    def make_donations(self) -> None:
        rng = self.rng
        donors = [{"id": new_id(), "name": name, "kind": kind, "contact": contact, "phone": self.phone(), "note": None}
                  for name, kind, contact in _DONORS]
        donations, items, distributions = [], [], []
        handler = self.secretary["name"]
        for n, (month, donor_no, kind, purpose, target, goods, cash, condolence) in enumerate(_DONATIONS):
            if month > self.ref.month:
                continue
            first, last = self.month_days(month)
            received = self.day_between(first, min(last, first + timedelta(days=12)))
            did = new_id()
            total = Decimal("0")
            donation_items = []
            for name, spec, unit, price, (lo, hi) in goods:
                qty = rng.randint(lo, hi)
                amount = _money(qty * price)
                total += amount
                iid = new_id()
                donation_items.append((iid, name, qty, Decimal(price)))
                items.append({"id": iid, "donation_id": did, "name": name, "spec": spec, "quantity": Decimal(qty),
                              "unit": unit, "unit_price": _money(price), "amount": amount})
            if kind == "cash":
                total = _money(cash)
            donations.append({
                "id": did, "donor_id": donors[donor_no]["id"], "received_on": received, "kind": kind, "amount": total,
                "purpose": purpose, "designated_target": target, "handler": handler,
                "receipt_number": f"DX{self.year}{n + 1:03d}", "is_condolence": condolence, "note": None,
            })
            # distribution within a few weeks, never more than received
            given_on_lo = received + timedelta(days=1)
            given_on_hi = self.clamp(received + timedelta(days=20))
            if given_on_lo > self.ref:
                continue
            kinds = "mat" if condolence else "matd"
            if kind == "goods":
                for iid, name, qty, price in donation_items:
                    if name in ("书包", "文具套装"):
                        distributions.append(self.distribution(did, iid, "school", None, f"{self.village_name}小学", qty,
                                                               price, given_on_lo, given_on_hi, handler))
                        continue
                    stock = qty
                    for h in self.random_households(rng.randint(max(1, qty // 2), qty), kinds):
                        take = 2 if h.size >= 5 and stock >= 2 and self.chance(0.3) else 1
                        if stock < take:
                            break
                        stock -= take
                        distributions.append(self.distribution(did, iid, "household", h, None, take, price,
                                                               given_on_lo, given_on_hi, handler))
            else:
                left = int(cash)
                per = 1000 if "助学" in purpose else 500
                pool = [h for h in self.index if h.students] if "助学" in purpose else None
                targets = (self.rng.sample(pool, min(len(pool), left // per)) if pool
                           else self.random_households(left // per, kinds))
                if target and "村集体" in target:
                    distributions.append(self.distribution(did, None, "village", None, f"{self.village_name}村集体", 0, None,
                                                           given_on_lo, given_on_hi, handler, amount=left))
                    continue
                for h in targets:
                    if left < per:
                        break
                    left -= per
                    distributions.append(self.distribution(did, None, "household", h, None, 0, None, given_on_lo,
                                                           given_on_hi, handler, amount=per))
        self.insert(Donor, donors)
        self.insert(Donation, donations)
        self.insert(DonationItem, items)
        self.insert(Distribution, distributions)

    def distribution(self, did, iid, target_kind, h, target_name, qty, price, lo, hi, handler, amount=None) -> dict:
        proxy = h is not None and self.chance(0.1)
        return {
            "id": new_id(), "donation_id": did, "item_id": iid, "target_kind": target_kind,
            "household_id": h.id if h else None, "target_name": h.head if h else target_name,
            "quantity": Decimal(qty), "amount": _money(amount if amount is not None else qty * price),
            "distributed_on": self.day_between(lo, hi), "handler": handler, "signed": self.chance(0.97),
            "signed_by": (None if h is None else (f"{h.head}之子代领" if proxy else h.head)),
            "proxy_note": "户主外出，由家属代领" if proxy else None, "note": None,
        }

    def make_purchases(self) -> None:
        rng = self.rng
        purchases, links = [], []
        count = rng.randint(24, 36)
        suppliers = [h for h in self.index if h.kind in "ma"] or self.index
        for _ in range(count):
            d = self.day_between(self.start, self.ref)
            product, unit, price, (lo, hi) = self.pick(_PRODUCTS)
            qty = rng.randint(lo, hi)
            homes = rng.sample(suppliers, min(len(suppliers), rng.randint(1, 6)))
            pid = new_id()
            cooperative = self.chance(0.4)
            purchases.append({
                "id": pid, "purchase_date": d, "buyer_unit": self.pick(_BUYERS), "product": product,
                "supplier": f"{self.village_name}{self.pick(('农民专业合作社', '种养殖合作社'))}" if cooperative else homes[0].head,
                "origin": f"{COUNTY}{TOWNSHIP}{self.village_name}", "quantity": Decimal(qty), "unit": unit,
                "amount": _money(qty * price), "channel": self.pick(("platform832", "direct", "fair"), (40, 40, 20)),
                "households_benefiting": len(homes), "note": None,
            })
            for h in homes:
                links.append({"id": new_id(), "purchase_id": pid, "household_id": h.id})
        # a standing order (订单) for the year, as the seeds' broom order: stated apart from one-off purchases
        # (no draw from rng, so the rest of the village stays as it was for a given seed)
        pid, homes = new_id(), suppliers[:3]
        purchases.append({
            "id": pid, "purchase_date": self.start, "buyer_unit": _BUYERS[-1], "product": "扫帚（全年订单）",
            "supplier": f"{self.village_name}农民专业合作社", "origin": f"{COUNTY}{TOWNSHIP}{self.village_name}",
            "quantity": Decimal(600), "unit": "把", "amount": _money(600 * 20), "channel": "order",
            "households_benefiting": len(homes), "note": "常年订单，按季度送货",
        })
        links += [{"id": new_id(), "purchase_id": pid, "household_id": h.id} for h in homes]
        self.insert(Purchase, purchases)
        self.insert(PurchaseHousehold, links)

    def make_profile(self) -> None:
        per_capita = (self.net_income / self.income_people).quantize(Decimal("1.00")) if self.income_people else None
        committee = "\n".join(f"{c['position']} {c['name']}" for c in self.village_cadres)
        self.insert(VillageProfile, [{
            "id": new_id(), "village_id": self.village_id, "year": self.year, "households": self.n,
            "population": self.population, "agricultural_population": self.population * 86 // 100,
            "groups": self.groups, "farmland_mu": self.farmland, "forest_mu": self.forest,
            "party_members": self.party_members, "committee_members": committee, "per_capita_income": per_capita,
            "collective_income": _money(self.rng.randint(8, 40) * 10000),
            "note": f"{self.village_name}位于{COUNTY}东南部，村民收入主要依靠外出务工、种植和养殖。",
        }])

    def make_targets_and_suggestions(self) -> None:
        """Each team cadre's targets of the year (a 五个百-style campaign) and a few 意见建议. A random generator of
        its own, so the rest of the demo village stays what the same seed always made."""
        from fupin_desktop.services.targets import target_id

        own = random.Random(f"{self.seed}-targets")
        targets, suggestions = [], []
        for cadre in self.team:
            for metric, value in (("village_days", 200), ("households_visited", 100), ("diary_days", 100),
                                  ("problems_solved", 10), ("suggestions", 4)):
                targets.append({"id": target_id(cadre["id"], self.year, metric), "cadre_id": cadre["id"],
                                "year": self.year, "metric": metric, "value": value})
            for _ in range(own.randint(1, 3)):
                month = own.choice(list(self.months()))
                first, last = self.month_days(month)
                addressee, content, note = own.choice(_SUGGESTIONS)
                adopted = own.random() < 0.6
                suggestions.append({"id": new_id(), "cadre_id": cadre["id"],
                                    "made_on": first + timedelta(days=own.randint(0, (last - first).days)),
                                    "addressee": addressee, "content": content, "adopted": adopted,
                                    "adopted_note": note if adopted else None})
        self.insert(CadreTarget, targets)
        self.insert(Suggestion, suggestions)

    def run(self) -> None:
        total = self.n + 6
        self.make_village()
        self.make_attendance()
        self.run_households()
        self.tick(self.n + 1, total, "民情日记")
        self.make_diaries()
        self.make_village_problems()
        self.tick(self.n + 2, total, "工作日志")
        self.make_worklogs()
        self.tick(self.n + 3, total, "项目")
        self.make_projects()
        self.tick(self.n + 4, total, "捐赠与消费帮扶")
        self.make_donations()
        self.make_purchases()
        self.tick(self.n + 5, total, "村情")
        self.make_profile()
        self.make_targets_and_suggestions()
        record_audit(self.conn, "demo", "village",
                     detail=f"生成演示数据：{self.village_name}，{self.year}年，{self.n}户，种子{self.seed}")
        claim_home_village(self.conn, self.village_id)
        self.tick(total, total, "完成")


def generate_demo(db, households: int, seed: int = 1, year: int | None = None, progress: Progress | None = None,
                  *, cancel=None, batch: int = DEFAULT_BATCH, village: str | None = None,
                  division: str | None = None) -> DemoSummary:
    """Fill ``db`` with one demo village of ``households`` households and a year of records (one transaction).

    ``village``/``division`` name the village and its 12-digit division code (default 东兴村 130204203213), so that
    several distinct demo villages can be built for a township. ``year`` defaults to this year, dated up to today
    (a trainee sees this year's targets being met, not a finished last year). ``progress(done, total, text)`` is
    called after every batch of households; ``cancel`` (a ``ui.tasks`` token, or anything with
    ``raise_if_cancelled()``) is consulted at the same points, and cancelling rolls everything back.
    Does not look at what is already in ``db``: callers refuse or clear a non-empty database first.

    Raises ValidationError for a household count below 1 or a year after this one or before 2016.
    """
    today = date.today()
    if households < 1:
        raise ValidationError("households", "户数至少为1")
    year = year if year is not None else today.year
    if year > today.year:
        raise ValidationError("year", f"演示数据的年度不能晚于今年（{today.year}年）")
    if year < 2016:
        raise ValidationError("year", "演示数据的年度不能早于2016年")
    if division is not None:
        division = DivisionCode.parse(division).value
    if village is not None and not village.strip():
        raise ValidationError("village", "村名不能为空")
    ref = date(year, 12, 31) if year < today.year else today
    with bulk_connection(db) as conn:
        demo = _Demo(conn, households, seed, year, ref, progress, max(1, batch), cancel,
                     village or VILLAGE, division or DIVISION_CODE)
        demo.run()
    counts = dict(sorted(demo.counts.items()))
    return DemoSummary(demo.village_name, demo.division, year, seed, households, counts.get("member", 0),
                       MappingProxyType(counts))


# --- wording ------------------------------------------------------------------------------------------------------

_FINDINGS = {
    "m": (
        "家庭成员身体状况稳定，帮扶措施已落实，收入较上月无明显变化",
        "患病成员坚持服药，医疗费用已按政策报销，家庭生活基本正常",
        "务工成员已返岗，收入有所恢复，“两不愁三保障”及饮水安全均有保障",
        "产业奖补资金已到位，养殖规模稳定，风险尚未消除，继续跟踪",
    ),
    "a": (
        "家庭收入稳定，“两不愁三保障”及饮水安全均有保障",
        "外出务工正常，家中老人身体尚可，无返贫风险",
        "享受政策落实到位，医保已缴费，孩子正常上学",
    ),
    "d": (
        "低保金按月发放到位，家庭生活有保障",
        "患病成员病情稳定，慢病卡已办理",
    ),
    "t": (
        "特困供养金按时发放，老人身体状况一般，生活有保障",
        "房屋安全，冬季取暖已落实",
    ),
    "o": (
        "家庭收入稳定，未发现返贫致贫风险",
        "家中成员务工正常，无特殊困难",
        "宣传防返贫监测政策，农户了解自主申报渠道",
    ),
}
_ACTIONS = (
    "宣传了防返贫监测和自主申报政策", "讲解了城乡居民医保和养老保险缴费政策", "核对了家庭收入和务工情况",
    "提醒注意用电用火安全", "宣传小额信贷和产业奖补政策", "了解孩子上学情况，宣传雨露计划", "无",
)
_PROBLEMS = (
    ("道路", "反映门前生产路雨后泥泞，出行不便", "已报村两委，纳入道路维修计划", "已协调铺设砂石路面，出行问题解决"),
    ("饮水", "反映家中自来水水压不足，经常停水", "已联系村水管员排查管网", "更换入户管道和阀门，供水恢复正常"),
    ("医疗", "{member}患慢性病，门诊慢特病待遇尚未办理", "已协助准备办理材料", "已办理门诊慢特病待遇，可按规定报销"),
    ("就业", "{member}希望在附近找份工作", "已推荐到村内合作社和区内企业", "已安排到村扶贫车间务工，月收入约2500元"),
    ("住房", "房屋墙体出现裂缝，担心住房安全", "已申请住房安全鉴定", "经鉴定为B级，已协调维修加固"),
    ("教育", "孩子就读中职，咨询雨露计划补助", "已协助提交申请材料", "雨露计划补助已发放到位"),
    ("政策咨询", "咨询城乡居民养老保险缴费档次和补贴", None, "已当面讲解缴费档次和政府补贴政策"),
    ("邻里纠纷", "与邻居因宅基地边界发生纠纷", "已会同村调委会上门调解", "双方达成调解协议，纠纷化解"),
    ("社会保障", "家庭困难，申请纳入低保", "已协助提交申请，等待乡镇审核", "经审核符合条件，已纳入低保"),
    ("农业生产", "玉米出现病虫害，询问防治办法", "已联系乡农技站", "农技人员已上门指导，病虫害得到控制"),
    ("基础设施", "反映巷道路灯损坏，夜间出行不便", "已报村两委安排维修", "路灯已修复"),
)
_VILLAGE_PROBLEMS = (
    ("基础设施", "村民反映村内主干道多处路灯损坏", "已报乡政府协调维修", "已更换路灯12盏，夜间照明恢复"),
    ("人居环境", "村民代表反映村东坑塘垃圾堆积", "已安排保洁员集中清理", "坑塘垃圾已清运，设立禁倒标识"),
    ("饮水", "第3组反映夏季用水高峰水压不足", "已联系区水务局排查", "加装增压泵，高峰期供水正常"),
    ("道路", "群众反映生产路桥涵堵塞，雨季积水", "已组织人员疏通", "桥涵已疏通，新修排水沟80米"),
    ("文化", "群众希望文化广场增加健身器材", "已纳入文化广场提升项目", "已安装健身器材10件"),
    ("农业生产", "种植户反映缺少农资采购渠道", "已联系供销社", "供销社在村设立农资服务点"),
)
_UNSOLVABLE = (
    "经核查不符合政策规定，已向群众耐心解释，群众表示理解",
    "属历史遗留问题，需由上级统一解决，已向群众说明情况",
    "诉求超出政策范围，已当面解释相关政策，群众表示理解",
)
_DIARIES = (
    ("走访脱贫户", "今天到{names}家走访，了解了家庭收入和务工情况，宣传了防返贫监测政策。群众对帮扶工作比较满意。",
     None, "下次走访时核对务工收入"),
    ("了解产业发展情况", "与{names}聊起今年的种植收成，玉米价格比去年略低，养殖收入稳定。群众希望多组织技术培训。",
     "群众希望组织种养殖技术培训", "与乡农技站联系，安排一次培训"),
    ("看望老人", "看望了{names}，老人身体尚可，冬季取暖已落实。叮嘱家属注意用火用电安全。", None, None),
    ("排查饮水安全", "随村水管员入户查看饮水情况，{names}家自来水正常，水质清澈。", None, None),
    ("调解邻里矛盾", "{names}两家因排水沟问题发生口角，工作队会同村调委会上门调解，双方各让一步。",
     "排水沟堵塞需疏通", "督促村里安排疏通排水沟"),
    ("宣传医保政策", "到{names}家宣传城乡居民医保缴费政策，讲解了大病保险和医疗救助的报销办法。", None,
     "下周继续入户宣传"),
    ("了解孩子上学情况", "到{names}家了解孩子上学情况，孩子成绩不错，家长担心以后学费负担。",
     "家长担心学费负担", "落实雨露计划和助学金政策"),
    ("入户核查收入", "和村会计一起到{names}家核算全年收入，务工收入占大头，人均纯收入稳定在监测范围以上。", None, None),
)
_SUGGESTIONS = (
    ("乡党委", "建议在各村民小组设立就业信息公示栏，及时发布务工岗位", "乡里已在各村推广"),
    ("村两委", "建议将村道路灯维护纳入村规民约，明确专人管护", "村民代表大会通过"),
    ("派出单位", "建议派出单位工会优先采购本村小米、核桃等农产品", "单位食堂已签订采购协议"),
    ("县农业农村局", "建议对养殖户开展一次防疫技术培训", "已列入下季度培训计划"),
    ("村两委", "建议对监测户实行“一户一策”台账动态管理", "已建立台账"),
)

_WORKLOGS = {
    "committee": (
        ("研究防返贫动态监测工作", "传达上级文件精神，逐户研究近期排查发现的风险线索，确定入户核查名单。"),
        ("研究村集体经济发展", "讨论食用菌大棚运营方案和收益分配办法。"),
        ("研究村内道路维修事项", "讨论生产路维修方案、资金来源和施工安排。"),
        ("研究低保评议事项", "对新申请低保的家庭进行初步评议，形成意见报乡镇。"),
        ("研究人居环境整治工作", "安排春季环境卫生整治，明确各组责任人。"),
        ("研究项目申报工作", "研究明年衔接资金项目申报，形成项目建议。"),
    ),
    "party_congress": (("主题党日活动", "重温入党誓词，学习党的最新理论，交纳党费。"),
                       ("党员大会", "通报村务财务情况，讨论发展党员事项。")),
    "party_lesson": (("第一书记讲党课", "围绕巩固拓展脱贫攻坚成果同乡村振兴有效衔接讲专题党课。"),),
    "training": (("种养殖技术培训", "邀请区农业农村局技术人员讲解肉牛养殖和大棚种植技术。"),
                 ("防返贫监测业务培训", "培训帮扶责任人入户排查和信息采集方法。"),
                 ("电商销售培训", "讲解农产品网上销售和832平台入驻流程。")),
    "symposium": (("脱贫户座谈会", "听取脱贫户对帮扶工作的意见建议。"),
                  ("新乡贤座谈会", "邀请在外能人为家乡发展出谋划策。")),
    "representatives": (("村民代表大会", "审议村集体收益分配方案和项目实施方案。"),),
    "publicity": (("防返贫政策入户宣传", "分组入户发放明白纸，宣传自主申报渠道和帮扶政策。"),
                  ("医保缴费宣传", "入户宣传城乡居民医保缴费时间和标准。")),
    "other": (("迎接上级督导检查", "准备档案资料，陪同督导组入户核查。"),
              ("组织志愿服务活动", "组织党员志愿者清理村内垃圾。")),
}
_STATUS_NOTES = {
    "village_apply": "村两委和驻村工作队提出，村内公示无异议", "township_review": "乡镇审核通过并公示",
    "county_review": "县级论证通过", "approved": "县审定入库并公告", "funded": "年度资金计划下达",
    "tendering": "完成招投标", "in_progress": "开工建设", "accepted": "竣工验收合格，完成报账",
    "handed_over": "资产确权登记并移交", "evaluated": "完成绩效自评", "operating": "进入运营管护",
}
_PROJECTS = (
    ("东兴村村内道路硬化工程", "rural_construction", "new", "public",
     (("central", (200, 400)), ("province", (80, 150)), ("county", (30, 80)), ("village", (10, 30))),
     "硬化村内主干道2.3公里，宽4.5米", "改善群众出行条件，雇用本村脱贫劳动力参与施工",
     "道路硬化2.3公里，受益群众全村"),
    ("食用菌种植大棚建设项目", "industry", "new", "operating",
     (("central", (300, 500)), ("city", (50, 100)), ("unit", (50, 120))),
     "新建食用菌种植大棚12座及配套设施", "租赁给合作社经营，收益用于村集体和脱贫户分红，带动务工",
     "年租金收益不低于8万元，带动20户务工"),
    ("饮水安全巩固提升工程", "three_guarantees", "rebuild", "public",
     (("province", (100, 200)), ("county", (40, 80)), ("integrated", (50, 100))),
     "更换供水管网3.5公里，新建蓄水池1座", "保障全村饮水安全", "自来水入户率100%"),
    ("村级光伏电站运维项目", "industry", "repair", "operating",
     (("county", (20, 60)), ("village", (5, 20))),
     "维修村级光伏电站逆变器及线路", "发电收益用于设置公益岗位和村集体收入", "年发电收益不低于6万元"),
    ("脱贫户庭院经济奖补项目", "industry", "new", "household",
     (("central", (50, 120)), ("villagers", (10, 30))),
     "对发展庭院种植养殖的脱贫户和监测户给予奖补", "直接奖补到户，增加家庭经营性收入", "带动30户户均增收2000元"),
    ("村级公益岗位开发项目", "employment", "new", "public",
     (("county", (60, 120)), ("east_west", (30, 60))),
     "开发保洁、护林、护路等公益岗位20个", "优先安排弱劳动力脱贫人口和监测对象就业", "安置20人，人均月补贴600元"),
    ("农村人居环境整治项目", "rural_construction", "rebuild", "public",
     (("city", (40, 80)), ("county", (20, 50)), ("yishiyiyi", (10, 30)), ("villagers", (5, 15))),
     "改造卫生厕所60户，清理坑塘3处", "改善人居环境，雇用本村劳动力参与施工", "卫生厕所普及率达到95%"),
    ("文化广场及党群服务中心提升项目", "governance", "rebuild", "public",
     (("unit", (80, 150)), ("donation", (20, 50)), ("village", (10, 20))),
     "提升改造文化广场1200平方米，配置健身器材", "丰富群众文化生活", "建成文化广场1处"),
)
_DONORS = (
    ("唐山市财政局", "unit", "办公室"), ("古冶区慈善协会", "unit", "秘书处"),
    ("河北冀东建设集团有限公司", "enterprise", "工会主席"), ("唐山丰源食品有限公司", "enterprise", "总经理"),
    ("爱心人士王建华", "person", "王建华"), ("古冶区妇女联合会", "unit", "权益部"),
)
# (month, donor, kind, purpose, designated target, goods items, cash amount, is_condolence)
_DONATIONS = (
    (1, 0, "goods", "春节走访慰问", "脱贫户、监测户", (("大米", "10kg/袋", "袋", 60, (60, 160)),
                                                ("食用油", "5L/桶", "桶", 70, (60, 160))), 0, True),
    (1, 2, "cash", "春节慰问困难群众", "困难群众", (), 30000, True),
    (3, 3, "goods", "爱心捐赠", None, (("牛奶", "24盒/箱", "箱", 65, (40, 100)),), 0, False),
    (5, 5, "goods", "六一儿童节慰问", "在校学生", (("书包", "儿童双肩包", "个", 80, (30, 60)),
                                           ("文具套装", "12件套", "套", 35, (30, 60))), 0, True),
    (6, 1, "cash", "村内道路维修", "村集体", (), 50000, False),
    (8, 4, "cash", "助学", "考上大学和就读中职的学生", (), 20000, False),
    (9, 0, "goods", "中秋节走访慰问", "脱贫户、监测户", (("月饼", "礼盒装", "盒", 50, (50, 150)),), 0, True),
    (10, 3, "goods", "重阳节敬老", "80岁以上老人", (("面粉", "10kg/袋", "袋", 45, (30, 80)),), 0, True),
    (11, 2, "goods", "冬季送温暖", "困难群众", (("棉被", "2kg", "床", 150, (30, 80)),
                                        ("羽绒服", "成人款", "件", 200, (20, 60))), 0, True),
    (12, 1, "cash", "元旦慰问", "困难群众", (), 20000, True),
)
_PRODUCTS = (
    ("小米", "公斤", 12, (100, 800)), ("杂粮礼盒", "盒", 88, (50, 300)), ("土鸡蛋", "公斤", 16, (100, 600)),
    ("蜂蜜", "瓶", 45, (50, 300)), ("香菇", "公斤", 30, (100, 500)), ("红薯粉条", "公斤", 20, (100, 400)),
    ("苹果", "公斤", 8, (500, 2000)), ("板栗", "公斤", 24, (100, 600)),
)
_BUYERS = ("唐山市财政局工会", "唐山市财政局机关食堂", "古冶区教育局食堂", "古冶区人民医院食堂", "古冶区总工会",
           "唐山市某国有企业工会", "古冶区机关事务服务中心")
