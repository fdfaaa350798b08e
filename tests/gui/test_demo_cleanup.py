"""``koffer demo`` leaves nothing in TMPDIR: not on exit, not on Ctrl-C.

The demo runs as a real process, headless, with ``TMPDIR`` pointing at a fresh
directory; afterwards that directory must be empty (no demo store, no
``gegenstelle/keys.json``).
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

READY = "Die Vorführung läuft"
START_TIMEOUT = 120.0


class Demo:
    def __init__(self, tmpdir: Path, *extra: str) -> None:
        env = {**os.environ, "TMPDIR": str(tmpdir), "QT_QPA_PLATFORM": "offscreen"}
        self.tmpdir = tmpdir
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; from koffer.commands.cli import main; sys.exit(main(sys.argv[1:]))",
                "demo",
                "--offscreen",
                *extra,
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.stderr: list[str] = []
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)
            self.lines.put(line)

    def wait_for_line(self, text: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                if text in self.lines.get(timeout=1.0):
                    return
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
        raise AssertionError(f"no {text!r} from the demo: {''.join(self.stderr)[-2000:]}")

    def wait_for_scratch_dir(self) -> Path:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and self.proc.poll() is None:
            found = list(self.tmpdir.glob("koffer-demo-*"))
            if found:
                return found[0]
            time.sleep(0.01)
        raise AssertionError("the demo made no directory in TMPDIR")

    def finish(self) -> int:
        try:
            return self.proc.wait(timeout=60)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self._reader.join(timeout=10)
            assert self.proc.stderr is not None
            self.proc.stderr.close()

    def leftovers(self) -> list[str]:
        """What is still in TMPDIR (relative paths), with the demo's stderr for the report."""
        return [str(p.relative_to(self.tmpdir)) for p in sorted(self.tmpdir.rglob("*"))]


def test_demo_removes_its_data_on_normal_exit(tmp_path: Path) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    demo = Demo(tmpdir, "--quit-when-ready")
    assert demo.finish() == 0, "".join(demo.stderr)[-2000:]
    assert demo.leftovers() == [], "".join(demo.stderr)[-2000:]


def test_demo_removes_its_data_on_ctrl_c(tmp_path: Path) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    demo = Demo(tmpdir)
    demo.wait_for_line(READY)
    # while it runs: the demo store and the back end's keys are there
    (scratch,) = tmpdir.iterdir()
    assert (scratch / "gegenstelle" / "keys.json").is_file()
    assert "Vorführungsdaten werden dann gelöscht" in "".join(demo.stderr)
    demo.proc.send_signal(signal.SIGINT)
    assert demo.finish() == 128 + signal.SIGINT
    assert demo.leftovers() == [], "".join(demo.stderr)[-2000:]


def test_demo_removes_its_data_on_ctrl_c_during_start_up(tmp_path: Path) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    demo = Demo(tmpdir)
    demo.wait_for_scratch_dir()
    demo.proc.send_signal(signal.SIGINT)  # wherever start-up is now
    assert demo.finish() == 128 + signal.SIGINT, "".join(demo.stderr)[-2000:]
    assert demo.leftovers() == [], "".join(demo.stderr)[-2000:]
