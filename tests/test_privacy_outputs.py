"""Every masked output of a 300-household demo village, tried as a hostile reader would (issue 14, items 1 and 12).

The outputs: every PDF the CLI ``report`` verb can make (each ledger, 一户一册, 民情日记本, 工作总结), each in its
normal and its ``--public`` form, and every export kind (``export`` masked, ``export --public``, the township
summary made from the package). Texts: pdftotext (PDF), every cell of every sheet (xlsx).

* **Irreversibility** (:func:`test_no_id_can_be_rebuilt_from_any_masked_output`): for every person whose masked 身份证号
  an output prints next to their name, count the IDs that fit everything the same output shows — the visible
  characters of the mask, a birth date, year, month or age printed in a row with the name, the sex (always assumed
  known), the area code (always assumed known: it is the village's county) and the GB 11643 check character. The
  count must be ≥ 1,000 for everyone. The count is exact (not sampled): birth dates of a window are grouped by
  their weighted digit sum mod 11, sequences likewise.
* **公示 scan** (:func:`test_public_outputs_carry_no_health_disability_or_free_text`): no health or disability code
  label (domain/codes.py), no 因病/因残, and none of the demo's free-text health phrases in any 公示 output (the
  ``--public`` forms, and the 公示 notices of reports.notices in every form and for the last years); and
  ``--public`` is refused (exit 2, Chinese message) for a document without a public form.
"""
from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import pytest

from fupin_desktop.domain.idcard import CHECK_CHARS, WEIGHTS, check_char
from fupin_desktop.reports import registry
from fupin_desktop.reports.notices import NOTICE_KEYS

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")]

HOUSEHOLDS = 300
SEED = 14
YEAR = date.today().year - 1
MIN_CANDIDATES = 1_000
EARLIEST = date(1900, 1, 1)

# What a 公示 output must never show: the code labels of health and disability, 因病/因残, and the demo's free text
# about illness (services/demo.py: _FINDINGS, _PROBLEMS, _DIARIES, the measures).
HEALTH_PHRASES = ("患病", "服药", "病情", "慢病", "慢性病", "慢特病", "身体状况", "身体尚可", "医疗费用", "大病救助",
                  "残疾人", "诊疗")


def forbidden_in_public() -> tuple[str, ...]:
    from fupin_desktop.domain import codes

    # (the 残疾等级 labels 一级…四级 are also civil-service ranks, 四级调研员: a level is caught by its 残疾 header)
    labels = {i.label for name in ("health", "disability_category") for i in codes.get(name).items()}
    labels |= {codes.label("risk_type", "illness"), codes.label("risk_type", "disability")}
    labels -= {"健康"}  # the label of "healthy": also part of ordinary words (健康帮扶 is caught by its own phrases)
    return tuple(sorted(labels)) + HEALTH_PHRASES


# --- counting the IDs that fit ------------------------------------------------------------------------------------


@dataclass
class Person:
    id_number: str
    name: str
    birth: date
    male: bool


@dataclass
class Output:
    name: str
    public: bool
    rows: list[str]  # a PDF line or a sheet row (cells joined by tabs)
    on: date  # the date the output states (print date, export date): ages are counted on it
    texts: str = ""  # all text, for the 公示 scan
    by_name: dict[str, list[int]] = field(default_factory=dict)


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@lru_cache(maxsize=None)
def _date_table(until: date) -> tuple[list[int], list[list[int]]]:
    """Ordinals of every day from 1900 to ``until`` and, per residue r, the prefix counts of days whose weighted
    birth-date digits sum to r mod 11."""
    ordinals, prefix = [], [[0] for _ in range(11)]
    d = EARLIEST
    while d <= until:
        s = sum(int(c) * w for c, w in zip(d.strftime("%Y%m%d"), WEIGHTS[6:14]))
        ordinals.append(d.toordinal())
        for r in range(11):
            prefix[r].append(prefix[r][-1] + (s % 11 == r))
        d += timedelta(days=1)
    return ordinals, prefix


