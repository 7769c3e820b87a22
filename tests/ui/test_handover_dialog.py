"""交接 in the window: 数据交换 → 交接给下一任工作队… writes the 交接清单 and the sealed package into the chosen folder,
shows the 交接码 (the same one the PDF prints) and leaves the data read-only. Grabbed to /tmp/shots/handover/."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fupin_desktop.domain.errors import PermissionDeniedError
from fupin_desktop.services.households import HouseholdInput, MemberInput
from fupin_desktop.services.problems import ProblemInput
from fupin_desktop.ui import tasks

SHOTS = Path("/tmp/shots/handover")


def test_handover_dialog_writes_list_and_package_shows_the_code_and_locks_the_data(qtbot, qapp, services, village,
                                                                                   dialogs, tmp_path):
    from fupin_desktop.ui.views.exchange.menu import ExchangeButton

    hid = services.households.create(HouseholdInput(head_name="王大山", household_type="alleviated"),
                                     [MemberInput("王大山", "head")]).value.id
    services.problems.raise_problem(ProblemInput("屋顶漏雨", household_id=hid))
    button = ExchangeButton(services)
    qtbot.addWidget(button)
    assert "交接" in button.handover_action.text()
    dlg = button.open_handover()
    qtbot.addWidget(dlg)
    out = tmp_path / "usb"
    dlg.folder.setText(str(out))
    SHOTS.mkdir(parents=True, exist_ok=True)
    dlg.grab().save(str(SHOTS / "handover-before.png"))
    qtbot.mouseClick(dlg.start, Qt.MouseButton.LeftButton)
    assert tasks.wait_for_tasks(60000)
    qtbot.waitUntil(lambda: "交接码" in dlg.code.text(), timeout=10000)
    dlg.grab().save(str(SHOTS / "handover-done.png"))
    code = dlg.code.text().split("：")[-1].strip()
    pdf = next(out.glob("*交接清单*.pdf"))
    assert next(out.glob("*.fupin-handover")).stat().st_size > 0
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert code in text and "屋顶漏雨" in text
    if services.db.path is not None:  # SQLite: a 交接前 backup was taken first, and the list names it
        assert "没有备份" not in text
    assert not dlg.start.isEnabled()
    with pytest.raises(PermissionDeniedError, match="交接"):
        services.problems.raise_problem(ProblemInput("交接后的问题", household_id=hid))
