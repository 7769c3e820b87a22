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
    assert dlg.store is None
    assert "已损坏" in dlg.error.text() and "恢复密钥" in dlg.error.text()
