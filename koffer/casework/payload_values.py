"""Reading values out of a stored draft payload that may be damaged (no Qt).

A draft's payload comes back from the store as JSON; a damaged or older one
may hold a list where a mapping belongs, or a number where a text belongs.
These helpers take what fits and leave the rest out.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["one_of", "texts_of"]


def texts_of(value: object, keys: tuple[str, ...]) -> dict[str, str]:
    """The text fields ``keys`` of ``value`` (a mapping); anything else is left out."""
    if not isinstance(value, Mapping):
        return {}
    return {k: str(value[k]) for k in keys if isinstance(value.get(k), str)}


def one_of(value: object, allowed: set[str]) -> bool:
    """``value`` is one of the ``allowed`` texts (a list or dict from a damaged payload is not)."""
    return isinstance(value, str) and value in allowed
