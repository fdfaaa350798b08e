"""koffer.cases — the domain: persons, dwellings, cases, rules, fees, DIN 91379.

Pure Python without I/O (apart from reading the packaged DIN 91379 tables).
"""

from koffer.cases.dates import age_on
from koffer.cases.din91379 import InvalidCharacters, is_valid, search_form, validate
from koffer.cases.dwelling import Dwelling, LandlordConfirmation
from koffer.cases.enums import (
    AnmeldungKind,
    CaseType,
    Custody,
    Delivery,
    DwellingStatus,
    ExemptionReason,
    FingerCode,
    Hand,
    IdDocumentKind,
    MaritalStatus,
    PhotoSource,
    Relationship,
    Sex,
    TransferObjection,
)
from koffer.cases.id_card import (
    FeeItem,
    fee,
    fee_breakdown,
    finger_substitution_order,
    validity_years,
)
from koffer.cases.model import (
    Case,
    DocumentApplication,
    FingerprintExemption,
    FingerprintRecord,
    IdCardApplication,
    PassportApplication,
    Photo,
    RegistrationCase,
    new_case_id,
    new_case_number,
)
from koffer.cases.people_file import person_from_json
from koffer.cases.person import IdDocument, LegalRepresentative, Person
from koffer.cases.rules import Finding, RuleViolation, check, ensure_valid
from koffer.cases.samples import sample_case, sample_persons
from koffer.cases.serialize import SCHEMA_VERSION, case_from_dict, case_to_dict
from koffer.cases.settings import RuleSettings
from koffer.cases.state import CaseState, IllegalTransition, transition

__all__ = [
    "SCHEMA_VERSION",
    "AnmeldungKind",
    "Case",
    "CaseState",
    "CaseType",
    "Custody",
    "Delivery",
    "DocumentApplication",
    "Dwelling",
    "DwellingStatus",
    "ExemptionReason",
    "FeeItem",
    "Finding",
    "FingerCode",
    "FingerprintExemption",
    "FingerprintRecord",
    "Hand",
    "IdCardApplication",
    "IdDocument",
    "IdDocumentKind",
    "IllegalTransition",
    "InvalidCharacters",
    "LandlordConfirmation",
    "LegalRepresentative",
    "MaritalStatus",
    "PassportApplication",
    "Person",
    "Photo",
    "PhotoSource",
    "RegistrationCase",
    "Relationship",
    "RuleSettings",
    "RuleViolation",
    "Sex",
    "TransferObjection",
    "age_on",
    "case_from_dict",
    "case_to_dict",
    "check",
    "ensure_valid",
    "fee",
    "fee_breakdown",
    "finger_substitution_order",
    "is_valid",
    "new_case_id",
    "new_case_number",
    "person_from_json",
    "sample_case",
    "sample_persons",
    "search_form",
    "transition",
    "validate",
    "validity_years",
]
