"""Wacom STU-430/530/540 signature pads over USB HID (pyusb), with a simulator."""
