"""The review before completion: summary, thumbnails and loading from a real store."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image

from koffer.cases import (
    CaseType,
    Delivery,
    Finding,
    FingerCode,
    IdCardApplication,
    Photo,
    PhotoSource,
    RegistrationCase,
    case_to_dict,
    sample_case,
)
from koffer.casework.case_store import CaseStore, save_with_attachments
from koffer.casework.registration import draft_to_case
from koffer.casework.review import (
    PHOTO_ASPECT,
    THUMBNAIL_BOX,
    ReviewData,
    ReviewImage,
    Section,
    centre_crop,
    load_for_review,
    review_images,
    summary,
    thumbnail_rgb,
)
from koffer.errors import StoreError
from tests.unit.casework.conftest import TODAY, complete_anmeldung


def _registration() -> RegistrationCase:
    draft = complete_anmeldung()
    draft.set_person_field(0, "objection_parteien", "1")
    case, findings = draft_to_case(draft, TODAY, case_number="2025-000001")
    assert case is not None, findings
    return case


def _id_card() -> IdCardApplication:
    case = sample_case(CaseType.PERSONALAUSWEIS, 2, TODAY)
    assert isinstance(case, IdCardApplication)
    return case


def _rows(sections: list[Section]) -> dict[str, str]:
    return {label: value for section in sections for label, value in section.rows}


def _jpeg(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _wsq() -> bytes:
    """A small grey ridge pattern encoded as WSQ (the scanner's format)."""
    import wsq  # noqa: F401  (registers the WSQ plugin)

    image = Image.new("L", (96, 120), 210)
    for x in range(0, 96, 6):
        for y in range(120):
            image.putpixel((x, y), 40)
    buffer = io.BytesIO()
    image.save(buffer, "WSQ")
    return buffer.getvalue()


def _attachments() -> dict[str, bytes]:
    signature = Image.new("RGBA", (300, 100), (0, 0, 0, 0))  # transparent background
    for x in range(20, 280):
        signature.putpixel((x, 50), (0, 0, 128, 255))
    return {
        "photo.jpg": _jpeg((300, 400), (200, 30, 30)),
        "fingerprint-7.wsq": _wsq(),
        "fingerprint-2.wsq": _wsq(),
        "signature.png": _png(signature),
        "signature-strokes.json": b"[]",
    }


# ---------------------------------------------------------------- summary


def test_registration_summary_in_german() -> None:
    sections = summary(_registration())
    assert [s.title for s in sections] == [
        "Person 1 von 2",
        "Person 2 von 2",
        "Wohnung und Daten",
    ]
    first = dict(sections[0].rows)
    assert first["Familienname"] == "Müller"
    assert first["Vornamen"] == "Anna Lena"
    assert first["Geburtsdatum"] == "07.03.1985"
    assert first["Geschlecht"] == "weiblich"
    assert first["Staatsangehörigkeit"] == "deutsch"
    assert first["Ausweisdokument"].endswith("L01X00T47, Stadt Köln, gültig bis 31.01.2030")
    assert "Widerspruch" in first
    assert "Widerspruch" not in dict(sections[1].rows)
    dwelling = dict(sections[2].rows)
    assert dwelling["Neue Wohnung"] == "Lindenweg 12a, 50667 Köln (alleinige Wohnung)"
    assert dwelling["Einzugsdatum"] == "16.11.2025"
    assert dwelling["Bisherige Wohnung"].startswith("Am Markt 3, 53111 Bonn")
    assert dwelling["Wohnungsgeberbestätigung"] == "Wohnbau Köln eG"
    assert dwelling["Datum der Meldung"] == "21.11.2025"
    assert dwelling["Unterschrift"] == "Anna Lena Müller"


def test_registration_summary_in_english() -> None:
    sections = summary(_registration(), "en")
    assert [s.title for s in sections] == ["Person 1 of 2", "Person 2 of 2", "Dwelling and dates"]
    rows = _rows(sections)
    assert rows["Family name"] == "Müller"
    assert rows["Sex"] == "female"
    assert rows["New dwelling"].endswith("(sole dwelling)")
    assert rows["Move-in date"] == "16.11.2025"
    assert rows["Date of registration"] == "21.11.2025"
    assert rows["ID document"].endswith("valid until 31.01.2030")
    assert not any(label in rows for label in ("Familienname", "Datum der Meldung"))


def test_assignment_code_is_shown_instead_of_the_landlord() -> None:
    case = _registration()
    assert case.landlord_confirmation is not None
    case.landlord_confirmation.assignment_code = "WGB-00001234"
    assert _rows(summary(case))["Wohnungsgeberbestätigung"] == "Zuordnungsmerkmal WGB-00001234"
    assert _rows(summary(case, "en"))["Landlord's confirmation"] == "assignment code WGB-00001234"


def test_abmeldung_names_the_dwelling_given_up() -> None:
    case = sample_case(CaseType.ABMELDUNG, 2, TODAY)
    assert isinstance(case, RegistrationCase)
    rows = _rows(summary(case))
    assert "Aufgegebene Wohnung" in rows and "Bisherige Wohnung" not in rows
    assert "Auszugsdatum" in rows
    assert "Dwelling given up" in _rows(summary(case, "en"))


def test_id_card_summary_in_german_and_english() -> None:
    case = _id_card()
    german = summary(case)
    assert [s.title for s in german] == ["Antragstellende Person", "Antrag"]
    application = dict(german[1].rows)
    assert application["Gebühr"] == "43,00 EUR"
    assert application["Zustellung"] == "Abholung"
    assert application["Größe"] == f"{case.height_cm} cm"
    assert dict(german[0].rows)["Familienname"] == case.person.family_name
    english = summary(case, "en")
    assert [s.title for s in english] == ["Applicant", "Application"]
    rows = dict(english[1].rows)
    assert rows["Fee"] == "43.00 EUR"
    assert rows["Delivery"] == "pick-up"
    case.delivery = Delivery.DIRECT_DELIVERY
    assert dict(summary(case)[1].rows)["Zustellung"] == "Direktversand"


# ---------------------------------------------------------------- images


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((350, 450), (0, 0, 350, 450)),  # already 35:45
        ((1000, 450), (325, 0, 675, 450)),  # too wide: cut left and right
        ((350, 1000), (0, 275, 350, 725)),  # too tall: cut top and bottom
    ],
)
def test_centre_crop(size: tuple[int, int], expected: tuple[int, int, int, int]) -> None:
    assert centre_crop(size, PHOTO_ASPECT) == expected


