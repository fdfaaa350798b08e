"""The enrollment export: file format, passphrase, tampering, store effects, CLI."""

from __future__ import annotations

import stat
import struct
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koffer.commands import cli
from koffer.crypto import identity, tls
from koffer.crypto.enrollment import DeviceCredentials
from koffer.crypto.kdf import Argon2Params
from koffer.enrollment import bundle as eb
from koffer.enrollment import device
from koffer.errors import ConfigError, CryptoError, KofferError, StoreError
from koffer.store.settings import StoreSettings
from koffer.store.store import Store

FAST = Argon2Params(memory_kib=64, iterations=1, lanes=1)
STORE = StoreSettings.insecure_fast()
ADMIN_PASS = "korrekt-pferd-batterie"
EXPORT_PASS = "Ersatzkoffer für Dorf 7"
CONFIG = b'[koffer]\nlanguage = "de"\n'
CLI_CONFIG = """
[store]
argon2_memory_kib = 7168
argon2_iterations = 5
argon2_lanes = 1
"""
PEM_MARKERS = (b"-----BEGIN", b"PRIVATE KEY", b"CERTIFICATE")


def _creds(device_id: str = "dev-0001", name: str = "koffer-3") -> DeviceCredentials:
    ca_key, ca_cert = tls.create_ca("Test CA")
    tls_key = identity.generate_key()
    cert = tls.sign_csr(ca_key, ca_cert, tls.make_csr(tls_key, name), device_id)
    hpke = identity.generate_key().public_key()
    return DeviceCredentials(
        device_id=device_id,
        name=name,
        backend_url="https://registry.example:8443",
        ca_pem=tls.cert_to_pem(ca_cert),
        client_cert_pem=tls.cert_to_pem(cert),
        tls_key=tls_key,
        signing_key=identity.generate_key(),
        hpke_key_id=identity.key_id(hpke),
        hpke_public=hpke,
        receipt_public=identity.generate_key().public_key(),
    )


CREDS = _creds()
CREATED = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


def _bundle(
    files: tuple[tuple[str, bytes], ...] = (("koffer.toml", CONFIG),),
) -> eb.EnrollmentBundle:
    return eb.EnrollmentBundle(credentials=CREDS, files=files, created_at=CREATED)


@pytest.fixture(scope="module")
def encoded() -> bytes:
    return eb.encode_bundle(_bundle(), EXPORT_PASS, FAST)


# -- pure: format -----------------------------------------------------------------


def test_round_trip_keeps_credentials_and_files(encoded: bytes) -> None:
    bundle = eb.decode_bundle(encoded, EXPORT_PASS)
    assert bundle.credentials.to_bytes() == CREDS.to_bytes()
    assert bundle.files == (("koffer.toml", CONFIG),)
    assert bundle.created_at == CREATED


def test_passphrase_is_normalised_nfc_vs_nfd() -> None:
    data = eb.encode_bundle(_bundle(), "Grüße aus dem Rathaus", FAST)
    nfd = "Gru\u0308ße aus dem Rathaus"
    assert eb.decode_bundle(data, nfd).credentials.device_id == CREDS.device_id


def test_header_carries_version_and_cost(encoded: bytes) -> None:
    assert encoded.startswith(eb.MAGIC)
    header = eb.read_header(encoded)
    assert header.version == eb.FORMAT_VERSION
    # the store's cheap test cost is raised to the floor for the export
    assert header.params == Argon2Params(eb.MIN_MEMORY_KIB, eb.MIN_ITERATIONS, 1)


def test_no_key_material_or_config_in_clear(encoded: bytes) -> None:
    for marker in PEM_MARKERS:
        assert marker not in encoded
    assert CREDS.device_id.encode() not in encoded
    assert CREDS.name.encode() not in encoded
    assert b"language" not in encoded
    signing_der = identity.private_key_to_pem(CREDS.signing_key)
    assert signing_der[40:80] not in encoded


