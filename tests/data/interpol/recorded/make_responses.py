"""Writes responses.json: the Red Notices API's answers, as tests/test_notices_fetch.py's local server
plays them back. Every person is fictional (Uzbek, Tajik and Russian names in Interpol's Latin
transliteration, drawn at random); the shapes are those of ws-public.interpol.int.

Run it again only to change the recording: `.venv/bin/python tests/data/interpol/recorded/make_responses.py`.

Keys are the path, and for a list the query string sorted by parameter. A value is one response, or a
list of responses played in turn (the last one then again): {"status", "headers", "json" | "text",
"delay" (seconds before answering)}; "json" bodies go out as application/json.

What is in it:
- UZ: 300 notices, over the cap of 160. By sex F 12, M 280, U 8; M by age 0–60 250 (0–30 90,
  31–60 160) and 61–120 28; the other 2 men have no date of birth, so no age band lists them: one is
  first in the broader listings (recoverable), the other last (beyond the 160 they show).
- TJ: 25 records in one page: 3 Uzbek citizens who are also Tajik (listed under UZ too), a record
  without entity_id, a notice with a warrant from "914" (not ISO), one born "1979/08" whose warrant
  has an empty charge, one whose detail answers 503 then 200, one whose detail is cut short (invalid
  JSON), one whose detail is 404.
- RU: 40 notices, paged 20 at a time although 160 were asked for; page 2 answers 429 first. Two are
  Uzbek citizens who are also Russian.
- All notices (no filter): 360, for the split by nationality.
- name=KARIMOV: a name search that fits in one page.
- Details that always fail (503; 429 asking for an hour) or answer too late, for the client's tests.
"""

import json
import random
from pathlib import Path

HOST = "https://ws-public.interpol.int"
RED = "/notices/v1/red"
PER_PAGE = 160
THIS_YEAR = 2026

rng = random.Random(20260315)

FORENAMES = {
    ("UZ", "M"): ["BAKHTIYOR", "SHERZOD", "DILSHOD", "FARRUKH", "ULUGBEK", "JAMSHID", "OYBEK", "SARDOR",
                  "OTABEK", "AZIZ", "ILKHOM", "NODIR", "BOTIR", "JAKHONGIR", "SANJAR", "KHURSHID"],
    ("UZ", "F"): ["DILNOZA", "GULNORA", "NIGORA", "SHAKHNOZA", "FERUZA", "NODIRA", "MUKHLISA", "ZUKHRA"],
    ("TJ", "M"): ["UMED", "FIRUZ", "SUHROB", "PARVIZ", "DAVRON", "SHOHRUKH", "ALISHER", "JAMSHED", "BEHRUZ"],
    ("TJ", "F"): ["MAVJUDA", "SHAHNOZA", "FARZONA", "TAHMINA"],
    ("RU", "M"): ["ALEKSEI", "DMITRII", "SERGEI", "ANDREI", "MIKHAIL", "NIKOLAI", "IGOR", "PAVEL", "ARTEM"],
    ("RU", "F"): ["ANNA", "ELENA", "OLGA", "IRINA", "TATIANA", "NATALIIA"],
}
SURNAMES = {
    "UZ": ["YULDASHEV", "RAKHIMOV", "TURSUNOV", "ISMOILOV", "KHOLMATOV", "MIRZAEV", "ABDULLAEV",
           "ERGASHEV", "USMONOV", "KHAMIDOV", "SULTONOV", "NORMATOV", "TOSHPULATOV", "ALIMOV", "RASULOV"],
    "TJ": ["RAHMONOV", "SAFAROV", "KURBONOV", "DAVLATOV", "SHARIPOV", "BOBOEV", "NAZAROV", "SAIDOV"],
    "RU": ["PETROV", "SMIRNOV", "KUZNETSOV", "SOKOLOV", "POPOV", "LEBEDEV", "KOZLOV", "NOVIKOV", "MOROZOV",
           "VOLKOV", "ALEKSEEV", "ZAITSEV"],
}
PLACES = {"UZ": ["TASHKENT", "SAMARKAND", "ANDIJAN", "NAMANGAN", "FERGANA", "BUKHARA", "NUKUS"],
          "TJ": ["DUSHANBE", "KHUJAND", "KULOB", "BOKHTAR", "ISTARAVSHAN"],
          "RU": ["MOSCOW", "KAZAN", "UFA", "NOVOSIBIRSK", "SAINT PETERSBURG", "MAKHACHKALA"]}
