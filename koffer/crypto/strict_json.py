"""JSON from outside, parsed with limits checked before and during parsing.

:func:`loads` refuses, with :class:`StrictJSONError` (a ``ValueError``):

- more than ``max_bytes`` bytes or invalid UTF-8;
- nesting deeper than ``max_depth`` (found by a pre-scan, so the parser never
  recurses into a hostile document and never raises ``RecursionError``);
- ``NaN``, ``Infinity``, ``-Infinity`` and numbers that overflow to them
  (``1e400``);
- integers with more than :data:`MAX_INT_DIGITS` digits.

Anything else is what :func:`json.loads` gives.
"""

from __future__ import annotations

import json
import math
from typing import Any

#: longest accepted integer literal (digits); 10**18 is far above any count here
MAX_INT_DIGITS = 18

_OPEN = frozenset(b"[{")
_CLOSE = frozenset(b"]}")
_QUOTE = 0x22
_BACKSLASH = 0x5C


class StrictJSONError(ValueError):
    """The document breaks one of the limits (or is not JSON)."""


def nesting_depth(data: bytes, limit: int) -> int:
    """The deepest nesting of arrays/objects in ``data`` (strings skipped).

    Stops early and returns ``limit + 1`` once the limit is exceeded.
    """
    depth = deepest = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == _BACKSLASH:
                escaped = True
            elif byte == _QUOTE:
                in_string = False
        elif byte == _QUOTE:
            in_string = True
        elif byte in _OPEN:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif byte in _CLOSE:
            depth -= 1
    return deepest


def _constant(name: str) -> Any:
    raise StrictJSONError(f"non-finite number {name}")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise StrictJSONError("number out of range")
    return value


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise StrictJSONError("integer too long")
    return int(text)


def loads(data: bytes, *, max_bytes: int, max_depth: int) -> Any:
    """Parse ``data`` (UTF-8 JSON) within the limits; :class:`StrictJSONError` otherwise."""
    if len(data) > max_bytes:
        raise StrictJSONError("document too large")
    if nesting_depth(data, max_depth) > max_depth:
        raise StrictJSONError("nested too deeply")
    try:
        text = data.decode("utf-8")
        return json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_int)
    except StrictJSONError:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise StrictJSONError(str(exc)) from exc
