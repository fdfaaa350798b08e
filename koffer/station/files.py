"""The station's data directory: the one place a tenant's HPKE private key exists.

Layout of ``koffer station init --data-dir DIR``::

    koffer-store.sqlite3  the encrypted store of :mod:`koffer.store` (one
                          account, ``station``; passphrase → Argon2id, same
                          throttling, lock-out and recovery code as the suitcase)
    station.json          public facts (relay URL, tenant, station id, CA,
                          client certificate, receipt key, HPKE key id) and
                          ``secrets``: the HPKE private key and the TLS client
                          key, encrypted by the unlocked store
                          (``UnlockedStore.encrypt_secret``)
    keys.json             mode 0600: the storage key of ``station.db`` (as the
                          back end's own keys.json: export runs without the
                          passphrase; protect the disk with full-disk encryption)
    station.db            the pulled, decrypted cases, AES-256-GCM under the
                          storage key (the back end's schema, :mod:`koffer.backend.db`),
                          and the refusals (ids and reasons only)

The directory is 0700; every file with a secret is 0600.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from koffer.backend.keystore import write_private
from koffer.crypto import identity
from koffer.errors import ConfigError, StoreError
from koffer.store.unlocked import UnlockedStore

ACCOUNT = "station"
SETTINGS_FILE = "station.json"
KEY_FILE = "keys.json"
DB_FILE = "station.db"
#: the purpose under which the store encrypts the station's private keys
SECRET_PURPOSE = "station-keys"


@dataclass(frozen=True)
class StationInfo:
    """What ``station.json`` says (nothing secret in the clear)."""

    relay_url: str
    tenant: str
    gemeindeschluessel: str
    station_id: str
    hpke_key_id: str
    ca_pem: bytes
    client_cert_pem: bytes
    receipt_public_pem: bytes
    secrets: bytes

    def to_json(self) -> bytes:
        doc = {
            "version": 1,
            "relay_url": self.relay_url,
            "tenant": self.tenant,
            "gemeindeschluessel": self.gemeindeschluessel,
            "station_id": self.station_id,
            "hpke_key_id": self.hpke_key_id,
            "ca_cert": self.ca_pem.decode(),
            "client_cert": self.client_cert_pem.decode(),
            "receipt_public_key": self.receipt_public_pem.decode(),
            "secrets": base64.b64encode(self.secrets).decode(),
        }
        return json.dumps(doc, indent=2).encode()

    @classmethod
    def from_json(cls, data: bytes) -> StationInfo:
        raw = json.loads(data)
        return cls(
            relay_url=str(raw["relay_url"]),
            tenant=str(raw["tenant"]),
            gemeindeschluessel=str(raw["gemeindeschluessel"]),
            station_id=str(raw["station_id"]),
            hpke_key_id=str(raw["hpke_key_id"]),
            ca_pem=str(raw["ca_cert"]).encode(),
            client_cert_pem=str(raw["client_cert"]).encode(),
            receipt_public_pem=str(raw["receipt_public_key"]).encode(),
            secrets=base64.b64decode(raw["secrets"]),
        )


@dataclass(frozen=True)
class StationSecrets:
    """The private keys; only ever in memory after unlocking the store."""

    hpke: identity.PrivateKey
    tls_key: identity.PrivateKey

    def seal(self, store: UnlockedStore) -> bytes:
        doc = {
            "hpke_key": identity.private_key_to_pem(self.hpke).decode(),
            "tls_key": identity.private_key_to_pem(self.tls_key).decode(),
        }
        return store.encrypt_secret(SECRET_PURPOSE, json.dumps(doc).encode())

    @classmethod
    def open(cls, store: UnlockedStore, blob: bytes) -> StationSecrets:
        raw = json.loads(store.decrypt_secret(SECRET_PURPOSE, blob))
        return cls(
            identity.private_key_from_pem(str(raw["hpke_key"]).encode()),
            identity.private_key_from_pem(str(raw["tls_key"]).encode()),
        )


class StationDir:
    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def initialised(self) -> bool:
        return (self.path / SETTINGS_FILE).exists()

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.path / DB_FILE}"

    def require(self) -> None:
        if not self.initialised:
            raise ConfigError(
                f"Im Datenverzeichnis {self.path} ist keine Station eingerichtet. Bitte "
                "zuerst »koffer station init« ausführen.",
                message_en=f"No station in {self.path}. Run 'koffer station init' first.",
            )

    def refuse_existing(self) -> None:
        if self.initialised:
            raise ConfigError(
                f"Im Datenverzeichnis {self.path} ist bereits eine Station eingerichtet.",
                message_en=f"A station is already set up in {self.path}.",
            )

    def info(self) -> StationInfo:
        self.require()
        return StationInfo.from_json((self.path / SETTINGS_FILE).read_bytes())

    def write_info(self, info: StationInfo) -> None:
        write_private(self.path / SETTINGS_FILE, info.to_json())

    def new_storage_key(self) -> None:
        doc = {"version": 1, "storage_key": base64.b64encode(os.urandom(32)).decode()}
        write_private(self.path / KEY_FILE, json.dumps(doc).encode())

    def storage_key(self) -> bytes:
        self.require()
        path = self.path / KEY_FILE
        if path.stat().st_mode & 0o077:
            raise StoreError(
                f"Die Schlüsseldatei {path} ist für andere lesbar. "
                "Bitte setzen Sie die Rechte auf 0600 (chmod 600).",
                message_en=f"The key file {path} is readable by others; chmod 600 it.",
            )
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return base64.b64decode(raw["storage_key"])
