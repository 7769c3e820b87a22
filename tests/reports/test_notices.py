"""公示 notices (issue 17): the rows the service gathers (counted against the database), the 公示期 rule (≥ 5 days,
projects ≥ 10), the allow-list of columns (issue 14's mechanism), and the rendered notice: title, table, 公示期,
监督电话 and 落款, nothing personal beyond what a notice may show."""
from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date

import pytest

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.reports import notices, registry
from fupin_desktop.reports.notices import MIN_DAYS, NOTICE_KEYS, NoticeTerms
from fupin_desktop.services.reporting import Period, ReportFilter

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

TODAY = date(2024, 1, 10)
ID_LIKE = re.compile(r"(?<![\d*])\d{6}[\d*]{11}[\dXx*](?![\d*])")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from fupin_desktop.services import Services
    from fupin_desktop.services.demo import generate_demo
    from fupin_desktop.storage.db import Actor
    from fupin_desktop.storage.migrate import open_database

    folder = tmp_path_factory.mktemp("notices")
    db = open_database(f"sqlite:///{folder / 'demo.sqlite3'}")
    generate_demo(db, 60, seed=5, year=2023)
    yield Services(db, actor=Actor(None, "测试", "admin"), data_dir=folder, today=lambda: TODAY), db
    db.dispose()


def sql(db, text: str, *args):
    with db.engine.connect() as conn:
        return conn.exec_driver_sql(text, args).all()


