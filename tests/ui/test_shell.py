"""The main window: registry pages, shortcuts, status bar, remembered state, and a screenshot to look at."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from fupin_desktop.app import build_main_window
from fupin_desktop.services.base import Changes
from fupin_desktop.ui import main_window as mw
from fupin_desktop.ui.events import bus
from fupin_desktop.ui.main_window import PAGES, MainWindow, PageSpec
from fupin_desktop.ui.views.placeholder import PlaceholderPage

SHOTS = Path("/tmp/shots")

# UI.md's sidebar; areas may add pages (e.g. 防返贫监测) between them.
EXPECTED_TITLES = ["首页", "农户", "走访", "问题清单", "民情日记", "工作日志", "项目", "捐赠慰问", "消费帮扶",
                   "台账报表", "设置"]


@pytest.fixture
def window(qtbot, services, village):
    w = build_main_window(services)
    qtbot.addWidget(w)
    w.setWindowState(Qt.WindowState.WindowNoState)
    w.resize(1366, 768)
    with qtbot.waitExposed(w):
        w.show()
    return w


def _activate(qtbot, w):
    w.raise_()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)


def test_sidebar_lists_every_page_in_chinese(window):
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == [p.translated_title for p in PAGES]
    assert [t for t in titles if t in EXPECTED_TITLES] == EXPECTED_TITLES
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in titles), titles  # every title translated
    assert len({p.key for p in PAGES}) == len(PAGES)
    assert window.village_label.text() == "东兴村"
    assert window.year_label.text() == "2024年度"


def test_every_page_opens_without_error(window, dialogs):
    for key in window.page_keys():
        page = window.set_page(key)
        assert window.stack.currentWidget() is page
        assert window.current_page_key() == key
        assert page.isVisible()
    assert dialogs.calls == []


def test_unbuilt_pages_show_the_placeholder(qtbot, services, village):
    w = MainWindow(services, pages=[PageSpec("home", "Home", "home", lambda s, p: QLabel("home", p)),
                                    PageSpec("visits", "Visits", "walk")])
    qtbot.addWidget(w)
    page = w.set_page("visits")
    assert isinstance(page, PlaceholderPage)
    assert page.title_label.text() == "走访"
    assert "该功能尚未提供" in page.text_label.text()


def test_pages_are_created_on_first_visit(window):
    assert window.page_widget("projects") is None
    window.set_page("projects")
    assert window.page_widget("projects") is not None


def test_alt_number_switches_pages(window, qtbot):
    _activate(qtbot, window)
    keys = window.page_keys()
    for i in [1, 4, 8, 0]:
        qtbot.keyClick(window, getattr(Qt.Key, f"Key_{i + 1}"), Qt.KeyboardModifier.AltModifier)
        assert window.current_page_key() == keys[i]


def test_ctrl_f_focuses_search_and_search_is_emitted(window, qtbot):
    _activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_box.hasFocus()
    with qtbot.waitSignal(window.search_requested) as blocker:
        qtbot.keyClicks(window.search_box, "zhang")
        qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert blocker.args == ["zhang"]


def test_ctrl_l_and_lock_button_request_lock(window, qtbot):
    _activate(qtbot, window)
    with qtbot.waitSignal(window.lock_requested):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(window.lock_requested):
        window.lock_button.click()


def test_f5_calls_refresh_of_the_page(qtbot, services, village):
    calls = []

    class Page(QWidget):
        def refresh(self):
            calls.append("refresh")

    w = MainWindow(services, pages=[PageSpec("p", "Home", "home", lambda s, parent: Page(parent))])
    qtbot.addWidget(w)
    with qtbot.waitExposed(w):
        w.show()
    _activate(qtbot, w)
    qtbot.keyClick(w, Qt.Key.Key_F5)
    assert calls == ["refresh"]


def test_registry_factory_gets_services_and_parent_and_a_broken_page_is_contained(qtbot, services, village):
    seen = []

    def good(svc, parent):
        seen.append((svc, parent))
        return QLabel("ok", parent)

    def broken(svc, parent):
        raise RuntimeError("boom")

    w = MainWindow(services, pages=[PageSpec("good", "Home", "home", good),
                                    PageSpec("broken", "Visits", "walk", broken),
                                    PageSpec("lazy", "Settings", "settings",
                                             "fupin_desktop.ui.views.settings.page:SettingsPage")])
    qtbot.addWidget(w)
    assert seen == [(services, w.stack)]  # the first page opens at once
    page = w.set_page("broken")
    assert isinstance(page, PlaceholderPage) and "boom" in page.text_label.text()
    assert type(w.set_page("lazy")).__name__ == "SettingsPage"


def test_status_bar_counts_households_and_shows_saved_time(window, services, monkeypatch):
    monkeypatch.setattr(services.stats, "household_count", lambda village_id=None: 502, raising=False)
    window._stats_missing = False
    bus().data_changed.emit(Changes(inserted=frozenset({("household", "x")})), None)
    text = window.status_label.text()
    assert text.startswith("已保存 ") and "共 502 户" in text
    assert "尚未备份" in text


def test_status_bar_shows_last_backup(window, services):
    backups = getattr(services, "backups", None)
    if backups is None or not hasattr(backups, "backup_now"):
        pytest.skip("backup service not available")
    backups.backup_now()
    window.refresh_status()
    assert "上次备份 今天" in window.status_label.text()


def test_village_rename_refreshes_the_sidebar(window, services):
    from fupin_desktop.services.village import VillageInput

    v = services.village.get()
    outcome = services.village.save(VillageInput(name="西兴村", division_code=v.division_code))
    bus().data_changed.emit(outcome.changes, None)
    assert window.village_label.text() == "西兴村"


def test_sidebar_collapse_page_and_geometry_are_remembered(qtbot, services, village):
    w = build_main_window(services)
    qtbot.addWidget(w)
    w.setWindowState(Qt.WindowState.WindowNoState)
    w.resize(1000, 650)  # (the offscreen screen is 800×800; wider windows are clamped to it on restore)
    w.show()
    w.set_page("visits")
    w.set_sidebar_collapsed(True)
    assert w.sidebar.width() == mw.SIDEBAR_COLLAPSED_WIDTH
    assert all(w.nav.item(i).text() == "" for i in range(w.nav.count()))
    w.close()

    again = build_main_window(services)
    qtbot.addWidget(again)
    assert again.is_sidebar_collapsed()
    assert again.current_page_key() == "visits"
    assert again.size().height() == 650
    again.set_sidebar_collapsed(False)
    assert again.nav.item(0).text() == "首页"


def test_fits_a_small_laptop_screen(window):
    assert window.minimumSize().width() <= 1024 and window.minimumSize().height() <= 640
    assert window.minimumSizeHint().width() <= 1024 and window.minimumSizeHint().height() <= 640


def test_screenshots(window, qtbot):
    """Saved for a human (and the reviewer) to look at: Chinese must render, nothing cut off."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.set_page("home")
    qtbot.wait(10)
    assert window.grab().save(str(SHOTS / "main_window.png"))
    window.set_page("settings")
    qtbot.wait(10)
    assert window.grab().save(str(SHOTS / "main_settings.png"))
    window.set_sidebar_collapsed(True)
    window.set_page("households")
    qtbot.wait(10)
    assert window.grab().save(str(SHOTS / "main_collapsed.png"))
