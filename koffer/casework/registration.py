"""Registration drafts (Anmeldung, Abmeldung, Wechsel der Hauptwohnung) → domain cases.

:class:`MeldeDraft` extends the foundation's
:class:`~koffer.casework.drafts.RegistrationDraft` with everything a Meldeschein
needs: previous dwelling, other dwellings, Wohnungsgeberbestätigung, one ID
document per person, the kind of Anmeldung and the signer. It reads every
older draft payload (unknown or missing parts become empty, never fatal).

:func:`draft_to_case` turns the raw texts into a
:class:`~koffer.cases.RegistrationCase` and runs :func:`koffer.cases.check`:
fields that cannot even be parsed (a half-typed date) become findings with
the same ``field`` paths as the domain rules, so the wizard shows all of them
the same way. Pure data, no Qt.

Payload shape (additions to the foundation's)::

    {"anmeldung_kind": "zuzug", "signer": "0",
     "previous": {"street": …, "status": …, "move_out_date": …},
     "others": [{"street": …, "status": "neben"}, …],
     "landlord": {"landlord_name": …, "landlord_address": …, "owner_name": …,
                  "assignment_code": …, "matches": "1"},
     "documents": [{"kind": "PA", "serial": …, "authority": …,
                    "issued": …, "expires": …}, …]}   # one per person
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from koffer.cases import (
    AnmeldungKind,
    CaseType,
    Dwelling,
    DwellingStatus,
    Finding,
    IdDocument,
    IdDocumentKind,
    LandlordConfirmation,
    Person,
    RegistrationCase,
    Sex,
    TransferObjection,
    check,
)
from koffer.cases.countries import code_of_word
from koffer.cases.dates import parse_date
from koffer.casework.drafts import DWELLING_FIELDS, OBJECTION_FIELDS, RegistrationDraft
from koffer.casework.household import apply_household
from koffer.casework.payload_values import texts_of

ADDRESS_FIELDS: tuple[str, ...] = (
    "street",
    "house_number",
    "addition",
    "floor_or_flat",
    "postcode",
    "city",
    "district",
    "country",
    "status",
)
PREVIOUS_FIELDS: tuple[str, ...] = (*ADDRESS_FIELDS, "move_out_date")
LANDLORD_FIELDS: tuple[str, ...] = (
    "landlord_name",
    "landlord_address",
    "owner_name",
    "assignment_code",
    "matches",
)
DOCUMENT_FIELDS: tuple[str, ...] = ("kind", "serial", "authority", "issued", "expires")

#: the wizard steps of each case type, in order
STEPS: dict[str, tuple[str, ...]] = {
    "anmeldung": ("persons", "dwelling", "previous", "others", "landlord", "check"),
    "abmeldung": ("persons", "previous", "others", "check"),
    "hauptwohnung": ("persons", "dwelling", "others", "check"),
}


def _dict_list(value: object, keys: tuple[str, ...]) -> list[dict[str, str]]:
    if not isinstance(value, list):
        return []
    return [texts_of(v, keys) for v in value if isinstance(v, Mapping)]


@dataclass
class MeldeDraft(RegistrationDraft):
    """Everything typed so far for one Meldeschein, exactly as typed."""

    anmeldung_kind: str = "zuzug"
    signer: str = "0"
    previous: dict[str, str] = field(default_factory=dict)
    others: list[dict[str, str]] = field(default_factory=list)
    landlord: dict[str, str] = field(default_factory=dict)
    documents: list[dict[str, str]] = field(default_factory=lambda: [{}])

    @property
    def steps(self) -> tuple[str, ...]:
        return STEPS.get(self.case_type, STEPS["anmeldung"])

    def to_payload(self) -> dict[str, Any]:
        payload = super().to_payload()
        payload.update(
            {
                "anmeldung_kind": self.anmeldung_kind,
                "signer": self.signer,
                "previous": dict(self.previous),
                "others": [dict(o) for o in self.others],
                "landlord": dict(self.landlord),
                "documents": [dict(d) for d in self.documents],
            }
        )
        return payload

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> MeldeDraft:
        base = RegistrationDraft.from_payload(payload)
        kind = payload.get("anmeldung_kind")
        signer = payload.get("signer")
        documents = _dict_list(payload.get("documents"), DOCUMENT_FIELDS)
        while len(documents) < len(base.persons):
            documents.append({})
        draft = cls(
            case_type=base.case_type,
            step=base.step,
            persons=base.persons,
            dwelling=base.dwelling,
            anmeldung_kind=kind if isinstance(kind, str) else "zuzug",
            signer=signer if isinstance(signer, str) else "0",
            previous=texts_of(payload.get("previous"), PREVIOUS_FIELDS),
            others=_dict_list(payload.get("others"), ADDRESS_FIELDS),
            landlord=texts_of(payload.get("landlord"), LANDLORD_FIELDS),
            documents=documents[: len(base.persons)],
        )
        if draft.step not in draft.steps:
            draft.step = draft.steps[0]
        return draft

    # -- editing ----------------------------------------------------------

    def add_person(self) -> int:
        self.documents.append({})
        return super().add_person()

    def remove_person(self, index: int) -> None:
        if len(self.persons) > 1 and 0 <= index < len(self.persons):
            del self.documents[index]
            signer = int(self.signer) if self.signer.isdigit() else 0
            if signer == index:
                self.signer = "0"
            elif signer > index:
                self.signer = str(signer - 1)  # the same person, one place up
        super().remove_person(index)

    def set_document_field(self, index: int, key: str, value: str) -> None:
        if key not in DOCUMENT_FIELDS:
            raise KeyError(key)
        while len(self.documents) <= index:
            self.documents.append({})
        self.documents[index][key] = value

    def set_previous_field(self, key: str, value: str) -> None:
        if key not in PREVIOUS_FIELDS:
            raise KeyError(key)
        self.previous[key] = value

    def set_other_field(self, index: int, key: str, value: str) -> None:
        if key not in ADDRESS_FIELDS:
            raise KeyError(key)
        while len(self.others) <= index:
            self.others.append({})
        self.others[index][key] = value

    def add_other(self) -> int:
        self.others.append({"status": "neben"})
        return len(self.others) - 1

    def remove_other(self, index: int) -> None:
        if 0 <= index < len(self.others):
            del self.others[index]

    def set_landlord_field(self, key: str, value: str) -> None:
        if key not in LANDLORD_FIELDS:
            raise KeyError(key)
        self.landlord[key] = value

    def needs_others(self) -> bool:
        """Whether the other dwellings must be listed (§ 21 BMG)."""
        if self.case_type == "abmeldung":
            return self.previous.get("status") == "neben"
        if self.case_type == "hauptwohnung":
            return True
        return self.dwelling.get("status", "alleinige") != "alleinige"

    def full_name(self, index: int) -> str:
        return self.person_label(index)


# ---------------------------------------------------------------- conversion


class _Parser:
    """Collects findings for texts that cannot be parsed at all."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def problem(self, path: str, de: str, en: str) -> None:
        self.findings.append(Finding("error", path, de, en))

    def date(self, path: str, text: str | None, what: str, what_en: str) -> date | None:

        raw = (text or "").strip()
        if not raw:
            return None
        value = parse_date(raw)
        if value is None:
            self.problem(
                path,
                f"{what}: Bitte geben Sie das Datum als TT.MM.JJJJ ein.",
                f"{what_en}: please enter the date as DD.MM.YYYY.",
            )
        return value


