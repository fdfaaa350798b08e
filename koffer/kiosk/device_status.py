"""Device status for the status bar, following hot-plug.

The kiosk does not talk to device libraries here: a
:class:`DeviceStatusSource` (backed by :mod:`koffer.devices`) answers "what
state is each configured device in" with a blocking :meth:`probe`, which runs
off the GUI thread. Re-probes are triggered by

- hot-plug callbacks from the device layer (any thread): :meth:`notify`;
- a readable file descriptor (a udev monitor): :meth:`watch_fd`, through a
  :class:`QSocketNotifier`;
- a polling timer as the fallback where no events arrive (containers, CI).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import Protocol

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal, Slot

from koffer.devices.interfaces import DeviceKind
from koffer.kiosk.background import Tasks


class DeviceState(StrEnum):
    OK = "ok"
    MISSING = "missing"
    ERROR = "error"
    UNKNOWN = "unknown"


class DeviceStatusSource(Protocol):
    """What the status bar needs from the device layer."""

    def kinds(self) -> Sequence[DeviceKind]:
        """The device kinds this suitcase has configured."""
        ...

    def probe(self) -> Mapping[DeviceKind, DeviceState]:
        """Current state per kind; may block (called off the GUI thread)."""
        ...


class StaticDeviceSource:
    """A source with fixed states (no device layer, demos, tests)."""

    def __init__(self, states: Mapping[DeviceKind, DeviceState]) -> None:
        self._states = dict(states)

    def set(self, kind: DeviceKind, state: DeviceState) -> None:
        self._states[kind] = state

    def kinds(self) -> Sequence[DeviceKind]:
        return list(self._states)

    def probe(self) -> Mapping[DeviceKind, DeviceState]:
        return dict(self._states)


class DeviceStatusModel(QObject):
    """Current state per device kind; emits :attr:`changed` on every change."""

    changed = Signal(str, str)  # kind, state
    _poke = Signal()

    def __init__(
        self,
        source: DeviceStatusSource,
        tasks: Tasks,
        poll_seconds: float = 2.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._tasks = tasks
        self._states: dict[DeviceKind, DeviceState] = {
            kind: DeviceState.UNKNOWN for kind in source.kinds()
        }
        self._probing = False
        self._again = False
        self._notifiers: list[QSocketNotifier] = []
        self._timer = QTimer(self)
        self._timer.setInterval(max(200, int(poll_seconds * 1000)))
        self._timer.timeout.connect(self.refresh)
        self._poke.connect(self.refresh)

    def kinds(self) -> list[DeviceKind]:
        return list(self._states)

    def state(self, kind: DeviceKind) -> DeviceState:
        return self._states.get(kind, DeviceState.UNKNOWN)

    def start(self) -> None:
        """Probe now and then poll."""
        self.refresh()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        for notifier in self._notifiers:
            notifier.setEnabled(False)

    def notify(self, *_args: object) -> None:
        """Hot-plug callback: safe to call from any thread."""
        self._poke.emit()

    def watch_fd(self, fileno: int, drain: Callable[[], object]) -> None:
        """Re-probe whenever ``fileno`` is readable; ``drain`` consumes the events."""
        notifier = QSocketNotifier(fileno, QSocketNotifier.Type.Read, self)

        def ready() -> None:
            drain()
            self.refresh()

        notifier.activated.connect(ready)
        self._notifiers.append(notifier)

    @Slot()
    def refresh(self) -> None:
        if self._probing:
            self._again = True
            return
        self._probing = True
        self._tasks.run_in_background(self._source.probe, self._apply, self._probe_failed)

    def _apply(self, states: Mapping[DeviceKind, DeviceState]) -> None:
        self._probing = False
        for kind, state in states.items():
            if self._states.get(kind) != state:
                self._states[kind] = state
                self.changed.emit(kind.value, state.value)
        if self._again:
            self._again = False
            self.refresh()

    def _probe_failed(self, exc: BaseException) -> None:
        del exc  # a failing probe marks every device as an error, nothing more
        self._apply({kind: DeviceState.ERROR for kind in self._states})


class Connectivity(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    UNKNOWN = "unknown"


class ConnectivityModel(QObject):
    """Polls a (possibly blocking) ``check() -> bool | None`` off the GUI thread."""

    changed = Signal(str)

    def __init__(
        self,
        check: Callable[[], bool | None] | None,
        tasks: Tasks,
        poll_seconds: float = 5.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._check = check
        self._tasks = tasks
        self._state = Connectivity.UNKNOWN
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setInterval(max(500, int(poll_seconds * 1000)))
        self._timer.timeout.connect(self.refresh)

    @property
    def state(self) -> Connectivity:
        return self._state

    def start(self) -> None:
        if self._check is None:
            return
        self.refresh()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @Slot()
    def refresh(self) -> None:
        check = self._check
        if check is None or self._busy:
            return
        self._busy = True
        self._tasks.run_in_background(check, self._apply, self._failed)

    def report(self, online: bool | None) -> None:
        """An observation made elsewhere (the outbox worker reached the back end or not).

        Feeds the same state as the check, so the header shows it even when no
        connectivity check is configured; the latest observation wins.
        """
        state = (
            Connectivity.UNKNOWN
            if online is None
            else (Connectivity.ONLINE if online else Connectivity.OFFLINE)
        )
        if state != self._state:
            self._state = state
            self.changed.emit(state.value)

    def _apply(self, online: bool | None) -> None:
        self._busy = False
        self.report(online)

    def _failed(self, exc: BaseException) -> None:
        del exc
        self._apply(False)