def test_two_exports_differ(encoded: bytes) -> None:
    again = eb.encode_bundle(_bundle(), EXPORT_PASS, FAST)
    assert again != encoded
    assert eb.read_header(again).salt != eb.read_header(encoded).salt


def test_wrong_passphrase_is_one_clear_message(encoded: bytes) -> None:
    with pytest.raises(CryptoError) as exc:
        eb.decode_bundle(encoded, "Ersatzkoffer für Dorf 8")
    assert exc.value.message.startswith("Die Export-Passphrase ist falsch")
    assert "\n" not in exc.value.message


def test_changed_ciphertext_is_damaged(encoded: bytes) -> None:
    data = bytearray(encoded)
    data[-20] ^= 0x01
    with pytest.raises(CryptoError) as exc:
        eb.decode_bundle(bytes(data), EXPORT_PASS)
    assert "beschädigt" in exc.value.message


def test_truncated_file_is_damaged(encoded: bytes) -> None:
    for cut in (len(eb.MAGIC) + 3, eb.HEADER_SIZE + 10, len(encoded) - 1):
        with pytest.raises(CryptoError, match="beschädigt"):
            eb.decode_bundle(encoded[:cut], EXPORT_PASS)


def test_changed_header_cost_is_refused(encoded: bytes) -> None:
    """The cost fields are authenticated: another cost gives another key."""
    data = bytearray(encoded)
    struct.pack_into(">I", data, len(eb.MAGIC) + 6, 3)  # iterations 2 -> 3
    with pytest.raises(CryptoError):
        eb.decode_bundle(bytes(data), EXPORT_PASS)


def test_absurd_cost_is_refused_before_deriving(encoded: bytes) -> None:
    data = bytearray(encoded)
    struct.pack_into(">I", data, len(eb.MAGIC) + 2, 0xFFFFFFFF)  # memory_kib
    with pytest.raises(CryptoError, match="unzulässige Schlüsselableitung"):
        eb.decode_bundle(bytes(data), EXPORT_PASS)


def _with_cost(data: bytes, memory_kib: int, iterations: int, lanes: int) -> bytes:
    out = bytearray(data)
    struct.pack_into(">III", out, len(eb.MAGIC) + 2, memory_kib, iterations, lanes)
    return bytes(out)


@pytest.mark.parametrize(
    ("memory_kib", "iterations", "lanes"),
    [
        (eb.MIN_MEMORY_KIB - 1, 2, 1),  # below the memory floor
        (64, 1, 1),  # a cheap test cost
        (eb.MIN_MEMORY_KIB, 1, 1),  # one pass only
        (eb.MAX_MEMORY_KIB + 1, 2, 1),  # above the memory ceiling
        (eb.MIN_MEMORY_KIB, eb.MAX_ITERATIONS + 1, 1),
        (eb.MIN_MEMORY_KIB, 2, eb.MAX_LANES + 1),
        (eb.MIN_MEMORY_KIB, 2, 0),
        (4 * 1024 * 1024, 100, 1),  # the 4 GiB x 100
    ],
)
def test_cost_outside_floor_and_ceiling_is_refused_by_the_header(
    encoded: bytes, memory_kib: int, iterations: int, lanes: int
) -> None:
    data = _with_cost(encoded, memory_kib, iterations, lanes)
    with pytest.raises(CryptoError) as exc:
        eb.read_header(data)
    assert "unzulässige Schlüsselableitung" in exc.value.message
    assert "exportieren Sie die Einrichtung erneut" in exc.value.message
    with pytest.raises(CryptoError, match="unzulässige Schlüsselableitung"):
        eb.decode_bundle(data, EXPORT_PASS)


