"""Clock-skew judgement (koffer.queue.clockskew) and the refusal classification."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from koffer.queue import clockskew
from koffer.queue.clockskew import CERT_HAS_EXPIRED, CERT_NOT_YET_VALID, ClockSkewError, Probe
from koffer.queue.transmitter import _server_refusal

NOW = dt.datetime(2026, 6, 2, 12, 0, tzinfo=dt.UTC)
TOLERANCE = dt.timedelta(minutes=2)


def test_date_header_parsing() -> None:
    assert clockskew.server_time("Tue, 02 Jun 2026 11:50:00 GMT") == NOW - dt.timedelta(minutes=10)
    assert clockskew.skew(NOW, "Tue, 02 Jun 2026 11:50:00 GMT") == dt.timedelta(minutes=10)
    for bad in (None, "", "gestern", "Tue, 99 Foo 2026 11:50:00 GMT"):
        assert clockskew.server_time(bad) is None


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-40, "etwa 40 Sekunden falsch (sie geht nach)"),
        (600, "etwa 10 Minuten falsch (sie geht vor)"),
        (-3 * 3600, "etwa 3 Stunden falsch (sie geht nach)"),
        (1100 * 86400, "etwa 1100 Tage falsch (sie geht vor)"),
    ],
)
def test_skew_message_says_how_far_and_which_way(seconds: int, text: str) -> None:
    err = clockskew.skew_error(dt.timedelta(seconds=seconds))
    assert err.message.startswith("Die Uhr des Koffers geht um " + text)
    assert "Datum und Uhrzeit" in err.message and "bleiben gespeichert" in err.message
    assert err.skew == dt.timedelta(seconds=seconds)


def test_diagnose_prefers_the_date_header() -> None:
    probe = Probe(server_time=NOW - dt.timedelta(days=3), not_after=NOW - dt.timedelta(days=1))
    err = clockskew.diagnose(NOW, CERT_HAS_EXPIRED, probe, TOLERANCE)
    assert isinstance(err, ClockSkewError) and "etwa 3 Tage" in err.message


def test_diagnose_right_clock_blames_the_certificate() -> None:
    probe = Probe(server_time=NOW, not_after=NOW - dt.timedelta(days=1))
    err = clockskew.diagnose(NOW, CERT_HAS_EXPIRED, probe, TOLERANCE)
    assert not isinstance(err, ClockSkewError)
    assert "abgelaufen" in err.message and "geht richtig" in err.message


def test_diagnose_without_date_uses_the_validity_period() -> None:
    slow = clockskew.diagnose(
        NOW, CERT_NOT_YET_VALID, Probe(not_before=NOW + dt.timedelta(hours=5)), TOLERANCE
    )
    assert isinstance(slow, ClockSkewError) and "mindestens 5 Stunden" in slow.message
    expired = clockskew.diagnose(
        NOW, CERT_HAS_EXPIRED, Probe(not_after=NOW - dt.timedelta(days=4)), TOLERANCE
    )
    assert "abgelaufen (Zeitunterschied: 4 Tage)" in expired.message
    assert "Uhr des Koffers falsch" in expired.message
    nothing = clockskew.diagnose(NOW, CERT_NOT_YET_VALID, Probe(), TOLERANCE)
    assert "noch nicht gültig" in nothing.message and "Die Uhr des Koffers" in nothing.message


def _response(status: int, **kwargs: object) -> httpx.Response:
    return httpx.Response(status, **kwargs)  # type: ignore[arg-type]


def test_only_the_back_ends_own_refusal_document_is_final() -> None:
    doc = {"code": "invalid_case", "message": "abgelehnt", "message_en": "rejected"}
    refusal = _server_refusal(_response(422, json=doc))
    assert refusal is not None and refusal.final and refusal.code == "invalid_case"
    not_final = _server_refusal(_response(409, json={**doc, "final": False}))
    assert not_final is not None and not not_final.final
    assert _server_refusal(_response(404, text="<html>Not Found</html>")) is None
    assert _server_refusal(_response(400, json={"code": 5, "message": "x"})) is None
    assert _server_refusal(_response(400, json=["code"])) is None
