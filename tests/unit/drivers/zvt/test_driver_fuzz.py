"""Whatever a terminal sends after accepting a payment, the driver ends with
a result or an error of the device tree (never another exception, never a
hang), and an accepted payment that did not end cleanly is in doubt."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koffer.devices.interfaces import PaymentOutcomeUnknown, SilentPrompt
from koffer.drivers.zvt import codec
from koffer.drivers.zvt.driver import ZvtTerminal
from koffer.drivers.zvt.transport import TcpLink
from koffer.errors import DeviceError

REGISTERED = codec.ACK_APDU + codec.encode_apdu(0x06, 0x0F)


class ScriptedPeer:
    """Answers each connection's registration, then plays ``script`` and hangs up."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.port = self.listener.getsockname()[1]
        self.script = b""
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2.0)
                try:
                    self._read_until(conn, b"\x06\x00")  # registration
                    conn.sendall(REGISTERED)
                    self._read_until(conn, b"\x06\x01")  # the authorization
                    conn.sendall(codec.ACK_APDU + self.script)
                except OSError:
                    continue

    @staticmethod
    def _read_until(conn: socket.socket, command: bytes) -> None:
        seen = b""
        while command not in seen:
            data = conn.recv(4096)
            if not data:
                raise OSError("closed")
            seen += data

    def close(self) -> None:
        self.listener.close()


@pytest.fixture(scope="module")
def peer() -> Iterator[ScriptedPeer]:
    scripted = ScriptedPeer()
    yield scripted
    scripted.close()


messages = st.one_of(
    st.binary(max_size=40),
    st.builds(
        codec.encode_apdu,
        st.sampled_from([0x04, 0x06, 0x80, 0x84]),
        st.sampled_from([0x0F, 0xFF, 0xD1, 0xD3, 0x1E, 0x00]),
        st.binary(max_size=30),
    ),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(script=st.lists(messages, max_size=4).map(b"".join))
def test_any_answer_after_acceptance_ends_in_a_result_or_a_device_error(
    peer: ScriptedPeer, script: bytes
) -> None:
    peer.script = script
    terminal = ZvtTerminal(
        TcpLink("127.0.0.1", peer.port), password="000000", completion_timeout=0.5
    )
    terminal.open()
    try:
        result = terminal.pay(4600, SilentPrompt())
    except PaymentOutcomeUnknown:
        return
    except DeviceError as exc:  # an accepted payment that did not end cleanly is in doubt
        pytest.fail(f"accepted payment ended in {type(exc).__name__}, not in doubt")
    finally:
        terminal.close()
    assert result.amount_cents >= 0
