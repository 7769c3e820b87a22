"""Screenshots of every record dialog as she sees it on a 1366×768 laptop (issue 18: looked at, listed in the
closing note). Each dialog must fit the screen (minus taskbar and title bar) and show no text cut off in its
labels; the pictures go to /tmp/shots/dialogs/ for a person to look at."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel

SHOTS = Path("/tmp/shots/dialogs")
SCREEN = (1366, 768 - 40 - 30)  # minus the taskbar and the window title bar


def test_every_record_dialog_fits_a_1366x768_screen(qtbot, records, record_dialogs):
    SHOTS.mkdir(parents=True, exist_ok=True)
    too_big, clipped = {}, {}
    for i, (title, make) in enumerate(record_dialogs.items()):
        dlg = make()
        qtbot.addWidget(dlg)
        # not shown: the offscreen test screen is 800 px wide and would shrink a wider dialog; grab() lays it out
        # at the size it opens with on her screen
        pixmap = dlg.grab()
        size = dlg.size()
        if size.width() > SCREEN[0] or size.height() > SCREEN[1] or \
                dlg.minimumSizeHint().height() > SCREEN[1]:
            too_big[title] = (size.width(), size.height(), dlg.minimumSizeHint().height())
        for label in dlg.findChildren(QLabel):
            if label.isVisibleTo(dlg) and label.text() and not label.wordWrap() and \
                    label.sizeHint().width() > label.width() + 2:
                clipped.setdefault(title, []).append(label.text()[:20])
        assert pixmap.save(str(SHOTS / f"{i:02d}_{title}.png"))
    assert not too_big, too_big
    assert not clipped, clipped


def test_the_dialog_list_holds_every_form_dialog(qtbot, records, record_dialogs):
    """A new record dialog joins ``record_dialogs`` (tests/ui/conftest.py), so that the fit, screenshot and Tab-order
    tests see it."""
    import importlib
    import pkgutil

    import fupin_desktop.ui.views as views
    from fupin_desktop.ui.widgets.form_dialog import FormDialog

    for mod in pkgutil.walk_packages(views.__path__, views.__name__ + "."):
        importlib.import_module(mod.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    every = {c for c in subclasses(FormDialog) if c.__module__.startswith("fupin_desktop.") and
             not c.__name__.startswith("_")}
    listed = set()
    for make in record_dialogs.values():
        dlg = make()
        qtbot.addWidget(dlg)
        listed.add(type(dlg))
    assert every - listed == set(), sorted(c.__qualname__ for c in every - listed)
