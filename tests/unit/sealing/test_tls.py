"""Certificates for the back end's own CA."""

from __future__ import annotations

import ssl

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from koffer.crypto import identity, tls
from koffer.errors import CryptoError


def test_csr_to_client_cert_names_the_device() -> None:
    ca_key, ca_cert = tls.create_ca("Test CA")
    key = identity.generate_key()
    cert = tls.sign_csr(ca_key, ca_cert, tls.make_csr(key, "ignored"), "device-42")
    pem = tls.cert_to_pem(cert)
    assert tls.common_name(pem) == "device-42"
    assert tls.fingerprint(pem) == tls.fingerprint(cert.public_bytes(Encoding.DER))
    ctx = tls.client_context(tls.cert_to_pem(ca_cert), client_cert_pem=pem, client_key=key)
    assert ctx.minimum_version == ssl.TLSVersion.TLSv1_2
    assert ctx.verify_mode == ssl.CERT_REQUIRED


def test_bad_csr_refused() -> None:
    ca_key, ca_cert = tls.create_ca("Test CA")
    with pytest.raises(CryptoError, match="Zertifikatsanforderung"):
        tls.sign_csr(ca_key, ca_cert, b"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n", "d")


def test_tls12_suites_are_tr02102() -> None:
    ctx = tls.client_context(tls.cert_to_pem(tls.create_ca("x")[1]))
    names = {c["name"] for c in ctx.get_ciphers() if c["protocol"] == "TLSv1.2"}
    assert names and all("GCM" in n and n.startswith("ECDHE") for n in names)
