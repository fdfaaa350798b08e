"""``koffer doctor``: each check on real files, sockets and certificates."""

from __future__ import annotations

import argparse
import json
import os
import socket
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from koffer.commands import doctor as ops
from koffer.config import Config

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="koffer")
    ops.register(parser.add_subparsers(dest="command"))
    return parser


def _run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    result: int = args.func(args)
    return result


def _data_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    os.chmod(data, 0o700)
    return data


def _store(data: Path) -> Path:
    path = data / ops.store_filename()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x INTEGER)")
    conn.close()
    os.chmod(path, 0o600)
    return path


# --- data directory -----------------------------------------------------------


def test_data_dir_ok_when_private_and_owned(tmp_path: Path) -> None:
    result = ops.check_data_dir(_data_dir(tmp_path), os.getuid())
    assert result.status == "ok"


def test_data_dir_missing_fails_and_says_what_to_do(tmp_path: Path) -> None:
    result = ops.check_data_dir(tmp_path / "nope", os.getuid())
    assert result.status == "fail"
    assert "koffer init" in result.message


def test_data_dir_open_to_others_fails(tmp_path: Path) -> None:
    data = _data_dir(tmp_path)
    os.chmod(data, 0o755)
    result = ops.check_data_dir(data, os.getuid())
    assert result.status == "fail"
    assert "chmod 700" in result.message


def test_data_dir_of_other_user_fails(tmp_path: Path) -> None:
    result = ops.check_data_dir(_data_dir(tmp_path), os.getuid() + 1)
    assert result.status == "fail"
    assert "chown" in result.message


def test_data_dir_that_is_a_file_fails(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_bytes(b"")
    assert ops.check_data_dir(path, os.getuid()).status == "fail"


# --- store --------------------------------------------------------------------


def test_store_name_comes_from_the_store_package() -> None:
    assert ops.store_filename().endswith((".sqlite3", ".sqlite", ".db"))


def test_store_ok_for_private_sqlite_file(tmp_path: Path) -> None:
    data = _data_dir(tmp_path)
    _store(data)
    assert ops.check_store(data, ops.store_filename()).status == "ok"


def test_store_missing_is_a_warning(tmp_path: Path) -> None:
    result = ops.check_store(_data_dir(tmp_path), ops.store_filename())
    assert result.status == "warn"
    assert "koffer init" in result.message


def test_store_not_sqlite_fails(tmp_path: Path) -> None:
    data = _data_dir(tmp_path)
    (data / ops.store_filename()).write_bytes(b"not a database at all")
    result = ops.check_store(data, ops.store_filename())
    assert result.status == "fail"
    assert "löschen Sie nichts" in result.message


def test_store_readable_by_others_fails(tmp_path: Path) -> None:
    data = _data_dir(tmp_path)
    os.chmod(_store(data), 0o644)
    result = ops.check_store(data, ops.store_filename())
    assert result.status == "fail"
    assert "chmod 600" in result.message


# --- disk space ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("free", "status"),
    [(50 * ops.MIB, "fail"), (500 * ops.MIB, "warn"), (5 * ops.GIB, "ok")],
)
def test_disk_space_thresholds(tmp_path: Path, free: int, status: str) -> None:
    assert ops.check_disk_space(tmp_path, free_bytes=free).status == status


def test_disk_space_measures_nearest_existing_parent(tmp_path: Path) -> None:
    result = ops.check_disk_space(tmp_path / "not" / "yet")
    assert result.status in {"ok", "warn", "fail"}
    assert "frei" in result.message


# --- clock --------------------------------------------------------------------


def test_clock_before_2026_fails() -> None:
    result = ops.check_clock(datetime(2024, 1, 1, tzinfo=UTC), None)
    assert result.status == "fail"
    assert "timedatectl" in result.message


