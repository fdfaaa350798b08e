"""The signed enrollment response, checked as the suitcase checks it.

A real back end directory (its own CA, HPKE and receipt keys) answers a real
offline request; the suitcase side (:func:`complete_offline`,
:func:`verified_credentials`) must accept exactly that answer and refuse
every change an attacker with the removable medium could make.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from koffer.backend.enrollment_response import signed_response
from koffer.backend.keystore import BackendDir
from koffer.backend.server import Backend
from koffer.crypto import identity, tls
from koffer.crypto.enrollment import (
    OFFLINE_VALIDITY,
    EnrollmentStatement,
    public_key_sha256,
    sign_response,
)
from koffer.enrollment.enroll import (
    PendingKeys,
    complete_offline,
    offline_request,
    verified_credentials,
)
from koffer.errors import ConfigError, CryptoError

URL = "https://registry.example:8443"


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Backend:
    path = tmp_path_factory.mktemp("backend")
    BackendDir(path).init(URL)
    return Backend.open(path)


@pytest.fixture(scope="module")
def pin(backend: Backend) -> str:
    return tls.fingerprint(backend.intake.keys.ca_pem)


@pytest.fixture
def keys() -> PendingKeys:
    return PendingKeys.generate()


@pytest.fixture
def genuine(backend: Backend, keys: PendingKeys) -> dict[str, Any]:
    name = f"k-{identity.key_id(keys.tls_key.public_key())[:8]}"
    doc: dict[str, Any] = json.loads(backend.enroll_offline(name, offline_request(keys, name)))
    return doc


def _bytes(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc).encode()


def test_genuine_response_gives_the_signed_credentials(
    genuine: dict[str, Any], keys: PendingKeys, pin: str, backend: Backend
) -> None:
    creds = complete_offline(keys, _bytes(genuine), pin)
    material = backend.intake.public_material()
    st = genuine["statement"]
    assert creds.device_id == st["device_id"] and creds.device_id.startswith("dev-")
    assert creds.backend_url == URL
    assert creds.hpke_key_id == material["hpke_key_id"]
    assert identity.public_key_to_pem(creds.hpke_public).decode() == material["hpke_public_key"]
    assert (
        identity.public_key_to_pem(creds.receipt_public).decode() == material["receipt_public_key"]
    )
    assert tls.fingerprint(creds.ca_pem) == pin
    assert creds.tls_key is keys.tls_key and creds.signing_key is keys.signing_key
    assert st["device_signing_key_sha256"] == public_key_sha256(keys.signing_key.public_key())


def test_upper_case_fingerprint_is_the_same_pin(
    genuine: dict[str, Any], keys: PendingKeys, pin: str
) -> None:
    assert complete_offline(keys, _bytes(genuine), pin.upper()).backend_url == URL


def _other_pem() -> str:
    return identity.public_key_to_pem(identity.generate_key().public_key()).decode()


#: for each trusted field, what an attacker would put there instead
SWAPS: dict[str, Any] = {
    "device_id": "dev-00000000deadbeef",
    "name": "fremder-koffer",
    "url": "https://attacker.example:8443",
    "enroll_url": "https://attacker.example:8444",
    "ca_sha256": "ab" * 32,
    "client_cert_sha256": "cd" * 32,
    "device_signing_key_sha256": "ef" * 32,
    "hpke_key_id": "0" * 32,
    "hpke_public_key": None,  # filled per test with a fresh key
    "receipt_public_key": None,
    "issued_at": "2020-01-01T00:00:00+00:00",
    "not_after": "2099-01-01T00:00:00+00:00",
}


@pytest.mark.parametrize("field", sorted(SWAPS))
def test_each_trusted_field_swapped_is_refused(
    genuine: dict[str, Any], keys: PendingKeys, pin: str, field: str
) -> None:
    doc = copy.deepcopy(genuine)
    value = SWAPS[field] if SWAPS[field] is not None else _other_pem()
    assert doc["statement"][field] != value
    doc["statement"][field] = value
    with pytest.raises(CryptoError) as exc:
        complete_offline(keys, _bytes(doc), pin)
    assert exc.value.message.startswith("Die Einrichtungsantwort wurde abgelehnt")
    assert "nichts geändert" in exc.value.message


def test_the_issues_attack_hpke_key_and_id_swapped_together(
    genuine: dict[str, Any], keys: PendingKeys, pin: str
) -> None:
    attacker = identity.generate_key().public_key()
    doc = copy.deepcopy(genuine)
    doc["statement"]["hpke_public_key"] = identity.public_key_to_pem(attacker).decode()
    doc["statement"]["hpke_key_id"] = identity.key_id(attacker)
    with pytest.raises(CryptoError, match="Signatur passt nicht"):
        complete_offline(keys, _bytes(doc), pin)


def test_fields_outside_the_statement_are_not_trusted(
    genuine: dict[str, Any], keys: PendingKeys, pin: str
) -> None:
    """The old flat fields of the unsigned format change nothing."""
    doc = copy.deepcopy(genuine)
    doc["hpke_public_key"] = _other_pem()
    doc["url"] = "https://attacker.example"
    creds = complete_offline(keys, _bytes(doc), pin)
    assert creds.backend_url == URL
    assert identity.public_key_to_pem(creds.hpke_public).decode() != doc["hpke_public_key"]


@pytest.mark.parametrize(
    "strip", ["signature", "statement", "ca_cert", "client_cert", "v", "all-but-flat"]
)
def test_unsigned_or_incomplete_response_is_refused(
    genuine: dict[str, Any], keys: PendingKeys, pin: str, strip: str, backend: Backend
) -> None:
    doc = copy.deepcopy(genuine)
    if strip == "all-but-flat":
        # the unsigned format the back end wrote before: flat fields, no signature
        doc = {
            "kind": "koffer-enrollment-response",
            "url": URL,
            **{k: v for k, v in doc["statement"].items() if k != "v"},
            **backend.intake.public_material(),
            "client_cert": doc["client_cert"],
        }
    else:
        del doc[strip]
    with pytest.raises(CryptoError, match="abgelehnt"):
        complete_offline(keys, _bytes(doc), pin)


def test_signature_bytes_flipped_is_refused(
    genuine: dict[str, Any], keys: PendingKeys, pin: str
) -> None:
    doc = copy.deepcopy(genuine)
    sig = doc["signature"]
    doc["signature"] = ("A" if sig[0] != "A" else "B") + sig[1:]
    with pytest.raises(CryptoError, match="abgelehnt"):
        complete_offline(keys, _bytes(doc), pin)


def _forged(genuine: dict[str, Any], *, include_statement_pin: bool) -> dict[str, Any]:
    """The whole response re-made and signed by an attacker's own CA."""
    ca_key, ca_cert = tls.create_ca("Buergerservice-Koffer Gegenstelle CA")
    ca_pem = tls.cert_to_pem(ca_cert)
    st = dict(genuine["statement"])
    st.pop("v")
    if include_statement_pin:
        st["ca_sha256"] = tls.fingerprint(ca_pem)
    attacker = identity.generate_key().public_key()
    st["hpke_public_key"] = identity.public_key_to_pem(attacker).decode()
    st["hpke_key_id"] = identity.key_id(attacker)
    return sign_response(ca_key, ca_pem, genuine["client_cert"].encode(), EnrollmentStatement(**st))


