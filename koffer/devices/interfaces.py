"""Device interfaces: one abstract class per kind of device.

Drivers in :mod:`koffer.drivers` implement these; the kiosk, the capture
pipelines and the self-test only ever talk to these classes. Every device has
explicit :meth:`Device.open` / :meth:`Device.close` and is a context manager.
Calls block: they are made from the device's own I/O worker thread
(:mod:`koffer.devices.worker`), never from the GUI thread.

Drivers ask the person in front of the device for something ("Finger
auflegen", "Bitte unterschreiben") only through a :class:`Prompt`.

Errors are always from the :class:`~koffer.errors.DeviceError` tree.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import TracebackType
from typing import ClassVar, Protocol, Self

from PIL import Image

from koffer.devices.pen import ButtonArea as ButtonArea
from koffer.devices.pen import PadScreen as PadScreen
from koffer.devices.pen import PenSample as PenSample
from koffer.devices.pen import declaration_screen
from koffer.errors import DeviceError


class DeviceKind(StrEnum):
    """The kinds of device a suitcase has (also the config table names)."""

    FINGERPRINT = "fingerprint"
    SIGNATURE_PAD = "signature_pad"
    RECEIPT_PRINTER = "receipt_printer"
    DOCUMENT_PRINTER = "document_printer"
    CAMERA = "camera"
    PAYMENT_TERMINAL = "payment_terminal"


@dataclass(frozen=True)
class DeviceDescriptor:
    """One device found by ``enumerate()``: enough to open it."""

    kind: DeviceKind
    type: str  # the config ``type`` string of the driver
    path: str  # port, USB bus/address, URI …
    model: str = ""
    serial: str = ""
    simulated: bool = False


@dataclass(frozen=True)
class DeviceInfo:
    """Identity read from an open device."""

    kind: DeviceKind
    type: str
    model: str
    firmware: str = ""
    serial: str = ""
    simulated: bool = False
    #: anything else worth showing a technician (no personal data)
    extra: dict[str, str] = field(default_factory=dict)


class Prompt(Protocol):
    """How a driver or pipeline speaks to the person at the device.

    The kiosk implements it with Qt signals; tests use a scripted one.
    ``key`` is a stable identifier (``"place_finger"``, ``"lift_finger"``,
    ``"sign_now"`` …), ``text`` the German sentence to show.
    """

    def show(self, key: str, text: str) -> None: ...

    def cancelled(self) -> bool:
        """True once the person (or the clerk) cancelled the operation."""
        ...


class SilentPrompt:
    """A :class:`Prompt` that shows nothing and never cancels."""

    def show(self, key: str, text: str) -> None:
        del key, text

    def cancelled(self) -> bool:
        return False


class Device(abc.ABC):
    """Common behaviour of every device."""

    kind: ClassVar[DeviceKind]
    #: capability flags this implementation offers, e.g. ``{"pressure"}``
    capabilities: ClassVar[frozenset[str]] = frozenset()

    @abc.abstractmethod
    def open(self) -> None:
        """Connect to the device; raises ``DeviceNotFound`` if it is absent."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the device. Safe to call twice and after a disconnect."""

    @property
    @abc.abstractmethod
    def is_open(self) -> bool: ...

    @abc.abstractmethod
    def info(self) -> DeviceInfo:
        """Identity and firmware of the open device."""

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


# --------------------------------------------------------------- fingerprint


class Finger(StrEnum):
    """Finger codes (ISO/IEC 19794-4 / ANSI-NIST finger positions)."""

    RIGHT_THUMB = "1"
    RIGHT_INDEX = "2"
    RIGHT_MIDDLE = "3"
    RIGHT_RING = "4"
    RIGHT_LITTLE = "5"
    LEFT_THUMB = "6"
    LEFT_INDEX = "7"
    LEFT_MIDDLE = "8"
    LEFT_RING = "9"
    LEFT_LITTLE = "10"


@dataclass(frozen=True)
class GreyImage:
    """An 8-bit greyscale image, row-major, one byte per pixel."""

    width: int
    height: int
    pixels: bytes
    ppi: int

    def __post_init__(self) -> None:
        if len(self.pixels) != self.width * self.height:
            raise ValueError("pixel buffer does not match width × height")

    def to_pil(self) -> Image.Image:
        return Image.frombytes("L", (self.width, self.height), self.pixels)


class FingerprintScanner(Device):
    """A flat single-finger scanner."""

    kind = DeviceKind.FINGERPRINT

    @abc.abstractmethod
    def capture(self, prompt: Prompt, timeout: float = 10.0) -> GreyImage:
        """Wait for a finger (asking through ``prompt``) and return its image.

        Raises ``DeviceTimeout`` if no finger arrives within ``timeout``
        seconds.
        """