def test_clock_behind_newest_file_fails(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x")
    future = NOW + timedelta(days=2)
    os.utime(path, (future.timestamp(), future.timestamp()))
    newest = ops.newest_mtime(tmp_path)
    assert newest is not None and abs((newest - future).total_seconds()) < 1
    assert ops.check_clock(NOW, newest).status == "fail"


def test_clock_far_ahead_of_files_warns() -> None:
    assert ops.check_clock(NOW, NOW - timedelta(days=800)).status == "warn"


def test_clock_plausible_is_ok() -> None:
    assert ops.check_clock(NOW, NOW - timedelta(hours=3)).status == "ok"


def test_newest_mtime_of_empty_dir_is_none(tmp_path: Path) -> None:
    assert ops.newest_mtime(tmp_path) is None


# --- udev rules, device nodes -------------------------------------------------


def test_udev_rules_found_or_missing(tmp_path: Path) -> None:
    rules = tmp_path / "70-koffer.rules"
    assert ops.check_udev_rules([rules]).status == "fail"
    rules.write_text("# rules\n", encoding="utf-8")
    assert ops.check_udev_rules([tmp_path / "other.rules", rules]).status == "ok"


def test_device_paths_are_collected_from_nested_tables() -> None:
    devices = {
        "fingerprint": {"type": "r30x", "port": "/dev/ttyUSB0"},
        "camera": {"device": "/dev/video0", "sizes": [1, 2]},
        "pad": {"type": "stu", "url": "sim://stu"},
        "extra": {"ports": ["/dev/ttyACM0", "/dev/ttyUSB0"]},
    }
    assert ops.configured_device_paths(devices) == [
        Path("/dev/ttyACM0"),
        Path("/dev/ttyUSB0"),
        Path("/dev/video0"),
    ]


def test_device_nodes_none_configured_is_skipped() -> None:
    result = ops.check_device_nodes([])
    assert result.status == "skipped"
    assert result.message.startswith("Nicht geprüft")


def test_device_node_pty_is_accessible() -> None:
    master, slave = os.openpty()
    try:
        result = ops.check_device_nodes([Path(os.ttyname(slave))])
    finally:
        os.close(master)
        os.close(slave)
    assert result.status == "ok"


def test_device_node_without_access_fails(tmp_path: Path) -> None:
    node = tmp_path / "ttyUSB9"
    node.write_bytes(b"")
    result = ops.check_device_nodes([node], access=lambda p: False)
    assert result.status == "fail"
    assert "udevadm" in result.message


def test_device_node_missing_warns(tmp_path: Path) -> None:
    result = ops.check_device_nodes([tmp_path / "ttyUSB7"])
    assert result.status == "warn"
    assert "/dev/serial/by-id" in result.message


# --- certificates and enrollment ----------------------------------------------


def _cert(not_before: datetime, not_after: datetime) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "koffer-test")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


@pytest.mark.parametrize(
    ("start", "end", "status"),
    [
        (NOW - timedelta(days=1), NOW + timedelta(days=365), "ok"),
        (NOW - timedelta(days=300), NOW + timedelta(days=10), "warn"),
        (NOW - timedelta(days=400), NOW - timedelta(days=1), "fail"),
        (NOW + timedelta(days=1), NOW + timedelta(days=400), "fail"),
    ],
)
def test_certificate_validity(start: datetime, end: datetime, status: str) -> None:
    result = ops.check_certificate(_cert(start, end), NOW)
    assert result.status == status
    if status != "ok":
        assert "koffer enroll" in result.message or "Uhr" in result.message


def test_certificate_garbage_fails() -> None:
    result = ops.check_certificate(b"-----BEGIN CERTIFICATE-----\nAAAA\n", NOW)
    assert result.status == "fail"


def test_enrollment_of_a_fresh_data_dir_says_how_to_enroll(tmp_path: Path) -> None:
    result = ops.check_enrollment(tmp_path, NOW)  # the real reader: no store, no enrollment
    assert result.status == "warn"
    assert "koffer enroll" in result.message


def test_enrollment_through_reader(tmp_path: Path) -> None:
    pem = _cert(NOW - timedelta(days=1), NOW + timedelta(days=20))
    seen: list[Path] = []

    def reader(data: Path) -> bytes | None:
        seen.append(data)
        return pem if (data / "enrolled").exists() else None

    assert ops.check_enrollment(tmp_path, NOW, reader).status == "warn"
    (tmp_path / "enrolled").write_bytes(b"")
    result = ops.check_enrollment(tmp_path, NOW, reader)
    assert result.status == "warn"  # expires within 30 days
    assert seen == [tmp_path, tmp_path]


# --- back end -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://intake.example:8443/api", ("intake.example", 8443)),
        ("https://intake.example", ("intake.example", 443)),
        ("http://10.0.0.5", ("10.0.0.5", 80)),
        ("https://host:notaport", None),
        ("not a url", None),
        (None, None),
    ],
)
def test_backend_address(url: str | None, expected: tuple[str, int] | None) -> None:
    assert ops.backend_address(url) == expected


def test_backend_reachable_on_loopback() -> None:
    server = socket.create_server(("127.0.0.1", 0))
    try:
        port = server.getsockname()[1]
        assert ops.tcp_reachable("127.0.0.1", port, timeout=1.0)
        assert ops.check_backend(("127.0.0.1", port)).status == "ok"
    finally:
        server.close()
    assert not ops.tcp_reachable("127.0.0.1", port, timeout=1.0)
    result = ops.check_backend(("127.0.0.1", port))
    assert result.status == "warn"
    assert "Postausgang" in result.message


def test_backend_not_configured_is_skipped() -> None:
    assert ops.check_backend(None).status == "skipped"


# --- whole run and command line -----------------------------------------------


