"""A small syntax checker for udev rule files.

``udevadm verify`` exists only from systemd 254 (Debian 12 ships 252), and
``udevadm test`` needs a running udev with real sysfs devices, which a
container does not have. This checker covers the rule grammar: comma-separated
``KEY{attr} OP "value"`` pairs, known keys, match keys with ``==``/``!=`` only,
assignment keys with ``=``/``+=``/``-=``/``:=``, and GOTO/LABEL pairing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MATCH_KEYS = frozenset(
    {
        "ACTION", "DEVPATH", "KERNEL", "KERNELS", "NAME", "SYMLINK", "SUBSYSTEM",
        "SUBSYSTEMS", "DRIVER", "DRIVERS", "ATTR", "ATTRS", "SYSCTL", "ENV", "CONST",
        "TAG", "TAGS", "TEST", "PROGRAM", "RESULT",
    }
)  # fmt: skip
ASSIGN_KEYS = frozenset(
    {
        "NAME", "SYMLINK", "OWNER", "GROUP", "MODE", "SECLABEL", "ATTR", "SYSCTL", "ENV",
        "TAG", "RUN", "LABEL", "GOTO", "IMPORT", "OPTIONS",
    }
)  # fmt: skip
#: keys that take an {attribute} part
ATTR_KEYS = frozenset(
    {"ATTR", "ATTRS", "SYSCTL", "ENV", "TEST", "IMPORT", "RUN", "SECLABEL", "CONST"}
)
MATCH_OPS = frozenset({"==", "!="})
ASSIGN_OPS = frozenset({"=", "+=", "-=", ":="})

PAIR = re.compile(
    r"""\s*(?P<key>[A-Z_]+)(?:\{(?P<attr>[^}]*)\})?\s*(?P<op>==|!=|\+=|-=|:=|=)\s*"(?P<value>(?:[^"\\]|\\.)*)"\s*(?P<sep>,)?"""
)


@dataclass(frozen=True)
class Pair:
    key: str
    attr: str | None
    op: str
    value: str


def logical_lines(text: str) -> list[tuple[int, str]]:
    """Rule lines with backslash continuations joined; comments and blanks dropped."""
    lines: list[tuple[int, str]] = []
    buffer = ""
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not buffer:
            start = number
        if raw.endswith("\\"):
            buffer += raw[:-1]
            continue
        buffer += raw
        stripped = buffer.strip()
        buffer = ""
        if stripped and not stripped.startswith("#"):
            lines.append((start, stripped))
    return lines


def parse_rule(line: str) -> list[Pair]:
    """The key/operator/value pairs of one rule; raises ValueError on bad syntax."""
    pairs: list[Pair] = []
    pos = 0
    while pos < len(line):
        match = PAIR.match(line, pos)
        if match is None:
            raise ValueError(f"cannot parse at column {pos + 1}: {line[pos : pos + 30]!r}")
        pairs.append(Pair(match["key"], match["attr"], match["op"], match["value"]))
        pos = match.end()
        if match["sep"] is None and pos < len(line):
            raise ValueError(f"missing comma at column {pos + 1}")
    return pairs


def check_pair(pair: Pair) -> str | None:
    """An error message for a pair that udev would reject, else None."""
    if pair.key not in MATCH_KEYS | ASSIGN_KEYS:
        return f"unknown key {pair.key}"
    if pair.attr is not None and pair.key not in ATTR_KEYS:
        return f"{pair.key} takes no {{attribute}}"
    if pair.attr is None and pair.key in ATTR_KEYS - {"TEST", "IMPORT", "RUN"}:
        return f"{pair.key} needs an {{attribute}}"
    if pair.op in MATCH_OPS and pair.key not in MATCH_KEYS:
        return f"{pair.key} cannot be matched with {pair.op}"
    if pair.op in ASSIGN_OPS and pair.key not in ASSIGN_KEYS:
        return f"{pair.key} cannot be assigned with {pair.op}"
    if pair.key == "MODE" and not re.fullmatch(r"0?[0-7]{3}", pair.value):
        return f"MODE {pair.value!r} is not octal"
    return None


def check_rules(text: str) -> list[str]:
    """Every problem in a rules file, as 'line N: message'."""
    problems: list[str] = []
    labels: set[str] = set()
    gotos: list[tuple[int, str]] = []
    for number, line in logical_lines(text):
        try:
            pairs = parse_rule(line)
        except ValueError as exc:
            problems.append(f"line {number}: {exc}")
            continue
        for pair in pairs:
            error = check_pair(pair)
            if error:
                problems.append(f"line {number}: {error}")
            if pair.key == "LABEL":
                labels.add(pair.value)
            if pair.key == "GOTO":
                gotos.append((number, pair.value))
    for number, label in gotos:
        if label not in labels:
            problems.append(f"line {number}: GOTO to missing LABEL {label!r}")
    return problems


def rules(text: str) -> list[list[Pair]]:
    """The parsed rules (for content assertions)."""
    return [parse_rule(line) for _, line in logical_lines(text)]
