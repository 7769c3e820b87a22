"""SVG icons from ``resources/icons`` (Tabler Icons, outline set, MIT: see resources/icons/LICENSE-tabler.txt).

``icon("users")`` returns a QIcon drawn from ``resources/icons/users.svg`` at whatever size and device pixel ratio
is asked for, so it stays crisp on HiDPI screens. Tabler draws with ``currentColor``; we substitute a colour per
icon mode (normal, disabled, selected). To add an icon, copy its outline SVG from the ``@tabler/icons`` npm package
into ``resources/icons/`` under the same name.
"""
from __future__ import annotations

import logging
from functools import lru_cache

from PySide6.QtCore import QByteArray, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QIconEngine, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from fupin_desktop import paths
from fupin_desktop.ui import style

log = logging.getLogger(__name__)


@lru_cache(maxsize=None)
def _svg_text(name: str) -> str | None:
    path = paths.resource_dir() / "icons" / f"{name}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        log.warning("icon %s missing (%s)", name, path)
        return None


class SvgIconEngine(QIconEngine):
    """Renders one SVG in a colour chosen by icon mode; no pixmaps are cached at a fixed size."""

    def __init__(self, svg: str, color: str, selected_color: str | None = None):
        super().__init__()
        self._svg = svg
        self._color = color
        self._selected = selected_color or color
        self._renderers: dict[str, QSvgRenderer] = {}
        self._pixmaps: dict[tuple, QPixmap] = {}  # drawing an SVG costs ~1 ms; pages ask for the same sizes again

    def _renderer(self, mode: QIcon.Mode) -> QSvgRenderer:
        if mode == QIcon.Mode.Disabled:
            color = "#A8AFB8"
        elif mode == QIcon.Mode.Selected:
            color = self._selected
        else:
            color = self._color
        r = self._renderers.get(color)
        if r is None:
            r = QSvgRenderer(QByteArray(self._svg.replace("currentColor", color).encode("utf-8")))
            self._renderers[color] = r
        return r

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        side = min(rect.width(), rect.height())
        target = QRectF(rect.x() + (rect.width() - side) / 2, rect.y() + (rect.height() - side) / 2, side, side)
        self._renderer(mode).render(painter, target)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        key = (size.width(), size.height(), mode, scale)
        cached = self._pixmaps.get(key)
        if cached is not None:
            return cached
        w, h = max(1, round(size.width() * scale)), max(1, round(size.height() * scale))
        image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        self.paint(painter, QRect(QPoint(0, 0), QSize(w, h)), mode, state)
        painter.end()
        pm = QPixmap.fromImage(image)
        pm.setDevicePixelRatio(scale)
        self._pixmaps[key] = pm
        return pm

    def clone(self) -> "SvgIconEngine":
        return SvgIconEngine(self._svg, self._color, self._selected)


@lru_cache(maxsize=None)
def icon(name: str, color: str | None = None, selected_color: str | None = None) -> QIcon:
    """The icon ``resources/icons/<name>.svg``; an empty QIcon (and a log line) when the file is missing."""
    svg = _svg_text(name)
    if svg is None:
        return QIcon()
    return QIcon(SvgIconEngine(svg, color or style.MUTED, selected_color or style.ACCENT_DARK))
