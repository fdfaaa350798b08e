"""Every FingerprintScanner implementation, wrapped as a harness."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from koffer.config import SectionReader
from koffer.devices.interfaces import FingerprintScanner
from koffer.devices.vendor_sdk import SimulatedVendorAdapter, VendorScanner, create_with_loader
from koffer.drivers.r30x.driver import R30xScanner
from koffer.drivers.r30x.sim_pty import PtyPeer
from koffer.drivers.r30x.simulator import R30xSimulator, forget_simulator, named_simulator
from tests.contract.framework import Harness

R30X_ABILITIES = frozenset({"unplug", "stall", "no_finger", "slow_upload"})


class R30xHarness(Harness[FingerprintScanner]):
    abilities = R30X_ABILITIES

    def __init__(self, device: R30xScanner, sim: R30xSimulator, peer: PtyPeer | None) -> None:
        super().__init__(device)
        self.sim = sim
        self.peer = peer

    def unplug(self) -> None:
        if self.peer is not None:
            self.peer.unplug()
        else:
            self.sim.unplug()

    def replug(self) -> None:
        self.sim.configure(stall_after_packets=-1, stalled=False)
        if self.peer is not None:
            self.peer.replug()
        else:
            self.sim.plug()

    def stall(self, on: bool) -> None:
        self.sim.configure(stalled=on)

    def present(self, on: bool) -> None:
        self.sim.configure(finger_present=on)

    def break_off_transfer(self) -> None:
        self.sim.configure(stall_after_packets=5)


@contextmanager
def r30x_over_sim_url(tmp_path: Path) -> Iterator[R30xHarness]:
    del tmp_path
    name = f"contract-{uuid.uuid4().hex}"
    sim = named_simulator(name)
    scanner = R30xScanner(f"sim://r30x?name={name}", reply_timeout=0.4, poll_interval=0.01)
    try:
        yield R30xHarness(scanner, sim, None)
    finally:
        forget_simulator(name)


@contextmanager
def r30x_over_pty(tmp_path: Path) -> Iterator[R30xHarness]:
    sim = R30xSimulator()
    peer = PtyPeer(sim, link=tmp_path / "ttyR30x")
    peer.start()
    scanner = R30xScanner(peer.port, reply_timeout=0.4, poll_interval=0.01)
    try:
        yield R30xHarness(scanner, sim, peer)
    finally:
        scanner.close()
        peer.stop()


class VendorHarness(Harness[FingerprintScanner]):
    abilities = frozenset({"unplug", "no_finger"})

    def __init__(self, device: VendorScanner, adapter: SimulatedVendorAdapter) -> None:
        super().__init__(device)
        self.adapter = adapter

    def unplug(self) -> None:
        self.adapter.connected = False

    def replug(self) -> None:
        self.adapter.connected = True

    def present(self, on: bool) -> None:
        self.adapter.finger_present = on


@contextmanager
def vendor_sdk_simulator(tmp_path: Path) -> Iterator[VendorHarness]:
    del tmp_path
    adapter = SimulatedVendorAdapter()
    reader = SectionReader({"sdk": "simulator"}, "devices.fingerprint")
    scanner = create_with_loader(reader, lambda name: adapter)
    assert isinstance(scanner, VendorScanner)
    yield VendorHarness(scanner, adapter)


FINGERPRINT_HARNESSES = {
    "r30x-sim-url": r30x_over_sim_url,
    "r30x-pty": r30x_over_pty,
    "vendor-sdk-sim": vendor_sdk_simulator,
}