@lru_cache(maxsize=None)
def _sequences(male: bool, visible: tuple[tuple[int, str], ...]) -> tuple[int, ...]:
    """Per residue, how many 3-digit sequences fit the sex (digit 17 odd = male) and the visible digits 15–17."""
    out = [0] * 11
    for n in range(1000):
        seq = f"{n:03d}"
        if (int(seq[2]) % 2 == 1) != male or any(seq[p - 14] != ch for p, ch in visible):
            continue
        out[sum(int(c) * w for c, w in zip(seq, WEIGHTS[14:17])) % 11] += 1
    return tuple(out)


def age_window(age: int, on: date) -> tuple[date, date]:
    def years_back(n: int) -> date:
        try:
            return on.replace(year=on.year - n)
        except ValueError:  # 29 February
            return on.replace(year=on.year - n, day=28)

    hi = years_back(age)
    while age_on(hi + timedelta(days=1), on) == age:
        hi += timedelta(days=1)
    while age_on(hi, on) != age:
        hi -= timedelta(days=1)
    lo = years_back(age + 1)
    while age_on(lo, on) != age:
        lo += timedelta(days=1)
    return lo, hi


def candidates(p: Person, visible: dict[int, str], known: dict, on: date) -> int:
    """How many IDs fit: the area is known, the sex is known, plus what the output shows (visible characters of the
    mask; ``known``: birth date / year / (year, month) / age on ``on``)."""
    if len(visible) == 18:
        return 1
    lo, hi = EARLIEST, on
    if "birth" in known:
        lo = hi = known["birth"]
    if "year" in known:
        lo, hi = max(lo, date(known["year"], 1, 1)), min(hi, date(known["year"], 12, 31))
    if "month" in known:
        y, m = known["month"]
        last = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))
        lo, hi = max(lo, date(y, m, 1)), min(hi, last)
    if "age" in known:
        a, b = age_window(known["age"], on)
        lo, hi = max(lo, a), min(hi, b)
    if lo > hi:
        return 0
    ordinals, prefix = _date_table(on)
    i, j = bisect_left(ordinals, lo.toordinal()), bisect_right(ordinals, hi.toordinal())
    date_digits = {pos: ch for pos, ch in visible.items() if 6 <= pos < 14}
    if date_digits:  # a mask showing part of the birth date: count those days one by one
        per_residue = [0] * 11
        for o in ordinals[i:j]:
            text = date.fromordinal(o).strftime("%Y%m%d")
            if all(text[pos - 6] == ch for pos, ch in date_digits.items()):
                per_residue[sum(int(c) * w for c, w in zip(text, WEIGHTS[6:14])) % 11] += 1
    else:
        per_residue = [prefix[r][j] - prefix[r][i] for r in range(11)]
    seqs = _sequences(p.male, tuple(sorted((pos, ch) for pos, ch in visible.items() if 14 <= pos < 17)))
    area = sum(int(c) * w for c, w in zip(p.id_number[:6], WEIGHTS[:6]))
    if 17 not in visible:
        return sum(per_residue) * sum(seqs)
    target = CHECK_CHARS.index(visible[17])
    return sum(per_residue[r] * seqs[(target - area - r) % 11] for r in range(11))


MASKED_TOKEN = re.compile(r"(?<![0-9A-Za-z*])[0-9Xx*]{15,22}(?![0-9A-Za-z*])")
NUMBER = re.compile(r"(?<![\d.\-/])(\d{1,4})(?:周?岁)?(?![\d.\-/%])")
CJK_RUN = re.compile(r"[\u3400-\u9fff·]{2,}")


def visible_of(token: str, id_number: str) -> dict[int, str] | None:
    """The characters ``token`` shows of ``id_number``; None if it is not (a mask of) that number."""
    token = token.upper()
    if len(token) != 18 or "*" not in token and token != id_number:
        return None
    shown = {i: ch for i, ch in enumerate(token) if ch != "*"}
    return shown if all(id_number[i] == ch for i, ch in shown.items()) else None


