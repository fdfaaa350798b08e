"""Large request bodies go to a 0600 file in the data directory, deleted after; limits: 503."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx

from koffer.backend.app import IntakeLimits
from koffer.backend.server import Backend, BackendServer
from koffer.backend.validation import accept_any
from koffer.crypto import sealing, tls
from koffer.crypto.enrollment import DeviceCredentials
from koffer.enrollment.enroll import enroll_online

CASE = {"case_type": "anmeldung", "persons": []}


def _spool_files(spool: Path) -> list[tuple[str, int]]:
    """Files this process holds open under ``spool`` (name, mode), named or unnamed."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
            mode = os.fstat(int(fd)).st_mode
        except OSError:
            continue
        if target.startswith(str(spool) + "/") and stat.S_ISREG(mode):
            found.append((target, stat.S_IMODE(mode)))
    return found


def _client(creds: DeviceCredentials, url: str) -> httpx.Client:
    ctx = tls.client_context(
        creds.ca_pem, client_cert_pem=creds.client_cert_pem, client_key=creds.tls_key
    )
    return httpx.Client(base_url=url, verify=ctx, trust_env=False, timeout=60)


def _large(creds: DeviceCredentials, size: int) -> sealing.SealedEnvelope:
    blob = sealing.Attachment("signature.png", "image/png", os.urandom(size))
    return sealing.seal(
        sealing.Payload(1, CASE, (blob,)),
        case_type="anmeldung",
        device_id=creds.device_id,
        signing_key=creds.signing_key,
        recipient_key=creds.hpke_public,
    )


def test_large_body_is_spooled_to_a_private_file_and_deleted(backend_dir: Path) -> None:
    seen: list[list[tuple[str, int]]] = []
    spool = backend_dir / "spool"

    def recording(case: Mapping[str, Any], created: str) -> None:
        seen.append(_spool_files(spool))
        accept_any(case, created)

    backend = Backend.open(backend_dir, validator=recording)
    limits = IntakeLimits(spool_threshold=64 * 1024)
    with BackendServer(backend, limits=limits) as server:
        creds = enroll_online(
            backend.enrollment_token("k1", url=server.url, enroll_url=server.enroll_url)
        )
        small = _large(creds, 1000)
        big = _large(creds, 2 * 1024 * 1024)
        with _client(creds, server.url) as http:
            assert http.put(f"/v1/envelopes/{small.envelope_id}", content=small.data).is_success
            answer = http.put(f"/v1/envelopes/{big.envelope_id}", content=big.data)
        assert answer.status_code == 201
    assert seen[0] == []  # a small body stays in memory
    assert len(seen[1]) == 1 and seen[1][0][1] == 0o600
    assert stat.S_IMODE(spool.stat().st_mode) == 0o700
    assert list(spool.iterdir()) == []
    assert _spool_files(spool) == []
    backend.close()


def test_large_body_beyond_the_limit_gets_503_with_retry_after(backend_dir: Path) -> None:
    backend = Backend.open(backend_dir, validator=accept_any)
    limits = IntakeLimits(spool_threshold=64 * 1024, max_large_bodies=0, retry_after=17)
    with BackendServer(backend, limits=limits) as server:
        creds = enroll_online(
            backend.enrollment_token("k1", url=server.url, enroll_url=server.enroll_url)
        )
        big = _large(creds, 1024 * 1024)
        small = _large(creds, 1000)
        with _client(creds, server.url) as http:
            # declared large: refused; the body is read and dropped so the answer arrives
            answer = http.put(f"/v1/envelopes/{big.envelope_id}", content=big.data)
            assert answer.status_code == 503
            assert answer.headers["retry-after"] == "17"
            assert answer.json()["code"] == "busy"
            # streamed without a length: refused once it grows past the threshold
            chunks = iter([big.data[i : i + 8192] for i in range(0, len(big.data), 8192)])
            answer = http.put(f"/v1/envelopes/{big.envelope_id}", content=chunks)
            assert answer.status_code == 503 and answer.json()["code"] == "busy"
            # small envelopes keep flowing on the same connection
            assert http.put(f"/v1/envelopes/{small.envelope_id}", content=small.data).is_success
    assert backend.intake.stats()["total"] == 1
    backend.close()


def test_spool_that_cannot_be_written_is_503_not_500(backend_dir: Path) -> None:
    backend = Backend.open(backend_dir, validator=accept_any)
    with BackendServer(backend, limits=IntakeLimits(spool_threshold=64 * 1024)) as server:
        creds = enroll_online(
            backend.enrollment_token("k1", url=server.url, enroll_url=server.enroll_url)
        )
        shutil.rmtree(backend_dir / "spool")
        big = _large(creds, 1024 * 1024)
        with _client(creds, server.url) as http:
            answer = http.put(f"/v1/envelopes/{big.envelope_id}", content=big.data)
    assert answer.status_code == 503
    assert answer.json()["code"] == "storage_unavailable"
    backend.close()
