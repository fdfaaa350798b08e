"""Bring a back-end database of an older version up to the current schema.

Three steps so far:

1. **Cases keyed per device**: version 1 keyed ``cases`` by ``envelope_id``
   alone, so an id another device had taken first blocked a device's own
   envelope for ever. The primary key becomes ``(device_id, envelope_id)``
   and ``envelope_id`` gets its own index.
2. **``cases.created_implausible``** (nullable text) is added; cases received
   before it stay unflagged (NULL).
3. **``cases.chain_flags``** (nullable text, issue 22: the chain check of a
   received Kassenabschluss) is added the same way; older rows stay NULL.

- PostgreSQL: the primary-key constraint is dropped and re-added in one
  transaction (the table is locked meanwhile).
- SQLite cannot change a primary key: the table is rebuilt (renamed, created
  anew, rows copied, old table dropped) inside one ``BEGIN IMMEDIATE``
  transaction, so a crash leaves either the old or the new table.

Each step checks again, inside its transaction, whether it is still needed,
so concurrent starts (``serve`` and ``stats``) do it once. Rows are kept as
they are.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine, Table, inspect, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.schema import CreateIndex, CreateTable

log = logging.getLogger(__name__)

CASES = "cases"
_NEW_KEY = ("device_id", "envelope_id")


def migrate(engine: Engine, cases: Table) -> None:
    """Apply the steps this database still needs (no-op for a new or current one)."""
    if CASES not in inspect(engine).get_table_names():
        return
    if _needs_case_key(engine):
        if engine.dialect.name == "sqlite":
            _rebuild_sqlite(engine, cases)
        else:
            with engine.begin() as conn:
                conn.execute(text(f"LOCK TABLE {CASES} IN ACCESS EXCLUSIVE MODE"))
                if _needs_case_key(conn):
                    _rekey_in_place(conn, cases)
    _add_missing_columns(engine, cases)


def _add_missing_columns(engine: Engine, cases: Table) -> None:
    """``ALTER TABLE cases ADD COLUMN`` for each nullable column the table lacks."""
    present = {column["name"] for column in inspect(engine).get_columns(CASES)}
    for column in cases.columns:
        if column.name in present or not column.nullable:
            continue
        kind = column.type.compile(dialect=engine.dialect)
        exists = "" if engine.dialect.name == "sqlite" else "IF NOT EXISTS "
        try:
            with engine.begin() as conn:
                conn.execute(text(f"ALTER TABLE {CASES} ADD COLUMN {exists}{column.name} {kind}"))
        except OperationalError:
            # SQLite: another process added it meanwhile ("duplicate column name")
            if column.name not in {c["name"] for c in inspect(engine).get_columns(CASES)}:
                raise
        log.info("database: column cases.%s added", column.name)


def _needs_case_key(bind: Engine | Connection) -> bool:
    key = inspect(bind).get_pk_constraint(CASES)["constrained_columns"]
    return set(key) != set(_NEW_KEY)


def _rekey_in_place(conn: Connection, cases: Table) -> None:
    name = inspect(conn).get_pk_constraint(CASES)["name"]
    conn.execute(text(f'ALTER TABLE {CASES} DROP CONSTRAINT "{name}"'))
    conn.execute(text(f"ALTER TABLE {CASES} ADD PRIMARY KEY ({', '.join(_NEW_KEY)})"))
    existing = {index["name"] for index in inspect(conn).get_indexes(CASES)}
    for index in cases.indexes:
        if index.name not in existing:
            conn.execute(CreateIndex(index))
    log.info("database: cases are now keyed by device and envelope id")


def _rebuild_sqlite(engine: Engine, cases: Table) -> None:
    old = f"{CASES}_v1"
    raw = engine.raw_connection()
    try:
        dbapi = raw.driver_connection
        assert dbapi is not None
        previous = dbapi.isolation_level
        dbapi.isolation_level = None  # autocommit mode: the statements below do BEGIN/COMMIT
        cursor = dbapi.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            rows = cursor.execute(f"PRAGMA table_info({CASES})").fetchall()
            key = {row[1] for row in rows if row[5]}
            if not rows or key == set(_NEW_KEY):
                cursor.execute("ROLLBACK")
                return
            columns = [row[1] for row in rows]
            for (index,) in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                "AND sql IS NOT NULL",
                (CASES,),
            ).fetchall():
                cursor.execute(f'DROP INDEX "{index}"')
            cursor.execute(f"ALTER TABLE {CASES} RENAME TO {old}")
            cursor.execute(str(CreateTable(cases).compile(engine)))
            for index in cases.indexes:
                cursor.execute(str(CreateIndex(index).compile(engine)))
            listed = ", ".join(f'"{c}"' for c in columns if c in cases.c)
            cursor.execute(f"INSERT INTO {CASES} ({listed}) SELECT {listed} FROM {old}")
            cursor.execute(f"DROP TABLE {old}")
            cursor.execute("COMMIT")
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        finally:
            dbapi.isolation_level = previous
        log.info("database: cases are now keyed by device and envelope id")
    finally:
        raw.close()
