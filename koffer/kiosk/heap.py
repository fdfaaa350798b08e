"""Keep the garbage collector's full collections short in a long-running kiosk.

A full (generation 2) collection walks every tracked object; with Qt, the
store, the document stack and the drivers loaded, that walk blocks the GUI
thread for tens of milliseconds. Everything alive once the login screen is
shown (modules, classes, widgets) lives for the whole session, so it is moved
to CPython's permanent generation (``gc.freeze``) and never walked again.
"""

from __future__ import annotations

import gc


def settle_heap() -> int:
    """Collect once, then freeze the survivors; returns how many are frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def release_heap() -> None:
    """Undo :func:`settle_heap` (tests that measure one flow in a shared process)."""
    gc.unfreeze()
