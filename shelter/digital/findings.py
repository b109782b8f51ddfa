"""The kinds of finding and their wording (data/findings.json), and a finding as the checks report it."""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@cache
def vocabulary() -> dict:
    return json.loads((DATA / "findings.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Finding:
    kind: str
    evidence: str  # the header line, the link, the file name: what a reader checks (defanged when shown)
    params: dict = field(default_factory=dict, compare=False)

    @property
    def severity(self) -> str:
        return vocabulary()["kinds"][self.kind]["severity"]

    @property
    def weight(self) -> int:
        return vocabulary()["severities"][self.severity]

    @property
    def goal(self) -> str:
        return vocabulary()["kinds"][self.kind]["goal"]

    def summary(self, language: str = "en") -> str:
        template = vocabulary()["kinds"][self.kind][language]
        params = {**self.params, **{k[: -len(language) - 1]: v for k, v in self.params.items() if k.endswith(f"_{language}")}}
        return template.format_map(_Blank(params))

    def as_dict(self) -> dict:
        return {"kind": self.kind, "severity": self.severity, "summary": self.summary("en"),
                "summary_ru": self.summary("ru"), "evidence": self.evidence}


class _Blank(dict):
    """Fills a placeholder the check did not give with nothing rather than failing."""

    def __missing__(self, key):
        return ""