def test_bounds_themselves_are_accepted(encoded: bytes) -> None:
    low = _with_cost(encoded, eb.MIN_MEMORY_KIB, eb.MIN_ITERATIONS, 1)
    high = _with_cost(encoded, eb.MAX_MEMORY_KIB, eb.MAX_ITERATIONS, eb.MAX_LANES)
    assert eb.read_header(low).params == Argon2Params(eb.MIN_MEMORY_KIB, eb.MIN_ITERATIONS, 1)
    assert eb.read_header(high).params == Argon2Params(
        eb.MAX_MEMORY_KIB, eb.MAX_ITERATIONS, eb.MAX_LANES
    )


def test_new_exports_are_moved_into_the_range() -> None:
    assert eb.bounded_params(FAST) == Argon2Params(eb.MIN_MEMORY_KIB, eb.MIN_ITERATIONS, 1)
    huge = Argon2Params(8 * 1024 * 1024, 50, 16)
    assert eb.bounded_params(huge) == Argon2Params(
        eb.MAX_MEMORY_KIB, eb.MAX_ITERATIONS, eb.MAX_LANES
    )
    ok = Argon2Params(64 * 1024, 3, 4)
    assert eb.bounded_params(ok) == ok


def test_newer_version_says_update_first(encoded: bytes) -> None:
    data = bytearray(encoded)
    struct.pack_into(">H", data, len(eb.MAGIC), eb.FORMAT_VERSION + 1)
    with pytest.raises(ConfigError) as exc:
        eb.decode_bundle(bytes(data), EXPORT_PASS)
    assert "neueren Programmversion" in exc.value.message
    assert "aktualisieren" in exc.value.message


def test_other_file_is_not_a_bundle() -> None:
    with pytest.raises(ConfigError, match="keine Sicherung"):
        eb.decode_bundle(b"SQLite format 3\x00" + bytes(200), EXPORT_PASS)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(position=st.integers(min_value=0), bit=st.integers(min_value=0, max_value=7))
def test_any_flipped_bit_is_refused_cleanly(encoded: bytes, position: int, bit: int) -> None:
    data = bytearray(encoded)
    data[position % len(data)] ^= 1 << bit
    with pytest.raises(KofferError):
        eb.decode_bundle(bytes(data), EXPORT_PASS)


def test_short_passphrase_is_refused() -> None:
    with pytest.raises(ConfigError, match="zu kurz"):
        eb.encode_bundle(_bundle(), "kurz", FAST)
    with pytest.raises(ConfigError, match="Leerzeichen"):
        eb.encode_bundle(_bundle(), " Ersatzkoffer für Dorf 7", FAST)


@pytest.mark.parametrize("name", ["../koffer.toml", "sub/koffer.toml", ".hidden", "", "a..b"])
def test_bad_file_names_are_refused(name: str) -> None:
    with pytest.raises(ConfigError):
        eb.encode_bundle(_bundle(((name, CONFIG),)), EXPORT_PASS, FAST)


def test_a_database_or_large_file_is_never_exported() -> None:
    with pytest.raises(ConfigError, match="Datenbank"):
        eb.encode_bundle(_bundle((("x.toml", b"SQLite format 3\x00..."),)), EXPORT_PASS, FAST)
    big = b"#" * (eb.MAX_FILE_SIZE + 1)
    with pytest.raises(ConfigError, match="zu groß"):
        eb.encode_bundle(_bundle((("x.toml", big),)), EXPORT_PASS, FAST)
    with pytest.raises(ConfigError, match="zweimal"):
        eb.encode_bundle(_bundle((("a", b""), ("a", b""))), EXPORT_PASS, FAST)


# -- effects: store --------------------------------------------------------------------


def _store(path: Path) -> Path:
    Store.create(path, "admin", ADMIN_PASS, STORE)
    return path


def test_export_without_enrollment_is_refused(tmp_path: Path) -> None:
    data = _store(tmp_path / "a")
    with Store.open(data, STORE) as store, store.unlock("admin", ADMIN_PASS) as unlocked:
        with pytest.raises(ConfigError, match="nicht bei der Gegenstelle eingerichtet"):
            eb.export_enrollment(unlocked, [], EXPORT_PASS, FAST)


