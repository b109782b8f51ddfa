from .conftest import login


def test_the_ui_switches_to_russian_and_back(client, caseworker, records):
    login(client, caseworker)
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    page = client.get(f"/incidents/{records['incident'].pk}/").content.decode()
    assert 'lang="ru"' in page
    assert "Государство-преследователь" in page and "Узбекистан" in page and "Задержание" in page
    assert "март 2021" in page.lower()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/incidents/{records['incident'].pk}/").content.decode()
    assert "Perpetrating (origin) state" in page and "March 2021" in page


def test_the_russian_catalogue_is_complete():
    from pathlib import Path

    import polib

    import shelter

    po = polib.pofile(str(Path(shelter.__file__).parent / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
    assert po.percent_translated() == 100, [e.msgid for e in po.untranslated_entries()]
    assert not po.fuzzy_entries()


def test_the_compiled_catalogue_matches_the_source():
    import gettext
    from pathlib import Path

    import polib

    import shelter

    folder = Path(shelter.__file__).parent / "locale" / "ru" / "LC_MESSAGES"
    po = polib.pofile(str(folder / "django.po"))
    with open(folder / "django.mo", "rb") as f:
        compiled = gettext.GNUTranslations(f)
    for entry in po:
        if not entry.msgid_plural and not entry.obsolete:
            found = compiled.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else compiled.gettext(entry.msgid)
            assert found == entry.msgstr, entry.msgid
