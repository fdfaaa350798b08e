"""The scripted Reisepass and under-16 applications (clerk-effort benchmark) reach the review."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from koffer.kiosk.demo.scripted_ausweis import Clerk, Stage
from koffer.kiosk.demo.scripted_passport import passport_stages, representative_stages
from koffer.kiosk.window import MainWindow
from tests.gui.ausweis_helpers import Kit, current
from tests.gui.conftest import MakeKiosk, login, settle


@pytest.fixture
def kit() -> Iterator[Kit]:
    kit = Kit()
    yield kit
    kit.close()


class _Counting(Clerk):
    def __init__(self) -> None:
        self.devices: list[str] = []

    def on_device(self, action: str) -> None:
        self.devices.append(action)


@pytest.mark.parametrize(
    ("stages", "case_type", "signatures"),
    [(passport_stages, "reisepass", 1), (representative_stages, "personalausweis", 2)],
)
def test_the_scripted_application_reaches_a_blocking_free_review(
    qtbot: QtBot,
    make_kiosk: MakeKiosk,
    kit: Kit,
    stages: Callable[[MainWindow, Clerk], list[Stage]],
    case_type: str,
    signatures: int,
) -> None:
    kiosk, window = make_kiosk(devices=kit.hub)
    login(qtbot, window)
    clerk = _Counting()
    for stage in stages(window, clerk):
        stage.act()
        qtbot.waitUntil(stage.ready, timeout=15_000)
    qtbot.waitUntil(lambda: current(window) == "review", timeout=10_000)
    review = window.navigator.page("review")
    qtbot.waitUntil(lambda: review.data is not None, timeout=10_000)
    assert review.data.case_type == case_type and not review.data.blocking
    assert clerk.devices.count("signature") == signatures
    assert 2 <= clerk.devices.count("capture") <= 6  # both fingers, at most 3 attempts each
    settle(qtbot, kiosk)
