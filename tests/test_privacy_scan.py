"""No unmasked 身份证号 or mobile number in anything made in default mode (issue 7, "regex scan").

One demo village (80 households) is generated once; then every Excel output (upward package, township summary),
every PDF (each ledger, 一户一册, 民情日记本, 工作总结; read back with pdftotext) and the text of every list/table
of every sidebar page (offscreen, DisplayRole of every row and column, plus the labels and fields of the detail
panes after selecting the first row) is scanned:

* with the regexes of the issue (an 18-digit ID, an 11-digit mobile number) — the word boundaries are digit
  boundaries here, because ``\\b`` does not separate a digit from a Chinese character ("号110101…" would slip by);
* for every actual 身份证号 and phone number stored in the database, also with whitespace removed (pdftotext may
  break a long number across a wrapped table cell).

``test_scanner_catches_planted_values`` proves the scan can fail.

A masked number must also survive what is printed beside it (issue 14 item 1): the household dialog's member list
shows ages, never birth dates (checked below); tests/test_privacy_outputs.py tries to rebuild every ID from every
PDF and export of a 300-household village.
"""
from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
PHONE_RE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
HOUSEHOLDS = 80
SEED = 7
YEAR = 2023


class Leaks(AssertionError):
    pass


def scan(texts: dict[str, str], secrets: frozenset[str]) -> list[str]:
    """Where an unmasked ID or phone appears: ["source: value", …] (empty = clean)."""
    found = []
    for source, text in texts.items():
        for rx, what in ((ID_RE, "身份证号"), (PHONE_RE, "手机号")):
            for m in rx.finditer(text):
                found.append(f"{source}: {what} {m.group()}")
        squeezed = re.sub(r"\s+", "", text)
        for value in secrets:
            if value in squeezed:
                found.append(f"{source}: stored value {value}")
    return found


def assert_clean(texts: dict[str, str], secrets: frozenset[str]) -> None:
    assert texts, "nothing was scanned"
    found = scan(texts, secrets)
    if found:
        raise Leaks(f"{len(found)} unmasked numbers, e.g.:\n" + "\n".join(sorted(set(found))[:40]))


# --- the demo village -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(template_db, tmp_path_factory):
    from fupin_desktop.services import Services
    from fupin_desktop.services.demo import generate_demo
    from fupin_desktop.storage.db import Actor, Database

    folder = tmp_path_factory.mktemp("privacy")
    path = folder / "fupin.sqlite3"
    shutil.copyfile(template_db, path)
    db = Database(f"sqlite:///{path}")
    generate_demo(db, households=HOUSEHOLDS, seed=SEED, year=YEAR)
    services = Services(db, actor=Actor(user_id=None, name="测试管理员", role="admin"), data_dir=folder,
                        today=lambda: date(YEAR, 12, 31))
    with db.engine.connect() as conn:
        values = set()
        for sql in ("SELECT id_number FROM member", "SELECT head_id_number FROM household",
                    "SELECT phone FROM member", "SELECT phone FROM household", "SELECT phone FROM cadre",
                    "SELECT phone FROM donor"):
            values.update(str(v).strip() for (v,) in conn.exec_driver_sql(sql) if v and len(str(v).strip()) >= 11)
    assert len(values) > HOUSEHOLDS, "the demo data should hold IDs and phones to look for"
    yield services, frozenset(values), folder
    db.dispose()


def test_scanner_catches_planted_values(demo):
    _, secrets, _ = demo
    some_id = next(v for v in sorted(secrets) if len(v) == 18)
    some_phone = next(v for v in sorted(secrets) if len(v) == 11)
    assert scan({"x": f"户主身份证号{some_id}，"}, frozenset())  # regex, even right after Chinese text
    assert scan({"x": f"电话：{some_phone}"}, frozenset())
    assert scan({"x": "11010119650101123X"}, frozenset())
    assert scan({"x": f"{some_id[:9]}\n{some_id[9:]}"}, secrets)  # stored value broken across lines
    assert not scan({"x": f"{some_id[:6]}********{some_id[-4:]} 138****5678 1302042032130001"}, secrets)
    with pytest.raises(Leaks):
        assert_clean({"planted": f"户主 {some_id}"}, secrets)


