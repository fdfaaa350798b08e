"""The citizen review shows what was captured: photo, fingerprints, signature.

A Personalausweis application walked through the real screens with the
simulated scanner, pad and camera shows its images as thumbnails; a
registration shows none; a missing or damaged image leaves the review usable
with a plain German (or, in English, English) placeholder.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFrame, QLabel
from pytestqt.qtbot import QtBot

from koffer.cases import CaseType, IdCardApplication, case_to_dict, sample_case
from koffer.casework.case_store import load_attachment
from koffer.casework.review import THUMBNAIL_BOX, review_images, thumbnail_rgb
from koffer.commands.simulate_visit import capture_attachments
from koffer.errors import StoreError
from koffer.kiosk.demo.scripted_ausweis import Clerk, ausweis_stages
from koffer.kiosk.screens.review import ReviewScreen
from koffer.kiosk.widgets.thumbnail import Thumbnail
from koffer.kiosk.window import MainWindow
from koffer.store import Store, StoreSettings
from tests.gui.ausweis_helpers import Kit, current
from tests.gui.conftest import ACCOUNT, PASSPHRASE, TODAY, MakeKiosk, login, settle


@pytest.fixture
def kit() -> Iterator[Kit]:
    kit = Kit()
    yield kit
    kit.close()


def _review(window: MainWindow) -> ReviewScreen:
    screen = window.navigator.page("review")
    assert isinstance(screen, ReviewScreen)
    return screen


def _open_review(qtbot: QtBot, window: MainWindow, case_id: str) -> ReviewScreen:
    review = _review(window)
    window.kiosk.go("review", {"case_id": case_id})
    qtbot.waitUntil(
        lambda: (
            review.data is not None
            and review.data.case_id == case_id
            and window.navigator.current() is review
        ),
        timeout=10_000,
    )
    return review


def _tiles(review: ReviewScreen) -> dict[str, Thumbnail]:
    return {tile.objectName(): tile for tile in review.thumbnails}


def _distinct_colours(image: QImage) -> int:
    """How many different colours a grid of every third pixel has."""
    colours = set()
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            colours.add(image.pixel(x, y))
    return len(colours)


def _aspect(width: int, height: int) -> float:
    return width / height


def _seed_id_card(
    data_dir: Path, settings: StoreSettings, attachments: dict[str, bytes | None]
) -> str:
    """A valid Personalausweis application; ``attachments`` override (None: left out)."""
    case = sample_case(CaseType.PERSONALAUSWEIS, 4, TODAY)
    assert isinstance(case, IdCardApplication) and len(case.fingerprints) == 2
    assert case.signature_attachments
    payload = case_to_dict(case)
    files = capture_attachments(payload, 4)
    for name, data in attachments.items():
        if data is None:
            files.pop(name, None)
        else:
            files[name] = data
    with Store.open(data_dir, settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        return u.create_case("personalausweis", payload, files)


# ------------------------------------------------------------------ end to end


def test_ausweis_review_shows_photo_fingerprints_and_signature(
    qtbot: QtBot, make_kiosk: MakeKiosk, kit: Kit
) -> None:
    """GIVEN an application captured with the simulated camera, scanner and pad
    WHEN the citizen review opens THEN the photo, both fingerprints and the
    signature are shown as real thumbnails in the stored images' proportions,
    next to the text rows."""
    kiosk, window = make_kiosk(devices=kit.hub)
    login(qtbot, window)
    for stage in ausweis_stages(window, Clerk()):
        stage.act()
        qtbot.waitUntil(stage.ready, timeout=15_000)
    qtbot.waitUntil(lambda: current(window) == "review", timeout=10_000)
    review = _review(window)
    qtbot.waitUntil(lambda: review.data is not None and bool(review.thumbnails), timeout=10_000)
    data = review.data
    assert data is not None and data.case_type == "personalausweis"

    tiles = _tiles(review)
    assert list(tiles) == [
        "review_image_photo",
        "review_image_fingerprint_6",  # the injured left index finger's substitute
        "review_image_fingerprint_2",
        "review_image_signature",
    ]
    assert tiles["review_image_photo"].caption.text() == "Lichtbild"
    assert tiles["review_image_fingerprint_6"].caption.text() == "Fingerabdruck\nlinker Daumen"
    assert tiles["review_image_signature"].caption.text() == "Unterschrift"

    session = kiosk.session
    assert session is not None and review.case_id is not None
    for name, attachment in (
        ("review_image_photo", "photo.jpg"),
        ("review_image_fingerprint_6", "fingerprint-6.wsq"),
        ("review_image_fingerprint_2", "fingerprint-2.wsq"),
        ("review_image_signature", "signature.png"),
    ):
        tile = tiles[name]
        assert tile.has_image() and tile.placeholder() == "", name
        assert tile.isVisible()
        pixmap = tile.pixmap()
        with Image.open(
            io.BytesIO(load_attachment(session.store, review.case_id, attachment))
        ) as im:
            source = im.size
        # the thumbnail keeps the stored image's proportions (the photo: the 35:45
        # portrait the photo step previewed) and fits its box
        expected = _aspect(35, 45) if name == "review_image_photo" else _aspect(*source)
        assert abs(_aspect(pixmap.width(), pixmap.height()) - expected) < 0.02, name
        kind = name.split("_")[2]
        box_w, box_h = THUMBNAIL_BOX[kind]
        assert pixmap.width() <= box_w and pixmap.height() <= box_h
        assert max(pixmap.width() / box_w, pixmap.height() / box_h) > 0.98  # fills the box
        assert _distinct_colours(pixmap.toImage()) > 8, name  # a picture, not a flat area

    # the text rows are still there
    shown = {label.text() for label in review.body.findChildren(QLabel)}
    assert {"Familienname", "Schmidt", "Geburtsdatum", "07.03.1985"} <= shown
    review.read_to_end()
    assert review.confirm_button.isEnabled()
    settle(qtbot, kiosk)


# ------------------------------------------------------------------ seeded cases


def test_registration_review_shows_no_images(
    qtbot: QtBot, make_kiosk: MakeKiosk, data_dir: Path, store_settings: StoreSettings
) -> None:
    case = sample_case(CaseType.ANMELDUNG, 2, TODAY)
    with Store.open(data_dir, store_settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        case_id = u.create_case("anmeldung", case_to_dict(case), {})
    kiosk, window = make_kiosk()
    login(qtbot, window)
    review = _open_review(qtbot, window, case_id)
    assert review.data is not None and review.data.images == ()
    assert review.thumbnails == []
    assert review.body.findChild(Thumbnail) is None
    assert review.body.findChild(QFrame, "review_images") is None
    assert review.data.sections  # the text rows as before
    settle(qtbot, kiosk)


def test_missing_and_damaged_images_show_a_german_placeholder(
    qtbot: QtBot, make_kiosk: MakeKiosk, data_dir: Path, store_settings: StoreSettings
) -> None:
    """GIVEN an application whose photo is not stored, one fingerprint truncated
    and the signature not an image WHEN the review opens THEN it is shown, the
    intact fingerprint as a thumbnail, the others with a plain German reason."""
    wsq = capture_attachments(case_to_dict(sample_case(CaseType.PERSONALAUSWEIS, 4, TODAY)), 4)
    truncated = wsq["fingerprint-2.wsq"][:300]
    case_id = _seed_id_card(
        data_dir,
        store_settings,
        {"photo.jpg": None, "fingerprint-2.wsq": truncated, "signature.png": b"kein Bild"},
    )
    kiosk, window = make_kiosk()
    login(qtbot, window)
    review = _open_review(qtbot, window, case_id)
    data = review.data
    assert data is not None
    assert [(i.kind, i.problem) for i in data.images] == [
        ("photo", "missing"),
        ("fingerprint", ""),
        ("fingerprint", "unreadable"),
        ("signature", "unreadable"),
    ]
    tiles = _tiles(review)
    assert tiles["review_image_fingerprint_7"].has_image()
    photo = tiles["review_image_photo"]
    assert not photo.has_image()
    assert photo.placeholder() == "Kein Bild gespeichert. Bitte sagen Sie es der Sachbearbeitung."
    for name in ("review_image_fingerprint_2", "review_image_signature"):
        assert not tiles[name].has_image()
        assert tiles[name].placeholder().startswith("Das Bild ist beschädigt")
        assert tiles[name].isVisible()
    # the review itself works: text rows, and the confirmation is up to the rules
    review.read_to_end()
    assert data.sections and review.confirm_button.isEnabled()
    settle(qtbot, kiosk)


GERMAN = re.compile(r"[äöüÄÖÜß]|\b(Bild|Lichtbild|Fingerabdruck|Unterschrift|Bitte|Sie|der)\b")


def test_images_in_english(
    qtbot: QtBot, make_kiosk: MakeKiosk, data_dir: Path, store_settings: StoreSettings
) -> None:
    case_id = _seed_id_card(data_dir, store_settings, {"signature.png": b"\x89PNG broken"})
    kiosk, window = make_kiosk(language="en")
    login(qtbot, window)
    review = _open_review(qtbot, window, case_id)
    tiles = _tiles(review)
    assert tiles["review_image_photo"].caption.text() == "Photo"
    assert tiles["review_image_fingerprint_7"].caption.text() == "Fingerprint\nleft index finger"
    assert tiles["review_image_signature"].caption.text() == "Signature"
    assert "damaged" in tiles["review_image_signature"].placeholder()
    card = review.body.findChild(QFrame, "review_images")
    assert card is not None
    texts = [label.text() for label in card.findChildren(QLabel) if label.text()]
    assert "Captured images" in texts
    assert [t for t in texts if GERMAN.search(t)] == []
    settle(qtbot, kiosk)


def test_review_is_complete_as_soon_as_its_data_is_in(
    qtbot: QtBot, make_kiosk: MakeKiosk, data_dir: Path, store_settings: StoreSettings
) -> None:
    """GIVEN the review on screen WHEN its data is rendered (no event loop turn
    in between) THEN every card and thumbnail is already visible — a layout
    alone would show them only on the next turn, and a check (or a screen
    reader) looking at once would miss them."""
    case_id = _seed_id_card(data_dir, store_settings, {})
    kiosk, window = make_kiosk()
    login(qtbot, window)
    review = _open_review(qtbot, window, case_id)
    review._render()  # synchronous, as when the loaded data arrives
    assert len(review.thumbnails) == 4
    assert all(tile.isVisible() for tile in review.thumbnails)
    cards = [w for w in review.body.findChildren(QFrame) if w.property("role") == "card"]
    assert cards and all(card.isVisible() for card in cards)
    settle(qtbot, kiosk)


# ------------------------------------------------------------------ the pure part


def test_thumbnail_keeps_proportions_and_whitens_transparency() -> None:
    image = Image.new("RGBA", (800, 200), (0, 0, 0, 0))
    image.paste((0, 0, 0, 255), (0, 0, 100, 200))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    width, height, rgb = thumbnail_rgb(buffer.getvalue(), (400, 240))
    assert (width, height) == (400, 100)
    assert len(rgb) == width * height * 3
    assert rgb[-3:] == b"\xff\xff\xff"  # transparent → white, not black
    assert rgb[:3] == b"\x00\x00\x00"


def test_an_attachment_the_store_refuses_is_unreadable() -> None:
    case = sample_case(CaseType.PERSONALAUSWEIS, 4, TODAY)

    def load(name: str) -> bytes:
        raise StoreError("Die Anlage ist nicht lesbar.", message_en="unreadable")

    names = ("photo.jpg", "fingerprint-7.wsq", "fingerprint-2.wsq", "signature.png")
    images = review_images(case, names, load)
    assert [i.problem for i in images] == ["unreadable"] * 4
    assert all(i.rgb == b"" and not i.shown for i in images)
    assert "rgb" not in repr(images[0])  # pixels never end up in logs
    registration = sample_case(CaseType.ANMELDUNG, 1, TODAY)
    assert review_images(registration, names, load) == ()
