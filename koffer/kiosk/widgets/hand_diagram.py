"""Both hands seen from above, each finger coloured by its capture state.

States: ``target`` (capture this finger now), ``substitute`` (next in the
order index → thumb → middle → ring if the target is not possible),
``captured`` (with its best quality), ``unavailable`` (with a reason),
``never`` (little fingers are never used), ``idle`` (not needed). Clicking a
finger emits :attr:`HandDiagram.finger_clicked` with its code.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from koffer.cases.enums import FingerCode
from koffer.kiosk.accessibility import DrawnWidgetNames

#: fingers of each hand from the left edge of the drawing (backs of the hands)
LEFT_HAND = (
    FingerCode.LEFT_LITTLE,
    FingerCode.LEFT_RING,
    FingerCode.LEFT_MIDDLE,
    FingerCode.LEFT_INDEX,
    FingerCode.LEFT_THUMB,
)
RIGHT_HAND = (
    FingerCode.RIGHT_THUMB,
    FingerCode.RIGHT_INDEX,
    FingerCode.RIGHT_MIDDLE,
    FingerCode.RIGHT_RING,
    FingerCode.RIGHT_LITTLE,
)
_LENGTH = {"LITTLE": 0.55, "RING": 0.78, "MIDDLE": 0.88, "INDEX": 0.8, "THUMB": 0.5}

COLOURS = {
    "target": ("#1c5fd1", "white"),
    "substitute": ("#dbe6fb", "#1c3f80"),
    "captured": ("#1e8a44", "white"),
    "low": ("#c47a00", "white"),
    "unavailable": ("#9a9a9a", "white"),
    "never": ("#eeeeee", "#9a9a9a"),
    "idle": ("#f6f6f6", "#555555"),
}


class HandDiagram(QWidget):
    finger_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        DrawnWidgetNames(self)
        self.setObjectName("hand_diagram")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(420, 220)
        self.states: dict[FingerCode, str] = {f: "idle" for f in FingerCode}
        self.labels: dict[FingerCode, str] = {}
        for finger in (FingerCode.LEFT_LITTLE, FingerCode.RIGHT_LITTLE):
            self.states[finger] = "never"
        self._rects: dict[FingerCode, QRectF] = {}
        #: the drawing, rendered again only when a state or the size changes
        self._cache = QImage()

    def sizeHint(self) -> QSize:
        return QSize(560, 260)

    def set_state(self, finger: FingerCode, state: str, label: str = "") -> None:
        if finger.is_little:
            state = "never"
        self.states[finger] = state
        new_label = label or None
        if self.states.get(finger) == state and self.labels.get(finger) == new_label:
            return
        self.states[finger] = state
        if label:
            self.labels[finger] = label
        else:
            self.labels.pop(finger, None)
        self._cache = QImage()
        self.update()

    def set_states(self, states: dict[FingerCode, tuple[str, str]]) -> None:
        """Set every finger at once (unlisted fingers become idle)."""
        for finger in FingerCode:
            state, label = states.get(finger, ("idle", ""))
            self.set_state(finger, state, label)

    def reset(self) -> None:
        self.set_states({})

    def finger_at(self, point: QPointF) -> FingerCode | None:
        for finger, rect in self._rects.items():
            if rect.contains(point):
                return finger
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        finger = self.finger_at(event.position())
        if finger is not None and not finger.is_little:
            self.finger_clicked.emit(finger.value)
        super().mousePressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._cache = QImage()
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._cache = QImage()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        ratio = self.devicePixelRatioF()
        if self._cache.isNull() or self._cache.size() != self.size() * ratio:
            size = self.size() * ratio
            self._cache = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
            self._cache.setDevicePixelRatio(ratio)
            self._cache.fill(0)
            painter = QPainter(self._cache)
            self._render(painter)
            painter.end()
        painter = QPainter(self)
        painter.drawImage(0, 0, self._cache)
        painter.end()

    def _render(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        caption_h = 26.0
        hand_w = min(w / 2 - 24, (h - caption_h) * 1.0)
        self._rects.clear()
        titles = (
            QCoreApplication.translate("HandDiagram", "linke Hand"),
            QCoreApplication.translate("HandDiagram", "rechte Hand"),
        )
        for index, fingers in enumerate((LEFT_HAND, RIGHT_HAND)):
            left = w / 4 + index * w / 2 - hand_w / 2
            self._paint_hand(painter, QRectF(left, 0, hand_w, h - caption_h), fingers)
            painter.setPen(QColor("#333333"))
            font = QFont(painter.font())
            font.setBold(True)
            painter.setFont(font)
            painter.drawText(
                QRectF(left, h - caption_h, hand_w, caption_h),
                int(Qt.AlignmentFlag.AlignCenter),
                titles[index],
            )

    def _paint_hand(self, painter: QPainter, box: QRectF, fingers: tuple[FingerCode, ...]) -> None:
        palm_h = box.height() * 0.38
        palm = QRectF(
            box.left() + box.width() * 0.08, box.bottom() - palm_h, box.width() * 0.74, palm_h
        )
        if fingers[0].name.endswith("THUMB"):  # right hand: thumb on the left
            palm.moveLeft(box.left() + box.width() * 0.18)
        painter.setPen(QPen(QColor("#777777"), 1.5))
        painter.setBrush(QBrush(QColor("#fbf3ea")))
        painter.drawRoundedRect(palm, 18, 18)
        slot = box.width() / 5
        finger_w = slot * 0.72
        small = QFont(painter.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.8))
        for i, finger in enumerate(fingers):
            kind = finger.name.split("_")[1]
            length = (box.height() - palm_h) * _LENGTH[kind] + palm_h * 0.3
            x = box.left() + i * slot + (slot - finger_w) / 2
            if kind == "THUMB":
                # the thumb leans against the palm's side
                x += -slot * 0.3 if i == len(fingers) - 1 else slot * 0.3
                length = (box.height() - palm_h) * 0.45 + palm_h * 0.3
                y = palm.top() + palm_h * 0.2 - length * 0.35
            else:
                y = palm.top() + palm_h * 0.3 - length
            rect = QRectF(x, y, finger_w, length)
            state = self.states.get(finger, "idle")
            fill, text = COLOURS.get(state, COLOURS["idle"])
            pen = QPen(QColor("#1c5fd1" if state == "substitute" else "#666666"), 1.5)
            if state == "substitute":
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(QBrush(QColor(fill)))
            painter.drawRoundedRect(rect, finger_w / 2, finger_w / 2)
            self._rects[finger] = rect
            label = self.labels.get(finger, "")
            if state == "never":
                label = "–"
            elif state == "unavailable" and not label:
                label = "✕"
            if label:
                painter.setFont(small)
                painter.setPen(QColor(text))
                painter.drawText(
                    rect.adjusted(1, 4, -1, -4),
                    int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                    label,
                )
