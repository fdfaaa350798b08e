"""Cold start of the kiosk to the login screen (offscreen), median of 5 runs.

Runs ``koffer kiosk --offscreen --quit-when-ready`` in a fresh interpreter on
an empty data directory and prints the median wall time and its ratio to the
target (1.5 s).

The installed appliance runs from bytecode compiled at installation (pip
compiles every module it installs). A development checkout installed in
editable mode, under ``PYTHONDONTWRITEBYTECODE=1``, would compile all of
``koffer`` from source at every start (about 0.3 s more), so the package is
compiled first with ``compileall``, as an installation would.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 1.5
RUNS = 5


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_run(data_dir: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "koffer.commands.cli",
            "kiosk",
            "--offscreen",
            "--quit-when-ready",
            "--data-dir",
            data_dir,
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return time.perf_counter() - start


def compile_package() -> None:
    import compileall

    import koffer

    compileall.compile_dir(str(Path(koffer.__file__).parent), quiet=1)


def main() -> int:
    compile_package()
    with tempfile.TemporaryDirectory() as data_dir:
        cpu_before = _child_cpu()
        times = [one_run(data_dir) for _ in range(RUNS)]
        cpu = (_child_cpu() - cpu_before) / RUNS
    median = statistics.median(times)
    print(f"kiosk cold start to login screen: runs {', '.join(f'{t:.3f}' for t in times)} s")
    print(f"median {median:.3f} s, target {TARGET_S:.1f} s, ratio {median / TARGET_S:.2f}")
    print(f"mean CPU time per start {cpu:.3f} s (less sensitive to a busy machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
