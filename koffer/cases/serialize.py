"""The canonical, versioned payload of a case (JSON types only).

This is the form the store encrypts, the sealed envelope carries and the back
end receives. :func:`case_to_dict` and :func:`case_from_dict` are exact inverses.

Top-level keys of every case:

- ``schema_version`` – :data:`SCHEMA_VERSION` (int)
- ``case_type`` – "anmeldung", "abmeldung", "hauptwohnung", "personalausweis"
  or "reisepass"
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
``fee_amount``, ``device_certificates``, ``remarks``, ``legal_representatives``
(the register's "gesetzlicher Vertreter"), ``custody``, ``other_parent_consent``;

for a Reisepass application (``PassportApplication``): the fields of that
dataclass, in its order (no PIN-Brief fields; ``pages_48``,
``non_competent_authority``, ``fee_waiver_reason``, the Direktversand consent
and notice e-mail, the old passport's entwertung / visas, the representatives).

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
from koffer.cases.model import Case, IdCardApplication, PassportApplication, RegistrationCase
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
    """A value that does not fit; its path (``segments``) is built up while the error rises."""

    def __init__(self, key: str, expected: str) -> None:
        super().__init__(key)
        self.segments = [f".{key}"] if key else []  # innermost first: ".name", "[0]", ...
        self.expected = expected

    def inside(self, segment: str) -> None:
        """Add the enclosing ``.name`` or ``[index]`` while the error rises."""
        self.segments.append(segment)

    @property
    def path(self) -> str:
        return "".join(reversed(self.segments)).removeprefix(".")


#: turns a JSON value into the model's value, or raises :class:`_Malformed`
_Decoder = typing.Callable[[Any], Any]


def _scalar(check: typing.Callable[[Any], bool], expected: str) -> _Decoder:
    def decode(value: Any) -> Any:
        if not check(value):
            raise _Malformed("", expected)
        return value

    return decode


def _decode_decimal(value: Any) -> Decimal:
    if not isinstance(value, str):
        raise _Malformed("", "a decimal number as a string")
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise _Malformed("", "a decimal number") from exc
    if not number.is_finite():
        raise _Malformed("", "a finite decimal number")
    return number


def _decode_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise _Malformed("", "an ISO date-time")
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise _Malformed("", "an ISO date-time") from exc


def _decode_date(value: Any) -> date:
    if not isinstance(value, str) or len(value) != 10:
        raise _Malformed("", "a date YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise _Malformed("", "a date YYYY-MM-DD") from exc


_SCALARS: dict[Any, _Decoder] = {
    bool: _scalar(lambda v: isinstance(v, bool), "true or false"),
    int: _scalar(lambda v: isinstance(v, int) and not isinstance(v, bool), "an integer"),
    str: _scalar(lambda v: isinstance(v, str), "a string"),
    Decimal: _decode_decimal,
    datetime: _decode_datetime,
    date: _decode_date,
}


def _optional(inner: _Decoder) -> _Decoder:
    def decode(value: Any) -> Any:
        return None if value is None else inner(value)

    return decode


def _required(inner: _Decoder) -> _Decoder:
    def decode(value: Any) -> Any:
        if value is None:
            raise _Malformed("", "a value")
        return inner(value)

    return decode


def _list_of(item: _Decoder) -> _Decoder:
    def decode(value: Any) -> Any:
        if not isinstance(value, list):
            raise _Malformed("", "a list")
        out = []
        for i, v in enumerate(value):
            try:
                out.append(item(v))
            except _Malformed as exc:
                exc.inside(f"[{i}]")
                raise
        return out

    return decode


def _enum_of(tp: type[Enum]) -> _Decoder:
    def decode(value: Any) -> Any:
        try:
            return tp(value)
        except ValueError as exc:
            raise _Malformed("", f"one of {[m.value for m in tp]}") from exc

    return decode


_Plan = tuple[tuple[tuple[str, bool, _Decoder], ...], frozenset[str]]


def _plan(cls: type) -> _Plan:
    """(field name, required, decoder) per field of ``cls``, and the field names."""
    hints = typing.get_type_hints(cls)
    fields = tuple(
        (
            f.name,
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
            _decoder(hints[f.name]),
        )
        for f in dataclasses.fields(cls)
    )
    return fields, frozenset(name for name, _, _ in fields)


def _object_of(cls: type) -> _Decoder:
    # the plan is made on first use, so that building a decoder never recurses;
    # threads racing here at worst both make it (one assignment, no partial plan)
    made: list[_Plan] = []

    def decode(value: Any) -> Any:
        if not isinstance(value, dict):
            raise _Malformed("", "an object")
        if not made:
            made[:] = [_plan(cls)]
        plan, names = made[0]
        for key in value:
            if key not in names:
                raise _Malformed(key, "no such key")
        kwargs: dict[str, Any] = {}
        for name, required, field_decoder in plan:
            if name not in value:
                if required:
                    raise _Malformed(name, "a value (the key is missing)")
                continue
            try:
                kwargs[name] = field_decoder(value[name])
            except _Malformed as exc:
                exc.inside(f".{name}")
                raise
        return cls(**kwargs)

    return decode


@cache
def _decoder(tp: Any) -> _Decoder:
    """The decoder for type hint ``tp`` (built once per type)."""
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"unsupported union {tp!r}")
        inner = _decoder(args[0])
        return _optional(inner) if len(args) != len(typing.get_args(tp)) else _required(inner)
    if origin is list:
        (item,) = typing.get_args(tp)
        return _list_of(_decoder(item))
    if tp in _SCALARS:
        return _SCALARS[tp]
    if isinstance(tp, type) and issubclass(tp, Enum):
        return _enum_of(tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _object_of(tp)
    raise TypeError(f"unsupported type {tp!r}")


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
            app = _decoder(IdCardApplication)(body)
            assert isinstance(app, IdCardApplication)
            return app
        if case_type is CaseType.REISEPASS:
            body = {k: v for k, v in data.items() if k not in ("schema_version", "case_type")}
            passport = _decoder(PassportApplication)(body)
            assert isinstance(passport, PassportApplication)
            return passport
        body = {k: v for k, v in data.items() if k != "schema_version"}
        reg = _decoder(RegistrationCase)(body)
        assert isinstance(reg, RegistrationCase)
        return reg
    except _Malformed as exc:
        raise _refuse(exc.path, exc.expected) from None
    except (TypeError, ValueError, RecursionError) as exc:
        raise _refuse("?", "valid data") from exc
