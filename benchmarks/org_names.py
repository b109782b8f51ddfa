"""Benchmark of organisation-name matching (shelter/orgnames): precision, recall and F1 on the labelled
party/organisation pairs of benchmarks/organisations/pairs.jsonl, beside peers run in the same process,
and the time to screen 10,000 generated parties against 50,000 generated organisations and list entries.

    .venv/bin/python benchmarks/org_names.py [--quick] [--json OUT.json] [--out DIR] [--readme benchmarks/README.md]

Peers, each given the same names (a party against every name and alias of the organisation, the best
pair counting):

- *token set ratio*: rapidfuzz ``fuzz.token_set_ratio`` on names normalised as rigour does for
  comparison (``rigour.names.normalize_name``, legal forms replaced by ``replace_org_types_compare``,
  then ASCII by normality); no country. Threshold 0.85 (it has no documented one).
- *FollowTheMoney*: ``followthemoney.compare.compare_names`` on two Organization entities (name and
  aliases): a bounded Levenshtein similarity of whole names and of their sorted-token fingerprints;
  no country. Threshold 0.7.
- *logic-v2*: OpenSanctions' nomenklatura matcher on the two Organization entities, countries included,
  at its documented threshold 0.7; when nomenklatura is installed (the ``bench`` extra).

Every matcher is also shown at the threshold that gives it its best F1 on the whole set (chosen on the
answers: an upper bound, not a fair operating point). The set was written by the author of the matcher;
its weights were set on the ``dev`` half, and the ``test`` half is reported separately.
"""

import argparse
import importlib.util
import json
import random
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from shared import write_figures

from shelter.orgnames import THRESHOLD, Index, compare, make

PAIRS = HERE / "organisations" / "pairs.jsonl"
SHELTER, TOKEN_SET, FTM, LOGIC_V2 = "Shelter", "token set ratio", "FollowTheMoney", "logic-v2"
SEED = 15


def load(path: Path = PAIRS) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


# --- matchers ----------------------------------------------------------------------------------------


class Shelter:
    name, threshold = SHELTER, THRESHOLD

    def score(self, pair: dict) -> tuple[float, str]:
        party = make(pair["party"]["name"], pair["party"]["country"])
        organisation = pair["organisation"]
        best = None
        for written in organisation["names"]:
            result = compare(party, make(written, organisation["country"]))
            if best is None or result.score > best.score:
                best = result
        return best.score, best.explanation


class TokenSet:
    name, threshold = TOKEN_SET, 0.85

    def __init__(self):
        from normality import ascii_text
        from rapidfuzz import fuzz
        from rigour.names import normalize_name, replace_org_types_compare

        self.ratio = fuzz.token_set_ratio
        self.normalise = lambda text: ascii_text(replace_org_types_compare(normalize_name(text) or "")) or ""

    def score(self, pair: dict) -> tuple[float, str]:
        party = self.normalise(pair["party"]["name"])
        return max(self.ratio(party, self.normalise(n)) / 100 for n in pair["organisation"]["names"]), ""


class FollowTheMoney:
    name, threshold = FTM, 0.7

    def __init__(self):
        from followthemoney import model
        from followthemoney.compare import compare_names

        self.model, self.compare_names = model, compare_names
        self.schema = model.get("Organization")
        self.counter = 0

    def entity(self, names: list[str], country: str):
        self.counter += 1
        entity = self.model.make_entity("Organization")
        entity.id = f"o{self.counter}"
        entity.add("name", names[0])
        entity.add("alias", names[1:])
        if country:
            entity.add("country", country.lower())
        return entity

    def score(self, pair: dict) -> tuple[float, str]:
        party = self.entity([pair["party"]["name"]], pair["party"]["country"])
        organisation = self.entity(pair["organisation"]["names"], pair["organisation"]["country"])
        return float(self.compare_names(self.schema, party, organisation) or 0.0), ""


class LogicV2(FollowTheMoney):
    name, threshold = LOGIC_V2, 0.7

    def __init__(self):
        super().__init__()
        from nomenklatura.matching import get_algorithm

        self.algorithm = get_algorithm("logic-v2")
        self.config = self.algorithm.default_config()

    def score(self, pair: dict) -> tuple[float, str]:
        party = self.entity([pair["party"]["name"]], pair["party"]["country"])
        organisation = self.entity(pair["organisation"]["names"], pair["organisation"]["country"])
        try:
            return float(self.algorithm.compare(party, organisation, self.config).score), ""
        except Exception:
            return 0.0, "failed"


