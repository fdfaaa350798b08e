"""The suitcase's side of the removable-media route: ``koffer outbox export``
follows no planted link, and ``koffer outbox import-receipts`` imports every
genuine receipt even when one beside it is tampered with or is no file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.integration.hostile_files.conftest import Site, make_site, run_koffer


def _import_on_backend(site: Site) -> None:
    result = run_koffer("backend", "import", "--from", str(site.stick), *site.backend_args())
    assert result.returncode == 0, result.stderr


def test_one_tampered_receipt_does_not_stop_the_genuine_ones(tmp_path: Path) -> None:
    site = make_site(tmp_path, 3)
    _import_on_backend(site)
    receipts = site.stick / "receipts"
    tampered_id = site.envelope_ids[1]
    doc = json.loads((receipts / f"{tampered_id}.json").read_text())
    doc["body"]["received_at"] = "2000-01-01T00:00:00Z"
    (receipts / f"{tampered_id}.json").write_text(json.dumps(doc))
    os.mkfifo(receipts / "a-fifo.json")
    (receipts / "b-zero.json").symlink_to("/dev/zero")
    (receipts / "c-garbage.json").write_bytes(b"\xff\xfe{")

    result = run_koffer("outbox", "import-receipts", "--from", str(site.stick), *site.suitcase_args)

    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 3
    assert "2 Quittungen übernommen, 4 fehlerhaft." in result.stdout
    lines = result.stderr.splitlines()
    for name in (f"{tampered_id}.json", "a-fifo.json", "b-zero.json", "c-garbage.json"):
        assert sum(name in line for line in lines) == 1, (name, result.stderr)
    tampered_line = next(line for line in lines if tampered_id in line)
    assert "ungültig" in tampered_line
    states = site.outbox_states()
    assert states.pop(tampered_id) != "purged"
    assert set(states.values()) == {"purged"}


def test_outbox_export_follows_no_planted_link(site: Site, outside: Path) -> None:
    stick = site.stick
    victim = outside / "victim.conf"
    victim.write_text("keep me\n")
    victim.chmod(0o640)
    for envelope_id in site.envelope_ids:
        (stick / "envelopes" / f"{envelope_id}.kenv").unlink()
        (stick / "envelopes" / f"{envelope_id}.kenv.tmp").symlink_to(victim)
    (stick / "manifest.json").unlink()
    (stick / "manifest.json").symlink_to(victim)
    (stick / "manifest.json.tmp").symlink_to(victim)

    result = run_koffer("outbox", "export", "--to", str(stick), *site.suitcase_args)

    assert result.returncode == 0, result.stderr
    assert victim.read_text() == "keep me\n"
    assert victim.stat().st_mode & 0o777 == 0o640
    assert not (stick / "manifest.json").is_symlink()
    assert len(json.loads((stick / "manifest.json").read_text())) == 2
    for envelope_id in site.envelope_ids:
        kenv = stick / "envelopes" / f"{envelope_id}.kenv"
        assert kenv.is_file() and not kenv.is_symlink()
        assert kenv.read_bytes().startswith(b"KOFE")


def test_outbox_export_refuses_an_envelopes_link(site: Site, outside: Path) -> None:
    stick = site.stick
    for path in (stick / "envelopes").iterdir():
        path.unlink()
    (stick / "envelopes").rmdir()
    (stick / "envelopes").symlink_to(outside, target_is_directory=True)

    result = run_koffer("outbox", "export", "--to", str(stick), *site.suitcase_args)

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "Verknüpfung" in result.stderr
    assert list(outside.iterdir()) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a directory away needs root")
def test_receipts_on_a_stick_from_another_user_are_read(site: Site) -> None:
    """The back end may run as its own user: the suitcase only reads the
    receipts folder, so a foreign owner does not stop the import."""
    _import_on_backend(site)
    for path in (site.stick, site.stick / "receipts"):
        os.chown(path, 1234, 1234)

    result = run_koffer("outbox", "import-receipts", "--from", str(site.stick), *site.suitcase_args)

    assert result.returncode == 0, result.stderr
    assert "2 Quittungen übernommen, 0 fehlerhaft." in result.stdout
    assert set(site.outbox_states().values()) == {"purged"}
