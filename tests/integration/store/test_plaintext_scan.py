"""Nothing personal in plaintext anywhere in the data directory.

Cases with known names are written, updated, partly deleted and shredded;
then EVERY byte of EVERY file in the data directory (database, WAL, shm,
journal …) is searched for the names in UTF-8, UTF-16-LE and UTF-16-BE, each
in NFC and NFD: no hit, while the store is open and after it is closed.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from koffer.store import Store, StoreSettings

NAMES = ("Nœl Dvořák-Þórsdóttir", "Zoë Müller", "Dvořák", "Þórsdóttir", "Müller")
ADDRESS = "Kirchgäßchen 12, 01945 Lindenau"
PASS = "geheime-passphrase"


def _needles() -> list[bytes]:
    needles: set[bytes] = set()
    for text in (*NAMES, ADDRESS):
        for form in ("NFC", "NFD"):
            normal = unicodedata.normalize(form, text)
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                needles.add(normal.encode(encoding))
    return sorted(needles)


def _hits(data_dir: Path) -> list[str]:
    found = []
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert files, "nothing to scan"
    for path in files:
        content = path.read_bytes()
        for needle in _needles():
            if needle in content:
                found.append(f"{path.name}: {needle!r}")
    return found


def _payload(name: str, step: int) -> dict[str, object]:
    given, family = name.split(" ", 1)
    return {
        "persons": [
            {"familienname": family, "vornamen": [given], "nfd": unicodedata.normalize("NFD", name)}
        ],
        "address": ADDRESS,
        "step": step,
        "notes": f"{name} zieht nach {ADDRESS}",
    }


def test_scanner_finds_plaintext(tmp_path: Path) -> None:
    """The scan below is not vacuous: a plaintext name is found in every encoding."""
    (tmp_path / "leak.bin").write_bytes(
        b"x" + unicodedata.normalize("NFD", NAMES[1]).encode("utf-16-be") + b"y"
    )
    assert _hits(tmp_path)


@pytest.mark.parametrize("shred_all", [False, True])
def test_no_personal_plaintext_in_the_data_directory(tmp_path: Path, shred_all: bool) -> None:
    settings = StoreSettings.insecure_fast()
    data_dir = tmp_path / "data"
    Store.create(data_dir, "admin", PASS, settings)
    store = Store.open(data_dir, settings)
    unlocked = store.unlock("admin", PASS)
    case_ids = []
    for name in NAMES[:2]:
        attachments = {
            "photo": name.encode("utf-8") * 50,
            "signature-strokes": name.encode("utf-16-le") * 20,
            "fp-r2": unicodedata.normalize("NFD", name).encode("utf-8") * 30,
        }
        case_id = unlocked.create_case("personalausweis", _payload(name, 0), attachments)
        case_ids.append(case_id)
        for step in range(1, 6):  # the kiosk saves on every field change
            unlocked.save_case(
                case_id, _payload(name, step), {"photo": name.encode() * (50 + step)}
            )
        unlocked.save_case(case_id, None, {"fp-r2": None})
        unlocked.set_state(case_id, "ready")
        assert unlocked.load_case(case_id).payload["step"] == 5

    assert _hits(data_dir) == []  # open, WAL in use
    unlocked.destroy_case_key(case_ids[0])
    if shred_all:
        unlocked.destroy_case_key(case_ids[1])
    assert _hits(data_dir) == []
    unlocked.close()
    store.close()
    assert _hits(data_dir) == []  # closed: WAL folded into the database

    # reopening still yields the data that was not shredded
    with Store.open(data_dir, settings) as again, again.unlock("admin", PASS) as reader:
        if not shred_all:
            person = reader.load_case(case_ids[1]).payload["persons"][0]
            assert person["vornamen"] == ["Zoë"] and person["familienname"] == "Müller"
        assert [m.readable for m in reader.list_cases()] == [False, not shred_all]
    assert _hits(data_dir) == []