def matchers() -> list:
    found = [Shelter(), TokenSet(), FollowTheMoney()]
    if importlib.util.find_spec("nomenklatura") is not None:
        found.append(LogicV2())
    return found


# --- measures ----------------------------------------------------------------------------------------


def prf(scored: list[tuple[float, bool]], threshold: float) -> dict:
    tp = sum(1 for s, label in scored if label and s >= threshold)
    fp = sum(1 for s, label in scored if not label and s >= threshold)
    fn = sum(1 for s, label in scored if label and s < threshold)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3), "pairs": len(scored)}


def best_threshold(scored: list[tuple[float, bool]]) -> dict:
    best = None
    for threshold in sorted({s for s, _ in scored} | {1.0}):
        found = prf(scored, threshold) | {"threshold": round(threshold, 4)}
        if best is None or found["f1"] > best["f1"]:
            best = found
    return best


def accuracy(pairs: list[dict], out: Path | None = None) -> dict:
    results = {"pairs": len(pairs), "positives": sum(p["match"] for p in pairs), "matchers": {}}
    rows = {p["id"]: {"id": p["id"], "party": p["party"], "organisation": p["organisation"]["key"],
                      "match": p["match"], "why": p["why"], "split": p["split"]} for p in pairs}
    for matcher in matchers():
        start = time.process_time()
        scores = {}
        for pair in pairs:
            score, explanation = matcher.score(pair)
            scores[pair["id"]] = score
            rows[pair["id"]][matcher.name] = round(score, 4)
            if matcher.name == SHELTER:
                rows[pair["id"]]["explanation"] = explanation
        seconds = time.process_time() - start

        def by(keep, scores=scores):
            return [(scores[p["id"]], p["match"]) for p in pairs if keep(p)]

        entry = {"threshold": matcher.threshold, "seconds": round(seconds, 2),
                 "all": prf(by(lambda p: True), matcher.threshold),
                 "dev": prf(by(lambda p: p["split"] == "dev"), matcher.threshold),
                 "test": prf(by(lambda p: p["split"] == "test"), matcher.threshold),
                 "best": best_threshold(by(lambda p: True)), "why": {}}
        for why in sorted({p["why"] for p in pairs}):
            group = by(lambda p, why=why: p["why"] == why)
            positive = group[0][1]
            share = sum(1 for s, _ in group if s >= matcher.threshold) / len(group)
            entry["why"][why] = {"pairs": len(group), "kind": "positive" if positive else "negative",
                                 "measure": "recall" if positive else "false-positive rate", "value": round(share, 3)}
        results["matchers"][matcher.name] = entry
    if out:
        wrong = [row for row in rows.values() if (row[SHELTER] >= THRESHOLD) != row["match"]]
        wrong.sort(key=lambda row: -abs(row[SHELTER] - THRESHOLD))
        path = out / "org_names_misclassified.jsonl"
        path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in wrong), "utf-8")
        results["misclassified_file"] = str(path)
    return results


# --- screening -----------------------------------------------------------------------------------------

SYLLABLES = ["ka", "la", "mi", "ra", "to", "su", "na", "ve", "ri", "do", "al", "bek", "or", "tan", "sar", "kor", "mar", "nur", "ta", "sha", "ur", "dar", "zan", "gul", "bo", "lat", "vos", "tok", "ser", "yo", "qo", "in", "ar", "ba", "ya", "ko", "ro", "li", "te", "ne", "ma", "sa", "da", "ga", "pa", "ha", "zi", "lo", "mo", "fa", "ta", "ki", "ru", "ny"]
LANGUAGES = ("en", "ru")
BODY_TEMPLATES = {  # kind → the name of a body in English and in Russian
    "security": ("State Security Service", "Служба государственной безопасности"),
    "national_security": ("National Security Committee", "Комитет национальной безопасности"),
    "interior": ("Ministry of Internal Affairs", "Министерство внутренних дел"),
    "customs": ("State Customs Committee", "Государственный таможенный комитет"),
    "guard": ("National Guard", "Национальная гвардия"),
    "prosecutor": ("Prosecutor General's Office", "Генеральная прокуратура"),
    "intelligence": ("Foreign Intelligence Service", "Служба внешней разведки"),
    "border": ("State Border Service", "Государственная пограничная служба"),
    "tax": ("State Tax Committee", "Государственный налоговый комитет"),
    "police": ("National Police", "Национальная полиция"),
}
CITY_BODIES = {
    "directorate": ("{city} Directorate of Internal Affairs", "Управление внутренних дел {city}"),
    "police": ("{city} City Police Department", "Департамент полиции города {city}"),
    "university": ("{city} State University", "{city} государственный университет"),
    "technical": ("{city} State Technical University", "{city} государственный технический университет"),
    "institute": ("{city} Institute of Information Technologies", "{city} институт информационных технологий"),
}
COMPANY_WORDS = (("Telecom", "Телеком"), ("Systems", "Системы"), ("Technologies", "Технологии"),
                 ("Security", "Безопасность"), ("Solutions", "Решения"), ("Group", "Групп"),
                 ("Engineering", "Инжиниринг"), ("Trade", "Трейд"), ("Communications", "Связь"), ("Digital", "Цифровые"))
