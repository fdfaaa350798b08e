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
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class StrictJSONError(ValueError):
    """The document breaks one of the limits (or is not JSON)."""


def nesting_depth(data: bytes) -> int:
    """The deepest nesting of arrays and objects in ``data``, strings skipped.

    Linear and mostly in C: escaped backslashes and quotes are removed, the
    parts between string quotes dropped, and only the brackets left are
    walked. (For invalid JSON the figure may be off; the parser refuses it.)
    """
    if data.count(b"[") + data.count(b"{") <= 1:
        return data.count(b"[") + data.count(b"{")
    unescaped = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside = b"".join(unescaped.split(b'"')[::2])
    depth = deepest = 0
    for byte in outside.translate(None, _NOT_BRACKETS):
        if byte in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        else:
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
    if nesting_depth(data) > max_depth:
        raise StrictJSONError("nested too deeply")
    try:
        text = data.decode("utf-8")
        return json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_int)
    except StrictJSONError:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise StrictJSONError(str(exc)) from exc
