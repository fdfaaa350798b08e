"""Theft: after a visit with known names nothing personal is readable, not even with the passphrase.

A real ``koffer simulate-visit`` process (``TMPDIR`` pointed at a private
directory) captures and seals cases of people with known names (the people
file spells some of them in NFD). The data directory, the temp directory,
the back end's directory and the captured stdout/stderr are scanned for
every name in UTF-8, UTF-16-LE and UTF-16-BE, each NFC and NFD.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import func, select

from koffer.backend.server import Backend, BackendServer
from koffer.errors import StoreError
from koffer.store.models import AttachmentRecord
from koffer.store.store import Store
from tests.integration.transmission.conftest import PASSPHRASE
from tests.reliability import procs, report
from tests.reliability.test_crash import _enrolled_suitcase

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = [
    {"family_name": "Müller-Dvořák", "given_names": ["Zoë-Léonie"], "birth_place": "Görlitz"},
    {"family_name": "Þórsdóttir", "given_names": ["Sigríður"], "birth_place": "Zwickau"},
    {"family_name": "Nœlleßen", "given_names": ["Jürgen", "Ângela"], "birth_place": "Lübbenau"},
]
NAMES = sorted(
    {p["family_name"] for p in PEOPLE} | {g for p in PEOPLE for g in p["given_names"]}  # type: ignore[misc]
)


def needles(names: list[str]) -> list[bytes]:
    found: set[bytes] = set()
    for name in names:
        for form in ("NFC", "NFD"):
            text = unicodedata.normalize(form, name)
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                found.add(text.encode(encoding))
    return sorted(found)


def scan(paths: list[Path], blobs: dict[str, bytes], names: list[str]) -> list[str]:
    """Every (file or blob, needle) hit; files are read whole, all bytes."""
    hits: list[str] = []
    sources = dict(blobs)
    for root in paths:
        for path in [root] if root.is_file() else sorted(root.rglob("*")):
            if path.is_file():
                sources[str(path)] = path.read_bytes()
    for where, content in sources.items():
        hits += [f"{where}: {n!r}" for n in needles(names) if n in content]
    return hits


def _people_file(path: Path) -> None:
    lines = []
    for i, person in enumerate(PEOPLE):
        entry = dict(person, birth_date=f"198{i}-0{i + 1}-1{i}", sex="wmx"[i])
        if i != 1:  # NFD in the input; the product normalises to NFC
            entry["family_name"] = unicodedata.normalize("NFD", str(entry["family_name"]))
        lines.append(json.dumps(entry, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_scanner_finds_a_planted_name(tmp_path: Path) -> None:
    for i, (form, encoding) in enumerate(
        [("NFC", "utf-8"), ("NFD", "utf-8"), ("NFC", "utf-16-le"), ("NFD", "utf-16-be")]
    ):
        planted = tmp_path / f"leak{i}.bin"
        planted.write_bytes(b"\0x" + unicodedata.normalize(form, NAMES[i]).encode(encoding))
    assert len(scan([tmp_path], {}, NAMES)) == 4
    assert scan([], {"stdout": NAMES[0].encode()}, NAMES)


@pytest.mark.parametrize("seal", [True, False], ids=["sealed", "captured-only"])
def test_no_name_on_disk_in_temp_or_logs(
    tmp_path: Path, backend: Backend, backend_dir: Path, server: BackendServer, seal: bool
) -> None:
    timer = report.Timer()
    data, tmp = tmp_path / "suitcase", tmp_path / "tmp"
    tmp.mkdir()
    _enrolled_suitcase(data, backend, server, "theft")
    people = tmp_path / "people.jsonl"
    _people_file(people)
    secret = tmp_path / "pass"
    secret.write_text(PASSPHRASE, encoding="utf-8")
    cfg = tmp_path / "koffer.toml"
    cfg.write_text("[store]\nargon2_memory_kib = 7168\nargon2_iterations = 5\n", encoding="utf-8")
    argv = [sys.executable, "-m", "koffer.commands.cli", "simulate-visit", "--data-dir", str(data)]
    argv += ["--config", str(cfg), "--passphrase-file", str(secret), "--people", str(people)]
    argv += ["--cases", "6", "--case-type", "mixed"]
    argv += ["--sync"] if seal else ["--no-seal"]
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    summary = json.loads(done.stdout)
    assert summary["cases"] == 6
    hits = scan([data, tmp, backend_dir], {"stdout": done.stdout, "stderr": done.stderr}, NAMES)
    with Store.open(data, procs.FAST) as store, store.unlock("admin", PASSPHRASE) as s:
        metas = s.list_cases()
        assert len(metas) == 6
        if seal:
            # the passphrase is known, and still nothing can be read
            for meta in metas:
                assert meta.state == "sealed" and not meta.readable
                with pytest.raises(StoreError, match="unwiderruflich gelöscht"):
                    s.load_case(meta.case_id)
                with pytest.raises(StoreError):
                    s.load_attachment(meta.case_id, "photo.jpg")
            with s.transaction() as session:
                assert session.scalar(select(func.count()).select_from(AttachmentRecord)) == 0
            assert backend.intake.stats()["total"] == 6
        else:  # captured, not sealed: readable with the passphrase only
            texts = json.dumps([s.load_case(m.case_id).payload for m in metas], ensure_ascii=False)
            assert unicodedata.normalize("NFC", "Müller-Dvořák") in texts
    report.record(
        "theft",
        f"plaintext scan after a visit ({'sealed + sent' if seal else 'captured, not sealed'})",
        iterations=1,
        faults=0,
        hits=len(hits),
        seconds=timer.seconds,
        note=f"{len(needles(NAMES))} needles x data dir, TMPDIR, back end dir, stdout, stderr",
    )
    assert hits == []
