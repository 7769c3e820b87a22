"""接收交接包 from the set-up window (first start on the successor's laptop), clicked as a user: a real handover
package of a demo village; a wrong code is refused in Chinese and nothing is written to the empty folder; the right
code (typed in lower case without dashes) shows what the package holds, then the new administrator is created, the
package opened into the folder, the old team's users carried inactive. Grabbed to /work/notes/s16-shots/."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog

from fupin_desktop.exchange.handover_package import new_code, write_handover_package
from fupin_desktop.services import Services
from fupin_desktop.services.auth import AccessManager
from fupin_desktop.services.households import HouseholdQuery
from fupin_desktop.storage.models import Household
from fupin_desktop.ui import tasks
from fupin_desktop.ui.views.security import login as login_mod

from tests.sync_helpers import Laptop

SHOTS = Path("/work/notes/s16-shots")


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _shot(widget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def test_receive_a_handover_package_from_the_set_up_window(qtbot, tmp_path, template_db, monkeypatch):
    old = Laptop(tmp_path / "old", template_db, "张书记")
    try:
        old.demo(8, seed=4)
        old.services.users.create("li", "李队员", "member", "oldteam-2024")
        households = old.count(Household)
        code = new_code()
        package, _ = write_handover_package(old.services.sync.pack_state(), tmp_path / "东兴村.fupin-handover", code,
                                            users=old.services.handover.users(), pairings=[], handed_by="张书记")
    finally:
        old.close()

    new = tmp_path / "new"
    new.mkdir()
    shown = []
    monkeypatch.setattr(login_mod, "show_recovery_code", lambda c, parent: shown.append(c))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(package), ""))
    setup = login_mod.LoginDialog(AccessManager(new))
    qtbot.addWidget(setup)
    setup.show()
    assert setup.setup_mode and setup.receive_button.isVisible() and setup.receive_button.text() == "接收交接包…"
    _shot(setup, "setup_window_with_receive_button")
    qtbot.mouseClick(setup.receive_button, Qt.MouseButton.LeftButton)
    dlg = setup.last_dialog
    qtbot.waitUntil(dlg.isVisible)
    qtbot.mouseClick(dlg.browse, Qt.MouseButton.LeftButton)
    assert dlg.file.text() == str(package)
    assert not dlg.ok.isEnabled() and not dlg.admin_box.isEnabled()

    before = _files(new)
    qtbot.keyClicks(dlg.code, "ABCD-EFGH-JKLM-NPQR-STUV")
    qtbot.mouseClick(dlg.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.busy and tasks.active_count() == 0, timeout=20_000)
    assert dlg.error.text().startswith("交接码不对") and not dlg.ok.isEnabled()
    assert _files(new) == before and AccessManager(new).needs_setup()  # nothing written
    _shot(dlg, "receive_wrong_code")

    dlg.code.clear()
    qtbot.keyClicks(dlg.code, code.replace("-", "").lower())
    qtbot.mouseClick(dlg.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.ok.isEnabled(), timeout=20_000)
    assert "交接码正确" in dlg.summary.text() and "张书记" in dlg.summary.text() and not dlg.error.text()
    assert _files(new) == before
    qtbot.keyClicks(dlg.username, "wang")
    dlg.display_name.insert("王书记")  # QTest types ASCII only
    qtbot.keyClicks(dlg.password, "newteam-2026")
    qtbot.keyClicks(dlg.password2, "newteam-2026")
    _shot(dlg, "receive_code_checked")
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: setup.result() == QDialog.DialogCode.Accepted, timeout=60_000)

    store = setup.store
    try:
        assert store.user.username == "wang" and store.user.role == "admin" and len(shown) == 1
        svc = Services(store.db, actor=store.actor, data_dir=new)
        assert svc.households.count(HouseholdQuery()) == households
        others = [u for u in svc.users.list() if u.username != "wang"]
        assert [(u.username, u.active) for u in others] == [("li", False)]  # the old team, carried inactive
        assert dlg.received.users == len(others)
    finally:
        store.db.dispose()
