"""How an import command reports the lines it rejected: a count, at most fifty reasons (each naming its
line, never a value), and what became of the file."""

from dataclasses import dataclass

MAX_REASONS_SHOWN = 50


@dataclass
class LineError:
    line: int
    reason: str

    def __str__(self):
        return f"line {self.line}: {self.reason}"


def report(errors, conclusion: str) -> str:
    shown = [str(e) for e in errors[:MAX_REASONS_SHOWN]]
    if len(errors) > MAX_REASONS_SHOWN:
        shown.append(f"… and {len(errors) - MAX_REASONS_SHOWN} more rejected lines")
    return "\n".join([f"{plural(len(errors), 'line')} rejected:", *shown, conclusion])


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
