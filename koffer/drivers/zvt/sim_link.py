"""What the simulated terminal needs from the link that carries it (TCP or pty)."""

from __future__ import annotations


class LinkGone(Exception):
    """The ECR closed the link (or the simulator dropped it)."""


class SimLink:
    """What the PT logic needs from a server: APDUs in and out."""

    def send(self, apdu: bytes) -> None:
        raise NotImplementedError

    def receive(self, timeout: float) -> bytes | None:
        raise NotImplementedError

    def send_garbage(self, data: bytes) -> None:
        raise NotImplementedError

    def drop(self) -> None:
        raise NotImplementedError

    def unread(self, apdu: bytes) -> None:
        """Put a received command back (it starts the next exchange)."""
        raise NotImplementedError
