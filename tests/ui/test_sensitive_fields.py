"""Personal numbers in the edit forms (issue 7 item 4): masked by default, the full number only on an audited
"Show / edit", a form saved without revealing keeps the stored number, a 查看 account cannot reveal or save."""
from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit, QTableWidget, QWidget

from fupin_desktop.domain.idcard import make_id
from fupin_desktop.services.audit import AuditQuery
from fupin_desktop.services.base import KEEP
from fupin_desktop.services.households import HouseholdInput, MemberInput
from fupin_desktop.services.village import CadreInput
from fupin_desktop.storage.db import Actor

HEAD_ID = make_id("130204", date(1970, 3, 4), 11)
WIFE_ID = make_id("130204", date(1972, 5, 6), 22)
PHONE = "13812345678"
BANK = "6228480402564890018"
# an 18-character 身份证号 or an 11-digit mobile number standing alone (a 16-digit 户编号 is not personal)
FULL = re.compile(r"(?<!\d)(\d{17}[\dXx]|1[3-9]\d{9})(?![\dXx])")


def visible_text(root: QWidget) -> str:
    """Everything a user (or a screen reader) could read in the dialog, hidden tabs included."""
    parts = [root.windowTitle()]
    for w in root.findChildren(QWidget):
        if isinstance(w, QLineEdit):
            parts += [w.text(), w.placeholderText()]
        elif isinstance(w, (QLabel, QAbstractButton)):
            parts.append(w.text())
        elif isinstance(w, QPlainTextEdit):
            parts.append(w.toPlainText())
        elif isinstance(w, QTableWidget):
            parts += [w.item(r, c).text() for r in range(w.rowCount()) for c in range(w.columnCount())
                      if w.item(r, c) is not None]
        parts.append(w.toolTip())
    return "\n".join(parts)


@pytest.fixture
def household(services, village):
    hid = services.households.create(
        HouseholdInput(head_name="王建国", phone=PHONE, bank_account=BANK, address="东兴村3组"),
        [MemberInput(name="王建国", relation="head", id_number=HEAD_ID),
         MemberInput(name="李秀英", relation="spouse", id_number=WIFE_ID, phone="13900001111")]).value.id
    return hid


def view_full_entries(services, entity_id):
    return services.audit.list(AuditQuery(action="view_full", entity_id=entity_id))


def open_dialog(qtbot, services, hid):
    from fupin_desktop.ui.views.households.dialog import HouseholdDialog

    dlg = HouseholdDialog(services, hid)
    qtbot.addWidget(dlg)
    dlg.resize(1366, 768)
    dlg.show()
    return dlg


def test_household_dialog_masks_until_an_audited_reveal(qtbot, services, household):
    dlg = open_dialog(qtbot, services, household)
    text = visible_text(dlg)
    assert not FULL.search(text), FULL.search(text)
    assert HEAD_ID not in text and PHONE not in text and BANK not in text and WIFE_ID not in text
    assert dlg.head_id.masked.text() == "130204" + "*" * 12
    assert dlg.bank_account.masked.text().endswith(BANK[-4:])
    assert not dlg.is_dirty()
    assert view_full_entries(services, household) == []

    reveal(qtbot, dlg.head_id)
    assert dlg.head_id.edit.isVisible() and dlg.head_id.edit.text() == HEAD_ID
    assert dlg.head_id.edit.isReadOnly()  # the head's ID is changed on the head's member record
    reveal(qtbot, dlg.phone)
    assert dlg.phone.edit.text() == PHONE and not dlg.phone.edit.isReadOnly()
    entries = view_full_entries(services, household)
    assert sorted(e.detail for e in entries) == ["查看完整的head_id_number", "查看完整的phone"]
    assert all(e.entity == "household" and e.user_name == "测试管理员" for e in entries)
    assert not dlg.is_dirty()  # revealing is not a change
    # the bank account was not revealed: still masked
    assert BANK not in visible_text(dlg)


def reveal(qtbot, field) -> None:
    """Click 显示/修改 and wait for the audited reveal (it runs in the write pool)."""
    qtbot.mouseClick(field.reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not field.revealing)


def saved(qtbot, dlg) -> bool:
    """Save as 保存 does (in the write pool) and wait; True when it succeeded."""
    task = dlg.save()
    if task is None:
        return False
    qtbot.waitUntil(lambda: task.done)
    return task.error is None


def test_save_without_reveal_keeps_the_stored_numbers(qtbot, services, household):
    dlg = open_dialog(qtbot, services, household)
    dlg.address.setText("东兴村5组")
    assert dlg.household_input().head_id_number is KEEP
    assert saved(qtbot, dlg)
    h = services.households.get(household)
    assert (h.address, h.head_id_number, h.phone, h.bank_account) == ("东兴村5组", HEAD_ID, PHONE, BANK)
    assert view_full_entries(services, household) == []
    # reveal, change the phone, clear the bank account: saved; the ID stays
    reveal(qtbot, dlg.phone)
    dlg.phone.edit.setText("13911112222")
    reveal(qtbot, dlg.bank_account)
    dlg.bank_account.edit.clear()
    assert dlg.is_dirty()
    assert saved(qtbot, dlg)
    h = services.households.get(household)
    assert (h.head_id_number, h.phone, h.bank_account) == (HEAD_ID, "13911112222", None)
    assert dlg.phone.is_masked() and "13911112222" not in visible_text(dlg)  # masked again after saving


