"""The Qt implementation of :class:`koffer.devices.interfaces.Prompt`.

Drivers call :meth:`QtPrompt.show` on their I/O worker thread; the signal
reaches widgets on the GUI thread (queued connection). The clerk's "Abbrechen"
button calls :meth:`cancel`, which the driver sees through :meth:`cancelled`.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal


class QtPrompt(QObject):
    """Thread-safe prompt: ``message(key, text)`` is emitted for every request."""

    message = Signal(str, str)
    #: emitted once when :meth:`cancel` is called
    cancel_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancelled = threading.Event()

    def show(self, key: str, text: str) -> None:
        self.message.emit(key, text)

    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        if not self._cancelled.is_set():
            self._cancelled.set()
            self.cancel_requested.emit()

    def reset(self) -> None:
        """Allow the prompt to be used for the next operation."""
        self._cancelled.clear()
