"""``koffer doctor`` reads the enrollment without unlocking the store."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from koffer.commands import cli
from koffer.commands import doctor as ops
from koffer.crypto import identity, tls
from koffer.crypto.enrollment import DeviceCredentials
from koffer.crypto.kdf import Argon2Params
from koffer.enrollment import device
from koffer.enrollment import public as enrollment
from koffer.store.settings import StoreSettings
from koffer.store.store import Store

FAST = StoreSettings(argon2=Argon2Params(memory_kib=64, iterations=1, lanes=1))
SECRET = "Herbst am Deich 2026"


def _creds(url: str) -> DeviceCredentials:
    ca_key, ca_cert = tls.create_ca("Test CA")
    tls_key = identity.generate_key()
    cert = tls.sign_csr(ca_key, ca_cert, tls.make_csr(tls_key, "k"), "dev-0001")
    hpke = identity.generate_key().public_key()
    return DeviceCredentials(
        device_id="dev-0001",
        name="koffer-3",
        backend_url=url,
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
    path = tmp_path / "koffer"
    Store.create(path, "admin", SECRET, FAST)
    return path


def _enroll(data: Path, creds: DeviceCredentials) -> None:
    with Store.open(data, FAST) as store, store.unlock("admin", SECRET) as unlocked:
        device.save_credentials(unlocked, creds)


def test_not_enrolled_is_a_warning(data: Path) -> None:
    assert enrollment.device_certificate_pem(data) is None
    assert enrollment.backend_url(data) is None
    result = ops.check_enrollment(data, datetime.now(UTC))
    assert result.status == "warn"
    assert "koffer enroll" in result.message


def test_public_metadata_readable_without_unlock(data: Path) -> None:
    creds = _creds("https://127.0.0.1:9")
    _enroll(data, creds)
    assert enrollment.device_certificate_pem(data) == creds.client_cert_pem
    assert enrollment.backend_url(data) == "https://127.0.0.1:9"
    info = enrollment.read_public(data)
    assert info is not None and info.ca_sha256 == tls.fingerprint(creds.ca_pem)
    # the public row holds no private key material
    raw = info.to_bytes()
    assert b"PRIVATE KEY" not in raw
    ok = ops.check_enrollment(data, datetime.now(UTC))
    assert ok.status == "ok" and "gültig bis" in ok.message
    expires = tls.cert_from_pem(creds.client_cert_pem).not_valid_after_utc
    soon = ops.check_enrollment(data, expires - timedelta(days=10))
    assert soon.status == "warn" and "läuft am" in soon.message
    late = ops.check_enrollment(data, expires + timedelta(days=1))
    assert late.status == "fail" and "abgelaufen" in late.message


def test_doctor_checks_backend_from_enrollment(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No --backend-url: the URL saved at enrollment is probed (port 9: closed)."""
    _enroll(data, _creds("https://127.0.0.1:9"))
    capsys.readouterr()
    cli.main(["doctor", "--json", "--data-dir", str(data)])
    checks = {c["id"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert checks["enrollment"]["status"] == "ok"
    assert checks["backend"]["status"] == "warn"
    assert "127.0.0.1:9" in checks["backend"]["message"]
