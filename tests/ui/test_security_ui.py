"""Security and backup UI: first administrator, sign-in errors, lock keeps unsaved input, users, audit, backups."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit

from fupin_desktop.services import Services
from fupin_desktop.services.auth import AccessManager
from fupin_desktop.services.households import HouseholdInput
from fupin_desktop.services.village import CadreInput, VillageInput
from fupin_desktop.ui import tasks
from fupin_desktop.ui.views.backups.dialog import BackupDialog
from fupin_desktop.ui.views.security import login as login_mod
from fupin_desktop.ui.views.security.audit_view import AuditDialog
from fupin_desktop.ui.views.security.lock import IdleLocker
from fupin_desktop.ui.views.security.users import UsersDialog


def setup_admin(qtbot, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(login_mod, "show_recovery_code", lambda code, parent: shown.append(code))
    dlg = login_mod.LoginDialog(AccessManager(tmp_path))
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.setup_mode
    qtbot.keyClicks(dlg.username, "zhang")
    dlg.display_name.insert("张书记")  # QTest types ASCII only; Chinese comes from an input method
    qtbot.keyClicks(dlg.password, "secret-123")
    qtbot.keyClicks(dlg.password2, "secret-124")
    dlg.accept()
    assert dlg.error.text() and dlg.access.needs_setup()  # mismatch shown, nothing created
    assert dlg.result() != QDialog.DialogCode.Accepted
    dlg.password2.clear()
    qtbot.keyClicks(dlg.password2, "secret-123")
    qtbot.keyClick(dlg.password2, Qt.Key.Key_Return)
    assert not dlg.password.isEnabled() and dlg.ok.text() == "正在打开…"  # busy while the key is derived
    qtbot.waitUntil(lambda: dlg.result() == QDialog.DialogCode.Accepted, timeout=10_000)
    assert len(shown) == 1 and len(shown[0]) == 29
    store = dlg.store
    svc = Services(store.db, actor=store.actor, data_dir=tmp_path)
    svc.village.set_up(VillageInput(name="东兴村", division_code="130204203213"),
                       [CadreInput(name="张书记", role="secretary")])
    return svc


def test_first_admin_then_sign_in_with_errors(qtbot, tmp_path, monkeypatch):
    svc = setup_admin(qtbot, tmp_path, monkeypatch)
    svc.db.dispose()
    dlg = login_mod.LoginDialog(AccessManager(tmp_path))
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.setup_mode and dlg.username.currentText() == "zhang"
    qtbot.keyClicks(dlg.password, "wrong")
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.password.isEnabled(), timeout=10_000)  # the key is derived in the background
    assert "密码不对" in dlg.error.text() and dlg.store is None
    qtbot.keyClicks(dlg.password, "secret-123")
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.store is not None, timeout=10_000)
    assert dlg.store is not None and dlg.store.user.role == "admin"
    dlg.store.db.dispose()


def test_lock_hides_everything_and_keeps_unsaved_input(qtbot, tmp_path):
    access = AccessManager(tmp_path)
    store = access.create_admin("zhang", "张书记", "secret-123")
    form = QDialog()
    edit = QLineEdit(form)
    qtbot.addWidget(form)
    form.show()
    edit.insert("还没保存的走访记录")
    locker = IdleLocker("张书记", lambda pw: access.verify("zhang", pw), minutes=5)
    locker.lock()
    assert locker.is_locked and locker.screen.isVisible()
    qtbot.keyClicks(locker.screen.password, "bad")
    qtbot.keyClick(locker.screen.password, Qt.Key.Key_Return)
    assert locker.is_locked and "密码不对" in locker.screen.error.text()
    qtbot.keyClicks(locker.screen.password, "secret-123")
    qtbot.keyClick(locker.screen.password, Qt.Key.Key_Return)
    assert not locker.is_locked
    assert edit.text() == "还没保存的走访记录" and form.isVisible()
    locker.stop()
    store.db.dispose()


def test_idle_timer_locks(qtbot, tmp_path):
    access = AccessManager(tmp_path)
    store = access.create_admin("zhang", "张书记", "secret-123")
    locker = IdleLocker("张书记", lambda pw: access.verify("zhang", pw), minutes=5)
    locker.timer.setInterval(50)  # five minutes are too long for a test; the mechanism is the same
    locker.timer.start()
    qtbot.waitUntil(lambda: locker.is_locked, timeout=3000)
    locker.stop()
    store.db.dispose()


def test_users_audit_and_backup_dialogs(qtbot, tmp_path, monkeypatch, dialogs):
    svc = setup_admin(qtbot, tmp_path, monkeypatch)
    svc.users.create("li", "李队员", "member", "member-pw1")
    users = UsersDialog(svc)
    qtbot.addWidget(users)
    assert users.table.rowCount() == 2
    svc.households.create(HouseholdInput(head_name="张三"))
    audit = AuditDialog(svc)
    qtbot.addWidget(audit)
    assert audit.table.rowCount() > 3
    audit._verify()
    assert dialogs.calls[-1][0] == "info"
    backups = BackupDialog(svc)
    qtbot.addWidget(backups)
    backups.backup_now()
    qtbot.waitUntil(lambda: backups.table.rowCount() == 1, timeout=10_000)
    svc.households.create(HouseholdInput(head_name="李四"))
    backups.table.selectRow(0)
    with qtbot.waitSignal(backups.restored, timeout=10_000):
        backups.restore_selected()
    assert svc.households.count() == 1
    assert tasks.wait_for_tasks(10_000)
    users.resize(1366, 768)
    svc.db.dispose()


def test_user_menu_reaches_security_and_backups(qtbot, tmp_path, monkeypatch):
    from fupin_desktop.app import build_main_window
    from fupin_desktop.ui.views.security.user_menu import ChangePasswordDialog

    svc = setup_admin(qtbot, tmp_path, monkeypatch)
    window = build_main_window(svc)
    qtbot.addWidget(window)
    texts = [a.text() for a in window.user_button.menu().actions() if a.text()]
    assert texts[:4] == ["修改密码…", "用户管理…", "操作记录…", "备份与恢复…"]
    dlg = ChangePasswordDialog(svc)
    qtbot.addWidget(dlg)
    dlg.old.setText("secret-123")
    dlg.new.setText("changed-456")
    dlg.again.setText("changed-457")
    dlg.accept()
    assert "不一样" in dlg.error.text()
    dlg.again.setText("changed-456")
    dlg.accept()
    qtbot.waitUntil(lambda: not dlg.busy)  # changed in the write pool
    assert dlg.result() == QDialog.DialogCode.Accepted
    svc.db.dispose()
    AccessManager(tmp_path).login("zhang", "changed-456").db.dispose()
