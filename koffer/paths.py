"""Where the Bürgerservice-Koffer keeps its data.

The data directory is, in order: the ``--data-dir`` option, the
``KOFFER_HOME`` environment variable, the platform's user data directory.
The environment is read here, at the edge, and passed on as a value.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "koffer"


def default_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The data directory when no ``--data-dir`` is given."""
    env = os.environ if environ is None else environ
    home = env.get("KOFFER_HOME")
    if home:
        return Path(home).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(option: str | Path | None, environ: Mapping[str, str] | None = None) -> Path:
    """``--data-dir`` if given, else :func:`default_data_dir`."""
    if option:
        return Path(option).expanduser()
    return default_data_dir(environ)
