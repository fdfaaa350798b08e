"""The process-wide OpenSSL policy (koffer.crypto.tls_policy) and the TLS 1.3 suite check.

OpenSSL reads OPENSSL_CONF once per process, so everything that needs the
policy in effect runs in a fresh Python subprocess.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from koffer.backend.server import check_tls_policy
from koffer.crypto import identity, tls, tls_policy
from koffer.crypto.tls_policy import PolicySource

CHACHA = "TLS_CHACHA20_POLY1305_SHA256"
REPO = Path(__file__).resolve().parents[2]


def _python(code: str, openssl_conf: Path | None, *, check: bool = True) -> str:
    env = {k: v for k, v in os.environ.items() if k != tls_policy.ENV_VAR}
    if openssl_conf is not None:
        env[tls_policy.ENV_VAR] = str(openssl_conf)
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done.stdout


# ---------------------------------------------------------------- apply / source (pure)


def test_apply_points_openssl_conf_at_the_shipped_file() -> None:
    environ: dict[str, str] = {}
    assert tls_policy.apply(environ, {}) is PolicySource.KOFFER
    assert environ[tls_policy.ENV_VAR] == str(tls_policy.CONFIG_FILE)
    assert tls_policy.source(environ) is PolicySource.KOFFER
    assert tls_policy.apply(environ, {}) is PolicySource.KOFFER  # idempotent


def test_apply_respects_the_operators_file(tmp_path: Path) -> None:
    theirs = tmp_path / "openssl.cnf"
    theirs.write_text("# the operator's\n", encoding="utf-8")
    environ = {tls_policy.ENV_VAR: str(theirs)}
    assert tls_policy.apply(environ, {}) is PolicySource.OPERATOR
    assert environ == {tls_policy.ENV_VAR: str(theirs)}


def test_apply_changes_nothing_once_openssl_is_initialised() -> None:
    for module in tls_policy.OPENSSL_MODULES:
        environ: dict[str, str] = {}
        assert tls_policy.apply(environ, {module: object()}) is PolicySource.TOO_LATE
        assert environ == {}


def test_an_empty_variable_counts_as_unset() -> None:
    environ = {tls_policy.ENV_VAR: ""}
    assert tls_policy.source(environ) is PolicySource.NONE
    assert tls_policy.apply(environ, {}) is PolicySource.KOFFER


def test_the_shipped_file_lists_exactly_the_tr02102_suites() -> None:
    text = tls_policy.CONFIG_FILE.read_text(encoding="utf-8")
    suites = re.search(r"^Ciphersuites\s*=\s*(\S+)\s*$", text, re.MULTILINE)
    assert suites is not None
    assert set(suites.group(1).split(":")) == tls_policy.ALLOWED_TLS13_SUITES
    assert re.search(r"^MinProtocol\s*=\s*TLSv1\.2\s*$", text, re.MULTILINE)
    assert tls.TLS13_SUITES == tls_policy.ALLOWED_TLS13_SUITES
    groups = re.search(r"^Groups\s*=\s*(\S+)\s*$", text, re.MULTILINE)
    assert groups is not None
    assert tuple(groups.group(1).split(":")) == tls_policy.ALLOWED_GROUPS


def test_the_cli_and_the_policy_module_do_not_initialise_openssl() -> None:
    """``koffer`` can apply the policy in main(): nothing before it has loaded OpenSSL."""
    out = _python(
        """
        import sys
        import koffer.commands.cli, koffer.crypto.tls_policy
        print(sorted(m for m in ("_ssl", "_hashlib", "ssl", "hashlib") if m in sys.modules))
        """,
        None,
    )
    assert out.strip() == "[]"


# ---------------------------------------------------------------- effect on real contexts

_SUITES = """
    import json
    from pathlib import Path
    from koffer.crypto import tls
    client = tls.client_context(Path("{ca}").read_bytes())
    server = tls.server_context("{cert}", "{key}", client_ca_pem=None)
    print(json.dumps({{
        "client": sorted(tls.tls13_suites(client)),
        "server": sorted(tls.tls13_suites(server)),
        "unlisted": sorted(tls.unlisted_tls13_suites(server) | tls.unlisted_tls13_suites(client)),
        "minimum": int(server.minimum_version),
    }}))