LEGAL = (("LLC", "ООО"), ("JSC", "АО"), ("Ltd", "ООО"), ("LLP", "ТОО"), ("GmbH", "ООО"), ("", ""))
SCREEN_COUNTRIES = ("UZ", "KZ", "KG", "TJ", "AZ", "TM", "RU", "BY", "TR", "DE", "GB", "CN", "AE", "IL", "IT")


class Generator:
    """Fictional organisations and parties, deterministic for a seed, in Latin and Cyrillic letters.

    60% companies (one or two invented words, a company word or two — Telecom/Телеком —, a legal form;
    written in Latin, in Cyrillic, or both as name and alias), 5% national bodies (ten kinds in every
    country, Russian name and English alias, sometimes the Russian acronym), 35% bodies of invented cities
    (a city's directorate of internal affairs, police, university, technical university, institute)."""

    def __init__(self, seed: int = SEED, words: int = 30_000):
        import pycountry

        from shelter.matching import translit

        self.rng = random.Random(seed)
        self.translit = translit
        self.words = self._words(words)
        self.cities = list(range(len(self.words)))
        self.rng.shuffle(self.cities)
        codes = sorted(c.alpha_2 for c in pycountry.countries)
        self.bodies = [(kind, code) for code in codes for kind in BODY_TEMPLATES]
        self.rng.shuffle(self.bodies)

    def _words(self, n: int) -> list[tuple[str, str]]:
        seen, found = set(), []
        while len(found) < n:
            word = "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.choice((2, 2, 3, 3, 4)))).capitalize()
            if word not in seen and len(word) >= 4:
                seen.add(word)
                found.append((word, self.translit.to_cyrillic(word, "uz")))
        return found

    def _own_word(self) -> tuple[str, str]:
        if self.rng.random() < 0.3:  # a few hundred words are common in company names
            return self.words[self.rng.randrange(500)]
        return self.words[self.rng.randrange(len(self.words))]

    def organisation(self, number: int) -> tuple[str, list[str], str, dict]:
        """(key, names, country, forms): forms holds the Latin and Cyrillic writing of a company."""
        country = self.rng.choice(SCREEN_COUNTRIES)
        roll = self.rng.random()
        forms = {}
        if roll < 0.05 and self.bodies:
            kind, country = self.bodies.pop()
            en, ru = BODY_TEMPLATES[kind]
            names = [f"{ru} {self._country_ru(country)}", f"{en} of {self._country_en(country)}"]
            if self.rng.random() < 0.5:
                names.append(self._initials(ru))
        elif roll < 0.40 and self.cities:
            kind = self.rng.choice(list(CITY_BODIES))
            en, ru = CITY_BODIES[kind]
            city_latin, city_cyrillic = self.words[self.cities.pop()]
            names = [ru.format(city=city_cyrillic), en.format(city=city_latin)]
        else:
            own = [self._own_word() for _ in range(self.rng.choice((1, 1, 2)))]
            words = self.rng.sample(COMPANY_WORDS, self.rng.choice((0, 1, 1, 2)))
            legal = self.rng.choice(LEGAL)
            latin = " ".join([w[0] for w in own] + [w[0] for w in words] + [legal[0]]).strip()
            cyrillic = " ".join([legal[1], "«" + " ".join([w[1] for w in own] + [w[1] for w in words]) + "»"]).strip()
            forms = {"latin": latin, "cyrillic": cyrillic}
            roll = self.rng.random()
            names = [cyrillic, latin] if roll < 0.3 else [latin] if roll < 0.65 else [cyrillic]
        return f"org-{number:06d}", names, country, forms

    @staticmethod
    def _initials(name: str) -> str:
        return "".join(word[0] for word in name.split() if len(word) > 2).upper()

    @staticmethod
    def _country_en(code: str) -> str:
        from shelter.orgnames.countries import name

        return name(code)

    @staticmethod
    def _country_ru(code: str) -> str:
        from shelter import countries

        return countries.name(code, "ru")

    def variant(self, names: list[str], country: str, forms: dict) -> tuple[str, str, str]:
        """A party written as a licence application might write the organisation: in the other script
        (a company the list has in Latin written in Cyrillic, or a Russian name romanised), with another
        legal form, with a slip in a word of five letters or more, in capitals, or as it is."""
        name = self.rng.choice(names)
        how = self.rng.choice(("script", "legal", "slip", "case", "as_is"))
        party_country = country if self.rng.random() < 0.7 else ""
        cyrillic = any("\u0400" <= c <= "\u04ff" for c in name)
        if how == "script":
            if forms:
                name = forms["latin"] if cyrillic else forms["cyrillic"]
            if any("\u0400" <= c <= "\u04ff" for c in name) and (not forms or cyrillic):
                name = self.translit.romanise(name, "ru", self.rng.choice(("icao", "bgn_pcgn", "wikipedia", "mvd_310")))
        elif how == "legal":
            for latin, _ in LEGAL:
                if latin and name.endswith(" " + latin):
                    name = name[: -len(latin) - 1] + " " + self.rng.choice([l for l, _ in LEGAL if l and l != latin])
                    break
        elif how == "slip":
            long_words = [w for w in name.split() if len(w) >= 5 and w.isalpha()]
            if long_words:
                word = self.rng.choice(long_words)
                i = self.rng.randrange(1, len(word))
                name = name.replace(word, word[:i] + word[i + 1:], 1)
        elif how == "case":
            name = name.upper()
        return name, party_country, how

    def new_party(self) -> tuple[str, str]:
        _, names, country, _ = self.organisation(0)
        return self.rng.choice(names), country if self.rng.random() < 0.7 else ""


