"""Content that scrolls inside its screen, so headers and buttons stay in view.

Every screen keeps its title, its navigation buttons and the window's device
status bar visible on a 1280×720 screen; what does not fit scrolls inside the
content area. Touch screens scroll by dragging (``QScroller``), mouse users
with a scrollbar wide enough to hit (the theme makes it 20 px).
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QScroller, QWidget


def scrolled(widget: QWidget, parent: QWidget) -> QScrollArea:
    """A frameless scroll area around ``widget`` (which it takes over)."""
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    return area
