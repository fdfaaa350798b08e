"""Sealing one Personalausweis case (2 WSQ + photo + signature): median ms (target ≤ 5 ms)."""

from __future__ import annotations

import statistics
import time
from datetime import date

from koffer.cases.enums import CaseType
from koffer.cases.samples import sample_case
from koffer.cases.serialize import case_to_dict
from koffer.commands.simulate_visit import capture_attachments
from koffer.crypto import identity, sealing
from koffer.queue.outbox import media_type

TARGET_MS = 5.0


def main() -> None:
    payload_dict = case_to_dict(sample_case(CaseType.PERSONALAUSWEIS, 1, date(2026, 3, 2)))
    files = capture_attachments(payload_dict, 1)
    payload = sealing.Payload(
        1,
        payload_dict,
        tuple(sealing.Attachment(n, media_type(n), d) for n, d in files.items()),
    )
    device, backend = identity.generate_key(), identity.generate_key()
    times = []
    for _ in range(300):
        t = time.perf_counter()
        sealing.seal(
            payload,
            case_type="personalausweis",
            device_id="dev-bench",
            signing_key=device,
            recipient_key=backend.public_key(),
        )
        times.append((time.perf_counter() - t) * 1000)
    median = statistics.median(times)
    size = sum(len(d) for d in files.values())
    print(f"attachments: {len(files)} ({', '.join(sorted(files))}), {size / 1024:.1f} KiB")
    print(f"seal median: {median:.3f} ms  p95: {sorted(times)[int(len(times) * 0.95)]:.3f} ms")
    verdict = "OK" if median <= TARGET_MS else "MISSED"
    print(f"target ≤ {TARGET_MS} ms: ratio {median / TARGET_MS:.2f} ({verdict})")


if __name__ == "__main__":
    main()
