"""Counts read as German: "1 Sekunde", "2 Warnungen", never "Warnung(en)"."""

from __future__ import annotations

from koffer.commands.doctor import CheckResult, render_text
from koffer.store.store import ThrottledError


def test_throttle_message_counts_seconds() -> None:
    assert "noch 1 Sekunde und" in ThrottledError(0.4).message
    assert "noch 3 Sekunden und" in ThrottledError(2.2).message


def test_doctor_summary_counts_warnings() -> None:
    def warn(n: int) -> list[CheckResult]:
        return [CheckResult(f"c{i}", "warn", "Hinweis", "note") for i in range(n)]

    assert render_text(warn(1)).splitlines()[-1] == "Ergebnis: keine Fehler, 1 Warnung."
    assert render_text(warn(2)).splitlines()[-1] == "Ergebnis: keine Fehler, 2 Warnungen."
    assert "(en)" not in render_text(warn(0))
