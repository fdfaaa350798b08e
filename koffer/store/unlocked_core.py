"""The unlocked store's keys, life cycle and transactions.

:class:`UnlockedCore` is the base the parts of
:class:`~koffer.store.unlocked.UnlockedStore` build on: it holds the key
ring of the account that unlocked the store, forgets it when closed, and
hands out read and write sessions (a caller's ``session=`` is joined, else
each call is one transaction of its own).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session

from koffer.crypto import keys
from koffer.errors import StoreError
from koffer.store.context import StoreContext
from koffer.store.records import AccountInfo
from koffer.store.slots import KeyRing

#: session.info flag: a key was destroyed, checkpoint the WAL after commit
SHREDDED = "koffer_shredded"


def no_case_access() -> StoreError:
    return StoreError(
        "Mit einem Technik-Konto sind Vorgangsdaten nicht zugänglich. Bitte melden Sie sich "
        "mit einem Sachbearbeitungs- oder Administrator-Konto an.",
        message_en="A technician account has no access to case data.",
    )


class UnlockedCore:
    """Keys, life cycle and transactions of an unlocked store.

    Use it as a context manager; leaving it (or :meth:`close`) locks it
    again: the keys are dropped and further calls raise
    :class:`~koffer.errors.StoreError`.
    """

    def __init__(self, ctx: StoreContext, account: AccountInfo, ring: KeyRing) -> None:
        self._ctx = ctx
        self._account = account
        self._ring: KeyRing | None = ring
        self._case_kek: bytes | None = (
            None if ring.store_key is None else keys.subkey(ring.store_key, "case-data-keys")
        )

    # -- life cycle ---------------------------------------------------------

    @property
    def account(self) -> AccountInfo:
        """The account that unlocked the store (name, role)."""
        return self._account

    @property
    def is_open(self) -> bool:
        return self._ring is not None

    @property
    def can_read_cases(self) -> bool:
        """The account holds the store key (not a technician)."""
        return self._ring is not None and self._ring.store_key is not None

    def close(self) -> None:
        """Lock again: forget the keys."""
        self._ring = None
        self._case_kek = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _keys(self) -> KeyRing:
        if self._ring is None:
            raise StoreError(
                "Der Datenbestand ist gesperrt. Bitte melden Sie sich erneut an.",
                message_en="The store is locked. Please sign in again.",
            )
        return self._ring

    def _key(self) -> bytes:
        """The store key K (admins and clerks only)."""
        key = self._keys().store_key
        if key is None:
            raise no_case_access()
        return key

    def _kek(self) -> bytes:
        self._key()
        assert self._case_kek is not None  # set together with the store key
        return self._case_kek

    # -- transactions -------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction; pass the session to methods as ``session=``.

        Commits when the block ends normally, rolls back on an exception.
        """
        self._keys()
        shredded = False
        with self._ctx.write() as session:
            yield session
            shredded = bool(session.info.pop(SHREDDED, False))
        if shredded:
            self._ctx.checkpoint()

    @contextmanager
    def _write(self, session: Session | None) -> Iterator[Session]:
        if session is not None:
            self._keys()
            yield session
        else:
            with self.transaction() as own:
                yield own

    @contextmanager
    def _read(self, session: Session | None) -> Iterator[Session]:
        self._keys()
        if session is not None:
            yield session
        else:
            with self._ctx.read() as own:
                yield own

    def checkpoint(self) -> None:
        """Fold the WAL into the database file and truncate it."""
        self._keys()
        self._ctx.checkpoint()

    def integrity_check(self) -> bool:
        """``PRAGMA integrity_check`` reports no problem."""
        return self._ctx.integrity_check()
