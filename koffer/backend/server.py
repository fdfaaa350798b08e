"""Running the back end: two uvicorn servers (intake + enrollment) in one loop.

- The intake port uses a TLS context with ``CERT_REQUIRED`` against the back
  end's own CA (TR-02102-2 suites, TLS 1.2 minimum, 1.3 preferred).
- The enrollment port has a server certificate only: a suitcase without a
  client certificate yet can fetch the CA (checked against the token's
  fingerprint) and redeem its one-time secret.

- Both use :class:`koffer.backend.http_protocol.KofferH11Protocol`: it puts
  the DER client certificate into the ASGI scope and closes connections whose
  request head is not complete within ``ServerSettings.header_timeout``.
- TLS 1.3 suites: Python cannot set them per context; the process-wide
  OpenSSL policy (:mod:`koffer.crypto.tls_policy`, applied by the ``koffer``
  command before :mod:`ssl` is imported) restricts them. At start-up the
  server checks its contexts and logs a warning when TLS 1.3 still offers a
  suite outside BSI TR-02102-2 (it starts anyway).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import uvicorn
from sqlalchemy import Engine
from starlette.types import ASGIApp

from koffer.backend import app as app_module
from koffer.backend import relay_app
from koffer.backend.db import open_database
from koffer.backend.enrollment_response import signed_response
from koffer.backend.http_protocol import protocol_class
from koffer.backend.keystore import BackendDir
from koffer.backend.relay import RelayIntake
from koffer.backend.relay_db import create_relay_tables
from koffer.backend.server_settings import ServerSettings
from koffer.backend.service import Intake, Validator
from koffer.backend.validation import validate_case
from koffer.crypto import tls, tls_policy
from koffer.crypto.enrollment import OFFLINE_VALIDITY, EnrollmentToken
from koffer.errors import ConfigError

log = logging.getLogger(__name__)

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket.

    Created with ``IPPROTO_TCP`` so that asyncio sets TCP_NODELAY on every
    accepted connection: uvicorn writes a response's head and body separately,
    and with Nagle's algorithm the body waits for the client's delayed ACK
    (about 40 ms on Linux) on every request.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(512)
    sock.set_inheritable(True)
    return sock


@dataclass
class Backend:
    """A loaded back end (keys, database, intake service)."""

    directory: BackendDir
    intake: Intake
    database_url: str
    engine: Engine | None = None

    @classmethod
    def open(
        cls,
        data_dir: Path,
        *,
        database_url: str | None = None,
        validator: Validator = validate_case,
    ) -> Backend:
        directory = BackendDir(data_dir)
        keys = directory.keys()
        directory.secure()
        url = directory.database_url(database_url)
        engine, sessions = open_database(url)
        if directory.settings().relay:
            # a relay: sealed envelopes for many tenants, no key that opens them
            create_relay_tables(engine)
            return cls(directory, RelayIntake(sessions, keys), url, engine)
        return cls(directory, Intake(sessions, keys, validator), url, engine)

    @property
    def relay(self) -> RelayIntake | None:
        """The relay's intake, or None for a single-municipality back end."""
        return self.intake if isinstance(self.intake, RelayIntake) else None

    def close(self) -> None:
        """Close the database connections (the pool)."""
        if self.engine is not None:
            self.engine.dispose()

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def enrollment_token(
        self,
        name: str,
        *,
        url: str | None = None,
        enroll_url: str | None = None,
        ttl: timedelta = timedelta(hours=72),
        tenant: str | None = None,
    ) -> EnrollmentToken:
        """A one-time token for device ``name`` (URLs default to the saved settings).

        On a relay the device belongs to ``tenant`` (required there).
        """
        settings = self.directory.settings()
        relay = self.relay
        if tenant is not None and relay is None:
            raise ConfigError(
                "--tenant gibt es nur auf einer Weiterleitungsstelle (backend init --relay).",
                message_en="--tenant is only for a relay (backend init --relay).",
            )
        if relay is not None and tenant is not None:
            secret = relay.issue_device_token(tenant, name, ttl)
        else:
            secret = self.intake.issue_token(name, ttl)
        ca_pem = self.intake.public_material()["ca_cert"].encode()
        return EnrollmentToken(
            url=url or settings.url,
            enroll_url=enroll_url or settings.enroll_url,
            ca_sha256=tls.fingerprint(ca_pem),
            secret=secret,
            name=name,
        )

    def station_token(
        self, tenant: str, *, ttl: timedelta = timedelta(hours=72)
    ) -> EnrollmentToken:
        """A one-time token for ``tenant``'s station (relay only; same format as a device's)."""
        relay = self.relay
        if relay is None:
            raise ConfigError(
                "Stationen gibt es nur an einer Weiterleitungsstelle (backend init --relay).",
                message_en="Stations exist only at a relay (backend init --relay).",
            )
        settings = self.directory.settings()
        secret = relay.issue_station_token(tenant, ttl)
        return EnrollmentToken(
            url=settings.url,
            enroll_url=settings.enroll_url,
            ca_sha256=tls.fingerprint(self.intake.public_material()["ca_cert"].encode()),
            secret=secret,
            name=tenant,
        )

    def enroll_offline(self, name: str, request: bytes) -> bytes:
        """Answer an enrollment request file (removable-media variant)."""
        if self.relay is not None:
            raise ConfigError(
                "Die Offline-Einrichtung gibt es an einer Weiterleitungsstelle noch nicht; "
                "bitte den Koffer online einrichten (enroll-device --tenant NAME GERÄT).",
                message_en="Offline enrollment is not available on a relay yet; enroll online.",
            )
        try:
            doc = json.loads(request)
            if doc.get("kind") != "koffer-enrollment-request":
                raise ValueError("kind")
            csr, signing_key = str(doc["csr"]).encode(), str(doc["signing_key"]).encode()
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(
                "Die Datei ist keine gültige Einrichtungsanfrage eines Koffers.",
                message_en="The file is not a valid enrollment request.",
            ) from exc
        secret = self.intake.issue_token(name, timedelta(minutes=5))
        issued = self.intake.enroll(secret, csr, signing_key)
        settings = self.directory.settings()
        answer = signed_response(
            self.intake.keys,
            issued,
            signing_key_pem=signing_key,
            url=settings.url,
            enroll_url=settings.enroll_url,
            validity=OFFLINE_VALIDITY,
        )
        return json.dumps(answer, indent=2).encode()