# --- Excel --------------------------------------------------------------------------------------------------------


def workbook_text(path: Path) -> dict[str, str]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        out = {}
        for ws in wb.worksheets:
            cells = ["" if v is None else str(v) for row in ws.iter_rows(values_only=True) for v in row]
            out[f"{path.name}/{ws.title}"] = "\n".join(cells)
        return out
    finally:
        wb.close()


def test_excel_exports_are_masked(demo, tmp_path):
    from fupin_desktop.exchange.package import export_package
    from fupin_desktop.exchange.report_book import export_for_period
    from fupin_desktop.exchange.township import write_township_summary
    from fupin_desktop.services.reporting import Period, ReportFilter

    services, secrets, _ = demo
    texts: dict[str, str] = {}
    whole = export_package(services, tmp_path / "package.xlsx")
    assert whole.masked and sum(whole.counts.values()) > HOUSEHOLDS
    texts.update(workbook_text(whole.path))
    half = export_package(services, tmp_path / "package-h2.xlsx", start=date(YEAR, 7, 1), end=date(YEAR, 12, 31))
    texts.update(workbook_text(half.path))
    texts.update(workbook_text(export_for_period(services, tmp_path / "report-book.xlsx").path))
    texts.update(workbook_text(write_township_summary(services, tmp_path / "township.xlsx",
                                                      ReportFilter(Period.year(YEAR)))))
    assert any("农户花名册" in k for k in texts) and any("township" in k for k in texts)
    assert_clean(texts, secrets)


def test_excel_export_through_the_cli_is_masked(demo, tmp_path, monkeypatch):
    from fupin_desktop import cli

    services, secrets, folder = demo

    @contextlib.contextmanager
    def lend(need="read"):  # every verb signs in through cli.signed_in: lend it the module's services
        services.require(need)
        yield services

    monkeypatch.setattr(cli, "signed_in", lend)
    out = tmp_path / "cli.xlsx"
    assert cli.main(["export", "--year", str(YEAR), "--out", str(out)]) == 0
    assert_clean(workbook_text(out), secrets)


# --- PDF ----------------------------------------------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdfs_are_masked(demo, tmp_path):
    from fupin_desktop.reports.diary_book import write_diary_book
    from fupin_desktop.reports.handbook import write_handbook
    from fupin_desktop.reports.ledgers import write_ledger_pdf
    from fupin_desktop.reports.summary import draft_text, write_summary_pdf
    from fupin_desktop.services.reporting import KINDS, Period, ReportFilter

    services, secrets, _ = demo
    rep = services.reporting
    flt = ReportFilter(Period.year(YEAR), None)
    texts: dict[str, str] = {}
    for kind in KINDS:
        out = write_ledger_pdf(tmp_path / f"ledger-{kind}.pdf", rep.ledger(kind, flt))
        texts[f"ledger-{kind}"] = pdf_text(Path(out))
    # the whole village's 一户一册 is long: the first 12 households cover every kind of page
    from fupin_desktop.services.households import HouseholdQuery

    ids = [h.id for h in services.households.page(HouseholdQuery(), 0, 12)]
    book = rep.handbook(flt, ids)
    texts["handbook"] = pdf_text(Path(write_handbook(tmp_path / "handbook.pdf", book)))
    texts["diary-book"] = pdf_text(Path(write_diary_book(tmp_path / "diary.pdf", rep.diary_book(flt))))
    fig = rep.summary_figures(flt)
    texts["summary"] = pdf_text(Path(write_summary_pdf(tmp_path / "summary.pdf", draft_text(fig), fig)))
    import docx

    from fupin_desktop.reports.summary_docx import write_summary_docx

    word = docx.Document(str(write_summary_docx(tmp_path / "summary.docx", draft_text(fig), fig)))
    texts["summary.docx"] = "\n".join([p.text for p in word.paragraphs]
                                      + [c.text for t in word.tables for row in t.rows for c in row.cells])
    assert "户主" in texts["ledger-roster"] and len(texts["handbook"]) > 1000
    assert re.search(r"\d{6}\*{12}(?![\dX*])", texts["handbook"]), "the 一户一册 shows (masked) ID numbers"
    assert_clean(texts, secrets)


