"""``koffer backend cashbook export``: received closings for the finance office.

Per closing (one visit) of a suitcase::

    OUT/kassenabschluss-<device>-<seq>.csv          the period's entries
    OUT/kassenabschluss-<device>-<seq>.pdf          the Kassenabschluss
    OUT/kassenabschluss-<device>-<seq>.KETTE-GEBROCHEN.txt   only when flagged

The CSV is for a spreadsheet: UTF-8 with BOM, semicolons, German decimal
comma, CRLF line ends; the columns are the entry's number, time (UTC),
case number, method, amount, terminal trace and receipt number, and
``Kette`` (``in Ordnung`` or ``GEBROCHEN``, the same for every row of a
flagged closing, with the entry's own finding in ``Befund``). The PDF is
rendered by the caller (the back end does not import the document layer):
``render_pdf(closing) -> bytes``.

Closings are marked ``exported`` once their files are written; ``everything``
writes all of them again. ``OUT`` is a new or empty directory of the
caller's own (:meth:`koffer.safefs.SafeDir.create_new`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from koffer.backend.cashbook import ReceivedClosing, received_closings
from koffer.backend.db import ReceivedCase
from koffer.safefs import SafeDir

METHOD_LABELS = {
    "cash": "Bar",
    "card": "Karte",
    "invoice": "Rechnung",
    "waived": "Erlassen",
    "reversal": "Storno",
    "closing": "Abschluss",
}
COLUMNS = (
    "Koffer",
    "Abschluss",
    "Nr",
    "Zeit (UTC)",
    "Vorgangsnummer",
    "Art",
    "Betrag",
    "Trace",
    "Beleg",
    "Kette",
    "Befund",
)
BOM = "\ufeff"


def amount_de(cents: int) -> str:
    """``-123456`` → ``"-1234,56"`` (spreadsheet form: no thousands separator, no sign)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros},{rest:02d}"


def _cell(value: str) -> str:
    if value.startswith(("=", "+", "@")):
        value = "'" + value  # no formulas in the finance office's spreadsheet
    if any(c in value for c in ';"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def csv_bytes(closing: ReceivedClosing) -> bytes:
    """The CSV of one closing (UTF-8 with BOM, ``;``, decimal comma)."""
    by_seq: dict[int, list[str]] = {}
    for finding in closing.findings:
        by_seq.setdefault(finding.seq, []).append(finding.text_de())
    state = "in Ordnung" if closing.chain_ok else "GEBROCHEN"
    lines = [";".join(COLUMNS)]
    for entry in closing.entries:
        f = entry.fields
        row = [
            closing.device_name,
            str(closing.closing_seq),
            str(f.seq),
            f.time.astimezone(UTC).strftime("%d.%m.%Y %H:%M:%S"),
            f.case_number or "",
            METHOD_LABELS.get(f.method, f.method),
            amount_de(f.amount_cents),
            "" if f.trace is None else str(f.trace),
            "" if f.receipt is None else str(f.receipt),
            state,
            " | ".join(by_seq.pop(f.seq, [])),
        ]
        lines.append(";".join(_cell(v) for v in row))
    for seq, texts in sorted(by_seq.items()):  # findings about entries not present
        row = [closing.device_name, str(closing.closing_seq), str(seq), "", "", "", "", "", ""]
        lines.append(";".join(_cell(v) for v in [*row, state, " | ".join(texts)]))
    return (BOM + "\r\n".join(lines) + "\r\n").encode("utf-8")


def flag_text(closing: ReceivedClosing) -> bytes:
    lines = [
        f"Kassenabschluss {closing.closing_seq} des Koffers {closing.device_name}: "
        "Die Hash-Kette des Kassenbuchs ist unterbrochen oder verändert.",
        "Bitte klären Sie den Abschluss mit der Kassenaufsicht.",
        "",
        *(finding.text_de() for finding in closing.findings),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def base_name(closing: ReceivedClosing) -> str:
    device = re.sub(r"[^A-Za-z0-9._-]+", "_", closing.device_name).strip("._") or "koffer"
    return f"kassenabschluss-{device[:60]}-{closing.closing_seq:06d}"


@dataclass(frozen=True)
class ExportedClosing:
    """What was written (non-personal)."""

    device: str
    closing_seq: int
    files: tuple[str, ...]
    chain_ok: bool


def export_closings(
    sessions: sessionmaker[Session],
    storage_key: bytes,
    out: Path,
    render_pdf: Callable[[ReceivedClosing], bytes],
    *,
    everything: bool = False,
    now: datetime | None = None,
) -> list[ExportedClosing]:
    """Write the CSV, the PDF and (if flagged) the flag file of each closing."""
    now = now or datetime.now(UTC)
    closings = received_closings(sessions, storage_key)
    with sessions() as session:
        exported = {
            (row.device_id, row.envelope_id)
            for row in session.query(ReceivedCase.device_id, ReceivedCase.envelope_id).where(
                ReceivedCase.case_type == "kassenabschluss", ReceivedCase.state == "exported"
            )
        }
    written: list[ExportedClosing] = []
    used: set[str] = set()
    with SafeDir.create_new(out) as folder:
        for closing in closings:
            if not everything and (closing.device_id, closing.envelope_id) in exported:
                continue
            name = base_name(closing)
            if name in used:
                name = f"{name}-{closing.envelope_id[:8]}"
            used.add(name)
            files = [f"{name}.csv", f"{name}.pdf"]
            folder.write(files[0], csv_bytes(closing), replace=False)
            folder.write(files[1], render_pdf(closing), replace=False)
            if not closing.chain_ok:
                files.append(f"{name}.KETTE-GEBROCHEN.txt")
                folder.write(files[2], flag_text(closing), replace=False)
            folder.sync()
            with sessions() as session:
                session.execute(
                    update(ReceivedCase)
                    .where(
                        ReceivedCase.device_id == closing.device_id,
                        ReceivedCase.envelope_id == closing.envelope_id,
                    )
                    .values(state="exported", exported_at=now)
                )
                session.commit()
            written.append(
                ExportedClosing(
                    closing.device_name, closing.closing_seq, tuple(files), closing.chain_ok
                )
            )
    return written
