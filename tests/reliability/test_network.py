"""Hostile network: TLS configuration, men in the middle, slow and huge requests, fuzzing.

``testssl.sh`` (Debian package ``testssl.sh``) checks both ports of a back end
started the way operators start it, ``koffer backend serve`` in its own
process (the OpenSSL policy for the TLS 1.3 suites is applied at process
start); the test is skipped when it is not installed.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from koffer.backend.keystore import BackendDir
from koffer.backend.server import Backend, BackendServer
from koffer.backend.server_settings import ServerSettings
from koffer.backend.validation import accept_any
from koffer.config import Config
from koffer.crypto import sealing, tls, tls_policy
from koffer.crypto.enrollment import DeviceCredentials
from koffer.enrollment.enroll import enroll_online
from koffer.errors import FatalTransmissionError
from koffer.queue.transmitter import Transmitter
from tests.integration.transmission.test_transport import _seal
from tests.reliability import report

#: BSI TR-02102-2 (2024): TLS 1.2 suites we allow, and the TLS 1.3 suites it lists
TR02102_TLS12 = {
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES128-GCM-SHA256",
}
TR02102_TLS13 = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_AES_128_CCM_SHA256"}
FUZZ_CASES = 160


def _client_ctx(creds: DeviceCredentials) -> ssl.SSLContext:
    return tls.client_context(
        creds.ca_pem, client_cert_pem=creds.client_cert_pem, client_key=creds.tls_key
    )


@pytest.fixture
def client(creds: DeviceCredentials, server: BackendServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=server.url, verify=_client_ctx(creds), timeout=30, trust_env=False
    ) as c:
        yield c


def _still_serving(client: httpx.Client, creds: DeviceCredentials) -> None:
    sealed = _seal(creds)
    answer = client.put(f"/v1/envelopes/{sealed.envelope_id}", content=sealed.data)
    assert answer.status_code == 201, answer.text


# ---------------------------------------------------------------- testssl.sh


def _testssl(port: int, out: Path) -> subprocess.Popen[bytes]:
    exe = shutil.which("testssl") or shutil.which("testssl.sh")
    assert exe is not None
    args = [exe, "--quiet", "--color", "0", "--warnings", "batch", "--openssl-timeout", "5"]
    args += ["--connect-timeout", "5", "-p", "-E", "--jsonfile", str(out), f"127.0.0.1:{port}"]
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _findings(path: Path) -> tuple[dict[str, str], set[str], set[str]]:
    """(protocol -> finding, TLS 1.2 suites, TLS 1.3 suites) from testssl's flat JSON."""
    protocols: dict[str, str] = {}
    tls12: set[str] = set()
    tls13: set[str] = set()
    for entry in json.loads(path.read_text(encoding="utf-8")):
        ident, finding = str(entry["id"]), str(entry["finding"])
        if ident in ("SSLv2", "SSLv3", "TLS1", "TLS1_1", "TLS1_2", "TLS1_3"):
            protocols[ident] = finding
        elif ident.startswith("cipher-tls1_2_"):
            tls12.add(finding.split()[3])
        elif ident.startswith("cipher-tls1_3_"):
            tls13.add(finding.split()[3])
    return protocols, tls12, tls13


ROOT = Path(__file__).resolve().parents[2]


