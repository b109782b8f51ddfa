import json

import pytest

from shelter.matching.given_names import group_of
from shelter.matching.phonetic import DATA, key


@pytest.mark.parametrize("names", [
    ("Muhammad", "Мухаммад", "Magomed", "Магомед", "Mamed", "Məhəmməd", "Mohammed"),
    ("Abdulla", "Abdullo", "Abdulloh", "Абдуллоҳ", "Abdullah"),
    ("Husayn", "Гусейн", "Hüseyn", "Hussein"),
    ("Aleksandr", "Аляксандр", "Олександр", "Alexander"),
])
def test_variants_of_one_given_name_share_a_group(names):
    assert len({group_of(key(n)) for n in names}) == 1
    assert group_of(key(names[0])) is not None


def test_different_names_are_in_different_groups():
    assert group_of(key("Hasan")) != group_of(key("Husayn"))
    assert group_of(key("Karimov")) is None


def test_every_group_cites_a_source():
    data = json.loads((DATA / "given_names.json").read_text("utf-8"))
    assert data["version"]
    assert all(group["source"] and group["variants"] for group in data["groups"])