def _opt(text: str | None) -> str | None:
    value = (text or "").strip()
    return value or None


def _status(code: str | None, default: DwellingStatus) -> DwellingStatus:
    return {
        "alleinige": DwellingStatus.ALLEINIGE,
        "haupt": DwellingStatus.HAUPT,
        "neben": DwellingStatus.NEBEN,
    }.get(code or "", default)


def _nationalities(p: _Parser, path: str, text: str | None) -> list[str]:
    raw = (text or "").strip()
    if not raw:
        return ["DE"]
    codes: list[str] = []
    for part in raw.replace(";", ",").replace("/", ",").split(","):
        word = part.strip()
        if not word:
            continue
        code = code_of_word(word)
        if code is None and len(word) == 2 and word.isalpha():
            code = word.upper()
        if code is None:
            p.problem(
                path,
                f"Staatsangehörigkeit „{word}“ ist unbekannt. Bitte schreiben Sie z. B. "
                "„deutsch“ oder den Ländercode (z. B. AT).",
                f"Nationality '{word}' is unknown. Please write e.g. 'deutsch' or the "
                "country code (e.g. AT).",
            )
            continue
        codes.append(code)
    return codes or ["DE"]


def _dwelling(values: Mapping[str, str], default: DwellingStatus) -> Dwelling | None:
    if not any((values.get(k) or "").strip() for k in DWELLING_FIELDS if k != "status"):
        return None
    return Dwelling(
        street=(values.get("street") or "").strip(),
        house_number=(values.get("house_number") or "").strip(),
        addition=_opt(values.get("addition")),
        floor_or_flat=_opt(values.get("floor_or_flat")),
        postcode=(values.get("postcode") or "").strip(),
        city=(values.get("city") or "").strip(),
        district=_opt(values.get("district")),
        country=(values.get("country") or "DE").strip().upper() or "DE",
        status=_status(values.get("status"), default),
    )


