"""The canonical, versioned payload of a case (JSON types only).

This is the form the store encrypts, the sealed envelope carries and the back
end receives. :func:`case_to_dict` and :func:`case_from_dict` are exact inverses.

Top-level keys of every case:

- ``schema_version`` – :data:`SCHEMA_VERSION` (int)
- ``case_type`` – "anmeldung", "abmeldung", "hauptwohnung" or "personalausweis"
- ``case_id``, ``case_number``, ``state``, ``created_at`` (ISO 8601 date-time)

then, for a registration (``RegistrationCase``): ``anmeldung_kind``, ``persons``,
``signer_index``, ``new_dwelling``, ``previous_dwelling``,
``last_domestic_dwelling``, ``other_dwellings``, ``move_in_date``,
``move_out_date``, ``registration_date``, ``landlord_confirmation``,
``signature_attachments``, ``remarks``;

for a Personalausweis application (``IdCardApplication``): ``person``,
``application_date``, ``address``, ``photo``, ``fingerprints``,
``fingerprint_exemptions``, ``signature_attachments``, ``height_cm``,
``eye_color``, ``delivery``, ``delivery_address``, ``second_id_present``,
``applicant_in_person``, ``express``, ``provisional``, ``pin_letter_handed_out``,
``pin_letter_number``, ``outside_hours_surcharge``, ``fee_waived``,
``fee_amount``, ``device_certificates``, ``remarks``.

Nested objects use the attribute names of the dataclasses in
:mod:`koffer.cases.model` as keys. Encoding: dates ``"YYYY-MM-DD"``, date-times
ISO 8601 with offset, enums their value, ``Decimal`` its string (``"37.00"``),
absent optional values ``null``. Every key is always written; on reading, a
missing key with a default takes the default, an unknown key is refused.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import cache
from typing import Any, Union

from koffer.cases.enums import CaseType
from koffer.cases.model import Case, IdCardApplication, RegistrationCase
from koffer.errors import ValidationError

__all__ = ["SCHEMA_VERSION", "case_from_dict", "case_to_dict"]

SCHEMA_VERSION = 1


# ------------------------------------------------------------------ encode


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    raise TypeError(f"cannot encode {type(value).__name__}")


def case_to_dict(case: Case) -> dict[str, Any]:
    """The canonical payload of ``case`` (only JSON types)."""
    body = _encode(case)
    assert isinstance(body, dict)
    out: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "case_type": case.case_type.value}
    out.update(body)
    return out


# ------------------------------------------------------------------ decode


class _Malformed(Exception):
    def __init__(self, path: str, expected: str) -> None:
        super().__init__(path)
        self.path = path
        self.expected = expected


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(tp: Any, value: Any, path: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None:
            if len(args) != len(typing.get_args(tp)):
                return None
            raise _Malformed(path, "a value")
        if len(args) != 1:
            raise TypeError(f"unsupported union {tp!r}")
        return _decode(args[0], value, path)
    if origin is list:
        if not isinstance(value, list):
            raise _Malformed(path, "a list")
        (item,) = typing.get_args(tp)
        return [_decode(item, v, f"{path}[{i}]") for i, v in enumerate(value)]
    if tp is bool:
        if not isinstance(value, bool):
            raise _Malformed(path, "true or false")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Malformed(path, "an integer")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise _Malformed(path, "a string")
        return value
    if tp is Decimal:
        if not isinstance(value, str):
            raise _Malformed(path, "a decimal number as a string")
        try:
            number = Decimal(value)
        except InvalidOperation as exc:
            raise _Malformed(path, "a decimal number") from exc
        if not number.is_finite():
            raise _Malformed(path, "a finite decimal number")
        return number
    if tp is datetime:
        if not isinstance(value, str):
            raise _Malformed(path, "an ISO date-time")
        try:
            return datetime.fromisoformat(value)
        except ValueError as exc:
            raise _Malformed(path, "an ISO date-time") from exc
    if tp is date:
        if not isinstance(value, str) or len(value) != 10:
            raise _Malformed(path, "a date YYYY-MM-DD")
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise _Malformed(path, "a date YYYY-MM-DD") from exc
    if isinstance(tp, type) and issubclass(tp, Enum):
        try:
            return tp(value)
        except ValueError as exc:
            raise _Malformed(path, f"one of {[m.value for m in tp]}") from exc
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _decode_object(tp, value, path, ())
    raise TypeError(f"unsupported type {tp!r}")


def _decode_object(cls: type, value: Any, path: str, skip: tuple[str, ...]) -> Any:
    if not isinstance(value, dict):
        raise _Malformed(path, "an object")
    hints = _hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    prefix = f"{path}." if path else ""
    for key in value:
        if key not in fields and key not in skip:
            raise _Malformed(f"{prefix}{key}", "no such key")
    kwargs: dict[str, Any] = {}
    for name, f in fields.items():
        if name not in value:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise _Malformed(f"{prefix}{name}", "a value (the key is missing)")
            continue
        kwargs[name] = _decode(hints[name], value[name], f"{prefix}{name}")
    return cls(**kwargs)


def _refuse(path: str, expected: str) -> ValidationError:
    return ValidationError(
        f"Die Vorgangsdaten sind beschädigt oder unvollständig (Feld „{path}“). "
        "Der Vorgang kann so nicht geöffnet werden; bitte wenden Sie sich an die "
        "technische Betreuung.",
        message_en=(
            f"The case data is damaged or incomplete (field '{path}': expected {expected}). "
            "The case cannot be opened; please contact technical support."
        ),
    )


def case_from_dict(data: Any) -> Case:
    """Rebuild a case from :func:`case_to_dict` output.

    :raises ValidationError: with a German message for any malformed input.
    """
    try:
        if not isinstance(data, dict):
            raise _Malformed("(Wurzel)", "an object")
        version = data.get("schema_version")
        if isinstance(version, bool) or version != SCHEMA_VERSION:
            raise _Malformed("schema_version", f"{SCHEMA_VERSION}")
        raw_type = data.get("case_type")
        try:
            case_type = CaseType(raw_type)
        except ValueError as exc:
            raise _Malformed("case_type", "a known case type") from exc
        if case_type is CaseType.PERSONALAUSWEIS:
            body = {k: v for k, v in data.items() if k not in ("schema_version", "case_type")}
            app = _decode_object(IdCardApplication, body, "", ())
            assert isinstance(app, IdCardApplication)
            return app
        body = {k: v for k, v in data.items() if k != "schema_version"}
        reg = _decode_object(RegistrationCase, body, "", ())
        assert isinstance(reg, RegistrationCase)
        return reg
    except _Malformed as exc:
        raise _refuse(exc.path, exc.expected) from None
    except (TypeError, ValueError, RecursionError) as exc:
        raise _refuse("?", "valid data") from exc
