"""The legal rules of a case (BMG, PAuswG, PAuswV, PassG, PassV, DIN 91379).

:func:`check` returns every finding (errors block, warnings inform);
:func:`ensure_valid` raises :class:`RuleViolation` with the first error. The
checks themselves are in :mod:`~koffer.cases.person_rules` (persons,
dwellings), :mod:`~koffer.cases.registration_rules` and
:mod:`~koffer.cases.id_card_rules`; findings in :mod:`~koffer.cases.findings`.

Summary of the rules (details in the domain page):

- every name field is DIN 91379 type A, every address/place field type B,
  free text type C;
- Anmeldung / Wechsel der Hauptwohnung more than ``late_registration_days``
  after the move: **warning** (Ordnungswidrigkeit), never a refusal;
- Anmeldung needs a Wohnungsgeberbestätigung (the four § 19 Abs. 3 BMG items)
  or its Zuordnungsmerkmal;
- Abmeldung only without a new domestic dwelling or for a Nebenwohnung, and not
  earlier than ``abmeldung_earliest_days`` before the Auszug;
- persons under 16 are registered by an adult of the same case (the signer);
- a dwelling that is not the alleinige Wohnung needs all other dwellings listed,
  with exactly one Hauptwohnung;
- Personalausweis: no fingerprints under 6; one print per hand, finger order
  index → thumb → middle → ring, never the little finger, skipped fingers need a
  reason; at most 3 captures, the best kept; Direktversand from 16, to the
  Hauptwohnung, with a second ID, not express, not by a representative; signature
  from ``signature_min_age`` (configurable, [unverified]);
- Reisepass (:mod:`~koffer.cases.passport_rules`): the same photo and
  fingerprint rules, signature from 10, Direktversand with second photo ID,
  consent and notice e-mail, the old passport entwertet unless it holds visas;
- legal representatives (:mod:`~koffer.cases.representative_rules`): a
  Personalausweis under 16 or a Reisepass under 18 without one is refused.
"""

from __future__ import annotations

from datetime import date

from koffer.cases.findings import Collector, Finding, RuleViolation
from koffer.cases.id_card_rules import check_id_card
from koffer.cases.model import Case, IdCardApplication, PassportApplication
from koffer.cases.passport_rules import check_passport
from koffer.cases.registration_rules import check_registration
from koffer.cases.settings import RuleSettings

__all__ = ["Finding", "RuleSettings", "RuleViolation", "check", "ensure_valid"]


def check(case: Case, today: date, settings: RuleSettings | None = None) -> list[Finding]:
    """Every finding for ``case`` on the day ``today`` (errors first, then warnings)."""
    c = Collector(today=today, settings=settings or RuleSettings())
    if isinstance(case, IdCardApplication):
        check_id_card(c, case)
    elif isinstance(case, PassportApplication):
        check_passport(c, case)
    else:
        check_registration(c, case)
    errors = [f for f in c.findings if f.severity == "error"]
    warnings = [f for f in c.findings if f.severity == "warning"]
    return errors + warnings


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def ensure_valid(case: Case, today: date, settings: RuleSettings | None = None) -> list[Finding]:
    """Raise :class:`RuleViolation` (a ``ValidationError``) at the first error.

    Returns the warnings when there is no error.
    """
    findings = check(case, today, settings)
    found = errors(findings)
    if found:
        raise RuleViolation(found[0], findings)
    return findings
