"""Sending documents to the printers, from memory only.

The PDF bytes stay with the caller: if printing fails, a
:class:`~koffer.errors.DeviceError` with a German message is raised, the
case is untouched, and the caller can simply call again (retry). Nothing is
written to disk here; the IPP driver streams the bytes to the printer.
"""

from __future__ import annotations

from collections.abc import Sequence

from koffer.devices.interfaces import (
    DocumentPrinter,
    PrinterState,
    PrintJobResult,
    ReceiptItem,
    ReceiptPrinter,
)
from koffer.errors import DeviceError, KofferError

_NOT_READY = {
    PrinterState.PAPER_OUT: "Im Drucker ist kein Papier. Bitte legen Sie Papier ein und "
    "drucken Sie erneut.",
    PrinterState.COVER_OPEN: "Die Klappe des Druckers ist offen. Bitte schließen Sie sie und "
    "drucken Sie erneut.",
    PrinterState.OFFLINE: "Der Drucker ist nicht erreichbar. Bitte prüfen Sie Kabel und Strom "
    "und drucken Sie erneut.",
    PrinterState.ERROR: "Der Drucker meldet einen Fehler. Bitte prüfen Sie den Drucker und "
    "drucken Sie erneut.",
}


def _ensure_open(printer: DocumentPrinter | ReceiptPrinter) -> None:
    if not printer.is_open:
        printer.open()


def print_document(
    printer: DocumentPrinter, pdf: bytes, title: str, timeout: float = 120.0
) -> PrintJobResult:
    """Print ``pdf`` on the A4 printer and follow the job to its end.

    ``title`` must not contain personal data (use the case number). Raises
    :class:`DeviceError` (German message) if the printer is not ready or the
    job does not complete; the caller keeps ``pdf`` and may retry.
    """
    if not pdf.startswith(b"%PDF-"):
        raise DeviceError(
            "Das Dokument ist kein PDF und kann nicht gedruckt werden.",
            message_en="The document is not a PDF and cannot be printed.",
        )
    try:
        _ensure_open(printer)
        status = printer.status()
        if status.state in _NOT_READY:
            raise DeviceError(
                status.detail or _NOT_READY[status.state],
                message_en=f"The printer is not ready ({status.state.value}).",
            )
        result = printer.print_pdf(pdf, title, timeout=timeout)
    except KofferError:
        raise
    except OSError as exc:
        raise DeviceError(
            "Der Druck ist fehlgeschlagen. Bitte prüfen Sie den Drucker und drucken Sie erneut.",
            message_en="Printing failed. Please check the printer and print again.",
        ) from exc
    if result.state != "completed":
        raise DeviceError(
            f"Der Druckauftrag wurde nicht abgeschlossen ({result.state}). "
            "Bitte prüfen Sie den Drucker und drucken Sie erneut.",
            message_en=f"The print job did not complete ({result.state}). "
            "Please check the printer and print again.",
        )
    return result


def print_receipt(printer: ReceiptPrinter, items: Sequence[ReceiptItem]) -> None:
    """Print receipt ``items``; raises :class:`DeviceError` (German) on failure."""
    if not items:
        raise DeviceError(
            "Der Bon ist leer und wird nicht gedruckt.",
            message_en="The receipt is empty and is not printed.",
        )
    try:
        _ensure_open(printer)
        status = printer.status()
        if status.state in _NOT_READY:
            raise DeviceError(
                status.detail or _NOT_READY[status.state],
                message_en=f"The receipt printer is not ready ({status.state.value}).",
            )
        printer.print_receipt(list(items))
    except KofferError:
        raise
    except OSError as exc:
        raise DeviceError(
            "Der Bondruck ist fehlgeschlagen. Bitte prüfen Sie den Bondrucker und drucken Sie "
            "erneut.",
            message_en="Receipt printing failed. Please check the printer and print again.",
        ) from exc
