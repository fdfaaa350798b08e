"""Personalausweis rules that are plain functions: validity, fees, finger order.

Fees (PAuswGebV § 1), in EUR:

===============================================  ==================  ==================
item                                             until 2026-02-06    from 2026-02-07
===============================================  ==================  ==================
Personalausweis, applicant under 24              22.80               27.60
Personalausweis, applicant 24 or older           37.00               46.00
vorläufiger Personalausweis                      10.00               10.00
surcharge: outside office hours on request /     +13.00              +13.00
non-competent authority
Direktversand                                    +15.00              +15.00
photo taken by the authority                     +6.00               +6.00
===============================================  ==================  ==================

The age counts on the day of application. A provisional card cannot be sent
directly (it is handed over at once); the other surcharges apply to it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from koffer.cases.dates import age_on
from koffer.cases.enums import FingerCode, Hand
from koffer.errors import ValidationError

__all__ = [
    "FEE_CHANGE_DATE",
    "FeeItem",
    "fee",
    "fee_breakdown",
    "finger_substitution_order",
    "target_fingers",
    "validity_years",
]

#: first application day of the fees of the 2026 amendment
FEE_CHANGE_DATE = date(2026, 2, 7)
#: age from which the card is valid for 10 instead of 6 years and costs the full fee
FULL_FEE_AGE = 24

_BASE_YOUNG = (Decimal("22.80"), Decimal("27.60"))
_BASE_ADULT = (Decimal("37.00"), Decimal("46.00"))
_PROVISIONAL = Decimal("10.00")
_SURCHARGE = Decimal("13.00")
_DIRECT_DELIVERY = Decimal("15.00")
_AUTHORITY_PHOTO = Decimal("6.00")


@dataclass(frozen=True)
class FeeItem:
    """One line of the fee: German label, English label, amount in EUR."""

    label: str
    label_en: str
    amount: Decimal


def validity_years(application_date: date, birth_date: date) -> int:
    """Validity of a Personalausweis (§ 6 PAuswG): 6 years under 24, else 10."""
    return 6 if age_on(birth_date, application_date) < FULL_FEE_AGE else 10


def fee_breakdown(
    application_date: date,
    birth_date: date,
    *,
    direct_delivery: bool = False,
    authority_photo: bool = False,
    outside_hours_surcharge: bool = False,
    provisional: bool = False,
) -> list[FeeItem]:
    """The fee lines; their amounts add up to :func:`fee`.

    :raises ValidationError: for Direktversand of a provisional card.
    """
    if provisional and direct_delivery:
        raise ValidationError(
            "Ein vorläufiger Personalausweis wird sofort ausgehändigt und kann nicht "
            "per Direktversand zugestellt werden. Bitte wählen Sie Abholung.",
            message_en=(
                "A provisional ID card is handed over at once and cannot be sent by "
                "direct delivery. Please choose pick-up."
            ),
        )
    period = 1 if application_date >= FEE_CHANGE_DATE else 0
    items: list[FeeItem] = []
    if provisional:
        items.append(FeeItem("Vorläufiger Personalausweis", "Provisional ID card", _PROVISIONAL))
    elif age_on(birth_date, application_date) < FULL_FEE_AGE:
        items.append(
            FeeItem(
                "Personalausweis (unter 24 Jahre)",
                "ID card (under 24 years)",
                _BASE_YOUNG[period],
            )
        )
    else:
        items.append(
            FeeItem(
                "Personalausweis (ab 24 Jahre)",
                "ID card (24 years or older)",
                _BASE_ADULT[period],
            )
        )
    if outside_hours_surcharge:
        items.append(
            FeeItem(
                "Zuschlag (außerhalb der Dienstzeit / nicht zuständige Behörde)",
                "Surcharge (outside office hours / non-competent authority)",
                _SURCHARGE,
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
    direct_delivery: bool = False,
    authority_photo: bool = False,
    outside_hours_surcharge: bool = False,
    provisional: bool = False,
) -> Decimal:
    """The Personalausweis fee in EUR (PAuswGebV § 1), see the module table."""
    items = fee_breakdown(
        application_date,
        birth_date,
        direct_delivery=direct_delivery,
        authority_photo=authority_photo,
        outside_hours_surcharge=outside_hours_surcharge,
        provisional=provisional,
    )
    return sum((item.amount for item in items), Decimal("0.00"))


_ORDER: dict[Hand, tuple[FingerCode, ...]] = {
    Hand.RIGHT: (
        FingerCode.RIGHT_INDEX,
        FingerCode.RIGHT_THUMB,
        FingerCode.RIGHT_MIDDLE,
        FingerCode.RIGHT_RING,
    ),
    Hand.LEFT: (
        FingerCode.LEFT_INDEX,
        FingerCode.LEFT_THUMB,
        FingerCode.LEFT_MIDDLE,
        FingerCode.LEFT_RING,
    ),
}


def finger_substitution_order(hand: Hand) -> tuple[FingerCode, ...]:
    """Fingers of ``hand`` in capture order: index, thumb, middle, ring (never little)."""
    return _ORDER[hand]


def target_fingers() -> tuple[FingerCode, FingerCode]:
    """The two fingers normally captured: left and right index finger."""
    return (FingerCode.LEFT_INDEX, FingerCode.RIGHT_INDEX)
