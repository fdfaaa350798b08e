"""The reference back end inside the demo: loopback only, its own data folder.

``koffer demo`` needs no configuration: :class:`EmbeddedBackend` creates a
back-end data directory (keys, CA, server certificate) next to the demo
data, serves intake and enrollment on 127.0.0.1 in a background thread and
enrolls the demo suitcase with a one-time token, exactly as an
administrator would with ``koffer backend enroll-device`` and ``koffer enroll``.
No Qt here.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from koffer.backend.server import Backend, BackendServer
    from koffer.store.settings import StoreSettings
    from koffer.store.unlocked import UnlockedStore

log = logging.getLogger(__name__)

DEMO_DEVICE_NAME = "demo-koffer"


class EmbeddedBackend:
    """Start, stop (and start again on the same ports) an in-process back end."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._backend: Backend | None = None
        self._server: BackendServer | None = None
        self._ports: tuple[int, int] = (0, 0)

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("embedded back end not started")
        return self._server.url

    @property
    def backend(self) -> Backend:
        if self._backend is None:
            raise RuntimeError("embedded back end not started")
        return self._backend

    def start(self) -> EmbeddedBackend:
        """Initialise (first time) and serve on loopback; returns once listening."""
        from koffer.backend.keystore import BackendDir
        from koffer.backend.server import Backend, BackendServer

        if self._server is not None:
            return self
        directory = BackendDir(self.data_dir)
        if not directory.initialised:
            directory.init("https://127.0.0.1:1")
        if self._backend is None:
            self._backend = Backend.open(self.data_dir)
        intake, enroll = self._ports
        self._server = BackendServer(
            self._backend, host="127.0.0.1", port=intake, enroll_port=enroll
        ).start()
        self._ports = (self._server.port, self._server.enroll_port)
        log.info("embedded back end listening on loopback port %d", self._server.port)
        return self

    def reachable(self) -> bool:
        """Whether the intake port accepts connections (the status bar's check)."""
        import socket

        if self._server is None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", self._ports[0]), timeout=1.0):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.stop()

    def enroll(self, store: UnlockedStore, name: str = DEMO_DEVICE_NAME) -> None:
        """Enroll ``store``'s suitcase (skipped when it already has credentials)."""
        from koffer.enrollment import device
        from koffer.enrollment.enroll import enroll_online

        if device.load_credentials(store) is not None:
            return
        server = self._server
        if server is None:
            raise RuntimeError("embedded back end not started")
        token = self.backend.enrollment_token(name, url=server.url, enroll_url=server.enroll_url)
        device.save_credentials(store, enroll_online(token))

    def received(self) -> int:
        """Number of cases the back end has stored (non-personal count)."""
        from sqlalchemy import func, select

        from koffer.backend.db import ReceivedCase

        with self.backend.intake.sessions.begin() as session:
            return int(session.scalar(select(func.count()).select_from(ReceivedCase)) or 0)


def start_for_demo(
    data_dir: Path, account: str, passphrase: str, store_settings: StoreSettings
) -> EmbeddedBackend:
    """Start the demo's back end under ``data_dir`` and enroll the demo suitcase."""
    from koffer.store import Store

    backend = EmbeddedBackend(data_dir / "gegenstelle").start()
    try:
        with (
            Store.open(data_dir, store_settings) as store,
            store.unlock(account, passphrase) as unlocked,
        ):
            backend.enroll(unlocked)
    except BaseException:
        backend.stop()
        raise
    return backend