def _person(p: _Parser, index: int, values: Mapping[str, str]) -> Person | None:
    path = f"persons[{index}]"
    birth = p.date(f"{path}.birth_date", values.get("birth_date"), "Geburtsdatum", "Birth date")
    if birth is None:
        if not (values.get("birth_date") or "").strip():
            p.problem(
                f"{path}.birth_date",
                "Geburtsdatum: Bitte geben Sie einen Wert ein.",
                "Birth date: please enter a value.",
            )
        return None
    sex_code = values.get("sex") or ""
    try:
        sex = Sex(sex_code)
    except ValueError:
        p.problem(
            f"{path}.sex",
            "Bitte wählen Sie das Geschlecht aus.",
            "Please choose the sex.",
        )
        sex = Sex.UNSPECIFIED
    person = Person(
        family_name=(values.get("family_name") or "").strip(),
        given_names=(values.get("given_names") or "").split(),
        birth_name=_opt(values.get("birth_name")),
        doctoral_degree=_opt(values.get("doctoral_degree")),
        birth_date=birth,
        birth_place=(values.get("birth_place") or "").strip(),
        sex=sex,
        nationalities=_nationalities(p, f"{path}.nationalities", values.get("nationalities")),
        transfer_objections=[
            TransferObjection(code)
            for code, key in OBJECTION_FIELDS.items()
            if (values.get(key) or "") == "1"
        ],
    )
    p.findings.extend(apply_household(person, index, values))
    return person


def _document(p: _Parser, index: int, values: Mapping[str, str]) -> IdDocument | None:
    path = f"persons[{index}].id_documents[0]"
    if not any((values.get(k) or "").strip() for k in ("serial", "authority", "issued")):
        return None
    issued = p.date(f"{path}.issued", values.get("issued"), "Ausgestellt am", "Issued on")
    expires = p.date(f"{path}.expires", values.get("expires"), "Gültig bis", "Valid until")
    if issued is None or expires is None:
        if issued is None and not (values.get("issued") or "").strip():
            p.problem(
                f"{path}.issued",
                "Ausweisdokument: Bitte geben Sie das Ausstellungsdatum an.",
                "ID document: please enter the issue date.",
            )
        if expires is None and not (values.get("expires") or "").strip():
            p.problem(
                f"{path}.expires",
                "Ausweisdokument: Bitte geben Sie an, bis wann es gültig ist.",
                "ID document: please enter the expiry date.",
            )
        return None
    try:
        kind = IdDocumentKind(values.get("kind") or "PA")
    except ValueError:
        kind = IdDocumentKind.OTHER
    return IdDocument(
        kind=kind,
        serial=(values.get("serial") or "").strip().upper(),
        authority=(values.get("authority") or "").strip(),
        issued=issued,
        expires=expires,
    )


