"""Fixtures of the case-work unit tests: a real store with tiny Argon2id cost."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from koffer.casework.case_store import CaseStore
from koffer.casework.registration import MeldeDraft
from koffer.crypto import identity
from koffer.crypto.enrollment import DeviceCredentials
from koffer.crypto.kdf import Argon2Params
from koffer.store.settings import StoreSettings
from koffer.store.store import Store
from koffer.store.unlocked import UnlockedStore

FAST_STORE = StoreSettings(argon2=Argon2Params(memory_kib=64, iterations=1, lanes=1))
PASSPHRASE = "Sommer im Dorf 2026"
ACCOUNT = "admin"
#: a fixed day, so that no test depends on the clock
TODAY = date(2025, 11, 21)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "suitcase"
    Store.create(path, ACCOUNT, PASSPHRASE, FAST_STORE)
    return path


@pytest.fixture
def unlocked(data_dir: Path) -> Iterator[UnlockedStore]:
    with Store.open(data_dir, FAST_STORE) as store, store.unlock(ACCOUNT, PASSPHRASE) as handle:
        yield handle


@pytest.fixture
def case_store(unlocked: UnlockedStore) -> CaseStore:
    return CaseStore(unlocked, ACCOUNT, "admin")


@pytest.fixture
def creds() -> DeviceCredentials:
    """A device identity made locally: enough to seal, never used to send."""
    hpke = identity.generate_key()
    return DeviceCredentials(
        device_id="koffer-test-1",
        name="koffer-test-1",
        backend_url="https://127.0.0.1:1",
        ca_pem=b"",
        client_cert_pem=b"",
        tls_key=identity.generate_key(),
        signing_key=identity.generate_key(),
        hpke_key_id=identity.key_id(hpke.public_key()),
        hpke_public=hpke.public_key(),
        receipt_public=identity.generate_key().public_key(),
    )


def complete_anmeldung() -> MeldeDraft:
    """A registration draft as typed by the clerk that passes every rule on TODAY."""
    return MeldeDraft(
        case_type="anmeldung",
        step="check",
        persons=[
            {
                "family_name": "Müller",
                "given_names": "Anna Lena",
                "birth_date": "07.03.1985",
                "birth_place": "Köln",
                "sex": "w",
                "nationalities": "deutsch",
            },
            {
                "family_name": "Müller",
                "given_names": "Zoë",
                "birth_date": "03.09.2016",
                "birth_place": "Köln",
                "sex": "w",
                "nationalities": "deutsch",
            },
        ],
        dwelling={
            "street": "Lindenweg",
            "house_number": "12a",
            "postcode": "50667",
            "city": "Köln",
            "move_in_date": "16.11.2025",
        },
        previous={"street": "Am Markt", "house_number": "3", "postcode": "53111", "city": "Bonn"},
        landlord={
            "landlord_name": "Wohnbau Köln eG",
            "landlord_address": "Ringstraße 1, 50667 Köln",
            "matches": "1",
        },
        documents=[
            {
                "kind": "PA",
                "serial": "l01x00t47",
                "authority": "Stadt Köln",
                "issued": "01.02.2020",
                "expires": "31.01.2030",
            },
            {},
        ],
    )
