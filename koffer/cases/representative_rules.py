"""Legal representatives of an applicant (PAuswG § 9 Abs. 1–2, PassG § 6 Abs. 1 S. 6).

- Personalausweis under 16 and Reisepass under 18: only the sorgeberechtigte
  person (or a Betreuer determining residence) applies; an application
  without a representative is refused.
- The register keeps the representative's Familienname, Vornamen, Tag der
  Geburt and Unterschrift (PAuswG § 23 Abs. 3 Nr. 10, PassG § 21 Abs. 2 Nr. 13);
  the identity document the representative showed is recorded too.
- Custody (gemeinsam / allein) is recorded. Whether one of two joint holders
  suffices is not settled ([unverified]): by default the other holder's
  consent must be recorded when only one appears (``joint_custody_consent``).
"""

from __future__ import annotations

from koffer.cases.dates import age_on
from koffer.cases.enums import Custody
from koffer.cases.findings import Collector
from koffer.cases.model import DocumentApplication

__all__ = ["REPRESENTATIVE_MIN_AGE", "check_representatives"]

#: a representative must be of age
REPRESENTATIVE_MIN_AGE = 18


def check_representatives(
    c: Collector,
    app: DocumentApplication,
    *,
    under: int,
    law: str,
    law_en: str,
) -> None:
    """Findings for ``app.legal_representatives`` of an applicant who needs them below ``under``.

    :param law: the paragraph, e.g. "§ 9 Abs. 2 PAuswG", named in the finding
    """
    on = app.application_date
    age = age_on(app.person.birth_date, on)
    reps = app.legal_representatives
    if age < under and not reps:
        c.error(
            "legal_representatives",
            f"Für Personen unter {under} Jahren stellen die Sorgeberechtigten den Antrag "
            f"({law}). Bitte erfassen Sie die gesetzliche Vertretung (Name, Geburtsdatum, "
            "Ausweis und Unterschrift).",
            f"For persons under {under} the persons with custody apply ({law_en}). Please "
            "enter the legal representative (name, date of birth, ID document and signature).",
        )
        return
    for i, rep in enumerate(reps):
        p = f"legal_representatives[{i}]"
        c.text(f"{p}.family_name", rep.family_name, "A", required=True)
        if not rep.given_names:
            c.error(
                f"{p}.given_names",
                "Bitte geben Sie die Vornamen der gesetzlichen Vertretung ein.",
                "Please enter the legal representative's given names.",
            )
        for j, name in enumerate(rep.given_names):
            c.text(f"{p}.given_names[{j}]", name, "A", required=True)
        c.text(f"{p}.doctoral_degree", rep.doctoral_degree, "A")
        if rep.birth_date > on or age_on(rep.birth_date, on) < REPRESENTATIVE_MIN_AGE:
            c.error(
                f"{p}.birth_date",
                "Die gesetzliche Vertretung muss volljährig sein. Bitte prüfen Sie das "
                "Geburtsdatum.",
                "The legal representative must be of age. Please check the date of birth.",
            )
        if rep.id_document_kind is None or not (rep.id_document_serial or "").strip():
            c.error(
                f"{p}.id_document_serial",
                "Bitte erfassen Sie das Ausweisdokument der gesetzlichen Vertretung (Art und "
                "Seriennummer).",
                "Please enter the legal representative's ID document (kind and serial number).",
            )
        c.text(f"{p}.id_document_serial", rep.id_document_serial, "B")
        for j, name in enumerate(rep.signature_attachments):
            c.attachment(f"{p}.signature_attachments[{j}]", name)
        if not rep.signature_attachments:
            c.error(
                f"{p}.signature_attachments",
                "Die Unterschrift der gesetzlichen Vertretung fehlt. Bitte lassen Sie sie auf "
                "dem Unterschriftenfeld unterschreiben.",
                "The legal representative's signature is missing. Please let them sign on the "
                "signature pad.",
            )
    if not reps:
        return
    if app.custody is None:
        c.error(
            "custody",
            "Bitte geben Sie an, ob die elterliche Sorge gemeinsam oder allein ausgeübt wird.",
            "Please state whether custody is joint or sole.",
        )
    elif (
        app.custody is Custody.JOINT
        and len(reps) < 2
        and not app.other_parent_consent
        and c.settings.joint_custody_consent
    ):
        c.error(
            "other_parent_consent",
            "Bei gemeinsamer Sorge muss der andere Elternteil zustimmen. Bitte lassen Sie die "
            "Zustimmung vorlegen oder erfassen Sie beide Elternteile.",
            "With joint custody the other parent must consent. Please have the consent shown "
            "or enter both parents.",
        )
    elif app.custody is Custody.SOLE and len(reps) > 1:
        c.error(
            "custody",
            "Bei alleiniger Sorge stellt eine Person den Antrag. Bitte prüfen Sie die Angaben "
            "zur Sorge.",
            "With sole custody one person applies. Please check the custody details.",
        )
