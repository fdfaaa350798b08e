"""A real back end on loopback TLS and an enrolled device identity."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from koffer.backend.keystore import BackendDir
from koffer.backend.server import Backend, BackendServer
from koffer.backend.validation import accept_any
from koffer.cases.enums import CaseType
from koffer.cases.samples import sample_case
from koffer.cases.serialize import case_to_dict
from koffer.crypto.enrollment import DeviceCredentials
from koffer.crypto.kdf import Argon2Params
from koffer.enrollment.enroll import enroll_online
from koffer.store.settings import StoreSettings
from koffer.store.store import Store
from koffer.store.unlocked import UnlockedStore


@pytest.fixture
def backend_dir(tmp_path: Path) -> Path:
    path = tmp_path / "backend"
    BackendDir(path).init("https://127.0.0.1:1")
    return path


@pytest.fixture
def backend(backend_dir: Path) -> Backend:
    return Backend.open(backend_dir, validator=accept_any)


@pytest.fixture
def server(backend: Backend) -> Iterator[BackendServer]:
    with BackendServer(backend) as srv:
        yield srv


@pytest.fixture
def creds(backend: Backend, server: BackendServer) -> DeviceCredentials:
    token = backend.enrollment_token("koffer-1", url=server.url, enroll_url=server.enroll_url)
    return enroll_online(token)


# ---------------------------------------------------------------- suitcase side

FAST_STORE = StoreSettings(argon2=Argon2Params(memory_kib=64, iterations=1, lanes=1))
PASSPHRASE = "Sommer im Dorf 2026"


@pytest.fixture
def suitcase(tmp_path: Path) -> Iterator[UnlockedStore]:
    data = tmp_path / "suitcase"
    Store.create(data, "admin", PASSPHRASE, FAST_STORE)
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as unlocked:
        yield unlocked


@pytest.fixture
def real_backend(backend_dir: Path) -> Iterator[tuple[Backend, BackendServer]]:
    backend = Backend.open(backend_dir)  # the real domain validation
    with BackendServer(backend) as srv:
        yield backend, srv


def add_case(store: UnlockedStore, case_type: str, seed: int) -> str:
    """A valid sample case with synthetic attachments, stored like the kiosk does."""
    today = datetime.now(UTC).date()
    case = sample_case(CaseType(case_type), seed, today)
    payload = case_to_dict(case)
    names: list[str] = []
    if case_type == "personalausweis":
        names += [payload["photo"]["attachment"]]
        names += [f["attachment"] for f in payload["fingerprints"]]
        names += list(payload["signature_attachments"])
    else:
        names += list(payload.get("signature_attachments") or [])
    attachments = {n: (n.encode() + bytes(range(256))) * 20 for n in names}
    return store.create_case(case_type, payload, attachments, state="completed")
