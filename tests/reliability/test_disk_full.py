"""Disk full: a write that does not fit fails with a German message; nothing committed is lost.

The store lives on a size-limited tmpfs (needs root). Without root the test
falls back to SQLite's own limit, ``PRAGMA max_page_count``, which fails the
same way (``SQLITE_FULL``).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from koffer.errors import StoreError
from koffer.store.store import Store
from tests.integration.store.writer_proc import PASS, attachments, payload
from tests.reliability import procs, report


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() == 0:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=3m,mode=0700", "tmpfs", str(mount)],
            capture_output=True,
        )
        if done.returncode == 0:
            try:
                yield mount, "tmpfs size=3m"
            finally:
                subprocess.run(["umount", "-l", str(mount)], check=False)
            return
    yield mount, "max_page_count"


def test_disk_full_fails_in_german_and_keeps_committed_cases(
    small_fs: tuple[Path, str],
) -> None:
    timer = report.Timer()
    mount, how = small_fs
    data = mount / "data"
    Store.create(data, "admin", PASS, procs.FAST)
    store = Store.open(data, procs.FAST)
    if how == "max_page_count":
        event.listen(
            store._ctx.engine,
            "connect",
            lambda conn, _rec: conn.execute("PRAGMA max_page_count=700"),
        )
        store._ctx.engine.dispose()
    committed: list[str] = []
    failures: list[StoreError] = []
    with store.unlock("admin", PASS) as s:
        for seq in range(200):
            try:
                committed.append(
                    s.create_case("personalausweis", payload(seq, 0), attachments(seq, 0))
                )
            except StoreError as exc:
                failures.append(exc)
                if len(failures) >= 3:
                    break
        assert failures, "the small file system never filled up"
        assert committed, "not even one case fitted"
        # a draft saved on the full disk (the clerk keeps typing): refused, not damaged
        draft = committed[0]
        draft_version = 0
        try:
            s.save_case(draft, payload(0, 1), attachments(0, 1))
            draft_version = 1
        except StoreError as exc:
            failures.append(exc)
        for exc in failures:
            assert "kein Platz mehr frei" in exc.message
            assert "Speicherplatz freigeben" in exc.message
            assert "disk is full" in exc.message_en
        for case_id in committed:
            expected = draft_version if case_id == draft else 0
            assert s.load_case(case_id).payload["version"] == expected
    store.close()
    with Store.open(data, procs.FAST) as again:
        assert again.integrity_check()
        with again.unlock("admin", PASS) as s:
            assert {m.case_id for m in s.list_cases()} == set(committed)
    report.record(
        "disk full",
        f"store on a full file system ({how})",
        iterations=len(committed) + len(failures),
        faults=len(failures),
        seconds=timer.seconds,
        note=f"{len(committed)} cases committed and intact; {len(failures)} writes refused "
        "with a German StoreError",
    )
