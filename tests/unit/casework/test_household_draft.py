"""The kiosk draft's household facts (§ 3 Abs. 1 Nr. 14–16 BMG): saved and read
back, older drafts still load, links follow removed persons, and the draft
becomes the case (and the citizen's review) with them."""

from __future__ import annotations

from datetime import date

from koffer.casework.household import drop_person_links, link_spouses, parent_list
from koffer.casework.registration import MeldeDraft, draft_to_case
from koffer.casework.review import summary

TODAY = date(2026, 12, 2)


def _person(given: str, birth: str, **extra: str) -> dict[str, str]:
    return {
        "family_name": "Yılmaz",
        "given_names": given,
        "birth_date": birth,
        "birth_place": "Köln",
        "sex": "w",
        **extra,
    }


def _draft() -> MeldeDraft:
    draft = MeldeDraft(case_type="anmeldung")
    draft.persons = [
        _person("Ayşe", "14.05.1986", marriage_date="20.06.2012", marriage_place="İzmir"),
        _person("Emre", "02.01.1984", marriage_date="20.06.2012", marriage_place="İzmir"),
        _person("Zeynep", "03.03.2015", parents="0,1"),
    ]
    draft.documents = [{}, {}, {}]
    link_spouses(draft.persons, 0, 1)
    return draft


def test_the_draft_keeps_the_household_facts() -> None:
    payload = _draft().to_payload()
    again = MeldeDraft.from_payload(payload)
    assert again.persons[0]["spouse"] == "1"
    assert again.persons[1]["spouse"] == "0"
    assert again.persons[0]["marriage_place"] == "İzmir"
    assert again.persons[2]["parents"] == "0,1"
    draft = MeldeDraft()
    draft.set_person_field(0, "marriage_date", "01.02.2020")
    assert draft.persons[0]["marriage_date"] == "01.02.2020"


def test_an_older_draft_without_the_fields_loads() -> None:
    payload = {
        "kiosk_draft": 1,
        "case_type": "anmeldung",
        "step": "persons",
        "persons": [_person("Ayşe", "14.05.1986")],
        "dwelling": {},
    }
    draft = MeldeDraft.from_payload(payload)
    assert "spouse" not in draft.persons[0]
    case, _ = draft_to_case(draft, TODAY)
    assert case is not None
    first = case.persons[0]
    assert (first.marriage_date, first.marriage_place, first.spouse_index) == (None, None, None)
    assert first.parent_indices == []


def test_the_draft_becomes_the_case_with_links() -> None:
    case, findings = draft_to_case(_draft(), TODAY)
    assert case is not None
    ayse, emre, zeynep = case.persons
    assert ayse.marriage_date == date(2012, 6, 20) and ayse.marriage_place == "İzmir"
    assert (ayse.spouse_index, emre.spouse_index) == (1, 0)
    assert zeynep.parent_indices == [0, 1]
    fields = {f.field for f in findings if f.severity == "error"}
    assert not any("spouse" in f or "parent" in f or "marriage" in f for f in fields)


def test_a_half_typed_marriage_date_is_a_finding() -> None:
    draft = _draft()
    draft.persons[0]["marriage_date"] = "20.06."
    case, findings = draft_to_case(draft, TODAY)
    assert case is None
    assert [f.field for f in findings] == ["persons[0].marriage_date"]
    assert "TT.MM.JJJJ" in findings[0].message


def test_a_one_sided_spouse_link_reaches_the_rules() -> None:
    draft = _draft()
    draft.persons[1]["spouse"] = ""
    case, findings = draft_to_case(draft, TODAY)
    assert case is not None
    assert "persons[0].spouse_index" in {f.field for f in findings if f.severity == "error"}


def test_removing_a_person_renumbers_the_links() -> None:
    draft = _draft()
    draft.remove_person(0)  # Ayşe leaves the Meldeschein
    emre, zeynep = draft.persons
    assert emre["spouse"] == ""
    assert zeynep["parents"] == "0"  # Emre moved up to place 0
    persons = [{"spouse": "2"}, {"parents": "2, 0"}, {"spouse": "0"}]
    drop_person_links(persons, 1)
    assert persons == [{"spouse": "1"}, {"parents": "1,0"}, {"spouse": "0"}]


def test_linking_spouses_stays_mutual() -> None:
    persons: list[dict[str, str]] = [{}, {}, {}]
    link_spouses(persons, 0, 1)
    assert [p.get("spouse") for p in persons] == ["1", "0", None]
    link_spouses(persons, 2, 1)  # Emre now named by 2: the old link of 0 goes
    assert [p.get("spouse") for p in persons] == ["", "2", "1"]
    link_spouses(persons, 2, None)
    assert [p.get("spouse") for p in persons] == ["", "", ""]
    assert parent_list("0, x, 2,") == [0, 2]


def test_the_citizen_review_shows_the_household() -> None:
    case, _ = draft_to_case(_draft(), TODAY)
    assert case is not None
    german = {label: value for s in summary(case) for label, value in s.rows}
    assert german["Verheiratet / verpartnert mit"] in {"Emre Yılmaz", "Ayşe Yılmaz"}
    assert german["Kind von"] == "Ayşe Yılmaz und Emre Yılmaz"
    english = [row for s in summary(case, "en") for row in s.rows]
    assert ("Date of marriage / civil partnership", "20.06.2012") in english
    assert ("Child of", "Ayşe Yılmaz and Emre Yılmaz") in english
