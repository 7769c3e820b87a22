"""首页: what needs doing this week, the year's figures against the targets and a chart of visits per month."""
from __future__ import annotations

import html
from datetime import date

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from typing import TYPE_CHECKING

from fupin_desktop.domain.dates import format_cn_date
from fupin_desktop.ui import messages, navigation, style, tasks
from fupin_desktop.ui.events import bus
from fupin_desktop.ui.views.home.targets import TargetsPanel
from fupin_desktop.ui.widgets.village_scope import village_scope

if TYPE_CHECKING:  # the statistics (and through them most services) are imported when the figures are worked out
    from fupin_desktop.services.stats import HomeFigures


class Card(QFrame):
    """A titled box with a big number, a few lines and a button to go there."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("HomeCard")
        self.setStyleSheet(f"#HomeCard {{ border: 1px solid {style.BORDER}; border-radius: 8px; "
                           f"background: #FFFFFF; }}")
        self.title = QLabel(title, self)
        self.title.setStyleSheet(f"color: {style.MUTED};")
        self.number = QLabel(self)
        self.number.setStyleSheet("font-size: 20pt; font-weight: bold;")
        self.lines = QLabel(self)
        self.lines.setWordWrap(True)
        self.lines.setTextFormat(Qt.TextFormat.PlainText)
        self.lines.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.button = QPushButton(self)
        self.button.setFlat(True)
        self.button.setStyleSheet(f"color: {style.ACCENT}; text-align: left; padding: 0;")
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 8)
        lay.setSpacing(4)
        lay.addWidget(self.title)
        lay.addWidget(self.number)
        lay.addWidget(self.lines, 1)
        lay.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)

    def set(self, number: str, colour: str | None, lines: list[str], button: str | None = None) -> None:
        self.number.setText(number)
        self.number.setStyleSheet(f"font-size: 20pt; font-weight: bold; color: {colour or style.TEXT};")
        self.lines.setText("\n".join(lines))
        self.button.setVisible(bool(button))
        self.button.setText(button or "")


RISK_ROWS = 4


class RiskCard(QFrame):
    """值得走访的农户（风险提示）: the households the risk rules point at, with the reasons; a name opens the
    household at its 防返贫监测 tab, the button the full list on the monitoring page."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("RiskCard")
        self.setStyleSheet(f"#RiskCard {{ border: 1px solid {style.BORDER}; border-radius: 8px; "
                           f"background: #FFFFFF; }}")
        self.title = QLabel(self.tr("Households worth a visit (risk prompts)"), self)
        self.title.setStyleSheet(f"color: {style.MUTED};")
        self.count = QLabel(self)
        self.count.setObjectName("RiskCount")
        self.count.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.lines = QLabel(self)
        self.lines.setObjectName("RiskLines")
        self.lines.setWordWrap(True)
        self.lines.setTextFormat(Qt.TextFormat.RichText)
        self.lines.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                           | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.lines.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.button = QPushButton(self.tr("All risk prompts →"), self)
        self.button.setObjectName("RiskAll")
        self.button.setFlat(True)
        self.button.setStyleSheet(f"color: {style.ACCENT}; text-align: left; padding: 0;")
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addSpacing(8)
        head.addWidget(self.count)
        head.addStretch(1)
        head.addWidget(self.button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 12, 8)
        lay.setSpacing(4)
        lay.addLayout(head)
        lay.addWidget(self.lines)
        self.prompts: list = []
        self.no_households = False  # set by the page from its figures
        self.lines.setText(self.tr("Checking the registry…"))

    def set_prompts(self, prompts: list) -> None:
        self.prompts = list(prompts)
        n = len(self.prompts)
        self.count.setText(self.tr("{n} households").format(n=n))
        self.count.setStyleSheet(f"font-size: 14pt; font-weight: bold; color: {style.WARNING if n else style.SUCCESS};")
        self.button.setVisible(n > 0)
        if not n:
            if self.no_households:  # nothing checked: no all-clear either
                self.count.setText("—")
                self.lines.setText(self.tr("Once households are registered, those showing a risk sign are listed "
                                           "here."))
                return
            self.lines.setText(self.tr("No household outside monitoring shows a risk sign. The rules are set on "
                                       "the monitoring page."))
            return
        rows = []
        for p in self.prompts[:RISK_ROWS]:
            where = [p.group_name] if p.group_name else []
            where.append(self.tr("last visit {date}").format(date=format_cn_date(p.last_visit_on))
                         if p.last_visit_on else self.tr("never visited"))
            reasons = "；".join(r.text for r in p.reasons)  # each a whole sentence: the rule's title would repeat it
            rows.append(f"<a href='{escape(p.household_id)}' style='color:{style.ACCENT}; font-weight:bold'>"
                        f"{escape(p.head_name)}</a> <span style='color:{style.MUTED}'>（{escape(' · '.join(where))}）"
                        f"</span> ⚠ {escape(reasons)}")
        if n > RISK_ROWS:
            rows.append(f"<span style='color:{style.MUTED}'>"
                        + escape(self.tr("… and {n} more").format(n=n - RISK_ROWS)) + "</span>")
        self.lines.setText("<br>".join(rows))


