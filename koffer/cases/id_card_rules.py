"""Rules of a Personalausweis application (PAuswG, PAuswV): photo, fingerprints, delivery, fee.

Photo and fingerprint checks are shared with the Reisepass
(:mod:`~koffer.cases.passport_rules`); under 16 a legal representative must
apply (PAuswG § 9 Abs. 2, :mod:`~koffer.cases.representative_rules`).
"""

from __future__ import annotations

from koffer.cases.dates import age_on
from koffer.cases.enums import (
    Delivery,
    DwellingStatus,
    ExemptionReason,
    FingerCode,
    Hand,
    PhotoSource,
)
from koffer.cases.findings import Collector
from koffer.cases.id_card import fee, finger_substitution_order
from koffer.cases.model import DocumentApplication, IdCardApplication
from koffer.cases.person_rules import check_dwelling, check_person
from koffer.cases.representative_rules import check_representatives
from koffer.errors import ValidationError

#: below this age the sorgeberechtigte person applies (PAuswG § 9 Abs. 2)
REPRESENTATIVE_UNDER = 16

# ------------------------------------------------------------ ID card


def check_photo(c: Collector, app: DocumentApplication) -> None:
    """The Lichtbild of a Personalausweis or Reisepass application."""
    photo = app.photo
    if photo is None:
        c.error(
            "photo",
            "Es fehlt ein Lichtbild. Bitte nehmen Sie ein Foto auf oder scannen Sie den Code "
            "des Fotostudios.",
            "A photo is missing. Please take a photo or scan the photo studio's code.",
        )
        return
    if photo.attachment is not None:
        c.attachment("photo.attachment", photo.attachment)
    if photo.source is PhotoSource.AUTHORITY_CAPTURE and not photo.attachment:
        c.error(
            "photo.attachment",
            "Das Lichtbild wurde noch nicht aufgenommen. Bitte nehmen Sie das Foto auf.",
            "The photo has not been taken yet. Please take the photo.",
        )
    if photo.source is PhotoSource.PROVIDER_CLOUD_CODE and not (
        (photo.cloud_code or "").strip() or photo.attachment
    ):
        c.error(
            "photo.cloud_code",
            "Bitte scannen Sie den Lichtbild-Code (DataMatrix) des Fotostudios.",
            "Please scan the photo studio's photo code (DataMatrix).",
        )
    c.text("photo.cloud_code", photo.cloud_code, "B")


