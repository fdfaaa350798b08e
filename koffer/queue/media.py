"""Export of sealed envelopes to removable media, and receipts coming back.

For places that never get a connection::

    DIR/envelopes/<envelope id>.kenv     sealed envelopes (already HPKE-sealed)
    DIR/manifest.json                    non-personal list (ids, case numbers, hashes)
    DIR/receipts/<envelope id>.json      written by ``koffer backend import``

Envelopes stay in the outbox until a verified receipt is imported with
``koffer outbox import-receipts``; exporting twice is harmless.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from koffer.crypto import receipts
from koffer.crypto.enrollment import DeviceCredentials
from koffer.errors import CryptoError, StoreError
from koffer.queue.models import DEAD, REJECTED, SEALED
from koffer.queue.outbox import Outbox

ENVELOPE_SUFFIX = ".kenv"


def write_file(path: Path, data: bytes) -> None:
    """Atomic write with mode 0600 set before any data is written, then fsync."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as exc:
        raise StoreError(
            f"Die Datei {path} kann nicht geschrieben werden ({exc.strerror}). Bitte prüfen "
            "Sie den Datenträger.",
            message_en=f"Cannot write {path} ({exc.strerror}).",
        ) from exc


def export_envelopes(outbox: Outbox, target: Path) -> int:
    entries = [e for e in outbox.list([SEALED, REJECTED, DEAD]) if e.has_envelope]
    for entry in entries:
        write_file(
            target / "envelopes" / f"{entry.envelope_id}{ENVELOPE_SUFFIX}",
            outbox.envelope(entry.envelope_id),
        )
    manifest = [
        {"envelope_id": e.envelope_id, "case_number": e.case_number, "case_type": e.case_type}
        for e in entries
    ]
    write_file(target / "manifest.json", json.dumps(manifest, indent=2).encode())
    return len(entries)


def import_receipts(outbox: Outbox, creds: DeviceCredentials, source: Path) -> int:
    count = 0
    folder = source / "receipts"
    if not folder.is_dir():
        return 0
    for path in sorted(folder.glob("*.json")):
        try:
            receipt = receipts.parse(path.read_bytes())
        except CryptoError:
            continue
        if outbox.accept_receipt(receipt, creds.receipt_public):
            count += 1
    return count
