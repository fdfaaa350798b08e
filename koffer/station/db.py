"""The station's database: the back end's tables (:mod:`koffer.backend.db`) plus refusals.

Pulled cases go into the back end's ``cases`` table (so that
:func:`koffer.backend.export.export_cases` writes exactly today's files);
their senders into ``devices`` (by device id; the station never sees a
certificate). ``station_refusals`` keeps what could not be opened or failed
the domain rules: ids and a stable reason code, never content.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Engine, String
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from koffer.backend.db import open_database


class StationBase(DeclarativeBase):
    pass


class Refused(StationBase):
    __tablename__ = "station_refusals"

    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    envelope_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    refused_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def open_station_database(url: str) -> tuple[Engine, sessionmaker[Session]]:
    engine, sessions = open_database(url)
    StationBase.metadata.create_all(engine)
    return engine, sessions
