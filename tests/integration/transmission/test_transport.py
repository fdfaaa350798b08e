"""Envelopes over real mutual TLS on loopback: receipts and every refusal."""

from __future__ import annotations

import dataclasses

import pytest

from koffer.backend.keystore import BackendDir
from koffer.backend.server import Backend, BackendServer
from koffer.backend.validation import accept_any
from koffer.crypto import identity, sealing, tls
from koffer.crypto.enrollment import DeviceCredentials, EnrollmentToken
from koffer.enrollment.enroll import enroll_online
from koffer.errors import CryptoError, FatalTransmissionError, TransmissionError
from koffer.queue.transmitter import EnvelopeRejected, Transmitter

CASE = {"case_type": "anmeldung", "persons": []}


def _seal(creds: DeviceCredentials, **kw: object) -> sealing.SealedEnvelope:
    payload = sealing.Payload(
        1, CASE, sealing.attachments_from([("signature", "image/png", b"png" * 10)])
    )
    args: dict[str, object] = {
        "case_type": "anmeldung",
        "device_id": creds.device_id,
        "signing_key": creds.signing_key,
        "recipient_key": creds.hpke_public,
    }
    args.update(kw)
    return sealing.seal(payload, **args)  # type: ignore[arg-type]


def test_send_receipt_and_idempotent_replay(creds: DeviceCredentials, backend: Backend) -> None:
    sealed = _seal(creds)
    with Transmitter(creds) as tx:
        first = tx.send(sealed.envelope_id, sealed.data, sealed.payload_hash)
        again = tx.send(sealed.envelope_id, sealed.data, sealed.payload_hash)
    assert first.envelope_id == sealed.envelope_id
    assert first.payload_hash == sealed.payload_hash
    assert again == first
    stats = backend.intake.stats()
    assert stats["total"] == 1
    assert stats["by_device"] == {"koffer-1": 1}


def test_same_id_other_content_is_409(creds: DeviceCredentials) -> None:
    sealed = _seal(creds)
    other = _seal(creds, envelope_id=sealed.envelope_id)
    with Transmitter(creds) as tx:
        tx.send(sealed.envelope_id, sealed.data, sealed.payload_hash)
        with pytest.raises(EnvelopeRejected, match="anderer Inhalt") as info:
            tx.send(other.envelope_id, other.data, other.payload_hash)
    assert info.value.code == "conflict"


def test_wrong_server_certificate(creds: DeviceCredentials) -> None:
    _key, other_ca = tls.create_ca("Fremde CA")
    fake = dataclasses.replace(creds, ca_pem=tls.cert_to_pem(other_ca))
    sealed = _seal(creds)
    with Transmitter(fake) as tx, pytest.raises(FatalTransmissionError, match="nicht vertrauens"):
        tx.send(sealed.envelope_id, sealed.data, sealed.payload_hash)


def test_missing_client_certificate(creds: DeviceCredentials) -> None:
    sealed = _seal(creds)
    ctx = tls.client_context(creds.ca_pem)
    with Transmitter(creds, ssl_context=ctx) as tx:
        with pytest.raises(FatalTransmissionError, match="Geräte-Zertifikat"):
            tx.send(sealed.envelope_id, sealed.data, sealed.payload_hash)


def test_revoked_device(creds: DeviceCredentials, backend: Backend) -> None:
    backend.intake.revoke("koffer-1")
    sealed = _seal(creds)
    with Transmitter(creds) as tx, pytest.raises(FatalTransmissionError, match="gesperrt"):
        tx.send(sealed.envelope_id, sealed.data, sealed.payload_hash)
    assert backend.intake.stats()["total"] == 0


def test_tampered_ciphertext_and_header(creds: DeviceCredentials) -> None:
    sealed = _seal(creds)
    data = bytearray(sealed.data)
    data[-3] ^= 1
    with Transmitter(creds) as tx:
        with pytest.raises(EnvelopeRejected, match="Signatur") as info:
            tx.send(sealed.envelope_id, bytes(data), sealed.payload_hash)
        assert info.value.code == "bad_signature"
        header = sealed.data.replace(b'"case_type":"anmeldung"', b'"case_type":"abmeldung"')
        assert header != sealed.data
        with pytest.raises(EnvelopeRejected) as info:
            tx.send(sealed.envelope_id, header, sealed.payload_hash)
        assert info.value.code == "bad_signature"
        # the genuine envelope still goes through afterwards
        tx.send(sealed.envelope_id, sealed.data, sealed.payload_hash)


def test_unknown_key_id(creds: DeviceCredentials) -> None:
    sealed = _seal(creds, recipient_key=identity.generate_key().public_key())
    with Transmitter(creds) as tx, pytest.raises(EnvelopeRejected, match="unbekannten") as info:
        tx.send(sealed.envelope_id, sealed.data, sealed.payload_hash)
    assert info.value.code == "unknown_key"


def test_envelope_from_other_device_is_refused(creds: DeviceCredentials) -> None:
    sealed = _seal(creds, device_id="dev-0000000000000000")
    with Transmitter(creds) as tx, pytest.raises(FatalTransmissionError, match="anderen Gerät"):
        tx.send(sealed.envelope_id, sealed.data, sealed.payload_hash)


def test_enrollment_token_is_single_use_and_pinned(backend: Backend, server: BackendServer) -> None:
    token = backend.enrollment_token("koffer-2", url=server.url, enroll_url=server.enroll_url)
    wrong = dataclasses.replace(token, ca_sha256="0" * 64)
    with pytest.raises(CryptoError, match="unerwarteten Zertifikat"):
        enroll_online(wrong)
    enroll_online(token)
    with pytest.raises(TransmissionError, match="Einrichtungscode"):
        enroll_online(token)
    assert EnrollmentToken.decode(token.encode()) == token


def test_key_rotation_keeps_old_envelopes_valid(backend_dir, creds: DeviceCredentials) -> None:  # type: ignore[no-untyped-def]
    old = _seal(creds)
    new_kid = BackendDir(backend_dir).rotate_hpke_key()
    rotated = Backend.open(backend_dir, validator=accept_any)
    assert rotated.intake.public_material()["hpke_key_id"] == new_kid
    with BackendServer(rotated) as srv, Transmitter(creds, base_url=srv.url) as tx:
        receipt = tx.send(old.envelope_id, old.data, old.payload_hash)
    assert receipt.envelope_id == old.envelope_id