# ------------------------------------------------------------- signature pad


class SignaturePad(Device):
    """A pen tablet with its own screen."""

    kind = DeviceKind.SIGNATURE_PAD

    @abc.abstractmethod
    def screen_size(self) -> tuple[int, int]:
        """Width and height of the pad's screen in pixels."""

    @abc.abstractmethod
    def show(self, screen: PadScreen) -> None:
        """Upload ``screen.image`` and remember its button areas."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Blank the screen."""

    @abc.abstractmethod
    def set_inking(self, on: bool) -> None:
        """Switch the pad's own ink display on or off."""

    @abc.abstractmethod
    def read_samples(self, timeout: float = 0.1) -> list[PenSample]:
        """Pen samples that arrived since the last call (may be empty).

        Raises ``DeviceProtocolError`` when reports were lost (sequence gap)
        only if the driver cannot recover; otherwise it records the gap in
        :attr:`lost_samples`.
        """

    @property
    @abc.abstractmethod
    def lost_samples(self) -> int:
        """Pen reports detected as lost since open (sequence gaps)."""

    @abc.abstractmethod
    def buttons(self) -> Sequence[ButtonArea]:
        """Button areas of the screen currently shown."""

    def declaration(self, text: str) -> PadScreen:
        """The screen to sign ``text`` on: the text, a signing line, Löschen/Abbrechen/OK.

        Pure (nothing is sent); a driver whose pad needs another layout overrides it.
        """
        return declaration_screen(self.screen_size(), text)


# ------------------------------------------------------------------ printers


class PrinterState(StrEnum):
    READY = "ready"
    PAPER_OUT = "paper_out"
    PAPER_LOW = "paper_low"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    ERROR = "error"


@dataclass(frozen=True)
class PrinterStatus:
    state: PrinterState
    #: German text for the clerk, e.g. "Papier ist leer. Bitte Rolle einlegen."
    detail: str = ""
    reasons: tuple[str, ...] = ()


class PrinterNotReady(DeviceError):
    """A printer cannot print now; :attr:`status` says why.

    The German message is ``status.detail``. Both printer kinds raise
    subclasses of this, so callers catch one type and can offer a retry.
    """

    def __init__(self, status: PrinterStatus, message_en: str) -> None:
        super().__init__(status.detail, message_en=message_en)
        self.status = status


@dataclass(frozen=True)
class ReceiptText:
    text: str
    bold: bool = False
    double_size: bool = False
    align: str = "left"  # left | center | right


@dataclass(frozen=True)
class ReceiptImage:
    image: Image.Image  # converted to 1-bit by the codec


@dataclass(frozen=True)
class ReceiptQr:
    data: str
    size: int = 6


@dataclass(frozen=True)
class ReceiptFeed:
    lines: int = 1


@dataclass(frozen=True)
class ReceiptCut:
    """Feed the last line past the blade and cut.

    Partial (one point left uncut) by default: what a TM-T88 autocutter does.
    """

    partial: bool = True


ReceiptItem = ReceiptText | ReceiptImage | ReceiptQr | ReceiptFeed | ReceiptCut


class ReceiptPrinter(Device):
    """An ESC/POS receipt printer."""

    kind = DeviceKind.RECEIPT_PRINTER

    @abc.abstractmethod
    def status(self) -> PrinterStatus: ...

    @abc.abstractmethod
    def print_receipt(self, items: Sequence[ReceiptItem]) -> None:
        """Print; checks status before and after and raises a
        ``DeviceError`` with a German reason (paper out, cover open …)."""


@dataclass(frozen=True)
class PrintJobResult:
    job_id: int
    state: str  # "completed" | "canceled" | "aborted"
    detail: str = ""


class DocumentPrinter(Device):
    """An A4 printer reached over IPP (CUPS or the printer itself)."""

    kind = DeviceKind.DOCUMENT_PRINTER

    @abc.abstractmethod
    def status(self) -> PrinterStatus: ...

    @abc.abstractmethod
    def print_pdf(self, pdf: bytes, title: str, timeout: float = 120.0) -> PrintJobResult:
        """Send ``pdf`` from memory and follow the job to its end.

        ``title`` must not contain personal data (use the case number).
        Raises a ``DeviceError`` with a German reason on failure.
        """


# -------------------------------------------------------------------- camera


