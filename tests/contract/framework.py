"""The shared contract-suite framework (HWI ``test_device.py`` style).

A *harness* wraps one implementation of a device interface together with the
control of whatever plays the device (a wire-level simulator behind the real
driver, or a high-level simulator). Contract tests receive harnesses through
a fixture parametrised over every implementation and ask for optional
abilities with :func:`require`, which skips where a harness lacks them.

Harness abilities (``Harness.abilities``):

- ``"unplug"``: :meth:`Harness.unplug` / :meth:`Harness.replug`
- ``"stall"``: :meth:`Harness.stall` (device stops answering)
- ``"no_finger"`` / ``"no_face"``: :meth:`Harness.present` toggles the subject
- ``"slow_upload"``: :meth:`Harness.break_off_transfer` (transfer stops midway)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import pytest

from koffer.devices.interfaces import Device

D = TypeVar("D", bound=Device)


class Harness(Generic[D]):
    name: str = "?"
    abilities: frozenset[str] = frozenset()

    def __init__(self, device: D) -> None:
        self.device = device

    def unplug(self) -> None:
        raise NotImplementedError

    def replug(self) -> None:
        raise NotImplementedError

    def stall(self, on: bool) -> None:
        raise NotImplementedError

    def present(self, on: bool) -> None:
        raise NotImplementedError

    def break_off_transfer(self) -> None:
        raise NotImplementedError


HarnessFactory = Callable[[Path], AbstractContextManager[Harness[Any]]]


def require(harness: Harness[Any], *abilities: str) -> None:
    missing = [a for a in abilities if a not in harness.abilities]
    if missing:
        pytest.skip(f"{harness.name} cannot {', '.join(missing)}")


def harness_fixture(factories: dict[str, HarnessFactory]) -> Any:
    """A fixture ``harness`` parametrised over ``factories`` (id = key)."""

    @pytest.fixture(params=sorted(factories), ids=str)
    def harness(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Harness[Any]]:
        with factories[request.param](tmp_path) as h:
            h.name = request.param
            try:
                yield h
            finally:
                h.device.close()

    return harness


@dataclass
class ScriptedPrompt:
    """A :class:`~koffer.devices.interfaces.Prompt` that records and may cancel."""

    cancel_after: int | None = None
    shown: list[tuple[str, str]] = field(default_factory=list)

    def show(self, key: str, text: str) -> None:
        self.shown.append((key, text))

    def cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.shown) >= self.cancel_after

    @property
    def keys(self) -> list[str]:
        return [k for k, _ in self.shown]
