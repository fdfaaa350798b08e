"""Driver for ZhianTec ZFM-20 / Grow R30x / R503 UART fingerprint modules.

Steps on :meth:`R30xScanner.open`: VfyPwd, ReadSysPara (packet size),
ReadProdInfo (sensor width and height; modules without it fall back to
256 × 288). :meth:`R30xScanner.capture` polls GenImg until a finger is on
the sensor, then uploads the image (UpImage: acknowledge, data packets,
last packet), unpacks the 4-bit pixels and returns an 8-bit
:class:`~koffer.devices.interfaces.GreyImage`.

These are access-control modules, not ID-grade scanners (see docs).
All errors are from the ``DeviceError`` tree; after any error the scanner can
be closed and opened again.
"""

from __future__ import annotations

import time
from collections import deque

from koffer.devices.interfaces import (
    CaptureCancelled,
    DeviceInfo,
    DeviceKind,
    FingerprintScanner,
    GreyImage,
    Prompt,
)
from koffer.drivers.r30x import codec
from koffer.drivers.r30x.codec import Command, Confirm, Pid
from koffer.drivers.r30x.transport import SerialTransport, Transport
from koffer.errors import DeviceError, DeviceProtocolError, DeviceTimeout

DEFAULT_SIZE = (256, 288)
PLACE_FINGER = "Bitte legen Sie den Finger auf."
LIFT_FINGER = "Bitte nehmen Sie den Finger ab."


def _timeout() -> DeviceTimeout:
    return DeviceTimeout(
        "Der Fingerabdruckscanner antwortet nicht. Bitte stecken Sie ihn neu ein "
        "und versuchen Sie es erneut.",
        message_en="The fingerprint scanner does not answer. Reconnect it and try again.",
    )


