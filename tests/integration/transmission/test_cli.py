"""The commands end to end: backend init/enroll-device/stats/export/import,
koffer enroll (online and offline), sync --once, outbox list/export."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import xmlschema

from koffer.backend.export import SCHEMA_FILE
from koffer.backend.server import Backend, BackendServer
from koffer.cases import CaseType, case_to_dict, sample_case
from koffer.commands import cli
from koffer.store.store import Store
from tests.integration.transmission.conftest import FAST_STORE, PASSPHRASE, add_case

CONFIG = """
[store]
argon2_memory_kib = 7168
argon2_iterations = 5
argon2_lanes = 1
"""


@pytest.fixture
def suitcase_dir(tmp_path: Path) -> tuple[Path, list[str]]:
    data = tmp_path / "suitcase"
    Store.create(data, "admin", PASSPHRASE, FAST_STORE)
    (tmp_path / "pass").write_text(PASSPHRASE + "\n")
    (tmp_path / "koffer.toml").write_text(CONFIG)
    common = [
        "--data-dir",
        str(data),
        "--passphrase-file",
        str(tmp_path / "pass"),
        "--config",
        str(tmp_path / "koffer.toml"),
    ]
    return data, common


def _add_cases(data: Path, n: int) -> None:
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as unlocked:
        from koffer.enrollment import device
        from koffer.queue.outbox import Outbox

        creds = device.require_credentials(unlocked)
        outbox = Outbox.open(unlocked)
        for i in range(n):
            kind = "personalausweis" if i % 2 else "anmeldung"
            outbox.seal_case(add_case(unlocked, kind, i), creds)


def test_online_flow(
    tmp_path: Path,
    suitcase_dir: tuple[Path, list[str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    data, common = suitcase_dir
    bdir = tmp_path / "backend"
    assert (
        cli.main(["backend", "init", "--data-dir", str(bdir), "--url", "https://127.0.0.1:1"]) == 0
    )
    backend = Backend.open(bdir)
    with BackendServer(backend) as srv:
        # the token must carry the live ports: point the saved settings at them
        settings = backend.directory.settings()
        settings.url, settings.enroll_url = srv.url, srv.enroll_url
        backend.directory.save_settings(settings)
        capsys.readouterr()
        assert cli.main(["backend", "enroll-device", "koffer-7", "--data-dir", str(bdir)]) == 0
        token = capsys.readouterr().out.strip().splitlines()[-1]
        assert token.startswith("KOFFER1.")
        assert cli.main(["enroll", "--token", token, *common]) == 0
        _add_cases(data, 4)
        capsys.readouterr()
        assert cli.main(["sync", "--once", *common]) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["sent"] == 4
        assert cli.main(["outbox", "list", "--json", *common]) == 0
        listed = json.loads(capsys.readouterr().out)
        assert {e["state"] for e in listed} == {"purged"}
        assert all(e["receipt"] and not e["envelope_stored"] for e in listed)
        # the text list says states and case types in words (--json keeps the values)
        assert cli.main(["outbox", "list", *common]) == 0
        text = capsys.readouterr().out
        assert text.count("übertragen, Quittung liegt vor") == 4
        assert "Personalausweis" in text and "Anmeldung" in text
        assert "purged" not in text and "personalausweis" not in text
        assert cli.main(["--lang", "en", "outbox", "list", *common]) == 0
        english = capsys.readouterr().out
        assert english.count("sent, receipt kept") == 4 and english.count("receipt 20") == 4
        assert "identity card" in english and "registration" in english
        assert "Quittung" not in english and "übertragen" not in english
        # revocation: later sends are refused with a clear reason, nothing lost
        assert cli.main(["backend", "revoke-device", "koffer-7", "--data-dir", str(bdir)]) == 0
        _add_cases(data, 1)
        capsys.readouterr()
        assert cli.main(["sync", "--once", *common]) == 3
        assert "gesperrt" in json.loads(capsys.readouterr().out)["stopped"]
    assert cli.main(["backend", "stats", "--json", "--data-dir", str(bdir)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["total"] == 4
    assert stats["by_case_type"] == {"anmeldung": 2, "personalausweis": 2}
    assert stats["by_device"] == {"koffer-7": 4}
    # the text says case types and states in words, German or English
    assert cli.main(["backend", "stats", "--data-dir", str(bdir)]) == 0
    text = capsys.readouterr().out
    assert "Vorgangsart Anmeldung: 2" in text and "Vorgangsart Personalausweis: 2" in text
    assert "Status eingegangen: 4" in text and "received" not in text
    assert cli.main(["--lang", "en", "backend", "stats", "--data-dir", str(bdir)]) == 0
    english = capsys.readouterr().out
    assert english.startswith("Cases in total: 4")
    assert "Case type identity card: 2" in english and "State received: 4" in english
    out = tmp_path / "export"
    assert cli.main(["backend", "export", "--out", str(out), "--data-dir", str(bdir)]) == 0
    schema = xmlschema.XMLSchema(str(SCHEMA_FILE))
    xml_files = sorted(out.glob("*.xml"))
    assert len(xml_files) == 4
    for path in xml_files:
        schema.validate(str(path))
        doc = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        assert doc["header"]["fristUeberschritten"] is False
        assert doc["case"]["case_type"] == doc["header"]["vorgangsart"]
    # fingerprints are gone from the back end's store after export (retention 0)
    from koffer.backend.db import ReceivedCase
    from koffer.backend.export import _open

    with backend.intake.sessions() as session:
        for row in session.query(ReceivedCase):
            assert row.state == "exported"
            names = [a.name for a in _open(backend.intake.keys, row).attachments]
            assert not any(n.startswith("fingerprint") for n in names)


def test_offline_flow_via_media(
    tmp_path: Path, suitcase_dir: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    data, common = suitcase_dir
    bdir = tmp_path / "backend"
    cli.main(["backend", "init", "--data-dir", str(bdir)])
    stick = tmp_path / "usb"
    assert cli.main(["enroll", "--offline-request", str(stick / "req.json"), *common]) == 0
    assert (
        cli.main(
            [
                "backend",
                "enroll-device",
                "dorf-koffer",
                "--data-dir",
                str(bdir),
                "--request",
                str(stick / "req.json"),
                "--response",
                str(stick / "resp.json"),
            ]
        )
        == 0
    )
    fingerprint = capsys.readouterr().out.strip().split()[-1]
    assert (
        cli.main(
            [
                "enroll",
                "--offline-response",
                str(stick / "resp.json"),
                "--ca-sha256",
                "0" * 64,
                *common,
            ]
        )
        == 1
    )
    assert "Fingerabdruck" in capsys.readouterr().err
    assert (
        cli.main(
            [
                "enroll",
                "--offline-response",
                str(stick / "resp.json"),
                "--ca-sha256",
                fingerprint,
                *common,
            ]
        )
        == 0
    )
    _add_cases(data, 3)
    assert cli.main(["outbox", "export", "--to", str(stick), *common]) == 0
    assert len(list((stick / "envelopes").glob("*.kenv"))) == 3
    assert cli.main(["backend", "import", "--from", str(stick), "--data-dir", str(bdir)]) == 0
    assert cli.main(["backend", "import", "--from", str(stick), "--data-dir", str(bdir)]) == 0
    assert cli.main(["outbox", "import-receipts", "--from", str(stick), *common]) == 0
    capsys.readouterr()
    cli.main(["outbox", "list", "--json", *common])
    listed = json.loads(capsys.readouterr().out)
    assert [e["state"] for e in listed] == ["purged"] * 3


def test_backend_commands_need_a_data_dir(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["backend", "stats"]) == 2
    assert "--data-dir" in capsys.readouterr().err


def test_simulate_visit_with_sync(
    tmp_path: Path, suitcase_dir: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    _data, common = suitcase_dir
    bdir = tmp_path / "backend"
    cli.main(["backend", "init", "--data-dir", str(bdir)])
    backend = Backend.open(bdir)
    people = tmp_path / "people.jsonl"
    people.write_text(
        json.dumps(
            {
                "family_name": "Nœl Schmidt-Strauß",
                "given_names": ["Zoë"],
                "birth_date": "1980-05-17",
                "birth_place": "Fürth",
                "sex": "w",
            },
            ensure_ascii=False,
        )
        + "\n"
    )
    with BackendServer(backend) as srv:
        token = backend.enrollment_token("v", url=srv.url, enroll_url=srv.enroll_url)
        assert cli.main(["enroll", "--token", token.encode(), *common]) == 0
        capsys.readouterr()
        args = ["simulate-visit", "--cases", "6", "--people", str(people), "--sync", *common]
        assert cli.main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["cases"] == 6
    assert summary["by_case_type"] == {"anmeldung": 2, "abmeldung": 2, "personalausweis": 2}
    assert summary["sync"]["sent"] == 6
    assert summary["outbox"] == {"purged": 6}
    assert "Schmidt" not in json.dumps(summary)
    assert backend.intake.stats()["total"] == 6


def _states(data: Path) -> list[str]:
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as unlocked:
        return sorted(meta.state for meta in unlocked.list_cases())


def test_simulate_visit_completes_cases_as_the_kiosk_does(
    suitcase_dir: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    data, common = suitcase_dir
    args = ["simulate-visit", "--cases", "3", "--no-seal", "--print", "--simulate", *common]
    assert cli.main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    # one Meldebestätigung or Antragsquittung per case, each sent to the (simulated) printer
    assert summary["cases"] == 3
    assert summary["documents"] == 3
    assert summary["printed"] == 3
    assert _states(data) == ["completed"] * 3
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as unlocked:
        for meta in unlocked.list_cases():
            # the completion wrote the case through the state machine, not just the row state
            assert unlocked.load_case(meta.case_id).payload["state"] == "completed"


def test_simulate_visit_leaves_a_case_a_rule_refuses_as_a_draft(
    tmp_path: Path, suitcase_dir: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    data, common = suitcase_dir
    people = tmp_path / "people.jsonl"
    person = {
        "family_name": "Muster",
        "given_names": ["Eva"],
        "birth_date": "2999-01-01",
        "birth_place": "Fürth",
        "sex": "w",
    }
    people.write_text(json.dumps(person) + "\n")
    args = ["simulate-visit", "--cases", "2", "--case-type", "personalausweis", "--no-seal"]
    assert cli.main([*args, "--people", str(people), *common]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["cases"] == 0
    assert sum(summary["refused"].values()) == 2
    assert "Muster" not in json.dumps(summary)
    assert _states(data) == ["draft", "draft"]


def test_simulate_visit_finishes_a_draft_a_killed_run_left(
    suitcase_dir: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    data, common = suitcase_dir
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as unlocked:
        # what simulate-visit has saved when it is killed before the completion
        payload = case_to_dict(sample_case(CaseType.ANMELDUNG, 7, date.today()))
        unlocked.create_case("anmeldung", payload, {})
        # a kiosk draft is left for the clerk
        unlocked.create_case("anmeldung", {"kiosk_draft": 1, "case_type": "anmeldung"}, {})
    assert cli.main(["simulate-visit", "--cases", "0", "--no-seal", *common]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["finished_left"] == 1
    assert _states(data) == ["completed", "draft"]


def test_simulate_visit_goes_on_past_a_damaged_left_draft(
    suitcase_dir: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    data, common = suitcase_dir
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as unlocked:
        payload = case_to_dict(sample_case(CaseType.ANMELDUNG, 7, date.today()))
        payload["persons"] = "beschädigt"
        unlocked.create_case("anmeldung", payload, {})
    assert cli.main(["simulate-visit", "--cases", "2", "--no-seal", *common]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["cases"] == 2
    assert sum(summary["refused"].values()) == 1
    assert "beschädigt" not in json.dumps(summary)
    assert _states(data) == ["completed", "completed", "draft"]
