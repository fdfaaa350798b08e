"""Envelope ids are unique per device; token redemption is atomic; Date on every answer."""

from __future__ import annotations

import email.utils
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from koffer.backend import export as export_module
from koffer.backend.server import Backend, BackendServer
from koffer.commands import cli
from koffer.crypto import identity, sealing, tls
from koffer.crypto.enrollment import DeviceCredentials
from koffer.enrollment.enroll import enroll_online
from koffer.queue.transmitter import Transmitter

CASE = {"case_type": "anmeldung", "persons": []}


def _seal(creds: DeviceCredentials, **kw: object) -> sealing.SealedEnvelope:
    args: dict[str, object] = {
        "case_type": "anmeldung",
        "device_id": creds.device_id,
        "signing_key": creds.signing_key,
        "recipient_key": creds.hpke_public,
    }
    args.update(kw)
    return sealing.seal(sealing.Payload(1, CASE, ()), **args)  # type: ignore[arg-type]


def test_id_taken_by_another_device_blocks_nobody(
    creds: DeviceCredentials, backend: Backend, server: BackendServer, tmp_path: Path
) -> None:
    other = enroll_online(
        backend.enrollment_token("koffer-2", url=server.url, enroll_url=server.enroll_url)
    )
    taken = _seal(other)
    own = _seal(creds, envelope_id=taken.envelope_id)
    with Transmitter(other) as tx_b, Transmitter(creds) as tx_a:
        first = tx_b.send(taken.envelope_id, taken.data, taken.payload_hash)
        mine = tx_a.send(own.envelope_id, own.data, own.payload_hash)
        # replays stay idempotent per device
        assert tx_a.send(own.envelope_id, own.data, own.payload_hash) == mine
        assert tx_b.send(taken.envelope_id, taken.data, taken.payload_hash) == first
    assert first.payload_hash == taken.payload_hash
    assert mine.payload_hash == own.payload_hash
    stats = backend.intake.stats()
    assert stats["total"] == 2
    assert stats["by_device"] == {"koffer-1": 1, "koffer-2": 1}
    # both reach the registry software: the second gets its device in the file name
    headers = export_module.export_cases(
        backend.intake.sessions, backend.intake.keys, tmp_path / "export", retention_days=0
    )
    assert len(headers) == 2
    names = sorted(p.name for p in (tmp_path / "export").glob("*.json"))
    assert len(names) == 2 and f"{taken.envelope_id}.json" in names


def _csr_request(name: str) -> dict[str, str]:
    tls_key = identity.generate_key()
    return {
        "csr": tls.make_csr(tls_key, name).decode(),
        "signing_key": identity.public_key_to_pem(identity.generate_key().public_key()).decode(),
    }


def test_concurrent_redemptions_of_one_token(backend: Backend, server: BackendServer) -> None:
    """12 suitcases redeem one token at once: one device, eleven clear 409s, no 500."""
    token = backend.enrollment_token("koffer-9", url=server.url, enroll_url=server.enroll_url)
    ca = tls.client_context(backend.intake.public_material()["ca_cert"].encode())
    barrier = threading.Barrier(12)
    answers: list[httpx.Response] = []
    lock = threading.Lock()

    def redeem() -> None:
        body = {
            "secret": token.secret,
            "url": server.url,
            "enroll_url": server.enroll_url,
            **_csr_request("koffer-9"),
        }
        with httpx.Client(base_url=server.enroll_url, verify=ca, trust_env=False) as http:
            barrier.wait()
            answer = http.post("/enroll/v1/device", json=body, timeout=60)
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=redeem) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] + [409] * 11, statuses
    for answer in answers:
        if answer.status_code == 409:
            assert answer.json()["code"] == "token_used"
            assert "bereits" in answer.json()["message"]
    stats = backend.intake.stats()
    assert stats["devices"]["enrolled"] == 1


def test_every_answer_has_a_correct_date_header(
    creds: DeviceCredentials, server: BackendServer
) -> None:
    """The suitcase compares its clock with ``Date``: present on success and refusal."""
    ctx = tls.client_context(
        creds.ca_pem, client_cert_pem=creds.client_cert_pem, client_key=creds.tls_key
    )
    with httpx.Client(base_url=server.url, verify=ctx, trust_env=False) as http:
        answers = [
            http.get("/v1/health"),
            http.get("/v1/keys"),
            http.put("/v1/envelopes/not-an-id", content=b"x"),
            http.put(f"/v1/envelopes/{sealing.new_envelope_id()}", content=b"KOFE"),
            http.get("/nowhere"),
        ]
    for answer in answers:
        stamp = email.utils.parsedate_to_datetime(answer.headers["date"])
        assert stamp.tzinfo is not None
        # generous: the clock of this very machine, not a timing measurement
        assert abs(stamp - datetime.now(UTC)) < timedelta(minutes=2)
    assert [a.status_code for a in answers] == [200, 200, 400, 400, 404]


@pytest.mark.parametrize(
    ("created", "reason"),
    [
        ("2000-01-01T00:00:00Z", "before_enrollment"),
        ("2099-01-01T00:00:00Z", "future"),
        (None, None),
    ],
)
def test_implausible_creation_time_is_flagged(
    creds: DeviceCredentials,
    backend: Backend,
    backend_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    created: str | None,
    reason: str | None,
) -> None:
    """Accepted (refusing would strand the case) but counted in stats and marked for export."""
    kw: dict[str, object] = {} if created is None else {"created": created}
    sealed = _seal(creds, **kw)
    with Transmitter(creds) as tx:
        tx.send(sealed.envelope_id, sealed.data, sealed.payload_hash)
    stats = backend.intake.stats()
    assert stats["total"] == 1
    assert stats["implausible_created"] == ({} if reason is None else {reason: 1})
    headers = export_module.export_cases(
        backend.intake.sessions, backend.intake.keys, tmp_path / "export", retention_days=0
    )
    assert [h["erstellungszeitUnplausibel"] for h in headers] == [reason is not None]
    capsys.readouterr()
    assert cli.main(["backend", "stats", "--data-dir", str(backend_dir)]) == 0
    shown = capsys.readouterr().out
    expected = {
        "before_enrollment": "Erstellungszeit unplausibel (vor der Einrichtung des Geräts): 1",
        "future": "Erstellungszeit unplausibel (in der Zukunft): 1",
    }
    if reason is None:
        assert "unplausibel" not in shown
    else:
        assert expected[reason] in shown
