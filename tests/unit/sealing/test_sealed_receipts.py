"""A relay's sealed receipt (v2) next to the back end's receipt (v1)."""

from __future__ import annotations

import json

import pytest

from koffer.backend.relay_admin import gemeindeschluessel, tenant_name
from koffer.crypto import identity, receipts
from koffer.errors import ConfigError, CryptoError

ID = "0b7c2f4e-8d7a-4c1e-9f3b-2a6d5e4c3b2a"
HASH = "ab" * 32


def test_sealed_receipt_round_trip_and_verify() -> None:
    key = identity.generate_key()
    issued = receipts.issue_sealed(
        key, envelope_id=ID, envelope_hash=HASH, received_at="2026-12-04T00:00:00Z"
    )
    parsed = receipts.parse(issued.to_bytes())
    assert parsed == issued and parsed.sealed
    assert json.loads(issued.to_bytes())["body"]["stored"] == "sealed"
    # the suitcase passes its payload hash: a sealed receipt does not name one
    receipts.verify(parsed, key.public_key(), envelope_id=ID, envelope_hash=HASH, payload_hash="cd")
    with pytest.raises(CryptoError):
        receipts.verify(parsed, key.public_key(), envelope_id=ID, envelope_hash="cd" * 32)


def test_sealed_receipt_cannot_be_turned_into_another_kind() -> None:
    key = identity.generate_key()
    issued = receipts.issue_sealed(
        key, envelope_id=ID, envelope_hash=HASH, received_at="2026-12-04T00:00:00Z"
    )
    wire = json.loads(issued.to_bytes())
    # relabelled as v1 (with an invented payload hash): the signature no longer fits
    wire["body"] = {**wire["body"], "v": 1, "payload_hash": "ef" * 32}
    del wire["body"]["stored"]
    forged = receipts.parse(json.dumps(wire).encode())
    with pytest.raises(CryptoError):
        receipts.verify(forged, key.public_key(), envelope_id=ID, envelope_hash=HASH)
    # an extra field in a sealed body is refused by the parser
    extra = json.loads(issued.to_bytes())
    extra["body"]["payload_hash"] = "ef" * 32
    with pytest.raises(CryptoError):
        receipts.parse(json.dumps(extra).encode())


def test_v1_receipt_still_checks_the_payload_hash() -> None:
    key = identity.generate_key()
    issued = receipts.issue(
        key,
        envelope_id=ID,
        envelope_hash=HASH,
        payload_hash="cd" * 32,
        received_at="2026-12-04T00:00:00Z",
    )
    assert not issued.sealed
    parsed = receipts.parse(issued.to_bytes())
    receipts.verify(
        parsed, key.public_key(), envelope_id=ID, envelope_hash=HASH, payload_hash="cd" * 32
    )
    with pytest.raises(CryptoError):
        receipts.verify(
            parsed, key.public_key(), envelope_id=ID, envelope_hash=HASH, payload_hash="00" * 32
        )


@pytest.mark.parametrize("value", ["0916200", "091620001", "0916200a", "", "０９１６２０００"])
def test_gemeindeschluessel_is_eight_ascii_digits(value: str) -> None:
    with pytest.raises(ConfigError):
        gemeindeschluessel(value)


def test_valid_names_and_keys() -> None:
    assert gemeindeschluessel("09162000") == "09162000"
    assert tenant_name("musterdorf-2") == "musterdorf-2"
    for bad in ("Musterdorf", "-x", "a/b", "a" * 64, ""):
        with pytest.raises(ConfigError):
            tenant_name(bad)