def test_new_household_types_numbers_without_reveal(qtbot, services, village):
    dlg = open_dialog(qtbot, services, None)
    assert not dlg.head_id.is_masked() and dlg.head_id.edit.isVisible()
    dlg.head_name.setText("赵六")
    dlg.head_id.edit.setText(HEAD_ID)
    assert "男" in dlg.head_id_info.text()
    dlg.phone.edit.setText(PHONE)
    dlg.bank_account.edit.setText(BANK)
    assert saved(qtbot, dlg)
    h = services.households.get(dlg.household_id)
    assert (h.head_id_number, h.phone, h.bank_account) == (HEAD_ID, PHONE, BANK)
    assert HEAD_ID not in visible_text(dlg)


def test_member_dialog_masks_and_keeps_the_id(qtbot, services, household):
    from fupin_desktop.ui.views.households.dialog import MemberDialog

    wife = next(m for m in services.households.detail(household).members if m.relation == "spouse")
    dlg = MemberDialog(wife, None, reveal=lambda f: services.audit.reveal("member", wife.id, f))
    qtbot.addWidget(dlg)
    dlg.show()
    text = visible_text(dlg)
    assert WIFE_ID not in text and "13900001111" not in text and not FULL.search(text)
    dlg.note.setText("在外务工")
    dlg.save_handler = lambda data: services.households.update_member(wife.id, data)
    dlg.try_accept()
    qtbot.waitUntil(lambda: not dlg.busy)  # saved in the write pool
    assert dlg.result() == dlg.DialogCode.Accepted
    m = next(m for m in services.households.detail(household).members if m.id == wife.id)
    assert (m.id_number, m.phone, m.note) == (WIFE_ID, "13900001111", "在外务工")
    assert view_full_entries(services, wife.id) == []

    dlg2 = MemberDialog(m, None, reveal=lambda f: services.audit.reveal("member", wife.id, f))
    qtbot.addWidget(dlg2)
    reveal(qtbot, dlg2.id_number)
    assert dlg2.id_number.edit.text() == WIFE_ID and dlg2.id_number.is_valid()
    assert [e.entity for e in view_full_entries(services, wife.id)] == ["member"]
    # a changed sex is still checked against the stored (unrevealed) ID by the service
    dlg3 = MemberDialog(m, None, reveal=lambda f: services.audit.reveal("member", wife.id, f))
    qtbot.addWidget(dlg3)
    dlg3.sex.set_code("male")
    dlg3.save_handler = lambda data: services.households.update_member(wife.id, data)
    dlg3.try_accept()
    qtbot.waitUntil(lambda: not dlg3.busy)
    assert "身份证号" in dlg3.errors_label("sex").text()


def test_no_birth_date_beside_a_masked_id(qtbot, services, household):
    """Issue 14 item 1: the birth date is 8 of the 12 hidden digits. The member list shows the age; the member form
    leaves the birth date empty until the ID is revealed (audited), and saving unrevealed keeps it."""
    from fupin_desktop.domain.privacy import age_on
    from fupin_desktop.ui.views.households.dialog import MemberDialog

    born = date(1972, 5, 6)
    dlg = open_dialog(qtbot, services, household)
    table = visible_text(dlg)
    assert born.isoformat() not in table and str(age_on(born, services.ctx.today())) in table
    wife = next(m for m in services.households.detail(household).members if m.relation == "spouse")
    assert wife.birth_date == born
    form = MemberDialog(wife, None, reveal=lambda f: services.audit.reveal("member", wife.id, f))
    qtbot.addWidget(form)
    form.show()
    assert form.birth.value() is None and not form.birth.isEnabled()
    form.note.setText("在外务工")
    form.save_handler = lambda data: services.households.update_member(wife.id, data)
    form.try_accept()
    qtbot.waitUntil(lambda: not form.busy)
    assert form.result() == form.DialogCode.Accepted
    assert next(m for m in services.households.detail(household).members if m.id == wife.id).birth_date == born
    again = MemberDialog(wife, None, reveal=lambda f: services.audit.reveal("member", wife.id, f))
    qtbot.addWidget(again)
    reveal(qtbot, again.id_number)
    assert again.birth.value() == born and again.birth.isEnabled()


def test_viewer_cannot_reveal_or_save(qtbot, services, household):
    services.set_actor(Actor(name="检查组", role="viewer"))
    dlg = open_dialog(qtbot, services, household)
    assert not dlg.save_button.isEnabled() and not dlg.delete_button.isEnabled()
    reveal(qtbot, dlg.head_id)
    assert dlg.head_id.is_masked()
    assert dlg.head_id.error_label.isVisible() and "不能查看完整号码" in dlg.head_id.error_message()
    assert HEAD_ID not in visible_text(dlg)
    assert dlg.save() is None  # nothing started
    services.set_actor(Actor(name="测试管理员", role="admin"))
    assert view_full_entries(services, household) == []


def test_cadre_phone_masked_and_kept(qtbot, services, village):
    from fupin_desktop.ui.views.settings.page import TeamTab

    cadre = services.cadres.create(CadreInput(name="周帮扶", role="helper", phone=PHONE)).value
    tab = TeamTab(services)
    qtbot.addWidget(tab)
    row = next(i for i, c in enumerate(tab._cadres) if c.id == cadre.id)
    tab.table.selectRow(row)
    assert tab.phone.is_masked() and PHONE not in visible_text(tab)
    tab.position.setText("科长")
    services.cadres.update(cadre.id, tab.data())
    assert services.cadres.get(cadre.id).phone == PHONE
    reveal(qtbot, tab.phone)
    assert tab.phone.edit.text() == PHONE
    assert [e.entity for e in view_full_entries(services, cadre.id)] == ["cadre"]
