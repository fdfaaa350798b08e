"""The outcome of a ``koffer doctor`` check and how the results are shown."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

Status = Literal["ok", "warn", "fail", "skipped"]

STATUS_LABEL: Mapping[str, str] = {
    "ok": "OK",
    "warn": "WARNUNG",
    "fail": "FEHLER",
    "skipped": "NICHT GEPRÜFT",
}


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check; ``message`` is German and says what to do."""

    id: str
    status: Status
    message: str
    message_en: str

    @property
    def failed(self) -> bool:
        return self.status == "fail"


def _r(check_id: str, status: Status, de: str, en: str) -> CheckResult:
    return CheckResult(check_id, status, de, en)


def exit_code(results: Iterable[CheckResult]) -> int:
    """0 if no check failed, else 1."""
    return 1 if any(r.failed for r in results) else 0


def _warnings(count: int) -> str:
    return "keine Warnung" if count == 0 else f"{count} Warnung" + ("" if count == 1 else "en")


def render_text(results: Sequence[CheckResult]) -> str:
    lines = [f"[{STATUS_LABEL[r.status]}] {r.id}: {r.message}" for r in results]
    failed = sum(r.failed for r in results)
    warned = sum(r.status == "warn" for r in results)
    if failed:
        lines.append(f"Ergebnis: {failed} Fehler, {_warnings(warned)}. Bitte beheben.")
    else:
        lines.append(f"Ergebnis: keine Fehler, {_warnings(warned)}.")
    return "\n".join(lines)


def render_json(results: Sequence[CheckResult]) -> str:
    doc = {"ok": exit_code(results) == 0, "checks": [asdict(r) for r in results]}
    return json.dumps(doc, ensure_ascii=False, indent=2)
