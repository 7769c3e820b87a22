"""交接 in the window (数据交换 → 交接给下一任工作队…): choose a folder (a USB stick), then the 交接清单 (PDF) and the
sealed package are written in the write pool — the same service and file calls as ``fupin-desktop handover`` — and
the 交接码 is shown large for the receiver to copy; the data folder is then handed over (read-only)."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.widgets.save_path import save_folder


class HandoverDialog(QDialog):
    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(self.tr("Hand over to the next team"))
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "Writes the handover list (PDF, with signature lines for the township) and the data package for the "
            "next team, encrypted with a one-time handover code. Afterwards the data on this computer can only be "
            "viewed."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Folder:")))
        self.folder = QLineEdit(str(save_folder()))
        row.addWidget(self.folder, 1)
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        row.addWidget(browse)
        lay.addLayout(row)
        self.code = QLabel("")
        font = QFont(self.code.font())
        font.setPointSize(font.pointSize() + 8)
        font.setBold(True)
        self.code.setFont(font)
        self.code.setTextInteractionFlags(self.code.textInteractionFlags().TextSelectableByMouse)
        lay.addWidget(self.code)
        self.result = QLabel("")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(self.result.textInteractionFlags().TextSelectableByMouse)
        lay.addWidget(self.result)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.start = self.buttons.addButton(self.tr("Hand over"), QDialogButtonBox.ButtonRole.ActionRole)
        self.start.clicked.connect(self.hand_over)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Choose the folder"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def hand_over(self):
        if not messages.confirm(self, self.tr("After the handover the data on this computer can only be viewed "
                                              "(an administrator can reopen it). Hand over now?"),
                                self.tr("Hand over")):
            return None
        out = Path(self.folder.text()).expanduser()
        services = self.services

        def work(*, progress, cancel):
            from fupin_desktop.exchange.handover_package import new_code, write_handover_package
            from fupin_desktop.reports.handover import write_handover

            out.mkdir(parents=True, exist_ok=True)
            checklist = services.handover.prepare()
            code = new_code()
            state = services.sync.pack_state(progress=progress, cancel=cancel.raise_if_cancelled)
            package, _ = write_handover_package(state, out, code, users=services.handover.users(),
                                                pairings=[p.pairing_id for p in checklist.pairings],
                                                handed_by=services.ctx.actor.name)
            village = checklist.village.name if checklist.village else "村"
            pdf = write_handover(out / f"{village}-交接清单-{datetime.now():%Y%m%d-%H%M}.pdf", checklist, code,
                                 package.name)
            services.handover.mark_handed_over(package=package.name)
            return pdf, package, code

        def done(result) -> None:
            pdf, package, code = result
            self.code.setText(self.tr("Handover code: {code}").format(code=code))
            self.result.setText(self.tr("Handover list: {pdf}\nPackage: {package}\nThe code is printed on the list: "
                                        "give it to the receiver in person. This computer's data is now read-only."
                                        "\nOn the new computer, the receiver clicks “Receive a handover package…” "
                                        "in the window of the first start.").format(pdf=pdf, package=package))
            self.start.setEnabled(False)
            self.adjustSize()  # the result lines are longer than the dialog it opened with

        return tasks.run_in_background(work, on_success=done, progress_title=self.tr("Handing over"),
                                       cancellable=True, parent=self, writes=True)
