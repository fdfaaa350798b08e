"""Settings of the back end's HTTP servers (``[backend]`` table).

Example::

    [backend]
    header_timeout_seconds = 10      # request head must be complete in time
    keep_alive_timeout_seconds = 30  # idle time between requests
    body_timeout_seconds = 30        # a request body may stall this long
"""

from __future__ import annotations

from dataclasses import dataclass

from koffer.config import Config


@dataclass(frozen=True)
class ServerSettings:
    #: seconds a client has to send a complete request head (request line and
    #: headers), counted from the TLS handshake or from the first byte of a
    #: further request on a kept-alive connection; then the connection is closed
    header_timeout: float = 10.0
    #: seconds an idle kept-alive connection stays open between requests
    keep_alive_timeout: int = 30
    #: seconds a request body may stall (no byte arriving); then the request is
    #: refused with 408 and the suitcase sends again later
    body_timeout: float = 30.0

    @classmethod
    def from_config(cls, config: Config) -> ServerSettings:
        r = config.reader("backend")
        d = cls()
        settings = cls(
            header_timeout=r.number(
                "header_timeout_seconds", d.header_timeout, minimum=0.1, maximum=300.0
            ),
            keep_alive_timeout=r.integer(
                "keep_alive_timeout_seconds", d.keep_alive_timeout, minimum=1, maximum=3600
            ),
            body_timeout=r.number(
                "body_timeout_seconds", d.body_timeout, minimum=0.1, maximum=3600.0
            ),
        )
        r.finish()
        return settings
