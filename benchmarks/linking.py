"""Benchmark of campaign linking (shelter.artefacts.campaigns) on a fresh SQLite instance with 100,000
suspicious messages in 500 cases: all of them linked in one pass (`shelter campaigns --relink`, the
target: under 60 s), then 1,000 more arriving one by one, each linked as triage links it (its keyed
digests stored, then `link`, in its own transaction), into the instance that already holds them. Reports
the times and whether the campaigns found are the ones generated (pairwise precision and recall).

The artefacts are generated: 1,500 campaigns of very unequal size (a few large, most of two to five
messages), each with its own infrastructure — sender domains, a sending server, a lure reworded per
target (four of its forty words changed), a file rebuilt per message. A fifth send from Gmail, Mail.ru or Yandex addresses through those
services' servers (which must not link); two in five use a fresh domain and server for every message,
so that only the lure's wording and the rebuilt file link them. 30,000 unrelated messages, a fifth of
them also sent from Gmail's servers and a tenth with no known signs, must stay alone. The analysis itself
is not timed (benchmarks/triage.py measures it); what is timed is what triage does to link.

    .venv/bin/python benchmarks/linking.py [--artefacts N] [--arrivals N] [--json OUT.json] [--readme benchmarks/README.md]
"""

import argparse
import json
import random
import sys
import time
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shared import fresh_instance, write_figures  # noqa: E402

WORDS = ("account security document review please confirm access login password court decision hearing "
         "interview questions refugee status application deadline office embassy consular report list "
         "participants meeting payment invoice warning blocked suspended verify identity urgent notice").split()
SERVICES = ["gmail.com", "mail.ru", "yandex.ru"]




