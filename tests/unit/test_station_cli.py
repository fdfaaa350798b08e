"""``koffer station init`` checks --tenant/--relay against the token before anything else."""

from __future__ import annotations

from pathlib import Path

import pytest

from koffer.commands import cli
from koffer.crypto.enrollment import EnrollmentToken

TOKEN = EnrollmentToken(
    url="https://relay.example:8443",
    enroll_url="https://relay.example:8444",
    ca_sha256="ab" * 32,
    secret="s3cret",
    name="musterdorf",
).encode()


@pytest.mark.parametrize(
    ("extra", "word"),
    [(["--tenant", "beispielstadt"], "musterdorf"), (["--relay", "https://x:1"], "relay.example")],
)
def test_init_refuses_a_token_for_another_tenant_or_relay(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], word: str
) -> None:
    data = tmp_path / "station"
    code = cli.main(["station", "init", "--data-dir", str(data), "--token", TOKEN, *extra])
    assert code != 0
    assert word in capsys.readouterr().err
    assert not data.exists()


def test_status_without_a_station_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["station", "status", "--data-dir", str(tmp_path)]) != 0
    assert "koffer station init" in capsys.readouterr().err
