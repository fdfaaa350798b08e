"""A stand-in for the TPM module's eviction hook (tests of ``koffer wipe``)."""

from __future__ import annotations

from pathlib import Path

#: what the hook saw: (data dir, the store database still intact)
CALLS: list[tuple[Path, bool]] = []


def evict_sealed_keys(data_dir: Path) -> int:
    db = data_dir / "koffer-store.sqlite3"
    CALLS.append((data_dir, db.read_bytes().startswith(b"SQLite format 3\x00")))
    return 2
