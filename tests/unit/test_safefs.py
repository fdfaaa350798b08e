"""koffer.safefs on real directories, links and FIFOs."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from koffer.errors import StoreError
from koffer.safefs import SafeDir, UnsafeFileError, check_name, shown, write_file


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


# ------------------------------------------------------------------ writing


def test_write_is_atomic_private_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    with SafeDir.open(tmp_path) as folder:
        folder.write("a.json", b"one")
        folder.write("a.json", b"two")
        folder.write("pub.json", b"x", mode=0o644)
    assert (tmp_path / "a.json").read_bytes() == b"two"
    assert _mode(tmp_path / "a.json") == 0o600
    assert _mode(tmp_path / "pub.json") & 0o700 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "pub.json"]


def test_planted_tmp_link_is_never_opened(tmp_path: Path) -> None:
    victim = tmp_path / "victim.conf"
    victim.write_text("keep\n")
    victim.chmod(0o640)
    box = tmp_path / "box"
    box.mkdir()
    (box / "a.json.tmp").symlink_to(victim)
    with SafeDir.open(box) as folder:
        folder.write("a.json", b"data")
    assert victim.read_text() == "keep\n" and _mode(victim) == 0o640
    assert (box / "a.json").read_bytes() == b"data"


def test_link_under_the_final_name_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.conf"
    victim.write_text("keep\n")
    box = tmp_path / "box"
    box.mkdir()
    (box / "a.json").symlink_to(victim)
    with SafeDir.open(box) as folder:
        folder.write("a.json", b"data")
    assert victim.read_text() == "keep\n"
    assert not (box / "a.json").is_symlink()
    assert (box / "a.json").read_bytes() == b"data"


def test_write_without_replace_refuses_an_existing_entry(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(b"old")
    with SafeDir.open(tmp_path) as folder, pytest.raises(UnsafeFileError, match="gibt es schon"):
        folder.write("a.json", b"new", replace=False)
    assert (tmp_path / "a.json").read_bytes() == b"old"


@pytest.mark.parametrize("name", ["../x", "a/b", ".hidden", "x\n", "", "a\x00b", "é.json"])
def test_names_that_are_not_plain_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(UnsafeFileError):
        check_name(name)
    with SafeDir.open(tmp_path) as folder, pytest.raises(UnsafeFileError):
        folder.write(name, b"x")
    assert list(tmp_path.iterdir()) == []


def test_write_file_creates_the_directory_0700(tmp_path: Path) -> None:
    write_file(tmp_path / "new" / "req.json", b"{}")
    assert _mode(tmp_path / "new") == 0o700
    assert (tmp_path / "new" / "req.json").read_bytes() == b"{}"


def test_errors_belong_to_the_one_tree(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        SafeDir.open(tmp_path / "missing")
    assert "gibt es nicht" in info.value.message


# ------------------------------------------------------------------ directories


def test_directory_link_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    with pytest.raises(UnsafeFileError, match="Verknüpfung"):
        SafeDir.open(tmp_path / "link")
    with SafeDir.open(tmp_path) as root, pytest.raises(UnsafeFileError, match="Verknüpfung"):
        root.subdir("link")
    with SafeDir.open(tmp_path) as root, pytest.raises(UnsafeFileError, match="Verknüpfung"):
        root.subdir("link", create=True)
    assert list(real.iterdir()) == []


def test_world_writable_directory_is_refused_unless_sticky(tmp_path: Path) -> None:
    box = tmp_path / "box"
    box.mkdir()
    box.chmod(0o777)
    with pytest.raises(UnsafeFileError, match="beschreibbar"):
        SafeDir.open(box)
    box.chmod(0o775)
    with pytest.raises(UnsafeFileError, match="beschreibbar"):
        SafeDir.open(box)
    box.chmod(0o1777)
    with SafeDir.open(box) as folder:
        folder.write("ok.json", b"1")
    assert (box / "ok.json").read_bytes() == b"1"


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a directory away needs root")
def test_directory_of_another_user_is_refused(tmp_path: Path) -> None:
    box = tmp_path / "box"
    box.mkdir()
    os.chown(box, 65534, 65534)
    with pytest.raises(UnsafeFileError, match="anderen Benutzer"):
        SafeDir.open(box)
    with pytest.raises(UnsafeFileError, match="anderen Benutzer"):
        SafeDir.create_new(box)


def test_create_new_makes_a_private_directory(tmp_path: Path) -> None:
    with SafeDir.create_new(tmp_path / "a" / "out") as folder:
        folder.write("x.json", b"1")
    assert _mode(tmp_path / "a" / "out") == 0o700


def test_create_new_takes_an_empty_own_directory_and_tightens_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o755)
    with SafeDir.create_new(out):
        pass
    assert _mode(out) == 0o700


def test_create_new_refuses_a_directory_that_is_not_empty(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "x.json.tmp").symlink_to(tmp_path / "loot.json")
    with pytest.raises(UnsafeFileError, match="nicht leer"):
        SafeDir.create_new(out)
    assert not (tmp_path / "loot.json").exists()


def test_create_new_refuses_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "out").symlink_to(real, target_is_directory=True)
    with pytest.raises(UnsafeFileError, match="Verknüpfung"):
        SafeDir.create_new(tmp_path / "out")


# ------------------------------------------------------------------ reading


def test_read_regular_file_up_to_the_limit(tmp_path: Path) -> None:
    (tmp_path / "a.kenv").write_bytes(b"x" * 100)
    with SafeDir.open(tmp_path) as folder:
        assert folder.read("a.kenv", 100) == b"x" * 100
        with pytest.raises(UnsafeFileError, match="größer als"):
            folder.read("a.kenv", 99)


def test_read_refuses_links_directories_and_devices(tmp_path: Path) -> None:
    (tmp_path / "zero.kenv").symlink_to("/dev/zero")
    (tmp_path / "dir.kenv").mkdir()
    with SafeDir.open(tmp_path) as folder:
        with pytest.raises(UnsafeFileError, match="Verknüpfung"):
            folder.read("zero.kenv", 1024)
        with pytest.raises(UnsafeFileError, match="Verzeichnis"):
            folder.read("dir.kenv", 1024)
    with SafeDir.open(Path("/dev")) as dev, pytest.raises(UnsafeFileError, match="Gerätedatei"):
        dev.read("zero", 1024)


def test_read_of_a_fifo_does_not_block(tmp_path: Path) -> None:
    """In a child process with a timeout: a blocking open would fail the test."""
    os.mkfifo(tmp_path / "pipe.kenv")
    code = (
        "import sys\nfrom pathlib import Path\nfrom koffer.safefs import SafeDir, UnsafeFileError\n"
        "with SafeDir.open(Path(sys.argv[1])) as folder:\n"
        "    try:\n        folder.read('pipe.kenv', 1024)\n"
        "    except UnsafeFileError as exc:\n        print(exc.message)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "benannte Pipe" in result.stdout


def test_read_stops_at_the_limit_when_the_size_says_less() -> None:
    """/proc files report size 0 and have content: the chunked read enforces
    the limit itself instead of trusting fstat."""
    with SafeDir.open(Path(f"/proc/{os.getpid()}")) as proc:
        assert stat.S_ISREG(os.stat("maps", dir_fd=proc.fd).st_mode)
        with pytest.raises(UnsafeFileError, match="größer als"):
            proc.read("maps", 16)


def test_names_lists_entries_without_following_them(tmp_path: Path) -> None:
    (tmp_path / "b").write_bytes(b"")
    (tmp_path / "a").symlink_to("/nonexistent")
    with SafeDir.open(tmp_path) as folder:
        assert folder.names() == ["a", "b"]
        assert folder.has("a") and not folder.has("c")


def test_shown_escapes_control_characters() -> None:
    assert shown("a\x1b[2Jb\n.kenv") == "a\\x1b[2Jb\\x0a.kenv"
    assert len(shown("x" * 500)) == 118


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a directory away needs root")
def test_read_only_directory_of_another_user_can_be_read(tmp_path: Path) -> None:
    """A stick written elsewhere carries foreign owners: reading is fine (the
    files are data), writing there is not."""
    box = tmp_path / "box"
    box.mkdir()
    (box / "r.json").write_bytes(b"{}")
    os.chown(box, 1234, 1234)
    (tmp_path / "link").symlink_to(box, target_is_directory=True)
    with SafeDir.open(box, read_only=True) as folder:
        assert folder.read("r.json", 10) == b"{}"
    with pytest.raises(UnsafeFileError, match="Verknüpfung"):
        SafeDir.open(tmp_path / "link", read_only=True)