def check_fingerprints(c: Collector, app: DocumentApplication, age: int) -> None:
    """Fingerprints of a Personalausweis or Reisepass application (same rules)."""
    s = c.settings
    prints = app.fingerprints
    global_reasons = {e.reason for e in app.fingerprint_exemptions if e.finger is None}
    if age < s.fingerprint_min_age:
        if prints:
            c.error(
                "fingerprints",
                f"Von Kindern unter {s.fingerprint_min_age} Jahren werden keine "
                "Fingerabdrücke genommen. Bitte löschen Sie die Fingerabdrücke.",
                f"No fingerprints are taken from children under {s.fingerprint_min_age}. "
                "Please delete the fingerprints.",
            )
        return
    if ExemptionReason.UNDER_AGE in global_reasons:
        c.error(
            "fingerprint_exemptions",
            f"Die antragstellende Person ist {s.fingerprint_min_age} Jahre oder älter; die "
            "Befreiung wegen des Alters gilt nicht.",
            f"The applicant is {s.fingerprint_min_age} or older; the age exemption does not apply.",
        )
    if len(prints) > 2:
        c.error(
            "fingerprints",
            "Es werden höchstens zwei Fingerabdrücke gespeichert (je einer pro Hand).",
            "At most two fingerprints are stored (one per hand).",
        )
    skipped = {
        e.finger
        for e in app.fingerprint_exemptions
        if e.finger is not None
        and e.reason in (ExemptionReason.MISSING, ExemptionReason.INJURED, ExemptionReason.QUALITY)
    }
    hands_done: set[Hand] = set()
    for i, record in enumerate(prints):
        p = f"fingerprints[{i}]"
        finger = record.finger
        if finger.is_little:
            c.error(
                f"{p}.finger",
                "Kleine Finger werden nicht erfasst. Bitte verwenden Sie Zeigefinger, Daumen, "
                "Mittel- oder Ringfinger.",
                "Little fingers are not captured. Please use the index finger, thumb, middle "
                "or ring finger.",
            )
            continue
        if finger.hand in hands_done:
            c.error(
                f"{p}.finger",
                "Je Hand wird nur ein Fingerabdruck gespeichert.",
                "Only one fingerprint per hand is stored.",
            )
        hands_done.add(finger.hand)
        order = finger_substitution_order(finger.hand)
        missing_reason = [f for f in order[: order.index(finger)] if f not in skipped]
        if missing_reason:
            first = missing_reason[0]
            c.error(
                f"{p}.finger",
                f"Statt des Fingers „{finger.label}“ ist zuerst der Finger „{first.label}“ zu "
                "erfassen (Reihenfolge Zeigefinger, Daumen, Mittelfinger, Ringfinger). Bitte "
                "erfassen Sie ihn oder geben Sie den Grund an, warum das nicht geht.",
                f"Instead of the {finger.label_en}, the {first.label_en} must be captured first "
                "(order index, thumb, middle, ring finger). Please capture it or give the "
                "reason why that is not possible.",
            )
        n = len(record.qualities)
        if not 1 <= n <= s.max_captures_per_finger:
            c.error(
                f"{p}.qualities",
                f"Je Finger sind 1 bis {s.max_captures_per_finger} Aufnahmen vorgesehen.",
                f"1 to {s.max_captures_per_finger} captures per finger are expected.",
            )
        elif any(not 0 <= q <= 100 for q in record.qualities):
            c.error(
                f"{p}.qualities",
                "Ein Qualitätswert liegt außerhalb von 0 bis 100. Bitte erfassen Sie den "
                "Finger erneut.",
                "A quality score lies outside 0 to 100. Please capture the finger again.",
            )
        elif not 0 <= record.kept_index < n or record.qualities[record.kept_index] != max(
            record.qualities
        ):
            c.error(
                f"{p}.kept_index",
                "Es muss die beste der Aufnahmen gespeichert werden. Bitte erfassen Sie den "
                "Finger erneut.",
                "The best capture must be kept. Please capture the finger again.",
            )
        c.attachment(f"{p}.attachment", record.attachment)
    whole = global_reasons & {ExemptionReason.TEMPORARY, ExemptionReason.PERMANENT}
    for hand in (Hand.LEFT, Hand.RIGHT):
        if hand in hands_done or whole:
            continue
        if not all(f in skipped for f in finger_substitution_order(hand)):
            target: FingerCode = finger_substitution_order(hand)[0]
            c.error(
                "fingerprints",
                f"Der Fingerabdruck „{target.label}“ fehlt. Bitte erfassen Sie ihn, einen "
                "Ersatzfinger oder geben Sie den Grund an.",
                f"The fingerprint '{target.label_en}' is missing. Please capture it or a "
                "substitute finger, or give the reason.",
            )
    if ExemptionReason.TEMPORARY in global_reasons and not app.provisional:
        passport = not isinstance(app, IdCardApplication)
        c.warning(
            "fingerprint_exemptions",
            "Fingerabdrücke sind vorübergehend nicht möglich: Bitte verschieben Sie den Antrag "
            "oder stellen Sie einen "
            + ("vorläufigen Reisepass" if passport else "vorläufigen Personalausweis")
            + " aus.",
            "Fingerprints are temporarily impossible: please postpone the application or "
            "issue a " + ("provisional passport." if passport else "provisional ID card."),
        )


