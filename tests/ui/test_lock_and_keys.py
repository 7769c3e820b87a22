"""Issue 18 §3.7 (the lock screen's wrong-password message shows whole and fits: only a password was typed) and
issue 14 item 3 in the window (a damaged keys.json: a Chinese message naming the recovery path)."""
from __future__ import annotations

from PySide6.QtCore import Qt

from fupin_desktop.services.auth import AccessManager
from fupin_desktop.ui.views.security import login as login_mod
from fupin_desktop.ui.views.security.lock import IdleLocker


def test_lock_screen_wrong_password_message_shows_whole_and_fits(qtbot, tmp_path):
    access = AccessManager(tmp_path)
    store = access.create_admin("zhang", "张书记", "secret-123")
    locker = IdleLocker("张书记", lambda pw: access.verify("zhang", pw), minutes=5)
    screen = locker.screen
    locker.lock()
    screen.resize(1366, 768)
    qtbot.keyClicks(screen.password, "bad-password")
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.error.isVisible())
    text = screen.error.text()
    assert "密码不对" in text and "用户名" not in text  # only a password was typed here
    label = screen.error
    needed = label.heightForWidth(label.width()) if label.wordWrap() else label.sizeHint().height()
    assert label.height() >= needed, (label.height(), needed)
    assert label.height() >= label.fontMetrics().height()
    assert label.width() >= label.fontMetrics().horizontalAdvance(text.split("\n")[0]) or label.wordWrap()
    screen.grab().save(str(tmp_path / "lock.png"))
    locker.stop()
    store.db.dispose()


def test_damaged_keys_file_at_sign_in_names_the_recovery_path(qtbot, tmp_path):
    store = AccessManager(tmp_path).create_admin("zhang", "张书记", "secret-123")
    store.db.dispose()
    ring = tmp_path / "keys.json"
    ring.write_bytes(ring.read_bytes()[:100])
    dlg = login_mod.LoginDialog(AccessManager(tmp_path))
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.setup_mode  # never offers to set up afresh over encrypted data
    dlg.username.setEditText("zhang")
    qtbot.keyClicks(dlg.password, "secret-123")
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(dlg.error.text()), timeout=10_000)  # the key is derived in the background
    assert dlg.store is None
    assert "已损坏" in dlg.error.text() and "恢复密钥" in dlg.error.text()


def test_reports_page_pdfs_stay_in_the_private_temp_folder_and_go(qtbot, services, db, tmp_path, monkeypatch):
    import tempfile

    from fupin_desktop import paths
    from fupin_desktop.services.demo import generate_demo
    from fupin_desktop.ui import tasks
    from fupin_desktop.ui.views.reports.page import ReportsPage

    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    generate_demo(db, 5, seed=2, year=2023)
    page = ReportsPage(services)  # not handed to qtbot: this test deletes it
    page.select_document("visits")
    page.period_kind.setCurrentIndex(page.period_kind.findData("year"))
    page.year.setValue(2023)
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tasks.active_count() == 0 and page.current_pdf is not None, timeout=30000)
    first = page.current_pdf
    assert paths.temp_root() in first.parents  # under the data folder…
    assert not list(system_tmp.glob("fupin-reports-*"))  # …never in the system temp folder
    page.year.setValue(2024)
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tasks.active_count() == 0 and page.current_pdf != first, timeout=30000)
    assert not first.exists()  # a replaced PDF goes at once
    folder = page.current_pdf.parent
    page.close()
    page.deleteLater()
    qtbot.waitUntil(lambda: not folder.exists(), timeout=5000)  # and the rest with the page


def test_audit_viewer_shows_masked_numbers_labels_and_names(qtbot, tmp_path):
    from datetime import date

    from fupin_desktop.domain.idcard import make_id
    from fupin_desktop.services import Services
    from fupin_desktop.services.households import HouseholdInput, MemberInput
    from fupin_desktop.services.village import CadreInput, VillageInput
    from fupin_desktop.ui.views.security.audit_view import AuditDialog

    store = AccessManager(tmp_path).create_admin("zhang", "张书记", "secret-123")
    svc = Services(store.db, actor=store.actor, data_dir=tmp_path)
    svc.village.set_up(VillageInput(name="东兴村", division_code="130204203213"),
                       [CadreInput(name="张书记", role="secretary")])
    pid = make_id("130204", date(1970, 3, 4), 111)
    svc.households.create(HouseholdInput(head_name="张三", phone="13812345678"),
                          [MemberInput("张三", "head", id_number=pid)])
    dlg = AuditDialog(svc)
    qtbot.addWidget(dlg)
    cells = [dlg.table.item(r, c).text() for r in range(dlg.table.rowCount()) for c in range(5)
             if dlg.table.item(r, c)]
    text = "\n".join(cells)
    assert pid not in text and "13812345678" not in text and "scrypt$" not in text
    assert "138****5678" in text and "户主姓名" in text and "户 · 张三户" in text
    assert "app_user" not in text and "用户 · 张书记" in text
    store.db.dispose()


def test_new_laptop_restores_a_backup_with_the_recovery_key(qtbot, tmp_path, monkeypatch, dialogs):
    from PySide6.QtWidgets import QDialog

    from fupin_desktop.services import Services
    from fupin_desktop.services.households import HouseholdInput
    from fupin_desktop.services.village import CadreInput, VillageInput

    old = tmp_path / "old-laptop"
    store = AccessManager(old).create_admin("zhang", "张书记", "secret-123")
    svc = Services(store.db, actor=store.actor, data_dir=old)
    svc.village.set_up(VillageInput(name="东兴村", division_code="130204203213"),
                       [CadreInput(name="张书记", role="secretary")])
    svc.households.create(HouseholdInput(head_name="张三"))
    info = svc.backups.backup_now()
    store.db.dispose()
    code = store.recovery_code

    dlg = login_mod.LoginDialog(AccessManager(tmp_path / "new-laptop"))
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.setup_mode and dlg.recover_button.text() == "从备份恢复…"

    def fill(recovery):
        recovery.show()
        assert recovery.backup.isVisible()
        recovery.username.setText("zhang")
        qtbot.keyClicks(recovery.code, code)
        qtbot.keyClicks(recovery.new_password, "new-secret-9")
        recovery.backup.setText(str(info.path))  # what 选择… puts there
        recovery.accept()
        assert recovery.busy and not recovery.code.isEnabled()  # the key check runs in the write pool
        qtbot.waitUntil(lambda: not recovery.busy, timeout=10_000)
        return recovery.result()

    monkeypatch.setattr(login_mod.RecoveryDialog, "exec", fill)
    qtbot.mouseClick(dlg.recover_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted and dlg.store is not None
    assert Services(dlg.store.db, actor=dlg.store.actor).households.count() == 1
    dlg.store.db.dispose()


def test_a_wrong_recovery_key_is_checked_off_the_gui_thread_and_shown_in_the_dialog(qtbot, tmp_path):
    store = AccessManager(tmp_path).create_admin("zhang", "张书记", "secret-123")
    store.db.dispose()
    dlg = login_mod.RecoveryDialog(AccessManager(tmp_path), "zhang")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.code, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
    qtbot.keyClicks(dlg.new_password, "new-secret-9")
    qtbot.keyClick(dlg.new_password, Qt.Key.Key_Return)
    assert dlg.busy and not dlg.new_password.isEnabled()
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    assert dlg.isVisible() and dlg.store is None and dlg.new_password.isEnabled()
    assert dlg.error.isVisible() and dlg.error.text()
