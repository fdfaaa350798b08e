"""Sealed envelopes and receipts: round trip, tampering, determinism."""

from __future__ import annotations

import pytest

from koffer.crypto import identity, receipts, sealing
from koffer.errors import CryptoError

CASE = {"case_type": "personalausweis", "persons": [{"family_name": "Nœl Schmidt-Strauß"}]}


def _payload() -> sealing.Payload:
    return sealing.Payload(
        schema_version=1,
        case=CASE,
        attachments=sealing.attachments_from(
            [
                ("photo", "image/jpeg", b"\xff\xd8" + bytes(range(256)) * 10),
                ("fingerprint-left-index", "image/x-wsq", b"WSQ1" * 100),
                ("fingerprint-right-index", "image/x-wsq", b"WSQ2" * 100),
                ("signature", "image/png", b"\x89PNG" + b"\x00" * 50),
            ]
        ),
    )


@pytest.fixture(scope="module")
def keys() -> dict[str, identity.PrivateKey]:
    return {
        "device": identity.generate_key(),
        "backend": identity.generate_key(),
        "other": identity.generate_key(),
        "receipt": identity.generate_key(),
    }


def _seal(keys: dict[str, identity.PrivateKey]) -> sealing.SealedEnvelope:
    return sealing.seal(
        _payload(),
        case_type="personalausweis",
        device_id="dev-1",
        signing_key=keys["device"],
        recipient_key=keys["backend"].public_key(),
    )


def test_payload_is_canonical_and_round_trips() -> None:
    a = sealing.encode_payload(_payload())
    reordered = sealing.Payload(1, dict(reversed(list(CASE.items()))), _payload().attachments[::-1])
    assert sealing.encode_payload(reordered) == a
    back = sealing.decode_payload(a)
    assert back.case == CASE
    assert back.attachment("photo").data == _payload().attachment("photo").data
    assert [x.name for x in back.attachments] == sorted(x.name for x in _payload().attachments)


def test_payload_refuses_corruption() -> None:
    data = bytearray(sealing.encode_payload(_payload()))
    data[-1] ^= 1
    with pytest.raises(CryptoError, match="beschädigt"):
        sealing.decode_payload(bytes(data))
    with pytest.raises(CryptoError):
        sealing.decode_payload(bytes(data) + b"x")


def test_seal_open_round_trip(keys: dict[str, identity.PrivateKey]) -> None:
    sealed = _seal(keys)
    env = sealing.parse_envelope(sealed.data)
    assert env.header.device_id == "dev-1"
    assert env.header.key_id == identity.key_id(keys["backend"].public_key())
    sealing.verify_envelope(env, keys["device"].public_key())
    kid = env.header.key_id
    payload, digest = sealing.open_envelope(env, {kid: keys["backend"]})
    assert payload.case == CASE
    assert digest == sealed.payload_hash
    # no personal data in the clear on the wire
    assert b"Schmidt" not in sealed.data


def test_wrong_device_key_is_refused(keys: dict[str, identity.PrivateKey]) -> None:
    env = sealing.parse_envelope(_seal(keys).data)
    with pytest.raises(CryptoError, match="Signatur"):
        sealing.verify_envelope(env, keys["other"].public_key())


def test_tampered_ciphertext(keys: dict[str, identity.PrivateKey]) -> None:
    data = bytearray(_seal(keys).data)
    data[-5] ^= 0x40
    env = sealing.parse_envelope(bytes(data))
    with pytest.raises(CryptoError, match="Signatur"):
        sealing.verify_envelope(env, keys["device"].public_key())
    # even a re-signed tampered ciphertext does not decrypt
    resigned = sealing.Envelope(
        env.header,
        env.header_bytes,
        identity.sign(keys["device"], sealing.SIGNATURE_LABEL, env.signed_bytes()),
        env.ciphertext,
    )
    sealing.verify_envelope(resigned, keys["device"].public_key())
    with pytest.raises(CryptoError, match="entschlüsselt"):
        sealing.open_envelope(resigned, {env.header.key_id: keys["backend"]})


