"""The throw-away data directory of ``koffer demo`` (no Qt here).

Without ``--data-dir`` the demo works in a fresh private directory under
``TMPDIR``: the demo store and the embedded back end's data (``gegenstelle/``
with ``keys.json``, its database and certificates). :func:`scratch_data_dir`
removes it when the demo ends, however it ends — closed, ``--quit-when-ready``,
Ctrl-C (SIGINT) or SIGTERM (the kiosk turns both into a normal exit) or an
error during start-up. With ``--data-dir`` nothing is removed: that directory
belongs to the caller.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

#: set on the namespace while the demo runs in a directory it will remove
SCRATCH_FLAG = "demo_scratch"


@contextmanager
def scratch_data_dir(args: argparse.Namespace) -> Iterator[argparse.Namespace]:
    """``args`` with a fresh ``data_dir`` for a demo without one; removed on exit."""
    if getattr(args, "mode", None) != "demo" or getattr(args, "data_dir", None):
        yield args
        return
    path = Path(tempfile.mkdtemp(prefix="koffer-demo-"))
    try:
        yield argparse.Namespace(**{**vars(args), "data_dir": str(path), SCRATCH_FLAG: True})
    finally:
        remove(path)


def remove(path: Path) -> None:
    """Remove the demo directory; a failure is logged, never raised (the demo is over)."""

    def failed(_func: object, name: str, exc_info: object) -> None:
        log.warning("demo: could not remove %s: %s", name, exc_info)

    shutil.rmtree(path, onerror=failed)
