"""``koffer enroll`` as a separate process against real back ends on loopback TLS.

Offline: the response file the back end's own command wrote is changed the
ways an attacker holding the removable medium could change it; every change
is refused with one German line and the store's enrollment, outbox and cases
are byte for byte what they were. Online: enrollment over the pinned CA,
then the re-enrollment rules (admin account and ``--replace``).
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

from koffer.backend.server import Backend, BackendServer
from koffer.crypto import identity, tls
from koffer.crypto.enrollment import EnrollmentStatement, EnrollmentToken, sign_response
from koffer.enrollment import device
from koffer.enrollment.public import read_public
from koffer.queue.models import OutboxItem
from koffer.queue.outbox import Outbox
from koffer.store.store import Store
from tests.integration.enrollment.conftest import (
    ADMIN_PASS,
    FAST,
    Suitcase,
    audit_events,
    run,
    snapshot,
)
from tests.integration.transmission.conftest import add_case


def _statement(doc: dict[str, Any]) -> dict[str, str]:
    st = dict(doc["statement"])
    st.pop("v")
    return st


def _forgeries(genuine: dict[str, Any], backend: Backend) -> dict[str, dict[str, Any]]:
    """Altered copies of a genuine response, by what was done to it."""
    out: dict[str, dict[str, Any]] = {}
    attacker = identity.generate_key().public_key()

    hpke = copy.deepcopy(genuine)  # the attack from the issue
    hpke["statement"]["hpke_public_key"] = identity.public_key_to_pem(attacker).decode()
    hpke["statement"]["hpke_key_id"] = identity.key_id(attacker)
    out["hpke key and id swapped"] = hpke

    receipt = copy.deepcopy(genuine)
    receipt["statement"]["receipt_public_key"] = identity.public_key_to_pem(attacker).decode()
    out["receipt key swapped"] = receipt

    url = copy.deepcopy(genuine)
    url["statement"]["url"] = "https://attacker.example:8443"
    out["url swapped"] = url

    unsigned = {
        "kind": "koffer-enrollment-response",
        "url": "https://attacker.example:8443",
        "device_id": genuine["statement"]["device_id"],
        "name": genuine["statement"]["name"],
        "client_cert": genuine["client_cert"],
        **backend.intake.public_material(),
    }
    out["unsigned (the old format)"] = unsigned

    rogue_key, rogue_ca = tls.create_ca("Buergerservice-Koffer Gegenstelle CA")
    rogue_pem = tls.cert_to_pem(rogue_ca)
    st = _statement(genuine)
    st.update(
        ca_sha256=tls.fingerprint(rogue_pem),
        hpke_public_key=identity.public_key_to_pem(attacker).decode(),
        hpke_key_id=identity.key_id(attacker),
    )
    out["signed by another CA"] = sign_response(
        rogue_key, rogue_pem, genuine["client_cert"].encode(), EnrollmentStatement(**st)
    )

    # a certificate from another CA for the right key, vouched for by the genuine CA
    csr_key = identity.generate_key()
    foreign = tls.cert_to_pem(
        tls.sign_csr(rogue_key, rogue_ca, tls.make_csr(csr_key, "x"), st["device_id"])
    )
    st = _statement(genuine)
    st["client_cert_sha256"] = tls.fingerprint(foreign)
    keys = backend.intake.keys
    out["client certificate from another CA"] = sign_response(
        keys.ca_key, keys.ca_pem, foreign, EnrollmentStatement(**st)
    )
    return out


EXPECTED = {
    "hpke key and id swapped": "Signatur passt nicht",
    "receipt key swapped": "Signatur passt nicht",
    "url swapped": "Signatur passt nicht",
    "unsigned (the old format)": "nicht von der Gegenstelle signiert",
    "signed by another CA": "Fingerabdruck des CA-Zertifikats",
    "client certificate from another CA": "Gerätezertifikat",
}


def test_offline_forgeries_are_refused_and_change_nothing(
    suitcase: Suitcase, backend: Backend, tmp_path: Path
) -> None:
    stick = tmp_path / "usb"
    req, resp = stick / "req.json", stick / "resp.json"
    done = suitcase.koffer("enroll", "--offline-request", str(req), "--name", "dorf-7")
    assert done.returncode == 0, done.stderr
    argv = [sys.executable, "-m", "koffer.commands.cli", "backend", "enroll-device", "dorf-7"]
    argv += ["--data-dir", str(backend.directory.path), "--request", str(req)]
    done = run([*argv, "--response", str(resp)])
    assert done.returncode == 0, done.stderr
    pin = done.stdout.strip().split()[-1]
    assert pin == tls.fingerprint(backend.intake.keys.ca_pem)
    genuine = json.loads(resp.read_text())

    before, events = snapshot(suitcase.data), audit_events(suitcase.data)
    forged = stick / "forged.json"
    for what, doc in _forgeries(genuine, backend).items():
        forged.write_text(json.dumps(doc))
        done = suitcase.koffer("enroll", "--offline-response", str(forged), "--ca-sha256", pin)
        assert done.returncode == 1, (what, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Fehler: Die Einrichtungsantwort"), what
        assert EXPECTED[what] in lines[0], (what, lines[0])
        assert "nichts geändert" in lines[0]
        assert snapshot(suitcase.data) == before, what

    # the genuine file, but not the genuine fingerprint / no fingerprint at all
    done = suitcase.koffer("enroll", "--offline-response", str(resp), "--ca-sha256", "0" * 64)
    assert done.returncode == 1 and "Fingerabdruck" in done.stderr
    done = suitcase.koffer("enroll", "--offline-response", str(resp))
    assert done.returncode == 2 and "--ca-sha256 nötig" in done.stderr
    assert snapshot(suitcase.data) == before
    added = audit_events(suitcase.data)[len(events) :]
    assert not [e for e in added if e.startswith("device_")]

    done = suitcase.koffer("enroll", "--offline-response", str(resp), "--ca-sha256", pin)
    assert done.returncode == 0, done.stderr
    assert "dorf-7" in done.stdout
    info = read_public(suitcase.data)
    assert info is not None
    assert info.backend_url == backend.directory.settings().url
    assert info.ca_sha256 == pin
    assert "device_enrolled" in audit_events(suitcase.data)


def _seal_two(suitcase: Suitcase) -> dict[str, bytes]:
    with (
        Store.open(suitcase.data, FAST) as store,
        store.unlock("admin", ADMIN_PASS) as unlocked,
    ):
        creds = device.require_credentials(unlocked)
        outbox = Outbox.open(unlocked)
        for i, kind in enumerate(("anmeldung", "personalausweis")):
            outbox.seal_case(add_case(unlocked, kind, i), creds)
        return _envelopes(unlocked)


def _envelopes(unlocked: Any) -> dict[str, bytes]:
    with unlocked.transaction() as session:
        rows = session.query(OutboxItem).all()
        return {r.envelope_id: bytes(r.envelope or b"") for r in rows}


def test_online_enrollment_and_who_may_replace_it(
    suitcase: Suitcase,
    backend: Backend,
    server: BackendServer,
    second_backend: tuple[Backend, BackendServer],
) -> None:
    settings = backend.directory.settings()
    settings.url, settings.enroll_url = server.url, server.enroll_url
    backend.directory.save_settings(settings)
    argv = [sys.executable, "-m", "koffer.commands.cli", "backend", "enroll-device", "koffer-1"]
    issued = run([*argv, "--data-dir", str(backend.directory.path)])
    assert issued.returncode == 0, issued.stderr
    lines = issued.stdout.strip().splitlines()
    pin = tls.fingerprint(backend.intake.keys.ca_pem)
    assert lines[0] == f"CA-Fingerabdruck (SHA-256, im Code enthalten): {pin}"
    token = lines[-1]
    assert EnrollmentToken.decode(token).ca_sha256 == pin
    done = suitcase.koffer("enroll", "--token", token)
    assert done.returncode == 0, done.stderr
    info = read_public(suitcase.data)
    assert info is not None and info.backend_url == server.url
    sealed = _seal_two(suitcase)
    assert len(sealed) == 2 and all(sealed.values())

    other, other_srv = second_backend
    before = snapshot(suitcase.data)
    # a clerk cannot redirect the suitcase, with or without --replace
    for extra in ((), ("--replace",)):
        rogue = other.enrollment_token(
            f"rogue{len(extra)}", url=other_srv.url, enroll_url=other_srv.enroll_url
        )
        done = suitcase.koffer("enroll", "--token", rogue.encode(), *extra, account="maria")
        assert done.returncode == 1, done.stderr
        assert "Nur ein Administrator-Konto" in done.stderr
        assert snapshot(suitcase.data) == before
    # refused before anything was sent: the other back end issued no certificate
    assert other.intake.stats()["devices"]["enrolled"] == 0

    new = other.enrollment_token("koffer-neu", url=other_srv.url, enroll_url=other_srv.enroll_url)
    done = suitcase.koffer("enroll", "--token", new.encode())
    assert done.returncode == 1 and "--replace" in done.stderr
    assert snapshot(suitcase.data) == before
    assert other.intake.stats()["devices"]["enrolled"] == 0

    done = suitcase.koffer("enroll", "--token", new.encode(), "--replace")
    assert done.returncode == 0, done.stderr
    assert "ersetzt" in done.stderr and "koffer-neu" in done.stdout
    info = read_public(suitcase.data)
    assert info is not None and info.backend_url == other_srv.url
    assert info.ca_sha256 == tls.fingerprint(other.intake.keys.ca_pem)
    with (
        Store.open(suitcase.data, FAST) as store,
        store.unlock("admin", ADMIN_PASS) as unlocked,
    ):
        assert _envelopes(unlocked) == sealed  # nothing resealed
        [entry] = [e for e in unlocked.list_audit() if e.event == "device_enrollment_replaced"]
        assert entry.account == "admin"
        assert entry.detail["device_id"] == device.require_credentials(unlocked).device_id
        assert str(entry.detail["previous_device_id"]).startswith("dev-")
        assert entry.detail["previous_device_id"] != entry.detail["device_id"]
