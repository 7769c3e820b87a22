"""One calm look: Fusion style, white content, light grey sidebar, one accent colour.

Colours are named here once; widgets refer to these names (``style.ERROR``), never to literal hex values, so the
look can change in one place. Status colours always go with a word or an icon (UI.md: never colour alone).
"""
from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

ACCENT = "#2F6BB3"          # calm blue: selection, primary buttons, links
ACCENT_DARK = "#24558F"
ACCENT_LIGHT = "#E4EDF8"    # highlighted sidebar item, hovered rows
WINDOW = "#FFFFFF"          # content background
SIDEBAR = "#F1F3F5"
BORDER = "#D8DCE1"
TEXT = "#1F2328"
MUTED = "#5F6B7A"           # secondary text, hints
ERROR = "#C0392B"           # overdue, wrong input
WARNING = "#B7791F"         # due within 7 days
SUCCESS = "#2F855A"         # done

BASE_POINT_SIZE = 10.5

STYLESHEET = f"""
QToolTip {{ color: {TEXT}; background: #FFFFFF; border: 1px solid {BORDER}; padding: 4px; }}

/* Sidebar */
#Sidebar {{ background: {SIDEBAR}; border-right: 1px solid {BORDER}; }}
#SidebarVillage {{ font-size: 13pt; font-weight: bold; color: {TEXT}; }}
#SidebarYear {{ color: {MUTED}; }}
#SidebarList {{ background: transparent; border: none; outline: 0; }}
#SidebarList::item {{ padding: 6px 8px; margin: 1px 6px; border-radius: 6px; color: {TEXT}; }}
#SidebarList::item:hover {{ background: #E6E9ED; }}
#SidebarList::item:selected {{ background: {ACCENT_LIGHT}; color: {ACCENT_DARK}; font-weight: bold; }}
#SidebarToggle {{ border: none; padding: 6px; color: {MUTED}; }}
#SidebarToggle:hover {{ background: #E6E9ED; border-radius: 6px; }}

/* Top bar */
#TopBar {{ background: {WINDOW}; border-bottom: 1px solid {BORDER}; }}
#TopBar QToolButton {{ border: none; padding: 4px 8px; border-radius: 6px; }}
#TopBar QToolButton:hover {{ background: #EEF1F4; }}
#GlobalSearch {{ padding: 5px 8px; border: 1px solid {BORDER}; border-radius: 6px; background: #F7F8FA; }}
#GlobalSearch:focus {{ border: 1px solid {ACCENT}; background: #FFFFFF; }}

/* Pages */
#PageStack {{ background: {WINDOW}; }}
#PageTitle {{ font-size: 15pt; font-weight: bold; color: {TEXT}; }}
#PlaceholderTitle {{ font-size: 16pt; font-weight: bold; color: {TEXT}; }}
#PlaceholderText {{ color: {MUTED}; font-size: 11pt; }}
#Hint {{ color: {MUTED}; }}
#FieldError {{ color: {ERROR}; }}
#StatusText {{ color: {MUTED}; padding: 0 6px; }}

QLineEdit, QComboBox, QDateEdit, QSpinBox, QDoubleSpinBox {{ min-height: 26px; }}
QLineEdit[invalid="true"] {{ border: 1px solid {ERROR}; border-radius: 3px; }}
QPushButton {{ min-height: 28px; padding: 0 14px; }}
QPushButton[primary="true"] {{ background: {ACCENT}; color: white; border: 1px solid {ACCENT_DARK};
                               border-radius: 4px; }}
QPushButton[primary="true"]:hover {{ background: {ACCENT_DARK}; }}
QPushButton[primary="true"]:disabled {{ background: #9DB5D6; border-color: #9DB5D6; }}
QTableView, QTableWidget, QListView, QTreeView {{ selection-background-color: {ACCENT_LIGHT};
                                                  selection-color: {TEXT}; }}
QHeaderView::section {{ padding: 4px 6px; }}
"""


def palette() -> QPalette:
    p = QPalette()
    white, text = QColor(WINDOW), QColor(TEXT)
    p.setColor(QPalette.ColorRole.Window, QColor("#F7F8FA"))
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, white)
    p.setColor(QPalette.ColorRole.AlternateBase, QColor("#F6F8FA"))
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8A94A3"))
    p.setColor(QPalette.ColorRole.Button, QColor("#F3F4F6"))
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.BrightText, QColor(ERROR))
    p.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    p.setColor(QPalette.ColorRole.HighlightedText, white)
    p.setColor(QPalette.ColorRole.Link, QColor(ACCENT))
    p.setColor(QPalette.ColorRole.ToolTipBase, white)
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.Light, white)
    p.setColor(QPalette.ColorRole.Midlight, QColor("#E9ECEF"))
    p.setColor(QPalette.ColorRole.Mid, QColor(BORDER))
    p.setColor(QPalette.ColorRole.Dark, QColor("#A0A7B1"))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#9AA2AD"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, QColor("#B8C4D4"))
    p.setColor(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Highlight, QColor(ACCENT))
    return p


def apply(app: QApplication) -> None:
    """Fusion + the palette + the small style sheet (the same on every Windows version)."""
    fusion = QStyleFactory.create("Fusion")
    if fusion is not None:
        app.setStyle(fusion)
    app.setPalette(palette())
    app.setStyleSheet(STYLESHEET)