@dataclasses.dataclass
class Served:
    """A ``koffer backend serve`` process."""

    port: int
    enroll_port: int
    log: Path
    ca_pem: bytes


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``koffer backend serve`` in its own process, environment without OPENSSL_CONF."""
    tmp = tmp_path_factory.mktemp("served")
    directory = BackendDir(tmp / "backend")
    directory.init("https://127.0.0.1:1")
    env = {k: v for k, v in os.environ.items() if k != tls_policy.ENV_VAR}
    log = tmp / "serve.log"
    args = [
        sys.executable,
        "-m",
        "koffer.commands.cli",
        "backend",
        "serve",
        "--data-dir",
        str(tmp / "backend"),
    ]
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [*args, "--port", "0", "--enroll-port", "0"],
            stdout=subprocess.PIPE,
            stderr=err,
            env=env,
            cwd=ROOT,
        )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode("utf-8")  # "Gegenstelle läuft: URL (Einrichtung: URL)"
        ports = [int(p) for p in re.findall(r"https://127\.0\.0\.1:(\d+)", line)]
        assert len(ports) == 2, (line, log.read_text(encoding="utf-8", errors="replace"))
        yield Served(ports[0], ports[1], log, directory.keys().ca_pem)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.fixture(scope="module")
def testssl_results(
    tmp_path_factory: pytest.TempPathFactory, served: Served
) -> dict[str, tuple[object, ...]]:
    if not (shutil.which("testssl") or shutil.which("testssl.sh")):
        report.skipped("testssl.sh", "not installed (Debian package testssl.sh)")
        pytest.skip("testssl.sh is not installed (apt-get install testssl.sh)")
    tmp = tmp_path_factory.mktemp("testssl")
    timer = report.Timer()
    runs = {
        "intake": (_testssl(served.port, tmp / "intake.json"), tmp / "intake.json"),
        "enrollment": (_testssl(served.enroll_port, tmp / "enroll.json"), tmp / "enroll.json"),
    }
    for proc, _path in runs.values():
        proc.wait(timeout=240)
    results = {name: _findings(path) for name, (_proc, path) in runs.items()}
    for name, (protocols, tls12, tls13) in results.items():
        report.record(
            "network",
            f"testssl.sh -p -E against the {name} port (koffer backend serve)",
            iterations=1,
            faults=0,
            seconds=timer.seconds,
            note="offered: "
            + ", ".join(k for k, v in sorted(protocols.items()) if v.startswith("offered"))
            + f"; suites: {', '.join(sorted(tls12 | tls13))}",
        )
    return results  # type: ignore[return-value]


@pytest.mark.parametrize("port", ["intake", "enrollment"])
def test_testssl_only_tls12_and_tls13(
    testssl_results: dict[str, tuple[dict[str, str], set[str], set[str]]], port: str
) -> None:
    protocols, tls12, _tls13 = testssl_results[port]
    offered = {k for k, v in protocols.items() if v.startswith("offered")}
    assert offered == {"TLS1_2", "TLS1_3"}, protocols
    assert tls12 and tls12 <= TR02102_TLS12


@pytest.mark.parametrize("port", ["intake", "enrollment"])
def test_testssl_tls13_suites_are_tr02102(
    testssl_results: dict[str, tuple[dict[str, str], set[str], set[str]]], port: str
) -> None:
    _protocols, _tls12, tls13 = testssl_results[port]
    assert tls13 and tls13 <= TR02102_TLS13, tls13


_CHACHA_CLIENT = """
    import socket, ssl
    ctx = ssl.create_default_context(cadata={ca!r})
    try:
        with ctx.wrap_socket(socket.create_connection(("127.0.0.1", {port}), timeout=10),
                             server_hostname="127.0.0.1") as s:
            print("connected", s.cipher()[0])
    except ssl.SSLError as exc:
        print("refused", exc.reason)
