"""The kiosk as a screen reader sees it: every focusable control on every screen
of the demo tour has an accessible name, read through AT-SPI (issue 16).

The real kiosk runs on its own Xvfb display with a private session bus and
the AT-SPI bus (xcb platform, Qt's accessibility bridge always on). The demo
tour stops on each of its screens until the test, having read the tree with
``atspi_dump.py`` (Debian's Python: it has PyGObject), lets it continue; the
kiosk's event loop keeps running meanwhile, so it answers the reader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.gui.atspi_helpers import desktop, kiosk, kiosk_log, require_desktop_tools, wait_until

#: the tour names 36 screens today (tests/gui/test_demo.py counts its screenshots)
MIN_TOUR_SCREENS = 30


def _label(node: dict[str, Any]) -> str:
    return f"{node['role']} at {node['x']},{node['y']} {node['width']}×{node['height']}"


def unnamed(nodes: list[dict[str, Any]]) -> list[str]:
    """The focusable, showing elements without an accessible name."""
    return [
        _label(node)
        for node in nodes
        if node["focusable"] and node["showing"] and not node["name"].strip()
    ]


def test_every_focusable_control_on_every_tour_screen_is_named(tmp_path: Path) -> None:
    require_desktop_tools()
    with (
        desktop(tmp_path, 1280, 720) as session,
        kiosk(session, tmp_path, "tour", str(tmp_path / "shots")) as app,
    ):
        missing: dict[str, list[str]] = {}
        screens: list[str] = []
        while True:
            line = app.expect("", timeout=60)
            if line.startswith("DONE"):
                assert line == "DONE 0", kiosk_log(tmp_path)
                break
            assert line.startswith("STEP "), line
            name = line.removeprefix("STEP ")
            screens.append(name)
            # the kiosk registers with the registry a moment after its window shows
            nodes = wait_until(
                lambda: [n for n in app.tree() if n["focusable"] and n["showing"]],
                30,
                f"the accessible tree of {name}",
            )
            if bad := unnamed(nodes):
                missing[name] = bad
            app.send("continue")
        # every screen the tour photographed was read (and the tour still walks them all)
        shots = sorted(path.stem for path in (tmp_path / "shots").glob("*.png"))
        assert sorted(screens) == shots and len(screens) >= MIN_TOUR_SCREENS, screens
        assert not missing, "\n".join(f"{k}: {v}" for k, v in missing.items())
