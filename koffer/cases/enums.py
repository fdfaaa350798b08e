"""Enumerations of the case model. The values are the serialized form: keep them stable."""

from __future__ import annotations

from enum import Enum


class Sex(Enum):
    """Geschlecht (§ 3 Abs. 1 Nr. 7 BMG)."""

    MALE = "m"  # männlich
    FEMALE = "w"  # weiblich
    DIVERSE = "d"  # divers
    UNSPECIFIED = "x"  # ohne Angabe


class MaritalStatus(Enum):
    """Familienstand (§ 3 Abs. 1 Nr. 14 BMG), with the usual two-letter register codes."""

    SINGLE = "LD"  # ledig
    MARRIED = "VH"  # verheiratet
    WIDOWED = "VW"  # verwitwet
    DIVORCED = "GS"  # geschieden
    MARRIAGE_ANNULLED = "EA"  # Ehe aufgehoben
    PARTNERSHIP = "LP"  # in eingetragener Lebenspartnerschaft
    PARTNER_DECEASED = "LV"  # durch Tod aufgelöste Lebenspartnerschaft
    PARTNERSHIP_ANNULLED = "LA"  # aufgehobene Lebenspartnerschaft
    PARTNERSHIP_DECLARED_DEAD = "LE"  # durch Todeserklärung aufgelöste Lebenspartnerschaft
    UNKNOWN = "NB"  # nicht bekannt


class IdDocumentKind(Enum):
    """Art des Ausweisdokuments (Meldeschein: PA/RP/KRP/…)."""

    PA = "PA"  # Personalausweis
    VPA = "VPA"  # vorläufiger Personalausweis
    RP = "RP"  # Reisepass
    VRP = "VRP"  # vorläufiger Reisepass
    KRP = "KRP"  # Kinderreisepass
    PEP = "PEP"  # Passersatzpapier
    OTHER = "SONST"  # sonstiges Dokument


class DwellingStatus(Enum):
    """Wohnungsstatus (§§ 21, 22 BMG)."""

    ALLEINIGE = "alleinige"  # alleinige Wohnung
    HAUPT = "haupt"  # Hauptwohnung
    NEBEN = "neben"  # Nebenwohnung


class CaseType(Enum):
    """Kind of case (Vorgangsart)."""

    ANMELDUNG = "anmeldung"
    ABMELDUNG = "abmeldung"
    HAUPTWOHNUNG = "hauptwohnung"  # Wechsel der Hauptwohnung
    PERSONALAUSWEIS = "personalausweis"
    REISEPASS = "reisepass"


class AnmeldungKind(Enum):
    """Sub-kind of an Anmeldung."""

    ZUZUG = "zuzug"  # Zuzug aus einer anderen Gemeinde im Inland
    ZUZUG_AUSLAND = "zuzug_ausland"  # Zuzug aus dem Ausland
    UMZUG_INNERHALB = "umzug_innerhalb"  # Umzug innerhalb der Gemeinde


class PhotoSource(Enum):
    """Where the biometric photo comes from (Lichtbild, since 1 May 2025 digital only)."""

    AUTHORITY_CAPTURE = "authority_capture"  # taken by the authority (+6 EUR)
    PROVIDER_CLOUD_CODE = "provider_cloud_code"  # photo provider, DataMatrix code (TR-03170)


class Hand(Enum):
    RIGHT = "right"
    LEFT = "left"


class FingerCode(Enum):
    """ISO/IEC 19794-4 finger positions (same values as the device interfaces)."""

    RIGHT_THUMB = "1"
    RIGHT_INDEX = "2"
    RIGHT_MIDDLE = "3"
    RIGHT_RING = "4"
    RIGHT_LITTLE = "5"
    LEFT_THUMB = "6"
    LEFT_INDEX = "7"
    LEFT_MIDDLE = "8"
    LEFT_RING = "9"
    LEFT_LITTLE = "10"

    @property
    def hand(self) -> Hand:
        return Hand.RIGHT if int(self.value) <= 5 else Hand.LEFT

    @property
    def is_little(self) -> bool:
        return self in (FingerCode.RIGHT_LITTLE, FingerCode.LEFT_LITTLE)

    @property
    def label(self) -> str:
        """German name of the finger."""
        return _FINGER_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _FINGER_LABELS[self][1]