def screening(organisations: int = 50_000, parties: int = 10_000) -> dict:
    generator = Generator()
    entries = [generator.organisation(n) for n in range(organisations)]
    # Organisations generated twice with a name and the country in common cannot be told apart: finding
    # either is finding the organisation.
    same: dict[tuple, set[str]] = defaultdict(set)
    for key, names, country, _ in entries:
        for written in names:
            same[(written.casefold(), country)].add(key)
    queries = []  # (name, country, the keys of the organisation it varies, or None)
    for n in range(parties):
        if n % 2 == 0:
            key, names, country, forms = entries[generator.rng.randrange(len(entries))]
            name, party_country, how = generator.variant(names, country, forms)
            truth = set().union(*(same[(written.casefold(), country)] for written in names))
            queries.append((name, party_country, truth, how))
        else:
            name, party_country = generator.new_party()
            queries.append((name, party_country, None, "new"))
    names_indexed = sum(len(names) for _, names, _, _ in entries)

    wall, cpu = time.perf_counter(), time.process_time()
    index = Index()
    for key, names, country, _ in entries:
        index.add(key, names, country)
    index.candidates(make("warm"))  # sorts the arrays
    build_wall, build_cpu = time.perf_counter() - wall, time.process_time() - cpu

    wall, cpu = time.perf_counter(), time.process_time()
    answers = [index.screen(name, country) for name, country, _, _ in queries]
    screen_wall, screen_cpu = time.perf_counter() - wall, time.process_time() - cpu

    found = defaultdict(lambda: [0, 0])
    alerts_new = []
    for (name, country, truth, how), matches in zip(queries, answers):
        if truth is None:
            alerts_new.append(len(matches))
            continue
        hit = any(m.key in truth for m in matches)
        for group in ("all", how):
            found[group][0] += hit
            found[group][1] += 1
    return {
        "organisations": organisations, "names_indexed": names_indexed, "parties": parties,
        "build_wall_s": round(build_wall, 2), "build_cpu_s": round(build_cpu, 2),
        "screen_wall_s": round(screen_wall, 2), "screen_cpu_s": round(screen_cpu, 2),
        "total_wall_s": round(build_wall + screen_wall, 2),
        "ms_per_party": round(1000 * screen_wall / parties, 3),
        "variant_recall": {group: round(hit / n, 4) for group, (hit, n) in sorted(found.items())},
        "variants": {group: n for group, (_, n) in sorted(found.items())},
        "alerts_per_new_party": round(sum(alerts_new) / len(alerts_new), 3),
        "new_parties_with_an_alert": round(sum(1 for a in alerts_new if a) / len(alerts_new), 4),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


# --- figures ---------------------------------------------------------------------------------------------


def figures(results: dict) -> str:
    a, s = results["accuracy"], results["screening"]
    m = a["matchers"]
    lines = [results.get("measured", ""), ""] if results.get("measured") else []
    lines += [(f"Labelled set: {a['pairs']} party/organisation pairs ({a['positives']} matching), "
              f"`benchmarks/organisations/pairs.jsonl`. Each matcher at its threshold; the best F1 any threshold "
              f"gives it on the whole set is shown for reference."), "",
             "| matcher (threshold) | all: P / R / F1 | dev half | test half | best F1 (at threshold) |",
             "|---|---|---|---|---|"]
    for name, entry in m.items():
        cells = [f"{entry[part]['precision']:.3f} / {entry[part]['recall']:.3f} / {entry[part]['f1']:.3f}"
                 for part in ("all", "dev", "test")]
        best = entry["best"]
        lines.append(f"| {name} ({entry['threshold']}) | {' | '.join(cells)} | {best['f1']:.3f} ({best['threshold']}) |")
    whys = list(next(iter(m.values()))["why"].items())
    lines += ["", "By kind of pair (recall for matching pairs, false-positive rate for the others):", "",
              "| why | kind | pairs | " + " | ".join(m) + " |", "|---|---|---|" + "---|" * len(m)]
    for why, info in whys:
        values = " | ".join(f"{m[name]['why'][why]['value']:.3f}" for name in m)
        lines.append(f"| {why} | {info['kind']} ({info['measure']}) | {info['pairs']} | {values} |")
    recall = s["variant_recall"]
    lines += ["", (f"Screening {s['parties']:,} generated parties against {s['organisations']:,} generated "
              f"organisations and list entries ({s['names_indexed']:,} names, Latin and Cyrillic), one process: index "
              f"built in {s['build_wall_s']} s, parties screened in {s['screen_wall_s']} s ({s['ms_per_party']} ms each), "
              f"**{s['total_wall_s']} s in all** (target < 30 s); peak memory of the benchmark's process "
              f"{s['peak_rss_mb']} MB (the peers' models included). Half the parties are variants of an indexed name "
              f"(another script, another legal form, a slip in a word of five letters or more, capitals, as written): "
              f"the organisation was among the matches for {recall['all']:.1%} of them "
              f"({', '.join(f'{k} {v:.1%}' for k, v in recall.items() if k != 'all')}); the other half, new names, "
              f"had {s['alerts_per_new_party']} matches each on average ({s['new_parties_with_an_alert']:.1%} with one "
              f"or more; generated names share words by design, so this counts look-alikes, not only errors).")]
    return "\n".join(lines)


def measured() -> str:
    import datetime
    import os
    import platform
    import subprocess
    from importlib.metadata import PackageNotFoundError, version

    try:
        peer = f"nomenklatura {version('nomenklatura')}"
    except PackageNotFoundError:
        peer = "nomenklatura not installed"
    revision = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=HERE).stdout.strip() or "?"
    return (f"Measured {datetime.date.today().isoformat()} by `benchmarks/org_names.py` on Shelter {revision}: "
            f"{os.cpu_count()} cores, Python {platform.python_version()}, rapidfuzz {version('rapidfuzz')}, "
            f"rigour {version('rigour')}, followthemoney {version('followthemoney')}, {peer}. The machine may "
            f"have been shared with other jobs: the timing is wall time.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="screen 1,000 parties against 5,000 organisations")
    parser.add_argument("--json")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--readme", help="rewrite the org names figures in this README")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    results = {"accuracy": accuracy(load(), args.out)}
    results["screening"] = screening(5_000, 1_000) if args.quick else screening()
    results["measured"] = measured()
    text = figures(results)
    print(text)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False), "utf-8")
    if args.readme and not args.quick:
        write_figures(args.readme, "org names", text)


if __name__ == "__main__":
    main()