def test_export_then_import_into_a_fresh_store(tmp_path: Path) -> None:
    a, b = _store(tmp_path / "a"), _store(tmp_path / "b")
    with Store.open(a, STORE) as store, store.unlock("admin", ADMIN_PASS) as unlocked:
        device.save_credentials(unlocked, CREDS)
        blob, creds = eb.export_enrollment(unlocked, [("koffer.toml", CONFIG)], EXPORT_PASS, FAST)
        assert creds.device_id == CREDS.device_id
        assert "enrollment_exported" in [e.event for e in unlocked.list_audit()]
    bundle = eb.decode_bundle(blob, EXPORT_PASS)
    with Store.open(b, STORE) as store, store.unlock("admin", ADMIN_PASS) as unlocked:
        eb.import_enrollment(unlocked, bundle)
        loaded = device.require_credentials(unlocked)
        assert loaded.to_bytes() == CREDS.to_bytes()
        events = [e.event for e in unlocked.list_audit()]
        assert "enrollment_imported" in events
        # a second import must not silently overwrite
        with pytest.raises(StoreError, match="--replace"):
            eb.import_enrollment(unlocked, bundle)
        other = eb.EnrollmentBundle(_creds("dev-0002", "koffer-4"), (), CREATED)
        eb.import_enrollment(unlocked, other, replace=True)
        assert device.require_credentials(unlocked).device_id == "dev-0002"


def test_only_an_admin_may_export(tmp_path: Path) -> None:
    data = _store(tmp_path / "a")
    with Store.open(data, STORE) as store:
        with store.unlock("admin", ADMIN_PASS) as unlocked:
            device.save_credentials(unlocked, CREDS)
            unlocked.add_account("maria", "clerk", "sachbearbeitung-1")
        with store.unlock("maria", "sachbearbeitung-1") as clerk:
            with pytest.raises(StoreError, match="Administrator"):
                eb.export_enrollment(clerk, [], EXPORT_PASS, FAST)


# -- effects: files ------------------------------------------------------------


def test_config_files_written_0644_and_never_overwritten_silently(tmp_path: Path) -> None:
    target = tmp_path / "etc"
    [path] = eb.write_config_files({"koffer.toml": CONFIG}, target)
    assert path.read_bytes() == CONFIG
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    with pytest.raises(ConfigError, match="--replace"):
        eb.write_config_files({"koffer.toml": b"# other"}, target)
    assert path.read_bytes() == CONFIG
    eb.write_config_files({"koffer.toml": b"# other"}, target, replace=True)
    assert path.read_bytes() == b"# other"
    assert sorted(p.name for p in target.iterdir()) == ["koffer.toml"]


def test_files_from_the_data_dir_are_refused(tmp_path: Path) -> None:
    data = _store(tmp_path / "a")
    inside = data / "note.toml"
    inside.write_bytes(CONFIG)
    with pytest.raises(ConfigError, match="Datenverzeichnis"):
        eb.read_config_files([inside], data)
    outside = tmp_path / "koffer.toml"
    outside.write_bytes(CONFIG)
    assert eb.read_config_files([outside], data) == [("koffer.toml", CONFIG)]
    with pytest.raises(ConfigError, match="nicht gelesen"):
        eb.read_config_files([tmp_path / "missing.toml"], data)


# -- command line ---------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path: Path) -> list[str]:
    (tmp_path / "pass").write_text(ADMIN_PASS + "\n")
    (tmp_path / "export-pass").write_text(EXPORT_PASS + "\n")
    (tmp_path / "koffer.toml").write_text(CLI_CONFIG)
    return [
        "--passphrase-file",
        str(tmp_path / "pass"),
        "--export-passphrase-file",
        str(tmp_path / "export-pass"),
        "--config",
        str(tmp_path / "koffer.toml"),
    ]


