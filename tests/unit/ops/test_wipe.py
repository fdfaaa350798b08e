"""``koffer wipe``: keys first, real overwrite, nothing outside touched."""

from __future__ import annotations

import argparse
import io
import os
from pathlib import Path

import pytest

from koffer import ops
from koffer.errors import ConfigError, StoreError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="koffer")
    ops.register(parser.add_subparsers(dest="command"))
    return parser


def _run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    result: int = args.func(args)
    return result


def _populate(data: Path, outside: Path) -> dict[str, bytes]:
    data.mkdir(mode=0o700)
    files = {
        "koffer-store.sqlite3": b"SQLite format 3\x00" + b"\x11" * 5000,
        "koffer-store.sqlite3-wal": b"\x22" * 3000,
        "keys/device.key": b"-----BEGIN PRIVATE KEY-----\n" + b"A" * 200,
        "export/notes.txt": b"harmless configuration " * 10,
        "deep/a/b/blob.bin": b"\x33" * (ops.CHUNK + 17),
    }
    for rel, content in files.items():
        path = data / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    outside.write_bytes(b"must survive")
    (data / "link-to-outside").symlink_to(outside)
    (data / "linked-dir").symlink_to(outside.parent)
    return files


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

    report = ops.wipe_data_dir(data, home=tmp_path / "home")

    assert not data.exists()
    assert outside.read_bytes() == b"must survive"
    ranks = [ops.wipe_rank(Path(rel)) for rel in report.overwritten]
    assert ranks == sorted(ranks)
    assert report.overwritten[0] == "keys/device.key"
    assert set(report.overwritten[1:3]) == {"koffer-store.sqlite3", "koffer-store.sqlite3-wal"}
    assert sorted(report.removed_links) == ["link-to-outside", "linked-dir"]
    assert report.bytes_overwritten == sum(len(c) for c in files.values())
    for rel, content in files.items():
        after = witnesses[rel].read_bytes()
        assert len(after) == len(content)
        assert after != content, rel


def test_wipe_uses_the_given_random_source(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "koffer-store.sqlite3").write_bytes(b"secret" * 100)
    witness = tmp_path / "w"
    os.link(data / "koffer-store.sqlite3", witness)
    ops.wipe_data_dir(data, random_bytes=lambda n: b"\xa5" * n, home=tmp_path / "home")
    assert witness.read_bytes() == b"\xa5" * 600


def test_wipe_rank() -> None:
    assert ops.wipe_rank(Path("tls/client.pem")) == 0
    assert ops.wipe_rank(Path("store_key.bin")) == 0
    assert ops.wipe_rank(Path("koffer-store.sqlite3-shm")) == 1
    assert ops.wipe_rank(Path("koffer-store.sqlite3")) == 1
    assert ops.wipe_rank(Path("readme.txt")) == 2


@pytest.mark.parametrize("path", ["/", "/etc", "/var/lib", "/home", "/tmp"])
def test_wipe_refuses_system_directories(path: str) -> None:
    with pytest.raises(ConfigError) as info:
        ops.check_wipe_target(Path(path))
    assert "nicht gelöscht" in info.value.message


def test_wipe_refuses_home_symlink_and_missing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    with pytest.raises(ConfigError):
        ops.check_wipe_target(home, home=home)
    link = tmp_path / "link"
    link.symlink_to(home)
    with pytest.raises(ConfigError, match="symbolischer Link"):
        ops.check_wipe_target(link, home=tmp_path / "x")
    with pytest.raises(StoreError, match="nichts zu löschen"):
        ops.check_wipe_target(tmp_path / "missing", home=home)


def test_cli_wipe_asks_and_keeps_data_without_the_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    _populate(data, tmp_path / "outside.txt")
    for answer in ("nein\n", "löschen\n", ""):
        monkeypatch.setattr("sys.stdin", io.StringIO(answer))
        assert _run(["wipe", "--data-dir", str(data)]) == 1
        assert (data / "keys" / "device.key").exists()
    err = capsys.readouterr().err
    assert "LÖSCHEN" in err and "nichts gelöscht" in err


def test_cli_wipe_with_confirmation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    _populate(data, tmp_path / "outside.txt")
    monkeypatch.setattr("sys.stdin", io.StringIO("LÖSCHEN\n"))
    assert _run(["wipe", "--data-dir", str(data)]) == 0
    assert not data.exists()
    assert "Gelöscht" in capsys.readouterr().out


def test_cli_wipe_yes_skips_question(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _populate(data, tmp_path / "outside.txt")
    assert _run(["wipe", "--yes", "--data-dir", str(data)]) == 0
    assert not data.exists()
    assert (tmp_path / "outside.txt").read_bytes() == b"must survive"


def test_cli_wipe_missing_dir_raises_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        _run(["wipe", "--yes", "--data-dir", str(tmp_path / "missing")])
