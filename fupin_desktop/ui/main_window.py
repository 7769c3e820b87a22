"""The main window: sidebar of pages, top bar (search, user, lock), status bar (saved · backup · households).

Adding a page
-------------
Add ONE line to :data:`PAGES` (or replace the placeholder line of your area)::

    PageSpec("households", QT_TRANSLATE_NOOP("Pages", "Households"), "users",
             "fupin_desktop.ui.views.households.page:HouseholdsPage"),

* ``factory`` is ``"module:callable"`` (imported on the first visit, so start-up stays fast) or a callable;
  it is called as ``factory(services, parent)`` and returns the page widget. ``None`` shows the placeholder.
* The title is English source text wrapped in ``QT_TRANSLATE_NOOP("Pages", …)``; its Chinese goes into your
  catalog as ``Pages<TAB>Households<TAB>农户`` (see i18n/README.md).
* ``icon`` names an SVG in ``resources/icons`` (without ``.svg``).

Optional methods a page may have (called if present): ``refresh()`` (F5), ``activated()`` (each time the page
is shown). A page class listing ``"load_later"`` in ``LOAD_LATER_ARGS`` is built as the program's first page with
``load_later=True``: it shows a loading state and fills in when :meth:`MainWindow.show_first_page` calls its
``load()`` (start-up: the window and the page frame are on the screen before the statistics are imported). Pages listen to ``ui.events.bus().data_changed`` themselves.

The top-bar search (Ctrl+F) is the one search of the program (services.search): results grouped under the box,
↑/↓ + Enter (or a click) open the record on its page (:meth:`MainWindow.open_search_hit`).
"""
from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QSizePolicy, QStackedWidget,
    QToolButton, QVBoxLayout, QWidget,
)

from fupin_desktop.ui.events import bus
from fupin_desktop.ui.icons import icon
from fupin_desktop.ui.views.placeholder import PlaceholderPage
from fupin_desktop.ui import tasks
from fupin_desktop.ui.main_search import GlobalSearch
from fupin_desktop.ui.main_status import StatusLine
from fupin_desktop.ui.widgets.search import SearchBox
from fupin_desktop.ui.widgets.search_results import SearchResults
from fupin_desktop.ui.widgets.state import ui_settings

log = logging.getLogger(__name__)

PageFactory = Callable[..., QWidget]


@dataclass(frozen=True)
class PageSpec:
    key: str                                  # fixed, never translated: remembered as the last page, used in tests
    title: str                                # English source text, marked QT_TRANSLATE_NOOP("Pages", …)
    icon: str                                 # resources/icons/<icon>.svg
    factory: PageFactory | str | None = None  # "module:callable" or callable(services, parent); None → placeholder

    @property
    def translated_title(self) -> str:
        return QCoreApplication.translate("Pages", self.title)


