"""Export of sealed envelopes to removable media, and receipts coming back.

For places that never get a connection::

    DIR/envelopes/<envelope id>.kenv     sealed envelopes (already HPKE-sealed)
    DIR/manifest.json                    non-personal list (ids, case numbers, hashes)
    DIR/receipts/<envelope id>.json      written by ``koffer backend import``

Envelopes stay in the outbox until a verified receipt is imported with
``koffer outbox import-receipts``; exporting twice is harmless. The stick
is a directory the product did not create: every file goes in through
:mod:`koffer.safefs` (no planted link is followed), receipts are read only as
small regular files, and one bad receipt is reported without stopping the rest.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from koffer import safefs
from koffer.crypto import receipts
from koffer.crypto.enrollment import DeviceCredentials
from koffer.errors import KofferError
from koffer.queue.models import DEAD, REJECTED, SEALED, SENDING
from koffer.queue.outbox import Outbox
from koffer.safefs import SafeDir, shown

log = logging.getLogger(__name__)

ENVELOPE_SUFFIX = ".kenv"
#: a receipt is a small signed JSON document; anything larger is not one
RECEIPT_LIMIT = 64 * 1024


def write_file(path: Path, data: bytes) -> None:
    """Atomic write (mode 0600 from creation, fsync, rename) that follows no link
    planted in the target directory (see :mod:`koffer.safefs`)."""
    safefs.write_file(path, data)


#: what goes on the stick: every envelope not yet acknowledged, including one
#: the background sender is trying right now ("sending": an attempt to an
#: unreachable back end can take a while, and the clerk exporting then must
#: still get it; the back end keeps each envelope once, so a copy that also
#: arrives online is harmless)
EXPORTED_STATES = (SEALED, SENDING, REJECTED, DEAD)


def export_envelopes(outbox: Outbox, target: Path) -> int:
    listed = [e for e in outbox.list(list(EXPORTED_STATES)) if e.has_envelope]
    entries = []
    with (
        SafeDir.open(target, create=True) as root,
        root.subdir("envelopes", create=True) as folder,
    ):
        for entry in listed:
            data = outbox.stored_envelope(entry.envelope_id)
            if data is None:  # acknowledged (and purged) online meanwhile: nothing to carry
                continue
            folder.write(f"{entry.envelope_id}{ENVELOPE_SUFFIX}", data)
            entries.append(entry)
        folder.sync()
        manifest = [
            {"envelope_id": e.envelope_id, "case_number": e.case_number, "case_type": e.case_type}
            for e in entries
        ]
        root.write("manifest.json", json.dumps(manifest, indent=2).encode())
        root.sync()
    return len(entries)


@dataclass
class ReceiptImport:
    """What ``import_receipts`` did; ``problems`` are German lines naming the file."""

    imported: int = 0
    problems: list[str] = field(default_factory=list)


def import_receipts(outbox: Outbox, creds: DeviceCredentials, source: Path) -> ReceiptImport:
    """Take every verified receipt in ``source/receipts``; a bad file is reported
    with its name and the others are still imported."""
    report = ReceiptImport()
    with SafeDir.open(source, read_only=True) as root:
        if not root.has("receipts"):
            return report
        with root.subdir("receipts", read_only=True) as folder:
            for name in folder.names():
                if not name.endswith(".json"):
                    continue
                try:
                    receipt = receipts.parse(folder.read(name, RECEIPT_LIMIT))
                    if outbox.accept_receipt(receipt, creds.receipt_public):
                        report.imported += 1
                except KofferError as exc:
                    report.problems.append(f"{shown(name)}: {exc.message}")
                except Exception as exc:  # one bad file must not stop the others
                    log.warning("receipt file unusable: %s", type(exc).__name__)
                    report.problems.append(
                        f"{shown(name)}: Die Datei ist keine lesbare Quittung und wird "
                        "übersprungen."
                    )
    return report