def text_of(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def busiest_year(db, column: str) -> int:
    """The year with the most households 纳入 (or 风险消除): the demo dates them over several years."""
    rows = sql(db, f"SELECT {column} FROM household WHERE deleted_at IS NULL AND {column} IS NOT NULL")
    years = [int(str(v)[:4]) for (v,) in rows]
    assert years, f"the demo village has no household with {column}"
    return max(set(years), key=years.count)


# --- the rows ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("eliminated, column", [(False, "identified_on"), (True, "eliminated_on")])
def test_monitoring_notice_rows_are_the_households_of_the_period(demo, eliminated, column):
    services, db = demo
    year = busiest_year(db, column)
    rows = services.registers.notice_monitoring(ReportFilter(Period.year(year)), eliminated).rows
    (n,), = sql(db, f"SELECT count(*) FROM household WHERE deleted_at IS NULL AND {column} BETWEEN ? AND ?"
                + (" AND risk_eliminated" if eliminated else ""), f"{year}-01-01", f"{year}-12-31")
    assert len(rows) == n > 0
    assert all(r.on.year == year for r in rows)
    # nothing in a row beyond what the notice may show (the dataclass is the allow-list)
    assert set(vars(rows[0])) == {"group_name", "head_name", "people", "category", "on"}


def test_donation_and_project_notice_rows_count_the_database(demo):
    services, db = demo
    flt = ReportFilter(Period.year(2023))
    donations = services.registers.notice_donations(flt).rows
    (n,), = sql(db, "SELECT count(*) FROM donation WHERE deleted_at IS NULL AND received_on BETWEEN ? AND ?",
                "2023-01-01", "2023-12-31")
    assert len(donations) == n > 0
    given = sql(db, "SELECT donation_id, count(DISTINCT household_id) FROM distribution WHERE deleted_at IS NULL "
                    "AND household_id IS NOT NULL GROUP BY donation_id")
    assert sum(r.given_households for r in donations) == sum(c for _d, c in given)
    projects = services.registers.notice_projects(flt).rows
    assert len(projects) == len(services.reporting.ledger("projects", flt).rows) > 0


# --- the 公示期 --------------------------------------------------------------------------------------------------------


def test_notice_period_is_at_least_five_days_and_ten_for_projects():
    assert NoticeTerms().resolve("notice_monitored", TODAY) == (TODAY, date(2024, 1, 14))  # 10日至14日 = 5天
    assert NoticeTerms().resolve("notice_projects", TODAY) == (TODAY, date(2024, 1, 19))
    with pytest.raises(ValidationError, match="公示期不少于5天"):
        NoticeTerms(date(2024, 1, 10), date(2024, 1, 13)).resolve("notice_donations", TODAY)
    with pytest.raises(ValidationError, match="公示期不少于10天"):
        NoticeTerms(date(2024, 1, 10), date(2024, 1, 18)).resolve("notice_projects", TODAY)
    with pytest.raises(ValidationError, match="不能早于"):
        NoticeTerms(date(2024, 1, 10), date(2024, 1, 1)).resolve("notice_monitored", TODAY)
    assert set(MIN_DAYS) == set(NOTICE_KEYS) and min(MIN_DAYS.values()) >= 5


def test_a_column_outside_the_allow_list_is_never_printed(monkeypatch):
    from fupin_desktop.reports.common import Column

    cols = notices._COLUMNS["notice_monitored"]
    sneaky = notices._Col(Column("风险类型", 1.0), lambda r: "因病")
    monkeypatch.setitem(notices._COLUMNS, "notice_monitored", cols + (sneaky,))
    with pytest.raises(ValueError, match="NOTICE_COLUMNS"):
        notices._columns("notice_monitored")


# --- rendered ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", NOTICE_KEYS)
def test_each_notice_renders_with_period_phone_and_signature(demo, key, tmp_path):
    services, db = demo
    column = {"notice_monitored": "identified_on", "notice_eliminated": "eliminated_on"}.get(key)
    year = busiest_year(db, column) if column else 2023
    terms = NoticeTerms(date(2024, 1, 10), date(2024, 1, 21), "0315-5551234")
    path = registry.generate(services, registry.Request(key, ReportFilter(Period.year(year)), notice=terms),
                             tmp_path / f"{key}.pdf")
    text = text_of(path)
    flat = re.sub(r"\s+", "", text)
    assert "公示" in text and "公示期：2024年1月10日至2024年1月21日（共12天）" in flat
    assert "监督电话：0315-5551234" in flat
    assert "东兴村村民委员会" in flat or "村民委员会" in flat  # 落款: the village committee, the team, the date
    assert flat.rstrip().count("2024年1月10日") >= 2  # 落款 date (and the print date)
    assert "合计" in text
    assert not ID_LIKE.search(text) and not PHONE.search(text)
    for word in ("因病", "因残", "残疾", "患", "人均纯收入", "身份证"):  # (a project may speak of 村集体收入)
        assert word not in flat, (key, word)
    assert "单位负责人" not in text  # a notice is signed by its 落款, not by the ledger's signature line


def test_public_form_of_a_notice_is_the_notice_and_the_terms_are_checked(demo, tmp_path):
    services, _db = demo
    flt = ReportFilter(Period.year(2023))
    path = registry.generate(services, registry.Request("notice_donations", flt, public=True), tmp_path / "n.pdf")
    assert "社会捐赠款物接收及使用情况公示" in text_of(path)
    with pytest.raises(ValidationError, match="不少于10天"):
        registry.generate(services, registry.Request("notice_projects", flt, notice=NoticeTerms(
            date(2024, 1, 10), date(2024, 1, 14))), tmp_path / "p.pdf")


def test_cli_refuses_notice_options_for_another_document(tmp_path):
    from fupin_desktop import cli

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["report", "team_roster", "--year", "2023", "--out", str(tmp_path / "x.pdf"),
                         "--phone", "0315-5551234"])
    assert code == 2 and "不是公示" in err.getvalue()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["report", "notice_projects", "--year", "2023", "--out", str(tmp_path / "x.pdf"),
                         "--notice-from", "2024-13-01"])
    assert code == 2 and "YYYY-MM-DD" in err.getvalue()


def test_cli_prints_a_notice_for_the_chosen_period_and_phone(demo, tmp_path, monkeypatch):
    from fupin_desktop import cli

    services, _db = demo

    @contextlib.contextmanager
    def signed_in(need="read"):  # the verb signs in through cli.signed_in: lend it the demo village
        yield services

    monkeypatch.setattr(cli, "signed_in", signed_in)
    out = tmp_path / "donations.pdf"
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["report", "notice_donations", "--year", "2023", "--out", str(out),
                         "--notice-from", "2024-02-01", "--notice-to", "2024-02-07", "--phone", "12345678"])
    assert code == 0
    flat = re.sub(r"\s+", "", text_of(out))
    assert "公示期：2024年2月1日至2024年2月7日（共7天）" in flat and "监督电话：12345678" in flat
    assert flat.count("2024年2月1日") >= 2  # the 落款 is dated the first day of the notice
