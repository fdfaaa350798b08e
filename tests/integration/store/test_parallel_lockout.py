"""Parallel wrong guesses in real processes cannot get past the lock-out.

Each guess is a real ``koffer outbox list --account anna`` process. The store
has no throttling (``insecure_fast``), so only the reservation of attempts
(``BEGIN IMMEDIATE`` before Argon2id) stands between 30 simultaneous guesses
and the limit of 10.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from koffer.store import Store, StoreSettings

ROOT = Path(__file__).resolve().parents[3]
ADMIN_PASS = "admin-passphrase-lang"
ANNA_PASS = "anna-passphrase-lang"
LIMIT = 10
GUESSES = 30


def _store(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    settings = StoreSettings.insecure_fast(max_failed_attempts=LIMIT)
    Store.create(data, "admin", ADMIN_PASS, settings)
    with Store.open(data, settings) as store, store.unlock("admin", ADMIN_PASS) as admin:
        admin.add_account("anna", "clerk", ANNA_PASS)
    return data


def _spawn(data: Path, secret_file: Path) -> subprocess.Popen[str]:
    argv = [sys.executable, "-m", "koffer.commands.cli", "outbox", "list", "--data-dir", str(data)]
    argv += ["--account", "anna", "--passphrase-file", str(secret_file)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _secret(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _outcomes(processes: list[subprocess.Popen[str]]) -> list[tuple[int, str]]:
    results = []
    for process in processes:
        _, err = process.communicate(timeout=300)
        results.append((process.returncode, err))
    return results


def _account_row(data: Path) -> tuple[int, int, int]:
    con = sqlite3.connect(data / "koffer-store.sqlite3")
    try:
        row = con.execute(
            "SELECT failed_attempts, pending_attempts, locked FROM accounts WHERE name = 'anna'"
        ).fetchone()
    finally:
        con.close()
    return int(row[0]), int(row[1]), int(row[2])


def _audit(data: Path, event: str) -> list[dict[str, object]]:
    con = sqlite3.connect(data / "koffer-store.sqlite3")
    try:
        rows = con.execute(
            "SELECT detail FROM audit_log WHERE account = 'anna' AND event = ? ORDER BY id",
            (event,),
        ).fetchall()
    finally:
        con.close()
    return [json.loads(r[0]) for r in rows]


def test_thirty_parallel_wrong_guesses_count_exactly_up_to_the_limit(tmp_path: Path) -> None:
    data = _store(tmp_path)
    wrong = [_secret(tmp_path, f"wrong-{i}", f"falsch-geraten-{i}") for i in range(GUESSES)]
    outcomes = _outcomes([_spawn(data, w) for w in wrong])

    assert all(code != 0 for code, _ in outcomes)
    wrong_answers = [err for _, err in outcomes if "Passphrase ist falsch" in err]
    refused = [err for _, err in outcomes if "gesperrt" in err or "gleichzeitig" in err]
    # exactly LIMIT guesses ran Argon2id: LIMIT-1 told "wrong", the last one "locked"
    assert len(wrong_answers) == LIMIT - 1
    assert len(refused) == GUESSES - (LIMIT - 1)
    assert len(_audit(data, "unlock_failed")) == LIMIT
    assert _account_row(data) == (LIMIT, 0, 1)

    # the right passphrase now is refused as well: the account is locked
    right = _secret(tmp_path, "right", ANNA_PASS)
    [(code, err)] = _outcomes([_spawn(data, right)])
    assert code != 0 and "gesperrt" in err
    assert _account_row(data) == (LIMIT, 0, 1)


def test_parallel_guesses_with_the_right_one_never_exceed_the_limit(tmp_path: Path) -> None:
    data = _store(tmp_path)
    wrong = [_secret(tmp_path, f"wrong-{i}", f"falsch-geraten-{i}") for i in range(GUESSES)]
    right = _secret(tmp_path, "right", ANNA_PASS)
    processes = [_spawn(data, w) for w in wrong[: GUESSES // 2]]
    processes.append(_spawn(data, right))
    processes += [_spawn(data, w) for w in wrong[GUESSES // 2 :]]
    outcomes = _outcomes(processes)
    right_code, right_err = outcomes[GUESSES // 2]

    failed, pending, locked = _account_row(data)
    assert failed <= LIMIT and pending == 0
    assert all(code != 0 for i, (code, _) in enumerate(outcomes) if i != GUESSES // 2)
    con = sqlite3.connect(data / "koffer-store.sqlite3")
    try:
        events = [
            e
            for (e,) in con.execute(
                "SELECT event FROM audit_log WHERE account = 'anna' ORDER BY id"
            ).fetchall()
        ]
    finally:
        con.close()
    if right_code == 0:
        # the owner got in; before and after that, each run of failures stays within the limit
        runs = "".join("s" if e == "unlocked" else "f" for e in events if e != "account_locked")
        assert all(len(run) <= LIMIT for run in runs.split("s"))
    else:
        # the right one came too late: refused like every guess beyond the limit
        assert "gesperrt" in right_err or "gleichzeitig" in right_err
        assert events.count("unlock_failed") == LIMIT and locked == 1
