"""Encryption of case payloads and attachments under a case's data key.

The associated data names the case and the item, so a blob copied to another
case or to another attachment slot does not decrypt. Payloads are stored as
canonical JSON (UTF-8, sorted keys, no insignificant white space).
"""

from __future__ import annotations

import json
from typing import Any

from koffer.crypto import aead, keys
from koffer.errors import StoreError

_CONTEXT = "koffer.case.v1"


def _aad(*parts: str) -> bytes:
    # a JSON list is unambiguous whatever characters the parts contain
    return json.dumps([_CONTEXT, *parts], ensure_ascii=True, separators=(",", ":")).encode()


def data_key_aad(case_id: str) -> bytes:
    return _aad("data-key", case_id)


def payload_aad(case_id: str) -> bytes:
    return _aad("payload", case_id)


def attachment_aad(case_id: str, name: str) -> bytes:
    return _aad("attachment", case_id, name)


def encode_payload(payload: dict[str, Any]) -> bytes:
    if not isinstance(payload, dict):
        raise StoreError(
            "Vorgangsdaten müssen ein Objekt (dict) sein.",
            message_en="Case data must be a dict.",
        )
    try:
        text = json.dumps(
            payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
        )
    except (TypeError, ValueError) as exc:
        raise StoreError(
            "Vorgangsdaten lassen sich nicht speichern: sie enthalten Werte, die kein JSON sind.",
            message_en="Case data cannot be stored: it contains values that are not JSON.",
        ) from exc
    return text.encode("utf-8")


def decode_payload(data: bytes) -> dict[str, Any]:
    value = json.loads(data.decode("utf-8"))
    if not isinstance(value, dict):
        raise StoreError(
            "Gespeicherte Vorgangsdaten haben ein unerwartetes Format.",
            message_en="Stored case data has an unexpected format.",
        )
    return value


def wrap_data_key(case_kek: bytes, case_id: str, data_key: bytes) -> bytes:
    return keys.wrap_key(case_kek, data_key, data_key_aad(case_id))


def unwrap_data_key(case_kek: bytes, case_id: str, wrapped: bytes) -> bytes:
    return keys.unwrap_key(case_kek, wrapped, data_key_aad(case_id))


def seal_payload(data_key: bytes, case_id: str, payload: dict[str, Any]) -> bytes:
    return aead.encrypt(data_key, encode_payload(payload), payload_aad(case_id))


def open_payload(data_key: bytes, case_id: str, blob: bytes) -> dict[str, Any]:
    return decode_payload(aead.decrypt(data_key, blob, payload_aad(case_id)))


def seal_attachment(data_key: bytes, case_id: str, name: str, data: bytes) -> bytes:
    return aead.encrypt(data_key, bytes(data), attachment_aad(case_id, name))


def open_attachment(data_key: bytes, case_id: str, name: str, blob: bytes) -> bytes:
    return aead.decrypt(data_key, blob, attachment_aad(case_id, name))
