"""A simulated camera drawing synthetic faces (:mod:`koffer.devices.synthetic`).

Control: :attr:`SimulatedCamera.scene` (face or not, offset, size,
brightness, a document held up to the lens — e.g. the photo studio's slip
with its E-Passbild DataMatrix code) and :meth:`SimulatedCamera.unplug` /
:meth:`~SimulatedCamera.plug`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PIL import Image

from koffer.devices.interfaces import Camera, DeviceInfo, DeviceKind
from koffer.devices.synthetic import face_image
from koffer.errors import DeviceDisconnected, DeviceError, DeviceNotFound


@dataclass
class Scene:
    face: bool = True
    offset_x: float = 0.0
    offset_y: float = 0.0
    scale: float = 1.0
    brightness: float = 1.0
    #: a document held up to the camera, drawn at the centre of the frame
    document: Image.Image | None = None


class SimulatedCamera(Camera):
    capabilities = frozenset({"still", "preview"})

    def __init__(self, width: int = 640, height: int = 480, still_scale: int = 2) -> None:
        self.width = width
        self.height = height
        self.still_scale = still_scale
        self.scene = Scene()
        self.frames = 0
        self._open = False
        self._unplugged = False
        self._lock = threading.Lock()

    def unplug(self) -> None:
        with self._lock:
            self._unplugged = True

    def plug(self) -> None:
        with self._lock:
            self._unplugged = False

    @property
    def is_open(self) -> bool:
        return self._open

    def open(self) -> None:
        with self._lock:
            if self._unplugged:
                raise DeviceNotFound(
                    "Die Kamera wurde nicht gefunden. Bitte schließen Sie sie an.",
                    message_en="Camera not found. Please connect it.",
                )
            self._open = True

    def close(self) -> None:
        self._open = False

    def info(self) -> DeviceInfo:
        self._check()
        return DeviceInfo(
            kind=DeviceKind.CAMERA,
            type="simulator",
            model="Kamera-Simulator",
            firmware="1.0",
            serial="SIMCAM1",
            simulated=True,
            extra={"resolution": f"{self.width}x{self.height}"},
        )

    def _check(self) -> None:
        if self._unplugged:
            self._open = False
            raise DeviceDisconnected(
                "Die Verbindung zur Kamera ist unterbrochen. Bitte prüfen Sie das Kabel.",
                message_en="Lost the connection to the camera. Check the cable.",
            )
        if not self._open:
            raise DeviceError(
                "Die Kamera ist nicht geöffnet.", message_en="The camera is not open."
            )

    def _render(self, width: int, height: int) -> Image.Image:
        scene = self.scene
        self.frames += 1
        image = face_image(
            width,
            height,
            face=scene.face,
            offset=(scene.offset_x, scene.offset_y),
            scale=scene.scale,
            brightness=scene.brightness,
        )
        if scene.document is not None:
            doc = scene.document.convert("RGB")
            fit = min(1.0, 0.8 * width / doc.width, 0.8 * height / doc.height)
            if fit < 1.0:
                doc = doc.resize(
                    (int(doc.width * fit), int(doc.height * fit)), Image.Resampling.NEAREST
                )
            image.paste(doc, ((width - doc.width) // 2, (height - doc.height) // 2))
        return image

    def frame(self) -> Image.Image:
        self._check()
        return self._render(self.width, self.height)

    def still(self) -> Image.Image:
        self._check()
        return self._render(self.width * self.still_scale, self.height * self.still_scale)
