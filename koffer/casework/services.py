"""Services behind completion, outbox and enrollment screens (no Qt, all blocking).

:class:`CaseServices` bundles the municipality (documents), the transmission
settings, the document printer and the outbox operations of
:mod:`koffer.queue`. Screens call its methods through the controller's
background lanes (``run_in_store`` for sealing and the resealing after login,
the ``document_printer`` lane for printing), never on the GUI thread. Sending
is the background sender's job (:mod:`koffer.kiosk.sender`); the ``outbox``
lane sends once only when no sender runs (background sending switched off).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from koffer.config import Config

if TYPE_CHECKING:
    from koffer.casework.completion import Document
    from koffer.casework.sealing import Recovery
    from koffer.crypto.enrollment import DeviceCredentials
    from koffer.devices.interfaces import DocumentPrinter
    from koffer.documents.settings import MunicipalitySettings
    from koffer.queue.outbox import OutboxEntry, SyncReport
    from koffer.queue.settings import TransmissionSettings
    from koffer.store.unlocked import UnlockedStore

log = logging.getLogger(__name__)

#: the lane on which the outbox sends (network), apart from the store lane
OUTBOX_LANE = "outbox"
#: the lane that owns the document printer
PRINTER_LANE = "document_printer"


def demo_municipality() -> MunicipalitySettings:
    """The invented municipality printed on the demo's documents."""
    from koffer.documents.settings import MunicipalitySettings

    return MunicipalitySettings(
        name="Gemeinde Musterdorf (Demo)",
        authority="Bürgerservice – Meldebehörde",
        address=("Rathausplatz 1", "12345 Musterdorf"),
    )


def printer_from_config(config: Config, simulate: bool) -> Callable[[], DocumentPrinter]:
    """A factory of the configured A4 printer (built through the device registry)."""

    def build() -> DocumentPrinter:
        from koffer.devices.config import DeviceSettings, open_device
        from koffer.devices.interfaces import DeviceKind, DocumentPrinter
        from koffer.errors import DeviceError

        settings = DeviceSettings.from_config(config, simulate=simulate, validate=False)
        device = open_device(DeviceKind.DOCUMENT_PRINTER, settings)
        if not isinstance(device, DocumentPrinter):
            raise DeviceError(
                "Als A4-Drucker ist ein anderes Gerät eingerichtet. Bitte prüfen Sie die "
                "Konfiguration.",
                message_en="The configured A4 printer is not a document printer.",
            )
        return device

    return build


@dataclass
class CaseServices:
    municipality: MunicipalitySettings
    transmission: TransmissionSettings
    make_printer: Callable[[], DocumentPrinter]
    _printer: DocumentPrinter | None = field(default=None, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    @classmethod
    def from_config(cls, config: Config, *, demo: bool, simulate: bool) -> CaseServices:
        """Read ``[municipality]`` and ``[transmission]`` (heavy imports happen here)."""
        from koffer.documents.settings import MunicipalitySettings
        from koffer.queue.settings import TransmissionSettings

        municipality = MunicipalitySettings.from_config(config)
        if demo and municipality == MunicipalitySettings():
            municipality = demo_municipality()
        return cls(
            municipality=municipality,
            transmission=TransmissionSettings.from_config(config),
            make_printer=printer_from_config(config, simulate or demo),
        )

    # -- printing (printer lane) --------------------------------------------

    @property
    def printer(self) -> DocumentPrinter | None:
        """The printer once built (tests look at the simulator behind it)."""
        return self._printer

    def print_document(self, document: Document) -> None:
        """Print ``document``; raises a German DeviceError, the PDF stays in memory."""
        from koffer.documents.printing import print_document

        with self._lock:
            if self._printer is None:
                self._printer = self.make_printer()
            printer = self._printer
        print_document(printer, document.pdf, document.title)
        document.printed = True

    def close(self) -> None:
        with self._lock:
            printer, self._printer = self._printer, None
        if printer is not None and printer.is_open:
            try:
                printer.close()
            except Exception:  # closing at shut-down must not raise
                log.warning("closing the document printer failed", exc_info=True)

    # -- outbox -------------------------------------------------------------

    def seal(self, store: UnlockedStore, case_id: str) -> OutboxEntry:
        """Seal a completed case into the outbox (crypto-shredding it)."""
        from koffer.casework.sealing import seal_completed

        return seal_completed(store, case_id, settings=self.transmission)

    def reseal(self, store: UnlockedStore) -> Recovery:
        """Seal the cases a crash left completed but unsealed (after login)."""
        from koffer.casework.sealing import reseal_completed

        return reseal_completed(store, self.transmission)

    def credentials(self, store: UnlockedStore) -> DeviceCredentials | None:
        """The enrolled identity, or None (the background sender needs it)."""
        from koffer.enrollment import device

        return device.load_credentials(store)

    def outbox_entries(self, store: UnlockedStore) -> list[OutboxEntry]:
        from koffer.queue.outbox import Outbox

        return Outbox(store, self.transmission).list()

    def outbox_counts(self, store: UnlockedStore) -> dict[str, int]:
        from koffer.queue.outbox import Outbox

        return Outbox(store, self.transmission).counts()

    def outbox_states(self, store: UnlockedStore) -> dict[str, str]:
        """Outbox state by case number (the newest entry of a case wins)."""
        from koffer.queue.outbox import Outbox

        return {e.case_number: e.state for e in Outbox(store, self.transmission).list()}

    def enrolled(self, store: UnlockedStore) -> bool:
        from koffer.enrollment import device

        return device.load_credentials(store) is not None

    def sync_now(self, store: UnlockedStore) -> SyncReport:
        """Send every waiting envelope once (waiting back-off is skipped)."""
        from koffer.enrollment import device
        from koffer.queue.outbox import Outbox
        from koffer.queue.transmitter import Timeouts, Transmitter

        creds = device.require_credentials(store)
        outbox = Outbox.open(store, self.transmission)
        outbox.release()
        timeouts = Timeouts(
            connect=self.transmission.connect_timeout, read=self.transmission.read_timeout
        )
        with Transmitter(creds, timeouts=timeouts) as tx:
            return outbox.sync_once(tx)

    def export(self, store: UnlockedStore, target: Path) -> int:
        """Write the sealed envelopes to removable media (already encrypted)."""
        from koffer.queue import media
        from koffer.queue.outbox import Outbox

        return media.export_envelopes(Outbox(store, self.transmission), target)

    def enroll(self, store: UnlockedStore, token: str) -> str:
        """Enroll this suitcase with a one-time token; returns the device name."""
        from koffer.crypto.enrollment import EnrollmentToken
        from koffer.enrollment import device
        from koffer.enrollment.enroll import enroll_online

        device.check_may_enroll(store, replace=False)  # re-enrolling: CLI with --replace
        creds = enroll_online(EnrollmentToken.decode(token.strip()))
        device.save_credentials(store, creds)
        return creds.name
