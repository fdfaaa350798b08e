"""Fixtures: a real store on disk with tiny Argon2id cost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from koffer.store import Store, StoreSettings, UnlockedStore

ADMIN_PASS = "korrekt-pferd-batterie"


@pytest.fixture
def settings() -> StoreSettings:
    return StoreSettings.insecure_fast()


@pytest.fixture
def data_dir(tmp_path: Path, settings: StoreSettings) -> Path:
    path = tmp_path / "data"
    Store.create(path, "admin", ADMIN_PASS, settings)
    return path


@pytest.fixture
def store(data_dir: Path, settings: StoreSettings) -> Iterator[Store]:
    opened = Store.open(data_dir, settings)
    yield opened
    opened.close()


@pytest.fixture
def unlocked(store: Store) -> Iterator[UnlockedStore]:
    with store.unlock("admin", ADMIN_PASS) as handle:
        yield handle