def known_facts(p: Person, rows: list[str], on: date) -> dict:
    b = p.birth
    forms = {b.isoformat(), f"{b.year}年{b.month}月{b.day}日", f"{b.year}年{b.month:02d}月{b.day:02d}日",
             b.strftime("%Y.%m.%d"), b.strftime("%Y/%m/%d"), f"{b.year}/{b.month}/{b.day}", b.strftime("%Y%m%d")}
    months = {f"{b.year}-{b.month:02d}", f"{b.year}年{b.month}月", f"{b.year}.{b.month:02d}"}
    age = str(age_on(b, on))
    known: dict = {}
    for row in rows:
        if any(f in row for f in forms):
            known["birth"] = b
        if any(m in row for m in months):
            known["month"] = (b.year, b.month)
        numbers = set(NUMBER.findall(row))
        if str(b.year) in numbers or f"{b.year}年" in row.split():
            known["year"] = b.year
        if age in numbers:
            known["age"] = int(age)
    return known


def index_names(out: Output, names: frozenset[str]) -> None:
    for i, row in enumerate(out.rows):
        for run in CJK_RUN.findall(row):
            for n in (2, 3, 4):
                for k in range(len(run) - n + 1):
                    if run[k:k + n] in names:
                        out.by_name.setdefault(run[k:k + n], []).append(i)


def exposures(out: Output, people: list[Person]) -> dict[str, int]:
    """Candidates left for each person whose (masked) ID this output prints beside their name."""
    found: dict[str, int] = {}
    for p in people:
        rows = [out.rows[i] for i in sorted(set(out.by_name.get(p.name, ())))]
        visible: dict[int, str] = {}
        shown = False
        for row in rows:
            for token in MASKED_TOKEN.findall(row):
                v = visible_of(token, p.id_number)
                if v is not None:
                    shown = True
                    visible.update(v)
        if shown:
            n = candidates(p, visible, known_facts(p, rows, out.on), out.on)
            found[p.id_number] = min(n, found.get(p.id_number, n))
    return found


# --- the village and its outputs ----------------------------------------------------------------------------------


def report_documents() -> list[str]:
    """Every document ``report`` can print, once each: the one registry the CLI and the reports page share, by
    the command line's names (ledger-visits, diary-book …; the page's keys are aliases of the same documents)."""
    from fupin_desktop.reports import registry

    return [d.aliases[0] if d.aliases else d.key for d in registry.DOCUMENTS]


def pdf_lines(path: Path) -> tuple[list[str], str]:
    layout = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                            text=True).stdout
    raw = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return layout.splitlines(), raw


def print_date(text: str) -> date:
    m = re.search(r"打印日期：\s*(\d{4})年(\d{1,2})月(\d{1,2})日", text)
    return date(*map(int, m.groups())) if m else date.today()


def sheet_rows(path: Path) -> tuple[list[str], date]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    rows, on = [], date.today()
    try:
        for ws in wb.worksheets:
            for values in ws.iter_rows(values_only=True):
                cells = ["" if v is None else v.date().isoformat() if isinstance(v, datetime) else str(v)
                         for v in values]
                if ws.title == "说明" and cells[:1] == ["导出时间"] and len(cells) > 1:
                    on = date.fromisoformat(cells[1][:10])
                rows.append("\t".join(cells))
    finally:
        wb.close()
    return rows, on


@dataclass
class Village:
    people: list[Person]
    outputs: list[Output]
    refused: dict[str, tuple[int, str]]  # document → (exit code, message) of a refused --public
    documents: list[str]


