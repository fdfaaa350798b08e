"""``koffer backend import --from DIR``: envelopes carried on removable media.

Layout of ``DIR`` (written by ``koffer outbox export`` on the suitcase)::

    DIR/envelopes/*.kenv             sealed envelopes, read as data
    DIR/receipts/<envelope id>.json  written here: the signed receipts
    DIR/refusals/<envelope id>.json  written here: why an envelope was refused

The stick may come from anywhere, so every file on it is data, never a path
to follow (:mod:`koffer.safefs`): only regular files are read, each at most
the envelope limit; receipts and refusals are named by the envelope id taken
from the (validated) envelope, never by the incoming file name, and written
with ``O_EXCL | O_NOFOLLOW`` inside the checked directories. An error in one
file is reported with the file's name and the import goes on with the next.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from koffer.backend.refusals import Refusal
from koffer.backend.service import Intake
from koffer.crypto import sealing
from koffer.errors import KofferError
from koffer.safefs import SafeDir, shown

log = logging.getLogger(__name__)

ENVELOPE_SUFFIX = ".kenv"
_ENVELOPE_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class ImportReport:
    """What one import did; ``problems`` are German lines naming the file."""

    accepted: int = 0
    refused: int = 0
    problems: list[str] = field(default_factory=list)


def envelope_id_of(data: bytes) -> str | None:
    """The envelope id in ``data``'s header if it is a well-formed id, else None."""
    try:
        envelope_id = sealing.parse_envelope(data).header.envelope_id
    except Exception:  # malformed in any way: the envelope has no usable id
        return None
    return envelope_id if _ENVELOPE_ID.fullmatch(envelope_id) else None


def import_media(intake: Intake, source: Path, *, limit: int) -> ImportReport:
    """Take over every envelope in ``source/envelopes``; see the module docstring."""
    report = ImportReport()
    with (
        SafeDir.open(source) as root,
        root.subdir("envelopes", read_only=True) as envelopes,
        root.subdir("receipts", create=True, mode=0o755) as receipts,
        root.subdir("refusals", create=True, mode=0o755) as refusals,
    ):
        for name in envelopes.names():
            if not name.endswith(ENVELOPE_SUFFIX):
                continue
            problem = _one(intake, envelopes, name, limit, receipts, refusals)
            if problem is None:
                report.accepted += 1
            else:
                report.refused += 1
                report.problems.append(f"{shown(name)}: {problem}")
        receipts.sync()
        refusals.sync()
    return report


def _one(
    intake: Intake, envelopes: SafeDir, name: str, limit: int, receipts: SafeDir, refusals: SafeDir
) -> str | None:
    """Import one file; None on success, else the German reason."""
    try:
        data = envelopes.read(name, limit)
    except KofferError as exc:
        return exc.message
    envelope_id = envelope_id_of(data)
    try:
        result = intake.receive_from_media(data)
    except Refusal as exc:
        if envelope_id is not None:
            body = json.dumps(exc.to_json(), ensure_ascii=False).encode()
            try:
                refusals.write(f"{envelope_id}.json", body)
            except KofferError as write_exc:
                return f"{exc.message} {write_exc.message}"
        return exc.message
    except KofferError as exc:
        return exc.message
    except Exception as exc:  # one bad file must never end the import of the others
        log.warning("import: envelope file unreadable: %s", type(exc).__name__)
        return (
            "Die Datei ist kein lesbarer Umschlag und wird übersprungen. Bitte prüfen Sie, "
            "ob sie unverändert vom Koffer stammt."
        )
    if envelope_id is None:  # accepted, yet no usable id: cannot happen for a valid header
        return "Die Umschlagnummer ist ungültig; es wurde keine Quittung geschrieben."
    try:
        receipts.write(f"{envelope_id}.json", result.receipt, mode=0o644)
    except KofferError as exc:
        return (
            f"Der Umschlag wurde übernommen, die Quittung aber nicht geschrieben: {exc.message} "
            "Ein erneuter Import schreibt sie."
        )
    return None