def test_tampered_header_breaks_binding(keys: dict[str, identity.PrivateKey]) -> None:
    env = sealing.parse_envelope(_seal(keys).data)
    forged_header = sealing.EnvelopeHeader(
        envelope_id=env.header.envelope_id,
        device_id=env.header.device_id,
        case_type="anmeldung",
        created=env.header.created,
        schema_version=env.header.schema_version,
        key_id=env.header.key_id,
    )
    hb = forged_header.to_bytes()
    forged = sealing.Envelope(forged_header, hb, env.signature, env.ciphertext)
    with pytest.raises(CryptoError):
        sealing.verify_envelope(forged, keys["device"].public_key())
    # a signature fixed up by an attacker holding a device key still fails the HPKE binding
    resigned = sealing.Envelope(
        forged_header,
        hb,
        identity.sign(keys["device"], sealing.SIGNATURE_LABEL, forged.signed_bytes()),
        env.ciphertext,
    )
    with pytest.raises(CryptoError, match="entschlüsselt"):
        sealing.open_envelope(
            sealing.parse_envelope(resigned.to_bytes()), {env.header.key_id: keys["backend"]}
        )


def test_unknown_key_id(keys: dict[str, identity.PrivateKey]) -> None:
    env = sealing.parse_envelope(_seal(keys).data)
    other = keys["other"]
    with pytest.raises(CryptoError, match="unbekannten Schlüssel"):
        sealing.open_envelope(env, {identity.key_id(other.public_key()): other})


def test_rotation_old_key_still_opens(keys: dict[str, identity.PrivateKey]) -> None:
    env = sealing.parse_envelope(_seal(keys).data)
    ring = {
        identity.key_id(keys["other"].public_key()): keys["other"],
        identity.key_id(keys["backend"].public_key()): keys["backend"],
    }
    payload, _ = sealing.open_envelope(env, ring)
    assert payload.case == CASE


def test_garbage_is_refused_cleanly() -> None:
    for data in (b"", b"KOFE", b"KOFE\x01\x00\x00\x00\x05{}{}{", b"nonsense" * 20):
        with pytest.raises(CryptoError):
            sealing.parse_envelope(data)


def test_receipt_round_trip_and_checks(keys: dict[str, identity.PrivateKey]) -> None:
    sealed = _seal(keys)
    rec = receipts.issue(
        keys["receipt"],
        envelope_id=sealed.envelope_id,
        envelope_hash=sealed.envelope_hash,
        payload_hash=sealed.payload_hash,
        received_at="2025-01-02T03:04:05Z",
    )
    parsed = receipts.parse(rec.to_bytes())
    pub = keys["receipt"].public_key()
    receipts.verify(
        parsed,
        pub,
        envelope_id=sealed.envelope_id,
        envelope_hash=sealed.envelope_hash,
        payload_hash=sealed.payload_hash,
    )
    with pytest.raises(CryptoError, match="Empfangsbestätigung"):
        receipts.verify(parsed, pub, envelope_id=sealed.envelope_id, envelope_hash="00" * 32)
    with pytest.raises(CryptoError):
        receipts.verify(
            parsed,
            keys["other"].public_key(),
            envelope_id=sealed.envelope_id,
            envelope_hash=sealed.envelope_hash,
        )
    forged = receipts.Receipt(
        parsed.envelope_id,
        parsed.envelope_hash,
        parsed.payload_hash,
        "2030-01-01T00:00:00Z",
        parsed.receipt_key_id,
        parsed.signature,
    )
    with pytest.raises(CryptoError):
        receipts.verify(
            forged, pub, envelope_id=sealed.envelope_id, envelope_hash=sealed.envelope_hash
        )
    with pytest.raises(CryptoError):
        receipts.parse(b"{not json")
