"""Cameras: a small V4L2 driver and a simulator drawing synthetic faces."""