def test_centre_crop_keeps_the_aspect_inside_the_image() -> None:
    left, top, right, bottom = centre_crop((640, 480), PHOTO_ASPECT)
    assert 0 <= left and 0 <= top and right <= 640 and bottom <= 480
    assert abs((right - left) / (bottom - top) - 35 / 45) < 0.01
    assert abs(left - (640 - right)) <= 1  # centred (odd remainders round down)


def test_thumbnail_of_a_jpeg_fits_the_box() -> None:
    width, height, rgb = thumbnail_rgb(_jpeg((400, 300), (10, 200, 30)), (180, 220))
    assert (width, height) == (180, 135)
    assert len(rgb) == width * height * 3
    r, g, b = rgb[0], rgb[1], rgb[2]
    assert g > 150 and r < 60 and b < 80  # still green


def test_photo_thumbnail_is_cut_to_the_passport_aspect() -> None:
    width, height, rgb = thumbnail_rgb(
        _jpeg((400, 300), (200, 30, 30)), THUMBNAIL_BOX["photo"], aspect=PHOTO_ASPECT
    )
    assert width <= THUMBNAIL_BOX["photo"][0] and height <= THUMBNAIL_BOX["photo"][1]
    assert abs(width / height - 35 / 45) < 0.02
    assert len(rgb) == width * height * 3


def test_transparent_png_becomes_white() -> None:
    data = _png(Image.new("RGBA", (40, 20), (0, 0, 0, 0)))
    width, height, rgb = thumbnail_rgb(data, (360, 220))
    assert (width, height) == (360, 180)
    assert set(rgb) == {255}


def test_damaged_image_raises_in_thumbnail_rgb() -> None:
    with pytest.raises(Exception):  # noqa: B017  (any decoder error; the caller handles it)
        thumbnail_rgb(b"\xff\xd8\xff\xe0 not really a jpeg", (100, 100))


def test_review_images_of_an_id_card() -> None:
    case = _id_card()
    attachments = _attachments()
    images = review_images(case, tuple(attachments), attachments.__getitem__)
    assert [(i.kind, i.attachment, i.problem) for i in images] == [
        ("photo", "photo.jpg", ""),
        ("fingerprint", "fingerprint-7.wsq", ""),
        ("fingerprint", "fingerprint-2.wsq", ""),
        ("signature", "signature.png", ""),
    ]
    assert all(i.shown for i in images)
    assert [i.finger for i in images[1:3]] == [FingerCode.LEFT_INDEX, FingerCode.RIGHT_INDEX]
    photo = images[0]
    assert abs(photo.width / photo.height - 35 / 45) < 0.02
    for image in images:
        box_w, box_h = THUMBNAIL_BOX[image.kind]
        assert 0 < image.width <= box_w and 0 < image.height <= box_h
        assert len(image.rgb) == image.width * image.height * 3


