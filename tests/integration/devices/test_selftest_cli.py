"""``koffer selftest``: JSON output and exit codes (simulated devices, real CLI path)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from koffer.commands.cli import main
from koffer.config import Config
from koffer.devices.config import DeviceSettings
from koffer.devices.interfaces import Device, DeviceKind, Prompt
from koffer.devices.selftest import run_selftest
from koffer.errors import DeviceError


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "koffer.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_simulated_devices_pass_with_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _write(
        tmp_path,
        '[devices.fingerprint]\ntype = "r30x"\nport = "/dev/ttyUSB9"\n'
        '[devices.camera]\ntype = "v4l2"\n',
    )
    assert main(["selftest", "--config", config, "--simulate", "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert [(r["kind"], r["type"], r["ok"]) for r in results] == [
        ("fingerprint", "simulator", True),
        ("camera", "simulator", True),
    ]
    assert all(r["detail"] and r["model"] for r in results)


def test_missing_required_device_fails_optional_does_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "no-such-tty")
    optional = _write(
        tmp_path,
        f'[devices.fingerprint]\ntype = "r30x"\nport = "{missing}"\nrequired = false\n'
        '[devices.camera]\ntype = "simulator"\n',
    )
    assert main(["selftest", "--config", optional, "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert results[0]["ok"] is False and "nicht gefunden" in results[0]["detail"]
    required = _write(tmp_path, f'[devices.fingerprint]\ntype = "r30x"\nport = "{missing}"\n')
    assert main(["selftest", "--config", required]) == 1
    assert "FEHLER" in capsys.readouterr().out


def test_config_mistake_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _write(tmp_path, '[devices.fingerprint]\ntype = "simulator"\ncolour = "rot"\n')
    assert main(["selftest", "--config", config]) == 2
    assert "colour" in capsys.readouterr().err


def test_no_devices_configured_is_a_config_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["selftest"]) == 2
    assert "keine Geräte" in capsys.readouterr().err


def test_a_stalled_check_fails_with_a_reason_instead_of_hanging() -> None:
    settings = DeviceSettings.from_config(
        Config(raw={"devices": {"camera": {"type": "simulator"}}})
    )

    def broken(device: Device, prompt: Prompt) -> str:
        raise DeviceError("Testfehler.", message_en="test failure")

    def slow(device: Device, prompt: Prompt) -> str:
        import time

        time.sleep(1.0)
        return "zu spät"

    [result] = run_selftest(settings, checks={DeviceKind.CAMERA: broken})
    assert (result.ok, result.detail, result.model) == (False, "Testfehler.", "Kamera-Simulator")
    [late] = run_selftest(settings, checks={DeviceKind.CAMERA: slow}, step_timeout=0.2)
    assert not late.ok and "nicht rechtzeitig" in late.detail
