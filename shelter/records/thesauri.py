from shelter import thesaurus

SYNCED = {"tactics": "category", "profiles": None, "accusations": None}


def sync_thesauri(**kwargs):
    """Bring the Term table in line with the thesaurus files (new terms added, versions updated)."""
    from .models import Term

    for name, category_key in SYNCED.items():
        data = thesaurus.load(name)
        for term in data["terms"]:
            Term.objects.update_or_create(
                thesaurus=name,
                code=term["code"],
                defaults={"version": data["version"], "category": term.get(category_key, "") if category_key else ""},
            )


def term(thesaurus_name: str, code: str):
    from .models import Term

    return Term.objects.get(thesaurus=thesaurus_name, code=code)
