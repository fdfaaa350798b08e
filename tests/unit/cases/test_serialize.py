"""The canonical payload: exact round trip, JSON types only, clear refusal of bad input."""

from __future__ import annotations

import copy
import dataclasses
import json
import types
import typing
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koffer.cases import (
    SCHEMA_VERSION,
    CaseType,
    IdCardApplication,
    RegistrationCase,
    case_from_dict,
    case_to_dict,
    sample_case,
)
from koffer.errors import ValidationError

TODAY = date(2025, 6, 12)


def _strategy(tp: Any) -> st.SearchStrategy[Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return st.none() | _strategy(inner[0])
    if origin is list:
        return st.lists(_strategy(args[0]), max_size=3)
    if tp is str:
        return st.text(max_size=12)
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers(min_value=-(2**40), max_value=2**40)
    if tp is Decimal:
        return st.decimals(allow_nan=False, allow_infinity=False, places=2)
    if tp is datetime:
        return st.datetimes(timezones=st.sampled_from([UTC, None]))
    if tp is date:
        return st.dates()
    if isinstance(tp, type) and issubclass(tp, Enum):
        return st.sampled_from(list(tp))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields = {f.name: _strategy(hints[f.name]) for f in dataclasses.fields(tp)}
        if tp is RegistrationCase:
            fields["case_type"] = st.sampled_from(
                [CaseType.ANMELDUNG, CaseType.ABMELDUNG, CaseType.HAUPTWOHNUNG]
            )
        if "case_number" in fields:  # "" means "derive one" in the model
            fields["case_number"] = st.text(min_size=1, max_size=12)
        return st.builds(tp, **fields)
    raise TypeError(tp)


cases = st.one_of(_strategy(RegistrationCase), _strategy(IdCardApplication))


def _json_only(value: Any) -> None:
    if isinstance(value, dict):
        assert all(isinstance(k, str) for k in value)
        for v in value.values():
            _json_only(v)
    elif isinstance(value, list):
        for v in value:
            _json_only(v)
    else:
        assert value is None or type(value) in (str, int, bool), type(value)


@settings(max_examples=150, deadline=None)
@given(cases)
def test_round_trip_is_exact(case: Any) -> None:
    data = case_to_dict(case)
    _json_only(data)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["case_type"] == case.case_type.value
    again = case_from_dict(json.loads(json.dumps(data)))
    assert again == case
    assert type(again) is type(case)
    assert case_to_dict(again) == data


@pytest.mark.parametrize("case_type", list(CaseType))
def test_samples_round_trip(case_type: CaseType) -> None:
    case = sample_case(case_type, 7, TODAY)
    data = case_to_dict(case)
    assert case_from_dict(data) == case
    for key in ("schema_version", "case_type", "case_id", "case_number", "state", "created_at"):
        assert key in data


def test_encoding_of_values() -> None:
    case = sample_case(CaseType.PERSONALAUSWEIS, 1, TODAY)
    assert isinstance(case, IdCardApplication)
    data = case_to_dict(case)
    assert data["application_date"] == "2025-06-12"
    assert data["fee_amount"] == str(case.fee_amount)
    assert data["person"]["sex"] in ("m", "w", "d", "x")
    assert data["fingerprints"][0]["finger"] == "7"
    assert data["created_at"].endswith("+00:00")


def _valid() -> dict[str, Any]:
    return case_to_dict(sample_case(CaseType.ANMELDUNG, 3, TODAY))


def _broken() -> list[Any]:
    out: list[Any] = [None, [], "text", 5]
    d = _valid()
    d["schema_version"] = 2
    out.append(d)
    d = _valid()
    d["schema_version"] = True
    out.append(d)
    d = _valid()
    del d["case_type"]
    out.append(d)
    d = _valid()
    d["case_type"] = "wahlschein"
    out.append(d)
    d = _valid()
    del d["registration_date"]
    out.append(d)
    d = _valid()
    d["registration_date"] = "12.06.2025"
    out.append(d)
    d = _valid()
    d["persons"] = {"a": 1}
    out.append(d)
    d = _valid()
    d["persons"][0]["sex"] = "q"
    out.append(d)
    d = _valid()
    d["persons"][0]["family_name"] = 42
    out.append(d)
    d = _valid()
    d["signer_index"] = True
    out.append(d)
    d = _valid()
    d["surprise"] = 1
    out.append(d)
    d = _valid()
    d["persons"][0]["birth_date"] = None
    out.append(d)
    d = _valid()
    d["created_at"] = "yesterday"
    out.append(d)
    a = case_to_dict(sample_case(CaseType.PERSONALAUSWEIS, 3, TODAY))
    b = copy.deepcopy(a)
    b["fee_amount"] = "NaN"
    out.append(b)
    b = copy.deepcopy(a)
    b["fee_amount"] = 46.0
    out.append(b)
    b = copy.deepcopy(a)
    b["fee_amount"] = "zehn"
    out.append(b)
    b = copy.deepcopy(a)
    b["fingerprints"][0]["qualities"] = [1, "2"]
    out.append(b)
    return out


@pytest.mark.parametrize("data", _broken())
def test_malformed_input_is_refused_in_german(data: Any) -> None:
    with pytest.raises(ValidationError) as info:
        case_from_dict(data)
    assert "Vorgangsdaten" in info.value.message
    assert "case data" in info.value.message_en


def _registration_with(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    d = _valid()
    target = d
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return d


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        (("persons", 0, "family_name"), 42, "persons[0].family_name"),
        (("persons", 0, "surprise"), 1, "persons[0].surprise"),
        (("persons", 0, "given_names"), ["Anna", 7], "persons[0].given_names[1]"),
        (("registration_date",), "12.06.2025", "registration_date"),
        (("surprise",), 1, "surprise"),
    ],
)
def test_the_refusal_names_the_field(path: tuple[Any, ...], value: Any, named: str) -> None:
    with pytest.raises(ValidationError) as info:
        case_from_dict(_registration_with(path, value))
    assert f"(Feld „{named}“)" in info.value.message
    assert f"field '{named}'" in info.value.message_en


def test_the_refusal_names_the_field_of_an_id_card_application() -> None:
    data = case_to_dict(sample_case(CaseType.PERSONALAUSWEIS, 3, TODAY))
    data["fingerprints"][0]["qualities"] = [1, "2"]
    with pytest.raises(ValidationError) as info:
        case_from_dict(data)
    assert "(Feld „fingerprints[0].qualities[1]“)" in info.value.message


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaves(v, (*path, k))] or [path]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaves(v, (*path, i))] or [path]
    return [path]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.floats(allow_nan=False),
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2)
    ),
    max_leaves=4,
)


@settings(max_examples=200, deadline=None)
@given(st.data(), st.sampled_from(list(CaseType)), json_values)
def test_random_corruption_never_leaks_other_errors(
    data: st.DataObject, case_type: CaseType, junk: Any
) -> None:
    payload = case_to_dict(sample_case(case_type, 11, TODAY))
    paths = [p for p in _leaves(payload) if p]
    path = data.draw(st.sampled_from(paths))
    target = payload
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = junk
    try:
        case_from_dict(payload)
    except ValidationError:
        pass
