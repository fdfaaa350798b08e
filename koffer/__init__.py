"""Bürgerservice-Koffer: offline outreach kit for municipal citizen services."""

__version__ = "0.1.0"