def _config(app: ASGIApp, ssl_context: ssl.SSLContext, settings: ServerSettings) -> uvicorn.Config:
    config = uvicorn.Config(
        app,
        http=protocol_class(settings.header_timeout),
        lifespan="off",
        log_level="warning",
        access_log=False,
        timeout_keep_alive=settings.keep_alive_timeout,
    )
    config.load()
    config.ssl = ssl_context
    return config


def check_tls_policy(
    contexts: Mapping[str, ssl.SSLContext], environ: Mapping[str, str]
) -> frozenset[str]:
    """Log where the OpenSSL policy comes from; warn about TLS 1.3 suites outside TR-02102-2.

    Returns the unlisted suites found (empty when the policy is in effect).
    """
    source = tls_policy.source(environ)
    if source is tls_policy.PolicySource.OPERATOR:
        log.info(
            "TLS: using the operator's OpenSSL configuration %s=%s",
            tls_policy.ENV_VAR,
            environ.get(tls_policy.ENV_VAR, ""),
        )
    unlisted: set[str] = set()
    for name, ctx in contexts.items():
        found = tls.unlisted_tls13_suites(ctx)
        if found:
            log.warning(
                "TLS: the %s port offers TLS 1.3 suites that BSI TR-02102-2 does not list: %s "
                "(OpenSSL configuration: %s). Start the back end with 'koffer backend serve' "
                "(it sets %s=%s before OpenSSL is loaded) or add 'Ciphersuites = %s' to the "
                "system_default section of your own OpenSSL configuration.",
                name,
                ", ".join(sorted(found)),
                source.value,
                tls_policy.ENV_VAR,
                tls_policy.CONFIG_FILE,
                ":".join(sorted(tls.TLS13_SUITES)),
            )
            unlisted |= found
    if not unlisted:
        log.info("TLS: TLS 1.3 suites restricted to %s", ", ".join(sorted(tls.TLS13_SUITES)))
    return frozenset(unlisted)


