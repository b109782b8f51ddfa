"""Red Notices as OpenSanctions publishes them: FollowTheMoney Person and Sanction entities."""

from pathlib import Path

from shelter.notices.sources import opensanctions
from shelter.notices.sources.interpol import as_person

DATA = Path(__file__).parent / "data" / "interpol" / "opensanctions_red.jsonl"


def read():
    return opensanctions.read(DATA.read_text("utf-8").splitlines())


def test_persons_come_with_their_warrants_from_sanctions():
    notices, _ = read()
    kabirov = next(n for n in notices if n.entity_id == "interpol-red-2026-11111")
    assert kabirov.name == "Muhiddin Kabirov" and kabirov.aliases == ("Mukhiddin Kabiri",)
    assert kabirov.birth_date == "1965-01-07" and kabirov.gender == "male"
    assert [(w.issuing_country, w.charge) for w in kabirov.warrants] == [("TJ", "Organisation of an extremist community")]


def test_the_ussr_is_read_as_su():
    notices, _ = read()
    petrov = next(n for n in notices if n.entity_id == "interpol-red-2019-44444")
    assert petrov.nationalities == ("SU", "RU") and petrov.birth_date == "1961"


def test_bad_lines_and_nameless_persons_are_reported_with_their_line_numbers():
    notices, errors = read()
    assert len(notices) == 2
    assert [(e.position, e.reason.split(" (")[0]) for e in errors] == [
        (5, "not a FollowTheMoney entity"), (6, "not JSON"), (4, "person interpol-red-2019-55555 has no name")]


def test_aliases_count_when_screening():
    notices, _ = read()
    kabirov = next(n for n in notices if n.entity_id == "interpol-red-2026-11111")
    assert [name.text for name in as_person(kabirov).names] == ["Muhiddin Kabirov", "Mukhiddin Kabiri"]