@pytest.fixture(scope="module")
def village(template_db, tmp_path_factory) -> Village:
    from fupin_desktop import cli
    from fupin_desktop.services.demo import generate_demo
    from fupin_desktop.storage.db import Database

    folder = tmp_path_factory.mktemp("privacy-outputs")
    shutil.copyfile(template_db, folder / "fupin.sqlite3")
    db = Database(f"sqlite:///{folder / 'fupin.sqlite3'}")
    generate_demo(db, households=HOUSEHOLDS, seed=SEED, year=YEAR)
    people: dict[str, Person] = {}
    with db.engine.connect() as conn:
        for id_number, name, birth, sex in conn.exec_driver_sql(
                "SELECT id_number, name, birth_date, sex FROM member WHERE id_number IS NOT NULL"):
            born = date.fromisoformat(str(birth)[:10]) if birth else date(int(id_number[6:10]),
                                                                            int(id_number[10:12]),
                                                                            int(id_number[12:14]))
            people[id_number] = Person(id_number, name, born, int(id_number[16]) % 2 == 1)
        for id_number, name in conn.exec_driver_sql(
                "SELECT head_id_number, head_name FROM household WHERE head_id_number IS NOT NULL"):
            people.setdefault(id_number, Person(id_number, name, date(int(id_number[6:10]), int(id_number[10:12]),
                                                                      int(id_number[12:14])),
                                                int(id_number[16]) % 2 == 1))
    assert len(people) > 2 * HOUSEHOLDS
    outputs: list[Output] = []
    refused: dict[str, tuple[int, str]] = {}
    documents = report_documents()
    with pytest.MonkeyPatch.context() as mp:
        from fupin_desktop.services import Services
        from fupin_desktop.storage.db import Actor

        lent = Services(db, actor=Actor(None, "测试管理员", "admin"), data_dir=folder)

        @contextlib.contextmanager
        def signed_in(need="read"):  # every verb signs in through cli.signed_in: lend it this village
            yield lent

        mp.setattr(cli, "signed_in", signed_in)
        for doc in documents:
            for public in (False, True):
                path = folder / f"{doc}{'-public' if public else ''}.pdf"
                err = io.StringIO()
                with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                    code = cli.main(["report", doc, "--year", str(YEAR), "--out", str(path)]
                                    + (["--public"] if public else [])
                                    + (["--batch", "1"] if registry.BATCH in registry.get(doc).options else []))
                if public and code != 0:
                    refused[doc] = (code, err.getvalue())
                    continue
                assert code == 0, (doc, public, err.getvalue())
                lines, raw = pdf_lines(path)
                # a 公示 notice is public in either form (reports.notices): scanned as a 公示 output both times
                outputs.append(Output(f"{doc}{' --public' if public else ''}", public or doc in NOTICE_KEYS, lines,
                                      print_date(raw), raw))
        for doc in NOTICE_KEYS:  # the demo dates 纳入/风险消除 over earlier years too: every year's notice is read
            for year in range(YEAR - 3, YEAR):
                path = folder / f"{doc}-{year}.pdf"
                with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
                    assert cli.main(["report", doc, "--year", str(year), "--out", str(path)]) == 0
                lines, raw = pdf_lines(path)
                outputs.append(Output(f"{doc} {year}", True, lines, print_date(raw), raw))
        for public in (False, True):
            path = folder / f"package{'-public' if public else ''}.xlsx"
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                assert cli.main(["export", "--out", str(path)] + (["--public"] if public else [])) == 0
            rows, on = sheet_rows(path)
            outputs.append(Output(f"export{' --public' if public else ''}", public, rows, on, "\n".join(rows)))
    try:
        from fupin_desktop.exchange.township import write_summary
    except ImportError:  # the township summary moved: the two packages above still cover the exports
        pass
    else:
        path = write_summary([folder / "package.xlsx"], folder / "township.xlsx")
        rows, on = sheet_rows(path)
        outputs.append(Output("township summary", False, rows, on, "\n".join(rows)))
    names = frozenset(p.name for p in people.values())
    for out in outputs:
        index_names(out, names)
    yield Village(list(people.values()), outputs, refused, documents)
    db.dispose()


# --- the tests ----------------------------------------------------------------------------------------------------


