"""Small parts of the document-application draft: fingers, nationalities, sums (no Qt)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from koffer.cases import FingerCode
from koffer.cases.countries import code_of_word

__all__ = ["FingerDraft", "fee_total", "nationality_codes"]


def nationality_codes(text: str) -> list[str]:
    """``"deutsch, polnisch"`` or ``"DE PL"`` → ``["DE", "PL"]`` (empty: DE)."""
    codes: list[str] = []
    for part in re.split(r"[,;/\s]+", text.strip()):
        if not part:
            continue
        word = part.casefold()
        code = code_of_word(word) or (part.upper() if len(part) == 2 else part)
        if code not in codes:
            codes.append(code)
    return codes or ["DE"]


@dataclass
class FingerDraft:
    """One captured finger: qualities of every capture, the best kept."""

    finger: str
    qualities: list[int]
    kept_index: int
    attachment: str
    method: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "finger": self.finger,
            "qualities": list(self.qualities),
            "kept_index": self.kept_index,
            "attachment": self.attachment,
            "method": self.method,
        }

    @classmethod
    def from_json(cls, data: object) -> FingerDraft | None:
        if not isinstance(data, Mapping):
            return None
        try:
            draft = cls(
                finger=str(FingerCode(str(data["finger"])).value),
                qualities=[int(q) for q in data["qualities"]],
                kept_index=int(data["kept_index"]),
                attachment=str(data["attachment"]),
                method=str(data.get("method", "")),
            )
        except (KeyError, TypeError, ValueError):
            return None
        if not 0 <= draft.kept_index < len(draft.qualities):
            return None  # the kept capture must be one of the captures
        return draft

    @property
    def quality(self) -> int:
        return self.qualities[self.kept_index]


def fee_total(items: list[Decimal]) -> Decimal:
    return sum(items, Decimal("0.00"))