# ---- the page registry: one line per sidebar page, in sidebar order (Alt+1 … Alt+9 follow this order) --------
PAGES: list[PageSpec] = [
    PageSpec("home", QT_TRANSLATE_NOOP("Pages", "Home"), "home", "fupin_desktop.ui.views.home.page:HomePage"),
    PageSpec("households", QT_TRANSLATE_NOOP("Pages", "Households"), "users",
             "fupin_desktop.ui.views.households.page:HouseholdsPage"),
    PageSpec("visits", QT_TRANSLATE_NOOP("Pages", "Visits"), "walk", "fupin_desktop.ui.views.visits.page:VisitsPage"),
    PageSpec("problems", QT_TRANSLATE_NOOP("Pages", "Problem list"), "list-check",
             "fupin_desktop.ui.views.problems.page:ProblemsPage"),
    PageSpec("monitoring", QT_TRANSLATE_NOOP("Pages", "Monitoring"), "alert-circle",
             "fupin_desktop.ui.views.monitoring.page:MonitoringPage"),
    PageSpec("diary", QT_TRANSLATE_NOOP("Pages", "Residents' diary"), "notebook",
             "fupin_desktop.ui.views.diary.page:DiaryPage"),
    PageSpec("worklog", QT_TRANSLATE_NOOP("Pages", "Work log"), "clipboard-list",
             "fupin_desktop.ui.views.worklog.page:WorkLogPage"),
    PageSpec("projects", QT_TRANSLATE_NOOP("Pages", "Projects"), "building-bridge",
             "fupin_desktop.ui.views.projects.page:ProjectsPage"),
    PageSpec("donations", QT_TRANSLATE_NOOP("Pages", "Donations"), "gift",
             "fupin_desktop.ui.views.donations.page:DonationsPage"),
    PageSpec("purchases", QT_TRANSLATE_NOOP("Pages", "Consumption support"), "shopping-cart",
             "fupin_desktop.ui.views.purchases.page:PurchasesPage"),
    PageSpec("reports", QT_TRANSLATE_NOOP("Pages", "Ledgers & reports"), "report-analytics",
             "fupin_desktop.ui.views.reports.page:ReportsPage"),
    PageSpec("settings", QT_TRANSLATE_NOOP("Pages", "Settings"), "settings",
             "fupin_desktop.ui.views.settings.page:SettingsPage"),
]
# ------------------------------------------------------------------------------------------------------------------

STATE_KEY = "main_window"
SIDEBAR_WIDTH = 184
SIDEBAR_COLLAPSED_WIDTH = 60
TITLE_ROLE = Qt.ItemDataRole.UserRole + 1


def resolve_factory(spec: PageSpec) -> PageFactory | None:
    f = spec.factory
    if isinstance(f, str):
        module, _, attr = f.partition(":")
        return getattr(importlib.import_module(module), attr)
    return f