@pytest.mark.parametrize("include_statement_pin", [True, False])
def test_response_signed_by_another_ca_is_refused(
    genuine: dict[str, Any], keys: PendingKeys, pin: str, include_statement_pin: bool
) -> None:
    doc = _forged(genuine, include_statement_pin=include_statement_pin)
    with pytest.raises(CryptoError, match="Fingerabdruck des CA-Zertifikats"):
        complete_offline(keys, _bytes(doc), pin)


def test_another_cas_certificate_with_the_genuine_signature_is_refused(
    genuine: dict[str, Any], keys: PendingKeys, pin: str
) -> None:
    doc = copy.deepcopy(genuine)
    _key, other = tls.create_ca("Buergerservice-Koffer Gegenstelle CA")
    doc["ca_cert"] = tls.cert_to_pem(other).decode()
    with pytest.raises(CryptoError, match="Fingerabdruck"):
        complete_offline(keys, _bytes(doc), pin)


def test_client_certificate_from_another_ca_is_refused(
    genuine: dict[str, Any], keys: PendingKeys, pin: str, backend: Backend
) -> None:
    """Even signed by the genuine CA, a statement naming a foreign certificate fails."""
    other_key, other_ca = tls.create_ca("Fremde CA")
    st = dict(genuine["statement"])
    cert = tls.sign_csr(other_key, other_ca, tls.make_csr(keys.tls_key, "x"), st["device_id"])
    cert_pem = tls.cert_to_pem(cert)
    st.pop("v")
    st["client_cert_sha256"] = tls.fingerprint(cert_pem)
    k = backend.intake.keys
    doc = sign_response(k.ca_key, k.ca_pem, cert_pem, EnrollmentStatement(**st))
    with pytest.raises(CryptoError, match="Gerätezertifikat"):
        complete_offline(keys, _bytes(doc), pin)