"""


def test_backend_serve_refuses_tls13_suites_outside_tr02102(served: Served, tmp_path: Path) -> None:
    """Without testssl.sh: a client offering only ChaCha20 in TLS 1.3 gets no handshake."""
    timer = report.Timer()
    chacha_only = tmp_path / "chacha.cnf"
    chacha_only.write_text(
        "openssl_conf = init\n[init]\nssl_conf = ssl\n[ssl]\nsystem_default = tls\n"
        "[tls]\nMinProtocol = TLSv1.3\nCiphersuites = TLS_CHACHA20_POLY1305_SHA256\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != tls_policy.ENV_VAR}
    code = textwrap.dedent(
        _CHACHA_CLIENT.format(ca=served.ca_pem.decode(), port=served.enroll_port)
    )
    answers = {}
    for name, conf in (("chacha-only", chacha_only), ("default", None)):
        if conf is not None:
            env[tls_policy.ENV_VAR] = str(conf)
        else:
            env.pop(tls_policy.ENV_VAR, None)
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
        )
        answers[name] = done.stdout.split()
    assert answers["chacha-only"][:1] == ["refused"], answers
    assert answers["default"][0] == "connected", answers
    assert answers["default"][1] in TR02102_TLS13, answers
    log = served.log.read_text(encoding="utf-8", errors="replace")
    assert "does not list" not in log, log
    report.record(
        "network",
        "TLS 1.3 client offering only TLS_CHACHA20_POLY1305_SHA256 (koffer backend serve)",
        iterations=1,
        faults=1,
        seconds=timer.seconds,
        note=f"refused in the handshake; a default client gets {answers['default'][1]}",
    )


def test_backend_serve_refuses_key_exchange_outside_tr02102(served: Served, tmp_path: Path) -> None:
    """A client offering only X25519 (OpenSSL's favourite, not in TR-02102-2) gets no handshake."""
    timer = report.Timer()
    env = {k: v for k, v in os.environ.items() if k != tls_policy.ENV_VAR}
    code = textwrap.dedent(
        _CHACHA_CLIENT.format(ca=served.ca_pem.decode(), port=served.enroll_port)
    )
    answers = {}
    for version in ("TLSv1.3", "TLSv1.2"):
        conf = tmp_path / f"x25519-{version}.cnf"
        conf.write_text(
            "openssl_conf = init\n[init]\nssl_conf = ssl\n[ssl]\nsystem_default = tls\n"
            f"[tls]\nMinProtocol = {version}\nMaxProtocol = {version}\nGroups = X25519\n",
            encoding="utf-8",
        )
        env[tls_policy.ENV_VAR] = str(conf)
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
        )
        answers[version] = done.stdout.split()
    assert answers["TLSv1.3"][:1] == ["refused"], answers
    assert answers["TLSv1.2"][:1] == ["refused"], answers
    report.record(
        "network",
        "TLS client offering only X25519 for the key exchange, TLS 1.3 and 1.2 "
        "(koffer backend serve)",
        iterations=2,
        faults=2,
        seconds=timer.seconds,
        note="refused in the handshake; the policy's groups are P-256, P-384, P-521",
    )


# ---------------------------------------------------------------- man in the middle


def _other_backend(tmp_path: Path) -> Backend:
    BackendDir(tmp_path / "mitm").init("https://127.0.0.1:1")
    return Backend.open(tmp_path / "mitm", validator=accept_any)


def test_man_in_the_middle_with_another_ca_is_refused(
    tmp_path: Path, creds: DeviceCredentials, server: BackendServer
) -> None:
    timer = report.Timer()
    mitm = _other_backend(tmp_path)
    sealed = _seal(creds)
    with BackendServer(mitm) as fake:
        # client side: the suitcase talks to a server whose certificate is from another CA
        redirected = dataclasses.replace(creds, backend_url=fake.url)
        with Transmitter(redirected) as tx, pytest.raises(FatalTransmissionError) as info:
            tx.send(sealed.envelope_id, sealed.data, sealed.payload_hash)
        assert "nicht vertrauenswürdig" in info.value.message
        assert mitm.intake.stats()["total"] == 0
        # server side: a client certificate from the other CA is refused by our back end
        token = mitm.enrollment_token("mitm", url=fake.url, enroll_url=fake.enroll_url)
        foreign = enroll_online(token)
        intruder = dataclasses.replace(foreign, backend_url=server.url, ca_pem=creds.ca_pem)
        with Transmitter(intruder) as tx, pytest.raises(FatalTransmissionError) as info:
            tx.send(sealed.envelope_id, sealed.data, sealed.payload_hash)
        assert info.value.message_en
    report.record(
        "network",
        "man in the middle (server cert and client cert from another CA)",
        iterations=2,
        faults=2,
        seconds=timer.seconds,
        note="both refused in the TLS handshake, nothing received",
    )


