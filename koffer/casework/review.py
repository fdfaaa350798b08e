"""The review of a case before completion: summary, findings, image thumbnails.

No Qt here. :func:`load_for_review` blocks (store, image decoding): the kiosk
calls it through ``KioskController.run_in_store``. The review of a
Personalausweis application also carries the captured images (photo,
fingerprints, signature) as small decoded RGB thumbnails
(:class:`ReviewImage`), built in memory only: nothing is written to disk.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from PIL import Image

from koffer.cases import (
    Case,
    DocumentApplication,
    Dwelling,
    Finding,
    FingerCode,
    IdCardApplication,
    PassportApplication,
    Person,
    PhotoSource,
)
from koffer.cases.countries import nationality_word
from koffer.cases.household import household_rows
from koffer.casework.case_store import load_attachment
from koffer.casework.completion import to_domain
from koffer.documents.labels import ID_DOCUMENT, ID_DOCUMENT_EN
from koffer.errors import KofferError

if TYPE_CHECKING:
    from koffer.casework.case_store import CaseStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReviewImage:
    """One captured image as the citizen sees it: a small RGB thumbnail, or why not.

    :ivar kind: ``"photo"``, ``"fingerprint"`` or ``"signature"``
    :ivar attachment: the attachment's name (not personal), e.g. ``"fingerprint-7.wsq"``
    :ivar finger: the finger of a fingerprint
    :ivar width: thumbnail width in pixels (0 without an image)
    :ivar height: thumbnail height in pixels (0 without an image)
    :ivar rgb: ``width * height * 3`` bytes, rows top to bottom (memory only)
    :ivar problem: ``""`` (shown), ``"missing"`` (not stored), ``"unreadable"``
        (damaged or undecodable) or ``"cloud"`` (photo comes with the provider's code)
    """

    kind: str
    attachment: str = ""
    finger: FingerCode | None = None
    width: int = 0
    height: int = 0
    rgb: bytes = field(default=b"", repr=False)
    problem: str = ""

    @property
    def shown(self) -> bool:
        return not self.problem and self.width > 0 and self.height > 0


@dataclass(frozen=True)
class ReviewData:
    """What the review screen shows: the case, its findings and the summary."""

    case_id: str
    case_number: str
    case_type: str
    case: Case | None
    findings: list[Finding]
    sections: list[Section]
    images: tuple[ReviewImage, ...] = ()

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)


def _d(value: date | None) -> str:
    return "–" if value is None else f"{value:%d.%m.%Y}"


_STATUS = {"alleinige": "alleinige Wohnung", "haupt": "Hauptwohnung", "neben": "Nebenwohnung"}
_STATUS_EN = {"alleinige": "sole dwelling", "haupt": "main residence", "neben": "secondary"}
_SEX = {"m": "männlich", "w": "weiblich", "d": "divers", "x": "ohne Angabe"}
_SEX_EN = {"m": "male", "w": "female", "d": "diverse", "x": "not stated"}


def _t(de: str, en: str, language: str) -> str:
    return en if language == "en" else de


def _dwelling_line(d: Dwelling, language: str) -> str:
    status = (_STATUS_EN if language == "en" else _STATUS).get(d.status.value, d.status.value)
    return f"{d.one_line()} ({status})"


def _person_rows(
    person: Person, language: str, household: list[tuple[str, str]] | None = None
) -> list[tuple[str, str]]:
    def t(de: str, en: str) -> str:
        return _t(de, en, language)

    rows = [
        (t("Familienname", "Family name"), person.family_name),
        (t("Vornamen", "Given names"), " ".join(person.given_names) or "–"),
    ]
    if person.birth_name:
        rows.append((t("Geburtsname", "Birth name"), person.birth_name))
    if person.doctoral_degree:
        rows.append((t("Doktorgrad", "Doctoral degree"), person.doctoral_degree))
    rows += [
        (t("Geburtsdatum", "Date of birth"), _d(person.birth_date)),
        (t("Geburtsort", "Place of birth"), person.birth_place),
        (
            t("Geschlecht", "Sex"),
            (_SEX_EN if language == "en" else _SEX).get(person.sex.value, ""),
        ),
        (
            t("Staatsangehörigkeit", "Nationality"),
            ", ".join(nationality_word(code, language) for code in person.nationalities),
        ),
    ]
    for objection in person.transfer_objections:
        rows.append(
            (
                t("Widerspruch", "Objection"),
                objection.label_en if language == "en" else objection.label,
            )
        )
    rows += household or []
    for doc in person.id_documents:
        kind = (ID_DOCUMENT_EN if language == "en" else ID_DOCUMENT)[doc.kind]
        rows.append(
            (
                t("Ausweisdokument", "ID document"),
                f"{kind} {t('Nr.', 'no.')} {doc.serial}, {doc.authority}, "
                + t(
                    "gültig bis ",
                    "valid until ",
                )
                + _d(doc.expires),
            )
        )
    return rows


def _document(case: DocumentApplication, language: str) -> str:
    passport = isinstance(case, PassportApplication)
    words = (
        ("Reisepass", "passport", "Vorläufiger Reisepass", "provisional passport")
        if passport
        else ("Personalausweis", "identity card", "Vorläufiger Personalausweis", "provisional ID")
    )
    text = _t(words[2], words[3], language) if case.provisional else _t(*words[:2], language)
    extras = []
    if isinstance(case, PassportApplication) and case.pages_48:
        extras.append(_t("48 Seiten", "48 pages", language))
    if case.express:
        extras.append(_t("Expressverfahren", "express", language))
    return text + (f" ({', '.join(extras)})" if extras else "")


def _representative_sections(case: DocumentApplication, language: str) -> list[Section]:
    """One section per gesetzlicher Vertreter, with the custody line on the first."""
    sections = []
    custody = {"gemeinsam": ("gemeinsam", "joint"), "allein": ("allein", "sole")}
    for index, rep in enumerate(case.legal_representatives):
        rows = [
            (_t("Familienname", "Family name", language), rep.family_name),
            (_t("Vornamen", "Given names", language), " ".join(rep.given_names) or "–"),
            (_t("Geburtsdatum", "Date of birth", language), _d(rep.birth_date)),
            (
                _t("Verhältnis", "Relationship", language),
                rep.relationship.label_en if language == "en" else rep.relationship.label,
            ),
        ]
        if rep.id_document_kind is not None:
            kind = (ID_DOCUMENT_EN if language == "en" else ID_DOCUMENT)[rep.id_document_kind]
            rows.append(
                (_t("Ausweis", "ID document", language), f"{kind} {rep.id_document_serial}")
            )
        if index == 0 and case.custody is not None:
            rows.append(
                (_t("Sorge", "Custody", language), _t(*custody[case.custody.value], language))
            )
            if case.other_parent_consent:
                rows.append(
                    (
                        _t("Zustimmung", "Consent", language),
                        _t("des anderen Elternteils liegt vor", "of the other parent", language),
                    )
                )
        title = _t("Gesetzliche Vertretung", "Legal representative", language)
        sections.append(Section(f"{title} {index + 1}", rows))
    return sections


def summary(case: Case, language: str = "de") -> list[Section]:
    """Exactly what the citizen confirms, as titled sections of (label, value) rows."""

    def t(de: str, en: str) -> str:
        return _t(de, en, language)

    sections: list[Section] = []
    if isinstance(case, IdCardApplication | PassportApplication):
        sections.append(
            Section(t("Antragstellende Person", "Applicant"), _person_rows(case.person, language))
        )
        sections.extend(_representative_sections(case, language))
        rows: list[tuple[str, str]] = [(t("Dokument", "Document"), _document(case, language))]
        if case.address is not None:
            rows.append((t("Anschrift", "Address"), case.address.one_line()))
        if case.height_cm:
            rows.append((t("Größe", "Height"), f"{case.height_cm} cm"))
        if case.eye_color:
            rows.append((t("Augenfarbe", "Eye colour"), case.eye_color))
        rows.append(
            (
                t("Zustellung", "Delivery"),
                t("Direktversand", "direct delivery")
                if case.direct_delivery
                else t("Abholung", "pick-up"),
            )
        )
        if case.fee_amount is not None:
            amount = f"{case.fee_amount:.2f}"
            if language != "en":
                amount = amount.replace(".", ",")
            rows.append((t("Gebühr", "Fee"), f"{amount} EUR"))
        sections.append(Section(t("Antrag", "Application"), rows))
        return sections
    count = len(case.persons)
    for index, person in enumerate(case.persons):
        title = t("Person %1 von %2", "Person %1 of %2").replace("%1", str(index + 1))
        rows = _person_rows(person, language, household_rows(case.persons, index, language))
        sections.append(Section(title.replace("%2", str(count)), rows))
    rows = []
    if case.new_dwelling is not None:
        rows.append(
            (t("Neue Wohnung", "New dwelling"), _dwelling_line(case.new_dwelling, language))
        )
    if case.move_in_date is not None:
        rows.append((t("Einzugsdatum", "Move-in date"), _d(case.move_in_date)))
    if case.previous_dwelling is not None:
        label = (
            t("Aufgegebene Wohnung", "Dwelling given up")
            if case.case_type.value == "abmeldung"
            else t("Bisherige Wohnung", "Previous dwelling")
        )
        rows.append((label, _dwelling_line(case.previous_dwelling, language)))
    if case.move_out_date is not None:
        rows.append((t("Auszugsdatum", "Move-out date"), _d(case.move_out_date)))
    for other in case.other_dwellings:
        rows.append((t("Weitere Wohnung", "Other dwelling"), _dwelling_line(other, language)))
    lc = case.landlord_confirmation
    if lc is not None:
        value = (
            t("Zuordnungsmerkmal ", "assignment code ") + lc.assignment_code
            if lc.assignment_code
            else (lc.landlord_name or "–")
        )
        rows.append((t("Wohnungsgeberbestätigung", "Landlord's confirmation"), value))
    rows.append((t("Datum der Meldung", "Date of registration"), _d(case.registration_date)))
    signer = case.signer
    if signer is not None:
        rows.append(
            (
                t("Unterschrift", "Signature"),
                " ".join([*signer.given_names, signer.family_name]),
            )
        )
    sections.append(Section(t("Wohnung und Daten", "Dwelling and dates"), rows))
    return sections


#: the box each kind of thumbnail is scaled into (width, height; aspect kept)
THUMBNAIL_BOX: dict[str, tuple[int, int]] = {
    "photo": (172, 220),  # cut to the 35:45 portrait the photo step previewed
    "fingerprint": (180, 220),
    "signature": (360, 220),
}


#: passport photo aspect (width : height), as the photo step's preview cuts it
PHOTO_ASPECT = (35, 45)


def centre_crop(size: tuple[int, int], aspect: tuple[int, int]) -> tuple[int, int, int, int]:
    """The largest ``aspect`` box centred in ``size``: (left, top, right, bottom)."""
    width, height = size
    aw, ah = aspect
    if width * ah > height * aw:
        cw, ch = height * aw // ah, height
    else:
        cw, ch = width, width * ah // aw
    left, top = (width - cw) // 2, (height - ch) // 2
    return left, top, left + cw, top + ch


def thumbnail_rgb(
    data: bytes, box: tuple[int, int], *, aspect: tuple[int, int] | None = None
) -> tuple[int, int, bytes]:
    """Decode ``data`` (JPEG, PNG or WSQ) and scale it to fit ``box`` (pure CPU).

    With ``aspect`` the image is first cut to that aspect around its centre
    (the photo: 35:45). Transparent parts become white. Returns
    ``(width, height, rgb)``.
    Any decoder failure propagates (the caller marks the image unreadable).
    """
    import wsq  # noqa: F401  (registers the WSQ plugin; ~60 ms, so not at start-up)

    box_w, box_h = box
    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", box)  # JPEG: decode at a reduced scale (no-op elsewhere)
        if image.mode in ("RGBA", "LA", "PA", "P") or "transparency" in image.info:
            rgba = image.convert("RGBA")
            white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            rgb = Image.alpha_composite(white, rgba).convert("RGB")
        else:
            rgb = image.convert("RGB")
    if aspect is not None:
        rgb = rgb.crop(centre_crop(rgb.size, aspect))
    scale = min(box_w / rgb.width, box_h / rgb.height)
    size = (
        max(1, min(box_w, round(rgb.width * scale))),
        max(1, min(box_h, round(rgb.height * scale))),
    )
    small = rgb.resize(size, Image.Resampling.LANCZOS)
    return small.width, small.height, small.tobytes()


def _wanted_images(case: DocumentApplication) -> list[ReviewImage]:
    """The images the citizen should see, without pixels yet."""
    wanted: list[ReviewImage] = []
    photo = case.photo
    if photo is not None and photo.attachment:
        wanted.append(ReviewImage("photo", photo.attachment))
    elif photo is not None and photo.source is PhotoSource.PROVIDER_CLOUD_CODE:
        wanted.append(ReviewImage("photo", problem="cloud"))
    else:
        wanted.append(ReviewImage("photo", problem="missing"))
    for record in case.fingerprints:
        wanted.append(ReviewImage("fingerprint", record.attachment, finger=record.finger))
    png = next((n for n in case.signature_attachments if n.lower().endswith(".png")), None)
    if png is not None:
        wanted.append(ReviewImage("signature", png))
    for rep in case.legal_representatives:  # "signature-representative-1.png", …
        png = next((n for n in rep.signature_attachments if n.lower().endswith(".png")), None)
        if png is not None:
            wanted.append(ReviewImage("signature", png))
    return wanted


def review_images(
    case: Case, stored_names: tuple[str, ...], load: Callable[[str], bytes]
) -> tuple[ReviewImage, ...]:
    """Thumbnails of the captured images of ``case`` (blocking: store lane).

    Registrations have none. ``load(name)`` returns an attachment's bytes. An
    image that is not stored is ``"missing"``; one that cannot be read or
    decoded is ``"unreadable"``: the review is shown either way.
    """
    if not isinstance(case, IdCardApplication | PassportApplication):
        return ()
    images: list[ReviewImage] = []
    for wanted in _wanted_images(case):
        if wanted.problem:
            images.append(wanted)
            continue
        if wanted.attachment not in stored_names:
            images.append(replace(wanted, problem="missing"))
            continue
        try:
            data = load(wanted.attachment)
        except KofferError as exc:
            log.warning("review image %s not loaded: %s", wanted.kind, type(exc).__name__)
            images.append(replace(wanted, problem="unreadable"))
            continue
        try:
            aspect = PHOTO_ASPECT if wanted.kind == "photo" else None
            width, height, rgb = thumbnail_rgb(data, THUMBNAIL_BOX[wanted.kind], aspect=aspect)
        except Exception as exc:  # any decoder failure (the wsq plugin raises anything)
            log.warning("review image %s not decodable: %s", wanted.kind, type(exc).__name__)
            images.append(replace(wanted, problem="unreadable"))
            continue
        images.append(
            ReviewImage(
                wanted.kind,
                wanted.attachment,
                finger=wanted.finger,
                width=width,
                height=height,
                rgb=rgb,
            )
        )
    return tuple(images)


def load_for_review(
    store: CaseStore, case_id: str, today: date, language: str = "de"
) -> ReviewData:
    """Load, convert and check case ``case_id``, with image thumbnails (blocking)."""
    stored = store.load_case(case_id)
    case, findings = to_domain(stored.case_type, stored.payload, today, case_id, stored.case_number)
    sections = summary(case, language) if case is not None else []
    images: tuple[ReviewImage, ...] = ()
    if isinstance(case, IdCardApplication | PassportApplication):
        images = review_images(
            case, stored.attachment_names, lambda name: load_attachment(store, case_id, name)
        )
    return ReviewData(
        case_id, stored.case_number, stored.case_type, case, findings, sections, images
    )
