"""What the parts of the demo tour share: a step, and the tour as the parts see it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from koffer.kiosk.controller import KioskController
    from koffer.kiosk.screens.dashboard import DashboardScreen
    from koffer.kiosk.window import MainWindow

#: ``(name, act, ready)``: ``act`` runs once, ``ready`` is polled; a named step saves name.png
Step = tuple[str, Callable[[], None], Callable[[], bool]]


class Tour(Protocol):
    """The running tour, as the registration and Personalausweis parts use it."""

    @property
    def kiosk(self) -> KioskController: ...

    @property
    def window(self) -> MainWindow: ...

    def dashboard(self) -> DashboardScreen: ...
