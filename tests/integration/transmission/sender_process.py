"""Child process for the SIGKILL test: sends the outbox in small batches.

Batches of 4 with receipts kept 2 per transaction and 2 sends in flight, so a
kill can land between the claim, the sends and the grouped acknowledgements.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from koffer.crypto.kdf import Argon2Params
from koffer.enrollment import device
from koffer.queue.outbox import Outbox
from koffer.queue.settings import TransmissionSettings
from koffer.queue.transmitter import Transmitter
from koffer.store.settings import StoreSettings
from koffer.store.store import Store


def main(data_dir: str, passphrase: str, ready: Any = None) -> int:
    settings = StoreSettings(argon2=Argon2Params(memory_kib=64, iterations=1, lanes=1))
    tx_settings = TransmissionSettings(
        batch_size=4, ack_batch_size=2, max_in_flight=2, backoff_base=0.0
    )
    with Store.open(Path(data_dir), settings) as store, store.unlock("admin", passphrase) as s:
        creds = device.require_credentials(s)
        outbox = Outbox.open(s, tx_settings)
        if ready is not None:
            ready.set()
        print("ready", flush=True)
        with Transmitter(creds) as tx:
            while True:
                report = outbox.sync_once(tx)
                if report.sent == 0 and report.failed == 0:
                    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
