"""One captured image in the citizen review: the thumbnail (or a placeholder) and a caption.

The pixels arrive already decoded and scaled (off the GUI thread, see
:func:`koffer.casework.review.thumbnail_rgb`); here they only become a pixmap.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


def rgb_qimage(width: int, height: int, rgb: bytes) -> QImage:
    """A deep-copied RGB888 image of tightly packed rows (null if the sizes do not match)."""
    if width <= 0 or height <= 0 or len(rgb) != width * height * 3:
        return QImage()
    return QImage(rgb, width, height, width * 3, QImage.Format.Format_RGB888).copy()


class Thumbnail(QFrame):
    """The picture (in its own size, at most ``box``) above a large caption.

    With a null ``image`` the area shows ``placeholder`` (a plain-language
    reason) instead, as tall as ``box``, so the row of thumbnails stays aligned.
    """

    def __init__(
        self,
        caption: str,
        image: QImage,
        placeholder: str,
        box: QSize,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.picture = QLabel(self)
        self.picture.setObjectName("thumbnail_picture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setFrameShape(QFrame.Shape.Box)
        self.picture.setLineWidth(1)
        if image.isNull():
            width = min(box.width(), max(box.height() * 4 // 5, 200))
            self.picture.setFixedSize(width + 2, box.height() + 2)
            self.picture.setText(placeholder)
            self.picture.setWordWrap(True)
            self.picture.setMargin(10)
            self.picture.setProperty("state", "missing")
            self.picture.setStyleSheet("font-size: 20px;")
        else:
            width = image.width()
            self.picture.setFixedSize(width + 2, image.height() + 2)
            self.picture.setPixmap(QPixmap.fromImage(image))
        self.caption = QLabel(caption, self)
        self.caption.setObjectName("thumbnail_caption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.caption.setWordWrap(True)
        self.caption.setFixedWidth(max(width + 2, 180))
        self.caption.setStyleSheet("font-size: 20px; font-weight: 600;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.caption, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def pixmap(self) -> QPixmap:
        """The shown thumbnail (a null pixmap when the placeholder is shown)."""
        return self.picture.pixmap()

    def has_image(self) -> bool:
        return not self.pixmap().isNull()

    def placeholder(self) -> str:
        """The placeholder text ("" when an image is shown)."""
        return "" if self.has_image() else self.picture.text()
