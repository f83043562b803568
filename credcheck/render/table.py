"""The analyst's terminal view: one row per claim, best grades first."""
from __future__ import annotations

from collections import Counter
from typing import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model import Assessment
from ..safetext import one_line
from . import Report, sort_key
from .console import console as safe_console

GRADE_STYLES = {1: "bold green", 2: "green", 3: "yellow", 4: "dark_orange", 5: "red", 6: "dim"}


def build_table(report: Report, rows: Sequence[Assessment]) -> Table:
    title = report.claims.title or "credcheck assessment"
    # User text is folded to one line and its control and bidi characters shown as
    # {U+XXXX}: an escape sequence in a claim must not clear the analyst's screen.
    table = Table(title=Text(one_line(title)), caption=Text(one_line(_caption(report))), show_lines=False, expand=True)
    table.add_column("ID", max_width=24, overflow="fold")
    table.add_column("Claim", ratio=1, min_width=24, overflow="fold")
    table.add_column("Grade", no_wrap=True, justify="center")
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Likelihood", max_width=13)
    table.add_column("Flags", no_wrap=True, overflow="ellipsis")  # one flag a line: never split a flag
    for a in rows:
        table.add_row(
            Text(one_line(a.id)),
            Text(one_line(a.text)),  # user text is never markup: a '[' in a claim stays a '['
            Text(a.admiralty, style=GRADE_STYLES[a.credibility]),
            f"{a.score:.1f}",
            Text(a.likelihood or "-", style=GRADE_STYLES[a.credibility]),
            Text("\n".join(a.flags)),
        )
    return table


def _caption(report: Report) -> str:
    r = report.rubric
    return f"rubric {r.name} {r.version} · Admiralty: reliability A-F, credibility 1-6"


def summary(assessments: Sequence[Assessment]) -> Text:
    """Counts per grade and per flag, for inputs too large to list row by row."""
    grades = Counter(a.credibility for a in assessments)
    flags = Counter(f for a in assessments for f in a.flags)
    text = Text(f"{len(assessments):,} claims. Credibility: ")
    text.append(", ".join(f"{code}: {grades[code]:,}" for code in range(1, 7) if grades[code]))
    if flags:
        text.append(". Flags: " + ", ".join(f"{name}: {count:,}" for name, count in sorted(flags.items())))
    return text


def print_table(report: Report, console: Console, limit: int | None = None) -> None:
    """Print the table; with `limit`, only the worst-graded rows and a summary of all."""
    ordered = sorted(report.assessments, key=sort_key)
    if limit is not None and len(ordered) > limit:
        worst = ordered[-limit:]
        console.print(build_table(report, worst))
        console.print(summary(ordered))
        console.print(Text(f"showing the {limit} worst-graded of {len(ordered):,} claims; --all shows every row", style="dim"))
        return
    console.print(build_table(report, ordered))


def render(report: Report, width: int = 120) -> str:
    """The table as plain text (for -o FILE)."""
    console = safe_console(width=width, no_color=True, color_system=None, force_terminal=False, record=True, file=_Null())
    print_table(report, console)
    return console.export_text()


class _Null:
    def write(self, _: str) -> int:
        return 0

    def flush(self) -> None:
        pass
