"""Is an envelope's creation time plausible? (The suitcase's clock may be wrong.)

The back end accepts an envelope whatever its ``created`` says (refusing it
would strand the case on the suitcase), but flags it when the time cannot be
right:

- ``before_enrollment``: earlier than the device's enrollment (less a
  tolerance): the device could not have sealed it then;
- ``future``: later than its arrival plus a tolerance;
- ``invalid``: not a real date and time (``2026-02-30T25:00:00Z``).

The flag is stored with the case (``cases.created_implausible``) and shown by
``koffer backend stats`` and in the export (``erstellungszeitUnplausibel``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

#: clock difference tolerated in both directions
TOLERANCE = timedelta(minutes=10)

BEFORE_ENROLLMENT = "before_enrollment"
FUTURE = "future"
INVALID = "invalid"


def _aware(ts: datetime) -> datetime:
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)


def created_flag(
    created: str,
    *,
    enrolled_at: datetime,
    received_at: datetime,
    tolerance: timedelta = TOLERANCE,
) -> str | None:
    """``"before_enrollment"``, ``"future"``, ``"invalid"`` or None (plausible).

    ``created`` is the header's ISO 8601 time with offset (its form is checked
    by the envelope parser, its values here).
    """
    try:
        when = datetime.fromisoformat(created.replace("Z", "+00:00"))
    except ValueError:
        return INVALID
    when = _aware(when)
    if when < _aware(enrolled_at) - tolerance:
        return BEFORE_ENROLLMENT
    if when > _aware(received_at) + tolerance:
        return FUTURE
    return None
