from shelter.matching.index import Index
from shelter.matching.person import make


def registry():
    index = Index()
    index.add("r1", make("Мухиддин Кабири", birth_date="1965"))
    index.add("r2", make("Ўткир Ҳошимов", aliases=["Utkir Khashimov"]))
    index.add("r3", make("Gulnara Karimova", gender="female"))
    index.add("r4", make("Ислам Каримов", birth_date="1938"))
    index.add("r5", make("Rustam Karimov", birth_date="1978"))
    return index


def test_it_alerts_on_the_registered_person_written_in_another_script():
    alerts = registry().screen(make("KABIRI Muhiddin", birth_date="1965-01-07"))
    assert [a.candidate for a in alerts] == ["r1"]


def test_it_does_not_alert_on_relatives_sharing_a_surname():
    alerts = registry().screen(make("Islam Karimov", birth_date="1938-01-30"))
    assert [a.candidate for a in alerts] == ["r4"]


def test_alerts_come_best_first_and_above_the_threshold():
    index = registry()
    index.add("r6", make("Islom Karimov"))
    alerts = index.screen(make("Islam Karimov", birth_date="1938"))
    scores = [a.result.score for a in alerts]
    assert scores == sorted(scores, reverse=True)
    assert alerts[0].candidate == "r4"


def test_candidates_are_capped():
    index = Index()
    for i in range(80):
        index.add(i, make("Rustam Karimov"))
    assert len(index.candidates(make("Rustam Karimov"), limit=50)) == 50
    assert len(index) == 80
