"""A writer process for the SIGKILL test: commits cases in a loop, forever.

Usage: ``python -m tests.integration.store.writer_proc DATA_DIR START``

After each commit it prints one line (and flushes) saying what is now
durable: ``C <case_id> <seq>`` (created, version 0), ``U <case_id> <version>``
(saved), ``S <case_id>`` (sealed: state set and key destroyed in one
transaction). Every payload version has matching attachment contents, so a
half-applied transaction would be visible.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from koffer.store import Store, StoreSettings

PASS = "writer-passphrase"
SIZES = {"photo": 60_000, "fp-r2": 30_000, "fp-l2": 30_000, "signature": 10_000}


def content(seq: int, version: int, name: str) -> bytes:
    return random.Random(f"{seq}/{version}/{name}").randbytes(SIZES[name])


def payload(seq: int, version: int) -> dict[str, object]:
    return {"seq": seq, "version": version, "pad": "x" * 3000}


def attachments(seq: int, version: int) -> dict[str, bytes]:
    return {name: content(seq, version, name) for name in SIZES}


def main(data_dir: Path, start: int) -> None:
    store = Store.open(data_dir, StoreSettings.insecure_fast())
    unlocked = store.unlock("admin", PASS)
    seq = start
    while True:
        case_id = unlocked.create_case("personalausweis", payload(seq, 0), attachments(seq, 0))
        print(f"C {case_id} {seq}", flush=True)
        for version in (1, 2):
            unlocked.save_case(case_id, payload(seq, version), attachments(seq, version))
            print(f"U {case_id} {version}", flush=True)
        if seq % 3 == 0:
            with unlocked.transaction() as session:
                unlocked.set_state(case_id, "sealed", session=session)
                unlocked.destroy_case_key(case_id, session=session)
            print(f"S {case_id}", flush=True)
        seq += 1


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