class R30xScanner(FingerprintScanner):
    """A R30x-family module on a serial port (see the module docstring)."""

    capabilities = frozenset({"image", "product_info"})

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 57600,
        password: int = 0,
        address: int = codec.DEFAULT_ADDRESS,
        reply_timeout: float = 1.0,
        poll_interval: float = 0.05,
        ppi: int = 500,
        type_name: str = "r30x",
        simulated: bool = False,
        transport: Transport | None = None,
    ) -> None:
        self.port = port
        self.password = password
        self.address = address
        self.reply_timeout = reply_timeout
        self.poll_interval = poll_interval
        self.ppi = ppi
        self.type_name = type_name
        self.simulated = simulated
        self._transport: Transport = transport or SerialTransport(port, baudrate)
        self._framer = codec.Framer()
        self._packets: deque[codec.Packet] = deque()
        self._opened = False
        self.packet_size = 128
        self.width, self.height = DEFAULT_SIZE
        self.product: codec.ProductInfo | None = None

    # ----------------------------------------------------------- lifecycle

    @property
    def is_open(self) -> bool:
        return self._opened and self._transport.is_open

    def open(self) -> None:
        if self.is_open:
            return
        self.close()
        self._transport.open()
        self._opened = True
        try:
            self._handshake()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self._opened = False
        self._packets.clear()
        self._framer.reset()
        self._transport.close()

    def _handshake(self) -> None:
        confirm, _ = self._transact(Command.VFY_PWD, self.password.to_bytes(4, "big"))
        if confirm == Confirm.WRONG_PASSWORD:
            raise DeviceError(
                "Der Fingerabdruckscanner lehnt das Passwort ab. Bitte prüfen Sie "
                "[devices.fingerprint] password in der Konfiguration.",
                message_en="The fingerprint scanner refused the password; check "
                "[devices.fingerprint] password.",
            )
        self._expect_ok(confirm, "VfyPwd")
        confirm, data = self._transact(Command.READ_SYS_PARA)
        self._expect_ok(confirm, "ReadSysPara")
        self.packet_size = codec.parse_sys_para(data).packet_size
        confirm, data = self._transact(Command.READ_PROD_INFO)
        if confirm == Confirm.OK:
            self.product = codec.parse_prod_info(data)
            if self.product.width > 0 and self.product.height > 0:
                self.width, self.height = self.product.width, self.product.height
        else:
            self.product = None
            self.width, self.height = DEFAULT_SIZE

    def info(self) -> DeviceInfo:
        self._require_open()
        product = self.product
        extra = {"image_size": f"{self.width}x{self.height}", "ppi": str(self.ppi)}
        if product is not None:
            extra["sensor"] = product.sensor_type
        return DeviceInfo(
            kind=DeviceKind.FINGERPRINT,
            type=self.type_name,
            model=product.model if product else "R30x (ZFM)",
            firmware=product.hardware_version if product else "",
            serial=product.serial if product else "",
            simulated=self.simulated,
            extra=extra,
        )

    # ------------------------------------------------------------- capture

    def capture(self, prompt: Prompt, timeout: float = 10.0) -> GreyImage:
        self._require_open()
        prompt.show("place_finger", PLACE_FINGER)
        deadline = time.monotonic() + timeout
        while True:
            if prompt.cancelled():
                raise CaptureCancelled()
            confirm, _ = self._transact(Command.GEN_IMG)
            if confirm == Confirm.OK:
                break
            if confirm not in (Confirm.NO_FINGER, Confirm.IMAGE_FAILED):
                self._expect_ok(confirm, "GenImg")
            if time.monotonic() >= deadline:
                raise DeviceTimeout(
                    "Es wurde kein Finger erkannt. Bitte legen Sie den Finger flach auf "
                    "den Scanner und versuchen Sie es erneut.",
                    message_en="No finger detected. Place the finger flat on the scanner "
                    "and try again.",
                )
            time.sleep(self.poll_interval)
        try:
            raw = self._upload_image()
        except DeviceProtocolError:
            raw = self._upload_image()  # the image stays in the module: one retry
        prompt.show("lift_finger", LIFT_FINGER)
        pixels = codec.unpack_4bit(raw, self.width, self.height)
        return GreyImage(self.width, self.height, pixels, self.ppi)

    def _upload_image(self) -> bytes:
        confirm, _ = self._transact(Command.UP_IMAGE, retry=False)
        self._expect_ok(confirm, "UpImage")
        data = bytearray()
        expected = (self.width * self.height + 1) // 2
        while True:
            packet = self._next_packet(self.reply_timeout)
            self._check_address(packet)
            if packet.pid not in (Pid.DATA, Pid.END_DATA):
                raise DeviceProtocolError(
                    "Der Fingerabdruckscanner hat die Bildübertragung unterbrochen. "
                    "Bitte versuchen Sie es erneut.",
                    message_en="The fingerprint scanner broke off the image upload.",
                )
            data.extend(packet.payload)
            if len(data) > expected + self.packet_size:
                raise DeviceProtocolError(
                    "Der Fingerabdruckscanner hat zu viele Bilddaten gesendet.",
                    message_en="The fingerprint scanner sent too much image data.",
                )
            if packet.pid == Pid.END_DATA:
                return bytes(data)

    # ------------------------------------------------------------ protocol

    def _require_open(self) -> None:
        if not self.is_open:
            raise DeviceError(
                "Der Fingerabdruckscanner ist nicht geöffnet.",
                message_en="The fingerprint scanner is not open.",
            )

    def _expect_ok(self, confirm: int, what: str) -> None:
        if confirm != Confirm.OK:
            raise DeviceError(
                f"Der Fingerabdruckscanner meldet einen Fehler (Code {confirm:#04x}). "
                "Bitte versuchen Sie es erneut.",
                message_en=f"The fingerprint scanner reported error {confirm:#04x} on {what}.",
            )

    def _check_address(self, packet: codec.Packet) -> None:
        if packet.address != self.address:
            raise DeviceProtocolError(
                "Der Fingerabdruckscanner antwortet mit einer falschen Adresse. "
                "Bitte prüfen Sie [devices.fingerprint] address.",
                message_en="The fingerprint scanner answered from an unexpected address.",
            )

    def _transact(self, code: int, params: bytes = b"", *, retry: bool = True) -> tuple[int, bytes]:
        """Send one command and return (confirmation code, rest of the ack)."""
        attempts = 2 if retry else 1
        for attempt in range(attempts):
            self._packets.clear()
            self._framer.reset()
            self._transport.discard_input()
            self._transport.write(codec.encode_command(code, params, self.address))
            try:
                packet = self._next_packet(self.reply_timeout)
                self._check_address(packet)
                if packet.pid != Pid.ACK or not packet.payload:
                    raise DeviceProtocolError(
                        "Der Fingerabdruckscanner hat unerwartet geantwortet.",
                        message_en=f"Unexpected packet {packet.pid:#04x} instead of an ack.",
                    )
            except DeviceProtocolError:
                if attempt + 1 >= attempts:
                    raise
                continue
            return packet.payload[0], packet.payload[1:]
        raise AssertionError("unreachable")  # pragma: no cover

    def _next_packet(self, timeout: float) -> codec.Packet:
        deadline = time.monotonic() + timeout
        while not self._packets:
            if time.monotonic() > deadline:
                raise _timeout()
            data = self._transport.read_some()
            if data:
                self._packets.extend(self._framer.feed(data))
        return self._packets.popleft()
