"""Crash: SIGKILL the headless visit, a draft-editing visit and the sender at random points.

After every kill the process is started again on the same data directory.
Invariants: every sealed case reaches the back end exactly once (by envelope
id and by case id); every draft left behind loads with all its attachments
and is resumed; ``PRAGMA integrity_check`` is ``ok``.

``KOFFER_RELIABILITY_SCALE`` multiplies the kill counts (the soak script sets it).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from koffer.backend.db import ReceivedCase
from koffer.backend.server import Backend, BackendServer
from koffer.enrollment import device
from koffer.enrollment.enroll import enroll_online
from koffer.queue.models import PURGED, OutboxItem
from koffer.queue.outbox import Outbox
from koffer.store.store import Store
from tests.integration.transmission import sender_process
from tests.integration.transmission.conftest import PASSPHRASE, add_case
from tests.reliability import procs, report

SCALE = float(os.environ.get("KOFFER_RELIABILITY_SCALE", "1"))
FAST = procs.FAST


def _kills(base: int) -> int:
    return max(1, int(base * SCALE))


#: in CI about 200 kills in total (each scenario also counts the kills that hit nothing)
VISIT_KILLS = _kills(45)
DRAFT_KILLS = _kills(20)
SENDER_KILLS = _kills(90)


@pytest.fixture(scope="module")
def ctx() -> Any:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(
        ["tests.reliability.procs", "tests.integration.transmission.sender_process"]
    )
    return context


def _enrolled_suitcase(path: Path, backend: Backend, srv: BackendServer, name: str) -> None:
    Store.create(path, "admin", PASSPHRASE, FAST)
    with Store.open(path, FAST) as store, store.unlock("admin", PASSPHRASE) as s:
        token = backend.enrollment_token(name, url=srv.url, enroll_url=srv.enroll_url)
        device.save_credentials(s, enroll_online(token))


def _kill_loop(
    ctx: Any,
    iterations: int,
    target: Callable[..., Any],
    make_args: Callable[[int], tuple[Any, ...]],
    window: tuple[float, float],
    rng: random.Random,
    after: Callable[[], None] | None = None,
) -> int:
    """Start ``target`` again and again; SIGKILL it after a random delay. Returns kills."""
    kills = 0
    for i in range(iterations):
        ready = ctx.Event()
        child = ctx.Process(target=target, args=(*make_args(i), ready))
        child.start()
        assert ready.wait(timeout=60), "child did not start"
        time.sleep(rng.uniform(*window))
        if child.is_alive():
            child.kill()  # SIGKILL; a child that exited meanwhile is not an error
            kills += 1
        child.join(timeout=60)
        if after is not None:
            after()
    return kills


def _check_drafts_resumable(data: Path) -> int:
    """Integrity ok and every draft loads with all its attachments; returns draft count."""
    with Store.open(data, FAST) as store:
        assert store.integrity_check()
        with store.unlock("admin", PASSPHRASE) as s:
            drafts = s.list_cases(["draft", "completed"])
            for meta in drafts:
                case = s.load_case(meta.case_id)
                for name in case.attachment_names:
                    assert s.load_attachment(meta.case_id, name)
            return len(drafts)


def _exactly_once(data: Path, backend: Backend) -> tuple[int, int, int]:
    """(sealed cases, lost, duplicates) after the final run."""
    with Store.open(data, FAST) as store:
        assert store.integrity_check()
        with store.unlock("admin", PASSPHRASE) as s:
            open_cases = s.list_cases(["draft", "completed"])
            sealed_cases = {m.case_id for m in s.list_cases(["sealed"])}
            with s.transaction() as session:
                rows = [
                    (r.envelope_id, r.case_id, r.state) for r in session.scalars(select(OutboxItem))
                ]
    with backend.intake.sessions() as session:
        at_backend = Counter(session.scalars(select(ReceivedCase.envelope_id)).all())
    assert open_cases == [], "cases left unfinished after the final run"
    per_case = Counter(case_id for _e, case_id, _s in rows)
    duplicates = sum(n - 1 for n in per_case.values() if n > 1)
    duplicates += sum(n - 1 for n in at_backend.values() if n > 1)
    envelopes = {e for e, _c, _s in rows}
    lost = len(envelopes - set(at_backend)) + len(sealed_cases - set(per_case))
    assert set(at_backend) <= envelopes, "back end holds an envelope the suitcase never sealed"
    assert all(state == PURGED for _e, _c, state in rows)
    return len(sealed_cases), lost, duplicates


def test_kill_headless_visit_and_resume(
    tmp_path: Path, backend: Backend, server: BackendServer, ctx: Any
) -> None:
    timer = report.Timer()
    data = tmp_path / "suitcase"
    _enrolled_suitcase(data, backend, server, "visit")
    cfg = tmp_path / "koffer.toml"
    cfg.write_text(
        "[store]\nargon2_memory_kib = 7168\nargon2_iterations = 5\nargon2_lanes = 1\n"
        "[transmission]\nbackoff_base_seconds = 0.0\nbatch_size = 2\n",
        encoding="utf-8",
    )
    secret = tmp_path / "pass"
    secret.write_text(PASSPHRASE, encoding="utf-8")
    log = str(tmp_path / "visit.log")
    rng = random.Random(20260701)

    def argv(i: int) -> tuple[Any, ...]:
        args = ["simulate-visit", "--data-dir", str(data), "--config", str(cfg)]
        args += ["--passphrase-file", str(secret), "--cases", "3", "--seed", str(i), "--sync"]
        return (args, log)

    kills = _kill_loop(ctx, VISIT_KILLS, procs.run_cli, argv, (0.0, 0.8), rng)
    draft_kills = _kill_loop(
        ctx,
        VISIT_KILLS,
        procs.draft_visit_child,
        lambda i: (str(data), PASSPHRASE, 10_000 + i, 2),
        (0.0, 0.5),
        rng,
        after=lambda: None,
    )
    # restart without a kill: resumes drafts, seals what was completed, sends everything
    orphaned = _check_drafts_resumable(data)
    procs.draft_visit(str(data), PASSPHRASE, 99_999, 0)
    sealed, lost, duplicates = _exactly_once(data, backend)
    report.record(
        "crash",
        "SIGKILL visit (simulate-visit --sync, draft editing)",
        iterations=VISIT_KILLS * 2,
        faults=kills + draft_kills,
        lost=lost,
        duplicates=duplicates,
        seconds=timer.seconds,
        note=f"{sealed} cases sealed and received once; {orphaned} unfinished cases resumed",
    )
    assert kills + draft_kills >= VISIT_KILLS
    assert sealed > 0 and lost == 0 and duplicates == 0


def test_drafts_resume_after_every_kill(
    tmp_path: Path, backend: Backend, server: BackendServer, ctx: Any
) -> None:
    timer = report.Timer()
    data = tmp_path / "suitcase"
    _enrolled_suitcase(data, backend, server, "drafts")
    rng = random.Random(8128)
    drafts_seen = 0

    def check() -> None:
        nonlocal drafts_seen
        drafts_seen += _check_drafts_resumable(data)

    kills = _kill_loop(
        ctx,
        DRAFT_KILLS,
        procs.draft_visit_child,
        lambda i: (str(data), PASSPHRASE, 20_000 + i, 1),
        (0.0, 0.4),
        rng,
        after=check,
    )
    procs.draft_visit(str(data), PASSPHRASE, 77_777, 0)
    sealed, lost, duplicates = _exactly_once(data, backend)
    report.record(
        "crash",
        "SIGKILL draft editing, check after each kill",
        iterations=DRAFT_KILLS,
        faults=kills,
        lost=lost,
        duplicates=duplicates,
        seconds=timer.seconds,
        note=f"{drafts_seen} unfinished cases found after kills, all loadable; {sealed} sealed",
    )
    assert lost == 0 and duplicates == 0 and kills > 0


def test_kill_sender(tmp_path: Path, backend: Backend, server: BackendServer, ctx: Any) -> None:
    timer = report.Timer()
    data = tmp_path / "suitcase"
    _enrolled_suitcase(data, backend, server, "sender")
    with Store.open(data, FAST) as store, store.unlock("admin", PASSPHRASE) as s:
        creds = device.require_credentials(s)
        outbox = Outbox.open(s)
        cases = SENDER_KILLS
        for i in range(cases):
            outbox.seal_case(add_case(s, "anmeldung", i), creds)
    rng = random.Random(4242)
    kills = _kill_loop(
        ctx,
        SENDER_KILLS,
        sender_process.main,
        lambda _i: (str(data), PASSPHRASE),
        (0.0, 0.08),
        rng,
    )
    sender_process.main(str(data), PASSPHRASE)
    sealed, lost, duplicates = _exactly_once(data, backend)
    report.record(
        "crash",
        "SIGKILL sender mid-sync",
        iterations=SENDER_KILLS,
        faults=kills,
        lost=lost,
        duplicates=duplicates,
        seconds=timer.seconds,
        note=f"{sealed} envelopes, each received once",
    )
    assert sealed == cases and lost == 0 and duplicates == 0 and kills > 0
