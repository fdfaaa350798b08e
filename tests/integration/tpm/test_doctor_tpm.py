"""``koffer doctor``'s TPM check: the pure verdicts over the facts it gathers."""

from __future__ import annotations

from koffer.commands import doctor as ops


def test_no_store_is_not_checked() -> None:
    assert ops.check_tpm(None).status == "skipped"


def test_store_without_tpm_warns_about_the_copied_disk() -> None:
    result = ops.check_tpm({"protected": False})
    assert result.status == "warn"
    assert "nicht durch einen TPM" in result.message
    assert "offline" in result.message


def test_unreachable_or_cleared_tpm_fails() -> None:
    assert ops.check_tpm({"protected": True, "reachable": False}).status == "fail"
    cleared = {"protected": True, "reachable": True, "parent_present": False}
    assert ops.check_tpm(cleared).status == "fail"
    assert "Wiederherstellungscode" in ops.check_tpm(cleared).message


def test_lockout_fails_and_names_the_way_back() -> None:
    facts = {
        "protected": True,
        "reachable": True,
        "parent_present": True,
        "locked_out": True,
        "failed_tries": 32,
        "max_tries": 32,
    }
    result = ops.check_tpm(facts)
    assert result.status == "fail"
    assert "koffer accounts recover" in result.message


def test_healthy_tpm_reports_the_count() -> None:
    facts = {
        "protected": True,
        "reachable": True,
        "parent_present": True,
        "locked_out": False,
        "failed_tries": 2,
        "max_tries": 32,
    }
    result = ops.check_tpm(facts)
    assert result.status == "ok"
    assert "2 von 32" in result.message
