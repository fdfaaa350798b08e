"""Technician self-test: is every configured device fit for a visit?

For each configured device :func:`run_selftest` builds it through the
registry, opens it on its own :class:`~koffer.devices.worker.DeviceWorker`,
reads identity and firmware, runs the functional check of its kind and
closes it again:

==================  ====================================================
fingerprint         one capture; image size and estimated quality
signature_pad       clear the screen, read the pen stream for ~0.5 s
receipt_printer     status must be ready, then a short test receipt
document_printer    status must be ready, then a one-page test PDF
camera              one preview frame
payment_terminal    registration (on open) and a status enquiry; no payment
==================  ====================================================

Every step has a time limit, so a stalled device fails instead of hanging.
Results are :class:`SelfTestResult` (German ``detail``); the documents
helper renders them as a PDF report.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import asdict, dataclass
from typing import Any

from koffer.devices.config import DeviceConfig, DeviceSettings
from koffer.devices.interfaces import (
    Camera,
    Device,
    DeviceKind,
    DocumentPrinter,
    FingerprintScanner,
    PaymentTerminal,
    PrinterState,
    PrinterStatus,
    Prompt,
    ReceiptCut,
    ReceiptFeed,
    ReceiptPrinter,
    ReceiptText,
    SignaturePad,
    SilentPrompt,
)
from koffer.devices.pipelines.fingerprint import to_500ppi
from koffer.devices.pipelines.quality import default_scorer
from koffer.devices.registry import DEFAULT_REGISTRY, Registry
from koffer.devices.worker import DeviceWorker
from koffer.errors import DeviceError, KofferError

log = logging.getLogger(__name__)

Check = Callable[[Device, Prompt], str]


@dataclass(frozen=True)
class SelfTestResult:
    kind: str
    type: str
    required: bool
    ok: bool
    detail: str  # German
    model: str = ""
    firmware: str = ""
    serial: str = ""
    duration_ms: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# ------------------------------------------------------------------ checks


def _wrong_kind(device: Device) -> DeviceError:
    return DeviceError(
        "Der Treiber passt nicht zur Geräteart. Bitte prüfen Sie die Konfiguration.",
        message_en=f"Driver returned a {type(device).__name__} for the wrong kind.",
    )


def check_fingerprint(device: Device, prompt: Prompt) -> str:
    if not isinstance(device, FingerprintScanner):
        raise _wrong_kind(device)
    scanner = device
    image = scanner.capture(prompt, timeout=15.0)
    scorer = default_scorer()
    quality = scorer.score(to_500ppi(image))
    return (
        f"Fingerabdruck {image.width}×{image.height} bei {image.ppi} ppi erfasst, "
        f"Qualität {quality} ({scorer.method})."
    )


def check_signature_pad(device: Device, prompt: Prompt) -> str:
    if not isinstance(device, SignaturePad):
        raise _wrong_kind(device)
    pad = device
    del prompt
    pad.clear()
    samples = 0
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline:
        samples += len(pad.read_samples(0.1))
    width, height = pad.screen_size()
    return (
        f"Bildschirm {width}×{height} gelöscht, Stiftdaten gelesen "
        f"({samples} Meldungen, {pad.lost_samples} verloren)."
    )


def _require_ready(status: PrinterStatus, name: str, name_en: str) -> PrinterStatus:
    """``status`` if a test job may run (ready, or paper low), else an error."""
    if status.state not in (PrinterState.READY, PrinterState.PAPER_LOW):
        raise DeviceError(
            status.detail or f"Der {name} ist nicht bereit ({status.state.value}).",
            message_en=f"{name_en} not ready ({status.state.value}).",
        )
    return status


def check_receipt_printer(device: Device, prompt: Prompt) -> str:
    if not isinstance(device, ReceiptPrinter):
        raise _wrong_kind(device)
    printer = device
    del prompt
    status = _require_ready(printer.status(), "Bondrucker", "Receipt printer")
    printer.print_receipt(
        [ReceiptText("Selbsttest", bold=True, align="center"), ReceiptFeed(2), ReceiptCut()]
    )
    suffix = " Papier wird knapp." if status.state == PrinterState.PAPER_LOW else ""
    return "Testbon gedruckt." + suffix


#: a minimal one-page PDF ("Selbsttest"), so devices need no PDF library
TEST_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 44>>stream\nBT /F1 24 Tf 72 760 Td (Selbsttest) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def check_document_printer(device: Device, prompt: Prompt) -> str:
    if not isinstance(device, DocumentPrinter):
        raise _wrong_kind(device)
    printer = device
    del prompt
    _require_ready(printer.status(), "A4-Drucker", "Document printer")
    result = printer.print_pdf(TEST_PDF, "Selbsttest", timeout=60.0)
    if result.state != "completed":
        raise DeviceError(
            result.detail or f"Der Testdruck wurde nicht abgeschlossen ({result.state}).",
            message_en=f"Test print ended as {result.state}.",
        )
    return f"Testseite gedruckt (Auftrag {result.job_id})."


def check_camera(device: Device, prompt: Prompt) -> str:
    if not isinstance(device, Camera):
        raise _wrong_kind(device)
    camera = device
    del prompt
    frame = camera.frame()
    return f"Bild {frame.width}×{frame.height} empfangen."


def check_payment_terminal(device: Device, prompt: Prompt) -> str:
    if not isinstance(device, PaymentTerminal):
        raise _wrong_kind(device)
    del prompt
    status = device.status()  # registration already ran when the device was opened
    if not status.ready:
        raise DeviceError(
            status.detail,
            message_en=f"Card terminal not ready (status {status.code:02X}).",
        )
    terminal = f" (Terminal-ID {status.terminal_id})" if status.terminal_id else ""
    return f"Am Kartenterminal angemeldet{terminal}; Statusabfrage: bereit."


DEFAULT_CHECKS: Mapping[DeviceKind, Check] = {
    DeviceKind.FINGERPRINT: check_fingerprint,
    DeviceKind.SIGNATURE_PAD: check_signature_pad,
    DeviceKind.RECEIPT_PRINTER: check_receipt_printer,
    DeviceKind.DOCUMENT_PRINTER: check_document_printer,
    DeviceKind.CAMERA: check_camera,
    DeviceKind.PAYMENT_TERMINAL: check_payment_terminal,
}


# ------------------------------------------------------------------ runner


def _step_timeout() -> DeviceError:
    return DeviceError(
        "Das Gerät hat den Test nicht rechtzeitig beendet. Bitte stecken Sie es neu ein.",
        message_en="The device did not finish the test in time. Reconnect it.",
    )


def _test_one(
    config: DeviceConfig,
    check: Check,
    prompt: Prompt,
    registry: Registry,
    step_timeout: float,
) -> SelfTestResult:
    start = time.monotonic()
    model = firmware = serial = ""
    ok = False
    try:
        device = registry.create(config.kind, config.type, config.reader())
        worker = DeviceWorker(device, name=f"selftest-{config.kind.value}")
        try:
            worker.open().result(step_timeout)
            info = worker.submit(device.info).result(step_timeout)
            model, firmware, serial = info.model, info.firmware, info.serial
            detail = worker.submit(check, device, prompt).result(step_timeout)
            ok = True
        finally:
            worker.shutdown(timeout=step_timeout)
    except FutureTimeout:
        detail = _step_timeout().message
    except KofferError as exc:
        detail = exc.message
    except Exception as exc:  # a driver bug must not stop the other tests
        log.warning("self-test of %s failed unexpectedly", config.kind, exc_info=True)
        detail = f"Unerwarteter Fehler ({type(exc).__name__}). Bitte Protokoll prüfen."
    duration = round((time.monotonic() - start) * 1000)
    return SelfTestResult(
        kind=config.kind.value,
        type=config.type,
        required=config.required,
        ok=ok,
        detail=detail,
        model=model,
        firmware=firmware,
        serial=serial,
        duration_ms=duration,
    )


def run_selftest(
    settings: DeviceSettings,
    *,
    checks: Mapping[DeviceKind, Check] | None = None,
    prompt: Prompt | None = None,
    registry: Registry = DEFAULT_REGISTRY,
    step_timeout: float = 30.0,
) -> list[SelfTestResult]:
    """Test every configured device (see the module docstring)."""
    table = {**DEFAULT_CHECKS, **(checks or {})}
    prompt = prompt or SilentPrompt()
    return [
        _test_one(config, table[config.kind], prompt, registry, step_timeout)
        for config in settings.devices
    ]


def all_required_ok(results: Sequence[SelfTestResult]) -> bool:
    return all(r.ok for r in results if r.required)