class BackendServer:
    """Both servers on pre-bound sockets; run in the foreground or in a thread."""

    def __init__(
        self,
        backend: Backend,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        enroll_port: int = 0,
        settings: ServerSettings | None = None,
        limits: app_module.IntakeLimits | None = None,
    ) -> None:
        settings = settings if settings is not None else ServerSettings()
        directory = backend.directory
        directory.check_server_key()
        ca_pem = backend.intake.public_material()["ca_cert"].encode()
        cert, key = str(directory.server_cert_file), str(directory.server_key_file)
        self.intake_sock = bind(host, port)
        self.enroll_sock = bind(host, enroll_port)
        self.host = host
        self._backend = backend
        contexts = {
            "intake": tls.server_context(cert, key, client_ca_pem=ca_pem),
            "enrollment": tls.server_context(cert, key, client_ca_pem=None),
        }
        #: TLS 1.3 suites outside TR-02102-2 the contexts offer (empty: policy in effect)
        self.unlisted_tls13_suites = check_tls_policy(contexts, os.environ)
        intake_asgi = app_module.intake_app(
            backend.intake,
            spool_dir=directory.spool_dir,
            body_timeout=settings.body_timeout,
            limits=limits,
        )
        enroll_asgi = app_module.enrollment_app(backend.intake, body_timeout=settings.body_timeout)
        if backend.relay is not None:
            relay_app.add_station_routes(
                intake_asgi, enroll_asgi, backend.relay, settings.body_timeout
            )
        self._servers = [
            uvicorn.Server(_config(intake_asgi, contexts["intake"], settings)),
            uvicorn.Server(_config(enroll_asgi, contexts["enrollment"], settings)),
        ]
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.intake_sock.getsockname()[1])

    @property
    def enroll_port(self) -> int:
        return int(self.enroll_sock.getsockname()[1])

    @property
    def url(self) -> str:
        return f"https://{self.host}:{self.port}"

    @property
    def enroll_url(self) -> str:
        return f"https://{self.host}:{self.enroll_port}"

    async def serve(self) -> None:
        await asyncio.gather(
            self._servers[0].serve(sockets=[self.intake_sock]),
            self._servers[1].serve(sockets=[self.enroll_sock]),
        )

    def _serve_until_signal(self) -> None:
        """Serve until SIGTERM/SIGINT, then shut down gracefully and return.

        uvicorn handles the signal (finishes the running requests) and then
        raises it again for the handler it found installed. That is this
        method's quiet handler, so the process ends normally (exit code 0,
        which systemd counts as a clean stop) instead of being killed by the
        re-raised signal (143).
        """

        def stop(_signum: int, _frame: object) -> None:
            for server in self._servers:
                server.should_exit = True

        main = threading.current_thread() is threading.main_thread()
        previous = {sig: signal.signal(sig, stop) for sig in _STOP_SIGNALS} if main else {}
        try:
            asyncio.run(self.serve())
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def run(self, workers: int = 1) -> None:
        """Serve in the foreground until interrupted (Ctrl-C / SIGTERM).

        With ``workers > 1`` the process forks that many workers that accept on
        the same pre-bound sockets (the intake is CPU-bound: signature check,
        HPKE, validation; one Python process uses one core). Call it from a
        process without other threads (the CLI).
        """
        if workers <= 1:
            self._serve_until_signal()
            return
        children: list[int] = []
        for _ in range(workers):
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child
                code = 0
                try:
                    if self._backend.engine is not None:
                        self._backend.engine.dispose(close=False)
                    self._serve_until_signal()
                except BaseException:
                    code = 1
                finally:
                    os._exit(code)
            children.append(pid)

        def forward(signum: int, _frame: object) -> None:
            for child in children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child, signal.SIGTERM)

        previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for child in children:
                while True:
                    try:
                        os.waitpid(child, 0)
                        break
                    except ChildProcessError:
                        break
                    except InterruptedError:
                        continue
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def start(self) -> BackendServer:
        """Serve in a background thread (tests, demo); returns once listening."""
        self._thread = threading.Thread(target=self.run, name="koffer-backend", daemon=True)
        self._thread.start()
        for server in self._servers:
            while not server.started:
                if not self._thread.is_alive():
                    raise RuntimeError("back end failed to start")
                threading.Event().wait(0.01)
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.intake_sock.close()
        self.enroll_sock.close()

    def __enter__(self) -> BackendServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
