"""Dwellings (Wohnungen) and the landlord's confirmation (Wohnungsgeberbestätigung)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from koffer.cases.enums import DwellingStatus


@dataclass(kw_only=True)
class Dwelling:
    """One dwelling.

    :ivar street: Straße
    :ivar house_number: Hausnummer
    :ivar addition: Zusatz (e.g. "a", "Hinterhaus")
    :ivar floor_or_flat: Stockwerk / Wohnungsnummer
    :ivar postcode: Postleitzahl
    :ivar city: Ort (Gemeinde)
    :ivar district: Gemeindeteil
    :ivar municipality_key: amtlicher Gemeindeschlüssel (8 digits; ``None`` abroad)
    :ivar country: Staat (ISO 3166-1 alpha-2)
    :ivar status: alleinige Wohnung, Haupt- oder Nebenwohnung
    """

    street: str
    house_number: str = ""
    addition: str | None = None
    floor_or_flat: str | None = None
    postcode: str = ""
    city: str
    district: str | None = None
    municipality_key: str | None = None
    country: str = "DE"
    status: DwellingStatus = DwellingStatus.ALLEINIGE

    @property
    def is_domestic(self) -> bool:
        return self.country == "DE"

    def same_address(self, other: Dwelling) -> bool:
        """``True`` if both describe the same address (status is ignored)."""

        def key(d: Dwelling) -> tuple[str, ...]:
            return (
                d.street.strip().casefold(),
                d.house_number.strip().casefold(),
                (d.addition or "").strip().casefold(),
                (d.floor_or_flat or "").strip().casefold(),
                d.postcode.strip(),
                d.city.strip().casefold(),
                d.country,
            )

        return key(self) == key(other)

    def one_line(self) -> str:
        """The address on one line (for documents and summaries)."""
        number = f"{self.house_number}{self.addition or ''}".strip()
        street = f"{self.street} {number}".strip()
        place = f"{self.postcode} {self.city}".strip()
        parts = [street]
        if self.floor_or_flat:
            parts.append(self.floor_or_flat)
        parts.append(place)
        if not self.is_domestic:
            parts.append(self.country)
        return ", ".join(parts)


@dataclass(kw_only=True)
class LandlordConfirmation:
    """Wohnungsgeberbestätigung (§ 19 BMG).

    Either the four items of § 19 Abs. 3 BMG are filled in, or the electronic
    confirmation's ``assignment_code`` (Zuordnungsmerkmal, § 19 Abs. 4) is given.

    :ivar landlord_name: Name des Wohnungsgebers
    :ivar landlord_address: Anschrift des Wohnungsgebers
    :ivar owner_name: Name des Eigentümers, if different from the Wohnungsgeber
    :ivar move_in_date: Einzugsdatum
    :ivar dwelling_address: Anschrift der Wohnung (floor/flat recommended)
    :ivar person_names: Namen der meldepflichtigen Personen
    :ivar assignment_code: Zuordnungsmerkmal of an electronic confirmation
    """

    landlord_name: str | None = None
    landlord_address: str | None = None
    owner_name: str | None = None
    move_in_date: date | None = None
    dwelling_address: str | None = None
    person_names: list[str] = field(default_factory=list)
    assignment_code: str | None = None

    @property
    def zuordnungsmerkmal(self) -> str | None:
        """German alias of :attr:`assignment_code`."""
        return self.assignment_code

    def has_all_items(self) -> bool:
        """All four § 19 Abs. 3 items are present."""
        return bool(
            (self.landlord_name or "").strip()
            and (self.landlord_address or "").strip()
            and self.move_in_date is not None
            and (self.dwelling_address or "").strip()
            and any(n.strip() for n in self.person_names)
        )

    def is_sufficient(self) -> bool:
        """Either the four items or a Zuordnungsmerkmal."""
        return bool((self.assignment_code or "").strip()) or self.has_all_items()
