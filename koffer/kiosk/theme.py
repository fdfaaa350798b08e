"""Palettes and style sheets: the normal theme and a high-contrast theme.

Every touch target is at least :data:`MIN_TARGET` pixels high; focus is always
visible (keyboard use), and the high-contrast theme uses white/yellow on black.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

#: minimal height/width of anything a finger has to hit (pixels)
MIN_TARGET = 48
#: width of a scrollbar (pixels): wide enough to hit with a finger or a mouse
SCROLLBAR = 20


@dataclass(frozen=True)
class Colours:
    window: str
    surface: str
    text: str
    muted: str
    accent: str
    accent_text: str
    focus: str
    error: str
    ok: str
    warn: str
    border: str
    header: str
    header_text: str


NORMAL = Colours(
    window="#f3f5f8",
    surface="#ffffff",
    text="#1b1f24",
    muted="#4a5563",
    accent="#0b5cad",
    accent_text="#ffffff",
    focus="#b35c00",  # 4.3:1 on the window colour (WCAG 1.4.11 asks 3:1)
    error="#b00020",
    ok="#1e7b34",
    warn="#8a5a00",
    border="#75818e",
    header="#0b3d6e",
    header_text="#ffffff",
)

HIGH_CONTRAST = Colours(
    window="#000000",
    surface="#000000",
    text="#ffffff",
    muted="#ffffff",
    accent="#ffff00",
    accent_text="#000000",
    focus="#00ffff",
    error="#ff6b6b",
    ok="#7CFC00",
    warn="#ffff00",
    border="#ffffff",
    header="#000000",
    header_text="#ffff00",
)


def colours(high_contrast: bool) -> Colours:
    return HIGH_CONTRAST if high_contrast else NORMAL


def palette(c: Colours) -> QPalette:
    pal = QPalette()
    role = QPalette.ColorRole
    pal.setColor(role.Window, QColor(c.window))
    pal.setColor(role.WindowText, QColor(c.text))
    pal.setColor(role.Base, QColor(c.surface))
    pal.setColor(role.AlternateBase, QColor(c.window))
    pal.setColor(role.Text, QColor(c.text))
    pal.setColor(role.Button, QColor(c.surface))
    pal.setColor(role.ButtonText, QColor(c.text))
    pal.setColor(role.Highlight, QColor(c.accent))
    pal.setColor(role.HighlightedText, QColor(c.accent_text))
    pal.setColor(role.PlaceholderText, QColor(c.muted))
    pal.setColor(role.ToolTipBase, QColor(c.surface))
    pal.setColor(role.ToolTipText, QColor(c.text))
    return pal


def style_sheet(c: Colours, high_contrast: bool) -> str:
    border = 3 if high_contrast else 1
    return f"""
QWidget {{ font-size: 18px; color: {c.text}; }}
QMainWindow, QStackedWidget, QScrollArea, QScrollArea > QWidget > QWidget {{
    background: {c.window};
}}
QLabel[role="title"] {{ font-size: 28px; font-weight: bold; }}
QLabel[role="subtitle"] {{ font-size: 20px; color: {c.muted}; }}
QLabel[role="error"] {{ color: {c.error}; font-weight: bold; }}
QLabel[role="hint"] {{ color: {c.muted}; }}
QFrame[role="card"] {{
    background: {c.surface}; border: {border}px solid {c.border}; border-radius: 8px;
}}
QFrame[role="header"], QFrame[role="header"] QLabel {{
    background: {c.header}; color: {c.header_text};
}}
QFrame[role="statusbar"] {{ background: {c.surface}; border-top: {border}px solid {c.border}; }}
QLabel[state="ok"] {{ color: {c.ok}; font-weight: bold; }}
QLabel[state="missing"] {{ color: {c.warn}; font-weight: bold; }}
QLabel[state="error"] {{ color: {c.error}; font-weight: bold; }}
QLabel[state="unknown"] {{ color: {c.muted}; }}
QPushButton, QToolButton {{
    min-height: {MIN_TARGET}px; min-width: {MIN_TARGET}px; padding: 0 18px;
    background: {c.surface}; color: {c.text};
    border: {border + 1}px solid {c.border}; border-radius: 8px;
}}
QPushButton[role="primary"] {{
    background: {c.accent}; color: {c.accent_text}; border-color: {c.accent}; font-weight: bold;
}}
QPushButton[role="action"] {{
    color: {c.accent}; border: 3px solid {c.accent}; font-weight: bold;
}}
QFrame[role="header"] QPushButton {{
    background: transparent; color: {c.header_text}; border-color: {c.header_text};
}}
QPushButton:focus, QToolButton:focus, QLineEdit:focus, QComboBox:focus, QDateEdit:focus,
QListWidget:focus, QCheckBox:focus {{
    border: 3px solid {c.focus};
}}
QPushButton:disabled {{ color: {c.muted}; border-style: dashed; }}
QLineEdit, QComboBox, QDateEdit {{
    min-height: {MIN_TARGET - 8}px; padding: 2px 8px; background: {c.surface};
    border: {border + 1}px solid {c.border}; border-radius: 6px;
}}
QLineEdit[invalid="true"] {{ border: 3px solid {c.error}; }}
QCheckBox, QRadioButton {{ min-height: {MIN_TARGET}px; spacing: 12px; }}
QCheckBox::indicator, QRadioButton::indicator {{ width: 28px; height: 28px; }}
QComboBox::drop-down {{
    subcontrol-origin: padding; subcontrol-position: center right;
    width: {MIN_TARGET - 8}px; border: none;
}}
QScrollBar:vertical {{ width: {SCROLLBAR}px; }}
QScrollBar:horizontal {{ height: {SCROLLBAR}px; }}
QTableWidget {{ background: {c.surface}; border: {border}px solid {c.border}; }}
QHeaderView::section {{
    font-size: 18px; padding: 6px 8px; background: {c.window}; color: {c.text};
    border: none; border-bottom: {border}px solid {c.border};
}}
QListWidget {{ background: {c.surface}; border: {border}px solid {c.border}; }}
QListWidget::item {{ min-height: {MIN_TARGET}px; padding: 4px 8px; }}
QListWidget::item:selected {{ background: {c.accent}; color: {c.accent_text}; }}
"""


def apply_theme(app: QApplication, high_contrast: bool) -> Colours:
    """Set palette, font and style sheet of ``app``; returns the colours used."""
    c = colours(high_contrast)
    app.setPalette(palette(c))
    font = QFont(app.font())
    font.setPointSizeF(13.5)
    app.setFont(font)
    app.setStyleSheet(style_sheet(c, high_contrast))
    return c