def test_the_counter_rebuilds_what_the_old_mask_gave_away():
    """The counting is right: the old mask beside a birth date leaves exactly one ID; the new one leaves many."""
    from fupin_desktop.domain.idcard import make_id

    born = date(1973, 5, 2)
    real = make_id("130204", born, 303)
    p = Person(real, "张三", born, True)
    on = date(2026, 12, 3)
    old = Output("old", False, [f"张三 户主 男 {real[:6]}********{real[14:]} {born.isoformat()} 初中"], on)
    index_names(old, frozenset({"张三"}))
    assert exposures(old, [p]) == {real: 1}
    # brute force over the hidden digits agrees with the grouped count (a year of dates, old mask)
    brute = sum(1 for d in range(365) for s in range(1000)
                if (s % 10) % 2 == 1 and f"{s:03d}" == real[14:17]
                and check_char(real[:6] + (date(1973, 1, 1) + timedelta(days=d)).strftime("%Y%m%d") + f"{s:03d}")
                == real[17])
    assert candidates(p, {i: real[i] for i in (*range(6), 14, 15, 16, 17)}, {"year": 1973}, on) == brute
    new = Output("new", False, [f"张三 户主 男 {real[:6]}{'*' * 12} {age_on(born, on)} 初中"], on)
    index_names(new, frozenset({"张三"}))
    assert exposures(new, [p])[real] >= 100_000
    assert candidates(p, {i: real[i] for i in range(6)}, {"birth": born}, on) == 500  # why no birth date is shown


def test_every_report_and_export_kind_is_covered(village):
    made = {o.name.removesuffix(" --public") for o in village.outputs}
    assert set(village.documents) <= made
    assert {"export", "export --public"} <= {o.name for o in village.outputs}
    assert {"ledger-roster", "ledger-visits", "handbook"} <= set(village.documents)


def test_no_id_can_be_rebuilt_from_any_masked_output(village):
    counts: dict[str, dict[str, int]] = {}
    for out in village.outputs:
        counts[out.name] = exposures(out, village.people)
    # the test looks where IDs are: the roster, the 一户一册 and both packages print masked IDs beside names
    for name in ("ledger-roster", "handbook", "export", "export --public"):
        assert len(counts[name]) >= HOUSEHOLDS, (name, len(counts[name]))
    assert len(counts["handbook"]) >= 0.9 * len(village.people)
    weak = {name: sorted(c.values())[:5] for name, c in counts.items() if c and min(c.values()) < MIN_CANDIDATES}
    rebuilt = {name: sum(1 for n in c.values() if n <= 1) for name, c in counts.items()}
    lowest = {name: min(c.values()) for name, c in counts.items() if c}
    assert not weak, (f"IDs narrowed below {MIN_CANDIDATES} candidates (fewest per output): {weak}; "
                      f"rebuilt exactly: {rebuilt}")
    print("fewest candidates per output:", lowest)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_public_outputs_carry_no_health_disability_or_free_text(village):
    words = forbidden_in_public()
    internal = " ".join(_squeezed(o.texts) for o in village.outputs if not o.public)
    # the demo does write these: a scan that finds nothing in the internal documents proves nothing
    assert sum(1 for w in words if w in internal) >= 10, [w for w in words if w in internal]
    public = [o for o in village.outputs if o.public]
    assert {o.name for o in public} >= {"ledger-visits --public", "ledger-diary --public", "ledger-problems --public",
                                        "ledger-distributions --public", "handbook --public", "export --public"}
    # the 公示 notices (issue 17) are scanned too, in both forms, and the monitoring ones name households
    assert {f"{k}{s}" for k in NOTICE_KEYS for s in ("", " --public")} <= {o.name for o in public}
    for key in ("notice_monitored", "notice_eliminated"):
        assert any(o.by_name for o in public if o.name.startswith(key)), f"no {key} with households was scanned"
    leaks = {}
    for out in public:
        text = _squeezed(out.texts)
        hits = [w for w in words if w in text]
        if hits:
            leaks[out.name] = hits
    assert not leaks, leaks
    package = next(o for o in public if o.name == "export --public")
    assert not any(r.split("\t")[:1] == ["记录ID"] and "出生日期" in r.split("\t") for r in package.rows)


def test_public_is_refused_for_documents_without_a_public_form(village):
    for doc in ("diary-book", "summary"):
        assert doc in village.refused, f"--public was accepted for {doc}"
    for doc, (code, message) in village.refused.items():
        assert code == 2 and "没有公示版" in message, (doc, code, message)