def generate(count: int, seed: int = 7):
    """(campaign label or None, verdict, report) in arrival order."""
    from shelter.digital import similarity

    rng = random.Random(seed)
    unrelated = int(count * 0.3)
    in_campaigns = count - unrelated
    campaigns = max(1, count * 15 // 1000)
    sizes = [2 + int(rng.paretovariate(1.2)) for _ in range(campaigns)]
    scale = in_campaigns / sum(sizes)
    sizes = [max(2, round(s * scale)) for s in sizes]
    items = []
    for label, size in enumerate(sizes):
        domain = f"c{label}-{rng.choice(['secure', 'login', 'docs', 'verify'])}.example"
        sent_by_service = rng.random() < 0.2
        rotating = rng.random() < 0.4  # a fresh domain and server for every message: only the lure and the file link them
        lure = " ".join(rng.choice(WORDS) for _ in range(40))
        base_file = rng.randbytes(8192)
        ip = f"198.{label // 250 % 250}.{label % 250}."
        for n in range(size):
            own = f"m{n}.{domain}".replace(".example", f"-{n}.example") if rotating else domain
            sender = f"u{label}x{n}@{rng.choice(SERVICES)}" if sent_by_service else f"alert{n % 3}@{own}"
            words = lure.split()
            for _ in range(4):  # reworded a little for each target
                words[rng.randrange(len(words))] = rng.choice(WORDS)
            text = f"Dear {rng.choice(['Anvar', 'Dilnoza', 'Rustam', 'Malika'])} {n}, " + " ".join(words)
            data = bytearray(base_file)
            data[rng.randrange(0, 8000):][:16] = rng.randbytes(16)
            raw = [{"type": "email", "value": sender, "context": "From"},
                   {"type": "domain", "value": sender.rsplit("@", 1)[1], "context": "From"},
                   {"type": "url", "value": f"https://{own}/{n}", "context": "link"},
                   {"type": "domain", "value": own, "context": "link"},
                   {"type": "ipv4", "value": "209.85.220.41" if sent_by_service else f"{ip}{n % 250 + 1 if rotating else 1}",
                    "context": "Received"}]
            traits = [{"type": "lure", "value": v} for v in similarity.lure_trait(text)]
            if rotating or rng.random() < 0.5:
                traits += [{"type": "file", "value": v} for v in similarity.file_trait(bytes(data))]
                raw.append({"type": "sha256", "value": f"{label:08x}{n:056x}", "context": "file a.doc"})
            items.append((label, "suspicious", {"verdict": "suspicious", "raw_indicators": raw, "traits": traits}))
    for n in range(count - len(items)):
        domain = f"single{n}.example"
        by_service = rng.random() < 0.2  # sent from Gmail's servers like a fifth of the campaigns: must not link
        sender = f"s{n}@gmail.com" if by_service else f"x@{domain}"
        raw = [{"type": "email", "value": sender, "context": "From"},
               {"type": "domain", "value": sender.rsplit("@", 1)[1], "context": "From"},
               {"type": "url", "value": f"https://{domain}/", "context": "link"},
               {"type": "ipv4", "value": "209.85.220.41" if by_service else f"10{n % 10}.{n // 250 % 250}.{n % 250}.9",
                "context": "Received"}]
        text = " ".join(rng.choice(WORDS) for _ in range(30))
        traits = [{"type": "lure", "value": v} for v in similarity.lure_trait(text)]
        verdict = "no_known_signs" if rng.random() < 0.1 else "suspicious"
        items.append((None, verdict, {"verdict": verdict, "raw_indicators": raw, "traits": traits}))
    rng.shuffle(items)
    return items[:count]


def _pairs(groups: dict) -> set:
    return {pair for members in groups.values() for pair in combinations(sorted(members), 2)}


def _score(artefacts, items) -> dict:
    from shelter.artefacts.models import Artefact

    truth, found = {}, {}
    campaign_of = dict(Artefact.objects.values_list("pk", "campaign_id"))
    for artefact, (label, _, _) in zip(artefacts, items):
        if label is not None:
            truth.setdefault(label, []).append(artefact.pk)
        if campaign_of[artefact.pk] is not None:
            found.setdefault(campaign_of[artefact.pk], []).append(artefact.pk)
    true_pairs, found_pairs = _pairs(truth), _pairs(found)
    right = len(true_pairs & found_pairs)
    return {"campaigns_generated": len(truth), "campaigns_found": len(found),
            "pair_precision": round(right / len(found_pairs), 4) if found_pairs else None,
            "pair_recall": round(right / len(true_pairs), 4) if true_pairs else None}


def _store(items, cases):
    """Artefacts and their digests as triage leaves them, without the analysis (not what is measured)."""
    from shelter.artefacts import campaigns
    from shelter.artefacts.models import Artefact, ArtefactIndicator
    from shelter.records.models import EvidenceFile

    offset = EvidenceFile.objects.count()
    evidence = EvidenceFile.objects.bulk_create(
        [EvidenceFile(case=cases[n % len(cases)], content_type="message/rfc822", size=1, sha256=f"{offset + n:064x}")
         for n in range(len(items))], batch_size=5000)
    artefacts = Artefact.objects.bulk_create(
        [Artefact(case=e.case, evidence=e, verdict=verdict, score=30) for e, (_, verdict, _) in zip(evidence, items)], batch_size=5000)
    return artefacts, [[ArtefactIndicator(artefact=a, type=t, digest=d) for t, d in campaigns.digests([report])]
                       for a, (_, _, report) in zip(artefacts, items)]


def run(count: int, arrivals: int = 1000) -> dict:
    fresh_instance("shelter-linking-")
    from django.db import transaction

    from shelter.artefacts import campaigns
    from shelter.artefacts.models import ArtefactIndicator
    from shelter.records import sealing
    from shelter.records.models import Case

    items = generate(count + arrivals)
    bulk, late = items[:count], items[count:]
    cases = [Case.objects.create(title=f"Benchmark {n}") for n in range(500)]
    with sealing.scope(reveal=True):
        artefacts, digests = _store(bulk, cases)
        ArtefactIndicator.objects.bulk_create([d for per_artefact in digests for d in per_artefact], batch_size=10000)
        start, cpu_start = time.perf_counter(), time.process_time()
        campaigns.relink_all()
        relink = {"seconds": round(time.perf_counter() - start, 1), "cpu_seconds": round(time.process_time() - cpu_start, 1)}
        relink.update(_score(artefacts, bulk))
        newcomers, their_digests = _store(late, cases)
        start = time.perf_counter()
        for artefact, own in zip(newcomers, their_digests):
            with transaction.atomic():  # as triage does: the digests and the link in one transaction
                ArtefactIndicator.objects.bulk_create(own)
                campaigns.link(artefact)
        incremental = {"arrivals": len(late), "ms_per_artefact": round((time.perf_counter() - start) * 1000 / len(late), 2)}
    incremental.update(_score(artefacts + newcomers, bulk + late))
    return {"artefacts": count, "digests": ArtefactIndicator.objects.count(), "relink": relink, "arrivals": incremental}


def figures(result: dict) -> str:
    relink, arrivals = result["relink"], result["arrivals"]
    return (f"Campaign linking, on SQLite: {result['artefacts']:,} messages in 500 cases ({result['digests']:,} keyed digests) "
            f"linked in one pass (`shelter campaigns --relink`) in **{relink['seconds']} s** (target < 60 s): "
            f"{relink['campaigns_found']:,} campaigns found of the {relink['campaigns_generated']:,} generated, pairs of "
            f"messages put together with precision {relink['pair_precision']} and recall {relink['pair_recall']}. "
            f"Then {arrivals['arrivals']:,} more arriving one by one, each linked as triage links it (in its own "
            f"transaction), took **{arrivals['ms_per_artefact']} ms** each into that instance; precision "
            f"{arrivals['pair_precision']}, recall {arrivals['pair_recall']} over all of them.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--artefacts", type=int, default=100_000)
    parser.add_argument("--arrivals", type=int, default=1000)
    parser.add_argument("--json")
    parser.add_argument("--readme")
    args = parser.parse_args()
    result = run(args.artefacts, args.arrivals)
    print(figures(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2), encoding="utf-8")
    if args.readme:
        write_figures(args.readme, "linking", figures(result))


if __name__ == "__main__":
    main()
