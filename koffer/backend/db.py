"""The back end's own database (SQLAlchemy 2): devices, tokens, received cases.

SQLite in the data directory by default, PostgreSQL by URL
(``postgresql+psycopg://...``). The schema is created with
``metadata.create_all``; :mod:`koffer.backend.migrations` brings databases of
older versions up to date first (cases keyed by device and envelope id).

A SQLite database file is created with mode 0600 before SQLite opens it, so
that its ``-wal`` and ``-shm`` files (SQLite gives them the database file's
mode) are 0600 too, whatever the umask; existing files are tightened.

Personal data never lands in a column in the clear: ``cases.payload`` holds
the decrypted envelope payload re-encrypted with AES-256-GCM under the back
end's storage key (associated data: the envelope id). Only non-personal
metadata (envelope id, device, case type, times, hashes, state) is plain.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import (
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    create_engine,
    event,
    make_url,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from koffer.backend.migrations import migrate


class Base(DeclarativeBase):
    pass


class Device(Base):
    __tablename__ = "devices"

    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    cert_fingerprint: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    signing_key_pem: Mapped[bytes] = mapped_column(LargeBinary)
    enrolled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class EnrollmentToken(Base):
    __tablename__ = "enrollment_tokens"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ReceivedCase(Base):
    """A received case, keyed by (device id, envelope id): ids are unique per device only.

    Another device taking the same envelope id first must not block anyone.
    """

    __tablename__ = "cases"

    device_id: Mapped[str] = mapped_column(
        ForeignKey("devices.device_id"), primary_key=True, index=True
    )
    envelope_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)
    case_type: Mapped[str] = mapped_column(String(40), index=True)
    created: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    envelope_hash: Mapped[str] = mapped_column(String(64))
    payload_hash: Mapped[str] = mapped_column(String(64))
    receipt: Mapped[str] = mapped_column(Text)
    #: received → exported
    state: Mapped[str] = mapped_column(String(20), default="received", index=True)
    exported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    fingerprints_deleted_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    #: AES-256-GCM(storage key, canonical payload, aad=envelope id)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    attachment_count: Mapped[int] = mapped_column(Integer, default=0)
    #: why the creation time cannot be right (see koffer.backend.plausibility), or None
    created_implausible: Mapped[str | None] = mapped_column(String(20), nullable=True)
    #: a Kassenabschluss: the chain check at intake (koffer.backend.cashbook), else None
    chain_flags: Mapped[str | None] = mapped_column(Text, nullable=True)


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL (None for other databases and in-memory ones)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def private_sqlite_file(path: Path) -> None:
    """Create ``path`` with mode 0600 (or tighten it and its -wal/-shm/-journal files)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        if os.fstat(fd).st_uid == os.geteuid():
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        try:
            st = companion.lstat()
        except FileNotFoundError:
            continue
        if st.st_uid == os.geteuid() and st.st_mode & 0o077 and not companion.is_symlink():
            companion.chmod(0o600)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, synchronous=FULL and a busy timeout."""
    if url.startswith("sqlite"):
        path = sqlite_file(url)
        if path is not None:
            private_sqlite_file(path)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(conn: object, _record: object) -> None:
            cursor = conn.cursor()  # type: ignore[attr-defined]
            cursor.execute("PRAGMA journal_mode=WAL")
            # FULL: a commit is on disk before the receipt leaves. The suitcase
            # deletes its envelope on receipt, so a case committed with NORMAL
            # (WAL not yet synced) could be lost for good on a power failure.
            # The cost (one fsync per commit) is shared: the intake commits all
            # envelopes that arrive during one commit together (GroupCommit).
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


#: the PostgreSQL advisory lock held while a process creates or migrates the schema
SCHEMA_LOCK = 0x6B6F66666572  # "koffer"


@contextmanager
def schema_lock(engine: Engine) -> Iterator[None]:
    """Serialise schema creation and migration of processes sharing one PostgreSQL.

    Relay nodes (``koffer backend serve`` on N machines, one database) may
    start at the same moment on an empty database; two ``CREATE TABLE`` of
    the same table at once make one of them fail. A session-level advisory
    lock lets one node create the schema while the others wait, then find it
    there. SQLite (one machine) needs none: nothing happens.
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_LOCK})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEMA_LOCK})
            conn.commit()


def open_database(url: str) -> tuple[Engine, sessionmaker[Session]]:
    engine = make_engine(url)
    with schema_lock(engine):
        migrate(engine, Base.metadata.tables[ReceivedCase.__tablename__])
        Base.metadata.create_all(engine)
    return engine, sessionmaker(engine, expire_on_commit=False)
