"""What ``koffer demo`` tells the person on the terminal (Qt-free, German or English).

- While the demo runs on a display nobody sees (``--offscreen``, or the Xvfb
  that ``scripts/demo`` starts when there is no screen and announces with
  :data:`XVFB_VARIABLE`), how to watch it.
- That it runs and how it ends (by itself after ``--screenshots``).
- After ``--screenshots DIR``, how many PNGs were saved and where (absolute).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

#: set by ``scripts/demo`` when it runs the demo under ``xvfb-run``
XVFB_VARIABLE = "KOFFER_DEMO_XVFB"


def running(scratch: bool, language: str = "de", *, screenshots: bool = False) -> str:
    """The line printed once the demo's login screen is up."""
    if language == "en":
        if screenshots:
            text = (
                "The demo is running: it plays the flows through, saves screenshots and "
                "then ends by itself (Ctrl-C ends it earlier)."
            )
        else:
            text = "The demo is running. End it with Ctrl-C or by closing the window."
        return text + (" All demo data is deleted then." if scratch else "")
    if screenshots:
        text = (
            "Die Vorführung läuft: Sie spielt die Abläufe durch, speichert Bildschirmfotos "
            "und endet danach von selbst (Strg-C beendet sie vorher)."
        )
    else:
        text = (
            "Die Vorführung läuft. Beenden Sie sie mit Strg-C oder indem Sie das Fenster schließen."
        )
    return text + (" Alle Vorführungsdaten werden dann gelöscht." if scratch else "")


def watch_hint(
    offscreen: bool, environ: Mapping[str, str], language: str = "de", *, screenshots: bool = False
) -> str | None:
    """How to watch a demo on an invisible display; ``None`` on a real screen.

    With ``screenshots`` (``--screenshots DIR``) the hint says that the
    pictures show what happens.
    """
    if offscreen:
        if language == "en":
            shots = " The screenshots show every step." if screenshots else ""
            return (
                "The demo runs without a screen (--offscreen) and cannot be watched."
                f"{shots} To watch it, start »koffer demo --windowed« on a computer with "
                "a screen."
            )
        shots = " Die Bildschirmfotos zeigen jeden Schritt." if screenshots else ""
        return (
            "Die Vorführung läuft ohne Bildschirm (--offscreen) und ist nicht zu sehen."
            f"{shots} Zum Zusehen starten Sie »koffer demo --windowed« auf einem Rechner "
            "mit Bildschirm."
        )
    if environ.get(XVFB_VARIABLE) != "1":
        return None
    display = environ.get("DISPLAY", ":99")
    if language == "en":
        return (
            f"The demo runs on an invisible screen (Xvfb, display {display}). To watch it: "
            f"»x11vnc -display {display} -localhost« (package x11vnc), then connect a VNC "
            "viewer to localhost:5900; or start »scripts/demo --windowed« on a computer "
            "with a screen."
        )
    return (
        f"Die Vorführung läuft auf einem unsichtbaren Bildschirm (Xvfb, Anzeige {display}). "
        f"Zum Zusehen: »x11vnc -display {display} -localhost« starten (Paket x11vnc) und "
        "ein VNC-Programm mit localhost:5900 verbinden – oder »scripts/demo --windowed« "
        "auf einem Rechner mit Bildschirm starten."
    )


def screenshots_saved(directory: Path, count: int, language: str = "de") -> str:
    """``36 Bildschirmfotos (PNG) gespeichert in /abs/dir``."""
    where = directory.resolve()
    if language == "en":
        noun = "screenshot" if count == 1 else "screenshots"
        return f"{count} {noun} (PNG) saved in {where}"
    noun = "Bildschirmfoto" if count == 1 else "Bildschirmfotos"
    return f"{count} {noun} (PNG) gespeichert in {where}"