def test_swapped_client_certificate_is_refused(
    genuine: dict[str, Any], keys: PendingKeys, pin: str, backend: Backend
) -> None:
    """A certificate of the same CA for another device does not match the statement."""
    other = PendingKeys.generate()
    theirs = json.loads(backend.enroll_offline("anderer", offline_request(other, "anderer")))
    doc = copy.deepcopy(genuine)
    doc["client_cert"] = theirs["client_cert"]
    with pytest.raises(CryptoError, match="abgelehnt"):
        complete_offline(keys, _bytes(doc), pin)


def test_response_to_another_request_is_refused(genuine: dict[str, Any], pin: str) -> None:
    with pytest.raises(CryptoError, match="gehört nicht zu diesem Koffer"):
        complete_offline(PendingKeys.generate(), _bytes(genuine), pin)


def test_expired_response_is_refused(genuine: dict[str, Any], keys: PendingKeys, pin: str) -> None:
    later = datetime.now(UTC) + OFFLINE_VALIDITY + timedelta(days=1)
    with pytest.raises(CryptoError, match="abgelaufen"):
        complete_offline(keys, _bytes(genuine), pin, now=later)


def test_a_laptop_clock_somewhat_behind_is_tolerated(
    genuine: dict[str, Any], keys: PendingKeys, pin: str
) -> None:
    earlier = datetime.now(UTC) - timedelta(minutes=50)
    assert complete_offline(keys, _bytes(genuine), pin, now=earlier).backend_url == URL
    with pytest.raises(CryptoError):
        complete_offline(keys, _bytes(genuine), pin, now=earlier - timedelta(hours=1))


def test_online_urls_must_be_the_tokens(
    backend: Backend, keys: PendingKeys, pin: str, genuine: dict[str, Any]
) -> None:
    issued = {
        "device_id": genuine["statement"]["device_id"],
        "name": "k",
        "client_cert": genuine["client_cert"],
    }
    signing = identity.public_key_to_pem(keys.signing_key.public_key())
    doc = signed_response(
        backend.intake.keys,
        issued,
        signing_key_pem=signing,
        url="https://127.0.0.1:9443",
        enroll_url="https://127.0.0.1:9444",
        validity=timedelta(hours=1),
    )
    ok = verified_credentials(
        doc, keys, ca_sha256=pin, urls=("https://127.0.0.1:9443", "https://127.0.0.1:9444")
    )
    assert ok.backend_url == "https://127.0.0.1:9443"
    with pytest.raises(CryptoError, match="andere Adresse"):
        verified_credentials(
            doc, keys, ca_sha256=pin, urls=("https://attacker:9443", "https://127.0.0.1:9444")
        )


@pytest.mark.parametrize("value", [None, "", "  "])
def test_offline_without_fingerprint_is_refused(
    genuine: dict[str, Any], keys: PendingKeys, value: str | None
) -> None:
    with pytest.raises(ConfigError, match="--ca-sha256 nötig"):
        complete_offline(keys, _bytes(genuine), value)


def test_malformed_fingerprint_is_refused(genuine: dict[str, Any], keys: PendingKeys) -> None:
    with pytest.raises(ConfigError, match="64 Hexadezimalzeichen"):
        complete_offline(keys, _bytes(genuine), "xyz")


def test_not_json_is_refused(keys: PendingKeys, pin: str) -> None:
    with pytest.raises(CryptoError, match="keine gültige Antwort"):
        complete_offline(keys, b"\xff\xfe not json", pin)
