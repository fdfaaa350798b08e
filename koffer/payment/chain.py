"""The cash book's hash chain (pure): :mod:`koffer.crypto.cashchain`, re-exported.

The code lives one layer down so that the back end can verify the entries a
Kassenabschluss brings along with the same functions (the back end may not
import :mod:`koffer.payment`).
"""

from __future__ import annotations

from koffer.crypto.cashchain import (
    FORMAT_VERSION,
    GENESIS,
    METHODS,
    PAYING_METHODS,
    ChainCheck,
    ChainedEntry,
    ChainHead,
    ChainProblem,
    DetailValue,
    EntryFields,
    Method,
    canonical,
    chain,
    entry_from_wire,
    entry_hash,
    entry_to_wire,
    format_time,
    verify_chain,
)

__all__ = [
    "FORMAT_VERSION",
    "GENESIS",
    "METHODS",
    "PAYING_METHODS",
    "ChainCheck",
    "ChainHead",
    "ChainProblem",
    "ChainedEntry",
    "DetailValue",
    "EntryFields",
    "Method",
    "canonical",
    "chain",
    "entry_from_wire",
    "entry_hash",
    "entry_to_wire",
    "format_time",
    "verify_chain",
]
