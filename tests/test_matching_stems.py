from shelter.matching.phonetic import key
from shelter.matching.stems import derussified, gender_conflict, gendered, russian_stem


def k(*names):
    return [key(n) for n in names]


def test_gendered_endings_split_into_stem_and_gender():
    assert gendered(key("Karimova")) == (key("Karim"), "female")
    assert gendered(key("Каримов")) == (key("Karim"), "male")
    assert gendered(key("Tikhanovskaya"))[1] == "female"


def test_ov_and_ova_of_one_stem_conflict():
    assert gender_conflict(*k("Karimov", "Каримова"))
    assert gender_conflict(*k("Aliyev", "Əliyeva"))
    assert gender_conflict(*k("Putin", "Putina"))
    assert not gender_conflict(*k("Karimov", "Karimov"))
    assert not gender_conflict(*k("Karimov", "Rahimova"))


def test_de_russified_surnames_keep_the_stem():
    assert derussified(*k("Rakhmonov", "Rahmon"))  # Tajik president, 2007
    assert derussified(*k("Nazarov", "Nazarzoda"))
    assert derussified(*k("Kabirov", "Kabiri"))
    assert derussified(*k("Сафаров", "Safarzade"))
    assert not derussified(*k("Rakhmonov", "Rakhimov"))
    assert russian_stem(key("Ali")) is None


def test_national_forms_of_russian_surnames_keep_the_stem():
    assert derussified(*k("Bykov", "Bykau"))  # Belarusian -аў
    assert derussified(*k("Sarsenbaev", "Sarsenbaiuly"))  # Kazakh -ұлы; the stem's й comes back
    assert derussified(*k("Кунанбаев", "Құнанбайұлы"))