def draft_to_case(
    draft: MeldeDraft,
    today: date,
    *,
    case_id: str | None = None,
    case_number: str = "",
) -> tuple[RegistrationCase | None, list[Finding]]:
    """The domain case of ``draft`` (``None`` if texts cannot be parsed) and all findings.

    Errors come first, then warnings (late registration …) which do not block.
    """
    p = _Parser()
    try:
        case_type = CaseType(draft.case_type)
    except ValueError:
        case_type = CaseType.ANMELDUNG
    persons: list[Person] = []
    for index, values in enumerate(draft.persons):
        person = _person(p, index, values)
        if person is None:
            continue
        documents = draft.documents[index] if index < len(draft.documents) else {}
        document = _document(p, index, documents)
        if document is not None:
            person.id_documents.append(document)
        persons.append(person)
    new = None
    previous = None
    move_in = None
    move_out = None
    if case_type is not CaseType.ABMELDUNG:
        default = (
            DwellingStatus.HAUPT
            if case_type is CaseType.HAUPTWOHNUNG
            else (DwellingStatus.ALLEINIGE)
        )
        new = _dwelling(draft.dwelling, default)
        label = "Einzugsdatum" if case_type is CaseType.ANMELDUNG else "Datum des Wechsels"
        move_in = p.date("move_in_date", draft.dwelling.get("move_in_date"), label, "Date")
    if case_type is not CaseType.HAUPTWOHNUNG:
        previous = _dwelling(draft.previous, DwellingStatus.ALLEINIGE)
    if case_type is CaseType.ABMELDUNG:
        move_out = p.date(
            "move_out_date", draft.previous.get("move_out_date"), "Auszugsdatum", "Move-out date"
        )
    others = [
        d for d in (_dwelling(o, DwellingStatus.NEBEN) for o in draft.others) if d is not None
    ]
    if (
        case_type is CaseType.ANMELDUNG
        and new is not None
        and new.status is (DwellingStatus.ALLEINIGE)
    ):
        others = []  # the list is only asked for when there are several dwellings
    if case_type is CaseType.ABMELDUNG and (
        previous is None or previous.status is not DwellingStatus.NEBEN
    ):
        others = []
    kind = None
    if case_type is CaseType.ANMELDUNG:
        try:
            kind = AnmeldungKind(draft.anmeldung_kind)
        except ValueError:
            kind = None
        if (
            kind is AnmeldungKind.ZUZUG_AUSLAND
            and previous is not None
            and (previous.country == "DE")
        ):
            previous = None  # the foreign address is optional
    landlord = None
    if case_type is CaseType.ANMELDUNG:
        values = draft.landlord
        matches = values.get("matches") == "1"
        landlord = LandlordConfirmation(
            landlord_name=_opt(values.get("landlord_name")),
            landlord_address=_opt(values.get("landlord_address")),
            owner_name=_opt(values.get("owner_name")),
            move_in_date=move_in if matches else None,
            dwelling_address=new.one_line() if matches and new is not None else None,
            person_names=[" ".join([*x.given_names, x.family_name]).strip() for x in persons]
            if matches
            else [],
            assignment_code=_opt(values.get("assignment_code")),
        )
    try:
        signer = int(draft.signer)
    except ValueError:
        signer = 0
    if p.findings:
        return None, p.findings
    extra: dict[str, Any] = {}
    if case_id:
        extra["case_id"] = case_id
    case = RegistrationCase(
        case_type=case_type,
        case_number=case_number,
        anmeldung_kind=kind,
        persons=persons,
        signer_index=signer if 0 <= signer < len(persons) else 0,
        new_dwelling=new,
        previous_dwelling=previous,
        other_dwellings=others,
        move_in_date=move_in,
        move_out_date=move_out,
        registration_date=today,
        landlord_confirmation=landlord,
        **extra,
    )
    return case, check(case, today)


#: which wizard step shows a finding's field
def step_of(field_path: str, case_type: str) -> str:
    head = field_path.split(".", 1)[0].split("[", 1)[0]
    mapping = {
        "persons": "persons",
        "signer_index": "persons",
        "previous_dwelling": "previous",
        "move_out_date": "previous",
        "anmeldung_kind": "previous",
        "new_dwelling": "dwelling",
        "move_in_date": "dwelling",
        "other_dwellings": "others",
        "landlord_confirmation": "landlord",
    }
    step = mapping.get(head, "check")
    steps = STEPS.get(case_type, STEPS["anmeldung"])
    return step if step in steps else "check"