class Camera(Device):
    """A camera for the ID photo."""

    kind = DeviceKind.CAMERA

    @abc.abstractmethod
    def frame(self) -> Image.Image:
        """The latest preview frame (RGB)."""

    @abc.abstractmethod
    def still(self) -> Image.Image:
        """A full-resolution still (RGB)."""


# ---------------------------------------------------------- payment terminal


@dataclass(frozen=True)
class TerminalReceipt:
    """Receipt text the card terminal sent for the ECR to print."""

    #: "merchant", "customer", "administration" or "" when the terminal does not say
    kind: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class PaymentResult:
    """What the terminal reported for one transaction.

    ``masked_pan`` is exactly as the terminal masked it (``*`` for a masked
    digit), never more. ``result_code`` is the ZVT result code (0 = success).
    Not personal data beyond that; still, nothing of it but the amount and
    the outcome belongs in a log.
    """

    result_code: int
    amount_cents: int
    trace: int | None = None
    receipt_number: int | None = None
    terminal_id: str = ""
    masked_pan: str = ""
    card_name: str = ""
    #: terminal clock: "MMDD" and "HHMMSS" as sent
    date: str = ""
    time: str = ""
    receipts: tuple[TerminalReceipt, ...] = ()
    #: German text for the clerk ("Zahlung erfolgreich.", "Karte abgelehnt …")
    message: str = ""

    @property
    def approved(self) -> bool:
        return False

    @property
    def receipt_lines(self) -> tuple[str, ...]:
        """Every receipt line in the order the terminal sent them."""
        return tuple(line for receipt in self.receipts for line in receipt.lines)


@dataclass(frozen=True)
class PaymentApproved(PaymentResult):
    @property
    def approved(self) -> bool:
        return True


@dataclass(frozen=True)
class PaymentDeclined(PaymentResult):
    """Declined by the card issuer, aborted (result code 6C) or failed on the terminal."""


@dataclass(frozen=True)
class EndOfDayResult:
    result_code: int
    total_cents: int
    trace: int | None = None
    receipts: tuple[TerminalReceipt, ...] = ()
    message: str = ""


@dataclass(frozen=True)
class TerminalStatus:
    #: ZVT terminal status (00 ready, 51 initialisation required, DF out of order …)
    code: int
    ready: bool
    detail: str  # German
    software: str = ""
    terminal_id: str = ""


class PaymentOutcomeUnknown(DeviceError):
    """The link broke or timed out after an authorization was sent and before
    the terminal ended it: the payment may have gone through.

    Ask :meth:`PaymentTerminal.last_transaction` after reconnecting.
    ``seen`` is the status information received before the break, if any.
    """

    def __init__(self, message: str, *, message_en: str, seen: PaymentResult | None) -> None:
        super().__init__(message, message_en=message_en)
        self.seen = seen


class PaymentTerminal(Device):
    """A card terminal driven by the suitcase (the ECR side).

    Texts the terminal shows ("Karte einstecken", "PIN eingeben") reach the
    clerk and the citizen through ``prompt.show("payment_status", text)``;
    ``prompt.cancelled()`` asks the terminal to abort a running payment.
    Receipt lines come back in the results; the caller prints them.
    """

    kind = DeviceKind.PAYMENT_TERMINAL

    @abc.abstractmethod
    def pay(self, amount_cents: int, prompt: Prompt) -> PaymentResult:
        """Authorize ``amount_cents``: :class:`PaymentApproved` or
        :class:`PaymentDeclined`; :class:`PaymentOutcomeUnknown` when the
        link breaks in between."""

    @abc.abstractmethod
    def reverse(self, receipt_number: int, prompt: Prompt) -> PaymentResult:
        """Reverse the approved payment with ``receipt_number``."""

    @abc.abstractmethod
    def last_transaction(self) -> PaymentResult | None:
        """The terminal's record of its last transaction (nothing printed),
        or None if it has none."""

    @abc.abstractmethod
    def repeat_receipt(self) -> tuple[TerminalReceipt, ...]:
        """The receipts of the last transaction, sent again for printing."""

    @abc.abstractmethod
    def end_of_day(self, prompt: Prompt) -> EndOfDayResult:
        """Close the terminal's day (submit the stored payments)."""

    @abc.abstractmethod
    def status(self) -> TerminalStatus:
        """Status enquiry; no payment."""


# ------------------------------------------------------------- cancellation


class CaptureCancelled(DeviceError):
    """The person or the clerk cancelled a capture through the :class:`Prompt`."""

    def __init__(self) -> None:
        super().__init__(
            "Die Erfassung wurde abgebrochen.", message_en="The capture was cancelled."
        )