def _check_delivery(c: Collector, app: IdCardApplication, age: int) -> None:
    if app.delivery is not Delivery.DIRECT_DELIVERY:
        return
    s = c.settings
    problems: list[tuple[str, str, str]] = []
    if age < s.direct_delivery_min_age:
        problems.append(
            (
                "delivery",
                f"Direktversand ist erst ab {s.direct_delivery_min_age} Jahren möglich.",
                f"Direct delivery is only possible from age {s.direct_delivery_min_age}.",
            )
        )
    address = app.address
    target = app.delivery_address or address
    if (
        address is None
        or target is None
        or address.status is DwellingStatus.NEBEN
        or not target.same_address(address)
    ):
        problems.append(
            (
                "delivery_address",
                "Direktversand ist nur an die Hauptwohnung möglich.",
                "Direct delivery is only possible to the main residence.",
            )
        )
    if not app.second_id_present:
        problems.append(
            (
                "second_id_present",
                "Für den Direktversand muss ein zweites gültiges Ausweisdokument vorgelegt "
                "werden, weil der alte Ausweis bei Antragstellung entwertet wird.",
                "Direct delivery needs a second valid ID document, because the old card is "
                "invalidated at application.",
            )
        )
    if app.express:
        problems.append(
            (
                "express",
                "Direktversand ist im Expressverfahren nicht möglich.",
                "Direct delivery is not possible for express orders.",
            )
        )
    if not app.applicant_in_person:
        problems.append(
            (
                "applicant_in_person",
                "Direktversand ist nur möglich, wenn die Person den Antrag selbst stellt.",
                "Direct delivery is only possible when the applicant applies in person.",
            )
        )
    if app.provisional:
        problems.append(
            (
                "provisional",
                "Ein vorläufiger Personalausweis wird sofort ausgehändigt und nicht versandt.",
                "A provisional ID card is handed over at once and not sent.",
            )
        )
    for path, de, en in problems:
        c.error(path, f"{de} Bitte wählen Sie Abholung.", f"{en} Please choose pick-up.")


def check_document_application(c: Collector, app: DocumentApplication) -> int:
    """What a Personalausweis and a Reisepass application share: the date, the
    person, the addresses, photo, fingerprints and signature files. Returns the
    applicant's age on the application date."""
    on = app.application_date
    if on > c.today:
        c.error(
            "application_date",
            "Das Antragsdatum liegt in der Zukunft. Bitte prüfen Sie das Datum.",
            "The application date lies in the future. Please check the date.",
        )
    check_person(c, "person", app.person, on)
    age = age_on(app.person.birth_date, on)
    if app.address is None:
        c.error(
            "address",
            "Bitte erfassen Sie die Anschrift (Hauptwohnung).",
            "Please enter the address (main residence).",
        )
    else:
        check_dwelling(c, "address", app.address)
    if app.delivery_address is not None:
        check_dwelling(c, "delivery_address", app.delivery_address)
    check_photo(c, app)
    check_fingerprints(c, app, age)
    for i, name in enumerate(app.signature_attachments):
        c.attachment(f"signature_attachments[{i}]", name)
    return age


def check_id_card(c: Collector, app: IdCardApplication) -> None:
    s = c.settings
    on = app.application_date
    age = check_document_application(c, app)
    if age >= s.signature_min_age and not app.signature_attachments:
        c.error(
            "signature_attachments",
            "Die Unterschrift fehlt. Bitte lassen Sie die antragstellende Person auf dem "
            "Unterschriftenfeld unterschreiben.",
            "The signature is missing. Please let the applicant sign on the signature pad.",
        )
    if app.height_cm is not None and not 40 <= app.height_cm <= 250:
        c.error(
            "height_cm",
            "Die Größe muss zwischen 40 und 250 cm liegen.",
            "The height must be between 40 and 250 cm.",
        )
    c.text("eye_color", app.eye_color, "B")
    _check_delivery(c, app, age)
    if app.pin_letter_handed_out and not (app.pin_letter_number or "").strip():
        c.error(
            "pin_letter_number",
            "Bitte tragen Sie die Nummer des ausgehändigten PIN-Briefs ein.",
            "Please enter the number of the PIN letter handed out.",
        )
    c.text("pin_letter_number", app.pin_letter_number, "B")
    if not app.pin_letter_handed_out:
        c.warning(
            "pin_letter_handed_out",
            "Der PIN-Brief wurde noch nicht ausgehändigt. Er wird bei der Antragstellung "
            "übergeben.",
            "The PIN letter has not been handed out yet. It is handed over at application.",
        )
    for i, cert in enumerate(app.device_certificates):
        c.text(f"device_certificates[{i}]", cert, "B", required=True)
    c.text("remarks", app.remarks, "C")
    check_representatives(
        c, app, under=REPRESENTATIVE_UNDER, law="§ 9 Abs. 2 PAuswG", law_en="§ 9 (2) PAuswG"
    )
    if app.fee_amount is not None:
        try:
            expected = fee(
                on,
                app.person.birth_date,
                direct_delivery=app.direct_delivery,
                authority_photo=app.authority_photo,
                outside_hours_surcharge=app.outside_hours_surcharge,
                provisional=app.provisional,
            )
        except ValidationError:
            return  # reported by the delivery rules
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
