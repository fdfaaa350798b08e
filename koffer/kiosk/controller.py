"""The kiosk's behaviour, independent of any one screen.

:class:`KioskController` owns the session (who is logged in, their unlocked
store), navigation, background work, error routing, language and theme. Screens
receive it in their constructor; they never reach for globals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from koffer.casework.services import PRINTER_LANE, CaseServices
from koffer.kiosk.background import Tasks
from koffer.kiosk.context import KioskContext
from koffer.kiosk.device_status import ConnectivityModel, DeviceStatusModel
from koffer.kiosk.error_router import ErrorRouter
from koffer.kiosk.i18n import Translations
from koffer.kiosk.idle import IdleWatcher
from koffer.kiosk.sender import BackgroundSender, SendStatus
from koffer.kiosk.theme import Colours, apply_theme

if TYPE_CHECKING:
    from koffer.casework.case_store import CaseStore
    from koffer.casework.sealing import Recovery
    from koffer.crypto.enrollment import DeviceCredentials
    from koffer.queue.outbox import Outbox
    from koffer.store.records import AccountInfo

log = logging.getLogger(__name__)

T = TypeVar("T")

#: what a screen is entered with (and what it hands back for the history)
Params = Mapping[str, object]

#: the lane on which every store operation runs, in order
STORE_LANE = "store"

#: where each role lands after login
HOME_SCREEN: dict[str, str] = {
    "clerk": "dashboard",
    "technician": "technician",
    "admin": "dashboard",
}

#: screens a role may NOT open (everything else is allowed)
FORBIDDEN_SCREENS: dict[str, frozenset[str]] = {
    "clerk": frozenset({"technician", "admin"}),
    "technician": frozenset(
        {
            "dashboard",
            "anmeldung",
            "abmeldung",
            "hauptwohnung",
            "review",
            "completion",
            "admin",
            "kassenabschluss",
        }
    ),
    "admin": frozenset(),
}


def home_screen(role: str) -> str:
    """The first screen of ``role`` (unknown roles get the clerk's)."""
    return HOME_SCREEN.get(role, "dashboard")


def may_open(role: str, screen: str) -> bool:
    return screen not in FORBIDDEN_SCREENS.get(role, FORBIDDEN_SCREENS["clerk"])


@dataclass
class Session:
    """Who is logged in, with their unlocked store."""

    account: str
    store: CaseStore


class KioskController(QObject):
    """Session, navigation and services for the screens."""

    #: the session began (account name) or ended ("")
    session_changed = Signal(str)
    #: show a screen: name, params (the window's navigator listens)
    navigate = Signal(str, object)
    #: go back one screen
    navigate_back = Signal()
    #: a message for the person (German or English text)
    message = Signal(str)
    theme_changed = Signal(bool)
    language_changed = Signal(str)
    #: the locked store is open and its accounts are known
    accounts_ready = Signal(list)
    #: the current screen's title changed
    title_changed = Signal()
    #: a case was sealed into the outbox (case id)
    case_sealed = Signal(str)
    #: the outbox changed (after a send or an export)
    outbox_changed = Signal()

    def __init__(self, app: QApplication, context: KioskContext) -> None:
        super().__init__()
        self.app = app
        self.context = context
        self.errors = ErrorRouter(self.message.emit, lambda: self.context.language)
        self.tasks = Tasks(self.errors, self)
        self.translations = Translations(app, context.cache_dir)
        self.idle = IdleWatcher(context.settings.idle_lock_seconds, self)
        self.idle.idle.connect(self.lock)
        app.installEventFilter(self.idle)
        self.devices = DeviceStatusModel(
            context.devices, self.tasks, context.settings.poll_seconds, self
        )
        self.connectivity = ConnectivityModel(
            context.connectivity, self.tasks, max(5.0, context.settings.poll_seconds), self
        )
        self.session: Session | None = None
        self.accounts: list[AccountInfo] = []
        self.colours: Colours = apply_theme(app, context.high_contrast)
        #: screen to return to after the lock screen (name, params)
        self.resume_point: tuple[str, Params] | None = None
        self.current_screen: Callable[[], tuple[str, Params] | None] = lambda: None
        #: run the outbox worker after login (benchmarks turn it off)
        self.auto_sync = True
        self._case_services: CaseServices | None = None
        #: the session's outbox worker; its reports arrive as ``sender.reported``
        self.outbox_sender = BackgroundSender(self.tasks, self)
        self.outbox_sender.reported.connect(self._sender_reported)
        self.case_sealed.connect(lambda _case_id: self.outbox_sender.wake())
        self.connectivity.changed.connect(self._connectivity_changed)
        if context.language != "de":
            self.set_language(context.language)

    @property
    def case_services(self) -> CaseServices:
        """Documents, printer and outbox services (built on first use: fast start-up)."""
        if self._case_services is None:
            demo = self.context.mode == "demo"
            self._case_services = CaseServices.from_config(
                self.context.config, demo=demo, simulate=demo
            )
        return self._case_services

    # -- start-up and shut-down -------------------------------------------

    def start(self) -> None:
        """Open the store off the GUI thread and start the status models."""
        self.run_in_store(self._open_store, self._store_opened)
        self.devices.start()
        self.connectivity.start()

    def _open_store(self) -> list[AccountInfo]:
        self.context.store.open()
        return self.context.store.accounts()

    def _store_opened(self, accounts: list[AccountInfo]) -> None:
        self.accounts = accounts
        self.accounts_ready.emit(accounts)

    def shutdown(self) -> None:
        self.idle.set_active(False)
        self.outbox_sender.stop()  # joined by tasks.wait() below, before the store closes
        self.devices.stop()
        self.connectivity.stop()
        self.app.removeEventFilter(self.idle)
        self.tasks.wait()
        session, self.session = self.session, None
        if session is not None:
            session.store.close()
        if self._case_services is not None:
            self._case_services.close()
        self.context.store.close()
        # The translator and palette live on the application, which outlives us.
        self.translations.set_language("de")

    # -- background work --------------------------------------------------

    def run_in_background(
        self,
        op: Callable[[], T],
        on_success: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> int:
        return self.tasks.run_in_background(op, on_success, on_error)

    def run_in_store(
        self,
        op: Callable[[], T],
        on_success: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> int:
        """Run a store operation on the store's own thread, in submission order."""
        return self.tasks.run_in_background(op, on_success, on_error, lane=STORE_LANE)

    def run_on_lane(
        self,
        lane: str,
        op: Callable[[], T],
        on_success: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> int:
        """Run ``op`` on the serial lane ``lane`` (e.g. the printer, the outbox)."""
        return self.tasks.run_in_background(op, on_success, on_error, lane=lane)

    def run_on_printer(
        self,
        op: Callable[[], T],
        on_success: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> int:
        return self.run_on_lane(PRINTER_LANE, op, on_success, on_error)

    def show_error(self, exc: BaseException) -> None:
        self.errors.handle(exc)

    # -- session ----------------------------------------------------------

    def login(
        self,
        account: str,
        passphrase: str,
        on_error: Callable[[BaseException], None],
        on_success: Callable[[], None] | None = None,
    ) -> None:
        """Unlock ``account`` off the GUI thread; on success a session begins."""
        gateway = self.context.store

        def op() -> CaseStore:
            return gateway.unlock(account, passphrase)

        def done(store: CaseStore) -> None:
            self._begin(Session(account, store))
            if on_success is not None:
                on_success()

        self.run_in_store(op, done, on_error)

    def _begin(self, session: Session) -> None:
        previous = self.resume_point
        self.resume_point = None
        self.session = session
        self.idle.set_active(True)
        # first on the store lane: open card payments are settled before any
        # screen can offer to take a fee again
        self._settle_payments(session)
        self.session_changed.emit(session.account)
        if previous is not None and previous[1].get("account") == session.account:
            self.go(previous[0], previous[1])
        else:
            self.go(self.home())
        self._start_outbox(session)

    def _end(self) -> None:
        session, self.session = self.session, None
        self.idle.set_active(False)
        self.outbox_sender.stop()
        if session is not None:
            store = session.store
            self.run_in_store(store.close, lambda _result: None)
        self.session_changed.emit("")

    def lock(self) -> None:
        """Lock the screen: the keys are dropped, the screen is remembered.

        Leaving the current screen first lets it queue its last save on the
        store lane before the store is closed.
        """
        if self.session is None:
            return
        current = self.current_screen()
        account = self.session.account
        if current is not None and current[0] != "login":
            name, params = current
            self.resume_point = (name, {**params, "account": account})
        else:
            self.resume_point = ("dashboard", {"account": account})
        self.go("login", {"account": account, "locked": True})
        self._end()

    def logout(self) -> None:
        self.resume_point = None
        self.go("login")
        self._end()

    # -- card payments: settled at login ----------------------------------

    def _settle_payments(self, session: Session) -> None:
        """Settle open card intents with the terminal (as ``koffer cashbook settle``)."""
        if not may_open(session.store.role, "dashboard"):
            return
        from koffer.casework.payment_desk import settle
        from koffer.kiosk.devices.terminal import worker_terminal

        unlocked = session.store.unlocked
        terminal = worker_terminal(self.context.devices)
        if terminal is None:
            return

        def failed(exc: BaseException) -> None:
            log.info("payment: settle at login result=failed (%s)", type(exc).__name__)
            self.message.emit(
                self.tr(
                    "Offene Kartenzahlungen konnten nicht mit dem Kartenterminal geklärt "
                    "werden. Bitte kassieren Sie diese Gebühren nicht noch einmal, bevor "
                    "das Kartenterminal wieder erreichbar ist."
                )
            )

        self.run_in_store(lambda: settle(unlocked, terminal), lambda _report: None, failed)

    # -- outbox: recovery and background sending --------------------------

    def _start_outbox(self, session: Session) -> None:
        """After login, off the GUI thread: reseal what a crash left, then send.

        Technicians do no casework: neither recovery nor sending runs for them.
        """
        if not may_open(session.store.role, "dashboard"):
            return

        unlocked = session.store.unlocked
        services = self.case_services
        want_worker = self.auto_sync

        def op() -> tuple[Recovery, Outbox | None, DeviceCredentials | None]:
            from koffer.queue.outbox import Outbox

            recovery = services.reseal(unlocked)
            creds = services.credentials(unlocked) if want_worker else None
            outbox = Outbox.open(unlocked, services.transmission) if creds else None
            return recovery, outbox, creds

        def done(result: tuple[Recovery, Outbox | None, DeviceCredentials | None]) -> None:
            recovery, outbox, creds = result
            if self.session is not session:
                return  # locked or logged out meanwhile
            if recovery.sealed:
                self.outbox_changed.emit()
            if recovery.failed:
                self.message.emit(
                    self.tr(
                        "%1 abgeschlossene Vorgänge konnten nicht versiegelt werden. Sie "
                        "bleiben gespeichert; bitte wenden Sie sich an die Technik."
                    ).replace("%1", str(len(recovery.failed)))
                )
            if outbox is not None and creds is not None:
                self.outbox_sender.start(outbox, creds, services.transmission)

        self.run_in_store(op, done)

    def start_outbox(self) -> None:
        """Reseal and (re)start background sending now, e.g. right after enrollment."""
        if self.session is not None:
            self._start_outbox(self.session)

    def send_now(self) -> bool:
        """Jetzt senden: waiting items become due and the worker wakes.

        False if no worker runs (not enrolled, or background sending is off).
        """
        session = self.session
        if session is None or not self.outbox_sender.running:
            return False
        from koffer.queue.outbox import Outbox

        outbox = Outbox(session.store.unlocked, self.case_services.transmission)

        def wake(_count: int) -> None:
            self.outbox_sender.wake()

        self.run_in_store(outbox.release, wake)
        return True

    def _sender_reported(self, status: SendStatus) -> None:
        self.connectivity.report(status.online)
        if status.changed_outbox:
            self.outbox_changed.emit()

    def _connectivity_changed(self, state: str) -> None:
        if state == "online":
            self.outbox_sender.wake()

    @property
    def locked(self) -> bool:
        """The screen is locked (a resume point waits for the same account)."""
        return self.session is None and self.resume_point is not None

    def refresh_title(self) -> None:
        self.title_changed.emit()

    # -- navigation -------------------------------------------------------

    @property
    def role(self) -> str:
        """Role of the logged-in account ("" without a session)."""
        return self.session.store.role if self.session is not None else ""

    def home(self) -> str:
        """The start screen of the logged-in role."""
        return home_screen(self.role)

    def go(self, name: str, params: Params | None = None) -> None:
        if self.session is not None and not may_open(self.role, name):
            log.info("screen %s refused for role %s", name, self.role)
            self.message.emit(self.tr("Dieser Bereich ist für Ihr Konto nicht freigegeben."))
            name, params = self.home(), {}
        self.navigate.emit(name, dict(params or {}))

    def back(self) -> None:
        self.navigate_back.emit()

    # -- language and theme -----------------------------------------------

    def set_language(self, language: str) -> None:
        if self.translations.set_language(language):
            self.context.language = language
        else:
            self.context.language = "de"
        self.language_changed.emit(self.context.language)

    def set_high_contrast(self, on: bool) -> None:
        self.context.high_contrast = on
        self.colours = apply_theme(self.app, on)
        self.theme_changed.emit(on)
