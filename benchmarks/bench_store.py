"""Benchmark: writing one full Personalausweis case to the encrypted store.

One case = payload (~3 KB canonical JSON) + 2 fingerprint WSQ images (~30 KB
each) + photo (~60 KB) + signature PNG (~10 KB) + signature strokes JSON
(~20 KB), random bytes of those sizes. Prints the median over the runs, and
the median of a single field-change save (the kiosk's autosave), each
against its budget.

Run: ``.venv/bin/python benchmarks/bench_store.py [RUNS]``
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from koffer.store import Store, StoreSettings

#: budgets (ms): a full case write and one autosave must go unnoticed
CASE_BUDGET_MS = 100.0
SAVE_BUDGET_MS = 25.0

PASS = "benchmark-passphrase"


def _payload(i: int) -> dict[str, object]:
    person = {
        "familienname": "Mustermann",
        "geburtsname": "Beispiel",
        "vornamen": [{"name": "Erika", "gebraeuchlich": True}, {"name": "Maria"}],
        "geburtsdatum": "1964-08-12",
        "geburtsort": "Berlin",
        "staatsangehoerigkeiten": ["DE"],
        "geschlecht": "weiblich",
    }
    payload: dict[str, object] = {
        "schema": "personalausweis/1",
        "seq": i,
        "person": person,
        "anschrift": {"strasse": "Heidestraße", "hausnummer": "17", "plz": "51147", "ort": "Köln"},
        "fingerabdruecke": [{"finger": f, "quality": 80 + f, "captures": 3} for f in (2, 7)],
        "zustellung": "abholung",
        "gebuehr": "46.00",
    }
    filler = 3000 - len(str(payload))
    payload["notizen"] = "x" * max(0, filler)
    return payload


def _attachments() -> dict[str, bytes]:
    return {
        "fingerprint-r2.wsq": os.urandom(30_000),
        "fingerprint-l2.wsq": os.urandom(30_000),
        "photo.jpg": os.urandom(60_000),
        "signature.png": os.urandom(10_000),
        "signature-strokes.json": os.urandom(20_000),
    }


def main(runs: int = 60) -> None:
    settings = StoreSettings.insecure_fast()  # unlock cost is bench_unlock's business
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        Store.create(data_dir, "admin", PASS, settings)
        with Store.open(data_dir, settings) as store, store.unlock("admin", PASS) as unlocked:
            for i in range(3):  # warm-up
                unlocked.create_case("personalausweis", _payload(i), _attachments())
            case_ms, save_ms = [], []
            for i in range(runs):
                payload, attachments = _payload(i), _attachments()
                t0 = time.perf_counter()
                case_id = unlocked.create_case("personalausweis", payload, attachments)
                case_ms.append((time.perf_counter() - t0) * 1000)
                payload["notizen"] = "y"
                t0 = time.perf_counter()
                unlocked.save_case(case_id, payload)
                save_ms.append((time.perf_counter() - t0) * 1000)
            size = sum(p.stat().st_size for p in data_dir.iterdir())
    case_med, save_med = statistics.median(case_ms), statistics.median(save_ms)
    case_p90 = statistics.quantiles(case_ms, n=10)[-1]
    save_p90 = statistics.quantiles(save_ms, n=10)[-1]
    print(f"store: full Personalausweis case (~150 KB), {runs} runs")
    print(
        f"  write case   median {case_med:7.2f} ms  p90 {case_p90:7.2f}"
        f" ms  budget {CASE_BUDGET_MS:.0f} ms  ratio {case_med / CASE_BUDGET_MS:.2f}"
    )
    print(
        f"  field save   median {save_med:7.2f} ms  p90 {save_p90:7.2f}"
        f" ms  budget {SAVE_BUDGET_MS:.0f} ms  ratio {save_med / SAVE_BUDGET_MS:.2f}"
    )
    print(f"  data directory after the run: {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
