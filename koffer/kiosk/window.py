"""The main window: header, message banner, screen navigator, device status bar."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from koffer.kiosk.accessibility import name_widget, name_widgets
from koffer.kiosk.controller import KioskController
from koffer.kiosk.device_status import Connectivity
from koffer.kiosk.screens import SCREENS
from koffer.kiosk.screens.base import Params, Screen
from koffer.kiosk.widgets.banner import MessageBanner
from koffer.kiosk.widgets.header import Header
from koffer.kiosk.widgets.status_bar import DeviceStatusBar

log = logging.getLogger(__name__)


class Navigator(QStackedWidget):
    """A stack of screens with a history for "back".

    Screens are registered as factories and built on first use (or ahead of
    time by :meth:`build_next`), so the login screen appears without waiting
    for the 15 other screens to be imported and laid out.
    """

    shown = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._screens: dict[str, Screen] = {}
        self._factories: dict[str, Callable[[], Screen]] = {}
        self._history: list[tuple[str, Params]] = []
        self._params: Params = {}

    def add(self, screen: Screen) -> None:
        if screen.name in self._screens:
            raise ValueError(f"duplicate screen name {screen.name!r}")
        self._screens[screen.name] = screen
        self.addWidget(screen)

    def register(self, name: str, factory: Callable[[], Screen]) -> None:
        """Make screen ``name`` available; ``factory`` builds it when first needed."""
        if name in self._screens or name in self._factories:
            raise ValueError(f"duplicate screen name {name!r}")
        self._factories[name] = factory

    def page(self, name: str) -> Screen:
        screen = self._screens.get(name)
        if screen is None:
            factory = self._factories.pop(name)
            screen = factory()
            if screen.name != name:
                raise ValueError(f"screen {name!r} built a screen named {screen.name!r}")
            self.add(screen)
        return screen

    def build_next(self) -> bool:
        """Build one screen not built yet; False when all are built."""
        if not self._factories:
            return False
        self.page(next(iter(self._factories)))
        return True

    def current(self) -> Screen | None:
        widget = self.currentWidget()
        return widget if isinstance(widget, Screen) else None

    def current_state(self) -> tuple[str, Params] | None:
        screen = self.current()
        return None if screen is None else (screen.name, screen.state())

    def show_screen(self, name: str, params: Params, *, remember: bool = True) -> None:
        target = self.page(name)
        current = self.current()
        if current is not None and current is not target:
            current.leave()
            if remember and current.needs_session:
                self._history.append((current.name, current.state()))
        if not target.needs_session:
            self._history.clear()
        self._params = params
        self.setCurrentWidget(target)
        target.enter(params)
        target.name_for_assistive_technology()
        focus = target.first_focus()
        if focus is not None:
            focus.setFocus()
        self.shown.emit(name)

    def back(self) -> None:
        if not self._history:
            return
        name, params = self._history.pop()
        self.show_screen(name, params, remember=False)


class MainWindow(QMainWindow):
    """The kiosk window. Emits :attr:`screen_shown` after each navigation."""

    screen_shown = Signal(str)

    def __init__(self, kiosk: KioskController) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.setObjectName("main_window")
        self.header = Header(self)
        self.banner = MessageBanner(self)
        self.navigator = Navigator(self)
        self.status = DeviceStatusBar(kiosk.devices.kinds(), self)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.banner)
        layout.addWidget(self.navigator, 1)
        layout.addWidget(self.status)
        self.setCentralWidget(central)
        for name, load in SCREENS:
            self.navigator.register(name, self._factory(load))
        self._connect()
        self.header.set_account("")
        self.header.contrast.setChecked(kiosk.context.high_contrast)
        self._update_language_button(kiosk.context.language)
        self.setAccessibleName(self.tr("Bürgerservice-Koffer"))
        app = QApplication.instance()
        if isinstance(app, QApplication):
            # texts may change after a screen was named: name the focused widget afresh
            app.focusChanged.connect(self._name_focused)

    def _factory(self, load: Callable[[], type[Screen]]) -> Callable[[], Screen]:
        def build() -> Screen:
            return load()(self.kiosk, self.navigator)

        return build

    def build_screens_ahead(self, done: Callable[[], object] | None = None) -> None:
        """Build the remaining screens one per event-loop turn (GUI stays responsive)."""

        def step() -> None:
            if self.navigator.build_next():
                QTimer.singleShot(0, step)
            elif done is not None:
                done()

        QTimer.singleShot(0, step)

    def _connect(self) -> None:
        k = self.kiosk
        k.navigate.connect(self._navigate)
        k.navigate_back.connect(self.navigator.back)
        k.message.connect(self.banner.show_message)
        k.session_changed.connect(self.header.set_account)
        k.devices.changed.connect(self.status.set_state)
        k.connectivity.changed.connect(
            lambda state: self.header.set_connectivity(Connectivity(state))
        )
        k.language_changed.connect(self._update_language_button)
        k.title_changed.connect(self._refresh_title)
        k.current_screen = self.navigator.current_state
        self.navigator.shown.connect(self._shown)
        self.header.language_clicked.connect(
            lambda: k.set_language("en" if k.context.language == "de" else "de")
        )
        self.header.contrast_clicked.connect(
            lambda: k.set_high_contrast(self.header.contrast.isChecked())
        )
        self.header.lock_clicked.connect(k.lock)

    def _update_language_button(self, language: str) -> None:
        self.header.set_language(language)
        screen = self.navigator.current()
        if screen is not None:
            self.header.title.setText(screen.title())
        # after the bars' own LanguageChange handlers have set their new texts
        QTimer.singleShot(0, self._name_bars)

    def _name_bars(self) -> None:
        page = self.tr("Kopfzeile")
        name_widgets(self.header, page)
        name_widgets(self.banner, page)
        name_widgets(self.status, self.tr("Gerätestatus"))

    def _name_focused(self, old: QWidget | None, new: QWidget | None) -> None:
        del old
        if new is None or not self.isAncestorOf(new):
            return
        screen = self.navigator.current()
        if screen is not None and screen.isAncestorOf(new):
            name_widget(new, screen.title())

    def _navigate(self, name: str, params: object) -> None:
        screen = self.navigator.page(name)
        if screen.needs_session and self.kiosk.session is None:
            name, params = "login", {}
        self.banner.hide()
        self.navigator.show_screen(name, params if isinstance(params, dict) else {})

    def _refresh_title(self) -> None:
        screen = self.navigator.current()
        if screen is not None:
            self.header.title.setText(screen.title())

    def _shown(self, name: str) -> None:
        screen = self.navigator.page(name)
        self.header.title.setText(screen.title())
        self.screen_shown.emit(name)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.kiosk.shutdown()
        super().closeEvent(event)
