"""``koffer backend import --from DIR`` with a stick prepared by an attacker or
a careless operator: every bad file is reported in German with its name, the
valid envelope beside it is still imported, and nothing is written through a
planted link."""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path

from koffer.crypto import sealing
from tests.integration.hostile_files.conftest import Site, run_koffer

LIMIT = 64 * 1024 * 1024


def _framed(header: bytes) -> bytes:
    """Envelope framing around an arbitrary header (and a dummy signature/body)."""
    sig = b"\x01" * 64
    return (
        sealing.ENVELOPE_MAGIC
        + struct.pack(">BI", sealing.FORMAT_VERSION, len(header))
        + header
        + struct.pack(">H", len(sig))
        + sig
        + b"ciphertext"
    )


def _tampered(data: bytes) -> bytes:
    """The same envelope with its last ciphertext byte flipped: the id stays
    readable, the signature no longer matches."""
    return data[:-1] + bytes([data[-1] ^ 0x01])


def _import(site: Site) -> tuple[int, str, str]:
    result = run_koffer("backend", "import", "--from", str(site.stick), *site.backend_args())
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout, result.stderr


def test_planted_links_in_refusals_and_receipts_leave_the_victims_unchanged(
    site: Site, outside: Path
) -> None:
    good, bad = site.envelope_ids
    victim = outside / "victim.conf"
    victim.write_text("setting = 1\n")
    victim.chmod(0o640)
    second = outside / "second.conf"
    second.write_text("other = 2\n")
    # the refused envelope keeps its real id; the file name is chosen by the attacker
    (site.envelopes / f"{bad}.kenv").rename(site.envelopes / "v1.kenv")
    original = (site.envelopes / "v1.kenv").read_bytes()
    (site.envelopes / "v1.kenv").write_bytes(_tampered(original))
    (site.envelopes / "garbage.kenv").write_bytes(b"not an envelope at all")
    for folder in ("refusals", "receipts"):
        (site.stick / folder).mkdir()
    (site.stick / "refusals" / "v1.json.tmp").symlink_to(victim)
    (site.stick / "refusals" / "v1.json").symlink_to(victim)
    (site.stick / "refusals" / f"{bad}.json.tmp").symlink_to(victim)
    (site.stick / "refusals" / f"{bad}.json").symlink_to(second)
    (site.stick / "receipts" / f"{good}.json.tmp").symlink_to(victim)
    (site.stick / "receipts" / "v1.json").symlink_to(victim)

    code, out, err = _import(site)

    assert code == 3
    assert "1 Umschläge übernommen, 2 abgelehnt." in out
    assert "v1.kenv" in err and "garbage.kenv" in err
    assert victim.read_text() == "setting = 1\n"
    assert victim.stat().st_mode & 0o777 == 0o640
    assert second.read_text() == "other = 2\n"
    # the refusal is named by the envelope id and replaced the planted link
    refusal = site.stick / "refusals" / f"{bad}.json"
    assert not refusal.is_symlink() and refusal.is_file()
    assert json.loads(refusal.read_text())["code"] == "bad_signature"
    receipt = site.stick / "receipts" / f"{good}.json"
    assert not receipt.is_symlink() and json.loads(receipt.read_text())["body"]["envelope_id"]
    # nothing was named after an incoming file, no temporary file is left over
    assert (site.stick / "refusals" / "v1.json").is_symlink()
    leftovers = [p.name for p in site.stick.rglob(".*.tmp")]
    assert leftovers == []
    assert site.states() == {good: "received"}


def test_receipts_folder_as_a_link_is_refused(site: Site, outside: Path) -> None:
    (site.stick / "receipts").symlink_to(outside, target_is_directory=True)

    code, _out, err = _import(site)

    assert code != 0
    assert "receipts" in err and "Verknüpfung" in err
    assert list(outside.iterdir()) == []
    assert site.states() == {}


def test_fifo_device_link_directory_deep_and_huge_files_are_skipped(site: Site) -> None:
    good, _other = site.envelope_ids
    env = site.envelopes
    (env / f"{good}.kenv").rename(env / "zz-valid.kenv")
    os.mkfifo(env / "a-fifo.kenv")
    (env / "b-zero.kenv").symlink_to("/dev/zero")
    (env / "c-dir.kenv").mkdir()
    (env / "d-deep.kenv").write_bytes(_framed(b"[" * 1500 + b"]" * 1500))
    number = b'{"case_type":"anmeldung","created":"2026-01-01T00:00:00Z","device_id":"x",'
    number += b'"envelope_id":"00000000-0000-4000-8000-000000000000","key_id":"k",'
    number += b'"schema_version":1,"suite":"s","v":1e400}'
    (env / "e-number.kenv").write_bytes(_framed(number))
    with (env / "f-huge.kenv").open("wb") as f:
        f.truncate(LIMIT + 1)  # sparse: larger than the envelope limit
    (env / "g-garbage.kenv").write_bytes(os.urandom(4096))
    (env / "h\x1b[2J.kenv").write_bytes(b"KOFE")  # a control sequence in the name

    code, out, err = _import(site)

    assert code == 3
    assert "2 Umschläge übernommen, 8 abgelehnt." in out
    lines = err.splitlines()

    def line(name: str) -> str:
        found = [x for x in lines if name in x]
        assert len(found) == 1, (name, err)
        return found[0]

    assert "benannte Pipe" in line("a-fifo.kenv")
    assert "Verknüpfung" in line("b-zero.kenv")
    assert "Verzeichnis" in line("c-dir.kenv")
    assert "Umschlag" in line("d-deep.kenv")
    assert "Umschlag" in line("e-number.kenv")
    assert "größer als 64 MiB" in line("f-huge.kenv")
    assert "Umschlag" in line("g-garbage.kenv")
    assert "\x1b" not in err and "h\\x1b[2J.kenv" in err
    assert set(site.states().values()) == {"received"}
    assert len(site.states()) == 2
    assert (site.stick / "receipts" / f"{good}.json").is_file()