def test_run_checks_healthy_installation_exits_zero(tmp_path: Path) -> None:
    data = _data_dir(tmp_path)
    _store(data)
    rules = tmp_path / "70-koffer.rules"
    rules.write_text("# rules\n", encoding="utf-8")
    master, slave = os.openpty()
    try:
        config = Config(
            raw={
                "devices": {"fingerprint": {"type": "r30x", "port": os.ttyname(slave)}},
            }
        )
        inputs = ops.DoctorInputs(
            data_dir=data,
            config=config,
            uid=os.getuid(),
            now=datetime.now(UTC),
            backend_url="https://127.0.0.1:9",
            udev_paths=[rules],
            reachable=lambda host, port: False,
        )
        results = ops.run_checks(inputs)
    finally:
        os.close(master)
        os.close(slave)
    by_id = {r.id: r.status for r in results}
    assert list(by_id) == [
        "config",
        "data_dir",
        "store",
        "disk_space",
        "clock",
        "udev_rules",
        "device_permissions",
        "enrollment",
        "backend",
        "tpm",
    ]
    assert by_id["data_dir"] == by_id["store"] == by_id["udev_rules"] == "ok"
    assert by_id["device_permissions"] == "ok"
    assert by_id["backend"] == "warn"
    assert ops.exit_code(results) == 0
    text = ops.render_text(results)
    assert "[OK] data_dir" in text and "Ergebnis: keine Fehler" in text


def test_cli_json_reports_failure_and_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _run(["doctor", "--json", "--data-dir", str(tmp_path / "missing")])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    assert doc["ok"] is False
    checks = {c["id"]: c for c in doc["checks"]}
    assert checks["data_dir"]["status"] == "fail"
    assert checks["data_dir"]["message"] and checks["data_dir"]["message_en"]
    assert set(checks) >= {"data_dir", "store", "disk_space", "clock", "backend"}


def test_cli_reads_config_and_backend_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    config = tmp_path / "koffer.toml"
    config.write_text(
        '[devices.camera]\ntype = "v4l2"\ndevice = "/dev/koffer-no-such-video"\n', encoding="utf-8"
    )
    data = str(_data_dir(tmp_path))
    url = f"https://127.0.0.1:{port}"
    try:
        _run(
            ["doctor", "--json", "--data-dir", data, "--config", str(config), "--backend-url", url]
        )
    finally:
        server.close()
    checks = {c["id"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert checks["backend"]["status"] == "ok"
    assert checks["device_permissions"]["status"] == "warn"
    assert "/dev/koffer-no-such-video" in checks["device_permissions"]["message"]


def test_cli_bad_config_is_a_failed_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "koffer.toml"
    config.write_text("[nonsense]\n", encoding="utf-8")
    code = _run(["doctor", "--data-dir", str(tmp_path), "--config", str(config)])
    assert code == 1
    out = capsys.readouterr().out
    assert "[FEHLER] config: Konfiguration: unbekannte Tabelle [nonsense]" in out
    assert "data_dir" in out, "the other checks still run"


def test_cli_text_output_is_german(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(["doctor", "--data-dir", str(tmp_path / "missing")])
    out = capsys.readouterr().out
    assert "[FEHLER] data_dir" in out
    assert "Ergebnis:" in out


def _doctor_on(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    config = tmp_path / "koffer.toml"
    config.write_text(text, encoding="utf-8")
    data = str(_data_dir(tmp_path))
    code = _run(["doctor", "--json", "--data-dir", data, "--config", str(config)])
    checks = {c["id"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    return code, checks["config"]["status"] + ": " + checks["config"]["message"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[kiosk]\nlangauge = "en"\n', "unbekannter Schlüssel 'langauge' in [kiosk]"),
        ("[kiosk]\nidle_lock_secnds = 60\n", "unbekannter Schlüssel 'idle_lock_secnds' in [kiosk]"),
        ('[kiosk]\nidle_lock_seconds = "fünf"\n', "[kiosk] idle_lock_seconds muss eine ganze Zahl"),
        ('[koffer]\nlanguage = "de"\n', "unbekannte Tabelle [koffer]"),
        # a rule the schema cannot state: the R30x baud rate is a multiple of 9600
        (
            '[devices.fingerprint]\ntype = "r30x"\nport = "/dev/null"\nbaudrate = 10000\n',
            "baudrate muss ein Vielfaches von 9600 sein",
        ),
    ],
)
def test_doctor_reports_what_the_kiosk_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    code, config = _doctor_on(tmp_path, text, capsys)
    assert code == 1
    assert config.startswith("fail: ") and expected in config


def test_doctor_accepts_a_valid_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, config = _doctor_on(tmp_path, '[kiosk]\nlanguage = "en"\n', capsys)
    assert config.startswith("ok: Konfiguration gültig")
