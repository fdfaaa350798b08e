"""German texts for ZVT codes: result codes (S15 ch. 10), intermediate status
(S15 Table 17) and terminal status (S15 ch. 11). No personal data: only codes
and the terminal's own display lines."""

from __future__ import annotations

from koffer.drivers.zvt.codec import IntermediateStatus

_DECLINED = (
    "Die Zahlung wurde von der Bank abgelehnt. Bitte zahlen Sie mit einer anderen Karte oder bar."
)
_NO_HOST = (
    "Das Kartenterminal erreicht die Bank nicht. Bitte versuchen Sie es später erneut "
    "oder zahlen Sie bar."
)

RESULT_TEXTS: dict[int, str] = {
    0x00: "Die Zahlung war erfolgreich.",
    0x64: "Die Karte ist nicht lesbar. Bitte stecken Sie sie erneut ein oder zahlen Sie anders.",
    0x65: "Die Karte ist nicht lesbar. Bitte stecken Sie sie erneut ein oder zahlen Sie anders.",
    0x66: "Das Kartenterminal meldet einen Verarbeitungsfehler. Bitte versuchen Sie es erneut.",
    0x6B: "Das Kartenterminal ist nicht angemeldet. Bitte verbinden Sie es erneut.",
    0x6C: "Die Zahlung wurde abgebrochen (am Terminal oder wegen Zeitüberschreitung). "
    "Bitte versuchen Sie es erneut.",
    0x6F: "Das Kartenterminal akzeptiert die Währung nicht. Bitte wenden Sie sich an die Technik.",
    0x78: "Die Karte ist abgelaufen. Bitte zahlen Sie mit einer anderen Karte oder bar.",
    0x7A: "Die Karte ist unbekannt. Bitte zahlen Sie mit einer anderen Karte oder bar.",
    0x7D: _NO_HOST,
    0x83: "Das Kartenterminal kann diese Funktion jetzt nicht ausführen. "
    "Bitte versuchen Sie es später erneut.",
    0x9A: "Das Kartenterminal meldet einen Protokollfehler. Bitte starten Sie es neu.",
    0x9C: "Das Kartenterminal ist beschäftigt. Bitte warten Sie einen Moment.",
    0xA3: _NO_HOST,
    0xB4: "Diese Zahlung wurde bereits storniert.",
    0xB5: "Diese Zahlung kann nicht mehr storniert werden. Bitte erstatten Sie den Betrag "
    "auf anderem Weg.",
    0xC2: "Das Kartenterminal braucht eine Diagnose. Bitte wenden Sie sich an die Technik.",
    0xCC: "Der Drucker ist nicht bereit. Bitte prüfen Sie den Bondrucker.",
}


def result_text(code: int) -> str:
    if code in RESULT_TEXTS:
        return RESULT_TEXTS[code]
    if 0x01 <= code <= 0x63:
        return _DECLINED
    return (
        f"Das Kartenterminal meldet den Fehler {code:02X}. Bitte versuchen Sie es erneut "
        "oder zahlen Sie anders."
    )


def negative_text(code: int) -> str:
    """For ``84 xx`` refusals of a command."""
    if code in (0x83, 0x6B, 0x9C, 0xCC):
        return result_text(code)
    return (
        f"Das Kartenterminal hat den Befehl abgelehnt (Code {code:02X}). "
        "Bitte versuchen Sie es erneut; wenn der Fehler bleibt, starten Sie es neu."
    )


INTERMEDIATE_TEXTS: dict[int, str] = {
    0x00: "Bitte bestätigen Sie den Betrag am Terminal.",
    0x01: "Bitte geben Sie die PIN ein.",
    0x02: "Bitte geben Sie die PIN ein.",
    0x04: "Verbindung zur Bank, bitte warten …",
    0x07: "Diese Karte wird nicht angenommen.",
    0x08: "Diese Karte ist unbekannt.",
    0x09: "Diese Karte ist abgelaufen.",
    0x0A: "Bitte stecken Sie die Karte ein.",
    0x0B: "Bitte entnehmen Sie die Karte.",
    0x0C: "Die Karte ist nicht lesbar.",
    0x0D: "Verarbeitungsfehler.",
    0x0E: "Bitte warten …",
    0x10: "Ungültige Karte.",
    0x15: "Die PIN ist falsch.",
    0x17: "Bitte warten …",
    0x18: "Zu oft falsche PIN eingegeben.",
    0x1D: "Die Zahlung wurde abgelehnt.",
}


def intermediate_text(status: IntermediateStatus) -> str:
    """The terminal's own display lines if it sent them, else the code's text."""
    if status.texts:
        return " ".join(t.strip() for t in status.texts if t.strip())
    code = status.code
    if code in INTERMEDIATE_TEXTS:
        return INTERMEDIATE_TEXTS[code]
    if 0x41 <= code <= 0x5D and (code - 0x40) in INTERMEDIATE_TEXTS:
        return INTERMEDIATE_TEXTS[code - 0x40] + " Bitte entnehmen Sie die Karte."
    return "Bitte folgen Sie den Hinweisen am Kartenterminal."


TERMINAL_STATUS_TEXTS: dict[int, str] = {
    0x00: "Das Kartenterminal ist bereit.",
    0x51: "Das Kartenterminal muss initialisiert werden. Bitte wenden Sie sich an die Technik.",
    0x9C: "Das Kartenterminal ist beschäftigt. Bitte warten Sie einen Moment.",
    0xDC: "Im Kartenterminal steckt noch eine Karte. Bitte entnehmen Sie sie.",
    0xDF: "Das Kartenterminal ist außer Betrieb. Bitte wenden Sie sich an die Technik.",
}


def terminal_status_text(code: int) -> str:
    return TERMINAL_STATUS_TEXTS.get(
        code,
        f"Das Kartenterminal ist nicht bereit (Status {code:02X}). Bitte prüfen Sie es.",
    )
