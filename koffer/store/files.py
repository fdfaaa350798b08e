"""The data directory: where the database lives and with which permissions."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from koffer.errors import StoreError

DB_FILENAME = "koffer-store.sqlite3"
#: files SQLite may keep next to the database
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def db_path(data_dir: Path) -> Path:
    return data_dir / DB_FILENAME


def prepare_data_dir(data_dir: Path) -> None:
    """Create ``data_dir`` (mode 0700) or tighten an existing one to 0700."""
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(data_dir, 0o700)
    except OSError as exc:
        raise StoreError(
            f"Das Datenverzeichnis {data_dir} kann nicht angelegt werden ({exc.strerror}). "
            "Bitte prüfen Sie Pfad und Berechtigungen.",
            message_en=f"Cannot create the data directory {data_dir} ({exc.strerror}).",
        ) from exc


def create_db_file(path: Path) -> None:
    """Create the empty database file with mode 0600 before SQLite opens it.

    SQLite gives its ``-wal``/``-shm``/``-journal`` files the database file's
    permissions, so they are 0600 too.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise StoreError(
            f"In {path.parent} gibt es bereits einen Datenbestand. Er wird nicht "
            "überschrieben; wählen Sie ein anderes Verzeichnis.",
            message_en=f"{path.parent} already holds a store; it is not overwritten.",
        ) from exc
    except OSError as exc:
        raise StoreError(
            f"Die Datenbank kann nicht angelegt werden ({exc.strerror}).",
            message_en=f"Cannot create the database ({exc.strerror}).",
        ) from exc
    os.close(fd)
    os.chmod(path, 0o600)


def remove_db_files(path: Path) -> None:
    """Remove a half-created database and its side files."""
    for candidate in (path, *(path.with_name(path.name + s) for s in SIDE_SUFFIXES)):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()
