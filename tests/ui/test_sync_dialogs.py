"""同步包 in the window, driven like a user: 数据交换 → 生成同步包 on laptop A, 合并同步包 on laptop B (the sender's
fingerprint confirmed on the first merge, the report per record kind and its total line), then 冲突 resolved."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget

from fupin_desktop.storage.models import Household
from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.views.exchange.conflicts import ConflictsDialog
from fupin_desktop.ui.views.exchange.menu import ExchangeButton
from fupin_desktop.ui.views.exchange.sync_dialogs import MergeDialog

from tests.sync_helpers import Laptop

SHOTS = Path("/tmp/shots")
REAL_CONFIRM, REAL_FILE_SAVED = messages.confirm, messages.file_saved  # before the recorder replaces them


def _shot(widget, name):
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"sync_{name}.png"))


def _answer_real_box(name: str, button_text: str) -> None:
    """When the real message box is up: photograph it and click ``button_text`` as she would."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def click():
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, click)
            return
        _shot(box, name)
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, click)


def _look_at_real_boxes(monkeypatch, dialogs) -> None:
    """The first fingerprint question and the file-saved message shown for real (photographed, then answered)."""
    def confirm(parent, text, ok_text=None, **kw):
        dialogs.calls.append(("confirm", str(text)))
        _answer_real_box("fingerprint_confirm", ok_text)
        return REAL_CONFIRM(parent, text, ok_text, **kw)

    def file_saved(parent, path, text=None, title=None):
        dialogs.calls.append(("file_saved", str(path)))
        _answer_real_box("pack_saved", "关闭")
        REAL_FILE_SAVED(parent, path, text, title)

    monkeypatch.setattr(messages, "confirm", confirm)
    monkeypatch.setattr(messages, "file_saved", file_saved)


def _wait(qtbot):
    qtbot.waitUntil(lambda: tasks.active_count() == 0, timeout=30000)


@pytest.fixture
def laptops(tmp_path, template_db):
    a = Laptop(tmp_path / "A", template_db, "张书记")
    b = Laptop(tmp_path / "B", template_db, "李队员")
    a.demo(6, seed=3)
    yield a, b
    a.close()
    b.close()


_windows: list[QWidget] = []  # the parents live as long as the test (qtbot holds widgets weakly)


@pytest.fixture(autouse=True)
def _keep_windows():
    yield
    for w in _windows:
        w.close()
        w.deleteLater()
    _windows.clear()


def _window_with_menu(qtbot, services):
    w = QWidget()
    _windows.append(w)
    qtbot.addWidget(w)
    button = ExchangeButton(services, w)
    return w, button


def _pack_from_menu(qtbot, monkeypatch, services, target: Path) -> None:
    w, button = _window_with_menu(qtbot, services)
    asked = {}

    def save_dialog(parent, title, start, file_filter):
        asked.update(start=start, filter=file_filter)
        return str(target), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    button.pack_action.trigger()
    _wait(qtbot)
    assert asked["filter"] == "同步包 (*.fupin)" and asked["start"].endswith(".fupin")


