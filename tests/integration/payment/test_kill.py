"""Card payments killed with SIGKILL at random points of the ZVT exchange.

Real processes (forked from a warm parent, ``card_proc.py``) pay fees by
card through the real driver against the ZVT simulator on TCP (in this
process); each is killed after a random delay, more than 100 times, while
the simulator also declines, drops the link after approval and aborts at
random. Afterwards one settle, then:

- never two approved payments standing on the terminal for one fee (some
  fees are reversed once on the terminal and paid again);
- every approved payment standing on the terminal is in the cash book,
  every one it reversed is reversed in the cash book, and nothing is in the
  cash book the terminal did not approve;
- no open intent; ``PRAGMA integrity_check`` ok; the hash chain intact.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from koffer.drivers.zvt.sim_servers import TcpServer
from koffer.drivers.zvt.simulator import Outcome, Timings, ZvtSimulator
from koffer.payment.card import CardPayments
from koffer.payment.cashbook import CashBook, reversed_seqs
from koffer.payment.terminal import configured_terminal
from koffer.store import Store, StoreSettings
from tests.integration.payment.card_proc import PASS, config, fee_amount, reverses

REPO = Path(__file__).resolve().parents[3]
PROC = (sys.executable, "-m", "tests.integration.payment.card_proc")
KILLS = 110
FEES = 1000
#: a few milliseconds per step, so kills land inside the exchange
TIMINGS = Timings(card_seconds=0.01, pin_seconds=0.01, host_seconds=0.01)
OUTCOMES = [Outcome.APPROVED] * 6 + [
    Outcome.DECLINED,
    Outcome.LINK_DROP_AFTER_APPROVAL,
    Outcome.CUSTOMER_ABORT,
    Outcome.GARBAGE_AFTER_APPROVAL,
]


def _until(stream: IO[str], prefix: str, progress: list[str]) -> str:
    """The next line starting with ``prefix``; a child's progress lines go to ``progress``."""
    while True:
        line = stream.readline()
        if not line:
            raise AssertionError("the card process went away")
        if line.startswith("error"):
            raise AssertionError(line)
        if line.startswith(prefix):
            return line.strip()
        if line.endswith("\n"):  # a torn last line of a killed child is ignored
            progress.append(line.strip())


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    """On tmpfs where there is one: a SIGKILL loses no page cache, and the many
    fsyncs of ``synchronous=FULL`` would only slow the test down."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path / "data"
        return
    base = Path(tempfile.mkdtemp(prefix="koffer-kill-", dir=shm))
    try:
        yield base / "data"
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_kill_9_never_pays_twice_nor_loses_a_payment(data_dir: Path) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    settings = StoreSettings.insecure_fast()
    Store.create(data_dir, "admin", PASS, settings)
    simulator = ZvtSimulator(password="000000", timings=TIMINGS)
    simulator.script(*(rng.choice(OUTCOMES) for _ in range(FEES * 2)))
    started = time.monotonic()
    kills = finished = 0
    startup = 0.0
    with TcpServer(simulator) as server:
        zygote = subprocess.Popen(
            [*PROC, str(data_dir), str(server.port), str(FEES)],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert zygote.stdin is not None and zygote.stdout is not None
        pid = 0
        progress: list[str] = []
        try:
            _until(zygote.stdout, "zygote", progress)
            while kills < KILLS:
                asked = time.monotonic()
                zygote.stdin.write("go\n")
                zygote.stdin.flush()
                _until(zygote.stdout, "forked ", progress)
                pid = int(_until(zygote.stdout, "ready ", progress).split()[1])
                startup += time.monotonic() - asked
                time.sleep(rng.uniform(0.0, 0.15))
                try:
                    os.kill(pid, signal.SIGKILL)
                    kills += 1
                except ProcessLookupError:
                    finished += 1
                # the next "go" reaps the child before forking again
        except BaseException:
            for victim in (pid, zygote.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(victim, signal.SIGKILL)
            raise
        finally:
            zygote.stdin.close()
            zygote.wait(timeout=30)
            zygote.stdout.close()
        seconds = time.monotonic() - started

        with Store.open(data_dir, settings) as store, store.unlock("admin", PASS) as unlocked:
            book = CashBook(unlocked)
            terminal = configured_terminal(config(server.port))
            try:
                CardPayments(book, terminal).settle()
                open_intents = CardPayments(book, terminal).open_intents()
            finally:
                terminal.close()
            entries = book.entries()
            check = book.check()
            assert store.integrity_check(), f"seed {seed}"

    assert kills >= 100, f"seed {seed}"
    assert not open_intents, f"seed {seed}"
    assert check.ok, f"seed {seed}: {check.problems}"
    standing = Counter(t.amount_cents for t in simulator.approved_payments)
    twice = {amount: n for amount, n in standing.items() if n > 1}
    assert not twice, f"seed {seed}: fees paid twice on the terminal: {twice}"
    taken_back = reversed_seqs(entries)
    in_book = Counter(
        e.amount_cents for e in entries if e.method == "card" and e.seq not in taken_back
    )
    assert in_book == standing, f"seed {seed}: book {in_book} vs terminal {standing}"
    reversed_on_terminal = [t for t in simulator.journal if t.kind == "payment" and t.reversed]
    card_reversals = [e for e in entries if e.method == "reversal"]
    assert len(card_reversals) == len(reversed_on_terminal), f"seed {seed}"
    assert all(reverses(int(e.fee_id[5:11])) for e in card_reversals if e.fee_id), f"seed {seed}"
    by_fee = Counter(e.fee_id for e in entries if e.method == "card" and e.seq not in taken_back)
    assert all(n == 1 for n in by_fee.values()), f"seed {seed}"
    for entry in entries:
        assert entry.fee_id is not None
        assert abs(entry.amount_cents) == fee_amount(int(entry.fee_id[5:11])), f"seed {seed}"
    on_terminal = standing
    assert len(on_terminal) >= 5, f"seed {seed}: too few payments ({len(on_terminal)})"
    # approved on the terminal, killed before the process reported it: found by settling
    reported = {int(line.split()[1]) for line in progress if line.startswith("paid ")}
    booked = {int(e.fee_id[5:11]) for e in entries if e.method == "card" and e.fee_id}
    recovered = len(booked - reported)
    print(
        f"kills={kills} finished={finished} approved={len(on_terminal)} "
        f"reversals={len(card_reversals)} booked_unreported={recovered} "
        f"auto_reversals={simulator.auto_reversals} "
        f"seconds={seconds:.1f} child_startup={startup / max(1, kills + finished):.3f} "
        f"seed={seed}"
    )
