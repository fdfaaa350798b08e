"""Mapping of IPP printer-state / printer-state-reasons to PrinterStatus (pure).

Reasons carry a severity suffix: ``-error`` (blocks printing), ``-warning``,
``-report`` (information). A reason without a suffix counts as an error
(RFC 8011). ``offline-report`` and ``offline`` always mean offline.
"""

from __future__ import annotations

from collections.abc import Sequence

from koffer.devices.interfaces import PrinterState, PrinterStatus
from koffer.drivers.ipp.codec import PrinterStateCode

PAPER_OUT_DETAIL = (
    "Im Drucker ist kein Papier. Bitte legen Sie Papier ein und drücken Sie „Erneut drucken“."
)
PAPER_LOW_DETAIL = "Das Papier im Drucker geht bald aus. Bitte legen Sie Papier nach."
JAM_DETAIL = (
    "Im Drucker klemmt Papier. Bitte entfernen Sie das Papier und drücken Sie „Erneut drucken“."
)
COVER_OPEN_DETAIL = (
    "Eine Klappe des Druckers ist offen. Bitte schließen Sie sie und drücken Sie „Erneut drucken“."
)
OFFLINE_DETAIL = (
    "Der Drucker ist nicht bereit (offline). Bitte prüfen Sie, ob er eingeschaltet und "
    "verbunden ist."
)
TONER_EMPTY_DETAIL = "Der Toner ist leer. Bitte setzen Sie eine neue Tonerkartusche ein."
TONER_LOW_DETAIL = "Der Toner geht bald zu Ende. Bitte halten Sie eine neue Kartusche bereit."
STOPPED_DETAIL = "Der Drucker ist angehalten. Bitte prüfen Sie die Anzeige am Drucker."

#: reasons that never stop printing, whatever their suffix
_ALWAYS_WARNING = frozenset({"toner-low", "marker-supply-low", "media-low", "developer-low"})
_SUFFIXES = ("-error", "-warning", "-report")


def split_reason(reason: str) -> tuple[str, str]:
    """``("media-empty", "error")`` for ``"media-empty-error"``."""
    for suffix in _SUFFIXES:
        if reason.endswith(suffix):
            return reason[: -len(suffix)], suffix[1:]
    return reason, "error"


def printer_status(state: int | None, reasons: Sequence[str]) -> PrinterStatus:
    found = tuple(r for r in reasons if r and r != "none")
    blocking: set[str] = set()
    warnings: set[str] = set()
    for reason in found:
        base, severity = split_reason(reason)
        if base in _ALWAYS_WARNING:
            warnings.add(base)
        elif base.startswith("offline") or base in ("shutdown", "connecting-to-device"):
            blocking.add("offline")
        elif severity == "error":
            blocking.add(base)
        elif severity == "warning":
            warnings.add(base)
    if blocking & {"media-empty", "media-needed", "input-tray-missing"}:
        return PrinterStatus(PrinterState.PAPER_OUT, PAPER_OUT_DETAIL, found)
    if blocking & {"media-jam", "output-area-full"}:
        return PrinterStatus(PrinterState.ERROR, JAM_DETAIL, found)
    if blocking & {"cover-open", "door-open", "interlock-open"}:
        return PrinterStatus(PrinterState.COVER_OPEN, COVER_OPEN_DETAIL, found)
    if "offline" in blocking:
        return PrinterStatus(PrinterState.OFFLINE, OFFLINE_DETAIL, found)
    if blocking & {"toner-empty", "marker-supply-empty"}:
        return PrinterStatus(PrinterState.ERROR, TONER_EMPTY_DETAIL, found)
    if state == PrinterStateCode.STOPPED or blocking - {"other", "moving-to-paused"}:
        return PrinterStatus(PrinterState.ERROR, STOPPED_DETAIL, found)
    if warnings & {"media-low", "media-empty", "media-needed"}:
        return PrinterStatus(PrinterState.PAPER_LOW, PAPER_LOW_DETAIL, found)
    if warnings & {"toner-low", "marker-supply-low", "developer-low"}:
        return PrinterStatus(PrinterState.READY, TONER_LOW_DETAIL, found)
    return PrinterStatus(PrinterState.READY, "", found)
