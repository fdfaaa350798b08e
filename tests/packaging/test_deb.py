"""The Debian package: built with packaging/build-deb, then inspected and
installed into a scratch root.

The build uses ``--app-only --offline`` (only the application's wheel, built
without network) so that it takes seconds; the full wheelhouse differs only in
the number of wheels. Installation uses ``dpkg --root`` with
``--force-script-chrootless``: the maintainer scripts run on this machine with
``DPKG_ROOT`` set and then touch only files below the scratch root. Stub
commands first on PATH make the test fail if a script tries to create users,
talk to systemd or udev on the host anyway.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import koffer

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
#: the first 16 bytes of every compiled Qt translation (.qm)
QM_MAGIC = bytes.fromhex("3cb86418caef9c95cd211cbf60a1bddd")
SCRIPTS = ("postinst", "prerm", "postrm")
HOST_COMMANDS = (
    "adduser",
    "addgroup",
    "useradd",
    "runuser",
    "chown",
    "systemctl",
    "deb-systemd-helper",
    "deb-systemd-invoke",
    "udevadm",
)

pytestmark = pytest.mark.skipif(
    shutil.which("dpkg-deb") is None, reason="dpkg-deb is not installed (apt-get install dpkg)"
)


def _run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload, no-any-return]


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = _run([str(PACKAGING / "build-deb"), "--app-only", "--offline", "--out", str(out)])
    path = Path(result.stdout.strip().splitlines()[-1])
    assert path.parent == out and path.is_file()
    return path


def _field(deb: Path, name: str) -> str:
    return _run(["dpkg-deb", "-f", str(deb), name]).stdout.strip()


def test_file_name_version_and_architecture(deb: Path) -> None:
    assert deb.name == f"buergerservice-koffer_{koffer.__version__}_all.deb"
    assert _field(deb, "Package") == "buergerservice-koffer"
    assert _field(deb, "Version") == koffer.__version__
    assert _field(deb, "Architecture") == "all"


def test_control_depends(deb: Path) -> None:
    depends = [d.strip() for d in _field(deb, "Depends").split(",")]
    for needed in (
        "python3 (>= 3.11)",
        "python3-venv",
        "cage",
        "libusb-1.0-0",
        "fonts-noto-core",
        "libegl1",
        "libgl1",
        "libxkbcommon0",
        "adduser",
        "xwayland",  # cage 0.1.4 aborts without /usr/bin/Xwayland
        "libgl1-mesa-dri",
    ):
        assert needed in depends
    assert "TEST BUILD" in _field(deb, "Description")
    # Recommends are installed by default; cups-ipp-utils would pull in avahi-daemon
    assert _field(deb, "Recommends") == ""
    assert "avahi" not in _field(deb, "Depends")


def _listing(deb: Path) -> dict[str, str]:
    """path -> permission string, from dpkg-deb -c."""
    entries = {}
    for line in _run(["dpkg-deb", "-c", str(deb)]).stdout.splitlines():
        fields = line.split()
        perms, owner, path = fields[0], fields[1], fields[5]
        assert owner == "root/root", line
        entries[path.removeprefix(".")] = perms
    return entries


def test_file_list(deb: Path) -> None:
    files = _listing(deb)
    wheel = f"/opt/koffer/wheelhouse/buergerservice_koffer-{koffer.__version__}-py3-none-any.whl"
    expected = {
        "/usr/bin/koffer": "-rwxr-xr-x",
        "/lib/udev/rules.d/70-koffer.rules": "-rw-r--r--",
        "/lib/systemd/system/koffer-kiosk.service": "-rw-r--r--",
        "/etc/koffer/koffer.toml": "-rw-r--r--",
        "/etc/koffer/backend.toml": "-rw-r--r--",
        "/usr/share/doc/buergerservice-koffer/examples/koffer.example.toml": "-rw-r--r--",
        "/usr/share/doc/buergerservice-koffer/copyright": "-rw-r--r--",
        "/usr/share/doc/buergerservice-koffer/examples/koffer-backend.service": "-rw-r--r--",
        "/opt/koffer/wheelhouse/APP-ONLY": "-rw-r--r--",
        wheel: "-rw-r--r--",
    }
    for path, perms in expected.items():
        assert files.get(path) == perms, path
    assert not any("__pycache__" in p or "/tests/" in p for p in files)
    assert not any(p.startswith("/var/lib/koffer") for p in files), "data dir is made by postinst"


def test_wheel_ships_the_compiled_translation(deb: Path, tmp_path: Path) -> None:
    _run(["dpkg-deb", "-x", str(deb), str(tmp_path)])
    (wheel,) = (tmp_path / "opt/koffer/wheelhouse").glob("buergerservice_koffer-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert "koffer/kiosk/i18n/koffer_en.ts" in names
        assert "koffer/kiosk/i18n/koffer_en.qm" in names
        assert archive.read("koffer/kiosk/i18n/koffer_en.qm")[:16] == QM_MAGIC


def test_copyright_carries_the_licence(deb: Path, tmp_path: Path) -> None:
    _run(["dpkg-deb", "-x", str(deb), str(tmp_path)])
    text = (tmp_path / "usr/share/doc/buergerservice-koffer/copyright").read_text("utf-8")
    assert "License: EUPL-1.2" in text
    assert (REPO / "LICENSE").read_text("utf-8") in text


def test_control_archive(deb: Path, tmp_path: Path) -> None:
    _run(["dpkg-deb", "-e", str(deb), str(tmp_path)])
    assert (tmp_path / "conffiles").read_text().split() == [
        "/etc/koffer/koffer.toml",
        "/etc/koffer/backend.toml",
    ]
    for script in SCRIPTS:
        shipped = tmp_path / script
        assert shipped.read_bytes() == (PACKAGING / "debian" / script).read_bytes()
        assert shipped.stat().st_mode & stat.S_IXUSR
    md5sums = (tmp_path / "md5sums").read_text()
    assert "usr/bin/koffer" in md5sums and "lib/udev/rules.d/70-koffer.rules" in md5sums


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="apt-get install shellcheck")
def test_shell_scripts_pass_shellcheck() -> None:
    posix = [PACKAGING / "debian" / s for s in SCRIPTS] + [PACKAGING / "bin" / "koffer"]
    result = subprocess.run(
        ["shellcheck", "--shell=sh", *map(str, posix)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
    result = subprocess.run(
        ["shellcheck", str(PACKAGING / "build-deb")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_build_deb_refuses_unknown_option() -> None:
    result = subprocess.run(
        [str(PACKAGING / "build-deb"), "--bogus"], capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "unknown option" in result.stderr


# --- installation into a scratch root -----------------------------------------


@pytest.fixture
def stubs(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A bin dir whose host-changing commands only log and fail."""
    bin_dir = tmp_path / "stub-bin"
    bin_dir.mkdir()
    log = tmp_path / "host-calls.log"
    for name in HOST_COMMANDS:
        stub = bin_dir / name
        stub.write_text(f'#!/bin/sh\necho "{name} $*" >>"{log}"\nexit 1\n', encoding="utf-8")
        stub.chmod(0o755)
    yield bin_dir, log


