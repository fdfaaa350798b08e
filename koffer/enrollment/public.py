"""Public enrollment metadata, readable without unlocking the store.

After enrollment :func:`save_public` stores, in the ``device_secrets`` table
under the name ``public`` and deliberately *unencrypted*, what is neither
secret nor personal: device id and name, the back end's URL, the SHA-256 of
its CA and the device's client certificate (a certificate is public by
nature). ``koffer doctor`` reads it from the database file in read-only mode
to check the certificate's validity and the back end's reachability without
a passphrase. The private keys stay encrypted under the store key.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from koffer.crypto import tls
from koffer.crypto.enrollment import DeviceCredentials
from koffer.queue.models import DeviceSecret
from koffer.store import files
from koffer.store.unlocked import UnlockedStore

PUBLIC = "public"


@dataclass(frozen=True)
class EnrollmentInfo:
    device_id: str
    name: str
    backend_url: str
    ca_sha256: str
    client_cert_pem: bytes

    def to_bytes(self) -> bytes:
        return json.dumps(
            {
                "v": 1,
                "device_id": self.device_id,
                "name": self.name,
                "backend_url": self.backend_url,
                "ca_sha256": self.ca_sha256,
                "client_cert": self.client_cert_pem.decode("ascii"),
            },
            sort_keys=True,
        ).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> EnrollmentInfo | None:
        try:
            raw = json.loads(data)
            return cls(
                device_id=str(raw["device_id"]),
                name=str(raw["name"]),
                backend_url=str(raw["backend_url"]),
                ca_sha256=str(raw["ca_sha256"]),
                client_cert_pem=str(raw["client_cert"]).encode("ascii"),
            )
        except (ValueError, KeyError, TypeError, UnicodeError):
            return None

    @classmethod
    def of(cls, creds: DeviceCredentials) -> EnrollmentInfo:
        return cls(
            device_id=creds.device_id,
            name=creds.name,
            backend_url=creds.backend_url,
            ca_sha256=tls.fingerprint(creds.ca_pem),
            client_cert_pem=creds.client_cert_pem,
        )


def save_public(store: UnlockedStore, creds: DeviceCredentials) -> None:
    """Store the public metadata of ``creds`` (plain, see the module docstring)."""
    blob = EnrollmentInfo.of(creds).to_bytes()
    with store.transaction() as session:
        row = session.get(DeviceSecret, PUBLIC)
        now = datetime.now(UTC)
        if row is None:
            session.add(DeviceSecret(name=PUBLIC, blob=blob, updated_at=now))
        else:
            row.blob = blob
            row.updated_at = now


def read_public(data_dir: Path) -> EnrollmentInfo | None:
    """The public enrollment metadata from the store file (read-only), if any."""
    path = files.db_path(data_dir)
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            row = conn.execute(
                "SELECT blob FROM device_secrets WHERE name = ?", (PUBLIC,)
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return None if row is None else EnrollmentInfo.from_bytes(bytes(row[0]))


def device_certificate_pem(data_dir: Path) -> bytes | None:
    """The enrolled device's client certificate (PEM), or None if not enrolled."""
    info = read_public(data_dir)
    return None if info is None else info.client_cert_pem


def backend_url(data_dir: Path) -> str | None:
    """The back end's URL from the enrollment, or None if not enrolled."""
    info = read_public(data_dir)
    return None if info is None else info.backend_url
