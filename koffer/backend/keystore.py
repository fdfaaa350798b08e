"""The back end's data directory and its key file.

Layout of ``--data-dir DIR``::

    backend.json      public settings: URL, enrollment URL, database URL
    ca.pem            the back end's own CA certificate (public)
    keys.json         SECRET, mode 0600: storage key, HPKE private keys
                      (by key id, old ones kept after rotation), receipt
                      signing key, CA key
    tls/server.pem    server certificate chain (public)
    tls/server.key    server TLS key, mode 0600 (needed as a file by ssl)
    backend.db        SQLite database (default), payloads AES-256-GCM encrypted;
                      mode 0600, and so are its -wal and -shm files
    spool/            large request bodies while they are received (temporary
                      files, mode 0600, deleted after)

A relay (``init(..., relay=True)``, ``koffer backend init --relay``) has the
same files, but ``backend.json`` says ``"role": "relay"`` and ``keys.json``
holds NO HPKE private key (``hpke_keys`` is empty): the tenants' public keys
come from their stations (:mod:`koffer.backend.relay`).

The directory and ``tls/`` are 0700 whatever the umask; opening the back end
tightens an existing directory that is still group- or world-accessible.

The key file is written atomically (temp file with 0600 set before any data,
fsync, rename). Protect the whole directory with full-disk encryption; the
storage key in ``keys.json`` is what keeps ``backend.db`` unreadable on its own.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from koffer.crypto import identity, tls
from koffer.errors import ConfigError, StoreError

SETTINGS_FILE = "backend.json"
KEY_FILE = "keys.json"
CA_FILE = "ca.pem"
SERVER_CERT = "tls/server.pem"
SERVER_KEY = "tls/server.key"
DB_FILE = "backend.db"
SPOOL_DIR = "spool"


def write_private(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Atomically write ``data`` with ``mode`` set before any byte is written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.fchmod(fd, mode)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


@dataclass
class BackendSettings:
    url: str
    enroll_url: str
    database_url: str | None = None
    #: "single" (today's back end: relay and station in one) or "relay"
    role: str = "single"

    @property
    def relay(self) -> bool:
        return self.role == "relay"

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or "127.0.0.1"

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or 443

    @property
    def enroll_port(self) -> int:
        return urlsplit(self.enroll_url).port or 443


@dataclass
class BackendKeys:
    storage_key: bytes
    hpke: dict[str, identity.PrivateKey]
    current_key_id: str
    receipt_key: identity.PrivateKey
    ca_key: identity.PrivateKey
    ca_pem: bytes
    created: dict[str, str] = field(default_factory=dict)

    @property
    def current_hpke_public(self) -> identity.PublicKey:
        return self.hpke[self.current_key_id].public_key()

    def to_json(self) -> bytes:
        doc: dict[str, Any] = {
            "version": 1,
            "storage_key": base64.b64encode(self.storage_key).decode(),
            "current_key_id": self.current_key_id,
            "hpke_keys": [
                {
                    "key_id": kid,
                    "private_key": identity.private_key_to_pem(key).decode(),
                    "created": self.created.get(kid, ""),
                }
                for kid, key in self.hpke.items()
            ],
            "receipt_key": identity.private_key_to_pem(self.receipt_key).decode(),
            "ca_key": identity.private_key_to_pem(self.ca_key).decode(),
        }
        return json.dumps(doc, indent=2).encode()


class BackendDir:
    """Access to one back-end data directory."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _p(self, name: str) -> Path:
        return self.path / name

    @property
    def initialised(self) -> bool:
        return self._p(KEY_FILE).exists()

    @property
    def server_cert_file(self) -> Path:
        return self._p(SERVER_CERT)

    @property
    def server_key_file(self) -> Path:
        return self._p(SERVER_KEY)

    @property
    def spool_dir(self) -> Path:
        return self._p(SPOOL_DIR)

    def secure(self) -> None:
        """Make the directory and ``tls/`` 0700 (only what this user owns)."""
        for directory in (self.path, self._p(SERVER_KEY).parent):
            _private_dir(directory)

    def check_server_key(self) -> None:
        """Refuse a server TLS key that the group or others may read."""
        path = self.server_key_file
        if path.stat().st_mode & 0o077:
            raise ConfigError(
                f"Der private TLS-Schlüssel {path} ist für andere Benutzer lesbar. Die "
                f"Gegenstelle startet so nicht. Bitte führen Sie »chmod 600 {path}« aus und "
                "starten Sie sie dann erneut.",
                message_en=f"The TLS private key {path} is readable by others; run "
                f"'chmod 600 {path}' and start again.",
            )

    def init(
        self, url: str, enroll_url: str | None = None, *, relay: bool = False
    ) -> BackendSettings:
        """Create keys, CA and server certificate. Refuses an initialised directory.

        ``relay``: no HPKE key at all (the tenants' stations hold theirs).
        """
        if self.initialised:
            raise ConfigError(
                f"Im Datenverzeichnis {self.path} ist bereits eine Gegenstelle eingerichtet.",
                message_en=f"A back end is already set up in {self.path}.",
            )
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise ConfigError(
                "Die Adresse der Gegenstelle muss mit https:// beginnen.",
                message_en="The back-end URL must start with https://.",
            )
        port = parts.port or 443
        if enroll_url is None:
            enroll_url = f"https://{parts.netloc.rsplit(':', 1)[0]}:{port + 1}"
        self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._p(SERVER_KEY).parent.mkdir(mode=0o700, exist_ok=True)
        self.secure()
        ca_key, ca_cert = tls.create_ca("Buergerservice-Koffer Gegenstelle CA")
        hosts = [parts.hostname]
        for extra in ("localhost", "127.0.0.1", "::1"):
            if extra not in hosts:
                hosts.append(extra)
        server_key, server_cert = tls.issue_server_cert(ca_key, ca_cert, hosts)
        hpke: dict[str, identity.PrivateKey] = {}
        kid = ""
        if not relay:
            hpke_key = identity.generate_key()
            kid = identity.key_id(hpke_key.public_key())
            hpke[kid] = hpke_key
        keys = BackendKeys(
            storage_key=os.urandom(32),
            hpke=hpke,
            current_key_id=kid,
            receipt_key=identity.generate_key(),
            ca_key=ca_key,
            ca_pem=tls.cert_to_pem(ca_cert),
            created={kid: _now()} if kid else {},
        )
        write_private(self._p(SERVER_KEY), identity.private_key_to_pem(server_key))
        write_private(self._p(SERVER_CERT), tls.cert_to_pem(server_cert) + keys.ca_pem, mode=0o644)
        write_private(self._p(CA_FILE), keys.ca_pem, mode=0o644)
        settings = BackendSettings(
            url=url.rstrip("/"),
            enroll_url=enroll_url.rstrip("/"),
            role="relay" if relay else "single",
        )
        self.save_settings(settings)
        write_private(self._p(KEY_FILE), keys.to_json())
        return settings

    def save_settings(self, settings: BackendSettings) -> None:
        doc: dict[str, Any] = {
            "url": settings.url,
            "enroll_url": settings.enroll_url,
            "database_url": settings.database_url,
        }
        if settings.relay:
            doc["role"] = settings.role
        write_private(self._p(SETTINGS_FILE), json.dumps(doc, indent=2).encode(), mode=0o644)

    def _require(self) -> None:
        if not self.initialised:
            raise ConfigError(
                f"Im Datenverzeichnis {self.path} ist keine Gegenstelle eingerichtet. "
                "Bitte zuerst »koffer backend init« ausführen.",
                message_en=f"No back end in {self.path}. Run 'koffer backend init' first.",
            )

    def settings(self) -> BackendSettings:
        self._require()
        raw = json.loads(self._p(SETTINGS_FILE).read_text(encoding="utf-8"))
        return BackendSettings(
            url=raw["url"],
            enroll_url=raw["enroll_url"],
            database_url=raw.get("database_url"),
            role="relay" if raw.get("role") == "relay" else "single",
        )

    def database_url(self, override: str | None = None) -> str:
        if override:
            return override
        configured = self.settings().database_url
        return configured or f"sqlite:///{self._p(DB_FILE)}"

    def keys(self) -> BackendKeys:
        self._require()
        path = self._p(KEY_FILE)
        if path.stat().st_mode & 0o077:
            raise StoreError(
                f"Die Schlüsseldatei {path} ist für andere lesbar. "
                "Bitte setzen Sie die Rechte auf 0600 (chmod 600).",
                message_en=f"The key file {path} is readable by others; chmod 600 it.",
            )
        raw = json.loads(path.read_text(encoding="utf-8"))
        hpke = {
            item["key_id"]: identity.private_key_from_pem(item["private_key"].encode())
            for item in raw["hpke_keys"]
        }
        return BackendKeys(
            storage_key=base64.b64decode(raw["storage_key"]),
            hpke=hpke,
            current_key_id=raw["current_key_id"],
            receipt_key=identity.private_key_from_pem(raw["receipt_key"].encode()),
            ca_key=identity.private_key_from_pem(raw["ca_key"].encode()),
            ca_pem=self._p(CA_FILE).read_bytes(),
            created={item["key_id"]: item.get("created", "") for item in raw["hpke_keys"]},
        )

    def rotate_hpke_key(self) -> str:
        """Add a new sealing key and make it current; old keys stay for old envelopes."""
        if self.settings().relay:
            raise ConfigError(
                "Eine Weiterleitungsstelle hat keinen Versiegelungsschlüssel: die Schlüssel "
                "liegen bei den Stationen der Gemeinden.",
                message_en="A relay has no sealing key; the stations of the tenants hold them.",
            )
        keys = self.keys()
        key = identity.generate_key()
        kid = identity.key_id(key.public_key())
        keys.hpke[kid] = key
        keys.created[kid] = _now()
        keys.current_key_id = kid
        write_private(self._p(KEY_FILE), keys.to_json())
        return kid


def _private_dir(path: Path) -> None:
    """``chmod 700`` a directory this user owns when others may enter it."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return
    if st.st_uid == os.geteuid() and path.is_dir() and not path.is_symlink():
        if st.st_mode & 0o077:
            path.chmod(0o700)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
