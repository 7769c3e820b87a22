"""app.main: start-up paths without entering the event loop."""
from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QApplication, QDialog

from fupin_desktop import app as app_module


def _sign_in(self):
    """Stands in for the user at the sign-in window: first start creates the administrator, later ones log in."""
    if self.setup_mode:
        self.username.setText("zhang")
        self.display_name.setText("张书记")
        self.password2.setText("secret-123")
    self.password.setText("secret-123")
    self.accept()  # the key is derived and the data opened in the background
    from fupin_desktop.ui import tasks

    tasks.wait_for_tasks(10_000)
    return self.result()


@pytest.fixture
def no_event_loop(monkeypatch, qapp):
    from fupin_desktop.ui.views.security import login

    shown = []
    monkeypatch.setattr(login.LoginDialog, "exec", _sign_in)
    monkeypatch.setattr(login, "show_recovery_code", lambda code, parent: None)
    monkeypatch.setattr(QApplication, "exec", staticmethod(lambda: 0))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(app_module, "build_main_window", _recording(app_module.build_main_window, shown))
    return shown


def _recording(fn, shown):
    def build(services, **kwargs):
        w = fn(services, **kwargs)
        shown.append(w)
        return w
    return build


def test_main_opens_the_main_window_when_the_village_exists(no_event_loop, data_dir, qtbot):
    from fupin_desktop.services import Services
    from fupin_desktop.services.village import CadreInput, VillageInput
    from fupin_desktop.storage.migrate import open_database

    db = open_database(f"sqlite:///{data_dir / 'fupin.sqlite3'}")
    Services(db).village.set_up(VillageInput("东兴村", "130204203213"), [CadreInput("张书记", "secretary")])
    db.dispose()

    assert app_module.main([]) == 0  # the plain database of an earlier version is encrypted on the way
    [window] = no_event_loop
    qtbot.addWidget(window)
    assert window.village_label.text() == "东兴村"
    # the window is shown first, its page right after: both are there when the event loop starts
    assert window.current_page_key() == "home" and window.page_widget("home") is not None
    # the household count and the home page's figures follow from the background (statistics imported there)
    qtbot.waitUntil(lambda: "共 0 户" in window.status_label.text(), timeout=30_000)
    qtbot.waitUntil(lambda: window.page_widget("home").figures is not None, timeout=30_000)
    from PySide6.QtCore import Qt

    assert window.nav.focusPolicy() == Qt.FocusPolicy.StrongFocus  # keyboard users start in the sidebar again
    from fupin_desktop.storage.encryption import is_plain_sqlite

    assert not is_plain_sqlite(data_dir / "fupin.sqlite3")


def test_main_starts_the_wizard_on_an_empty_database_and_stops_if_cancelled(no_event_loop, monkeypatch):
    from fupin_desktop.ui.views.setup import wizard

    opened = []

    def fake_exec(self):
        opened.append(self)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(wizard.SetupWizard, "exec", fake_exec)
    assert app_module.main([]) == 0
    assert len(opened) == 1 and no_event_loop == []


def test_main_reports_a_database_that_cannot_be_opened(no_event_loop, data_dir, monkeypatch, dialogs):
    blocker = data_dir / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("FUPIN_DATABASE_URL", f"sqlite:///{blocker}/fupin.sqlite3")
    assert app_module.main([]) == 1
    assert dialogs.kinds() == ["error"]
    assert dialogs.texts()[0].startswith("无法打开数据")


def test_main_accepts_the_cli_namespace(no_event_loop, tmp_path, monkeypatch):
    import argparse

    from fupin_desktop import paths
    from fupin_desktop.ui.views.setup import wizard

    monkeypatch.setattr(wizard.SetupWizard, "exec", lambda self: QDialog.DialogCode.Rejected)
    monkeypatch.setattr(paths, "_data_dir_override", None)
    target = tmp_path / "usb"
    assert app_module.main(argparse.Namespace(data_dir=str(target))) == 0
    assert (target / "fupin.sqlite3").exists()
    paths.set_data_dir(None)


def test_translator_switches_language(qapp):
    from PySide6.QtCore import QCoreApplication

    try:
        assert app_module.install_translator(qapp, "en")
        assert QCoreApplication.translate("Pages", "Households") == "Households"
    finally:
        assert app_module.install_translator(qapp, "zh_CN")
    assert QCoreApplication.translate("Pages", "Households") == "农户"
    assert qapp.font().family() == "WenQuanYi Micro Hei"
