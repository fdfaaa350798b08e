"""``koffer backend export --out DIR`` writes only into a directory of its own:
new (created 0700) or empty and owned by the caller. Links another local user
planted cannot capture a case, and a case is marked exported only after its
files are written."""

from __future__ import annotations

import os
import stat
import struct
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from koffer.backend.db import ReceivedCase
from koffer.backend.export import _open
from koffer.backend.server import Backend
from koffer.crypto import aead, sealing
from tests.integration.hostile_files.conftest import Site, as_other_user, run_koffer


@pytest.fixture
def received(site: Site) -> Site:
    result = run_koffer("backend", "import", "--from", str(site.stick), *site.backend_args())
    assert result.returncode == 0, result.stderr
    assert set(site.states().values()) == {"received"}
    return site


def _export(site: Site, out: Path) -> tuple[int, str]:
    result = run_koffer("backend", "export", "--out", str(out), *site.backend_args())
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr


def test_export_creates_a_private_directory(received: Site, tmp_path: Path) -> None:
    out = tmp_path / "new" / "export"
    code, err = _export(received, out)
    assert code == 0, err
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len([p for p in files if p.suffix == ".json"]) == 2
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
    assert set(received.states().values()) == {"exported"}


@pytest.mark.skipif(os.geteuid() != 0, reason="acting as another local user needs root")
def test_directory_planted_by_another_user_is_refused(received: Site, shared_dir: Path) -> None:
    ids = received.envelope_ids
    out = shared_dir / "export"
    loot = shared_dir / "loot.json"
    # the attacker read the ids from the database and prepared the trap
    as_other_user(
        "import os, sys\n"
        f"out, loot, ids = {str(out)!r}, {str(loot)!r}, {ids!r}\n"
        "open(loot, 'w').close(); os.chmod(loot, 0o666)\n"
        "os.mkdir(out, 0o777); os.chmod(out, 0o777)\n"
        "for i in ids:\n"
        "    for suffix in ('.json.tmp', '.json', '.xml.tmp', '.xml'):\n"
        "        os.symlink(loot, os.path.join(out, i + suffix))\n"
    )
    assert out.stat().st_uid == 65534

    code, err = _export(received, out)

    assert code != 0
    assert "gehört einem anderen Benutzer" in err
    assert loot.read_bytes() == b""
    assert set(received.states().values()) == {"received"}
    # a fresh directory then works, and only then are the cases exported
    code, err = _export(received, shared_dir / "fresh")
    assert code == 0, err
    assert set(received.states().values()) == {"exported"}
    assert loot.read_bytes() == b""


def test_own_directory_with_planted_links_is_refused(received: Site, tmp_path: Path) -> None:
    out = tmp_path / "export"
    out.mkdir()
    loot = tmp_path / "loot.json"
    loot.write_bytes(b"")
    for envelope_id in received.envelope_ids:
        (out / f"{envelope_id}.json.tmp").symlink_to(loot)

    code, err = _export(received, out)

    assert code != 0
    assert "nicht leer" in err
    assert loot.read_bytes() == b""
    assert set(received.states().values()) == {"received"}


def test_out_as_a_link_is_refused(received: Site, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir()
    (tmp_path / "export").symlink_to(target, target_is_directory=True)

    code, err = _export(received, tmp_path / "export")

    assert code != 0
    assert "Verknüpfung" in err
    assert list(target.iterdir()) == []
    assert set(received.states().values()) == {"received"}


def _payload_with_name(case: Mapping[str, Any], name: str, data: bytes) -> bytes:
    """Payload bytes in the canonical layout, with an attachment name that no
    well-behaved suitcase would produce (built by hand: encode_payload refuses)."""
    head = sealing.canonical_json(
        {
            "schema_version": 1,
            "case": case,
            "attachments": [
                {
                    "name": name,
                    "media_type": "image/jpeg",
                    "length": len(data),
                    "sha256": sealing.sha256_hex(data),
                }
            ],
        }
    )
    return sealing.PAYLOAD_MAGIC + struct.pack(">BI", 1, len(head)) + head + data


def test_case_marked_exported_only_after_its_files_are_written(
    received: Site, tmp_path: Path
) -> None:
    """A stored case whose attachment name is not a plain file name (a trailing
    newline, as a corrupted or hostile row could hold) stops the export before
    any file of it is written: the case before it is exported, it stays received."""
    with Backend.open(received.backend_dir) as backend, backend.intake.sessions() as session:
        rows = session.query(ReceivedCase).order_by(ReceivedCase.received_at).all()
        first, second = rows[0].envelope_id, rows[1].envelope_id
        case = _open(backend.intake.keys, rows[1]).case
        rows[1].payload = aead.encrypt(
            backend.intake.keys.storage_key,
            _payload_with_name(case, "photo.jpg\n", b"x"),
            second.encode(),
        )
        session.commit()
    out = tmp_path / "export"

    code, _err = _export(received, out)

    assert code != 0
    assert received.states() == {first: "exported", second: "received"}
    assert (out / f"{first}.json").is_file() and (out / f"{first}.xml").is_file()
    assert not (out / f"{second}.json").exists()
    assert not (out / f"{second}.xml").exists()
    assert not (out / second).exists()
