"""One relay, two tenants, two suitcases each, two stations: real TLS, SQLite, ``koffer``.

Every case reaches its own tenant's export exactly once; a device of one
tenant cannot submit into the other, a station cannot pull or acknowledge the
other's envelopes; after intake the relay's data directory and database hold
none of the citizens' names (UTF-8 and UTF-16, NFC and NFD) and no HPKE
private key.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from koffer.backend.relay_db import Tenant
from koffer.backend.server import Backend, BackendServer
from koffer.cases import CaseType, case_to_dict, sample_case
from koffer.commands import cli
from koffer.config import load_config
from koffer.crypto import identity, sealing
from koffer.crypto.enrollment import DeviceCredentials
from koffer.enrollment import device
from koffer.errors import TransmissionError
from koffer.queue.outbox import Outbox
from koffer.queue.transmitter import EnvelopeRejected, Transmitter
from koffer.station.client import RelayClient
from koffer.station.files import ACCOUNT, StationDir, StationSecrets
from koffer.store.settings import StoreSettings
from koffer.store.store import Store
from tests.integration.enrollment.conftest import run
from tests.integration.transmission.conftest import FAST_STORE, PASSPHRASE

CONFIG = """
[store]
argon2_memory_kib = 7168
argon2_iterations = 5
argon2_lanes = 1
"""
NAME_KEYS = ("family_name", "given_names", "birth_name")


def koffer(*args: str) -> str:
    """The real ``koffer`` command in its own process; its stdout (exit code 0 required)."""
    done = run([sys.executable, "-m", "koffer.commands.cli", *args])
    assert done.returncode == 0, done.stderr
    return done.stdout


def koffer_fails(*args: str) -> str:
    done = run([sys.executable, "-m", "koffer.commands.cli", *args])
    assert done.returncode != 0
    return done.stderr


def in_process(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(list(args))
    return code, out.getvalue()


def _names(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in NAME_KEYS and isinstance(item, str) and len(item) >= 3:
                found.add(item)
            elif key in NAME_KEYS and isinstance(item, list):
                found.update(str(v) for v in item if isinstance(v, str) and len(v) >= 3)
            else:
                _names(item, found)
    elif isinstance(value, list):
        for item in value:
            _names(item, found)


@dataclass
class Suitcase:
    data: Path
    common: list[str]
    tenant: str
    sent: set[str] = field(default_factory=set)

    def creds(self) -> DeviceCredentials:
        with Store.open(self.data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as u:
            return device.require_credentials(u)


@dataclass
class World:
    tmp: Path
    relay_dir: Path
    backend: Backend
    server: BackendServer
    stations: dict[str, Path]
    suitcases: list[Suitcase]
    names: set[str]
    config: Path
    passfile: Path


def _seal_cases(suitcase: Suitcase, seeds: list[int], names: set[str]) -> None:
    today = datetime.now(UTC).date()
    with Store.open(suitcase.data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as u:
        creds = device.require_credentials(u)
        outbox = Outbox.open(u)
        for seed in seeds:
            kind = "anmeldung" if seed % 2 else "personalausweis"
            payload = case_to_dict(sample_case(CaseType(kind), seed, today))
            _names(payload, names)
            attachments: dict[str, bytes] = {}
            if kind == "personalausweis":
                wanted = [payload["photo"]["attachment"]]
                wanted += [f["attachment"] for f in payload["fingerprints"]]
                wanted += list(payload["signature_attachments"])
            else:
                wanted = list(payload.get("signature_attachments") or [])
            for name in wanted:
                attachments[name] = name.encode() + bytes(range(256))
            case_id = u.create_case(kind, payload, attachments, state="completed")
            suitcase.sent.add(outbox.seal_case(case_id, creds).envelope_id)


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    # its own directory: pytest's numbered base directories are pruned by other
    # pytest sessions on the machine, which would pull the relay's database away
    with tempfile.TemporaryDirectory(prefix="koffer-relay-") as name:
        yield from _world(Path(name))


def _world(tmp: Path) -> Iterator[World]:
    relay_dir = tmp / "relay"
    config = tmp / "koffer.toml"
    config.write_text(CONFIG)
    passfile = tmp / "pass"
    passfile.write_text(PASSPHRASE + "\n")
    out = koffer("backend", "init", "--data-dir", str(relay_dir), "--relay")
    assert "Weiterleitungsstelle eingerichtet" in out
    backend = Backend.open(relay_dir)
    assert backend.relay is not None
    with BackendServer(backend) as server:
        settings = backend.directory.settings()
        settings.url, settings.enroll_url = server.url, server.enroll_url
        backend.directory.save_settings(settings)
        stations: dict[str, Path] = {}
        for tenant, key in (("musterdorf", "09162001"), ("beispielstadt", "09162002")):
            koffer(
                "backend", "tenant", "create", tenant, "--gemeindeschluessel", key,
                "--data-dir", str(relay_dir),
            )  # fmt: skip
            token = koffer(
                "backend", "tenant", "station-token", tenant, "--data-dir", str(relay_dir)
            )
            token = token.strip().splitlines()[-1]
            stations[tenant] = tmp / f"station-{tenant}"
            koffer(
                "station", "init", "--data-dir", str(stations[tenant]), "--token", token,
                "--passphrase-file", str(passfile), "--config", str(config),
            )  # fmt: skip
        suitcases: list[Suitcase] = []
        names: set[str] = set()
        for i, tenant in enumerate(["musterdorf", "musterdorf", "beispielstadt", "beispielstadt"]):
            data = tmp / f"suitcase-{i}"
            Store.create(data, "admin", PASSPHRASE, FAST_STORE)
            common = ["--data-dir", str(data), "--passphrase-file", str(passfile)]
            common += ["--config", str(config)]
            out = koffer(
                "backend", "enroll-device", "--tenant", tenant, f"koffer-{i}",
                "--data-dir", str(relay_dir),
            )  # fmt: skip
            code, _ = in_process("enroll", "--token", out.strip().splitlines()[-1], *common)
            assert code == 0
            suitcase = Suitcase(data, common, tenant)
            _seal_cases(suitcase, [10 * i + 1, 10 * i + 2], names)
            code, report = in_process("sync", "--once", *common)
            assert code == 0 and json.loads(report)["sent"] == 2
            suitcases.append(suitcase)
        yield World(tmp, relay_dir, backend, server, stations, suitcases, names, config, passfile)
    backend.close()


def _encodings(text: str) -> set[bytes]:
    forms = {unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text)}
    out: set[bytes] = set()
    for form in forms:
        for codec in ("utf-8", "utf-16-le", "utf-16-be"):
            out.add(form.encode(codec))
    return out


_SCAN = """
import json, pathlib, sys
root, needles = pathlib.Path(sys.argv[1]), [bytes.fromhex(n) for n in json.load(sys.stdin)]
files = [p for p in sorted(root.rglob("*")) if p.is_file()]
hits = [[str(p), n.hex()] for p in files for n in needles if n in p.read_bytes()]
print(json.dumps({"files": [p.name for p in files], "hits": hits}))
"""


def _scan_relay(world: World, needles: set[bytes]) -> tuple[list[str], list[list[str]]]:
    """Which relay files hold which needle, read in ANOTHER process.

    The relay's SQLite connections live in this process: closing any other
    descriptor of its database files here would drop their POSIX locks.
    """
    done = subprocess.run(
        [sys.executable, "-c", _SCAN, str(world.relay_dir)],
        input=json.dumps(sorted(n.hex() for n in needles)),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout)
    return result["files"], result["hits"]


def _station_private_key_forms(world: World, tenant: str) -> set[bytes]:
    path = world.stations[tenant]
    settings = StoreSettings.from_config(load_config(world.config))
    info = StationDir(path).info()
    with Store.open(path, settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as unlocked:
        key = StationSecrets.open(unlocked, info.secrets).hpke
    scalar = key.private_numbers().private_value.to_bytes(32, "big")
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return {scalar, der, identity.private_key_to_pem(key)}


def test_01_relay_holds_no_names_and_no_private_key(world: World) -> None:
    """After intake, before any station pulled: nothing to read on the relay."""
    assert len(world.names) >= 8
    names = {needle for name in world.names for needle in _encodings(name)}
    files, hits = _scan_relay(world, names)
    assert "backend.db" in files and "keys.json" in files
    assert hits == [], "a citizen's name found on the relay"
    keys = json.loads((world.relay_dir / "keys.json").read_text())
    assert keys["hpke_keys"] == [] and keys["current_key_id"] == ""
    private = {n for tenant in world.stations for n in _station_private_key_forms(world, tenant)}
    _, hits = _scan_relay(world, private)
    assert hits == [], "a station's HPKE private key found on the relay"
    # the scan itself finds what is there: the relay's own CA certificate
    _, hits = _scan_relay(world, {(world.relay_dir / "ca.pem").read_bytes()[30:90]})
    assert hits
    stats = json.loads(koffer("backend", "stats", "--json", "--data-dir", str(world.relay_dir)))
    assert stats["tenants"] == {
        "beispielstadt": {"received": 4, "pulled": 0, "acknowledged": 0},
        "musterdorf": {"received": 4, "pulled": 0, "acknowledged": 0},
    }


def _tenant_key(world: World, tenant: str) -> identity.PublicKey:
    with world.backend.intake.sessions() as session:
        row = session.get(Tenant, tenant)
        assert row is not None and row.hpke_public_pem is not None
        return identity.public_key_from_pem(row.hpke_public_pem.encode())


def test_02_device_cannot_submit_into_another_tenant(world: World) -> None:
    creds = world.suitcases[0].creds()  # a musterdorf device
    payload = sealing.Payload(1, {"x": 1}, ())
    codes = []
    messages = []
    for key in (_tenant_key(world, "beispielstadt"), identity.generate_key().public_key()):
        sealed = sealing.seal(
            payload,
            case_type="anmeldung",
            device_id=creds.device_id,
            signing_key=creds.signing_key,
            recipient_key=key,
        )
        with Transmitter(creds) as tx, pytest.raises(EnvelopeRejected) as caught:
            tx.send(sealed.envelope_id, sealed.data, sealed.payload_hash)
        codes.append(caught.value.code)
        messages.append(caught.value.message.replace(identity.key_id(key), "KEY"))
    # the other tenant's key is refused exactly like a key nobody has
    assert codes == ["unknown_key", "unknown_key"] and messages[0] == messages[1]
    # an envelope of the other tenant's device is refused as another device's
    other = world.suitcases[2].creds()
    sealed = sealing.seal(
        payload,
        case_type="anmeldung",
        device_id=other.device_id,
        signing_key=other.signing_key,
        recipient_key=_tenant_key(world, "beispielstadt"),
    )
    with Transmitter(creds) as tx, pytest.raises(TransmissionError):
        tx.send(sealed.envelope_id, sealed.data, sealed.payload_hash)


def _station_client(world: World, tenant: str) -> RelayClient:
    path = world.stations[tenant]
    settings = StoreSettings.from_config(load_config(world.config))
    info = StationDir(path).info()
    with Store.open(path, settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as unlocked:
        tls_key = StationSecrets.open(unlocked, info.secrets).tls_key
    return RelayClient(info.relay_url, info.ca_pem, info.client_cert_pem, tls_key)


def test_03_stations_pull_only_their_own_tenant(world: World) -> None:
    with _station_client(world, "musterdorf") as station_a:
        pulled = station_a.pull(50)
        mine = {e for s in world.suitcases[:2] for e in s.sent}
        assert {item["envelope_id"] for item in pulled} == mine
        # acknowledging the other tenant's envelopes does nothing (and says no more)
        theirs = [
            {"device_id": world.suitcases[2].creds().device_id, "envelope_id": e,
             "envelope_hash": "0" * 64}
            for e in world.suitcases[2].sent
        ]  # fmt: skip
        assert station_a.acknowledge(theirs) == 0
    # a device certificate is no station's
    creds = world.suitcases[0].creds()
    with (
        RelayClient(
            creds.backend_url, creds.ca_pem, creds.client_cert_pem, creds.tls_key
        ) as impostor,
        pytest.raises(TransmissionError) as caught,
    ):
        impostor.pull(10)
    assert "nicht eingerichtet" in caught.value.message
    stats = json.loads(koffer("backend", "stats", "--json", "--data-dir", str(world.relay_dir)))
    assert stats["tenants"]["beispielstadt"] == {"received": 4, "pulled": 0, "acknowledged": 0}


def test_04_each_case_reaches_its_own_export_exactly_once(world: World) -> None:
    for tenant, path in world.stations.items():
        common = ["--data-dir", str(path), "--passphrase-file", str(world.passfile)]
        common += ["--config", str(world.config)]
        report = json.loads(koffer("station", "pull", *common).strip().splitlines()[-1])
        assert report == {"pulled": 4, "refused": 0}
        again = json.loads(koffer("station", "pull", *common).strip().splitlines()[-1])
        assert again == {"pulled": 0, "refused": 0}
        out = world.tmp / f"export-{tenant}"
        koffer("station", "export", "--data-dir", str(path), "--out", str(out))
        exported = {p.stem for p in out.glob("*.xml")}
        sent = {e for s in world.suitcases if s.tenant == tenant for e in s.sent}
        assert exported == sent and len(exported) == 4
        for xml in out.glob("*.xml"):
            doc = json.loads(xml.with_suffix(".json").read_text(encoding="utf-8"))
            assert doc["header"]["nachrichtenUUID"] == xml.stem
        second = world.tmp / f"export-{tenant}-2"
        koffer("station", "export", "--data-dir", str(path), "--out", str(second))
        assert list(second.glob("*.xml")) == []
        status = json.loads(koffer("station", "status", "--json", "--data-dir", str(path)))
        assert status["tenant"] == tenant and status["exported"] == 4
    # the names the relay never held are all in the stations' exports
    exported_text = "".join(
        p.read_text(encoding="utf-8") for p in world.tmp.glob("export-*/*.json")
    )
    assert all(unicodedata.normalize("NFC", n) in exported_text for n in world.names)
    stats = json.loads(koffer("backend", "stats", "--json", "--data-dir", str(world.relay_dir)))
    for tenant in world.stations:
        assert stats["tenants"][tenant] == {"received": 4, "pulled": 4, "acknowledged": 4}, stats
    tenants = json.loads(
        koffer("backend", "tenant", "list", "--json", "--data-dir", str(world.relay_dir))
    )
    assert {t["name"]: t["devices"] for t in tenants} == {"beispielstadt": 2, "musterdorf": 2}
    assert all(t["station"] and not t["disabled"] for t in tenants)


def test_05_tenant_commands_refuse_bad_input(world: World) -> None:
    relay = ["--data-dir", str(world.relay_dir)]
    for bad in ("0916200", "0916200x", "091620011"):
        err = koffer_fails(
            "backend", "tenant", "create", "neu", "--gemeindeschluessel", bad, *relay
        )
        assert "Gemeindeschlüssel" in err
    err = koffer_fails("backend", "enroll-device", "koffer-x", *relay)
    assert "--tenant" in err
    koffer("backend", "tenant", "create", "ohnestation", "--gemeindeschluessel", "09162003", *relay)
    err = koffer_fails("backend", "enroll-device", "--tenant", "ohnestation", "koffer-y", *relay)
    assert "keine Station" in err
    listed = json.loads(koffer("backend", "tenant", "list", "--json", *relay))
    assert {t["name"]: t["station"] for t in listed}["ohnestation"] is False


def test_06_resend_gets_the_same_receipt_and_a_bad_case_is_refused_at_the_station(
    world: World,
) -> None:
    creds = world.suitcases[2].creds()  # a beispielstadt device
    sealed = sealing.seal(
        sealing.Payload(1, {"x": 1}, ()),  # sealed correctly, but no valid case inside
        case_type="anmeldung",
        device_id=creds.device_id,
        signing_key=creds.signing_key,
        recipient_key=creds.hpke_public,
    )
    with Transmitter(creds) as tx:
        first = tx.send(sealed.envelope_id, sealed.data, sealed.payload_hash)
        again = tx.send(sealed.envelope_id, sealed.data, sealed.payload_hash)
    assert first.sealed and first == again
    path = world.stations["beispielstadt"]
    common = ["--data-dir", str(path), "--passphrase-file", str(world.passfile)]
    common += ["--config", str(world.config)]
    report = json.loads(koffer("station", "pull", *common).strip().splitlines()[-1])
    assert report == {"pulled": 0, "refused": 1}
    status = json.loads(koffer("station", "status", "--json", "--data-dir", str(path)))
    assert status["refused"] == 1 and status["exported"] == 4
    stats = json.loads(koffer("backend", "stats", "--json", "--data-dir", str(world.relay_dir)))
    assert stats["tenants"]["beispielstadt"] == {"received": 5, "pulled": 5, "acknowledged": 5}


def test_07_a_disabled_tenant_is_refused_to_devices_and_station(world: World) -> None:
    koffer("backend", "tenant", "disable", "musterdorf", "--data-dir", str(world.relay_dir))
    creds = world.suitcases[0].creds()
    sealed = sealing.seal(
        sealing.Payload(1, {"x": 1}, ()),
        case_type="anmeldung",
        device_id=creds.device_id,
        signing_key=creds.signing_key,
        recipient_key=creds.hpke_public,
    )
    with Transmitter(creds) as tx, pytest.raises(TransmissionError) as caught:
        tx.send(sealed.envelope_id, sealed.data, sealed.payload_hash)
    assert "gesperrt" in caught.value.message
    path = world.stations["musterdorf"]
    err = koffer_fails(
        "station", "pull", "--data-dir", str(path), "--passphrase-file", str(world.passfile),
        "--config", str(world.config),
    )  # fmt: skip
    assert "nicht eingerichtet oder gesperrt" in err


def test_08_the_suitcase_keeps_the_relays_sealed_receipts(world: World) -> None:
    for suitcase in world.suitcases:
        code, out = in_process("outbox", "list", "--json", *suitcase.common)
        assert code == 0
        listed = json.loads(out)
        assert {e["envelope_id"] for e in listed} == suitcase.sent
        assert {e["state"] for e in listed} == {"purged"}
        assert all(e["receipt"]["body"]["stored"] == "sealed" for e in listed)
