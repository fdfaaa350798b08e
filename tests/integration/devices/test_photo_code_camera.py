"""The E-Passbild code read through the camera: rendered as a real DataMatrix,
held up to the simulated camera, decoded by zxing-cpp, checked by the parser."""

from __future__ import annotations

from dataclasses import replace

import pytest
import zxingcpp
from PIL import Image

from koffer.cases.photo_code import PhotoCodeError, parse
from koffer.devices.pipelines.datamatrix import read_datamatrix
from koffer.drivers.camera.simulator import SimulatedCamera
from koffer.errors import ValidationError
from tests.unit.cases.photo_codes import KEY, PHOTO_ID, Layout


def _slip(text: str, scale: int = 6) -> Image.Image:
    """A white slip of paper with the printed DataMatrix code."""
    symbol = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.DataMatrix).to_image(scale=scale)
    view = memoryview(symbol)
    height, width = view.shape[0], view.shape[1]
    code = Image.frombytes("L", (width, height), bytes(view))
    slip = Image.new("L", (width + 80, height + 80), 255)
    slip.paste(code, (40, 40))
    return slip


def _camera_with(document: Image.Image | None) -> SimulatedCamera:
    camera = SimulatedCamera()
    camera.scene.document = document
    camera.open()
    return camera


def test_code_held_up_to_the_camera_is_read_and_checked() -> None:
    camera = _camera_with(_slip(Layout().text()))
    try:
        code = parse(read_datamatrix(camera.still()))
    finally:
        camera.close()
    assert code.photo_id == PHOTO_ID
    assert code.key == KEY
    assert code.url == "https://passbild.example/abruf"


@pytest.mark.parametrize(
    ("layout", "field"),
    [
        (replace(Layout(), magic=0xE3), "magic"),
        (replace(Layout(), version=0x07), "version"),
        (replace(Layout(), algorithm=b"DES"), "algorithm"),
        (replace(Layout(), iv=b"\x00" * 8), "iv"),
        (replace(Layout(), key=b"\x01" * 5), "key"),
    ],
)
def test_a_bad_code_from_the_camera_names_its_field(layout: Layout, field: str) -> None:
    camera = _camera_with(_slip(layout.text()))
    try:
        text = read_datamatrix(camera.still())
    finally:
        camera.close()
    with pytest.raises(PhotoCodeError) as err:
        parse(text)
    assert err.value.field == field


def test_no_code_in_view_gives_a_german_message() -> None:
    camera = _camera_with(None)
    try:
        with pytest.raises(ValidationError) as err:
            read_datamatrix(camera.still())
    finally:
        camera.close()
    assert "kein Passbild-Code" in err.value.message