def test_cli_export_without_enrollment_is_one_german_line(
    tmp_path: Path, cli_env: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    data = _store(tmp_path / "a")
    out = tmp_path / "stick" / "koffer.kanm"
    argv = ["enrollment", "export", "--out", str(out), "--data-dir", str(data), *cli_env]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Fehler: Dieser Koffer ist noch nicht")
    assert not out.exists()


def test_cli_round_trip_and_error_lines(
    tmp_path: Path, cli_env: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = _store(tmp_path / "a"), _store(tmp_path / "b")
    with Store.open(a, STORE) as store, store.unlock("admin", ADMIN_PASS) as unlocked:
        device.save_credentials(unlocked, CREDS)
    out = tmp_path / "stick" / "koffer.kanm"
    assert (
        cli.main(["enrollment", "export", "--out", str(out), "--data-dir", str(a), *cli_env]) == 0
    )
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "koffer.toml" in capsys.readouterr().out

    # wrong export passphrase: one line, nothing imported
    (tmp_path / "wrong").write_text("Ersatzkoffer für Dorf 8\n")
    wrong = [*cli_env]
    wrong[wrong.index("--export-passphrase-file") + 1] = str(tmp_path / "wrong")
    assert cli.main(["enrollment", "import", str(out), "--data-dir", str(b), *wrong]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["Fehler: " + eb._wrong_passphrase().message]

    # damaged file
    bad = tmp_path / "bad.kanm"
    raw = bytearray(out.read_bytes())
    raw[-1] ^= 0x80
    bad.write_bytes(bytes(raw))
    assert cli.main(["enrollment", "import", str(bad), "--data-dir", str(b), *cli_env]) == 1
    assert "beschädigt" in capsys.readouterr().err

    etc = tmp_path / "etc"
    argv = ["enrollment", "import", str(out), "--data-dir", str(b), "--config-dir", str(etc)]
    assert cli.main([*argv, *cli_env]) == 0
    captured = capsys.readouterr()
    assert "koffer wipe" in captured.err
    assert (etc / "koffer.toml").read_text() == CLI_CONFIG
    with Store.open(b, STORE) as store, store.unlock("admin", ADMIN_PASS) as unlocked:
        assert device.require_credentials(unlocked).to_bytes() == CREDS.to_bytes()
    # again: refused before anything changes
    assert cli.main([*argv, *cli_env]) == 2
    assert "--replace" in capsys.readouterr().err
    assert cli.main([*argv, "--replace", *cli_env]) == 0


def test_cli_config_only_needs_no_store(
    tmp_path: Path, cli_env: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    a = _store(tmp_path / "a")
    with Store.open(a, STORE) as store, store.unlock("admin", ADMIN_PASS) as unlocked:
        device.save_credentials(unlocked, CREDS)
    out = tmp_path / "koffer.kanm"
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    export = ["enrollment", "export", "--out", str(out), "--data-dir", str(a)]
    assert cli.main([*export, "--include", str(logo), *cli_env]) == 0
    etc = tmp_path / "etc"
    argv = ["enrollment", "import", str(out), "--config-only", "--config-dir", str(etc)]
    assert cli.main([*argv, "--data-dir", str(tmp_path / "none"), *cli_env]) == 0
    assert (etc / "koffer.toml").read_text() == CLI_CONFIG
    assert (etc / "logo.png").read_bytes() == logo.read_bytes()
    assert not (tmp_path / "none").exists()


def test_cli_export_passphrase_must_differ_from_the_account_passphrase(
    tmp_path: Path, cli_env: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    a = _store(tmp_path / "a")
    with Store.open(a, STORE) as store, store.unlock("admin", ADMIN_PASS) as unlocked:
        device.save_credentials(unlocked, CREDS)
    same = [*cli_env]
    same[same.index("--export-passphrase-file") + 1] = str(tmp_path / "pass")
    out = tmp_path / "koffer.kanm"
    assert cli.main(["enrollment", "export", "--out", str(out), "--data-dir", str(a), *same]) == 2
    assert "unterscheiden" in capsys.readouterr().err
    assert not out.exists()
