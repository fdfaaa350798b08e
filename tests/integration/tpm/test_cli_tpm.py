"""``koffer init --tpm`` and ``koffer doctor`` in real processes against swtpm."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from koffer.crypto.tpm import Tpm
from koffer.store import Store, tpm_slot

# the cheapest Argon2id cost a configuration may ask for (the policy's floor)
CONFIG = """
[store]
argon2_memory_kib = 7168
argon2_iterations = 5
argon2_lanes = 1
"""


def _koffer(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "koffer.commands.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _files(tmp_path: Path) -> tuple[Path, Path]:
    config = tmp_path / "koffer.toml"
    config.write_text(CONFIG, encoding="utf-8")
    secret = tmp_path / "pass.txt"
    secret.write_text("eine lange Passphrase\n", encoding="utf-8")
    return config, secret


def _tpm_check(data: Path, config: Path) -> dict[str, str]:
    done = _koffer("doctor", "--json", "--data-dir", str(data), "--config", str(config))
    checks = json.loads(done.stdout)["checks"]
    return next(c for c in checks if c["id"] == "tpm")


def test_init_with_tpm_says_so_and_doctor_agrees(swtpm_tcti: str, tmp_path: Path) -> None:
    config, secret = _files(tmp_path)
    data = tmp_path / "data"
    done = _koffer(
        "init",
        "--data-dir",
        str(data),
        "--config",
        str(config),
        "--passphrase-file",
        str(secret),
        "--tpm",
        swtpm_tcti,
    )
    assert done.returncode == 0, done.stderr
    assert tpm_slot.INIT_WITH_TPM in done.stdout
    assert Store.exists(data)
    check = _tpm_check(data, config)
    assert check["status"] == "ok", check
    assert "0 von 32" in check["message"]


def test_init_without_tpm_warns_and_doctor_warns(tmp_path: Path) -> None:
    config, secret = _files(tmp_path)
    data = tmp_path / "data"
    done = _koffer(
        "init", "--data-dir", str(data), "--config", str(config), "--passphrase-file", str(secret)
    )
    assert done.returncode == 0, done.stderr
    assert "NICHT durch einen TPM" in done.stdout
    check = _tpm_check(data, config)
    assert check["status"] == "warn"
    assert "offline" in check["message"]


def test_init_with_an_absent_tpm_is_refused_before_anything_exists(tmp_path: Path) -> None:
    config, secret = _files(tmp_path)
    data = tmp_path / "data"
    done = _koffer(
        "init",
        "--data-dir",
        str(data),
        "--config",
        str(config),
        "--passphrase-file",
        str(secret),
        "--tpm",
        "swtpm:host=127.0.0.1,port=1",
    )
    assert done.returncode == 1
    assert "TPM-Sicherheitschip ist nicht erreichbar" in done.stderr
    assert "Traceback" not in done.stderr
    assert not Store.exists(data)


def test_wipe_evicts_and_releases_the_tpm_for_the_next_store(
    swtpm_tcti: str, tmp_path: Path
) -> None:
    config, secret = _files(tmp_path)
    data = tmp_path / "data"
    common = ["--data-dir", str(data), "--passphrase-file", str(secret)]
    init = [*common, "--config", str(config), "--tpm", swtpm_tcti]
    assert _koffer("init", *init).returncode == 0
    recorded = tpm_slot.recorded_tpm(data / "koffer-store.sqlite3")
    assert recorded is not None
    with Tpm.open(swtpm_tcti) as tpm:
        assert tpm.has_parent(recorded[1]) and tpm.da_state().lockout_auth_set
    done = _koffer("wipe", *common, "--yes")
    assert done.returncode == 0, done.stderr
    with Tpm.open(swtpm_tcti) as tpm:
        # the store parent is gone (old copies are dead) and the lockout is free again
        assert not tpm.has_parent(recorded[1])
        assert not tpm.da_state().lockout_auth_set
    # so the next store on this TPM owns the lockout again (the recovery code can lift it)
    again = tpm_slot.setup(swtpm_tcti, b"k" * 32)
    assert again.lockout_auth == b"k" * 32
