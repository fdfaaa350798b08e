"""Reisepass rules that are plain functions: validity, fees, who applies.

Fees (PassV § 27 Abs. 1), in EUR:

==============================================================  ========
item                                                            fee
==============================================================  ========
Nr. 1 a  Reisepass (32 pages), applicant 24 or older            70.00
Nr. 1 b  Reisepass (32 pages), applicant under 24               37.50
Nr. 1 c  48 pages instead of 32, added to a or b                +22.00
Nr. 1 d  Expressverfahren, added to a or b                      +32.00
Nr. 1 e  vorläufiger Reisepass                                  26.00
Nr. 3    Zustellung (Direktversand)                             15.00
Nr. 4    photo taken by the authority, added                    +6.00
==============================================================  ========

Surcharges (§ 27 Abs. 2) **double single items**; they never add a flat sum:

- outside office hours at the applicant's request (Nr. 1): only the
  vorläufiger Reisepass (1 e); a regular passport (a–d) gets **no** surcharge;
- at a non-competent authority at the applicant's request (Nr. 2): the base
  fee (1 a, 1 b) or the vorläufiger Reisepass (1 e); the add-ons 48 pages,
  express, Zustellung and photo stay single.

Worked example from the ordinance text: aged 30, non-competent authority,
48 pages, express, authority photo, Direktversand:
140 + 22 + 32 + 6 + 15 = 215.00.

Two points are not settled by the text and are therefore settings
(:class:`PassportFeeRules`): whether the 48-page add-on counts as an item a/b
for doubling (default: no, as in the worked example) and whether both
surcharges stack on one vorläufiger Reisepass (default: no — PassG § 20 Abs. 3
S. 2 authorises "bis zur doppelten Höhe" only). They are configured as
``[rules] passport_double_48_pages`` and ``passport_surcharges_stack``
(:attr:`koffer.cases.settings.RuleSettings.passport_fee_rules`) and recorded
in each application (``PassportApplication.fee_rules``).

Validity (PassG § 5): 10 years, 6 years under 24; vorläufiger Reisepass 1 year.
The age counts on the day of application. Fingerprints from the 6th
birthday, the child's signature from the 10th (PassG § 4 Abs. 4a); under 18
the sorgeberechtigte person applies (PassG § 6 Abs. 1 S. 6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from koffer.cases.dates import age_on
from koffer.cases.id_card import FeeItem
from koffer.errors import ValidationError

__all__ = [
    "ADULT_AGE",
    "DEFAULT_FEE_RULES",
    "FINGERPRINT_AGE",
    "FULL_FEE_AGE",
    "SIGNATURE_AGE",
    "PassportFeeRules",
    "fee",
    "fee_breakdown",
    "fingerprints_required",
    "needs_legal_representative",
    "signature_required",
    "validity_years",
]

#: age from which the passport is valid for 10 years and costs the full fee
FULL_FEE_AGE = 24
#: age from which fingerprints are taken (PassG § 4 Abs. 4a)
FINGERPRINT_AGE = 6
#: age from which the child signs the passport (PassG § 4 Abs. 4a)
SIGNATURE_AGE = 10
#: age from which the applicant applies alone (PassG § 6 Abs. 1 S. 6)
ADULT_AGE = 18

_BASE_ADULT = Decimal("70.00")
_BASE_YOUNG = Decimal("37.50")
_PAGES_48 = Decimal("22.00")
_EXPRESS = Decimal("32.00")
_PROVISIONAL = Decimal("26.00")
_DIRECT_DELIVERY = Decimal("15.00")
_AUTHORITY_PHOTO = Decimal("6.00")


@dataclass(frozen=True)
class PassportFeeRules:
    """The readings of § 27 Abs. 2 PassV the text leaves open.

    :param double_48_pages: the 48-page add-on (Nr. 1 c) is doubled together
        with the base fee at a non-competent authority.
    :param surcharges_stack: outside office hours and non-competent authority
        each add the vorläufiger Reisepass's fee once more (three times the
        fee in all) instead of doubling it once.
    """

    double_48_pages: bool = False
    surcharges_stack: bool = False


DEFAULT_FEE_RULES = PassportFeeRules()


def validity_years(application_date: date, birth_date: date, *, provisional: bool = False) -> int:
    """Validity of a Reisepass (PassG § 5): 10 years, 6 under 24, provisional 1."""
    if provisional:
        return 1
    return 6 if age_on(birth_date, application_date) < FULL_FEE_AGE else 10


def fingerprints_required(application_date: date, birth_date: date) -> bool:
    """Fingerprints are taken from the 6th birthday on (PassG § 4 Abs. 4a)."""
    return age_on(birth_date, application_date) >= FINGERPRINT_AGE


def signature_required(application_date: date, birth_date: date) -> bool:
    """The applicant signs from the 10th birthday on (PassG § 4 Abs. 4a)."""
    return age_on(birth_date, application_date) >= SIGNATURE_AGE


def needs_legal_representative(application_date: date, birth_date: date) -> bool:
    """Under 18 the sorgeberechtigte person applies (PassG § 6 Abs. 1 S. 6)."""
    return age_on(birth_date, application_date) < ADULT_AGE


def _refuse(de: str, en: str) -> ValidationError:
    return ValidationError(de, message_en=en)


def _check_options(
    *, provisional: bool, pages_48: bool, express: bool, direct_delivery: bool
) -> None:
    if not provisional:
        return
    if pages_48 or express:
        raise _refuse(
            "Einen vorläufigen Reisepass gibt es nur mit 32 Seiten und ohne Expressverfahren. "
            "Bitte wählen Sie die Zusatzoptionen ab.",
            "A provisional passport has 32 pages and no express option. Please clear the add-ons.",
        )
    if direct_delivery:
        raise _refuse(
            "Ein vorläufiger Reisepass wird von der Behörde ausgehändigt und kann nicht "
            "per Direktversand zugestellt werden. Bitte wählen Sie Abholung.",
            "A provisional passport is handed over by the authority and cannot be sent "
            "by direct delivery. Please choose pick-up.",
        )


def fee_breakdown(
    application_date: date,
    birth_date: date,
    *,
    pages_48: bool = False,
    express: bool = False,
    provisional: bool = False,
    direct_delivery: bool = False,
    authority_photo: bool = False,
    outside_hours_surcharge: bool = False,
    non_competent_authority: bool = False,
    rules: PassportFeeRules = DEFAULT_FEE_RULES,
) -> list[FeeItem]:
    """The fee lines of a Reisepass application; their amounts add up to :func:`fee`.

    A doubling is its own line ("Verdoppelung …") with the amount of the item
    it doubles, so the citizen sees why the fee is higher.

    :raises ValidationError: for add-ons a vorläufiger Reisepass cannot have.
    """
    _check_options(
        provisional=provisional,
        pages_48=pages_48,
        express=express,
        direct_delivery=direct_delivery,
    )
    items: list[FeeItem] = []
    doubled: list[FeeItem] = []
    if provisional:
        base = FeeItem("Vorläufiger Reisepass", "Provisional passport", _PROVISIONAL)
        items.append(base)
        factors = int(outside_hours_surcharge) + int(non_competent_authority)
        if factors and not rules.surcharges_stack:
            factors = 1
        doubled.extend([base] * factors)
    else:
        young = age_on(birth_date, application_date) < FULL_FEE_AGE
        base = (
            FeeItem("Reisepass (unter 24 Jahre)", "Passport (under 24 years)", _BASE_YOUNG)
            if young
            else FeeItem("Reisepass (ab 24 Jahre)", "Passport (24 years or older)", _BASE_ADULT)
        )
        items.append(base)
        # outside office hours: no surcharge on a regular passport (§ 27 Abs. 2 Nr. 1)
        if non_competent_authority:
            doubled.append(base)
        if pages_48:
            pages = FeeItem("48 Seiten statt 32", "48 pages instead of 32", _PAGES_48)
            items.append(pages)
            if non_competent_authority and rules.double_48_pages:
                doubled.append(pages)
        if express:
            items.append(FeeItem("Expressverfahren", "Express procedure", _EXPRESS))
    for item in doubled:
        items.append(
            FeeItem(
                f"Verdoppelung: {item.label}",
                f"Doubled: {item.label_en}",
                item.amount,
            )
        )
    if direct_delivery:
        items.append(FeeItem("Direktversand", "Direct delivery", _DIRECT_DELIVERY))
    if authority_photo:
        items.append(
            FeeItem("Lichtbild durch die Behörde", "Photo taken by the authority", _AUTHORITY_PHOTO)
        )
    return items


def fee(
    application_date: date,
    birth_date: date,
    *,
    pages_48: bool = False,
    express: bool = False,
    provisional: bool = False,
    direct_delivery: bool = False,
    authority_photo: bool = False,
    outside_hours_surcharge: bool = False,
    non_competent_authority: bool = False,
    rules: PassportFeeRules = DEFAULT_FEE_RULES,
) -> Decimal:
    """The Reisepass fee in EUR (PassV § 27), see the module table."""
    items = fee_breakdown(
        application_date,
        birth_date,
        pages_48=pages_48,
        express=express,
        provisional=provisional,
        direct_delivery=direct_delivery,
        authority_photo=authority_photo,
        outside_hours_surcharge=outside_hours_surcharge,
        non_competent_authority=non_competent_authority,
        rules=rules,
    )
    return sum((item.amount for item in items), Decimal("0.00"))
