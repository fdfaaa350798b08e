"""Contrast (WCAG 2.1 AA, BITV 2.0) and touch-target sizes, computed from the theme.

Contrast comes from the colours the style sheet uses; target sizes are read
from the widgets of every screen as Qt lays them out at 1280×720.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QRadioButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from koffer.kiosk.theme import HIGH_CONTRAST, MIN_TARGET, NORMAL, SCROLLBAR, Colours
from tests.gui.conftest import MakeKiosk, login


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _text_pairs(c: Colours) -> list[tuple[str, str, str]]:
    pairs = []
    for fg in ("text", "muted", "error", "ok", "warn", "accent"):
        for bg in ("window", "surface"):
            pairs.append((fg, bg, ""))
    pairs += [("accent_text", "accent", ""), ("header_text", "header", "")]
    return [(getattr(c, fg), getattr(c, bg), f"{fg} on {bg}") for fg, bg, _ in pairs]


@pytest.mark.parametrize("theme", [NORMAL, HIGH_CONTRAST], ids=["normal", "high-contrast"])
def test_text_contrast_at_least_4_5(theme: Colours) -> None:
    low = [
        f"{name}: {contrast(fg, bg):.2f}"
        for fg, bg, name in _text_pairs(theme)
        if contrast(fg, bg) < 4.5
    ]
    assert not low, low


@pytest.mark.parametrize("theme", [NORMAL, HIGH_CONTRAST], ids=["normal", "high-contrast"])
def test_focus_and_borders_contrast_at_least_3(theme: Colours) -> None:
    # non-text contrast (WCAG 1.4.11): the focus ring and input borders
    for colour in (theme.focus, theme.border):
        for background in (theme.window, theme.surface):
            assert contrast(colour, background) >= 3.0, (colour, background)


def test_every_control_is_at_least_44_px(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    _kiosk, window = make_kiosk()
    login(qtbot, window)
    while window.navigator.build_next():
        pass
    window.resize(1280, 720)
    small: list[str] = []
    for name in sorted(window.navigator._screens):
        screen = window.navigator.page(name)
        window.navigator.setCurrentWidget(screen)
        window.layout().activate()
        qtbot.wait(1)
        controls: list[QWidget] = [
            *screen.findChildren(QAbstractButton),
            *screen.findChildren(QComboBox),
            *screen.findChildren(QLineEdit),
        ]
        for widget in controls:
            if not widget.isVisibleTo(screen) or widget.parent() is None:
                continue
            if isinstance(widget.parent(), QComboBox | QAbstractScrollArea):
                continue  # a combo's own line edit, a scroll area's corner
            size = widget.sizeHint().expandedTo(widget.minimumSize())
            height = max(size.height(), widget.height())
            if isinstance(widget, QCheckBox | QRadioButton):
                height = max(height, widget.minimumSizeHint().height())
            if height < 44 and not isinstance(widget, QLineEdit):
                small.append(f"{name}/{widget.objectName() or type(widget).__name__}: {height}")
        for area in screen.findChildren(QAbstractScrollArea):
            bar = area.verticalScrollBar()
            if bar.isVisible() and bar.width() < 16:
                small.append(f"{name}: scrollbar {bar.width()} px")
    assert MIN_TARGET >= 44 and SCROLLBAR >= 16
    assert not small, small
