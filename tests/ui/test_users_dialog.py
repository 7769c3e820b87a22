"""用户管理 writes go through the write pool (issue 18 §2): adding a user, resetting a password and disabling an
account are typed and clicked as an administrator would; the GUI-write guard of tests/conftest.py fails any of
them that writes on the GUI thread."""
from __future__ import annotations

from PySide6.QtCore import Qt

from fupin_desktop.ui.views.security.users import ResetPasswordDialog, UserFormDialog, UsersDialog
from fupin_desktop.ui.widgets.form_dialog import FormDialog


def test_add_reset_and_disable_users_off_the_gui_thread(qtbot, services, village, save_form, dialogs):
    users = UsersDialog(services)
    qtbot.addWidget(users)
    users.show()
    assert users.table.rowCount() == 0

    add = users.add_user()
    assert isinstance(add, UserFormDialog) and isinstance(add, FormDialog)
    qtbot.keyClicks(add.username, "li")
    add.display_name.insert("李队员")
    qtbot.keyClicks(add.password, "123")
    assert not save_form(add)  # too short: shown under the password field, nothing created
    assert "密码至少" in add.errors._fields["password"][1].text()
    assert services.users.list() == []
    add.password.clear()
    qtbot.keyClicks(add.password, "member-pw1")
    assert save_form(add)
    qtbot.waitUntil(lambda: users.table.rowCount() == 1, timeout=5000)
    assert users.table.item(0, 0).text() == "li" and users.table.item(0, 3).text() == "正常"

    users.table.selectRow(0)
    reset = users.reset_password()
    assert isinstance(reset, ResetPasswordDialog) and isinstance(reset, FormDialog)
    qtbot.keyClicks(reset.password, "new-pw-77")
    assert save_form(reset)
    assert ("info", "已重设李队员的密码。") in dialogs.calls

    users.table.selectRow(0)
    qtbot.mouseClick(users.toggle_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: users.table.item(0, 3).text() == "已停用", timeout=5000)
    assert services.users.list()[0].active is False
