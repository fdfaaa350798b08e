"""Rules of a Reisepass application (PassG, PassV): who applies, options, delivery, fee.

Photo and fingerprints follow the same rules as the Personalausweis
(:func:`~koffer.cases.id_card_rules.check_photo`,
:func:`~koffer.cases.id_card_rules.check_fingerprints`: none under 6). Beyond
them, from the ordinance text (domain page "Reisepass"):

- the child signs from 10 (PassG § 4 Abs. 4a);
- under 18 the sorgeberechtigte person applies (PassG § 6 Abs. 1 S. 6);
- an applicant who cannot appear in person gets only a vorläufiger
  Reisepass (§ 6 Abs. 1 S. 8);
- a vorläufiger Reisepass has 32 pages, no express and no Direktversand;
- Direktversand (PassV § 17 Abs. 2–3): a second valid photo ID shown, the
  applicant's consent, a deliverable domestic address and an e-mail address
  for the notice; the age limits, "Hauptwohnung only" and "no express" of
  some municipalities are practice, not law, and are not applied here;
- the old passport is entwertet at application unless it holds valid foreign
  visas (recorded);
- the fee is :func:`koffer.cases.passport.fee`; a waiver for a needy person
  (PassV § 28) is a recorded decision with its reason.
"""

from __future__ import annotations

import re

from koffer.cases.findings import Collector
from koffer.cases.id_card_rules import check_document_application
from koffer.cases.model import PassportApplication
from koffer.cases.passport import ADULT_AGE, fee, signature_required
from koffer.cases.representative_rules import check_representatives
from koffer.errors import ValidationError

__all__ = ["check_passport"]

_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}")


def _check_options(c: Collector, app: PassportApplication) -> None:
    if not app.applicant_in_person and not app.provisional:
        c.error(
            "applicant_in_person",
            "Wer nicht persönlich erscheinen kann, kann nur einen vorläufigen Reisepass "
            "beantragen (§ 6 Abs. 1 PassG). Bitte wählen Sie „Vorläufiger Reisepass“.",
            "An applicant who cannot appear in person can only apply for a provisional "
            "passport (§ 6 (1) PassG). Please choose 'provisional passport'.",
        )
    if app.provisional and (app.pages_48 or app.express):
        c.error(
            "provisional",
            "Einen vorläufigen Reisepass gibt es nur mit 32 Seiten und ohne Expressverfahren. "
            "Bitte wählen Sie die Zusatzoptionen ab.",
            "A provisional passport has 32 pages and no express option. Please clear the add-ons.",
        )
    if app.old_passport_presented and not (
        app.old_passport_invalidated or app.old_passport_valid_visas
    ):
        c.error(
            "old_passport_invalidated",
            "Der bisherige Reisepass wird bei der Antragstellung entwertet, außer er enthält "
            "noch gültige ausländische Visa. Bitte entwerten Sie ihn oder vermerken Sie die "
            "Visa.",
            "The previous passport is invalidated at application unless it holds valid "
            "foreign visas. Please invalidate it or record the visas.",
        )


def _check_delivery(c: Collector, app: PassportApplication) -> None:
    if not app.direct_delivery:
        return
    problems: list[tuple[str, str, str]] = []
    if app.provisional:
        problems.append(
            (
                "provisional",
                "Ein vorläufiger Reisepass wird von der Behörde ausgehändigt und nicht versandt.",
                "A provisional passport is handed over by the authority and not sent.",
            )
        )
    address = app.address
    target = app.delivery_address or address
    if address is None or target is None or not target.same_address(address):
        problems.append(
            (
                "delivery_address",
                "Direktversand ist nur an die gemeldete Anschrift im Inland möglich.",
                "Direct delivery is only possible to the registered address in Germany.",
            )
        )
    if not app.second_id_present:
        problems.append(
            (
                "second_id_present",
                "Für den Direktversand muss ein zweiter gültiger Lichtbildausweis vorgelegt "
                "werden (§ 17 Abs. 2 PassV).",
                "Direct delivery needs a second valid photo ID (§ 17 (2) PassV).",
            )
        )
    if not app.direct_delivery_consent:
        problems.append(
            (
                "direct_delivery_consent",
                "Für den Direktversand ist die Einwilligung der antragstellenden Person nötig.",
                "Direct delivery needs the applicant's consent.",
            )
        )
    email = (app.notice_email or "").strip()
    if not _EMAIL.fullmatch(email):
        problems.append(
            (
                "notice_email",
                "Für die Versandmitteilung ist eine gültige E-Mail-Adresse nötig.",
                "A valid e-mail address is needed for the delivery notice.",
            )
        )
    for path, de, en in problems:
        c.error(path, f"{de} Bitte wählen Sie Abholung.", f"{en} Please choose pick-up.")


def _check_fee(c: Collector, app: PassportApplication) -> None:
    if app.fee_waived and not (app.fee_waiver_reason or "").strip():
        c.error(
            "fee_waiver_reason",
            "Bitte geben Sie den Grund für die Ermäßigung oder Befreiung an (§ 28 PassV).",
            "Please give the reason for the reduction or waiver (§ 28 PassV).",
        )
    c.text("fee_waiver_reason", app.fee_waiver_reason, "C")
    if app.fee_amount is None:
        return
    try:
        expected = fee(
            app.application_date,
            app.person.birth_date,
            pages_48=app.pages_48,
            express=app.express,
            provisional=app.provisional,
            direct_delivery=app.direct_delivery,
            authority_photo=app.authority_photo,
            outside_hours_surcharge=app.outside_hours_surcharge,
            non_competent_authority=app.non_competent_authority,
            rules=app.fee_rules,
        )
    except ValidationError:
        return  # reported by the option and delivery rules
    if app.fee_amount < 0 or (
        app.fee_amount > expected if app.fee_waived else app.fee_amount != expected
    ):
        c.error(
            "fee_amount",
            f"Die erfasste Gebühr stimmt nicht mit der Gebührenordnung überein "
            f"({expected} EUR). Bitte berechnen Sie die Gebühr neu.",
            f"The recorded fee does not match the fee schedule ({expected} EUR). "
            "Please recompute the fee.",
        )


def check_passport(c: Collector, app: PassportApplication) -> None:
    """Every finding of a Reisepass application."""
    on = app.application_date
    check_document_application(c, app)
    if signature_required(on, app.person.birth_date) and not app.signature_attachments:
        c.error(
            "signature_attachments",
            "Die Unterschrift fehlt. Ab 10 Jahren unterschreibt die antragstellende Person "
            "selbst. Bitte lassen Sie sie auf dem Unterschriftenfeld unterschreiben.",
            "The signature is missing. From 10 the applicant signs. Please let them sign on "
            "the signature pad.",
        )
    if app.height_cm is not None and not 40 <= app.height_cm <= 250:
        c.error(
            "height_cm",
            "Die Größe muss zwischen 40 und 250 cm liegen.",
            "The height must be between 40 and 250 cm.",
        )
    c.text("eye_color", app.eye_color, "B")
    _check_options(c, app)
    _check_delivery(c, app)
    check_representatives(c, app, under=ADULT_AGE, law="§ 6 Abs. 1 PassG", law_en="§ 6 (1) PassG")
    for i, cert in enumerate(app.device_certificates):
        c.text(f"device_certificates[{i}]", cert, "B", required=True)
    c.text("remarks", app.remarks, "C")
    _check_fee(c, app)
