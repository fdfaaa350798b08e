"""Keep secrets out of core dumps (Linux; no Qt).

A process that may unlock the store holds the store key and, briefly, a
passphrase. :func:`harden_process` makes sure a crash cannot write them to
disk: the core-file size limit is set to 0 (soft and hard, so the process
cannot raise it again) and the process is marked not dumpable
(``prctl(PR_SET_DUMPABLE, 0)``), which also keeps core handlers that pipe
dumps (``|/usr/lib/systemd/systemd-coredump``) and same-user ``ptrace`` away
from its memory. The systemd units set ``LimitCORE=0`` as well.

Swap is not addressed here: the appliance runs without swap or with
encrypted swap (``docs/betrieb.md`` § 5).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import resource
import sys

#: linux/prctl.h
PR_GET_DUMPABLE = 3
PR_SET_DUMPABLE = 4


def _prctl(option: int, arg: int = 0) -> int:
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    prctl = libc.prctl
    prctl.restype = ctypes.c_int
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    result = int(prctl(option, arg, 0, 0, 0))
    if result < 0:
        raise OSError(ctypes.get_errno(), "prctl failed")
    return result


def harden_process() -> None:
    """No core dumps from this process (and its children) from now on.

    :raises OSError: the kernel refused (then the process must not unlock).
    """
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        _prctl(PR_SET_DUMPABLE, 0)


def is_dumpable() -> bool:
    """The kernel would write a core dump of this process (Linux)."""
    return _prctl(PR_GET_DUMPABLE) != 0


def core_limit() -> tuple[int, int]:
    """The soft and hard core-file size limits of this process."""
    return resource.getrlimit(resource.RLIMIT_CORE)
