"""SQLite engine, the shared declarative ``Base`` and schema migrations.

Every connection gets the same PRAGMAs: WAL journal, ``synchronous=FULL``
(a committed transaction survives power loss), ``secure_delete=ON`` (freed
space is overwritten with zeros, which crypto-shredding relies on),
``foreign_keys=ON``, a busy timeout and ``temp_store=MEMORY`` (no temporary
files outside the data directory).

Transactions start with ``BEGIN IMMEDIATE``: a transaction takes the write
lock at its start, so two writers never dead-lock while upgrading a read
lock. Connections with the execution option ``koffer_read_only=True`` use a
plain (deferred) ``BEGIN``: a snapshot that neither blocks nor waits for
writers in WAL mode.

The schema belongs to Alembic migrations written by hand in
``koffer/store/migrations/versions`` (``0001_initial`` …); :func:`migrate`
brings any database, also an empty one, to the newest revision.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, String, TypeDecorator, create_engine, event, text
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import ConnectionPoolEntry

from koffer.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

#: the newest migration in koffer/store/migrations/versions (a unit test checks
#: it against Alembic's script directory). Opening a store that is already at
#: this revision needs no Alembic import (about 0.7 s of the kiosk's start-up).
HEAD_REVISION = "0005_cashbook"

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

#: the PRAGMAs set on every new connection, in this order
PRAGMAS: tuple[tuple[str, str], ...] = (
    ("journal_mode", "WAL"),
    ("synchronous", "FULL"),
    ("secure_delete", "ON"),
    ("foreign_keys", "ON"),
    ("temp_store", "MEMORY"),
)


class Base(DeclarativeBase):
    """Declarative base shared by the store tables and the outbox tables."""


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC ``datetime`` stored as ISO-8601 text (sorts correctly)."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("only timezone-aware datetimes are stored")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def make_engine(path: Path, *, busy_timeout_ms: int = 10000) -> Engine:
    """An engine for the SQLite file ``path`` with the store's PRAGMAs."""
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, record: ConnectionPoolEntry) -> None:
        # let SQLAlchemy (the "begin" hook below) own transaction boundaries
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for name, value in PRAGMAS:
                cursor.execute(f"PRAGMA {name}={value}")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get("koffer_read_only", False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def alembic_config(engine: Engine) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind ``engine`` to ``revision`` (default: newest).

    :raises StoreError: the database has a schema revision this version of
        the software does not know (it was written by a newer version).
    """
    if revision == "head" and current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command
    from alembic.util import CommandError

    try:
        command.upgrade(alembic_config(engine), revision)
    except CommandError as exc:
        raise StoreError(
            "Der Datenbestand wurde von einer neueren Version der Software angelegt oder "
            "geändert. Bitte aktualisieren Sie die Software.",
            message_en="The store was written by a newer version of the software. "
            "Please update the software.",
        ) from exc


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (``None`` if never migrated).

    Read from ``alembic_version`` with plain SQL, so that opening a store
    needs no Alembic import when nothing is to be migrated.
    """
    with engine.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
        ).first()
        if exists is None:
            return None
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return str(rows[0][0]) if len(rows) == 1 else None
