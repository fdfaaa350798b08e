"""``koffer backend import`` from a stick: envelopes/s and peak memory.

Usage::

    bench_media_import.py [--envelopes N] [--big-mb 100]

Seals N Anmeldung cases on an offline-enrolled suitcase, exports them to a
stick directory, then runs the import in a fresh process twice: once as is
and once with a ``--big-mb`` file beside the envelopes. Prints envelopes/s
of the plain run, the peak RSS (``ru_maxrss``) of both and their difference
against the target (the big file adds at most a few MiB: it is refused from
its size and never read whole).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.integration.hostile_files.conftest import make_site

MIB = 1024 * 1024
TARGET_EXTRA_MIB = 8

_MEASURE = """
import resource, sys, time
from koffer.commands import cli
start = time.perf_counter()
code = cli.main(["backend", "import", "--from", sys.argv[1], "--data-dir", sys.argv[2]])
elapsed = time.perf_counter() - start
print(code, elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _run(stick: Path, backend_dir: Path) -> tuple[float, int]:
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(stick), str(backend_dir)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    _code, elapsed, kib = result.stdout.split()[-3:]
    return float(elapsed), int(kib) * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--envelopes", type=int, default=100)
    parser.add_argument("--big-mb", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        first = make_site(root / "a", args.envelopes)
        second = make_site(root / "b", args.envelopes)
        with (second.envelopes / "big.kenv").open("wb") as f:
            block = bytes(MIB)
            for _ in range(args.big_mb):
                f.write(block)
        elapsed, plain = _run(first.stick, first.backend_dir)
        _elapsed, hostile = _run(second.stick, second.backend_dir)
    extra = (hostile - plain) / MIB
    print(
        f"import: {args.envelopes} envelopes in {elapsed:.2f} s ({args.envelopes / elapsed:.0f}/s)"
    )
    print(
        f"peak RSS: {plain / MIB:.1f} MiB plain, {hostile / MIB:.1f} MiB with {args.big_mb} MB file"
    )
    verdict = "ok" if extra <= TARGET_EXTRA_MIB else "over"
    ratio = extra / TARGET_EXTRA_MIB
    print(f"extra ≤ {TARGET_EXTRA_MIB} MiB: {extra:.1f} MiB, ratio {ratio:.2f} ({verdict})")


if __name__ == "__main__":
    main()
