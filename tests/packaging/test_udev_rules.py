"""The udev rules: grammar (own checker, see udev_syntax) and the devices covered.

``udevadm verify`` needs systemd >= 254 and ``udevadm test`` a running udev with
real devices; neither is available in Debian 12 containers, so this checks the
file statically.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.packaging.udev_syntax import Pair, check_rules, rules

RULES = Path(__file__).resolve().parents[2] / "packaging" / "udev" / "70-koffer.rules"


def _text() -> str:
    return RULES.read_text(encoding="utf-8")


def _get(rule: list[Pair], key: str, attr: str | None = None) -> Pair | None:
    return next((p for p in rule if p.key == key and p.attr == attr), None)


def test_rules_file_is_syntactically_valid() -> None:
    assert check_rules(_text()) == []


def test_rules_sort_before_seat_late_so_uaccess_applies() -> None:
    assert RULES.name < "73-seat-late.rules"


def test_every_device_rule_grants_uaccess_and_a_group() -> None:
    device_rules = [r for r in rules(_text()) if _get(r, "SUBSYSTEM")]
    assert len(device_rules) >= 8
    for rule in device_rules:
        assert Pair("TAG", None, "+=", "uaccess") in rule
        group = _get(rule, "GROUP")
        assert group is not None and group.value in {"koffer", "dialout", "lp", "video"}
        assert _get(rule, "MODE") == Pair("MODE", None, "=", "0660")


def _matching(subsystem: str) -> list[list[Pair]]:
    return [r for r in rules(_text()) if Pair("SUBSYSTEM", None, "==", subsystem) in r]


def test_wacom_stu_pads_usb_and_hidraw() -> None:
    for subsystem, attr_key in (("usb", "ATTR"), ("hidraw", "ATTRS")):
        (rule,) = _matching(subsystem)[:1]
        assert Pair(attr_key, "idVendor", "==", "056a") in rule
        product = _get(rule, attr_key, "idProduct")
        assert product is not None
        assert set(product.value.split("|")) == {"00a4", "00a5", "00a6", "00a7", "00a8"}


@pytest.mark.parametrize(("vid", "pid"), [("10c4", "ea60"), ("1a86", "7523"), ("0403", "6001")])
def test_usb_serial_adapters_on_tty(vid: str, pid: str) -> None:
    assert any(
        Pair("ATTRS", "idVendor", "==", vid) in r and Pair("ATTRS", "idProduct", "==", pid) in r
        for r in _matching("tty")
    )


def test_printers_by_class_and_vendor() -> None:
    usb = _matching("usb")
    assert any(Pair("ENV", "ID_USB_INTERFACES", "==", "*:07????:*") in r for r in usb)
    vendor_rule = next(r for r in usb if _get(r, "ATTR", "idVendor") and "04b8" in str(r))
    assert "04b8" in (_get(vendor_rule, "ATTR", "idVendor") or Pair("", None, "", "")).value
    assert _matching("usbmisc")


def test_cameras() -> None:
    assert _matching("video4linux")


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ('SUBSYSTEM="usb", MODE="0660"', "cannot be assigned"),
        ('SUBSYSTEM=="usb" MODE="0660"', "missing comma"),
        ('BOGUS=="x"', "unknown key"),
        ('ATTR=="x"', "needs an {attribute}"),
        ('SUBSYSTEM=="usb", MODE="rw"', "not octal"),
        ('SUBSYSTEM=="usb", GOTO="nowhere"', "missing LABEL"),
        ("SUBSYSTEM==usb", "cannot parse"),
        ('OWNER=="root"', "cannot be matched"),
    ],
)
def test_checker_rejects_bad_rules(line: str, fragment: str) -> None:
    problems = check_rules(line + "\n")
    assert problems and fragment in problems[0]


def test_checker_joins_continuation_lines() -> None:
    assert check_rules('SUBSYSTEM=="usb", \\\n  MODE="0660"\n') == []