def _dpkg(root: Path, stubs: tuple[Path, Path], *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PATH"] = f"{stubs[0]}:/usr/sbin:/usr/bin:/sbin:/bin"
    env["KOFFER_PYTHON"] = shutil.which("python3") or "python3"
    return _run(
        [
            "dpkg",
            f"--root={root}",
            "--force-script-chrootless",
            "--force-depends",
            "--force-not-root",
            "--log=/dev/null",
            *args,
        ],
        env=env,
    )


def _scratch_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    for sub in ("info", "updates", "triggers"):
        (root / "var/lib/dpkg" / sub).mkdir(parents=True)
    (root / "var/lib/dpkg/status").write_text("")
    return root


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0, reason="dpkg --root needs root to set file owners")
@pytest.mark.skipif(shutil.which("dpkg") is None, reason="dpkg is not installed")
def test_install_upgrade_remove_purge_in_scratch_root(
    deb: Path, tmp_path: Path, stubs: tuple[Path, Path]
) -> None:
    root = _scratch_root(tmp_path)
    _dpkg(root, stubs, "-i", str(deb))
    venv = root / "opt/koffer/venv"
    version = _run([str(venv / "bin/python"), "-c", "import koffer; print(koffer.__version__)"])
    assert version.stdout.strip() == koffer.__version__
    assert (venv / "bin/koffer").is_file()
    data = root / "var/lib/koffer"
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert (root / "etc/koffer/koffer.toml").is_file()

    # upgrade (same version again): data is kept, the venv is rebuilt
    (data / "koffer-store.sqlite3").write_bytes(b"SQLite format 3\x00")
    _dpkg(root, stubs, "-i", str(deb))
    assert (data / "koffer-store.sqlite3").read_bytes() == b"SQLite format 3\x00"
    assert (venv / "bin/koffer").is_file()

    _dpkg(root, stubs, "-r", "buergerservice-koffer")
    assert not venv.exists()
    assert not (root / "usr/bin/koffer").exists()
    assert (data / "koffer-store.sqlite3").exists(), "remove keeps the data"
    assert (root / "etc/koffer/koffer.toml").exists(), "remove keeps conffiles"

    purge = _dpkg(root, stubs, "-P", "buergerservice-koffer")
    assert "koffer wipe" in purge.stderr, "purge keeps non-empty data and says why"
    assert data.exists()
    assert not (root / "etc/koffer/koffer.toml").exists()

    assert not (root / "opt/koffer").exists()

    log = stubs[1]
    assert not log.exists(), "maintainer scripts touched the host: " + log.read_text()


@pytest.mark.slow
def test_postinst_direct_with_dpkg_root(
    deb: Path, tmp_path: Path, stubs: tuple[Path, Path]
) -> None:
    """Without dpkg --root (unprivileged CI): extract, then run the scripts."""
    root = tmp_path / "root"
    control = tmp_path / "control"
    _run(["dpkg-deb", "-x", str(deb), str(root)])
    _run(["dpkg-deb", "-e", str(deb), str(control)])
    env = dict(os.environ)
    env["PATH"] = f"{stubs[0]}:/usr/sbin:/usr/bin:/sbin:/bin"
    env["DPKG_ROOT"] = str(root)
    env["KOFFER_PYTHON"] = shutil.which("python3") or "python3"
    (root / "var/lib/koffer").mkdir(parents=True, mode=0o755)  # left over, too open
    _run([str(control / "postinst"), "configure", ""], env=env)
    assert (root / "opt/koffer/venv/bin/koffer").is_file()
    assert stat.S_IMODE((root / "var/lib/koffer").stat().st_mode) == 0o700
    _run([str(control / "prerm"), "remove"], env=env)
    _run([str(control / "postrm"), "remove"], env=env)
    assert not (root / "opt/koffer/venv").exists()
    _run([str(control / "postrm"), "purge"], env=env)
    assert not (root / "var/lib/koffer").exists(), "purge removes an empty data directory"
    bad = subprocess.run([str(control / "postinst"), "bogus"], env=env, capture_output=True)
    assert bad.returncode != 0
    assert not stubs[1].exists(), "maintainer scripts touched the host: " + stubs[1].read_text()
