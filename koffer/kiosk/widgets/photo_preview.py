"""Shows the camera's live preview or the captured still, scaled to fit."""

from __future__ import annotations

from PIL import Image
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from koffer.kiosk.accessibility import DrawnWidgetNames


def to_qimage(image: Image.Image) -> QImage:
    """A deep-copied RGB888 QImage of ``image`` (safe to build off the GUI thread)."""
    rgb = image.convert("RGB")
    data = rgb.tobytes()
    qimage = QImage(data, rgb.width, rgb.height, rgb.width * 3, QImage.Format.Format_RGB888)
    return qimage.copy()


class PhotoPreview(QWidget):
    """A frame with an oval face guide; :meth:`set_image` shows a frame."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        DrawnWidgetNames(self)
        self.setObjectName("photo_preview")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 300)
        self._image = QImage()
        self.frames_shown = 0
        self.caption = ""
        self.show_guide = True

    def sizeHint(self) -> QSize:
        return QSize(420, 520)

    def set_image(self, image: QImage) -> None:
        self._image = image
        self.frames_shown += 1
        self.update()

    def clear(self) -> None:
        self._image = QImage()
        self.update()

    def has_image(self) -> bool:
        return not self._image.isNull()

    def set_caption(self, text: str) -> None:
        self.caption = text
        self.update()

    def _target(self) -> QRect:
        """35:45 (passport photo) rectangle centred in the widget."""
        w, h = self.width(), self.height()
        if w * 45 > h * 35:
            tw, th = h * 35 // 45, h
        else:
            tw, th = w, w * 45 // 35
        return QRect((w - tw) // 2, (h - th) // 2, tw, th)

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        target = self._target()
        painter.fillRect(target, QColor("#2b2b2b"))
        if not self._image.isNull():
            # crop the frame to 35:45 around its centre
            iw, ih = self._image.width(), self._image.height()
            if iw * 45 > ih * 35:
                cw, ch = ih * 35 // 45, ih
            else:
                cw, ch = iw, iw * 45 // 35
            source = QRect((iw - cw) // 2, (ih - ch) // 2, cw, ch)
            painter.drawImage(target, self._image, source)
        if self.show_guide:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor(255, 255, 255, 170), 2, Qt.PenStyle.DashLine))
            ow, oh = target.width() * 0.55, target.height() * 0.62
            painter.drawEllipse(
                int(target.center().x() - ow / 2),
                int(target.center().y() - oh / 2),
                int(ow),
                int(oh),
            )
        if self.caption:
            painter.setPen(QColor("white"))
            painter.drawText(
                target.adjusted(8, 8, -8, -8),
                int(Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignHCenter),
                self.caption,
            )
        painter.end()