_FINGER_LABELS: dict[FingerCode, tuple[str, str]] = {
    FingerCode.RIGHT_THUMB: ("rechter Daumen", "right thumb"),
    FingerCode.RIGHT_INDEX: ("rechter Zeigefinger", "right index finger"),
    FingerCode.RIGHT_MIDDLE: ("rechter Mittelfinger", "right middle finger"),
    FingerCode.RIGHT_RING: ("rechter Ringfinger", "right ring finger"),
    FingerCode.RIGHT_LITTLE: ("rechter kleiner Finger", "right little finger"),
    FingerCode.LEFT_THUMB: ("linker Daumen", "left thumb"),
    FingerCode.LEFT_INDEX: ("linker Zeigefinger", "left index finger"),
    FingerCode.LEFT_MIDDLE: ("linker Mittelfinger", "left middle finger"),
    FingerCode.LEFT_RING: ("linker Ringfinger", "left ring finger"),
    FingerCode.LEFT_LITTLE: ("linker kleiner Finger", "left little finger"),
}


class TransferObjection(Enum):
    """Widerspruch gegen eine Datenübermittlung, noted at the Anmeldung (§ 17 Abs. 1).

    Each one becomes an Übermittlungssperre in the register, free of charge.
    """

    #: § 42 Abs. 3 BMG: data of family members who are not in the member's
    #: Religionsgesellschaft is not passed to it (church tax data excepted, S. 4)
    RELIGION = "religionsgesellschaft"
    #: § 50 Abs. 1 and 5 BMG: no disclosure to parties and voter groups in the
    #: six months before an election
    PARTIES = "parteien"
    #: § 50 Abs. 2 and 5 BMG: no disclosure of Alters- and Ehejubiläen to
    #: Mandatsträger, press and broadcasters
    JUBILEES = "jubilaeen"

    @property
    def label(self) -> str:
        """German name, with its paragraph."""
        return _OBJECTION_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _OBJECTION_LABELS[self][1]


_OBJECTION_LABELS: dict[TransferObjection, tuple[str, str]] = {
    TransferObjection.RELIGION: (
        "Übermittlung an eine Religionsgesellschaft (§ 42 Abs. 3 BMG)",
        "Transfer to a religious community (§ 42 (3) BMG)",
    ),
    TransferObjection.PARTIES: (
        "Auskunft an Parteien und Wählergruppen vor Wahlen (§ 50 Abs. 1 BMG)",
        "Disclosure to parties and voter groups before elections (§ 50 (1) BMG)",
    ),
    TransferObjection.JUBILEES: (
        "Auskunft über Alters- und Ehejubiläen (§ 50 Abs. 2 BMG)",
        "Disclosure of birthday and wedding jubilees (§ 50 (2) BMG)",
    ),
}


class ExemptionReason(Enum):
    """Why a fingerprint (or all of them) was not taken."""

    MISSING = "missing"  # Finger fehlt
    INJURED = "injured"  # Finger verletzt
    QUALITY = "quality"  # Qualität nicht ausreichend
    TEMPORARY = "temporary"  # vorübergehend unmöglich (vorläufiges Dokument / später)
    PERMANENT = "permanent"  # dauerhaft unmöglich: Ausweis ohne Fingerabdrücke
    UNDER_AGE = "under_age"  # jünger als 6 Jahre


class Delivery(Enum):
    """How the card reaches the citizen."""

    PICKUP = "pickup"  # Abholung bei der Behörde
    DIRECT_DELIVERY = "direct_delivery"  # Direktversand (PostIdent, +15 EUR)


class Relationship(Enum):
    """How a gesetzlicher Vertreter stands to the applicant (PAuswG § 9, PassG § 6)."""

    MOTHER = "mutter"
    FATHER = "vater"
    GUARDIAN = "vormund"  # Vormund (§ 1773 BGB)
    CARER = "betreuer"  # Betreuer with the Aufenthaltsbestimmung
    FOSTER = "pfleger"  # Pfleger / Ergänzungspfleger
    OTHER = "sonstige"  # another sorgeberechtigte person

    @property
    def label(self) -> str:
        return _RELATIONSHIP_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _RELATIONSHIP_LABELS[self][1]


_RELATIONSHIP_LABELS: dict[Relationship, tuple[str, str]] = {
    Relationship.MOTHER: ("Mutter", "mother"),
    Relationship.FATHER: ("Vater", "father"),
    Relationship.GUARDIAN: ("Vormund", "guardian"),
    Relationship.CARER: ("Betreuer/in", "legal carer"),
    Relationship.FOSTER: ("Pfleger/in", "curator"),
    Relationship.OTHER: ("andere sorgeberechtigte Person", "other person with custody"),
}


class Custody(Enum):
    """Elterliche Sorge of the applicant's representatives."""

    JOINT = "gemeinsam"  # gemeinsame Sorge: the other holder consents or signs too
    SOLE = "allein"  # alleinige Sorge (or Vormund / Betreuer)
