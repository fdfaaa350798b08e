"""Locks the screen after a period without input."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
    }
)


class IdleWatcher(QObject):
    """Emits :attr:`idle` after ``seconds`` without keyboard, mouse or touch input.

    Install it as an event filter on the application. ``seconds == 0`` disables
    it; :meth:`set_active` switches it on only while someone is logged in.
    """

    idle = Signal()

    def __init__(self, seconds: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, int(seconds * 1000)))
        self._timer.timeout.connect(self.idle)
        self._enabled = seconds > 0
        self._active = False

    def set_active(self, active: bool) -> None:
        self._active = active and self._enabled
        if self._active:
            self._timer.start()
        else:
            self._timer.stop()

    @property
    def active(self) -> bool:
        return self._active

    def poke(self) -> None:
        """Count as input (e.g. a device event the person caused)."""
        if self._active:
            self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._active and event.type() in _INPUT_EVENTS:
            self._timer.start()
        return False
