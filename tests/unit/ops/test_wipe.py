"""``koffer wipe``: only a real store, with the admin passphrase, keys first."""

from __future__ import annotations

import argparse
import io
import os
import sqlite3
from pathlib import Path

import pytest

from koffer.commands import wipe as ops
from koffer.errors import AuthenticationError, ConfigError, StoreError
from koffer.store import Store, StoreSettings
from tests.unit.ops import evict_probe

ADMIN_PASS = "admin-passphrase-lang"
CLERK_PASS = "clerk-passphrase-lang"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="koffer")
    ops.register(parser.add_subparsers(dest="command"))
    return parser


def _run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    result: int = args.func(args)
    return result


def _store(data: Path) -> None:
    settings = StoreSettings.insecure_fast()
    Store.create(data, "admin", ADMIN_PASS, settings)
    with Store.open(data, settings) as store, store.unlock("admin", ADMIN_PASS) as admin:
        admin.add_account("clara", "clerk", CLERK_PASS)
        admin.create_case("anmeldung", {"x": "y" * 2000})


def _populate(data: Path, outside: Path) -> dict[str, bytes]:
    """A real store plus key files, other files and links to the outside."""
    _store(data)
    extra = {
        "keys/device.key": b"-----BEGIN PRIVATE KEY-----\n" + b"A" * 200,
        "export/notes.txt": b"harmless configuration " * 10,
        "deep/a/b/blob.bin": b"\x33" * (ops.CHUNK + 17),
    }
    for rel, content in extra.items():
        path = data / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    outside.write_bytes(b"must survive")
    (data / "link-to-outside").symlink_to(outside)
    (data / "linked-dir").symlink_to(outside.parent)
    return {
        str(p.relative_to(data)): p.read_bytes()
        for p in data.rglob("*")
        if p.is_file() and not p.is_symlink()
    }


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _secret(tmp_path: Path, text: str) -> str:
    path = tmp_path / f"secret-{abs(hash(text))}"
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


def _admin(tmp_path: Path) -> list[str]:
    return ["--passphrase-file", _secret(tmp_path, ADMIN_PASS)]


def test_wipe_overwrites_keys_first_then_databases_then_rest(tmp_path: Path) -> None:
    data = tmp_path / "data"
    outside = tmp_path / "outside.txt"
    files = _populate(data, outside)
    # hard links outside the tree keep the inodes: they show what was written
    witnesses = {}
    for rel in files:
        witness = tmp_path / ("witness-" + rel.replace("/", "_"))
        os.link(data / rel, witness)
        witnesses[rel] = witness

    report = ops.wipe_data_dir(data)

    assert not data.exists()
    assert outside.read_bytes() == b"must survive"
    ranks = [ops.wipe_rank(Path(rel)) for rel in report.overwritten]
    assert ranks == sorted(ranks)
    assert report.overwritten[0] == "keys/device.key"
    assert report.overwritten[1] == "koffer-store.sqlite3"
    assert sorted(report.removed_links) == ["link-to-outside", "linked-dir"]
    assert report.bytes_overwritten == sum(len(c) for c in files.values())
    for rel, content in files.items():
        after = witnesses[rel].read_bytes()
        assert len(after) == len(content)
        assert after != content, rel


