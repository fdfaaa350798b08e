"""Alembic environment of the store: runs on the engine given by ``migrate()``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):  # pragma: no cover - only via koffer.store.db.migrate
    raise RuntimeError("run migrations through koffer.store.db.migrate(engine)")

with engine.connect() as connection:
    context.configure(connection=connection, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
