"""Person data of the register (§ 3 Abs. 1 BMG) and their identity documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from koffer.cases.enums import (
    IdDocumentKind,
    MaritalStatus,
    Relationship,
    Sex,
    TransferObjection,
)


@dataclass(kw_only=True)
class IdDocument:
    """Ausweisdokument (§ 3 Abs. 1 Nr. 17 BMG).

    :ivar kind: Art (PA, RP, KRP, …)
    :ivar serial: Seriennummer
    :ivar authority: ausstellende Behörde
    :ivar issued: Ausstellungsdatum
    :ivar expires: Gültigkeitsdatum (Ablauf)
    """

    kind: IdDocumentKind
    serial: str
    authority: str
    issued: date
    expires: date


@dataclass(kw_only=True)
class Person:
    """One person of a case.

    :ivar family_name: Familienname
    :ivar given_names: Vornamen, in order
    :ivar preferred_given_name: index into ``given_names`` of the gebräuchlicher
        Vorname (Rufname), or ``None`` if none is marked
    :ivar birth_name: Geburtsname (``None`` if equal to the Familienname)
    :ivar former_names: frühere Namen
    :ivar doctoral_degree: Doktorgrad, e.g. "Dr." (``None`` if none)
    :ivar religious_or_artist_name: Ordensname oder Künstlername
    :ivar birth_date: Geburtsdatum
    :ivar birth_place: Geburtsort
    :ivar birth_country: Geburtsstaat (ISO 3166-1 alpha-2, "DE" for Germany)
    :ivar sex: Geschlecht
    :ivar nationalities: Staatsangehörigkeiten (ISO 3166-1 alpha-2, at least one)
    :ivar marital_status: Familienstand
    :ivar religion: öffentlich-rechtliche Religionsgesellschaft as a DSMeld-like key
        code (e.g. "rk", "ev"), ``None`` for none
    :ivar id_documents: Ausweisdokumente
    :ivar information_block_requested: Auskunftssperre beantragt
    :ivar transfer_objections: Widersprüche gegen Datenübermittlungen (§ 42 Abs. 3,
        § 50 Abs. 5 BMG), each an Übermittlungssperre
    :ivar marriage_date: Datum der Eheschließung / Begründung der
        Lebenspartnerschaft (§ 3 Abs. 1 Nr. 14 BMG), ``None`` if not given
    :ivar marriage_place: Ort der Eheschließung / Begründung der Lebenspartnerschaft
    :ivar spouse_index: index into the case's ``persons`` of the Ehegatte /
        Lebenspartner (§ 3 Abs. 1 Nr. 15 BMG), ``None`` if not listed
    :ivar parent_indices: indices into the case's ``persons`` of this person's
        parents listed in the same Meldeschein (the child's link, § 3 Abs. 1 Nr. 16 BMG)
    """

    family_name: str
    given_names: list[str] = field(default_factory=list)
    preferred_given_name: int | None = None
    birth_name: str | None = None
    former_names: list[str] = field(default_factory=list)
    doctoral_degree: str | None = None
    religious_or_artist_name: str | None = None
    birth_date: date
    birth_place: str
    birth_country: str = "DE"
    sex: Sex
    nationalities: list[str] = field(default_factory=lambda: ["DE"])
    marital_status: MaritalStatus = MaritalStatus.UNKNOWN
    religion: str | None = None
    id_documents: list[IdDocument] = field(default_factory=list)
    information_block_requested: bool = False
    transfer_objections: list[TransferObjection] = field(default_factory=list)
    marriage_date: date | None = None
    marriage_place: str | None = None
    spouse_index: int | None = None
    parent_indices: list[int] = field(default_factory=list)

    @property
    def preferred_name(self) -> str | None:
        """The gebräuchlicher Vorname, if one is marked and in range."""
        index = self.preferred_given_name
        if index is None or not 0 <= index < len(self.given_names):
            return None
        return self.given_names[index]


@dataclass(kw_only=True)
class LegalRepresentative:
    """Gesetzlicher Vertreter who applies for a minor (PAuswG § 9 Abs. 2, PassG § 6 Abs. 1).

    The register keeps Familienname, Vornamen, Tag der Geburt and Unterschrift
    (PAuswG § 23 Abs. 3 Nr. 10, PassG § 21 Abs. 2 Nr. 13).

    :ivar relationship: Mutter, Vater, Vormund, Betreuer …
    :ivar id_document_kind: the identity document the representative showed
    :ivar id_document_serial: its Seriennummer
    :ivar signature_attachments: e.g. ["signature-representative-1.png", …]
    """

    family_name: str
    given_names: list[str] = field(default_factory=list)
    doctoral_degree: str | None = None
    birth_date: date
    relationship: Relationship
    id_document_kind: IdDocumentKind | None = None
    id_document_serial: str | None = None
    signature_attachments: list[str] = field(default_factory=list)
