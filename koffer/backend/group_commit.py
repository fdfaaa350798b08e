"""Group commit: the inserts of concurrent intake requests share one durable commit."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine, Table, insert
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from koffer.backend.db import ReceivedCase

_INSERT_CASE = insert(ReceivedCase)


class _Pending:
    __slots__ = ("done", "error", "values")

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.done = False
        self.error: BaseException | None = None


class GroupCommit:
    """Inserts of concurrent requests share one transaction (one durable commit).

    A durable commit (SQLite ``synchronous=FULL``, PostgreSQL WAL flush) costs
    one fsync; the receipt may only leave after it. Each caller queues its row;
    the first caller that finds no commit running becomes the leader and
    inserts everything queued so far in one transaction, while new arrivals
    queue up for the next one. :meth:`insert` returns once the caller's own row
    is committed, or raises :class:`IntegrityError` (the id exists already) or
    :class:`SQLAlchemyError`. One commit runs at a time per process, which is
    also what SQLite's single writer needs.
    """

    def __init__(self, engine: Engine, table: Table | None = None) -> None:
        self._engine = engine
        #: the cases table by default; a relay inserts its sealed envelopes
        self._insert = _INSERT_CASE if table is None else insert(table)
        self._cond = threading.Condition()
        self._queue: list[_Pending] = []
        self._busy = False
        #: commits and rows so far (for benchmarks and tests)
        self.commits = 0
        self.rows = 0

    def insert(self, values: dict[str, Any]) -> None:
        item = _Pending(values)
        with self._cond:
            self._queue.append(item)
            while self._busy and not item.done:
                self._cond.wait()
            if not item.done:
                self._busy = True
                batch, self._queue = self._queue, []
            else:
                batch = []
        if batch:
            try:
                self._commit(batch)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
        if item.error is not None:
            raise item.error

    def _commit(self, batch: list[_Pending]) -> None:
        try:
            try:
                with self._engine.begin() as conn:
                    conn.execute(self._insert, [item.values for item in batch])
                self.commits += 1
            except IntegrityError:
                if len(batch) == 1:
                    raise
                # one row clashes: commit the others alone so that each gets its answer
                for item in batch:
                    self._commit_one(item)
                return
        except SQLAlchemyError as exc:
            for item in batch:
                item.error = exc
        self.rows += sum(1 for item in batch if item.error is None)
        for item in batch:
            item.done = True

    def _commit_one(self, item: _Pending) -> None:
        try:
            with self._engine.begin() as conn:
                conn.execute(self._insert, item.values)
            self.commits += 1
            self.rows += 1
        except SQLAlchemyError as exc:
            item.error = exc
        item.done = True
