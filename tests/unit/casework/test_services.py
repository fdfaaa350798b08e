"""The services behind completion, printing and the outbox (no Qt)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from koffer.cases import CaseType, case_to_dict, sample_case
from koffer.casework.case_store import CaseStore
from koffer.casework.completion import Document, complete_case, render_documents
from koffer.casework.services import CaseServices, demo_municipality, printer_from_config
from koffer.config import Config
from koffer.crypto.enrollment import DeviceCredentials
from koffer.devices.interfaces import DocumentPrinter
from koffer.documents.settings import MunicipalitySettings
from koffer.drivers.ipp.driver import IppPrinter
from koffer.drivers.ipp.simulator import IppSimulator
from koffer.enrollment import device
from koffer.errors import ConfigError, DeviceError, TransmissionError
from koffer.queue.settings import TransmissionSettings
from tests.unit.casework.conftest import TODAY


class _Printers:
    """A factory of simulated IPP printers that counts how often it builds one."""

    def __init__(self) -> None:
        self.simulator = IppSimulator()
        self.simulator.job_seconds = 0.0
        self.built = 0

    def __call__(self) -> DocumentPrinter:
        self.built += 1
        return IppPrinter(
            "ipp://127.0.0.1/ipp/print",
            timeout=5.0,
            poll_interval=0.01,
            type_name="simulator",
            simulator=self.simulator,
        )


@pytest.fixture
def printers() -> _Printers:
    return _Printers()


@pytest.fixture
def services(printers: _Printers) -> Iterator[CaseServices]:
    built = CaseServices(demo_municipality(), TransmissionSettings(), printers)
    yield built
    built.close()


def _document(day: date = TODAY) -> Document:
    case = sample_case(CaseType.ANMELDUNG, 1, day)
    (document,) = render_documents(case, demo_municipality(), day)
    return document


def _completed(store: CaseStore, seed: int = 1) -> str:
    case = sample_case(CaseType.ANMELDUNG, seed, TODAY)
    case_id = store.create_case("anmeldung", {"case": case_to_dict(case)})
    complete_case(store, case_id, TODAY, demo_municipality(), seal=None)
    return case_id


# ---------------------------------------------------------------- configuration


def test_demo_municipality_is_invented_and_labelled() -> None:
    municipality = demo_municipality()
    assert municipality.name == "Gemeinde Musterdorf (Demo)"
    assert municipality.address == ("Rathausplatz 1", "12345 Musterdorf")
    assert municipality != MunicipalitySettings()


def test_from_config_uses_the_demo_municipality_only_in_the_demo() -> None:
    demo = CaseServices.from_config(Config(), demo=True, simulate=False)
    assert demo.municipality == demo_municipality()
    real = CaseServices.from_config(Config(), demo=False, simulate=False)
    assert real.municipality == MunicipalitySettings()
    assert real.transmission == TransmissionSettings()
    assert real.printer is None  # built on first use only


def test_from_config_reads_municipality_and_transmission() -> None:
    config = Config(
        raw={
            "municipality": {"name": "Markt Lauf", "address": "Marktplatz 1; 91207 Lauf"},
            "transmission": {"batch_size": 7, "connect_timeout_seconds": 2.5},
        }
    )
    services = CaseServices.from_config(config, demo=True, simulate=True)
    assert services.municipality.name == "Markt Lauf"  # configured: the demo keeps it
    assert services.municipality.address == ("Marktplatz 1", "91207 Lauf")
    assert services.transmission.batch_size == 7
    assert services.transmission.connect_timeout == 2.5


def test_from_config_refuses_unknown_keys() -> None:
    with pytest.raises(ConfigError):
        CaseServices.from_config(
            Config(raw={"municipality": {"mayor": "x"}}), demo=False, simulate=False
        )


def test_printer_from_config_builds_the_simulated_a4_printer() -> None:
    printer = printer_from_config(Config(), simulate=True)()
    try:
        assert isinstance(printer, IppPrinter)
        assert printer.simulator is not None
        assert not printer.is_open  # opened when the first document is printed
    finally:
        printer.close()


# ---------------------------------------------------------------- printing


def test_print_document_prints_and_marks_it(services: CaseServices, printers: _Printers) -> None:
    document = _document()

    services.print_document(document)

    assert document.printed
    (job,) = printers.simulator.jobs.values()
    assert job.document == document.pdf
    assert job.name == document.title
    assert isinstance(services.printer, IppPrinter) and services.printer.is_open


def test_the_printer_is_built_once_and_reused(services: CaseServices, printers: _Printers) -> None:
    first, second = _document(), _document()
    services.print_document(first)
    printer = services.printer
    services.print_document(second)
    assert services.printer is printer
    assert printers.built == 1
    assert len(printers.simulator.jobs) == 2
    assert first.printed and second.printed


def test_close_closes_the_printer(services: CaseServices) -> None:
    services.print_document(_document())
    printer = services.printer
    assert printer is not None and printer.is_open
    services.close()
    assert services.printer is None
    assert not printer.is_open
    services.close()  # closing twice is harmless


def test_failing_factory_propagates_its_german_error() -> None:
    attempts: list[int] = []

    def broken() -> DocumentPrinter:
        attempts.append(1)
        raise DeviceError(
            "Der A4-Drucker ist nicht angeschlossen.", message_en="The printer is not attached."
        )

    services = CaseServices(demo_municipality(), TransmissionSettings(), broken)
    document = _document()
    with pytest.raises(DeviceError) as caught:
        services.print_document(document)
    assert caught.value.message == "Der A4-Drucker ist nicht angeschlossen."
    assert not document.printed
    assert services.printer is None
    with pytest.raises(DeviceError):  # the next attempt tries to build it again
        services.print_document(document)
    assert len(attempts) == 2 and not document.printed


def test_printer_out_of_paper_leaves_the_document_unprinted(
    services: CaseServices, printers: _Printers
) -> None:
    printers.simulator.set_reasons("media-empty-error")
    document = _document()
    with pytest.raises(DeviceError) as caught:
        services.print_document(document)
    assert "Papier" in caught.value.message
    assert not document.printed
    assert printers.simulator.jobs == {}
    # paper refilled: the same document (kept in memory) prints on retry
    printers.simulator.set_reasons("none")
    services.print_document(document)
    assert document.printed and len(printers.simulator.jobs) == 1


def test_a_document_that_is_no_pdf_is_not_printed(
    services: CaseServices, printers: _Printers
) -> None:
    document = Document("meldebestaetigung", "Meldebestätigung 2025-000001", b"<html>")
    with pytest.raises(DeviceError) as caught:
        services.print_document(document)
    assert "kein PDF" in caught.value.message
    assert not document.printed
    assert printers.simulator.jobs == {}


# ---------------------------------------------------------------- outbox


def test_not_enrolled_sealing_is_refused_and_changes_nothing(
    services: CaseServices, case_store: CaseStore
) -> None:
    unlocked = case_store.unlocked
    case_id = _completed(case_store)
    assert not services.enrolled(unlocked)
    assert services.credentials(unlocked) is None

    with pytest.raises(TransmissionError) as caught:
        services.seal(unlocked, case_id)

    assert "nicht bei der Gegenstelle eingerichtet" in caught.value.message
    assert unlocked.case_meta(case_id).state == "completed"
    assert services.outbox_counts(unlocked) == {}
    recovery = services.reseal(unlocked)
    assert recovery.waiting == 1 and not recovery.sealed and not recovery.failed


def test_enrolled_sealing_fills_the_outbox(
    services: CaseServices, case_store: CaseStore, creds: DeviceCredentials, tmp_path: Path
) -> None:
    unlocked = case_store.unlocked
    device.save_credentials(unlocked, creds)
    first = _completed(case_store, 1)
    second = _completed(case_store, 2)
    assert services.enrolled(unlocked)
    credentials = services.credentials(unlocked)
    assert credentials is not None and credentials.device_id == creds.device_id

    entry = services.seal(unlocked, first)

    assert entry.state == "sealed"
    meta = unlocked.case_meta(first)
    assert meta.state == "sealed" and not meta.readable
    assert entry.case_number == meta.case_number
    # the second case was left completed (as after a crash): the recovery seals it
    recovery = services.reseal(unlocked)
    assert [e.case_number for e in recovery.sealed] == [unlocked.case_meta(second).case_number]
    assert services.outbox_counts(unlocked) == {"sealed": 2}
    assert {e.envelope_id for e in services.outbox_entries(unlocked)} >= {entry.envelope_id}
    assert services.outbox_states(unlocked) == {
        unlocked.case_meta(first).case_number: "sealed",
        unlocked.case_meta(second).case_number: "sealed",
    }
    assert services.reseal(unlocked).sealed == []  # exactly once

    exported = services.export(unlocked, tmp_path / "stick")
    assert exported == 2
    assert len(list((tmp_path / "stick" / "envelopes").iterdir())) == 2
    assert (tmp_path / "stick" / "manifest.json").is_file()