def _merge_from_menu(qtbot, monkeypatch, services, *files: Path) -> MergeDialog:
    w, button = _window_with_menu(qtbot, services)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(f) for f in files], ""))
    dlg = button.open_merge()
    qtbot.addWidget(dlg)
    dlg.resize(1366 * 2 // 3, 560)
    qtbot.mouseClick(dlg.add_button, Qt.MouseButton.LeftButton)
    assert dlg.paths() == [str(f) for f in files]
    qtbot.mouseClick(dlg.merge_button, Qt.MouseButton.LeftButton)
    _wait(qtbot)
    return dlg


def test_pack_merge_confirm_fingerprint_then_resolve_a_conflict(qtbot, monkeypatch, laptops, tmp_path, dialogs):
    a, b = laptops
    stick = tmp_path / "U盘"
    stick.mkdir()
    _look_at_real_boxes(monkeypatch, dialogs)
    # A: 数据交换 → 生成同步包, saved on the stick; the shared “file saved” message (打开文件 / 打开所在文件夹)
    _pack_from_menu(qtbot, monkeypatch, a.services, stick / "东兴村.fupin")
    assert dialogs.calls[-1] == ("file_saved", str(stick / "东兴村.fupin"))

    # B: 数据交换 → 合并同步包; first merge: the sender's fingerprint is shown for confirmation
    dlg = _merge_from_menu(qtbot, monkeypatch, b.services, stick / "东兴村.fupin")
    kinds = dialogs.kinds()
    assert kinds.count("confirm") == 1
    fingerprint = a.services.sync.pack_state().signer.fingerprint
    assert fingerprint in dialogs.calls[kinds.index("confirm")][1]
    assert b.count(Household) == a.count(Household) == 6
    new = dlg.report.totals()[0]
    assert new > 6 and dlg.summary.text() == f"新增 {new} 条，更新 0 条，相同 0 条，冲突 0 条"
    labels = [dlg.table.item(r, 1).text() for r in range(dlg.table.rowCount())]
    assert "户" in labels
    row = labels.index("户")
    assert [dlg.table.item(row, c).text() for c in range(2, 6)] == ["6", "0", "0", "0"]
    assert not dlg.conflicts_button.isVisible()
    _shot(dlg, "merge_result")

    # the same field edited on both laptops → one conflict; a second merge asks for no fingerprint
    hid = a.first_id(Household)
    a.edit(Household, hid, phone="13800000001")
    b.edit(Household, hid, phone="13900000002")
    _pack_from_menu(qtbot, monkeypatch, a.services, stick / "东兴村2.fupin")
    confirms = dialogs.kinds().count("confirm")
    dlg = _merge_from_menu(qtbot, monkeypatch, b.services, stick / "东兴村2.fupin")
    assert dialogs.kinds().count("confirm") == confirms
    assert dlg.summary.text().endswith("冲突 1 条")
    assert dlg.conflicts_button.isVisible() and dlg.conflicts_button.text() == "处理冲突（1）…"

    qtbot.mouseClick(dlg.conflicts_button, Qt.MouseButton.LeftButton)
    conflicts = dlg.findChild(ConflictsDialog)
    qtbot.addWidget(conflicts)
    conflicts.resize(1366, 700)
    _wait(qtbot)
    assert conflicts.table.rowCount() == 1
    texts = [conflicts.table.item(0, c).text() for c in range(4)]
    assert "户" in texts[0] and texts[1] == "联系电话"
    both = texts[2] + texts[3]
    assert "13800000001" in both and "13900000002" in both and "张书记" in both and "李队员" in both
    _shot(conflicts, "conflicts")
    c = conflicts.conflicts[0]
    keep, take_other = conflicts.row_buttons(0)
    qtbot.mouseClick(take_other, Qt.MouseButton.LeftButton)
    _wait(qtbot)
    assert b.get(Household, hid).phone == c.other_value
    assert conflicts.table.rowCount() == 0 and conflicts.empty.isVisible()
    assert b.services.sync.conflicts() == []


def test_keep_value_in_use_and_the_menu_badge(qtbot, monkeypatch, laptops, tmp_path, dialogs):
    a, b = laptops
    b.merge(a.pack())
    hid = a.first_id(Household)
    a.edit(Household, hid, address="一组1号")
    b.edit(Household, hid, address="二组2号")
    b.merge(a.pack())
    w, button = _window_with_menu(qtbot, b.services)
    button.refresh_conflict_count()
    _wait(qtbot)
    assert button.conflicts_action.text() == "处理冲突（1）…"
    conflicts = button.open_conflicts()
    qtbot.addWidget(conflicts)
    _wait(qtbot)
    applied = conflicts.conflicts[0].applied_value
    keep, _ = conflicts.row_buttons(0)
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    _wait(qtbot)
    assert b.get(Household, hid).address == applied
    assert conflicts.table.rowCount() == 0
    conflicts.close()
    _wait(qtbot)
    assert button.conflicts_action.text() == "处理冲突…"


def test_merge_cancelled_at_the_fingerprint_changes_nothing_and_excel_is_refused(qtbot, monkeypatch, laptops,
                                                                                  tmp_path, dialogs):
    a, b = laptops
    pack = a.pack()
    dialogs.confirm_answer = False
    dlg = _merge_from_menu(qtbot, monkeypatch, b.services, pack)
    assert dialogs.kinds().count("confirm") == 1
    assert b.count(Household) == 0 and dlg.report is None
    assert dlg.summary.text() == "没有合并任何数据。"
    assert dlg.merge_button.isEnabled()  # she can try again

    sheet = tmp_path / "上报.xlsx"
    sheet.write_bytes(b"")
    dlg.files.clear()
    dlg.add_files([sheet])
    qtbot.mouseClick(dlg.merge_button, Qt.MouseButton.LeftButton)
    assert dialogs.calls[-1][0] == "error" and "上报.xlsx" in dialogs.calls[-1][1]


def test_cancel_during_the_merge_leaves_the_database_as_before(qtbot, monkeypatch, laptops, tmp_path, dialogs):
    """取消 on the progress dialog while the real merge runs: the merge's transaction is rolled back."""
    import threading

    from PySide6.QtWidgets import QProgressDialog, QPushButton

    a, b = laptops
    pack = a.pack()
    started, gate = threading.Event(), threading.Event()
    sync = b.services.sync
    real_merge = sync.merge

    def merge(packages, check=False, progress=None, cancel=None):
        if not check:  # the real merge waits in the worker until she has pressed 取消
            started.set()
            gate.wait(60)  # long enough on a loaded machine; she presses 取消 meanwhile
        return real_merge(packages, check=check, progress=progress, cancel=cancel)

    monkeypatch.setattr(sync, "merge", merge)
    w, button = _window_with_menu(qtbot, b.services)
    dlg = button.open_merge()
    qtbot.addWidget(dlg)
    dlg.add_files([pack])
    qtbot.mouseClick(dlg.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(started.is_set, timeout=30000)
    progress = []
    qtbot.waitUntil(lambda: bool(progress.extend(dlg.findChildren(QProgressDialog)) or progress), timeout=30000)
    cancel = progress[0].findChild(QPushButton)
    assert cancel.text() == "取消"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    gate.set()
    _wait(qtbot)
    assert dlg.summary.text() == "没有合并任何数据。" and dlg.report is None
    assert b.count(Household) == 0
    assert dlg.merge_button.isEnabled()


def test_many_village_packages_merged_at_once(qtbot, monkeypatch, tmp_path, template_db, dialogs):
    """A township merges two villages' packages in one go: one question lists both senders' fingerprints, the
    report has each package's record kinds, the total line sums them."""
    packs, fingerprints = [], []
    for i, (name, code, n) in enumerate((("东兴村", "130204203213", 4), ("西山村", "130204203214", 3))):
        laptop = Laptop(tmp_path / name, template_db)
        laptop.demo(n, seed=30 + i, village=name, division=code)
        packs.append(laptop.pack(tmp_path / f"{name}.fupin"))
        fingerprints.append(laptop.services.sync.pack_state().signer.fingerprint)
        laptop.close()
    town = Laptop(tmp_path / "乡镇", template_db, "乡镇干部")
    try:
        dlg = _merge_from_menu(qtbot, monkeypatch, town.services, *packs)
        (question,) = [t for k, t in dialogs.calls if k == "confirm"]
        assert "东兴村（东兴村.fupin）" in question and "西山村（西山村.fupin）" in question
        assert all(f in question for f in fingerprints)
        assert town.count(Household) == 7
        new = dlg.report.totals()[0]
        assert dlg.summary.text() == f"新增 {new} 条，更新 0 条，相同 0 条，冲突 0 条"
        rows = [(dlg.table.item(r, 0).text(), dlg.table.item(r, 1).text(), dlg.table.item(r, 2).text())
                for r in range(dlg.table.rowCount())]
        assert [r[0] for r in rows if r[0]] == ["东兴村.fupin", "西山村.fupin"]  # each package named once
        assert sorted(int(n) for _, kind, n in rows if kind == "户") == [3, 4]
        assert sum(int(n) for _, _, n in rows) == new
    finally:
        town.close()


def test_an_edit_inside_a_closed_period_is_listed_as_such_and_taking_it_needs_a_reopen(qtbot, laptops, dialogs):
    from datetime import date

    from fupin_desktop.services.closing import PeriodKey
    from fupin_desktop.storage.models import Visit

    a, b = laptops
    b.merge(a.pack())
    with b.db.read() as s:
        vid = s.query(Visit.id).filter(Visit.visit_date.between(date(2024, 1, 1), date(2024, 6, 30)),
                                       Visit.deleted_at.is_(None)).order_by(Visit.id).first()[0]
    b.edit(Visit, vid, findings="在B上补记：家中老人住院")
    from fupin_desktop.services.visits import VisitInput
    from fupin_desktop.storage.models import Cadre

    b.services.visits.log_visit(VisitInput(household_id=b.first_id(Household), visit_date=date(2024, 6, 1),
                                           cadre_ids=(b.first_id(Cadre),), purposes=("policy",), findings="补录"))
    a.services.closing.close(PeriodKey.of(2024, half=1))
    a.merge(b.pack())
    w, button = _window_with_menu(qtbot, a.services)
    conflicts = button.open_conflicts()
    qtbot.addWidget(conflicts)
    conflicts.resize(1366, 768)
    _wait(qtbot)
    assert sorted((c.kind, c.field) for c in conflicts.conflicts) == [("closed", "*"), ("closed", "findings")]
    rows = {conflicts.conflicts[r].field: r for r in range(2)}
    edited, added = rows["findings"], rows["*"]
    assert conflicts.table.item(edited, 1).text().startswith("已结账期间内的修改：")
    assert conflicts.table.item(edited, 2).text().startswith("（结账时的值）")
    assert "在B上补记" in conflicts.table.item(edited, 3).text()
    assert conflicts.table.item(added, 1).text() == "已结账期间内新增的记录"
    assert conflicts.table.item(added, 2).text().startswith("（结账时的值）结账时没有这条记录，未列入")
    assert conflicts.table.item(added, 3).text().startswith("走访日期：2024")
    assert conflicts.closed_note.isVisible() and "反结账" in conflicts.closed_note.text()
    SHOTS16.mkdir(parents=True, exist_ok=True)
    conflicts.grab().save(str(SHOTS16 / "conflicts_closed_period.png"))
    _, take_other = conflicts.row_buttons(edited)
    qtbot.mouseClick(take_other, Qt.MouseButton.LeftButton)
    _wait(qtbot)
    assert dialogs.kinds() == ["error"] and "结账" in dialogs.texts()[0]
    assert a.get(Visit, vid).findings != "在B上补记：家中老人住院" and conflicts.table.rowCount() == 2
    conflicts.close()


SHOTS16 = Path("/work/notes/s16-shots")
