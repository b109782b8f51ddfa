"""A verdict from the findings: malicious, suspicious or no_known_signs (never 'safe': absence of known
signs proves nothing), the score behind it, and what the attacker most likely wanted."""

from .findings import vocabulary


def verdict(findings) -> tuple[str, int]:
    score = sum(f.weight for f in {(f.kind, f.evidence): f for f in findings}.values())
    thresholds = vocabulary()["verdicts"]
    if any(f.kind == "known_ioc" for f in findings) or score >= thresholds["malicious"]:
        return "malicious", score
    if score >= thresholds["suspicious"]:
        return "suspicious", score
    return "no_known_signs", score


def goals(findings) -> list[str]:
    """credentials, malware, tracking: in order of how many findings point at each."""
    counts = {}
    for f in findings:
        if f.goal != "none":
            counts[f.goal] = counts.get(f.goal, 0) + 1
    return sorted(counts, key=lambda g: -counts[g])