# ---------------------------------------------------------------- slow and huge


def _tls_socket(creds: DeviceCredentials | None, port: int) -> ssl.SSLSocket:
    if creds is None:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    else:
        ctx = _client_ctx(creds)
    return ctx.wrap_socket(
        socket.create_connection(("127.0.0.1", port), timeout=10), server_hostname="127.0.0.1"
    )


def test_slow_partial_headers_do_not_block_the_server(
    creds: DeviceCredentials, server: BackendServer, client: httpx.Client
) -> None:
    timer = report.Timer()
    slow = [_tls_socket(creds, server.port) for _ in range(30)]
    slow += [_tls_socket(None, server.enroll_port) for _ in range(10)]
    idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(20)]
    try:
        for sock in slow:
            sock.sendall(b"PUT /v1/envelopes/00000000-0000-0000-0000-000000000000 HTTP/1.1\r\n")
        for _ in range(3):
            for sock in slow:
                sock.sendall(b"X-Slow: 1\r\n")
            time.sleep(0.2)
        _still_serving(client, creds)
        assert client.get("/v1/health").text == "ok"
    finally:
        for sock in [*slow, *idle]:
            sock.close()
    report.record(
        "network",
        "slowloris: 40 partial-header TLS connections + 20 silent TCP connections",
        iterations=1,
        faults=60,
        seconds=timer.seconds,
        note="server keeps serving meanwhile",
    )


#: [backend] header_timeout_seconds of the server in the header test (default 10 s)
HEADER_TIMEOUT = 1.0
#: [backend] body_timeout_seconds of the same server (default 30 s)
BODY_TIMEOUT = 1.0


@pytest.fixture
def short_timeout_server(backend: Backend) -> Iterator[BackendServer]:
    config = Config(
        raw={
            "backend": {
                "header_timeout_seconds": HEADER_TIMEOUT,
                "body_timeout_seconds": BODY_TIMEOUT,
            }
        }
    )
    with BackendServer(backend, settings=ServerSettings.from_config(config)) as srv:
        yield srv


def test_partial_headers_are_cut_off_in_time(
    creds: DeviceCredentials, short_timeout_server: BackendServer
) -> None:
    timer = report.Timer()
    sock = _tls_socket(creds, short_timeout_server.port)
    start = time.monotonic()
    sock.sendall(b"PUT /v1/envelopes/00000000-0000-0000-0000-000000000000 HTTP/1.1\r\n")
    sock.settimeout(HEADER_TIMEOUT + 5)
    try:
        while sock.recv(100):
            pass
        closed = True
    except TimeoutError:
        closed = False
    except (ConnectionError, ssl.SSLError):
        closed = True  # aborted: reset or TLS EOF
    finally:
        sock.close()
    after = time.monotonic() - start
    assert closed, f"still open after {after:.1f} s"
    assert after >= HEADER_TIMEOUT * 0.9
    report.record(
        "network",
        "partial request head over TLS, then silence",
        iterations=1,
        faults=1,
        seconds=timer.seconds,
        note=f"connection closed after {after:.1f} s ([backend] header_timeout_seconds = "
        f"{HEADER_TIMEOUT:g}; default 10)",
    )


