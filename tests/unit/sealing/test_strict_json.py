"""The strict JSON loader: limits before parsing, never RecursionError or OverflowError."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koffer.crypto import strict_json

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**17), 10**17) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=20,
)


def _depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


@settings(derandomize=True, database=None, max_examples=300)
@given(_JSON)
def test_depth_prescan_matches_the_parsed_structure(value: object) -> None:
    data = json.dumps(value).encode()
    assert strict_json.nesting_depth(data) == _depth(value)
    assert strict_json.loads(data, max_bytes=len(data), max_depth=_depth(value)) == value


@pytest.mark.parametrize(
    "document",
    [
        b"[" * 1500 + b"]" * 1500,
        b'{"a":' * 5000 + b"1" + b"}" * 5000,
        b"1e400",
        b"-1e400",
        b"NaN",
        b"[Infinity]",
        b"-Infinity",
        b"1" * 19,
        b"1" * 5000,
        b'"\xff"',
        b"{",
    ],
)
def test_hostile_documents_are_refused_with_one_error(document: bytes) -> None:
    with pytest.raises(strict_json.StrictJSONError):
        strict_json.loads(document, max_bytes=100_000, max_depth=8)


def test_brackets_inside_strings_do_not_count() -> None:
    data = json.dumps({"a": '[[[[{{{{\\"[[', "b": ["\\"]}).encode()
    assert strict_json.nesting_depth(data) == 2
    assert strict_json.loads(data, max_bytes=1000, max_depth=2)["b"] == ["\\"]


def test_size_limit_comes_first() -> None:
    with pytest.raises(strict_json.StrictJSONError, match="too large"):
        strict_json.loads(b"[" * 10, max_bytes=5, max_depth=100)