"""


@pytest.fixture
def pki(tmp_path: Path) -> dict[str, Path]:
    ca_key, ca_cert = tls.create_ca("test CA")
    key, cert = tls.issue_server_cert(ca_key, ca_cert, ["127.0.0.1"])
    files = {"ca": tmp_path / "ca.pem", "cert": tmp_path / "server.pem", "key": tmp_path / "key"}
    files["ca"].write_bytes(tls.cert_to_pem(ca_cert))
    files["cert"].write_bytes(tls.cert_to_pem(cert))
    files["key"].write_bytes(identity.private_key_to_pem(key))
    return files


def test_with_the_policy_both_sides_offer_only_the_listed_suites(pki: dict[str, Path]) -> None:
    out = json.loads(_python(_SUITES.format(**pki), tls_policy.CONFIG_FILE))
    assert set(out["server"]) == tls_policy.ALLOWED_TLS13_SUITES
    assert set(out["client"]) == tls_policy.ALLOWED_TLS13_SUITES
    assert out["unlisted"] == []
    assert out["minimum"] == 0x0303  # TLS 1.2


_SERVER = """
    import socket, ssl, sys
    from koffer.crypto import tls
    ctx = tls.server_context("{cert}", "{key}", client_ca_pem=None)
    sock = socket.create_server(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    for _ in range({connections}):
        conn, _addr = sock.accept()
        try:
            with ctx.wrap_socket(conn, server_side=True) as tls_sock:
                print(tls_sock.version(), tls_sock.cipher()[0], flush=True)
        except (ssl.SSLError, OSError) as exc:
            print("refused", type(exc).__name__, flush=True)
"""

_CLIENT = """
    import socket, ssl
    from pathlib import Path
    from koffer.crypto import tls
    ctx = tls.client_context(Path("{ca}").read_bytes())
    try:
        with ctx.wrap_socket(socket.create_connection(("127.0.0.1", {port}), timeout=10),
                             server_hostname="127.0.0.1") as s:
            print("connected", s.version(), s.cipher()[0])
    except ssl.SSLError as exc:
        print("refused", exc.reason)
"""


def test_a_policy_server_refuses_a_chacha_only_client_and_serves_a_normal_one(
    pki: dict[str, Path], tmp_path: Path
) -> None:
    chacha_only = tmp_path / "chacha.cnf"
    chacha_only.write_text(
        tls_policy.CONFIG_FILE.read_text(encoding="utf-8").replace(
            "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256", CHACHA
        ),
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != tls_policy.ENV_VAR}
    env[tls_policy.ENV_VAR] = str(tls_policy.CONFIG_FILE)
    server = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(_SERVER.format(connections=2, **pki))],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        refused = _python(_CLIENT.format(port=port, **pki), chacha_only)
        assert refused.startswith("refused"), refused
        assert server.stdout.readline().startswith("refused")
        # a client without the policy (this process's defaults) offers ChaCha20 too:
        # the policy server picks a listed suite
        ok = _python(_CLIENT.format(port=port, **pki), None).split()
        assert ok[:2] == ["connected", "TLSv1.3"], ok
        assert ok[2] in tls_policy.ALLOWED_TLS13_SUITES
        assert server.stdout.readline().split()[1] in tls_policy.ALLOWED_TLS13_SUITES
    finally:
        server.kill()
        server.wait()
        if server.stdout is not None:
            server.stdout.close()


@pytest.mark.parametrize("group", ["X25519", "X448", "ffdhe2048"])
def test_a_policy_server_refuses_a_client_with_only_unlisted_groups(
    pki: dict[str, Path], tmp_path: Path, group: str
) -> None:
    """Key exchange only on TR-02102-2 curves, in TLS 1.3 and in TLS 1.2 alike."""
    unlisted = tmp_path / "unlisted.cnf"
    unlisted.write_text(
        re.sub(
            r"^Groups\s*=.*$",
            f"Groups = {group}",
            tls_policy.CONFIG_FILE.read_text(encoding="utf-8"),
            flags=re.MULTILINE,
        ),
        encoding="utf-8",
    )
    tls12_only = tmp_path / "tls12.cnf"
    tls12_only.write_text(
        unlisted.read_text(encoding="utf-8") + "MaxProtocol = TLSv1.2\n", encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if k != tls_policy.ENV_VAR}
    env[tls_policy.ENV_VAR] = str(tls_policy.CONFIG_FILE)
    server = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(_SERVER.format(connections=3, **pki))],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        for conf in (unlisted, tls12_only):
            refused = _python(_CLIENT.format(port=port, **pki), conf)
            assert refused.startswith("refused"), (conf.name, refused)
            assert server.stdout.readline().startswith("refused")
        # the same client with the shipped policy agrees on a listed curve
        ok = _python(_CLIENT.format(port=port, **pki), tls_policy.CONFIG_FILE).split()
        assert ok[:2] == ["connected", "TLSv1.3"], ok
        assert server.stdout.readline().split()[0] == "TLSv1.3"
    finally:
        server.kill()
        server.wait()
        if server.stdout is not None:
            server.stdout.close()


# ---------------------------------------------------------------- the start-up check


def test_check_warns_about_unlisted_suites(
    pki: dict[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    ctx = tls.server_context(str(pki["cert"]), str(pki["key"]), client_ca_pem=None)
    offered = tls.tls13_suites(ctx)
    if not offered - tls.TLS13_SUITES:
        pytest.skip("this process already runs with a TR-02102-2 OpenSSL policy")
    with caplog.at_level(logging.INFO, logger="koffer.backend.server"):
        found = check_tls_policy({"intake": ctx}, {})
    assert found == offered - tls.TLS13_SUITES
    warning = next(r for r in caplog.records if r.levelno == logging.WARNING)
    assert "intake" in warning.getMessage()
    assert all(suite in warning.getMessage() for suite in found)
    assert str(tls_policy.CONFIG_FILE) in warning.getMessage()


def test_check_names_the_operators_file(
    pki: dict[str, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ctx = tls.server_context(str(pki["cert"]), str(pki["key"]), client_ca_pem=None)
    theirs = tmp_path / "theirs.cnf"
    theirs.write_text("# the operator's\n", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="koffer.backend.server"):
        check_tls_policy({"intake": ctx}, {tls_policy.ENV_VAR: str(theirs)})
    assert any(
        "operator" in r.getMessage() and str(theirs) in r.getMessage() for r in caplog.records
    )