LANGUAGES = {"UZ": ["UZB", "RUS"], "TJ": ["TGK", "RUS"], "RU": ["RUS"]}
CHARGES = {
    "UZ": [("Посягательство на конституционный строй Республики Узбекистан",
            "Encroachment on the constitutional order of the Republic of Uzbekistan"),
           ("Мошенничество", "Fraud"),
           ("Создание, руководство или участие в религиозных экстремистских организациях",
            "Creation, leadership or participation in religious extremist organisations"),
           ("Контрабанда", "Smuggling"),
           ("Умышленное убийство", "Premeditated murder")],
    "TJ": [("Организация экстремистского сообщества", "Organisation of an extremist community"),
           ("Публичные призывы к насильственному изменению конституционного строя",
            "Public calls for a violent change of the constitutional order"),
           ("Незаконный оборот наркотических средств", "Drug trafficking")],
    "RU": [("Мошенничество в особо крупном размере", "Fraud on an especially large scale"),
           ("Уклонение от уплаты налогов", "Tax evasion"),
           ("Публичное распространение заведомо ложной информации об использовании Вооружённых Сил",
            "Public dissemination of knowingly false information about the use of the Armed Forces"),
           ("Убийство", "Murder")],
}

_numbers = iter(rng.sample(range(10000, 99999), 1000))


def entity_id(year=None):
    return f"{year or rng.randint(2013, 2025)}/{next(_numbers)}"


def person(country, sex, age=None, *, nationalities=None, surname=None, year=None, date_of_birth=None,
           warrants=None):
    feminine = sex == "F"
    surname = surname or rng.choice(SURNAMES[country])
    if feminine and surname.endswith(("OV", "EV")):
        surname += "A"
    forename = rng.choice(FORENAMES[(country, "F" if feminine else "M")])
    if date_of_birth is None and age is not None:
        date_of_birth = f"{THIS_YEAR - age - 1}/{rng.randint(2, 12):02d}/{rng.randint(1, 28):02d}"
    charge, translation = rng.choice(CHARGES[country])
    return {
        "entity_id": entity_id(year), "name": surname, "forename": forename, "date_of_birth": date_of_birth,
        "sex_id": sex, "country_of_birth_id": country, "place_of_birth": rng.choice(PLACES[country]),
        "nationalities": nationalities or [country], "languages_spoken_ids": LANGUAGES[country],
        "arrest_warrants": warrants or [{"issuing_country_id": country, "charge": charge,
                                         "charge_translation": translation}],
        "age": age,  # not in the API: which age band lists the notice; removed below
    }


def described(p):
    """The optional fields of a detail: on a few notices only, to keep the recording small."""
    p.update({"height": round(rng.uniform(1.55, 1.92), 2), "weight": rng.randint(55, 105),
              "eyes_colors_id": [rng.choice(["BRO", "BLA", "GRE", "HAZ"])],
              "hairs_id": [rng.choice(["BLA", "BRO", "GRY"])], "distinguishing_marks": None})
    return p


def newest_first(people):
    return sorted(people, key=lambda p: tuple(int(part) for part in p["entity_id"].split("/")), reverse=True)


def url_path(entity):
    return entity.replace("/", "-")


def links(entity):
    return {"self": {"href": f"{HOST}{RED}/{url_path(entity)}"}}


def summary(p):
    if "raw" in p:
        return p["raw"]
    return {"forename": p["forename"], "date_of_birth": p["date_of_birth"], "entity_id": p["entity_id"],
            "nationalities": p["nationalities"], "name": p["name"], "_links": links(p["entity_id"])}


def detail(p):
    body = {key: value for key, value in p.items() if key != "age"}
    body["_links"] = links(p["entity_id"])
    return body


def key(params):
    from urllib.parse import urlencode

    return RED + "?" + urlencode(sorted((k, str(v)) for k, v in params.items()))


