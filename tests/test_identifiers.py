"""Identifiers in one written form: the same phone, address, account, plate or wallet written two ways
is known as one, a different one is not, and what is not an identifier of its kind is refused with the
reason."""

import pytest

from shelter.identifiers.normalise import IdentifierError, normalise


@pytest.mark.parametrize("kind, one, other, country", [
    ("phone", "+998 90 123-45-67", "998901234567", ""),
    ("phone", "90 123 45 67", "+998901234567", "UZ"),
    ("phone", "8 (912) 345-67-89", "+7 912 345 6789", "RU"),
    ("phone", "00998 90 1234567", "+998901234567", ""),
    ("whatsapp", "+998 (90) 123 45 67", "998901234567", ""),
    ("email", "Rustam.K@Gmail.com", "rustamk@gmail.com", ""),
    ("email", "rustamk+istanbul@googlemail.com", "RUSTAMK@gmail.com", ""),
    ("email", "agent@ya.ru", "Agent@yandex.ru", ""),
    ("telegram", "https://t.me/Rustam_K", "@rustam_k", ""),
    ("vk", "vk.com/id12345", "https://vk.com/ID12345", ""),
    ("instagram", "@Rustam.K", "instagram.com/rustam.k/", ""),
    ("facebook", "facebook.com/Rustam.Karimov", "rustamkarimov", ""),
    ("x", "@Rustam_K", "https://twitter.com/rustam_k", ""),
    ("plate", "А 123 ВС 77", "a123bc77", "RU"),  # Cyrillic А, В, С against Latin
    ("plate", "01 A 123 BC", "01A123BC", "UZ"),
    ("ip", "2001:DB8::0:1", "2001:db8::1", ""),
    ("iban", "de89 3704 0044 0532 0130 00", "DE89370400440532013000", ""),
    ("wallet", "0xABCDEF0123456789abcdef0123456789ABCDEF01", "0xabcdef0123456789abcdef0123456789abcdef01", ""),
    ("passport", "АА 1234567", "AA1234567", "UZ"),
    ("address", "Istanbul, Fatih, Akşemsettin Cd. 12", "istanbul fatih akşemsettin cd 12", ""),
])
def test_two_writings_of_one_identifier_are_one(kind, one, other, country):
    assert normalise(kind, one, country) == normalise(kind, other, country)


@pytest.mark.parametrize("kind, one, other, country", [
    ("phone", "+998 90 123-45-67", "+998 90 123-45-68", ""),
    ("email", "rustam.k@mail.ru", "rustamk@mail.ru", ""),  # Mail.ru does not ignore dots
    ("email", "rustamk+x@mail.ru", "rustamk@mail.ru", ""),  # nor, here, +tags
    ("plate", "A123BC77", "A123BC77", "KZ"),
    ("telegram", "rustam_k", "rustam_k2", ""),
])
def test_different_identifiers_stay_different(kind, one, other, country):
    other_country = "RU" if kind == "plate" else country
    assert normalise(kind, one, country) != normalise(kind, other, other_country)


@pytest.mark.parametrize("kind, value, country, reason", [
    ("phone", "12345", "UZ", "not a valid phone number in UZ"),
    ("phone", "901234567", "", "give the country"),
    ("email", "rustam@", "", "not an e-mail address"),
    ("telegram", "https://vk.com/rustam", "", "not an address of a telegram page"),
    ("telegram", "ab", "", "not a telegram account name"),
    ("iban", "DE89 3704 0044 0532 0130 01", "", "not a valid IBAN"),
    ("wallet", "hello", "", "not a wallet address"),
    ("plate", "!!", "RU", "3 to 12 letters and digits"),
    ("fax", "1", "", "unknown kind"),
    ("phone", "   ", "", "empty"),
])
def test_what_is_not_an_identifier_of_its_kind_is_refused_with_the_reason(kind, value, country, reason):
    with pytest.raises(IdentifierError, match=reason):
        normalise(kind, value, country)


def test_every_rule_names_its_source():
    from shelter.identifiers.normalise import rules

    data = rules()
    assert data["plate_letters"]["source"] and data["phone_accounts"]["source"]
    assert all(rule["source"] for rule in data["accounts"].values())
    assert all(data["email"][part]["source"] for part in ("dots_ignored", "same_mailbox", "plus_tags"))