def test_a_stalled_body_is_refused_in_time(
    creds: DeviceCredentials, short_timeout_server: BackendServer, backend: Backend
) -> None:
    timer = report.Timer()
    before = backend.intake.stats()["total"]
    sock = _tls_socket(creds, short_timeout_server.port)
    start = time.monotonic()
    sock.sendall(
        b"PUT /v1/envelopes/00000000-0000-4000-8000-0000000000aa HTTP/1.1\r\n"
        b"Host: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n" + b"\0" * 1000
    )
    sock.settimeout(BODY_TIMEOUT + 5)
    answer = b""
    try:
        while b"\r\n\r\n" not in answer:
            part = sock.recv(4096)
            if not part:
                break
            answer += part
    finally:
        sock.close()
    after = time.monotonic() - start
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert after >= BODY_TIMEOUT * 0.9
    assert backend.intake.stats()["total"] == before
    report.record(
        "network",
        "request body stalls after 1 KB of 100 KB",
        iterations=1,
        faults=1,
        seconds=timer.seconds,
        note=f"408 after {after:.1f} s ([backend] body_timeout_seconds = {BODY_TIMEOUT:g}; "
        "default 30); nothing stored, the suitcase sends again later",
    )


def test_oversized_body_is_refused_with_413(
    creds: DeviceCredentials, server: BackendServer, client: httpx.Client
) -> None:
    timer = report.Timer()
    size = 100 * 1024 * 1024
    sock = _tls_socket(creds, server.port)
    sock.settimeout(60)
    head = (
        "PUT /v1/envelopes/00000000-0000-4000-8000-000000000000 HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nContent-Length: {size}\r\n\r\n"
    )
    sock.sendall(head.encode())
    chunk, sent, answer = b"\0" * (1 << 20), 0, b""
    try:
        while sent < size:
            sock.sendall(chunk)
            sent += len(chunk)
    except OSError:
        pass  # the server stopped reading: expected once it has refused
    try:
        while b"\r\n\r\n" not in answer:
            part = sock.recv(65536)
            if not part:
                break
            answer += part
    except OSError:
        pass
    sock.close()
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent <= size
    _still_serving(client, creds)
    report.record(
        "network",
        "100 MB request body",
        iterations=1,
        faults=1,
        seconds=timer.seconds,
        note=f"413 after {sent // (1 << 20)} MB sent; server keeps serving",
    )


# ---------------------------------------------------------------- fuzzing


def _mutants(valid: bytes, rng: random.Random) -> Iterator[tuple[str, bytes]]:
    for i in range(FUZZ_CASES):
        kind = i % 4
        if kind == 0:
            yield "random", rng.randbytes(rng.randrange(0, 4096))
        elif kind == 1:
            yield "truncated", valid[: rng.randrange(0, len(valid))]
        elif kind == 2:
            data = bytearray(valid)
            for _ in range(rng.randrange(1, 4)):
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
            yield "bit flip", bytes(data)
        else:
            cut = rng.randrange(len(valid))
            yield "spliced", valid[:cut] + rng.randbytes(rng.randrange(1, 64)) + valid[cut:]


def test_fuzzed_envelopes_get_4xx_and_the_server_serves_on(
    creds: DeviceCredentials, client: httpx.Client, backend: Backend
) -> None:
    timer = report.Timer()
    valid = _seal(creds)
    rng = random.Random(1312)
    statuses: dict[int, int] = {}
    for _kind, data in _mutants(valid.data, rng):
        answer = client.put(f"/v1/envelopes/{valid.envelope_id}", content=data)
        statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
        assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:200])
        assert set(answer.json()) >= {"code", "message", "message_en"}
    assert backend.intake.stats()["total"] == 0
    answer = client.put(f"/v1/envelopes/{valid.envelope_id}", content=valid.data)
    assert answer.status_code == 201
    assert sealing.parse_envelope(valid.data).header.envelope_id == valid.envelope_id
    report.record(
        "network",
        "fuzzed envelopes (random, truncated, bit flips, spliced)",
        iterations=FUZZ_CASES,
        faults=FUZZ_CASES,
        seconds=timer.seconds,
        note="answers: "
        + ", ".join(f"{k}×{v}" for k, v in sorted(statuses.items()))
        + "; valid envelope accepted afterwards",
    )