def listing(filters, people, *, page=1, per_page=PER_PAGE, total=None):
    """One page of a list query, as the API writes it (the next link only if there is a next page)."""
    people = newest_first([p for p in people if "raw" not in p]) + [p for p in people if "raw" in p]
    total = len(people) if total is None else total
    shown = people[(page - 1) * per_page: page * per_page]
    asked = {**filters, "page": page, "resultPerPage": PER_PAGE}

    def href(number):
        from urllib.parse import urlencode
        return f"{HOST}{RED}?" + urlencode({**filters, "page": number, "resultPerPage": PER_PAGE})

    last = max(1, -(-min(total, PER_PAGE * 1000) // per_page))
    page_links = {"self": {"href": href(page)}, "first": {"href": href(1)}, "last": {"href": href(last)}}
    if page < last and page * per_page < len(people):
        page_links["next"] = {"href": href(page + 1)}
    return key(asked), {"status": 200, "json": {"total": total, "query": asked, "_embedded": {"notices": [summary(p) for p in shown]},
                                 "_links": page_links}}


def in_band(p, low, high):
    return p["age"] is not None and low <= p["age"] <= high


def main():
    uz_f = [person("UZ", "F", rng.randint(19, 70)) for _ in range(12)]
    uz_young = [person("UZ", "M", rng.randint(18, 30)) for _ in range(90)]
    uz_middle = [person("UZ", "M", rng.randint(31, 60)) for _ in range(160)]
    uz_old = [person("UZ", "M", rng.randint(61, 80)) for _ in range(28)]
    undated_first = person("UZ", "M", None, year=2026)  # newest: among the 160 any listing shows
    undated_last = person("UZ", "M", None, year=2008)  # oldest: beyond them
    uz_u = [person("UZ", "U", rng.randint(25, 60)) for _ in range(8)]
    for p in uz_middle[:3]:
        p["nationalities"] = ["UZ", "TJ"]
    for p in uz_young[:2]:
        p["nationalities"] = ["UZ", "RU"]
        p["arrest_warrants"].append({"issuing_country_id": "RU", "charge": "Мошенничество", "charge_translation": "Fraud"})
    for p in (uz_young[5], uz_middle[10], uz_middle[50], uz_f[1]):
        p["name"] = "KARIMOVA" if p["sex_id"] == "F" else "KARIMOV"
    uz_m = uz_young + uz_middle + uz_old + [undated_first, undated_last]
    uz = uz_f + uz_m + uz_u

    for p in uz_f[:2] + uz_middle[20:22] + uz_old[:1]:
        described(p)
    non_iso = person("TJ", "M", 52, warrants=[
        {"issuing_country_id": "TJ", "charge": "Организация экстремистского сообщества",
         "charge_translation": "Organisation of an extremist community"},
        {"issuing_country_id": "914", "charge": "Terrorism", "charge_translation": None}])
    described(non_iso)
    partial = person("TJ", "F", date_of_birth="1979/08",
                     warrants=[{"issuing_country_id": "TJ", "charge": "", "charge_translation": ""}])
    unavailable_once, truncated, withdrawn = (person("TJ", "M", rng.randint(25, 60)) for _ in range(3))
    no_identifier = {"raw": {"forename": "UMED", "date_of_birth": "1988/02/11", "nationalities": ["TJ"],
                             "name": "DAVLATOV", "_links": {}}}
    tj_only = [person("TJ", rng.choice("MMMF"), rng.randint(20, 65)) for _ in range(16)]
    tj_only += [non_iso, partial, unavailable_once, truncated, withdrawn]
    tj = tj_only + uz_middle[:3] + [no_identifier]

    ru_only = [person("RU", rng.choice("MMMMF"), rng.randint(20, 70)) for _ in range(38)]
    ru = ru_only + uz_young[:2]

    responses = {}

    def add(pair):
        responses[pair[0]] = pair[1]

    add(listing({}, uz + tj_only + [no_identifier] + ru_only))
    add(listing({"nationality": "UZ"}, uz))
    for sex, people in (("F", uz_f), ("M", uz_m), ("U", uz_u)):
        add(listing({"nationality": "UZ", "sexId": sex}, people))
    for low, high in ((0, 60), (0, 30), (31, 60), (61, 120)):
        add(listing({"ageMax": high, "ageMin": low, "nationality": "UZ", "sexId": "M"},
                    [p for p in uz_m if in_band(p, low, high)]))
    add(listing({"nationality": "TJ"}, tj))
    add(listing({"nationality": "RU"}, ru, per_page=20))
    page_key, page_two = listing({"nationality": "RU"}, ru, page=2, per_page=20)
    responses[page_key] = [{"status": 429, "headers": {"Retry-After": "5"}, "json": {"message": "Too many requests"}},
                           page_two]
    add(listing({"name": "KARIMOV"}, [p for p in uz if p["name"] == "KARIMOV"]))

    for p in uz + tj_only + ru_only:
        responses[f"{RED}/{url_path(p['entity_id'])}"] = {"status": 200, "json": detail(p)}
    unavailable = {"status": 503, "headers": {"Retry-After": "3"}, "text": "Service Unavailable"}
    responses[f"{RED}/{url_path(unavailable_once['entity_id'])}"] = [
        unavailable, responses[f"{RED}/{url_path(unavailable_once['entity_id'])}"]]
    cut = json.dumps(detail(truncated), ensure_ascii=False)
    responses[f"{RED}/{url_path(truncated['entity_id'])}"] = {
        "status": 200, "headers": {"Content-Type": "application/json"}, "text": cut[: len(cut) // 2]}
    responses[f"{RED}/{url_path(withdrawn['entity_id'])}"] = {"status": 404, "json": {"message": "Not Found"}}

    responses[f"{RED}/2000-10001"] = {"status": 503, "text": "Service Unavailable"}
    responses[f"{RED}/2000-10002"] = {"status": 429, "headers": {"Retry-After": "3600"}, "text": "Too Many Requests"}
    responses[f"{RED}/2000-10003"] = {"status": 200, "delay": 2, "json": {"entity_id": "2000/10003"}}

    lines = [f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in sorted(responses.items())]
    out = Path(__file__).with_name("responses.json")
    out.write_text("{\n" + ",\n".join(lines) + "\n}\n", "utf-8")
    # What the tests check against, so a change of recording shows in them.
    print(json.dumps({
        "undated_first": undated_first["entity_id"], "undated_last": undated_last["entity_id"],
        "non_iso": non_iso["entity_id"], "partial": partial["entity_id"],
        "unavailable_once": unavailable_once["entity_id"], "truncated": truncated["entity_id"],
        "withdrawn": withdrawn["entity_id"], "tj_position_of_no_identifier": len(tj) - 1,
        "karimov": sorted(p["entity_id"] for p in uz if p["name"] == "KARIMOV"),
    }, indent=1))


if __name__ == "__main__":
    main()
