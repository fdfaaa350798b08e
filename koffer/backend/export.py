"""Export of received cases for the municipality's registry software.

``export_cases`` writes, per case not yet exported::

    OUT/<envelope id>.xml     schema koffer/backend/schema/koffer-fall-1.xsd
    OUT/<envelope id>.json    the same content as JSON
    OUT/<envelope id>/<name>  the attachments (photo, fingerprints, signature)

then marks the case ``exported`` (each case only after its files are written
and fsync'ed). The export directory holds personal data in the clear by
nature (it is the hand-over to the Fachverfahren): put it on an encrypted
volume and delete it after import. ``OUT`` must be new (it is created 0700)
or an empty directory of the caller's own (then set to 0700); anything else
is refused, and every file is created with ``O_EXCL | O_NOFOLLOW`` inside it
(:mod:`koffer.safefs`), so no link another user planted can capture a case.

Fingerprints are deleted from the back end's own store after export, at once
(``retention_days = 0``, the default) or after the configured retention.
The Rückmeldung deadline is 3 working days (Mon–Fri) after receipt; cases
past it are flagged (``fristUeberschritten``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from koffer.backend.db import ReceivedCase
from koffer.backend.keystore import BackendKeys
from koffer.cases.werktage import rueckmeldung_due
from koffer.crypto import aead, sealing
from koffer.safefs import SafeDir, check_name

NS = "urn:buergerservice-koffer:fall:1"
SCHEMA_FILE = Path(__file__).resolve().parent / "schema" / "koffer-fall-1.xsd"

#: XMeld-style message type per case type (1704: pre-captured Anmeldung)
MESSAGE_TYPES = {
    "anmeldung": "1704",
    "abmeldung": "koffer.abmeldung",
    "hauptwohnung": "koffer.hauptwohnung",
    "personalausweis": "koffer.personalausweis",
    "reisepass": "koffer.reisepass",
}

#: the document applied for, named in the header (``dokumentart``)
DOCUMENT_KINDS = {"personalausweis": "Personalausweis", "reisepass": "Reisepass"}

#: German element names (XMeld/XÖV vocabulary where known)
ELEMENT_NAMES = {
    "persons": "personen",
    "person": "person",
    "family_name": "familienname",
    "given_names": "vornamen",
    "birth_name": "geburtsname",
    "birth_date": "geburtsdatum",
    "birth_place": "geburtsort",
    "birth_country": "geburtsstaat",
    "sex": "geschlecht",
    "nationalities": "staatsangehoerigkeiten",
    "marital_status": "familienstand",
    "religion": "religionszugehoerigkeit",
    "doctoral_degree": "doktorgrad",
    "religious_or_artist_name": "ordensOderKuenstlername",
    "id_documents": "ausweisdokumente",
    "address": "anschrift",
    "street": "strasse",
    "house_number": "hausnummer",
    "postcode": "postleitzahl",
    "city": "wohnort",
    "municipality_key": "gemeindeschluessel",
    "country": "staat",
    "move_in_date": "einzugsdatum",
    "move_out_date": "auszugsdatum",
    "registration_date": "meldedatum",
    "application_date": "antragsdatum",
    "case_number": "vorgangsnummer",
    "case_type": "vorgangsart",
    "status": "wohnungsstatus",
    "fingerprints": "fingerabdruecke",
    "photo": "lichtbild",
    "fee_amount": "gebuehr",
    "information_block_requested": "auskunftssperreBeantragt",
    "transfer_objections": "uebermittlungssperren",
    # § 3 Abs. 1 Nr. 14–16 BMG; links are 0-based positions in "personen"
    "marriage_date": "eheschliessungDatum",
    "marriage_place": "eheschliessungOrt",
    "spouse_index": "ehegatteLebenspartner",
    "parent_indices": "eltern",
    "legal_representatives": "gesetzlicheVertreter",
    "relationship": "verhaeltnis",
    "custody": "sorge",
    "other_parent_consent": "zustimmungAndererElternteil",
}

_NAME_OK = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def deadline(received_at: datetime) -> date:
    """Rückmeldefrist: three Werktage (Saturdays count, nationwide holidays do not)."""
    return rueckmeldung_due(received_at.astimezone(UTC).date())


def _element_name(key: str) -> str:
    if key in ELEMENT_NAMES:
        return ELEMENT_NAMES[key]
    parts = key.split("_")
    name = parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])
    return name if _NAME_OK.fullmatch(name) else "feld"


def _append(parent: ET.Element, key: str, value: Any) -> None:
    el = ET.SubElement(parent, f"{{{NS}}}{_element_name(key)}")
    if value is None:
        el.set("leer", "true")
    elif isinstance(value, Mapping):
        for k in sorted(value):
            _append(el, str(k), value[k])
    elif isinstance(value, list):
        for item in value:
            _append(el, "eintrag", item)
    elif isinstance(value, bool):
        el.text = "true" if value else "false"
    else:
        el.text = str(value)


def _aware(ts: datetime) -> datetime:
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)


def case_header(row: ReceivedCase, now: datetime) -> dict[str, Any]:
    received = _aware(row.received_at)
    due = deadline(received)
    header: dict[str, Any] = {
        "nachrichtenUUID": row.envelope_id,
        "nachrichtentyp": MESSAGE_TYPES.get(row.case_type, "koffer." + row.case_type),
        "vorgangsart": row.case_type,
        "erstellungszeitpunkt": row.created.replace("Z", "+00:00"),
        "eingangszeitpunkt": received.replace(microsecond=0).isoformat(),
        "absenderGeraet": row.device_id,
        "inhaltPruefsumme": row.payload_hash,
        "rueckmeldefrist": due.isoformat(),
        "fristUeberschritten": now.astimezone(UTC).date() > due,
        # the suitcase's clock was wrong (koffer.backend.plausibility)
        "erstellungszeitUnplausibel": row.created_implausible is not None,
    }
    kind = DOCUMENT_KINDS.get(row.case_type)
    if kind is not None:  # "Personalausweis" / "Reisepass"
        header["dokumentart"] = kind
    return header


def to_xml(header: Mapping[str, Any], payload: sealing.Payload, deleted: set[str]) -> bytes:
    ET.register_namespace("k", NS)
    root = ET.Element(f"{{{NS}}}fall", {"version": "1"})
    head = ET.SubElement(root, f"{{{NS}}}nachrichtenkopf")
    for key, value in header.items():
        child = ET.SubElement(head, f"{{{NS}}}{key}")
        child.text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    data = ET.SubElement(root, f"{{{NS}}}daten")
    for key in sorted(payload.case):
        _append(data, key, payload.case[key])
    attachments = ET.SubElement(root, f"{{{NS}}}anlagen")
    for item in payload.attachments:
        ET.SubElement(
            attachments,
            f"{{{NS}}}anlage",
            {
                "name": item.name,
                "medientyp": item.media_type,
                "laenge": str(len(item.data)),
                "sha256": sealing.sha256_hex(item.data),
                "geloescht": "true" if item.name in deleted else "false",
            },
        )
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def is_fingerprint(name: str) -> bool:
    return name.startswith("fingerprint")


def _open(keys: BackendKeys, row: ReceivedCase) -> sealing.Payload:
    return sealing.decode_payload(
        aead.decrypt(keys.storage_key, row.payload, row.envelope_id.encode())
    )


def _strip_fingerprints(keys: BackendKeys, row: ReceivedCase, now: datetime) -> None:
    payload = _open(keys, row)
    kept = tuple(a for a in payload.attachments if not is_fingerprint(a.name))
    stripped = sealing.Payload(payload.schema_version, payload.case, kept)
    row.payload = aead.encrypt(
        keys.storage_key, sealing.encode_payload(stripped), row.envelope_id.encode()
    )
    row.attachment_count = len(kept)
    row.fingerprints_deleted_at = now


def purge_fingerprints(
    sessions: sessionmaker[Session], keys: BackendKeys, retention_days: int, now: datetime
) -> int:
    """Delete fingerprints of cases exported more than ``retention_days`` ago."""
    limit = now - timedelta(days=retention_days)
    count = 0
    with sessions() as session:
        rows = session.scalars(
            select(ReceivedCase).where(
                ReceivedCase.state == "exported", ReceivedCase.fingerprints_deleted_at.is_(None)
            )
        ).all()
        for row in rows:
            if row.exported_at is not None and _aware(row.exported_at) <= limit:
                _strip_fingerprints(keys, row, now)
                count += 1
        session.commit()
    return count


def _write_case(
    folder: SafeDir, keys: BackendKeys, row: ReceivedCase, now: datetime, name: str
) -> dict[str, Any]:
    """Write one case's attachments, then its XML and JSON; returns its header.

    Every name is checked before the first byte is written, and the XML/JSON
    that announce the case come last, so a consumer never sees a case without
    its attachments."""
    payload = _open(keys, row)
    header = case_header(row, now)
    deleted = {"fingerprint*"} if row.fingerprints_deleted_at is not None else set[str]()
    name = check_name(name)
    for item in payload.attachments:
        check_name(item.name)
    if payload.attachments:
        with folder.subdir(name, create=True) as attachments:
            for item in payload.attachments:
                attachments.write(item.name, item.data, replace=False)
            attachments.sync()
    doc = {
        "header": header,
        "case": payload.case,
        "attachments": [
            {"name": a.name, "media_type": a.media_type, "length": len(a.data)}
            for a in payload.attachments
        ],
    }
    folder.write(f"{name}.xml", to_xml(header, payload, deleted), replace=False)
    text = json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    folder.write(f"{name}.json", text, replace=False)
    return header


def export_cases(
    sessions: sessionmaker[Session],
    keys: BackendKeys,
    out: Path,
    *,
    retention_days: int = 0,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """Write every not yet exported case; returns the (non-personal) headers."""
    now = now or datetime.now(UTC)
    written: list[dict[str, Any]] = []
    with SafeDir.create_new(out) as folder, sessions() as session:
        rows = session.scalars(
            select(ReceivedCase)
            .where(ReceivedCase.state == "received")
            # closings go to the finance office (koffer.backend.cashbook_export)
            .where(ReceivedCase.case_type != "kassenabschluss")
            .order_by(ReceivedCase.received_at)
        ).all()
        used: set[str] = set()
        for row in rows:
            # files are named by envelope id; ids are unique per device only, so
            # a second device's case with the same id gets its device in front
            name = row.envelope_id
            if name in used:
                name = f"{row.device_id}-{row.envelope_id}"
            used.add(name)
            header = _write_case(folder, keys, row, now, name)
            folder.sync()
            # marked exported only once its files are durably written
            row.state = "exported"
            row.exported_at = now
            session.commit()
            written.append(header)
    purge_fingerprints(sessions, keys, retention_days, now)
    return written


def overdue(sessions: sessionmaker[Session], now: datetime) -> int:
    """Received, not yet exported cases past their Rückmeldung deadline."""
    with sessions() as session:
        rows = session.scalars(
            select(ReceivedCase).where(
                ReceivedCase.state == "received", ReceivedCase.case_type != "kassenabschluss"
            )
        )
        return sum(1 for row in rows if now.astimezone(UTC).date() > deadline(row.received_at))
