"""Back-end memory under a burst of large envelopes (12 × 60 MB at once).

Usage::

    bench_intake_burst.py [--uploads 12] [--mb 60]

``koffer backend serve`` runs in its own process (SQLite in a temp dir, the
real domain validation). The envelopes are sealed first and written to files,
so the senders stream them and the figures are the server's alone. All
uploads start together; the back end spools each large body to a 0600 file in
its data directory, opens at most a few at once and answers the rest 503
``busy`` with ``Retry-After``; those are sent again (at once, not after the
advertised wait, to keep the run short) until every envelope has a receipt.

Prints the server's RSS before the burst, its peak (``VmHWM``) and after the
burst, the answers of the first round, the rounds needed and the time, plus
the ratio of the peak to the bound the test asserts (1 GiB).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_intake import enroll, start_backend

PEAK_BOUND = 1024**3
MIB = 1024 * 1024


def rss(pid: int) -> dict[str, int]:
    """``VmRSS`` and ``VmHWM`` (peak resident set) of a process, in bytes."""
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) * 1024
    return values


@dataclass
class BurstResult:
    baseline_rss: int
    peak_rss: int
    after_rss: int
    first_round: Counter[int]
    rounds: int
    delivered: int
    seconds: float
    retry_after: set[str] = field(default_factory=set)
    other_answers: list[str] = field(default_factory=list)
    spool_left: list[str] = field(default_factory=list)


def _seal_to_files(creds_bytes: bytes, tmp: Path, uploads: int, size: int) -> list[Path]:
    """``uploads`` valid Anmeldung envelopes with one ``size``-byte attachment each."""
    from koffer.cases.enums import CaseType
    from koffer.cases.samples import sample_case
    from koffer.cases.serialize import case_to_dict
    from koffer.crypto import sealing
    from koffer.crypto.enrollment import DeviceCredentials

    creds = DeviceCredentials.from_bytes(creds_bytes)
    today = datetime.now(UTC).date()
    blob = bytes(range(256)) * (size // 256)
    files = []
    for i in range(uploads):
        case = case_to_dict(sample_case(CaseType.ANMELDUNG, 7_000 + i, today))
        env = sealing.seal(
            sealing.Payload(1, case, (sealing.Attachment("signature.png", "image/png", blob),)),
            case_type="anmeldung",
            device_id=creds.device_id,
            signing_key=creds.signing_key,
            recipient_key=creds.hpke_public,
        )
        path = tmp / f"{env.envelope_id}.kenv"
        path.write_bytes(env.data)
        files.append(path)
    return files


def _send_round(creds_bytes: bytes, files: list[Path]) -> list[tuple[Path, int, str, str]]:
    """PUT every file at once; returns (file, status, code, Retry-After) per file."""
    import httpx

    from koffer.crypto import tls
    from koffer.crypto.enrollment import DeviceCredentials

    creds = DeviceCredentials.from_bytes(creds_bytes)
    ctx = tls.client_context(
        creds.ca_pem, client_cert_pem=creds.client_cert_pem, client_key=creds.tls_key
    )
    barrier = threading.Barrier(len(files))
    out: list[tuple[Path, int, str, str]] = []
    lock = threading.Lock()

    def put(path: Path) -> None:
        with (
            httpx.Client(base_url=creds.backend_url, verify=ctx, trust_env=False) as http,
            path.open("rb") as body,
        ):
            http.get("/v1/health")  # handshake before the burst starts
            barrier.wait()
            answer = http.put(
                f"/v1/envelopes/{path.stem}",
                content=iter(lambda: body.read(MIB), b""),
                headers={"Content-Length": str(path.stat().st_size)},
                timeout=300,
            )
        code = answer.json().get("code", "") if answer.status_code >= 400 else ""
        with lock:
            out.append((path, answer.status_code, code, answer.headers.get("retry-after", "")))

    threads = [threading.Thread(target=put, args=(path,)) for path in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return out


def run_burst(tmp: Path, uploads: int = 12, size: int = 60 * MIB) -> BurstResult:
    bdir, proc = start_backend(tmp, None, 1)
    try:
        (creds_bytes,) = enroll(bdir, None, ["koffer-burst"])
        files = _seal_to_files(creds_bytes, tmp, uploads, size)
        time.sleep(0.5)
        baseline = rss(proc.pid)["VmRSS"]
        started = time.perf_counter()
        pending, rounds, delivered = files, 0, 0
        first: Counter[int] = Counter()
        retry_after: set[str] = set()
        others: list[str] = []
        while pending and rounds < 20:
            rounds += 1
            answers = _send_round(creds_bytes, pending)
            if rounds == 1:
                first = Counter(status for _p, status, _c, _r in answers)
            pending = []
            for path, status, code, retry in answers:
                if status in (200, 201):
                    delivered += 1
                elif status == 503 and code == "busy":
                    retry_after.add(retry)
                    pending.append(path)
                else:
                    others.append(f"{status} {code}")
        seconds = time.perf_counter() - started
        time.sleep(1.0)
        figures = rss(proc.pid)
        spool_left = sorted(p.name for p in (bdir / "spool").iterdir())
        return BurstResult(
            baseline_rss=baseline,
            peak_rss=figures["VmHWM"],
            after_rss=figures["VmRSS"],
            first_round=first,
            rounds=rounds,
            delivered=delivered,
            seconds=seconds,
            retry_after=retry_after,
            other_answers=others,
            spool_left=spool_left,
        )
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def report(result: BurstResult, uploads: int, size: int) -> str:
    return "\n".join(
        [
            f"intake burst: {uploads} × {size / MIB:.0f} MiB at once, "
            f"{result.delivered} delivered in {result.rounds} rounds, {result.seconds:.1f} s",
            f"  first round answers: {dict(sorted(result.first_round.items()))}"
            f" (Retry-After {sorted(result.retry_after)})",
            f"  server RSS: baseline {result.baseline_rss / MIB:.0f} MiB, "
            f"peak {result.peak_rss / MIB:.0f} MiB, after {result.after_rss / MIB:.0f} MiB",
            f"  peak / bound (1 GiB): {result.peak_rss / PEAK_BOUND:.2f} (target < 1)",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--uploads", type=int, default=12)
    parser.add_argument("--mb", type=int, default=60)
    args = parser.parse_args()
    size = args.mb * MIB
    with tempfile.TemporaryDirectory() as tmp:
        result = run_burst(Path(tmp), args.uploads, size)
    print(report(result, args.uploads, size))


if __name__ == "__main__":
    main()
