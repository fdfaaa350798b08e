"""A wrong suitcase clock is named as such, not as "nicht erreichbar".

A real TLS server on loopback (``http.server`` behind the project's server
context, client certificate required) presents a certificate signed by the
back end's CA whose validity period is placed relative to the real time, and
answers with a ``Date`` header of the "true" time. OpenSSL checks the
certificate against the real clock, which the test takes as the suitcase's
clock (injected into the transmitter), so each case is a consistent world in
which the suitcase's clock is off.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from koffer.backend.keystore import BackendDir
from koffer.backend.server import Backend, BackendServer
from koffer.crypto import identity, tls
from koffer.crypto.enrollment import DeviceCredentials
from koffer.enrollment import device
from koffer.errors import FatalTransmissionError
from koffer.queue.clockskew import ClockSkewError
from koffer.queue.models import SEALED
from koffer.queue.outbox import Outbox
from koffer.queue.transmitter import Transmitter
from koffer.store.unlocked import UnlockedStore
from tests.integration.transmission.conftest import add_case


def _server_cert(
    backend_dir: Path, out: Path, not_before: dt.datetime, not_after: dt.datetime
) -> tuple[str, str]:
    keys = BackendDir(backend_dir).keys()
    ca = tls.cert_from_pem(keys.ca_pem)
    key = identity.generate_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(keys.ca_key, hashes.SHA256())
    )
    cert_file, key_file = out / "server.pem", out / "server.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM) + keys.ca_pem)
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_file.chmod(0o600)
    return str(cert_file), str(key_file)


@contextmanager
def tls_server(
    backend_dir: Path,
    tmp: Path,
    *,
    not_before: dt.datetime,
    not_after: dt.datetime,
    true_time: dt.datetime | None,
) -> Iterator[str]:
    """A loopback HTTPS server; ``true_time`` None: it closes without an answer."""
    cert_file, key_file = _server_cert(backend_dir, tmp, not_before, not_after)
    ca_pem = BackendDir(backend_dir).keys().ca_pem
    ctx = tls.server_context(cert_file, key_file, client_ca_pem=ca_pem)
    offset = None if true_time is None else true_time - dt.datetime.now(dt.UTC)

    class Handler(BaseHTTPRequestHandler):
        def handle(self) -> None:
            if offset is None:
                return  # TLS done, no HTTP answer
            super().handle()

        def date_time_string(self, timestamp: float | None = None) -> str:
            assert offset is not None
            return format_datetime(dt.datetime.now(dt.UTC) + offset, usegmt=True)

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def _send_error(creds: DeviceCredentials, url: str, now: dt.datetime) -> FatalTransmissionError:
    with Transmitter(creds, base_url=url, clock=lambda: now) as tx:
        with pytest.raises(FatalTransmissionError) as caught:
            tx.send("00000000-0000-4000-8000-000000000000", b"x", None)
    assert "nicht erreichbar" not in caught.value.message
    return caught.value


def test_clock_ten_minutes_slow_is_named_and_the_case_stays_sealed(
    tmp_path: Path, backend_dir: Path, creds: DeviceCredentials, suitcase: UnlockedStore
) -> None:
    now = dt.datetime.now(dt.UTC)  # the suitcase's clock, and the one OpenSSL checks with
    true = now + dt.timedelta(minutes=10)
    with tls_server(
        backend_dir,
        tmp_path,
        not_before=true - dt.timedelta(minutes=1),  # the back end was just set up
        not_after=true + dt.timedelta(days=800),
        true_time=true,
    ) as url:
        err = _send_error(creds, url, now)
        assert isinstance(err, ClockSkewError)
        assert err.message.startswith("Die Uhr des Koffers geht um etwa 10 Minuten falsch")
        assert "(sie geht nach)" in err.message and "Datum und Uhrzeit" in err.message
        assert abs(err.skew + dt.timedelta(minutes=10)) < dt.timedelta(seconds=30)

        device.save_credentials(suitcase, creds)
        outbox = Outbox(suitcase, clock=lambda: now)
        outbox.seal_case(add_case(suitcase, "anmeldung", 1), creds)
        with Transmitter(creds, base_url=url, clock=lambda: now) as tx:
            report = outbox.sync_once(tx)
    assert report.stopped is not None and "Die Uhr des Koffers geht" in report.stopped
    (item,) = outbox.list()
    assert item.state == SEALED and item.has_envelope
    assert "Die Uhr des Koffers geht" in (item.last_error or "")


def test_clock_1100_days_fast_is_named(
    tmp_path: Path, backend_dir: Path, creds: DeviceCredentials
) -> None:
    now = dt.datetime.now(dt.UTC)
    true = now - dt.timedelta(days=1100)
    with tls_server(
        backend_dir,
        tmp_path,
        not_before=true - dt.timedelta(days=10),
        not_after=true + dt.timedelta(days=815),  # expired by the suitcase's clock
        true_time=true,
    ) as url:
        err = _send_error(creds, url, now)
    assert isinstance(err, ClockSkewError)
    assert err.message.startswith("Die Uhr des Koffers geht um etwa 1100 Tage falsch")
    assert "(sie geht vor)" in err.message


def test_without_an_answer_the_certificate_bounds_the_error(
    tmp_path: Path, backend_dir: Path, creds: DeviceCredentials
) -> None:
    now = dt.datetime.now(dt.UTC)
    with tls_server(
        backend_dir,
        tmp_path,
        not_before=now + dt.timedelta(minutes=9),
        not_after=now + dt.timedelta(days=800),
        true_time=None,
    ) as url:
        err = _send_error(creds, url, now)
    assert isinstance(err, ClockSkewError)
    assert err.message.startswith("Die Uhr des Koffers geht um mindestens 9 Minuten falsch")


def test_an_expired_certificate_with_a_right_clock_is_not_blamed_on_the_clock(
    tmp_path: Path, backend_dir: Path, creds: DeviceCredentials
) -> None:
    now = dt.datetime.now(dt.UTC)
    with tls_server(
        backend_dir,
        tmp_path,
        not_before=now - dt.timedelta(days=900),
        not_after=now - dt.timedelta(days=2),
        true_time=now,
    ) as url:
        err = _send_error(creds, url, now)
    assert not isinstance(err, ClockSkewError)
    assert "abgelaufen" in err.message and "die Uhr des Koffers geht richtig" in err.message
    assert "Fachadministration" in err.message


def test_date_header_of_the_real_back_end_is_compared(
    creds: DeviceCredentials, suitcase: UnlockedStore, server: BackendServer, backend: Backend
) -> None:
    device.save_credentials(suitcase, creds)
    with Transmitter(creds) as tx:
        assert tx.reachable()
        # uvicorn sends a Date header: the skew is known and small
        assert tx.clock_skew is not None and abs(tx.clock_skew) < dt.timedelta(seconds=5)
        assert tx.clock_warning() is None
    fast = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    outbox = Outbox(suitcase)
    outbox.seal_case(add_case(suitcase, "anmeldung", 1), creds)
    with Transmitter(creds, clock=lambda: fast) as tx:
        assert outbox.sync_once(tx).sent == 1  # a wrong clock does not stop sending
        warning = tx.clock_warning()
    assert warning is not None
    assert warning.message.startswith("Die Uhr des Koffers geht um etwa 10 Minuten falsch")
    assert "(sie geht vor)" in warning.message
