"""Date arithmetic of the rules: age in completed years."""

from __future__ import annotations

from datetime import date


def age_on(birth_date: date, on: date) -> int:
    """Age in completed years on the day ``on``.

    A person born on 29 February completes a year at the end of 28 February in
    common years (§ 187 Abs. 2, § 188 Abs. 2 and 3 BGB), i.e. is one year older
    from 1 March on. Comparing (month, day) pairs gives exactly that.
    """
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
