"""A kept-alive connection dropped without an answer: the PUT is repeated once at once.

Behind a TCP load balancer a relay node that dies drops the connections it
served. The PUT is idempotent, so the transmitter sends it once more on a new
connection; a second drop is reported as before (a refused certificate is the
usual cause of a server closing without an answer).
"""

from __future__ import annotations

import httpx
import pytest

from koffer.crypto import identity, receipts, sealing, tls
from koffer.crypto.enrollment import DeviceCredentials
from koffer.errors import FatalTransmissionError
from koffer.queue.transmitter import Transmitter

URL = "https://relay.example:8443"
ENVELOPE_ID = "0b6f3c1e-8d8a-4a7e-9a52-6d7f4c2b9e10"
DATA = b"sealed envelope bytes"


def _creds(receipt_key: identity.PrivateKey) -> DeviceCredentials:
    ca_key, ca_cert = tls.create_ca("Test CA")
    tls_key = identity.generate_key()
    cert = tls.sign_csr(ca_key, ca_cert, tls.make_csr(tls_key, "k"), "dev-0001")
    hpke = identity.generate_key().public_key()
    return DeviceCredentials(
        device_id="dev-0001",
        name="koffer-1",
        backend_url=URL,
        ca_pem=tls.cert_to_pem(ca_cert),
        client_cert_pem=tls.cert_to_pem(cert),
        tls_key=tls_key,
        signing_key=identity.generate_key(),
        hpke_key_id=identity.key_id(hpke),
        hpke_public=hpke,
        receipt_public=receipt_key.public_key(),
    )


def _transmitter(drops: int) -> tuple[Transmitter, list[int]]:
    receipt_key = identity.generate_key()
    receipt = receipts.issue_sealed(
        receipt_key,
        envelope_id=ENVELOPE_ID,
        envelope_hash=sealing.sha256_hex(DATA),
        received_at="2026-12-04T03:00:00+00:00",
    )
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) <= drops:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
        return httpx.Response(201, content=receipt.to_bytes())

    tx = Transmitter(_creds(receipt_key))
    tx._client.close()
    tx._client = httpx.Client(base_url=URL, transport=httpx.MockTransport(handler))
    return tx, calls


def test_one_dropped_connection_is_sent_again_at_once() -> None:
    tx, calls = _transmitter(drops=1)
    with tx:
        receipt = tx.send(ENVELOPE_ID, DATA, None)
    assert receipt.envelope_id == ENVELOPE_ID and receipt.sealed
    assert len(calls) == 2


def test_two_drops_are_reported_as_before() -> None:
    tx, calls = _transmitter(drops=2)
    with tx, pytest.raises(FatalTransmissionError) as caught:
        tx.send(ENVELOPE_ID, DATA, None)
    assert "certificate" in caught.value.message_en
    assert len(calls) == 2
