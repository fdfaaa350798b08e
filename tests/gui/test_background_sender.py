"""Background sending and resealing after login, with a real back end on loopback.

- After login the kiosk reseals a case a crash left completed but unsealed
  (exactly once, a draft stays untouched) and the outbox worker sends it; the
  dashboard shows the new state from the worker's reports.
- Locking stops the worker, logging in again starts it; reports of the
  stopped worker are dropped.
- A back end that goes away: the dashboard says why sending stopped; when it
  is back, "Jetzt senden" wakes the worker and the case is delivered.
- Not enrolled: no worker, completed cases wait unchanged; the dashboard
  shows them as not sealed yet and opens them on the completion step.
  Enrolling in the administration screen seals and sends them at once.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pytestqt.qtbot import QtBot

from koffer.cases import CaseType, case_to_dict, sample_case
from koffer.casework.drafts import RegistrationDraft
from koffer.kiosk.demo.embedded_backend import EmbeddedBackend
from koffer.kiosk.screens.admin import AdminScreen
from koffer.kiosk.screens.completion import CompletionScreen
from koffer.kiosk.screens.dashboard import DashboardScreen
from koffer.kiosk.screens.outbox import OutboxScreen
from koffer.kiosk.window import MainWindow
from koffer.queue.outbox import Outbox
from koffer.store import Store, StoreSettings
from tests.gui.conftest import ACCOUNT, PASSPHRASE, TODAY, MakeKiosk, login, settle
from tests.gui.registration_helpers import backend, enrolled

__all__ = ["backend", "enrolled"]


def _completed_unsealed(data_dir: Path, settings: StoreSettings) -> tuple[str, str]:
    """What a kiosk killed between "completed" and "sealed" leaves, plus a draft."""
    with Store.open(data_dir, settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        case = sample_case(CaseType.ANMELDUNG, 11, TODAY)
        completed = u.create_case("anmeldung", case_to_dict(case), {}, state="completed")
        draft = u.create_case("anmeldung", RegistrationDraft().to_payload(), {})
        return completed, draft


def _dashboard(window: MainWindow) -> DashboardScreen:
    screen = window.navigator.page("dashboard")
    assert isinstance(screen, DashboardScreen)
    return screen


def test_login_reseals_and_sends_in_the_background(
    qtbot: QtBot,
    make_kiosk: MakeKiosk,
    enrolled: Path,
    store_settings: StoreSettings,
    backend: EmbeddedBackend,
) -> None:
    completed, draft = _completed_unsealed(enrolled, store_settings)
    kiosk, window = make_kiosk()
    kiosk.context.today = date.today  # the dashboard lists today's cases
    login(qtbot, window)
    dashboard = _dashboard(window)
    qtbot.waitUntil(lambda: backend.received() == 1, timeout=15_000)
    qtbot.waitUntil(
        lambda: (
            dashboard.outbox_counts == {"purged": 1}
            and {c.case_id: c.state for c in dashboard.cases}.get(completed) == "sealed"
        ),
        timeout=15_000,
    )
    assert dashboard.outbox_label.text().startswith("0 warten auf den Versand, 1 übertragen.")
    assert kiosk.outbox_sender.running
    # the case list says what the outbox says, not the store's "versiegelt"
    row = next(i for i, c in enumerate(dashboard.cases) if c.case_id == completed)
    qtbot.waitUntil(lambda: "· übertragen ·" in dashboard.case_list.item(row).text())
    # no connectivity check configured: the header follows the worker's reports
    assert kiosk.context.connectivity is None
    qtbot.waitUntil(lambda: window.header.online.text() == "● Verbunden")

    # locking stops the worker; logging in again starts a new one, nothing is resealed twice
    kiosk.lock()
    assert not kiosk.outbox_sender.running and kiosk.outbox_sender.status is None
    settle(qtbot, kiosk)
    login(qtbot, window)
    qtbot.waitUntil(lambda: kiosk.outbox_sender.status is not None, timeout=15_000)
    settle(qtbot, kiosk)
    assert backend.received() == 1
    with Store.open(enrolled, store_settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        assert [e.state for e in Outbox(u).list()] == ["purged"]
        assert [e.event for e in u.list_audit()].count("case_resealed") == 1
        assert u.case_meta(draft).state == "draft" and u.case_meta(draft).readable


def test_back_end_away_then_send_now(
    qtbot: QtBot,
    make_kiosk: MakeKiosk,
    enrolled: Path,
    store_settings: StoreSettings,
    backend: EmbeddedBackend,
) -> None:
    _completed_unsealed(enrolled, store_settings)
    backend.stop()
    kiosk, window = make_kiosk()
    login(qtbot, window)
    dashboard = _dashboard(window)
    qtbot.waitUntil(lambda: "Versand unterbrochen" in dashboard.outbox_label.text(), timeout=15_000)
    assert "nicht erreichbar" in dashboard.outbox_label.text()
    # the counts are reloaded on the store lane; the report may come first
    qtbot.waitUntil(lambda: dashboard.outbox_counts == {"sealed": 1}, timeout=15_000)
    qtbot.waitUntil(lambda: window.header.online.text() == "○ Offline", timeout=15_000)

    backend.start()  # same ports; the worker sleeps until its next poll
    kiosk.go("outbox")
    outbox = window.navigator.page("outbox")
    assert isinstance(outbox, OutboxScreen)
    qtbot.waitUntil(lambda: len(outbox.entries) == 1)
    outbox.send_button.click()  # wakes the worker: no waiting for the poll interval
    assert outbox.busy
    qtbot.waitUntil(
        lambda: bool(outbox.entries) and outbox.entries[0].state == "purged", timeout=15_000
    )
    qtbot.waitUntil(lambda: not outbox.busy)
    assert backend.received() == 1
    assert "Alle Vorgänge sind übertragen." in outbox.summary.text()
    kiosk.go("dashboard")
    qtbot.waitUntil(lambda: dashboard.outbox_counts == {"purged": 1})
    assert "Versand unterbrochen" not in dashboard.outbox_label.text()
    qtbot.waitUntil(lambda: window.header.online.text() == "● Verbunden")
    settle(qtbot, kiosk)


def test_not_enrolled_no_worker_and_cases_wait(
    qtbot: QtBot, make_kiosk: MakeKiosk, data_dir: Path, store_settings: StoreSettings
) -> None:
    completed, _draft = _completed_unsealed(data_dir, store_settings)
    kiosk, window = make_kiosk()
    login(qtbot, window)
    dashboard = _dashboard(window)
    qtbot.waitUntil(lambda: len(dashboard.cases) >= 1)
    settle(qtbot, kiosk)
    assert not kiosk.outbox_sender.running
    assert "noch nicht bei der Gegenstelle eingerichtet" in dashboard.outbox_label.text()
    # the dashboard shows the case as completed but unsealed; opening it repeats completion
    row = next(i for i, c in enumerate(dashboard.cases) if c.case_id == completed)
    item = dashboard.case_list.item(row)
    assert "abgeschlossen, noch nicht versiegelt" in item.text()
    dashboard.case_list.setCurrentRow(row)
    dashboard.resume_button.click()
    completion = window.navigator.page("completion")
    assert isinstance(completion, CompletionScreen)
    qtbot.waitUntil(lambda: completion.phase == "failed", timeout=15_000)
    assert "nicht bei der Gegenstelle eingerichtet" in completion.error_label.text()
    settle(qtbot, kiosk)
    with Store.open(data_dir, store_settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        meta = u.case_meta(completed)
        assert meta.state == "completed" and meta.readable


def test_enrollment_in_the_session_seals_and_sends(
    qtbot: QtBot,
    make_kiosk: MakeKiosk,
    data_dir: Path,
    store_settings: StoreSettings,
    backend: EmbeddedBackend,
) -> None:
    completed, _draft = _completed_unsealed(data_dir, store_settings)
    kiosk, window = make_kiosk()
    login(qtbot, window)
    settle(qtbot, kiosk)
    assert not kiosk.outbox_sender.running
    server = backend._server  # the enrollment port is not public on the wrapper
    assert server is not None
    token = backend.backend.enrollment_token(
        "koffer-1", url=server.url, enroll_url=server.enroll_url
    )
    kiosk.go("admin")
    admin = window.navigator.page("admin")
    assert isinstance(admin, AdminScreen)
    admin.token_edit.setText(token.encode())
    admin.enroll_button.click()
    qtbot.waitUntil(lambda: backend.received() == 1, timeout=15_000)
    assert kiosk.outbox_sender.running
    settle(qtbot, kiosk)
    with Store.open(data_dir, store_settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        assert u.case_meta(completed).state == "sealed"