def test_damaged_missing_and_unloadable_images_are_reported_not_raised() -> None:
    case = _id_card()
    attachments = _attachments()
    attachments["photo.jpg"] = b"\xff\xd8\xff damaged"
    del attachments["fingerprint-2.wsq"]

    def load(name: str) -> bytes:
        if name == "signature.png":
            raise StoreError("Anlage nicht lesbar.", message_en="Attachment not readable.")
        return attachments[name]

    names = (*attachments, "signature.png")
    problems = {(i.kind, i.attachment): i.problem for i in review_images(case, names, load)}
    assert problems == {
        ("photo", "photo.jpg"): "unreadable",
        ("fingerprint", "fingerprint-7.wsq"): "",
        ("fingerprint", "fingerprint-2.wsq"): "missing",
        ("signature", "signature.png"): "unreadable",
    }


def test_photo_without_attachment_is_missing_or_comes_by_cloud_code() -> None:
    case = _id_card()
    case.photo = Photo(source=PhotoSource.PROVIDER_CLOUD_CODE, cloud_code="ABCD1234")
    case.fingerprints = []
    case.signature_attachments = ["signature-strokes.json"]  # no PNG: no signature tile
    images = review_images(case, (), lambda name: b"")
    assert images == (ReviewImage("photo", problem="cloud"),)
    assert not images[0].shown
    case.photo = None
    assert review_images(case, (), lambda name: b"") == (ReviewImage("photo", problem="missing"),)


def test_registrations_have_no_images() -> None:
    assert review_images(_registration(), ("photo.jpg",), lambda name: b"") == ()


def test_review_data_blocking_are_the_errors() -> None:
    error = Finding("error", "persons[0].family_name", "Fehler", "error")
    warning = Finding("warning", "move_in_date", "Hinweis", "note")
    data = ReviewData("id", "2025-000001", "anmeldung", None, [error, warning], [])
    assert data.blocking == [error]
    assert replace(data, findings=[warning]).blocking == []


# ---------------------------------------------------------------- load_for_review


def test_load_for_review_of_a_complete_draft(case_store: CaseStore) -> None:
    case_id = case_store.create_case("anmeldung", complete_anmeldung().to_payload())
    number = case_store.unlocked.case_meta(case_id).case_number

    data = load_for_review(case_store, case_id, TODAY)

    assert data.case_id == case_id and data.case_number == number
    assert data.case_type == "anmeldung"
    assert isinstance(data.case, RegistrationCase)
    assert data.case.case_number == number
    assert data.findings == [] and data.blocking == []
    assert [s.title for s in data.sections][-1] == "Wohnung und Daten"
    assert data.images == ()
    english = load_for_review(case_store, case_id, TODAY, "en")
    assert english.sections[-1].title == "Dwelling and dates"
    # the review only reads
    assert case_store.load_case(case_id).state == "draft"


def test_load_for_review_of_an_incomplete_draft(case_store: CaseStore) -> None:
    draft = complete_anmeldung()
    draft.set_person_field(1, "birth_date", "")
    case_id = case_store.create_case("anmeldung", draft.to_payload())

    data = load_for_review(case_store, case_id, TODAY)

    assert data.case is None and data.sections == []
    assert [(f.field, f.message) for f in data.blocking] == [
        ("persons[1].birth_date", "Geburtsdatum: Bitte geben Sie einen Wert ein.")
    ]


def test_load_for_review_of_an_id_card_with_stored_images(case_store: CaseStore) -> None:
    case = _id_card()
    payload = {"kiosk_draft": 1, "case_type": "personalausweis", "application": case_to_dict(case)}
    case_id = case_store.create_case("personalausweis", payload)
    attachments = _attachments()
    del attachments["fingerprint-2.wsq"]
    save_with_attachments(case_store, case_id, payload, dict(attachments))

    data = load_for_review(case_store, case_id, TODAY)

    assert isinstance(data.case, IdCardApplication)
    assert data.blocking == []
    assert [s.title for s in data.sections] == ["Antragstellende Person", "Antrag"]
    assert [(i.attachment, i.problem) for i in data.images] == [
        ("photo.jpg", ""),
        ("fingerprint-7.wsq", ""),
        ("fingerprint-2.wsq", "missing"),
        ("signature.png", ""),
    ]
    assert all(i.shown for i in data.images if not i.problem)
