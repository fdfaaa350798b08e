"""TLS material for the back end's own CA and the suitcases' client certificates.

- The back end owns a private CA (ECDSA P-256). It issues its own server
  certificate and, at enrollment, one client certificate per suitcase whose
  subject common name is the device id.
- Suitcases trust *only* that CA (pinned by its SHA-256 fingerprint in the
  enrollment token); no system trust store is loaded.
- Contexts follow BSI TR-02102-2: TLS 1.3 preferred; TLS 1.2 only with
  ECDHE + AES-GCM suites; nothing older. The TLS 1.3 suites cannot be set per
  context from Python: the process-wide OpenSSL policy of
  :mod:`koffer.crypto.tls_policy` restricts them (servers and clients alike),
  and :func:`unlisted_tls13_suites` tells whether it is in effect.

Private keys handed to :mod:`ssl` must be files. :func:`load_client_chain`
writes the client key *encrypted* (PKCS#8, random one-time password) to a
private temporary file and removes it right after loading, so the key never
rests on disk in the clear.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import os
import secrets
import ssl
import tempfile
from collections.abc import Sequence

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from koffer.crypto import identity, tls_policy
from koffer.errors import CryptoError

#: TLS 1.2 suites allowed by TR-02102-2 (OpenSSL names), set on every context
TLS12_CIPHERS = ":".join(
    [
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES128-GCM-SHA256",
    ]
)

#: TLS 1.3 suites listed by TR-02102-2 (IANA names); enforced by the OpenSSL policy
TLS13_SUITES: frozenset[str] = tls_policy.ALLOWED_TLS13_SUITES

_VALIDITY_CA = dt.timedelta(days=3650)
_VALIDITY_LEAF = dt.timedelta(days=825)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Buergerservice-Koffer"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def cert_to_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def cert_from_pem(data: bytes) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(data)
    except ValueError as exc:
        raise CryptoError(
            "Ein Zertifikat ist beschädigt.", message_en="A certificate is damaged."
        ) from exc


def fingerprint(cert_pem_or_der: bytes) -> str:
    """SHA-256 fingerprint (hex, lowercase) over the certificate's DER."""
    der = (
        cert_from_pem(cert_pem_or_der).public_bytes(serialization.Encoding.DER)
        if cert_pem_or_der.lstrip().startswith(b"-----")
        else cert_pem_or_der
    )
    return hashlib.sha256(der).hexdigest()


def create_ca(common_name: str) -> tuple[identity.PrivateKey, x509.Certificate]:
    key = identity.generate_key()
    name = _name(common_name)
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + _VALIDITY_CA)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _leaf(
    ca_key: identity.PrivateKey,
    ca_cert: x509.Certificate,
    public_key: ec.EllipticCurvePublicKey,
    common_name: str,
    usage: x509.ObjectIdentifier,
    sans: Sequence[x509.GeneralName] = (),
) -> x509.Certificate:
    now = _now()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + _VALIDITY_LEAF)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
    )
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(list(sans)), critical=False)
    return builder.sign(ca_key, hashes.SHA256())


def issue_server_cert(
    ca_key: identity.PrivateKey,
    ca_cert: x509.Certificate,
    hostnames: Sequence[str],
) -> tuple[identity.PrivateKey, x509.Certificate]:
    """A server key + certificate valid for ``hostnames`` (DNS names or IP addresses)."""
    key = identity.generate_key()
    sans: list[x509.GeneralName] = []
    for host in hostnames:
        try:
            sans.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            sans.append(x509.DNSName(host))
    cert = _leaf(
        ca_key, ca_cert, key.public_key(), hostnames[0], ExtendedKeyUsageOID.SERVER_AUTH, sans
    )
    return key, cert


def make_csr(key: identity.PrivateKey, common_name: str) -> bytes:
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(_name(common_name))
        .sign(key, hashes.SHA256())
    )
    return csr.public_bytes(serialization.Encoding.PEM)


def sign_csr(
    ca_key: identity.PrivateKey, ca_cert: x509.Certificate, csr_pem: bytes, device_id: str
) -> x509.Certificate:
    """A client certificate for ``device_id`` from a CSR (its subject is ignored)."""
    try:
        csr = x509.load_pem_x509_csr(csr_pem)
    except ValueError as exc:
        raise CryptoError(
            "Die Zertifikatsanforderung ist beschädigt.",
            message_en="The certificate signing request is damaged.",
        ) from exc
    public = csr.public_key()
    if not csr.is_signature_valid or not isinstance(public, ec.EllipticCurvePublicKey):
        raise CryptoError(
            "Die Zertifikatsanforderung ist ungültig (Signatur oder Schlüsseltyp).",
            message_en="The certificate signing request is invalid.",
        )
    if not isinstance(public.curve, ec.SECP256R1):
        raise CryptoError(
            "Die Zertifikatsanforderung verwendet eine nicht zugelassene Kurve.",
            message_en="The CSR uses a curve that is not allowed.",
        )
    return _leaf(ca_key, ca_cert, public, device_id, ExtendedKeyUsageOID.CLIENT_AUTH)


def common_name(cert_der_or_pem: bytes) -> str:
    cert = (
        cert_from_pem(cert_der_or_pem)
        if cert_der_or_pem.lstrip().startswith(b"-----")
        else x509.load_der_x509_certificate(cert_der_or_pem)
    )
    values = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else ""


def _harden(ctx: ssl.SSLContext) -> ssl.SSLContext:
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers(TLS12_CIPHERS)
    ctx.options |= ssl.OP_NO_COMPRESSION
    return ctx


def tls13_suites(ctx: ssl.SSLContext) -> frozenset[str]:
    """The TLS 1.3 suites ``ctx`` offers."""
    return frozenset(c["name"] for c in ctx.get_ciphers() if c.get("protocol") == "TLSv1.3")


def unlisted_tls13_suites(ctx: ssl.SSLContext) -> frozenset[str]:
    """TLS 1.3 suites ``ctx`` offers that TR-02102-2 does not list (empty: policy in effect)."""
    return tls13_suites(ctx) - TLS13_SUITES


def load_client_chain(ctx: ssl.SSLContext, cert_pem: bytes, key: identity.PrivateKey) -> None:
    """Load a client certificate + key without ever writing the key unencrypted."""
    password = secrets.token_bytes(32)
    encrypted = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password),
    )
    fd, path = tempfile.mkstemp(prefix="koffer-tls-", suffix=".pem")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(cert_pem + encrypted)
        ctx.load_cert_chain(path, password=password)
    finally:
        os.unlink(path)


def client_context(
    ca_pem: bytes,
    *,
    client_cert_pem: bytes | None = None,
    client_key: identity.PrivateKey | None = None,
) -> ssl.SSLContext:
    """A client context that trusts only ``ca_pem`` and checks the host name.

    It offers the TLS 1.3 suites of TR-02102-2 only when the OpenSSL policy
    (:mod:`koffer.crypto.tls_policy`) is in effect in this process.
    """
    ctx = _harden(ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(cadata=ca_pem.decode("ascii"))
    if client_cert_pem is not None and client_key is not None:
        load_client_chain(ctx, client_cert_pem, client_key)
    return ctx


def server_context(cert_file: str, key_file: str, *, client_ca_pem: bytes | None) -> ssl.SSLContext:
    """A server context; with ``client_ca_pem`` a client certificate is REQUIRED."""
    ctx = _harden(ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER))
    ctx.load_cert_chain(cert_file, key_file)
    if client_ca_pem is not None:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(cadata=client_ca_pem.decode("ascii"))
    else:
        ctx.verify_mode = ssl.CERT_NONE
    return ctx
