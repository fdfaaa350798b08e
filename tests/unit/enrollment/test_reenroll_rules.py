"""Who may replace an enrollment: admin account and an explicit ``replace``.

Real store files; the credentials are made from a throw-away CA (what is
checked here is the rule, not the response signature).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from koffer.casework.services import CaseServices
from koffer.config import Config
from koffer.crypto import identity, tls
from koffer.crypto.enrollment import DeviceCredentials
from koffer.enrollment import device
from koffer.errors import StoreError
from koffer.queue.models import DeviceSecret
from koffer.store.settings import StoreSettings
from koffer.store.store import Store
from koffer.store.unlocked import UnlockedStore

FAST = StoreSettings.insecure_fast()
ADMIN, CLERK = "Sommer im Dorf 2026", "Winter im Rathaus 2026"


def _creds(device_id: str) -> DeviceCredentials:
    ca_key, ca_cert = tls.create_ca("Test CA")
    tls_key = identity.generate_key()
    cert = tls.sign_csr(ca_key, ca_cert, tls.make_csr(tls_key, "k"), device_id)
    hpke = identity.generate_key().public_key()
    return DeviceCredentials(
        device_id=device_id,
        name="k",
        backend_url="https://registry.example:8443",
        ca_pem=tls.cert_to_pem(ca_cert),
        client_cert_pem=tls.cert_to_pem(cert),
        tls_key=tls_key,
        signing_key=identity.generate_key(),
        hpke_key_id=identity.key_id(hpke),
        hpke_public=hpke,
        receipt_public=identity.generate_key().public_key(),
    )


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "suitcase"
    Store.create(path, "admin", ADMIN, FAST)
    with Store.open(path, FAST) as store, store.unlock("admin", ADMIN) as unlocked:
        unlocked.add_account("maria", "clerk", CLERK)
    return path


def _blobs(store: UnlockedStore) -> dict[str, bytes]:
    with store.transaction() as session:
        return {r.name: bytes(r.blob) for r in session.query(DeviceSecret).all()}


def test_first_enrollment_needs_no_replace_even_for_a_clerk(data: Path) -> None:
    with Store.open(data, FAST) as store, store.unlock("maria", CLERK) as clerk:
        assert device.check_may_enroll(clerk, replace=False) is False
        device.save_credentials(clerk, _creds("dev-1"))
        assert [e.event for e in clerk.list_audit()][-1] == "device_enrolled"


def test_replacing_needs_admin_and_replace(data: Path) -> None:
    with Store.open(data, FAST) as store:
        with store.unlock("admin", ADMIN) as admin:
            device.save_credentials(admin, _creds("dev-1"))
            before = _blobs(admin)
        with store.unlock("maria", CLERK) as clerk:
            for replace in (False, True):
                with pytest.raises(StoreError, match="Nur ein Administrator-Konto"):
                    device.save_credentials(clerk, _creds("dev-2"), replace=replace)
            assert _blobs(clerk) == before
        with store.unlock("admin", ADMIN) as admin:
            with pytest.raises(StoreError, match="--replace"):
                device.save_credentials(admin, _creds("dev-2"))
            assert _blobs(admin) == before
            assert device.check_may_enroll(admin, replace=True) is True
            device.save_credentials(admin, _creds("dev-2"), replace=True)
            assert device.require_credentials(admin).device_id == "dev-2"
            last = admin.list_audit()[-1]
            assert last.event == "device_enrollment_replaced"
            assert last.detail == {"device_id": "dev-2", "previous_device_id": "dev-1"}


def test_damaged_enrollment_can_still_be_replaced_by_an_admin(data: Path) -> None:
    with Store.open(data, FAST) as store, store.unlock("admin", ADMIN) as admin:
        device.save_credentials(admin, _creds("dev-1"))
        with admin.transaction() as session:
            row = session.get(DeviceSecret, device.CREDENTIALS)
            assert row is not None
            row.blob = b"\x00" * len(row.blob)
        device.save_credentials(admin, _creds("dev-2"), replace=True)
        assert admin.list_audit()[-1].detail["previous_device_id"] == "unlesbar"


def test_kiosk_refuses_re_enrolling_before_using_the_token(data: Path) -> None:
    """The kiosk has no --replace: an enrolled suitcase is refused at once."""
    services = CaseServices.from_config(Config(), demo=True, simulate=True)
    with Store.open(data, FAST) as store, store.unlock("admin", ADMIN) as admin:
        device.save_credentials(admin, _creds("dev-1"))
        before = _blobs(admin)
        # a token that would fail at the network: the rule must refuse first
        with pytest.raises(StoreError, match="--replace"):
            services.enroll(admin, "KOFFER1.not-even-decoded")
        assert _blobs(admin) == before
