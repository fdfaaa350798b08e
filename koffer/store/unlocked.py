"""The unlocked store: cases, attachments, secrets, audit log, accounts.

Every public method is one transaction of its own, unless it is given
``session=`` from :meth:`UnlockedStore.transaction`, in which case it joins
that transaction (for cross-table work such as "seal + insert into outbox +
destroy the case key", all or nothing).

Keys, life cycle and transactions live in :mod:`koffer.store.unlocked_core`,
account administration in :mod:`koffer.store.administration`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from koffer.crypto import aead, keys
from koffer.errors import CryptoError, StoreError
from koffer.store import casecrypto, validation
from koffer.store.administration import AccountAdministration
from koffer.store.administration import account_info as account_info
from koffer.store.models import AttachmentRecord, AuditRecord, CaseCounter, CaseRecord
from koffer.store.records import AuditEntry, CaseMeta, StoredCase
from koffer.store.unlocked_core import SHREDDED

#: the state of a newly created case
INITIAL_STATE = "draft"


def _not_found() -> StoreError:
    return StoreError(
        "Der Vorgang wurde nicht gefunden. Bitte laden Sie die Vorgangsliste neu.",
        message_en="Case not found. Please reload the list of cases.",
    )


def _shredded() -> StoreError:
    return StoreError(
        "Die Daten dieses Falls wurden nach dem Abschluss unwiderruflich gelöscht "
        "(Schlüssel vernichtet). Sichtbar sind nur noch Vorgangsnummer, Art, Zeit und Status.",
        message_en="This case's data was irrevocably erased after completion (key destroyed). "
        "Only number, type, time and state remain.",
    )


def case_meta(row: CaseRecord) -> CaseMeta:
    return CaseMeta(
        case_id=row.case_id,
        case_number=row.case_number,
        case_type=row.case_type,
        state=row.state,
        created_at=row.created_at,
        updated_at=row.updated_at,
        readable=row.wrapped_data_key is not None,
    )


class UnlockedStore(AccountAdministration):
    """The store opened with an account's passphrase.

    Use it as a context manager; leaving it (or :meth:`close`) locks it
    again: the store key is dropped and further calls raise
    :class:`~koffer.errors.StoreError`. The underlying database stays open
    (see :meth:`koffer.store.Store.close`).
    """

    # -- cases --------------------------------------------------------------

    def _case_row(self, session: Session, case_id: str) -> CaseRecord:
        row = session.get(CaseRecord, case_id)
        if row is None:
            raise _not_found()
        return row

    def _data_key(self, row: CaseRecord) -> bytes:
        if row.wrapped_data_key is None:
            raise _shredded()
        return casecrypto.unwrap_data_key(self._kek(), row.case_id, row.wrapped_data_key)

    def _next_case_number(self, session: Session, year: int) -> str:
        counter = session.get(CaseCounter, year)
        if counter is None:
            counter = CaseCounter(year=year, last=0)
            session.add(counter)
        counter.last += 1
        return f"{year:04d}-{counter.last:06d}"

    def _put_attachments(
        self,
        session: Session,
        row: CaseRecord,
        data_key: bytes,
        attachments: Mapping[str, bytes | None],
    ) -> None:
        for name, data in attachments.items():
            validation.attachment_name(name)
            existing = session.get(AttachmentRecord, (row.case_id, name))
            if data is None:
                if existing is not None:
                    session.delete(existing)
                continue
            blob = casecrypto.seal_attachment(data_key, row.case_id, name, bytes(data))
            if existing is None:
                session.add(AttachmentRecord(case_id=row.case_id, name=name, blob=blob))
            else:
                existing.blob = blob

    def create_case(
        self,
        case_type: str,
        payload: dict[str, Any],
        attachments: Mapping[str, bytes] | None = None,
        *,
        state: str = INITIAL_STATE,
        session: Session | None = None,
    ) -> str:
        """Store a new case; returns its id (a UUID4 string).

        The case gets a non-personal case number ``YYYY-NNNNNN``.
        """
        validation.identifier(case_type, "Fallart", "case type")
        validation.identifier(state, "Status", "state")
        case_id = str(uuid.uuid4())
        data_key = keys.new_key()
        sealed = casecrypto.seal_payload(data_key, case_id, payload)
        now = self._ctx.now()
        with self._write(session) as s:
            row = CaseRecord(
                case_id=case_id,
                case_number=self._next_case_number(s, now.year),
                case_type=case_type,
                state=state,
                created_at=now,
                updated_at=now,
                wrapped_data_key=casecrypto.wrap_data_key(self._kek(), case_id, data_key),
                payload=sealed,
            )
            s.add(row)
            s.flush()
            self._put_attachments(s, row, data_key, dict(attachments or {}))
            self._ctx.add_audit(
                s,
                self._account.name,
                "case_created",
                {"case_number": row.case_number, "case_type": case_type},
            )
        return case_id

    def save_case(
        self,
        case_id: str,
        payload: dict[str, Any] | None,
        attachments: Mapping[str, bytes | None] | None = None,
        *,
        session: Session | None = None,
    ) -> None:
        """Replace the payload (unless ``None``) and set or delete attachments.

        An attachment value ``None`` deletes that attachment. One transaction.
        """
        with self._write(session) as s:
            row = self._case_row(s, case_id)
            data_key = self._data_key(row)
            if payload is not None:
                row.payload = casecrypto.seal_payload(data_key, case_id, payload)
            self._put_attachments(s, row, data_key, dict(attachments or {}))
            row.updated_at = self._ctx.now()

    def load_case(self, case_id: str, *, session: Session | None = None) -> StoredCase:
        """The decrypted case.

        :raises StoreError: unknown case, or its key was destroyed.
        :raises CryptoError: the stored data was altered.
        """
        with self._read(session) as s:
            row = self._case_row(s, case_id)
            data_key = self._data_key(row)
            if row.payload is None:
                raise _shredded()
            payload = casecrypto.open_payload(data_key, case_id, row.payload)
            names = s.scalars(
                select(AttachmentRecord.name)
                .where(AttachmentRecord.case_id == case_id)
                .order_by(AttachmentRecord.name)
            ).all()
            return StoredCase(
                case_id=row.case_id,
                case_number=row.case_number,
                case_type=row.case_type,
                state=row.state,
                created_at=row.created_at,
                updated_at=row.updated_at,
                payload=payload,
                attachment_names=tuple(names),
            )

    def load_attachment(self, case_id: str, name: str, *, session: Session | None = None) -> bytes:
        """The decrypted attachment ``name`` of the case."""
        validation.attachment_name(name)
        with self._read(session) as s:
            row = self._case_row(s, case_id)
            data_key = self._data_key(row)
            record = s.get(AttachmentRecord, (case_id, name))
            if record is None:
                raise StoreError(
                    "Die angeforderte Anlage (z. B. Foto oder Fingerabdruck) ist zu diesem "
                    "Vorgang nicht gespeichert.",
                    message_en="The requested attachment is not stored for this case.",
                )
            return casecrypto.open_attachment(data_key, case_id, name, record.blob)

    def list_cases(
        self, states: Iterable[str] | None = None, *, session: Session | None = None
    ) -> list[CaseMeta]:
        """Non-personal metadata of all cases (optionally only some states)."""
        query = select(CaseRecord).order_by(CaseRecord.created_at, CaseRecord.case_number)
        if states is not None:
            query = query.where(CaseRecord.state.in_(list(states)))
        with self._read(session) as s:
            return [case_meta(row) for row in s.scalars(query)]

    def case_meta(self, case_id: str, *, session: Session | None = None) -> CaseMeta:
        """Non-personal metadata of one case."""
        with self._read(session) as s:
            return case_meta(self._case_row(s, case_id))

    def set_state(self, case_id: str, state: str, *, session: Session | None = None) -> None:
        """Record the case's new state (the rules live in :mod:`koffer.cases`)."""
        validation.identifier(state, "Status", "state")
        with self._write(session) as s:
            row = self._case_row(s, case_id)
            if row.state == state:
                return
            previous = row.state
            row.state = state
            row.updated_at = self._ctx.now()
            self._ctx.add_audit(
                s,
                self._account.name,
                "case_state",
                {"case_number": row.case_number, "from": previous, "to": state},
            )

    def destroy_case_key(self, case_id: str, session: Session | None = None) -> None:
        """Crypto-shred the case: its data key and ciphertexts are erased.

        Afterwards only the non-personal metadata remains; :meth:`load_case`
        raises :class:`StoreError`. With ``secure_delete=ON`` SQLite zeroes the
        freed bytes; the WAL is checkpointed and truncated after the commit.
        Destroying twice is harmless.
        """
        with self._write(session) as s:
            row = self._case_row(s, case_id)
            if row.wrapped_data_key is None:
                return
            now = self._ctx.now()
            # overwrite in place first, then drop: no copy of the key survives
            row.wrapped_data_key = bytes(keys.WRAPPED_SIZE)
            s.flush()
            row.wrapped_data_key = None
            row.payload = None
            row.shredded_at = now
            row.updated_at = now
            s.execute(delete(AttachmentRecord).where(AttachmentRecord.case_id == case_id))
            self._ctx.add_audit(
                s, self._account.name, "case_key_destroyed", {"case_number": row.case_number}
            )
            s.info[SHREDDED] = True

    # -- secrets ------------------------------------------------------------

    def _secret_key(self, purpose: str) -> bytes:
        validation.event_name(purpose)
        return keys.subkey(self._keys().device_key, "secret/" + purpose)

    def encrypt_secret(self, purpose: str, data: bytes) -> bytes:
        """Encrypt ``data`` (e.g. a device identity key) under the device key.

        The result is for the caller to store; only this store, unlocked by
        any account (technicians included), can decrypt it, and only for the
        same ``purpose``.
        """
        return aead.encrypt(self._secret_key(purpose), data, purpose.encode("utf-8"))

    def decrypt_secret(self, purpose: str, blob: bytes) -> bytes:
        """Inverse of :meth:`encrypt_secret`; :class:`CryptoError` if altered.

        A secret written before format 2 (under a sub-key of the store key)
        still decrypts for admins and clerks.
        """
        aad = purpose.encode("utf-8")
        try:
            return aead.decrypt(self._secret_key(purpose), blob, aad)
        except CryptoError:
            legacy_root = self._keys().store_key
            if legacy_root is None:
                raise
            return aead.decrypt(keys.subkey(legacy_root, "secret/" + purpose), blob, aad)

    # -- audit log ----------------------------------------------------------

    def audit(self, event: str, /, *, session: Session | None = None, **detail: str | int) -> None:
        """Append to the audit log. NEVER pass personal data."""
        validation.event_name(event)
        validation.audit_detail(detail)
        with self._write(session) as s:
            self._ctx.add_audit(s, self._account.name, event, dict(detail))

    def list_audit(self, *, limit: int | None = None) -> list[AuditEntry]:
        """Audit entries, oldest first (the newest ``limit`` if given)."""
        query = select(AuditRecord).order_by(AuditRecord.id.desc())
        if limit is not None:
            query = query.limit(limit)
        with self._read(None) as s:
            rows = list(s.scalars(query))
        rows.reverse()
        return [
            AuditEntry(
                id=r.id, at=r.at, account=r.account, event=r.event, detail=json.loads(r.detail)
            )
            for r in rows
        ]