class MainWindow(GlobalSearch, StatusLine, QMainWindow):
    """Signals: ``lock_requested()`` (Ctrl+L / lock button), ``search_requested(str)`` (global search box),
    ``page_changed(str)`` (page key), ``opened()`` (:meth:`attach`: the data is there).

    ``services=None`` builds the window's frame while the data is still being opened (sign-in from the
    environment, :mod:`fupin_desktop.app`): sidebar, top bar with the search box, print/export and lock disabled,
    the page area saying 正在打开数据…; a page chosen meanwhile (click, Alt+N) is remembered and opened by
    :meth:`attach`, which adds what needs the data (village name, user menu, data exchange, village chooser) and
    shows the remembered or chosen page. Nothing in the frame imports SQLAlchemy or the models."""

    lock_requested = Signal()
    search_requested = Signal(str)
    page_changed = Signal(str)
    opened = Signal()

    def __init__(self, services, pages: list[PageSpec] | None = None, parent: QWidget | None = None,
                 first_page_later: bool = False):
        """``first_page_later``: the remembered page is built by :meth:`show_first_page` (the program's start shows
        the window first, then builds its page: the page imports much of the program)."""
        super().__init__(parent)
        self.services = services
        self._first_page_later = first_page_later or services is None
        self._first_row = 0
        self.pages: list[PageSpec] = list(PAGES if pages is None else pages)
        self._widgets: dict[str, QWidget] = {}
        self._saved_at: datetime | None = None
        self._stats_missing = False
        self._collapsed = False
        self._load_later = False  # show_first_page: pages that can are built empty and loaded in the background
        self._counting = False  # the status line's household count is being worked out in the background

        self.setWindowTitle(self.tr("Village work desk"))
        self.setMinimumSize(960, 600)
        self._build()
        self._build_shortcuts()
        if services is None:
            self._opening_page = PlaceholderPage(
                self.tr("Opening the data…"), "refresh", self.stack,
                text=self.tr("The page you choose opens as soon as the data is ready."))
            self._opening_page.setObjectName("OpeningPage")
            self.stack.addWidget(self._opening_page)
            self.status_label.setText(self.tr("Opening the data…"))
        else:
            self._opening_page = None
            self._build_data_parts()
        self.refresh_village()
        if not self._first_page_later:  # (the status line counts households: the statistics, imported with the page)
            self.refresh_status()
        bus().data_changed.connect(self._on_data_changed)

        self._status_timer = QTimer(self)  # "上次备份 今天 12:00" must roll over to 昨天 on its own
        self._status_timer.setInterval(60_000)
        self._status_timer.timeout.connect(self.refresh_status)
        self._status_timer.start()

        self._restore_state()
        if self._first_page_later:  # a focused list without a current row would select (and build) its first row itself
            self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        else:
            self.nav.setFocus()  # keyboard users start in the sidebar (and shortcuts need a focused widget)

    # -- construction -----------------------------------------------------------------------------------------
    def _build(self) -> None:
        central = QWidget(self)
        root = QHBoxLayout(central)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(self._build_sidebar())

        right = QWidget(central)
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.setSpacing(0)
        rv.addWidget(self._build_topbar())
        self.stack = QStackedWidget(right)
        self.stack.setObjectName("PageStack")
        rv.addWidget(self.stack, 1)
        root.addWidget(right, 1)
        self.setCentralWidget(central)

        self.search_results = SearchResults(central)
        self.search_results.anchor_to(self.search_box)
        self.search_results.opened.connect(self.open_search_hit)
        self._search_text = ""
        self._open_first_when_found = False

        self.status_label = QLabel(self)
        self.status_label.setObjectName("StatusText")
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().setSizeGripEnabled(True)

    def _build_sidebar(self) -> QWidget:
        sb = QFrame(self)
        sb.setObjectName("Sidebar")
        sb.setFixedWidth(SIDEBAR_WIDTH)
        v = QVBoxLayout(sb)
        v.setContentsMargins(0, 14, 0, 8)
        v.setSpacing(2)

        self.village_label = QLabel(sb)
        self.village_label.setObjectName("SidebarVillage")
        self.village_label.setWordWrap(True)
        self.year_label = QLabel(sb)
        self.year_label.setObjectName("SidebarYear")
        for lab in (self.village_label, self.year_label):
            lab.setContentsMargins(16, 0, 12, 0)
            v.addWidget(lab)
        v.addSpacing(10)

        self.nav = QListWidget(sb)
        self.nav.setObjectName("SidebarList")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setUniformItemSizes(True)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        row_height = max(38, self.fontMetrics().height() + 18)
        for i, spec in enumerate(self.pages):
            title = spec.translated_title
            item = QListWidgetItem(icon(spec.icon), title)
            item.setData(TITLE_ROLE, title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setSizeHint(QSize(0, row_height))
            item.setToolTip(f"{title} (Alt+{i + 1})" if i < 9 else title)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._show_index)
        v.addWidget(self.nav, 1)

        self.toggle_button = QToolButton(sb)
        self.toggle_button.setObjectName("SidebarToggle")
        self.toggle_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle_button.setIconSize(QSize(18, 18))
        self.toggle_button.clicked.connect(lambda: self.set_sidebar_collapsed(not self._collapsed))
        tb = QHBoxLayout()
        tb.setContentsMargins(8, 0, 8, 0)
        tb.addWidget(self.toggle_button)
        tb.addStretch(1)
        v.addLayout(tb)
        self.sidebar = sb
        self._update_toggle()
        return sb

    def _build_topbar(self) -> QWidget:
        bar = QFrame(self)
        bar.setObjectName("TopBar")
        h = QHBoxLayout(bar)
        h.setContentsMargins(16, 8, 12, 8)
        h.setSpacing(8)
        self.search_box = SearchBox(bar, self.tr("Search households, visits, diary…  (Ctrl+F)"))
        self.search_box.setObjectName("GlobalSearch")
        self.search_box.setMinimumWidth(260)
        self.search_box.setMaximumWidth(460)
        self.search_box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.search_box.submitted.connect(self._search_submitted)
        self.search_box.searchChanged.connect(self._search)
        self.search_box.installEventFilter(self)
        h.addWidget(self.search_box, 1)
        self._topbar_layout = h  # (the village chooser and the data exchange button: _build_data_parts)
        h.addStretch(1)
        from fupin_desktop.ui.output_actions import OutputActions  # 打印 / 导出 buttons, Ctrl+P / Ctrl+E
        self.output = OutputActions(self, bar)
        h.addWidget(self.output.print_button)
        h.addWidget(self.output.export_button)

        self.user_button = QToolButton(bar)
        self.user_button.setIcon(icon("user"))
        self.user_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.user_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        h.addWidget(self.user_button)

        self.lock_button = QToolButton(bar)
        self.lock_button.setIcon(icon("lock"))
        self.lock_button.setIconSize(QSize(20, 20))
        self.lock_button.setToolTip(self.tr("Lock the screen (Ctrl+L)"))
        self.lock_button.setAccessibleName(self.tr("Lock"))
        self.lock_button.clicked.connect(self.lock_requested)
        h.addWidget(self.lock_button)
        if self.services is None:  # nothing to search, print or lock before the data is open
            for w in (self.search_box, self.output.print_button, self.output.export_button, self.lock_button):
                w.setEnabled(False)
            self.user_button.hide()
        return bar

    def _build_data_parts(self) -> None:
        """The parts of the top bar that need the data: village chooser, data exchange menu, user name and menu."""
        bar, h = self.search_box.parentWidget(), self._topbar_layout
        from fupin_desktop.ui.widgets.village_scope import VillageChooser  # township: 全部村 / one village
        self.village_chooser = VillageChooser(self.services, bar)
        self.village_chooser.currentIndexChanged.connect(lambda _i: self._search_village_changed(""))
        h.insertWidget(h.indexOf(self.search_box) + 1, self.village_chooser)
        from fupin_desktop.ui.views.exchange.menu import ExchangeButton  # 数据交换 menu (ui/views/exchange)
        h.insertWidget(h.indexOf(self.user_button), ExchangeButton(self.services, bar))
        self.user_button.setText(self.services.ctx.actor.name)
        from fupin_desktop.ui.views.security.user_menu import build_user_menu  # password, users, backups…
        self.user_button.setMenu(build_user_menu(self, self.services))
        self.user_button.show()
        for w in (self.search_box, self.lock_button):
            w.setEnabled(True)
        self.output.update_buttons()

    def is_opening(self) -> bool:
        """True while the window is a frame waiting for its data (built with ``services=None``)."""
        return self.services is None

    def is_loaded(self) -> bool:
        """The data is attached, the page shown has its content (no ``loading`` state) and the status line its
        household count."""
        if self.services is None or self._counting:
            return False
        return not getattr(self.stack.currentWidget(), "loading", False)

    def attach(self, services) -> None:
        """The data is open: add the parts that need it and show the remembered page (or the one she chose
        meanwhile) as :meth:`show_first_page` does; emits ``opened``."""
        if self.services is not None:
            raise RuntimeError("the main window has its data already")
        self.services = services
        self._build_data_parts()
        self.refresh_village()
        page = self._opening_page
        self._opening_page = None
        self.show_first_page()
        if page is not None:
            self.stack.removeWidget(page)
            page.deleteLater()
        self.opened.emit()

    def _build_shortcuts(self) -> None:
        for i in range(min(9, len(self.pages))):
            sc = QShortcut(QKeySequence(f"Alt+{i + 1}"), self)
            sc.activated.connect(lambda i=i: self.nav.setCurrentRow(i))
        QShortcut(QKeySequence("Ctrl+F"), self).activated.connect(self.focus_search)
        QShortcut(QKeySequence("Ctrl+L"), self).activated.connect(self.lock_requested)
        QShortcut(QKeySequence("F5"), self).activated.connect(self.refresh_current_page)

    # -- pages ------------------------------------------------------------------------------------------------
    def page_keys(self) -> list[str]:
        return [p.key for p in self.pages]

    def current_page_key(self) -> str | None:
        """The page shown (None while the data is being opened: see :meth:`chosen_page_key`)."""
        if self.services is None:
            return None
        return self.chosen_page_key()

    def chosen_page_key(self) -> str | None:
        """The page selected in the sidebar (while the data is being opened: the one to show once it is)."""
        row = self.nav.currentRow()
        return self.pages[row].key if 0 <= row < len(self.pages) else None

    def page_widget(self, key: str) -> QWidget | None:
        """The page widget if it has been created (pages are created on their first visit)."""
        return self._widgets.get(key)

    def set_page(self, key: str) -> QWidget | None:
        """Show the page ``key`` (creating it if needed) and return its widget (None while the data is being
        opened: the page is chosen and shown once it is)."""
        row = self.page_keys().index(key)
        if self.nav.currentRow() == row:
            self._show_index(row)
        else:
            self.nav.setCurrentRow(row)
        return self._widgets.get(key)

    def _create_page(self, spec: PageSpec) -> QWidget:
        try:
            factory = resolve_factory(spec)
            if factory is None:
                return PlaceholderPage(spec.translated_title, spec.icon, self.stack)
            if self._load_later and "load_later" in getattr(factory, "LOAD_LATER_ARGS", ()):
                return factory(self.services, self.stack, load_later=True)
            return factory(self.services, self.stack)
        except Exception as exc:  # noqa: BLE001 - one broken page must not take the program down
            log.exception("page %s failed to open", spec.key)
            return PlaceholderPage(
                spec.translated_title, "alert-circle", self.stack,
                text=self.tr("This page could not be opened. Your data is safe.\n{reason}").format(
                    reason=str(exc) or type(exc).__name__))

    def _show_index(self, row: int) -> None:
        if not 0 <= row < len(self.pages) or self.services is None:
            return  # (while the data is being opened the row stays selected: attach() shows its page)
        spec = self.pages[row]
        widget = self._widgets.get(spec.key)
        if widget is None:
            widget = self._create_page(spec)
            self._widgets[spec.key] = widget
            self.stack.addWidget(widget)
        self.stack.setCurrentWidget(widget)
        activated = getattr(widget, "activated", None)
        if callable(activated):
            try:
                activated()
            except Exception:  # noqa: BLE001
                log.exception("page %s: activated() failed", spec.key)
        self.page_changed.emit(spec.key)

    def refresh_current_page(self) -> None:
        if self.services is None:
            return
        widget = self.stack.currentWidget()
        refresh = getattr(widget, "refresh", None)
        if callable(refresh):
            refresh()
        self.refresh_village()
        self.refresh_status()

    # -- sidebar ----------------------------------------------------------------------------------------------
    def is_sidebar_collapsed(self) -> bool:
        return self._collapsed

    def set_sidebar_collapsed(self, collapsed: bool) -> None:
        self._collapsed = collapsed
        self.sidebar.setFixedWidth(SIDEBAR_COLLAPSED_WIDTH if collapsed else SIDEBAR_WIDTH)
        self.village_label.setVisible(not collapsed)
        self.year_label.setVisible(not collapsed)
        for i in range(self.nav.count()):
            item = self.nav.item(i)
            item.setText("" if collapsed else item.data(TITLE_ROLE))
        self._update_toggle()

    def _update_toggle(self) -> None:
        if self._collapsed:
            self.toggle_button.setIcon(icon("layout-sidebar-left-expand"))
            self.toggle_button.setText("")
            self.toggle_button.setToolTip(self.tr("Show the page names"))
        else:
            self.toggle_button.setIcon(icon("layout-sidebar-left-collapse"))
            self.toggle_button.setText(self.tr("Collapse"))
            self.toggle_button.setToolTip(self.tr("Show icons only"))

    # -- village header and status bar ------------------------------------------------------------------------
    def refresh_village(self) -> None:
        if self.services is None:  # the village name is in the (encrypted) data
            self.village_label.setText("")
            self.year_label.setText(self.tr("{year} work year").format(year=date.today().year))
            return
        try:
            village = self.services.village.get()
        except Exception:  # noqa: BLE001
            log.exception("reading the village failed")
            village = None
        self.village_label.setText(village.name if village else self.tr("(village not set up)"))
        self.year_label.setText(self.tr("{year} work year").format(year=self.services.ctx.today().year))

    def set_user_name(self, name: str) -> None:
        self.user_button.setText(name)

    def refresh_status(self) -> None:
        if self.services is None:
            return  # "正在打开数据…" until attach()
        self.status_label.setText(self.status_text())

    def _on_data_changed(self, changes, _initiator) -> None:
        if self.services is None:
            return
        self._saved_at = datetime.now()
        touches = getattr(changes, "touches", None)
        if touches is None or touches("village"):
            self.refresh_village()
        self.refresh_status()

    # -- remembered state -------------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        s = ui_settings()
        geometry = s.value(f"{STATE_KEY}/geometry")
        restored = bool(geometry) and self.restoreGeometry(geometry)
        state = s.value(f"{STATE_KEY}/state")
        if state:
            self.restoreState(state)
        if not restored:
            self.resize(1280, 760)
            screen = self.screen()
            if screen is not None:
                avail = screen.availableGeometry()
                if avail.width() < 1300 or avail.height() < 780:  # a 1366×768 laptop: use all of it
                    self.setWindowState(Qt.WindowState.WindowMaximized)
        self.set_sidebar_collapsed(str(s.value(f"{STATE_KEY}/sidebar_collapsed", "false")).lower() == "true")
        keys = self.page_keys()
        last = s.value(f"{STATE_KEY}/page", "")
        self._first_row = keys.index(last) if last in keys else 0
        if not self._first_page_later:
            self.nav.setCurrentRow(self._first_row)

    def show_first_page(self) -> None:
        """Build and show the remembered page, unless a page is shown already.

        Counting the households (status line) imports the statistics and through them most services: that runs in
        the background, and a page built here with ``load_later=True`` (首页: its figures) gets its ``load()``
        called once the count is there — one background job after the other (two threads importing the same
        modules at once can trip Python's import deadlock detection)."""
        page = None
        row = self.nav.currentRow()
        if row < 0 or self.pages[row].key not in self._widgets:  # (a row chosen while the data was being opened)
            self._load_later = True
            try:
                if row < 0:
                    self.nav.setCurrentRow(self._first_row)
                else:
                    self._show_index(row)
            finally:
                self._load_later = False
            page = self.stack.currentWidget()
        self._counting = True
        self.refresh_status()
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.nav.setFocus()

        def counted(count) -> None:
            self._counting = False
            self.status_label.setText(self.status_text(count))
            load = getattr(page, "load", None)
            if getattr(page, "loading", False) and callable(load):
                load()

        def failed(_exc) -> None:
            counted(None)

        self._count_task = tasks.run_in_background(self.household_count, on_success=counted, on_failure=failed,
                                                   parent=self)

    def save_state(self) -> None:
        s = ui_settings()
        s.setValue(f"{STATE_KEY}/geometry", self.saveGeometry())
        s.setValue(f"{STATE_KEY}/state", self.saveState())
        s.setValue(f"{STATE_KEY}/sidebar_collapsed", "true" if self._collapsed else "false")
        s.setValue(f"{STATE_KEY}/page", self.chosen_page_key() or self.pages[self._first_row].key)
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)
