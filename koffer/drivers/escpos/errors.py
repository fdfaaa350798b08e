"""Typed printer errors: the printer is not ready for a job.

Each carries the :class:`PrinterStatus` it was derived from, so the kiosk can
show ``status.detail`` and offer "Erneut drucken".
"""

from __future__ import annotations

from koffer.devices.interfaces import PrinterNotReady, PrinterState, PrinterStatus

__all__ = ["CoverOpen", "CutterError", "PaperOut", "PrinterNotReady", "PrinterOffline", "error_for"]


class PaperOut(PrinterNotReady):
    """No paper in the receipt printer."""


class CoverOpen(PrinterNotReady):
    """The receipt printer's cover is open."""


class PrinterOffline(PrinterNotReady):
    """The receipt printer is offline or reports an error."""


class CutterError(PrinterOffline):
    """The autocutter is jammed (DLE EOT 3 bit 3)."""


def error_for(status: PrinterStatus) -> PrinterNotReady | None:
    """The error to raise for ``status``, or None if a job may run."""
    if "cutter-error" in status.reasons:
        return CutterError(status, "Receipt printer autocutter error.")
    if status.state is PrinterState.PAPER_OUT:
        return PaperOut(status, "Receipt printer is out of paper.")
    if status.state is PrinterState.COVER_OPEN:
        return CoverOpen(status, "Receipt printer cover is open.")
    if status.state in (PrinterState.OFFLINE, PrinterState.ERROR):
        return PrinterOffline(status, f"Receipt printer is not ready ({status.state}).")
    return None