def test_wipe_uses_the_given_random_source(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _store(data)
    witness = tmp_path / "w"
    os.link(data / "koffer-store.sqlite3", witness)
    size = witness.stat().st_size
    ops.wipe_data_dir(data, random_bytes=lambda n: b"\xa5" * n)
    assert witness.read_bytes() == b"\xa5" * size


def test_wipe_rank() -> None:
    assert ops.wipe_rank(Path("tls/client.pem")) == 0
    assert ops.wipe_rank(Path("store_key.bin")) == 0
    assert ops.wipe_rank(Path("koffer-store.sqlite3-shm")) == 1
    assert ops.wipe_rank(Path("koffer-store.sqlite3")) == 1
    assert ops.wipe_rank(Path("readme.txt")) == 2


@pytest.mark.parametrize(
    "path", ["/", "/etc", "/var/lib", "/home", "/tmp", "/usr/local", "/var/log", "/usr/share"]
)
def test_wipe_refuses_system_directories(path: str) -> None:
    with pytest.raises(ConfigError) as info:
        ops.check_wipe_target(Path(path))
    assert "nicht gelöscht" in info.value.message


def _lookalikes(tmp_path: Path) -> dict[str, Path]:
    """Directories that are not koffer stores, some of them close imitations."""
    usr_local = tmp_path / "usr" / "local"
    (usr_local / "bin").mkdir(parents=True)
    (usr_local / "bin" / "tool").write_bytes(b"#!/bin/sh\necho hi\n")
    (usr_local / "share" / "doc").mkdir(parents=True)
    (usr_local / "share" / "doc" / "README").write_bytes(b"docs")
    var_log = tmp_path / "var" / "log"
    var_log.mkdir(parents=True)
    (var_log / "syslog").write_bytes(b"Dec  2 log line\n" * 50)
    fake = tmp_path / "fake-marker"
    fake.mkdir()
    (fake / "koffer-store.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\x11" * 5000)
    other_app = tmp_path / "other-app"
    other_app.mkdir()
    con = sqlite3.connect(other_app / "koffer-store.sqlite3")
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    con.execute("INSERT INTO notes (text) VALUES ('keep me')")
    con.commit()
    con.close()
    empty = tmp_path / "notastore"
    empty.mkdir()
    (empty / "important.txt").write_bytes(b"keep")
    return {
        "usr_local": usr_local,
        "var_log": var_log,
        "fake": fake,
        "other_app": other_app,
        "empty": empty,
    }


def test_wipe_refuses_directories_that_are_no_store_and_deletes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, path in _lookalikes(tmp_path).items():
        before = _tree(path)
        with pytest.raises(ConfigError, match="kein Datenbestand des Koffers"):
            ops.check_wipe_target(path)
        with pytest.raises(ConfigError, match="kein Datenbestand des Koffers"):
            ops.wipe_data_dir(path)
        forced = ["wipe", "--yes", "--force-without-passphrase", "--reason", "Test"]
        with pytest.raises(ConfigError):
            _run([*forced, "--data-dir", str(path)])
        assert _tree(path) == before, name
    assert "ohne Passphrase" not in capsys.readouterr().err  # refused before logging


def test_store_in_the_users_home_is_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the appliance: /var/lib/koffer is the koffer user's home and the data dir
    home = tmp_path / "var" / "lib" / "koffer"
    _store(home)
    monkeypatch.setenv("HOME", str(home))
    assert Path.home() == home
    assert ops.check_wipe_target(home) == home.resolve()
    assert _run(["wipe", "--yes", "--data-dir", str(home), *_admin(tmp_path)]) == 0
    assert not (home / "koffer-store.sqlite3").exists()


def test_wipe_needs_the_admin_passphrase(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _populate(data, tmp_path / "outside.txt")
    before = _tree(data)
    wrong = ["--passphrase-file", _secret(tmp_path, "falsch-falsch-falsch")]
    with pytest.raises(AuthenticationError):
        _run(["wipe", "--yes", "--data-dir", str(data), *wrong])
    clerk = ["--account", "clara", "--passphrase-file", _secret(tmp_path, CLERK_PASS)]
    with pytest.raises(StoreError, match="Nur ein Administrator-Konto"):
        _run(["wipe", "--yes", "--data-dir", str(data), *clerk])
    after = _tree(data)
    assert after.keys() == before.keys()
    assert after["keys/device.key"] == before["keys/device.key"]
    assert _run(["wipe", "--yes", "--data-dir", str(data), *_admin(tmp_path)]) == 0
    assert not data.exists()


def test_forced_wipe_needs_a_reason_and_logs_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    _store(data)
    with pytest.raises(ConfigError, match="--reason"):
        _run(["wipe", "--yes", "--force-without-passphrase", "--data-dir", str(data)])
    assert (data / "koffer-store.sqlite3").exists()
    reason = "Koffer zurückgegeben, Passphrase unbekannt"
    argv = ["wipe", "--yes", "--force-without-passphrase", "--reason", reason]
    assert _run([*argv, "--data-dir", str(data)]) == 0
    assert not data.exists()
    assert f"Begründung: {reason}" in capsys.readouterr().err


def _add_unsent(data: Path) -> None:
    con = sqlite3.connect(data / "koffer-store.sqlite3")
    for number, state in enumerate(("sealed", "sending", "acknowledged")):
        con.execute(
            "INSERT INTO outbox (envelope_id, case_id, case_number, case_type, state, "
            "created_at, updated_at, attempts, next_attempt_at, envelope_size, envelope_hash, "
            "payload_hash) VALUES (?, ?, ?, 'anmeldung', ?, 't', 't', 0, 't', 1, 'h', 'h')",
            (f"env-{number}", f"case-{number}", f"2026-00000{number}", state),
        )
    con.commit()
    con.close()


def test_unsent_envelopes_warn_and_need_confirmation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    _store(data)
    _add_unsent(data)
    assert ops.unsent_envelopes(data) == 2
    # --yes alone does not discard unsent cases
    assert _run(["wipe", "--yes", "--data-dir", str(data), *_admin(tmp_path)]) == 1
    assert "2 versiegelte" in capsys.readouterr().err
    assert (data / "koffer-store.sqlite3").exists()
    # asked: the warning names the count; without the word nothing happens
    monkeypatch.setattr("sys.stdin", io.StringIO("nein\n"))
    assert _run(["wipe", "--data-dir", str(data), *_admin(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "WARNUNG: 2 versiegelte" in err and "nichts gelöscht" in err
    assert (data / "koffer-store.sqlite3").exists()
    monkeypatch.setattr("sys.stdin", io.StringIO("LÖSCHEN\n"))
    assert _run(["wipe", "--data-dir", str(data), *_admin(tmp_path)]) == 0
    assert not data.exists()


def test_yes_with_discard_unsent_wipes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _store(data)
    _add_unsent(data)
    argv = ["wipe", "--yes", "--discard-unsent", "--data-dir", str(data), *_admin(tmp_path)]
    assert _run(argv) == 0
    assert not data.exists()


def test_tpm_sealed_keys_are_evicted_before_any_file_is_touched(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _store(data)
    evict_probe.CALLS.clear()
    report = ops.wipe_data_dir(data, evict=evict_probe.evict_sealed_keys)
    assert evict_probe.CALLS == [(data.resolve(), True)]
    assert report.evicted_keys == 2
    assert not data.exists()


def test_cli_wipe_asks_and_keeps_data_without_the_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    _populate(data, tmp_path / "outside.txt")
    for answer in ("nein\n", "löschen\n", ""):
        monkeypatch.setattr("sys.stdin", io.StringIO(answer))
        assert _run(["wipe", "--data-dir", str(data), *_admin(tmp_path)]) == 1
        assert (data / "keys" / "device.key").exists()
    err = capsys.readouterr().err
    assert "LÖSCHEN" in err and "nichts gelöscht" in err


def test_cli_wipe_refuses_links_and_missing_dirs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _store(data)
    link = tmp_path / "link"
    link.symlink_to(data)
    with pytest.raises(ConfigError, match="symbolischer Link"):
        _run(["wipe", "--yes", "--data-dir", str(link), *_admin(tmp_path)])
    with pytest.raises(StoreError, match="nichts zu löschen"):
        _run(["wipe", "--yes", "--data-dir", str(tmp_path / "missing")])
    assert (data / "koffer-store.sqlite3").exists()
