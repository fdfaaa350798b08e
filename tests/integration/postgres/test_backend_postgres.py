"""The reference back end on a real PostgreSQL server.

``koffer backend serve --database-url postgresql+psycopg://...`` runs as its
own process; a suitcase identity enrolls over the pinned CA, sends sealed
envelopes over mutual TLS, gets verified receipts, replays idempotently and is
refused with 409 for other content under the same id. ``backend stats`` and
``backend export`` then work on the same database.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import xmlschema
from sqlalchemy import create_engine, inspect

from koffer.backend.export import SCHEMA_FILE
from koffer.cases.enums import CaseType
from koffer.cases.samples import sample_case
from koffer.cases.serialize import case_to_dict
from koffer.commands import cli
from koffer.crypto import sealing
from koffer.crypto.enrollment import DeviceCredentials, EnrollmentToken
from koffer.enrollment.enroll import enroll_online
from koffer.queue.outbox import media_type
from koffer.queue.transmitter import EnvelopeRejected, Transmitter

pytestmark = pytest.mark.postgres

_CLI = [
    sys.executable,
    "-c",
    "import sys; from koffer.commands.cli import main; sys.exit(main(sys.argv[1:]))",
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_listening(port: int, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"backend serve exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("backend serve did not start listening")


@pytest.fixture
def backend_dir(tmp_path: Path) -> tuple[Path, int, int]:
    port, enroll_port = _free_port(), _free_port()
    path = tmp_path / "backend"
    argv = ["backend", "init", "--data-dir", str(path)]
    argv += [
        "--url",
        f"https://127.0.0.1:{port}",
        "--enroll-url",
        f"https://127.0.0.1:{enroll_port}",
    ]
    assert cli.main(argv) == 0
    return path, port, enroll_port


@pytest.fixture
def served(backend_dir: tuple[Path, int, int], postgres_url: str) -> Iterator[tuple[Path, str]]:
    path, port, enroll_port = backend_dir
    proc = subprocess.Popen(
        [*_CLI, "backend", "serve", "--data-dir", str(path), "--database-url", postgres_url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_listening(port, proc)
        _wait_listening(enroll_port, proc)
        yield path, postgres_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


def _enroll(
    path: Path, url: str, name: str, capsys: pytest.CaptureFixture[str]
) -> DeviceCredentials:
    capsys.readouterr()
    argv = ["backend", "enroll-device", name, "--data-dir", str(path), "--database-url", url]
    assert cli.main(argv) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    return enroll_online(EnrollmentToken.decode(token))


def _seal(creds: DeviceCredentials, kind: CaseType, seed: int, **kw: str) -> sealing.SealedEnvelope:
    case = case_to_dict(sample_case(kind, seed, datetime.now(UTC).date()))
    names: list[str] = list(case.get("signature_attachments") or [])
    if kind is CaseType.PERSONALAUSWEIS:
        names += [case["photo"]["attachment"]] + [f["attachment"] for f in case["fingerprints"]]
    attachments = tuple(
        sealing.Attachment(n, media_type(n), n.encode() * 50 + bytes([seed % 256])) for n in names
    )
    return sealing.seal(
        sealing.Payload(1, case, attachments),
        case_type=kind.value,
        device_id=creds.device_id,
        signing_key=creds.signing_key,
        recipient_key=creds.hpke_public,
        **kw,
    )


def test_serve_on_postgres_end_to_end(
    served: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, url = served
    creds = _enroll(path, url, "koffer-pg", capsys)
    envelopes = [
        _seal(creds, CaseType.ANMELDUNG, 1),
        _seal(creds, CaseType.PERSONALAUSWEIS, 2),
        _seal(creds, CaseType.ABMELDUNG, 3),
    ]
    with Transmitter(creds) as tx:
        receipts = [tx.send(e.envelope_id, e.data, e.payload_hash) for e in envelopes]
        # idempotent replay: the very same receipt again
        again = tx.send(envelopes[0].envelope_id, envelopes[0].data, envelopes[0].payload_hash)
        assert again == receipts[0]
        # other content under a known id: 409, refused for good
        other = _seal(creds, CaseType.ANMELDUNG, 9, envelope_id=envelopes[0].envelope_id)
        with pytest.raises(EnvelopeRejected, match="anderer Inhalt") as info:
            tx.send(other.envelope_id, other.data, other.payload_hash)
        assert info.value.code == "conflict"
    for env, receipt in zip(envelopes, receipts, strict=True):
        assert receipt.envelope_id == env.envelope_id
        assert receipt.payload_hash == env.payload_hash

    # the rows really are in PostgreSQL (and nowhere else)
    assert not (path / "backend.db").exists()
    engine = create_engine(url)
    try:
        assert {"cases", "devices", "enrollment_tokens"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()

    capsys.readouterr()
    argv = ["backend", "stats", "--json", "--data-dir", str(path), "--database-url", url]
    assert cli.main(argv) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["total"] == 3
    assert stats["by_case_type"] == {"anmeldung": 1, "personalausweis": 1, "abmeldung": 1}
    assert stats["by_device"] == {"koffer-pg": 3}
    assert stats["by_state"] == {"received": 3}
    assert stats["overdue"] == 0

    out = tmp_path / "export"
    argv = ["backend", "export", "--out", str(out), "--data-dir", str(path)]
    assert cli.main([*argv, "--database-url", url]) == 0
    schema = xmlschema.XMLSchema(str(SCHEMA_FILE))
    xml_files = sorted(out.glob("*.xml"))
    assert {p.stem for p in xml_files} == {e.envelope_id for e in envelopes}
    for xml in xml_files:
        schema.validate(str(xml))
        doc = json.loads(xml.with_suffix(".json").read_text(encoding="utf-8"))
        assert doc["header"]["fristUeberschritten"] is False
    capsys.readouterr()
    assert (
        cli.main(["backend", "stats", "--json", "--data-dir", str(path), "--database-url", url])
        == 0
    )
    assert json.loads(capsys.readouterr().out)["by_state"] == {"exported": 3}


def test_revoked_device_refused_on_postgres(
    served: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    from koffer.errors import FatalTransmissionError

    path, url = served
    creds = _enroll(path, url, "koffer-weg", capsys)
    argv = [
        "backend",
        "revoke-device",
        "koffer-weg",
        "--data-dir",
        str(path),
        "--database-url",
        url,
    ]
    assert cli.main(argv) == 0
    env = _seal(creds, CaseType.ANMELDUNG, 5)
    with Transmitter(creds) as tx, pytest.raises(FatalTransmissionError, match="gesperrt"):
        tx.send(env.envelope_id, env.data, env.payload_hash)


def test_database_url_saved_at_init(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``backend init --database-url`` stores the URL; later commands need no flag."""
    path = tmp_path / "b2"
    argv = ["backend", "init", "--data-dir", str(path), "--database-url", postgres_url]
    assert cli.main(argv) == 0
    assert cli.main(["backend", "enroll-device", "k1", "--data-dir", str(path)]) == 0
    capsys.readouterr()
    assert cli.main(["backend", "stats", "--json", "--data-dir", str(path)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["devices"] == {"enrolled": 0, "revoked": 0}
    assert not (path / "backend.db").exists()
