"""The back end's signed enrollment response (online route and offline file).

:func:`signed_response` turns what :meth:`Intake.enroll` issued into the
document of :mod:`koffer.crypto.enrollment`: a statement of everything the
suitcase will trust, signed with the CA key. The URLs are those the suitcase
will use: online the ones from its token (it sends them along and refuses a
response naming others), offline the back end's configured ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from koffer.backend.keystore import BackendKeys
from koffer.crypto import identity, tls
from koffer.crypto.enrollment import (
    EnrollmentStatement,
    iso,
    public_key_sha256,
    sign_response,
)


def signed_response(
    keys: BackendKeys,
    issued: Mapping[str, Any],
    *,
    signing_key_pem: bytes,
    url: str,
    enroll_url: str,
    validity: timedelta,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The signed response for ``issued`` (the dict of :meth:`Intake.enroll`)."""
    now = now or datetime.now(UTC)
    client_pem = str(issued["client_cert"]).encode()
    # the key the device seals to: a relay names its tenant's, a back end has its own
    if issued.get("hpke_public_key"):
        hpke_key_id = str(issued["hpke_key_id"])
        hpke_public_key = str(issued["hpke_public_key"])
    else:
        hpke_key_id = keys.current_key_id
        hpke_public_key = identity.public_key_to_pem(keys.current_hpke_public).decode()
    statement = EnrollmentStatement(
        device_id=str(issued["device_id"]),
        name=str(issued["name"]),
        url=url.rstrip("/"),
        enroll_url=enroll_url.rstrip("/"),
        ca_sha256=tls.fingerprint(keys.ca_pem),
        client_cert_sha256=tls.fingerprint(client_pem),
        device_signing_key_sha256=public_key_sha256(identity.public_key_from_pem(signing_key_pem)),
        hpke_key_id=hpke_key_id,
        hpke_public_key=hpke_public_key,
        receipt_public_key=identity.public_key_to_pem(keys.receipt_key.public_key()).decode(),
        issued_at=iso(now),
        not_after=iso(now + validity),
    )
    return sign_response(keys.ca_key, keys.ca_pem, client_pem, statement)
