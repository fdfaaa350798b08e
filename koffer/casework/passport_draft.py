"""Draft parts of the Reisepass path and of the legal representatives (no Qt).

:class:`~koffer.casework.ausweis_draft.AusweisDraft` holds them; the
Personalausweis and the Reisepass wizard share everything else.

Payload shape inside the draft::

    "representatives": {"people": [{"family_name": "…", "given_names": "…",
                         "birth_date": "01.02.1980", "relationship": "mutter",
                         "id_kind": "PA", "id_serial": "…",
                         "signature": ["signature-representative-1.png", …]}],
                        "custody": "gemeinsam", "other_parent_consent": true},
    "passport": {"pages_48": false, "provisional": false, "consent": false,
                 "notice_email": "", "non_competent": false, "fee_waived": false,
                 "fee_waiver_reason": "", "in_person": true, "old_presented": false,
                 "old_invalidated": false, "old_visas": false}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from koffer.cases import (
    Custody,
    IdDocumentKind,
    LegalRepresentative,
    PassportApplication,
    Relationship,
    passport,
)
from koffer.cases.dates import parse_date
from koffer.errors import ValidationError

__all__ = [
    "PASSPORT",
    "PERSONALAUSWEIS",
    "REPRESENTATIVE_FIELDS",
    "PassportOptions",
    "RepresentativeDraft",
    "custody_of",
    "passport_fee",
    "representative_signature_names",
]

PERSONALAUSWEIS = "personalausweis"
PASSPORT = "reisepass"

REPRESENTATIVE_FIELDS: tuple[str, ...] = (
    "family_name",
    "given_names",
    "birth_date",
    "relationship",
    "id_kind",
    "id_serial",
)


def representative_signature_names(index: int) -> tuple[str, str]:
    """The attachment names of representative ``index``'s signature (PNG, strokes)."""
    return (
        f"signature-representative-{index + 1}.png",
        f"signature-representative-{index + 1}-strokes.json",
    )


@dataclass
class RepresentativeDraft:
    """One gesetzlicher Vertreter as typed (texts) and the signature's attachment names."""

    fields: dict[str, str] = field(default_factory=dict)
    signature: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {**self.fields, "signature": list(self.signature)}

    @classmethod
    def from_json(cls, data: object) -> RepresentativeDraft | None:
        if not isinstance(data, Mapping):
            return None
        texts = {k: str(data[k]) for k in REPRESENTATIVE_FIELDS if isinstance(data.get(k), str)}
        signature = data.get("signature")
        names = [str(n) for n in signature] if isinstance(signature, list) else []
        return cls(texts, names)

    @property
    def empty(self) -> bool:
        return not any(v.strip() for v in self.fields.values())

    def to_model(self) -> LegalRepresentative:
        f = self.fields
        born = parse_date(f.get("birth_date", ""))
        if born is None:
            raise ValidationError(
                "Das Geburtsdatum der gesetzlichen Vertretung fehlt oder ist ungültig. Bitte "
                "prüfen Sie die Eingabe.",
                message_en="The legal representative's date of birth is missing or invalid. "
                "Please check the entry.",
            )
        try:
            relationship = Relationship(f.get("relationship") or Relationship.OTHER.value)
        except ValueError:
            relationship = Relationship.OTHER
        try:
            kind: IdDocumentKind | None = IdDocumentKind(f.get("id_kind", ""))
        except ValueError:
            kind = None
        return LegalRepresentative(
            family_name=f.get("family_name", "").strip(),
            given_names=f.get("given_names", "").split(),
            birth_date=born,
            relationship=relationship,
            id_document_kind=kind,
            id_document_serial=f.get("id_serial", "").strip() or None,
            signature_attachments=list(self.signature),
        )


def custody_of(text: str) -> Custody | None:
    try:
        return Custody(text)
    except ValueError:
        return None


_FLAGS = (
    "pages_48",
    "provisional",
    "consent",
    "non_competent",
    "fee_waived",
    "old_presented",
    "old_invalidated",
    "old_visas",
)


@dataclass
class PassportOptions:
    """The Reisepass options as chosen in the wizard (express and delivery are shared)."""

    pages_48: bool = False
    provisional: bool = False
    consent: bool = False
    notice_email: str = ""
    non_competent: bool = False
    fee_waived: bool = False
    fee_waiver_reason: str = ""
    in_person: bool = True
    old_presented: bool = False
    old_invalidated: bool = False
    old_visas: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {name: getattr(self, name) for name in _FLAGS}
        data.update(
            notice_email=self.notice_email,
            fee_waiver_reason=self.fee_waiver_reason,
            in_person=self.in_person,
        )
        return data

    @classmethod
    def from_json(cls, data: object) -> PassportOptions:
        options = cls()
        if not isinstance(data, Mapping):
            return options
        for name in _FLAGS:
            setattr(options, name, data.get(name) is True)
        options.in_person = data.get("in_person") is not False
        for name in ("notice_email", "fee_waiver_reason"):
            value = data.get(name)
            if isinstance(value, str):
                setattr(options, name, value)
        return options


def passport_fee(app: PassportApplication) -> Decimal:
    """The fee of ``app`` by PassV § 27 (:func:`koffer.cases.passport.fee`), its readings."""
    return passport.fee(
        app.application_date,
        app.person.birth_date,
        pages_48=app.pages_48,
        express=app.express,
        provisional=app.provisional,
        direct_delivery=app.direct_delivery,
        authority_photo=app.authority_photo,
        outside_hours_surcharge=app.outside_hours_surcharge,
        non_competent_authority=app.non_competent_authority,
        rules=app.fee_rules,
    )
