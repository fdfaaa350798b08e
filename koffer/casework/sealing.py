"""Sealing completed cases, and resealing those a crash left unsealed.

Completing a case is two steps: the case is saved with state ``completed``,
then :func:`seal_completed` seals it into the outbox (one store transaction
that inserts the envelope, destroys the case's data key and sets the state
``sealed``). A process killed between the two steps leaves a case that is
completed but not sealed. :func:`reseal_completed` finds every such case and
seals it through the same :func:`seal_completed`; the kiosk calls it after
login (off the GUI thread), ``koffer simulate-visit`` before it starts. It
also seals every Kassenabschluss still without an envelope
(:func:`koffer.casework.cashbook_closing.seal_closings`).

Exactly once: a case is only sealed while its state is ``completed``, its
data key exists and no outbox item belongs to it; sealing sets the state in
the same transaction that inserts the envelope. Callers that may race (the
kiosk's completion and this recovery) run on the same store lane.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select

from koffer.cases import CaseState
from koffer.casework.cashbook_closing import seal_closings
from koffer.crypto.enrollment import DeviceCredentials
from koffer.enrollment import device
from koffer.errors import KofferError
from koffer.queue.models import OutboxItem
from koffer.queue.outbox import Outbox, OutboxEntry
from koffer.queue.settings import TransmissionSettings
from koffer.store.records import CaseMeta
from koffer.store.unlocked import UnlockedStore

log = logging.getLogger(__name__)

#: the store state of a completed case that still waits for sealing
COMPLETED = CaseState.COMPLETED.value


def seal_completed(
    store: UnlockedStore,
    case_id: str,
    *,
    creds: DeviceCredentials | None = None,
    settings: TransmissionSettings | None = None,
) -> OutboxEntry:
    """Seal the completed case ``case_id`` into the outbox (crypto-shredding it).

    The one sealing path of the kiosk, ``simulate-visit`` and the recovery.
    Without ``creds`` the enrolled identity is loaded; not enrolled raises a
    German :class:`~koffer.errors.TransmissionError` and changes nothing.
    """
    identity = creds if creds is not None else device.require_credentials(store)
    return Outbox(store, settings).seal_case(case_id, identity)


def _with_envelope(store: UnlockedStore, case_ids: list[str]) -> set[str]:
    with store.transaction() as session:
        rows = session.scalars(
            select(OutboxItem.case_id).where(OutboxItem.case_id.in_(case_ids))
        ).all()
    return set(rows)


def unsealed_cases(store: UnlockedStore) -> list[CaseMeta]:
    """Completed cases that are still readable and have no envelope (oldest first)."""
    completed = [meta for meta in store.list_cases([COMPLETED]) if meta.readable]
    if not completed:
        return []
    sealed = _with_envelope(store, [meta.case_id for meta in completed])
    return [meta for meta in completed if meta.case_id not in sealed]


@dataclass
class Recovery:
    """What :func:`reseal_completed` did (non-personal: case numbers only)."""

    sealed: list[OutboxEntry] = field(default_factory=list)
    #: case number, German message, English message
    failed: list[tuple[str, str, str]] = field(default_factory=list)
    #: completed cases left alone because the suitcase is not enrolled
    waiting: int = 0
    #: Kassenabschlüsse sealed now (a crash or no enrollment left them unsealed)
    closings: int = 0


def reseal_completed(
    store: UnlockedStore,
    settings: TransmissionSettings | None = None,
    *,
    creds: DeviceCredentials | None = None,
) -> Recovery:
    """Seal every completed-but-unsealed case; draft cases are never touched.

    Not enrolled: nothing is sealed, the cases wait (``waiting``). A case
    that cannot be sealed (e.g. damaged data) is reported in ``failed`` and
    stays as it is; the others are still sealed.
    """
    result = Recovery()
    closings = seal_closings(store, creds=creds, settings=settings)
    result.closings = len(closings or ())
    pending = unsealed_cases(store)
    if not pending:
        return result
    identity = creds if creds is not None else device.load_credentials(store)
    if identity is None:
        result.waiting = len(pending)
        log.info("recovery: %d completed cases wait for enrollment", len(pending))
        return result
    for meta in pending:
        try:
            entry = seal_completed(store, meta.case_id, creds=identity, settings=settings)
        except KofferError as exc:
            log.warning("recovery: case %s not sealed: %s", meta.case_number, exc.message_en)
            result.failed.append((meta.case_number, exc.message, exc.message_en))
            continue
        store.audit("case_resealed", case_number=meta.case_number, envelope_id=entry.envelope_id)
        result.sealed.append(entry)
    if result.sealed:
        log.info("recovery: sealed %d completed cases", len(result.sealed))
    return result
