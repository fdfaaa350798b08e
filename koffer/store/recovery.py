"""The recovery code: a way back from a locked-out last admin.

``koffer init`` prints a random code once (120 bits, 24 characters of the
RFC 4648 base-32 alphabet in groups of four). It wraps the store key in a
slot of its own (:mod:`koffer.store.slots`, holder ``#recovery``). Using it
(``koffer accounts recover NAME``) unlocks the store, lets an admin account
get a new passphrase and lifts its lock-out, and replaces the code with a new
one. It does not weaken the store: guessing it is hopeless (2**120 codes,
each costing an Argon2id run).
"""

from __future__ import annotations

import base64
import os

from koffer.store.slots import RECOVERY_HOLDER, SlotBinding

CODE_BYTES = 15
GROUP = 4


def new_recovery_code() -> str:
    """A fresh code such as ``ABCD-EFGH-…`` (six groups of four)."""
    text = base64.b32encode(os.urandom(CODE_BYTES)).decode("ascii")
    return "-".join(text[i : i + GROUP] for i in range(0, len(text), GROUP))


def normalize_code(code: str) -> str:
    """Upper case, separators and spaces removed, look-alike digits mapped."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return cleaned.translate(str.maketrans("018", "OIB"))


def recovery_binding(store_id: str) -> SlotBinding:
    return SlotBinding(store_id=store_id, holder=RECOVERY_HOLDER, role="admin")
