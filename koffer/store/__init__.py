"""koffer.store: the encrypted local store (SQLite + SQLAlchemy 2 + Alembic).

Public API::

    Store.create(data_dir, admin_name, passphrase, settings)
    store = Store.open(data_dir, settings)       # locked
    with store.unlock(account, passphrase) as unlocked:
        case_id = unlocked.create_case("personalausweis", payload, attachments)
        ...
    store.close()

Tables of other packages (the outbox) derive from :class:`koffer.store.db.Base`.
"""

from koffer.store.db import Base, make_engine, migrate
from koffer.store.records import ROLES, AccountInfo, AuditEntry, CaseMeta, StoredCase
from koffer.store.settings import StoreSettings
from koffer.store.store import Store, ThrottledError
from koffer.store.unlocked import UnlockedStore

__all__ = [
    "ROLES",
    "AccountInfo",
    "AuditEntry",
    "Base",
    "CaseMeta",
    "Store",
    "StoreSettings",
    "StoredCase",
    "ThrottledError",
    "UnlockedStore",
    "make_engine",
    "migrate",
]