# --- the UI -------------------------------------------------------------------------------------------------------


def _model_text(model, parent=None, depth=0) -> list[str]:
    from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, Qt

    flat = isinstance(model, (QAbstractListModel, QAbstractTableModel))  # children/columns are private there
    parent = parent or QModelIndex()
    while model.canFetchMore(parent):
        model.fetchMore(parent)
    out = []
    cols = 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)
    for c in range(cols):
        h = model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if h is not None:
            out.append(str(h))
    for r in range(model.rowCount(parent)):
        for c in range(cols):
            idx = model.index(r, c, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                v = model.data(idx, role)
                if v is not None:
                    out.append(str(v))
            if c == 0 and not flat and depth < 4 and model.rowCount(idx) > 0:
                out.extend(_model_text(model, idx, depth + 1))
    return out


def _widget_text(page) -> list[str]:
    from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit, QTextEdit

    # Editable fields of an edit form hold the value being edited (the person who may edit it typed it);
    # read-only fields are display and are scanned.
    out = []
    for w in page.findChildren(QLabel):
        out.append(w.text())
    for w in page.findChildren(QLineEdit):
        if w.isReadOnly():
            out.append(w.text())
    for w in page.findChildren(QTextEdit) + page.findChildren(QPlainTextEdit):
        if w.isReadOnly():
            out.append(w.toPlainText())
    for w in page.findChildren(QAbstractButton):
        out.append(w.text())
    return out


def _views_text(page) -> list[str]:
    from PySide6.QtWidgets import QAbstractItemView, QComboBox

    out = []
    for view in page.findChildren(QAbstractItemView):
        if view.model() is not None:
            out.extend(_model_text(view.model()))
    for combo in page.findChildren(QComboBox):
        out.extend(combo.itemText(i) for i in range(combo.count()))
    return out


def test_ui_lists_are_masked(demo, qtbot, qapp):
    from PySide6.QtWidgets import QAbstractItemView, QComboBox

    from fupin_desktop.ui import tasks
    from fupin_desktop.ui.main_window import PAGES, resolve_factory

    services, secrets, _ = demo
    texts: dict[str, str] = {}
    walked = 0
    for spec in PAGES:
        factory = resolve_factory(spec)
        if factory is None:
            continue
        page = factory(services, None)
        qtbot.addWidget(page)
        page.resize(1366, 768)
        page.show()
        qtbot.waitUntil(lambda: tasks.active_count() == 0, timeout=20_000)
        parts = _views_text(page) + _widget_text(page)
        # select the first row of every list: detail panes fill in from the selection
        for view in page.findChildren(QAbstractItemView):
            model = view.model()
            if model is None or model.rowCount() == 0 or not view.isVisible():
                continue
            walked += 1
            view.setCurrentIndex(model.index(0, 0))
            qtbot.waitUntil(lambda: tasks.active_count() == 0, timeout=20_000)
            parts += _widget_text(page)
        parts += _views_text(page)
        texts[f"page {spec.key}"] = "\n".join(p for p in parts if p)
        for combo in page.findChildren(QComboBox):  # no filter signals while the page is torn down
            combo.blockSignals(True)
        page.close()
    # the household dialog (opened from the registry) lists the members
    from fupin_desktop.services.households import HouseholdQuery
    from fupin_desktop.ui.views.households.dialog import HouseholdDialog

    for row in services.households.page(HouseholdQuery(), 0, 3):
        dlg = HouseholdDialog(services, row.id)
        qtbot.addWidget(dlg)
        texts[f"household dialog {row.id}"] = "\n".join(p for p in _views_text(dlg) + _widget_text(dlg) if p)
        assert re.search(r"\d{6}\*{12}(?![\dX*])", texts[f"household dialog {row.id}"]), "members are listed"
        for m in services.households.detail(row.id).members:  # a birth date beside the masked ID would undo it
            if m.birth_date:
                assert m.birth_date.isoformat() not in texts[f"household dialog {row.id}"], m.name
        dlg.close()
    assert walked >= 5, "the pages should show the demo data"
    assert any("户" in t for t in texts.values())
    assert_clean(texts, secrets)
