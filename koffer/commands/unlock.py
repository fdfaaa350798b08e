"""Unlocking the store for one command (``--data-dir``, ``--account``, ``--passphrase-file``)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from koffer.commands import common
from koffer.store.settings import StoreSettings
from koffer.store.store import Store
from koffer.store.unlocked import UnlockedStore


@contextmanager
def unlocked_with_passphrase(
    args: argparse.Namespace, settings: StoreSettings | None = None
) -> Iterator[tuple[UnlockedStore, str]]:
    """The store of ``args`` unlocked as ``args.account``, and the passphrase used.

    The store is opened first, so that a missing or foreign data directory is
    reported before anyone is asked for a passphrase.
    """
    if settings is None:
        settings = StoreSettings.from_config(common.config(args))
    with Store.open(common.data_dir(args), settings) as store:
        secret = common.passphrase(args, f"Passphrase für {args.account}: ")
        with store.unlock(args.account, secret) as unlocked:
            yield unlocked, secret


@contextmanager
def unlocked(
    args: argparse.Namespace, settings: StoreSettings | None = None
) -> Iterator[UnlockedStore]:
    """The store of ``args`` unlocked as ``args.account`` (see above)."""
    with unlocked_with_passphrase(args, settings) as (store, _):
        yield store
