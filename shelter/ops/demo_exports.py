"""Demo export screenings: an IMSI catcher for the Uzbek State Security Service (written in Uzbek Latin),
the same catcher for a German university, an industrial controller for it, and interception equipment
through a fictional company on a fictional export-restriction list — screened by the demo caseworker."""

from shelter.exportcontrol import screening
from shelter.exports.request import from_json
from shelter.records.models import Organisation

RESTRICTED = {
    "name": "Tekhnologii Svyazi LLC [FICTIONAL]", "kind": "company", "country": "RU",
    "aliases": ["ООО «Технологии связи»"], "topics": ["export.control"], "datasets": ["demo_export_restrictions"],
}
REQUESTS = [
    {"id": "DEMO-2026-017", "exporter": "Funkwerk Demo GmbH [FICTIONAL]",
     "item": {"description": "IMSI catcher for GSM, UMTS and LTE with active interception of the air interface"},
     "parties": [{"role": "end_user", "name": "O'zbekiston Respublikasi Davlat xavfsizlik xizmati", "country": "UZ"}],
     "destination": "UZ", "end_use": "Public security"},
    {"id": "DEMO-2026-018", "exporter": "Funkwerk Demo GmbH [FICTIONAL]",
     "item": {"description": "IMSI catcher for GSM, UMTS and LTE with active interception of the air interface"},
     "parties": [{"role": "end_user", "name": "Technische Universität Dresden", "country": "DE"}],
     "destination": "DE", "end_use": "Research on mobile network security"},
    {"id": "DEMO-2026-019", "item": {"description": "Industrial programmable logic controller (PLC) for a laboratory"},
     "parties": [{"role": "end_user", "name": "Technische Universität Dresden", "country": "DE"}], "destination": "DE"},
    {"id": "DEMO-2026-020", "item": {"description": "Lawful interception system for a mobile operator (SORM)"},
     "parties": [{"role": "intermediary", "name": "ООО Технологии Связи", "country": "RU"},
                 {"role": "end_user", "name": "Federal Security Service", "country": "RU"}],
     "destination": "RU"},
]


def load(users) -> int:
    Organisation.objects.get_or_create(name=RESTRICTED["name"], defaults=RESTRICTED)
    for request in REQUESTS:
        screening.save(from_json(request), users["caseworker"])
    return len(REQUESTS)