def escape(text: str) -> str:
    return html.escape(text or "", quote=True)


class HomePage(QWidget):
    LOAD_LATER_ARGS = ("load_later",)  # ui/main_window.py: the program's first page shows before its figures

    def __init__(self, services, parent: QWidget | None = None, load_later: bool = False):
        """``load_later``: built with a loading line only; :meth:`load` works the figures out in the background."""
        super().__init__(parent)
        self.services = services
        self.figures: HomeFigures | None = None
        self.loading = load_later

        self.heading = QLabel(self)
        self.heading.setObjectName("PageTitle")
        self.subheading = QLabel(self)
        self.subheading.setObjectName("Hint")

        self.visits_card = Card(self.tr("Households overdue for a visit"), self)
        self.visits_card.button.clicked.connect(lambda: self._go("visits", coverage=True))
        self.problems_card = Card(self.tr("Problems overdue or due within 7 days"), self)
        self.problems_card.button.clicked.connect(lambda: self._go("problems"))
        self.projects_card = Card(self.tr("Projects behind schedule"), self)
        self.projects_card.button.clicked.connect(lambda: self._go("projects"))
        self.attendance_card = Card(self.tr("Days in the village this month"), self)
        self.attendance_card.button.clicked.connect(lambda: self._go("worklog"))
        week = QGridLayout()
        week.setSpacing(10)
        for i, card in enumerate((self.visits_card, self.problems_card, self.projects_card, self.attendance_card)):
            week.addWidget(card, 0, i)
            week.setColumnStretch(i, 1)

        self.year_title = QLabel(self)
        self.year_title.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.targets = QGridLayout()
        self.targets.setHorizontalSpacing(10)
        self.target_widgets: dict[str, tuple[QLabel, QProgressBar, QLabel]] = {}

        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.legend().hide()
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.setBackgroundRoundness(0)
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(220)

        self.risk_card = RiskCard(self)
        self.risk_card.lines.linkActivated.connect(self.open_household)
        self.risk_card.button.clicked.connect(self.open_risk_prompts)

        bottom = QHBoxLayout()
        self.cadre_targets = TargetsPanel(services, self)
        left = QVBoxLayout()
        left.addWidget(self.year_title)
        left.addLayout(self.targets)
        left.addWidget(self.cadre_targets)
        left.addStretch(1)
        bottom.addLayout(left, 2)
        bottom.addWidget(self.chart_view, 3)

        content = QWidget(self)
        lay = QVBoxLayout(content)
        lay.setContentsMargins(20, 14, 20, 10)
        lay.addWidget(self.heading)
        lay.addWidget(self.subheading)
        lay.addSpacing(6)
        lay.addLayout(week)
        lay.addSpacing(8)
        lay.addWidget(self.risk_card)
        lay.addSpacing(8)
        lay.addLayout(bottom, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        bus().data_changed.connect(self._on_data_changed)
        village_scope().changed.connect(self._village_changed)  # township database: 全部村 / one village
        if load_later:
            self.heading.setText(self.tr("This week"))
            self.subheading.setText(self.tr("Working out the figures…"))
        else:
            self.refresh()

    # -- content ------------------------------------------------------------------------------------------------
    def load(self) -> None:
        """The figures in the background (start-up); the cards fill in when they are there."""
        self._load_task = tasks.run_in_background(self.services.stats.home, on_success=self._loaded,
                                                  on_failure=self._load_failed, parent=self,
                                                  village_id=village_scope().village_id)

    def _loaded(self, figures: HomeFigures) -> None:
        if self.loading:  # (a change meanwhile refreshed the page already: its figures are newer)
            self.show_figures(figures)

    def _load_failed(self, exc) -> None:
        if self.loading:
            self.loading = False
            self.subheading.setText(self.tr("The figures could not be worked out: {reason}").format(
                reason=messages.error_text(exc)))

    def refresh(self) -> None:
        self.show_figures(self.services.stats.home(village_id=village_scope().village_id))

    def show_figures(self, f: HomeFigures) -> None:
        from fupin_desktop.ui.models.problems import urgency

        self.loading = False
        self.figures = f
        today = f.today
        village = village_scope().village_name  # a township database narrowed to one village: say which
        self.heading.setText(self.tr("This week · {village}").format(village=village) if village
                             else self.tr("This week"))
        self.subheading.setText(self.tr("Today is {date}. What needs doing:").format(
            date=f"{today.year}年{today.month}月{today.day}日"))

        lines = []
        for r in f.overdue_visit_rows[:5]:
            when = self.tr("never visited") if r.days_since is None else \
                self.tr("{n} days ago").format(n=r.days_since)
            lines.append(f"{r.head_name}（{when}）")
        if f.pairings_below:  # 结对帮扶: the paired cadre's own visits behind the yearly rule
            lines.append(self.tr("Pairings below the visit rule: {n}").format(n=f.pairings_below))
            lines += [self.tr("{cadre} → {household}: {done} of {due} visits").format(
                cadre=p.cadre_name, household=p.head_name, done=p.visits_in_period, due=p.required_visits)
                for p in f.pairing_rows[:2]]
        if not f.households:  # nothing to be on time with: point at the next step instead
            self.visits_card.set("—", style.MUTED, [self.tr("No households yet: add them or import the roster on "
                                                           "the Households page.")])
        else:
            self.visits_card.set(str(f.overdue_visits), style.ERROR if f.overdue_visits else (
                                 style.WARNING if f.pairings_below else style.SUCCESS),
                                 lines or [self.tr("Every household is visited on time.")],
                                 self.tr("See the coverage list →") if f.overdue_visits else None)

        n = f.problems_overdue + f.problems_due_soon
        lines = [self.tr("{o} overdue · {s} due within 7 days").format(o=f.problems_overdue, s=f.problems_due_soon)]
        for p in f.problem_rows[:4]:
            word, _c = urgency(p, today)
            lines.append(f"{word}：{p.description[:16]}")
        self.problems_card.set(str(n), style.ERROR if f.problems_overdue else (style.WARNING if n else style.SUCCESS),
                               lines if n else [self.tr("Nothing is due this week.")],
                               self.tr("Open the problem list →"))

        lines = [self.tr("{name}: due {date}, {p}%").format(name=p.name[:12], date=p.planned_end.isoformat(),
                                                           p=p.progress_percent) for p in f.project_rows[:4]]
        if not f.projects:
            self.projects_card.set("—", style.MUTED, [self.tr("No projects recorded yet.")])
        else:
            self.projects_card.set(str(f.projects_behind), style.ERROR if f.projects_behind else style.SUCCESS,
                                   lines or [self.tr("All projects are on schedule.")],
                                   self.tr("Open the projects →") if f.projects_behind else None)

        short = [a for a in f.attendance if a.short]
        lines = [self.tr("{name}: {days} of {req} days").format(name=a.name, days=a.days, req=a.required)
                 + (self.tr(" (short)") if a.short else "") for a in f.attendance[:5]]
        lines.append(self.tr("{n} days left this month").format(n=f.month_days_left))
        self.attendance_card.set(
            self.tr("{short} of {n} short").format(short=len(short), n=len(f.attendance)) if f.attendance else "—",
            style.WARNING if short else style.SUCCESS,
            lines if f.attendance else [self.tr("No work team recorded.")])

        self.year_title.setText(self.tr("{year}: figures against the targets").format(year=f.year))
        titles = {"visits": self.tr("Visits"), "households_covered": self.tr("Households visited"),
                  "diary_days": self.tr("Diary days"), "problems_solved": self.tr("Problems solved")}
        for i, y in enumerate(f.year_figures):
            if y.key not in self.target_widgets:
                name, bar, value = QLabel(self), QProgressBar(self), QLabel(self)
                bar.setTextVisible(False)
                bar.setFixedHeight(10)
                bar.setRange(0, 100)
                value.setObjectName(f"target_{y.key}")
                self.targets.addWidget(name, i, 0)
                self.targets.addWidget(bar, i, 1)
                self.targets.addWidget(value, i, 2)
                self.target_widgets[y.key] = (name, bar, value)
            name, bar, value = self.target_widgets[y.key]
            name.setText(titles.get(y.key, y.title))
            bar.setValue(min(100, y.percent))
            colour = style.SUCCESS if y.percent >= 100 else style.ACCENT
            bar.setStyleSheet(f"QProgressBar {{ border: 1px solid {style.BORDER}; border-radius: 4px; "
                              f"background: #F1F3F5; }} QProgressBar::chunk {{ background: {colour}; "
                              f"border-radius: 4px; }}")
            value.setText(self.tr("{actual} / {target} ({p}%)").format(actual=y.actual, target=y.target,
                                                                       p=y.percent))
        if f.targets is not None:
            self.cadre_targets.show_progress(f.targets)
        self._update_chart(f)
        self.refresh_risks()

    def refresh_risks(self) -> None:
        """The risk rules run over the whole registry: in the background, the card fills in when done."""
        self.risk_card.no_households = self.figures is not None and not self.figures.households
        self._risk_task = tasks.run_in_background(self.services.risk.prompts, on_success=self.risk_card.set_prompts,
                                                  on_failure=self._risks_failed, parent=self,
                                                  village_id=village_scope().village_id)

    def _risks_failed(self, exc) -> None:
        self.risk_card.lines.setText(self.tr("The risk prompts could not be worked out: {reason}").format(
            reason=messages.error_text(exc)))

    def open_household(self, household_id: str) -> None:
        """A name on the risk card: the household page at its 防返贫监测 tab."""
        dlg = navigation.household_dialog(self.services, household_id, self)
        dlg.show_monitoring()
        self.household_dialog = dlg  # for tests
        dlg.exec()

    def open_risk_prompts(self) -> None:
        window = self.window()
        set_page = getattr(window, "set_page", None)
        if not callable(set_page):
            return
        try:
            page = set_page("monitoring")
        except ValueError:
            return
        risk_tab = getattr(page, "risk_tab", None)
        if risk_tab is not None:
            page.tabs.setCurrentWidget(risk_tab)

    def _build_chart_series(self) -> None:
        self.bars = QBarSet(self.tr("Visits"))
        self.bars.setColor(QColor(style.ACCENT))
        self.series = QBarSeries()
        self.series.append(self.bars)
        self.series.setLabelsVisible(True)
        self.series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        self.chart.addSeries(self.series)
        self.x_axis = QBarCategoryAxis()
        self.x_axis.append([self.tr("{m}月").format(m=m) for m in range(1, 13)])
        self.y_axis = QValueAxis()
        self.y_axis.setLabelFormat("%d")
        font = self.font()
        for axis in (self.x_axis, self.y_axis):
            axis.setLabelsFont(font)
        self.chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        self.series.attachAxis(self.x_axis)
        self.series.attachAxis(self.y_axis)
        self.chart.setTitleFont(font)

    def _update_chart(self, f: HomeFigures) -> None:
        if not hasattr(self, "bars"):
            self._build_chart_series()
        values = [float(v) for v in f.visits_per_month]
        if self.bars.count() == len(values):
            for i, v in enumerate(values):
                self.bars.replace(i, v)
        else:
            self.bars.remove(0, self.bars.count())
            self.bars.append(values)
        top = max(values) if any(values) else 4
        self.y_axis.setRange(0, top * 1.15 + 1)
        self.y_axis.applyNiceNumbers()
        self.chart.setTitle(self.tr("Visits per month, {year}").format(year=f.year))

    def visits_per_month(self) -> list[float]:
        """What the chart shows (for tests)."""
        series = self.chart.series()
        if not series:
            return []
        s = series[0].barSets()[0]
        return [s.at(i) for i in range(s.count())]

    def _go(self, key: str, coverage: bool = False) -> None:
        window = self.window()
        set_page = getattr(window, "set_page", None)
        if not callable(set_page):
            return
        try:
            page = set_page(key)
        except ValueError:
            return
        if coverage and hasattr(page, "tabs"):
            page.tabs.setCurrentIndex(1)

    def activated(self) -> None:
        if self.loading:
            return  # the figures are on their way (load)
        if self.figures is None or self.figures.today != date.today():  # stale (changed while hidden) or a new day
            self.refresh()

    def _village_changed(self, _village_id: str) -> None:
        """The top bar's village chooser: the figures of that village (or of all), like a change of the data."""
        self._on_data_changed(None, None)

    def _on_data_changed(self, changes, _initiator) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self.figures = None  # refreshed when shown (activated)
            self.loading = False  # (figures of a start-up load still on their way are older than this change)
