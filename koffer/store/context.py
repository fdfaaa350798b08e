"""What the locked and the unlocked store share: engine, settings, clock."""

from __future__ import annotations

import errno
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from koffer.errors import StoreError
from koffer.store.models import AuditRecord
from koffer.store.settings import StoreSettings
from koffer.store.tpm_slot import TpmProtector

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


SQLITE_FULL = 13


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) says the disk or the database is full."""
    seen: BaseException | None = exc
    while seen is not None:
        orig = seen.orig if isinstance(seen, DBAPIError) else seen
        code = getattr(orig, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF == SQLITE_FULL:
            return True
        if isinstance(orig, OSError) and orig.errno == errno.ENOSPC:
            return True
        if isinstance(orig, BaseException) and "disk is full" in str(orig):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def disk_full_error() -> StoreError:
    """The German error when the data directory's file system is full."""
    return StoreError(
        "Auf dem Datenträger ist kein Platz mehr frei, der letzte Schritt wurde nicht "
        "gespeichert. Alles vorher Gespeicherte bleibt erhalten. Bitte lassen Sie die "
        "Technik Speicherplatz freigeben (zum Beispiel übertragene Vorgänge senden, alte "
        "Dateien löschen; „koffer doctor“ zeigt den freien Platz) und wiederholen Sie "
        "dann den Schritt.",
        message_en=(
            "The disk is full; the last step was not saved. Everything saved before is "
            "kept. Please have a technician free some space (for example send transmitted "
            "cases, delete old files; 'koffer doctor' shows the free space) and then repeat "
            "the step."
        ),
    )


def database_error(exc: Exception) -> StoreError:
    """The German error for a failure inside SQLite/SQLAlchemy."""
    if is_disk_full(exc):
        return disk_full_error()
    detail = ""
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        detail = f" ({exc.orig})"
    return StoreError(
        "Der Datenbestand kann gerade nicht gelesen oder geschrieben werden"
        f"{detail}. Bitte versuchen Sie es erneut; hilft das nicht, wenden Sie sich an "
        "die Technik.",
        message_en=f"The store cannot be read or written right now{detail}. Please retry.",
    )


@dataclass
class StoreContext:
    data_dir: Path
    engine: Engine
    settings: StoreSettings
    clock: Clock
    store_id: str
    #: the TPM protecting the key slots (``None``: the store has no TPM)
    tpm: TpmProtector | None = None

    def __post_init__(self) -> None:
        self._read_engine = self.engine.execution_options(koffer_read_only=True)

    def now(self) -> datetime:
        value = self.clock()
        if value.tzinfo is None:
            raise ValueError("the store clock must return aware datetimes")
        return value

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction (``BEGIN IMMEDIATE``), committed on success."""
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield session
        except SQLAlchemyError as exc:
            raise database_error(exc) from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        """One read-only snapshot (deferred ``BEGIN``): never blocks writers."""
        try:
            # autobegins on first use; closing the session rolls the snapshot back
            with Session(self._read_engine, expire_on_commit=False) as session:
                yield session
        except SQLAlchemyError as exc:
            raise database_error(exc) from exc

    def add_audit(
        self, session: Session, account: str | None, event: str, detail: dict[str, str | int]
    ) -> None:
        session.add(
            AuditRecord(
                at=self.now(),
                account=account,
                event=event,
                detail=json.dumps(detail, ensure_ascii=False, sort_keys=True),
            )
        )

    def checkpoint(self) -> None:
        """Move the WAL into the database and truncate it (best effort)."""
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.fetchall()
            cursor.close()
        finally:
            raw.close()

    def integrity_check(self) -> bool:
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA integrity_check")
            rows = cursor.fetchall()
            cursor.close()
        finally:
            raw.close()
        return [tuple(r) for r in rows] == [("ok",)]
