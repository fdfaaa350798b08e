"""Live ink: the pen samples of the signature pad mirrored on the clerk's screen.

Samples arrive in pad pixels (:class:`~koffer.devices.interfaces.PenSample`);
the view keeps them, scales them to its own size with the pad's aspect
ratio, and draws new segments incrementally into a backing image so a paint
costs one image blit however long the signature is.

``paint_log`` (when enabled) records ``(sequence, time.perf_counter())`` of
the newest sample on screen at each paint, for the ink-latency benchmark.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from koffer.devices.interfaces import PenSample
from koffer.kiosk.accessibility import DrawnWidgetNames

MIN_WIDTH = 1.2
MAX_WIDTH = 4.5


class InkView(QWidget):
    """Shows the strokes of a pad of ``pad_size`` pixels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        DrawnWidgetNames(self)
        self.setObjectName("ink_view")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 200)
        self.pad_size = (320, 200)
        self.samples: list[PenSample] = []
        self._image = QImage()
        self._drawn = 0
        self._dirty_all = True
        self.paint_log: list[tuple[int, float]] | None = None
        self.hint = ""

    def sizeHint(self) -> QSize:
        return QSize(640, 400)

    # -- data ----------------------------------------------------------------

    def set_pad_size(self, width: int, height: int) -> None:
        self.pad_size = (max(1, width), max(1, height))
        self._dirty_all = True
        self.update()

    def clear(self) -> None:
        self.samples.clear()
        self._drawn = 0
        self._dirty_all = True
        self.update()

    def add_samples(self, samples: Iterable[PenSample]) -> None:
        added = False
        for sample in samples:
            self.samples.append(sample)
            added = True
        if added:
            self.update()

    def set_hint(self, text: str) -> None:
        self.hint = text
        self._dirty_all = True
        self.update()

    @property
    def touching_samples(self) -> int:
        return sum(1 for s in self.samples if s.touching)

    # -- geometry ------------------------------------------------------------

    def _area(self) -> QRectF:
        """The pad's rectangle inside the widget (aspect ratio kept)."""
        width, height = self.pad_size
        scale = min(self.width() / width, self.height() / height)
        w, h = width * scale, height * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def _map(self, sample: PenSample, area: QRectF) -> QPointF:
        scale = area.width() / self.pad_size[0]
        return QPointF(area.left() + sample.x * scale, area.top() + sample.y * scale)

    # -- painting ------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._dirty_all = True
        super().resizeEvent(event)

    def _redraw_background(self) -> None:
        ratio = self.devicePixelRatioF()
        size = self.size() * ratio
        self._image = QImage(size.width(), size.height(), QImage.Format.Format_ARGB32_Premultiplied)
        self._image.setDevicePixelRatio(ratio)
        self._image.fill(self.palette().window().color())
        painter = QPainter(self._image)
        area = self._area()
        painter.fillRect(area, QColor("white"))
        painter.setPen(QPen(QColor("#8a8a8a"), 1))
        painter.drawRect(area.adjusted(0, 0, -1, -1))
        base = area.top() + area.height() * 0.72
        painter.setPen(QPen(QColor("#b0b0b0"), 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(area.left() + 16, base), QPointF(area.right() - 16, base))
        if self.hint:
            painter.setPen(QColor("#6a6a6a"))
            painter.drawText(
                area.adjusted(12, 8, -12, -8),
                int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft),
                self.hint,
            )
        painter.end()
        self._drawn = 0
        self._dirty_all = False

    def _draw_new(self) -> None:
        samples = self.samples
        if self._drawn >= len(samples):
            return
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = self._area()
        start = max(1, self._drawn)
        pen = QPen(QColor("#10206a"))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        for index in range(start, len(samples)):
            a, b = samples[index - 1], samples[index]
            if not (a.touching and b.touching):
                continue
            pen.setWidthF(MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * (a.pressure + b.pressure) / 2)
            painter.setPen(pen)
            painter.drawLine(self._map(a, area), self._map(b, area))
        painter.end()
        self._drawn = len(samples)

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        if self._dirty_all or self._image.isNull():
            self._redraw_background()
        self._draw_new()
        painter = QPainter(self)
        painter.drawImage(0, 0, self._image)
        painter.end()
        if self.paint_log is not None and self.samples:
            self.paint_log.append((self.samples[-1].sequence, time.perf_counter()))
