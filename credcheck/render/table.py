"""The analyst's terminal view: one row per claim, best grades first, fitted to the terminal.

A table that is wider than the terminal gets its columns cut or its claim
text squeezed to a few characters a line. Instead, columns fold into the row,
one step at a time, until the claim text has room (docs/terminal.md):

  1. the flags go under the claim text;
  2. the probability goes under the grade;
  3. the confidence goes under the claim text, before the flags;
  4. the likelihood goes under the claim text, before the confidence;
  5. ids longer than 14 characters are shortened in the middle (`border-c…htened`);
  6. the id goes above the claim text, and the ID column goes.

Nothing is ever dropped: every value of every row is still on screen, and the
caption says what moved. Ids are shortened with an ellipsis, never folded
over two lines; a flag is never split.
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from credcheck.model import Assessment
from credcheck.record import Record
from credcheck.render.safe_text import one_line
from credcheck.render import Report, percent, sort_key
from credcheck.render.console import console as safe_console

GRADE_STYLES = {1: "bold green", 2: "green", 3: "yellow", 4: "dark_orange", 5: "red", 6: "dim"}

PREFERRED_CLAIM_WIDTH = 40  # a layout is chosen when its claim column gets this much...
MIN_CLAIM_WIDTH = 30  # ...or, if none does, at least this much
MAX_ID_WIDTH = 24
SHORT_ID_WIDTH = 14
LIKELIHOOD_WIDTH = 13  # 'roughly even' / 'chance' on two lines; every other term on one or two
GRADE_WIDTH = 5  # 'Grade' is five characters
P_WIDTH = 5  # '98.5%'
CONFIDENCE_WIDTH = 8  # 'moderate'


class Layout(Record):
    """Which values have a column of their own; the others fold into the row."""

    name: str
    flags: bool = True  # a Flags column (else: under the claim text)
    probability: bool = True  # a P column (else: under the grade)
    confidence: bool = True  # a Conf. column (else: under the claim text)
    likelihood: bool = True  # a Likelihood column (else: under the claim text)
    id_column: bool = True  # an ID column (else: above the claim text)
    id_width: int = MAX_ID_WIDTH


# Widest first; each step folds one more thing into the row (the module docstring's order).
_FOLDED = dict(flags=False, probability=False, confidence=False, likelihood=False)
LAYOUTS = (
    Layout("full"),
    Layout("flags under the claim", flags=False),
    Layout("probability under the grade", flags=False, probability=False),
    Layout("confidence under the claim", flags=False, probability=False, confidence=False),
    Layout("likelihood under the claim", **_FOLDED),
    Layout("short ids", **_FOLDED, id_width=SHORT_ID_WIDTH),
    Layout("ids above the claim", **_FOLDED, id_column=False),
)


def shorten(text: str, width: int) -> str:
    """`text` in at most `width` terminal cells, its middle replaced by '…' when it is longer.

    Ids of one file often share a beginning (`dmz-crossings-east`, `dmz-crossings-west`):
    keeping both ends keeps them apart.
    """
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    room = width - 1
    head, tail = _cells_from_start(text, (room + 1) // 2), _cells_from_end(text, room // 2)
    return f"{head}…{tail}"


def short_ids(ids: Sequence[str], width: int) -> dict[str, str]:
    """Each id shortened to `width` cells (shorten), every one still told apart from the others.

    When two ids shorten alike (`dmz-crossing…-in-october` for the eastern and the
    western sector), those ids move their cut, and failing that show the stretch
    around where they first differ (`…ng-the-eastern-sec…`).
    """
    shown = {i: shorten(i, width) for i in ids}
    groups: dict[str, list[str]] = {}
    for ident, short in shown.items():
        groups.setdefault(short, []).append(ident)
    for group in groups.values():
        if len(group) > 1:
            shown.update(_told_apart(group, width))
    return shown


def _told_apart(group: list[str], width: int) -> dict[str, str]:
    room = width - 1
    default = (room + 1) // 2
    for head in sorted(range(room + 1), key=lambda h: (abs(h - default), h)):
        forms = {i: _cut(i, head, room - head) for i in group}
        if len(set(forms.values())) == len(group):
            return forms
    start = max(0, len(_common_prefix(group)) - (width - 2) // 2)
    return {i: _window(i, start, width) for i in group}


def _cut(text: str, head: int, tail: int) -> str:
    return f"{_cells_from_start(text, head)}…{_cells_from_end(text, tail) if tail else ''}"


def _window(text: str, start: int, width: int) -> str:
    """text[start:] in `width` cells, with '…' where it was cut."""
    before = "…" if start > 0 else ""
    rest = text[start:]
    if cell_len(before + rest) <= width:
        return before + rest
    return before + _cells_from_start(rest, width - len(before) - 1) + "…"


def _common_prefix(texts: list[str]) -> str:
    first, last = min(texts), max(texts)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n]


def _cells_from_start(text: str, cells: int) -> str:
    used = 0
    for i, ch in enumerate(text):
        used += cell_len(ch)
        if used > cells:
            return text[:i]
    return text


def _cells_from_end(text: str, cells: int) -> str:
    return _cells_from_start(text[::-1], cells)[::-1]


def _column_widths(layout: Layout, rows: Sequence[Assessment]) -> list[int]:
    """The widths of every column but the claim's, for these rows."""
    widths = []
    if layout.id_column:
        widths.append(max([2, *(min(cell_len(one_line(a.id)), layout.id_width) for a in rows)]))
    widths.append(GRADE_WIDTH)
    if layout.probability:
        widths.append(P_WIDTH)
    if layout.likelihood:
        widths.append(LIKELIHOOD_WIDTH)
    if layout.confidence:
        widths.append(CONFIDENCE_WIDTH)
    if layout.flags:
        widths.append(max([len("Flags"), *(len(f) for a in rows for f in a.flags)]))
    return widths


def claim_width(layout: Layout, rows: Sequence[Assessment], width: int) -> int:
    """The claim column's width under `layout` in a terminal `width` cells wide."""
    others = _column_widths(layout, rows)
    columns = len(others) + 1
    return width - sum(others) - (3 * columns + 1)  # a space either side of each cell, and the rules between


def choose_layout(rows: Sequence[Assessment], width: int) -> Layout:
    """The widest layout whose claim column gets PREFERRED_CLAIM_WIDTH, else MIN_CLAIM_WIDTH, else the narrowest."""
    for least in (PREFERRED_CLAIM_WIDTH, MIN_CLAIM_WIDTH):
        for layout in LAYOUTS:
            if claim_width(layout, rows, width) >= least:
                return layout
    return LAYOUTS[-1]


def build_table(report: Report, rows: Sequence[Assessment], width: int = 120) -> Table:
    layout = choose_layout(rows, width)
    title = report.claims.title or "credcheck assessment"
    # User text is folded to one line and its control and bidi characters shown as
    # {U+XXXX}: an escape sequence in a claim must not clear the analyst's screen.
    # Without an ID column, rules between rows show where one claim ends.
    table = Table(title=Text(one_line(title)), caption=Text(_caption(report, layout, width)),
                  show_lines=not layout.id_column, expand=True)
    if layout.id_column:
        table.add_column("ID", no_wrap=True, overflow="ellipsis")  # shortened below, never folded
    table.add_column("Claim", ratio=1, overflow="fold")
    table.add_column("Grade", no_wrap=True, justify="center", width=GRADE_WIDTH)
    if layout.probability:
        table.add_column("P", justify="right", no_wrap=True, width=P_WIDTH)
    if layout.likelihood:
        table.add_column("Likelihood", width=LIKELIHOOD_WIDTH)
    if layout.confidence:
        table.add_column("Conf.", no_wrap=True, width=CONFIDENCE_WIDTH)
    if layout.flags:
        table.add_column("Flags", no_wrap=True)  # one flag a line: never split a flag
    room = max(1, claim_width(layout, rows, width))
    ids = short_ids([one_line(a.id) for a in rows], layout.id_width if layout.id_column else room)
    for a in rows:
        table.add_row(*_cells(a, layout, ids[one_line(a.id)]))
    return table


def _cells(a: Assessment, layout: Layout, ident: str) -> list[Text]:
    style = GRADE_STYLES[a.credibility]
    claim = Text()
    if not layout.id_column:
        claim.append(ident + "\n", style="bold")
    claim.append(one_line(a.text))  # user text is never markup: a '[' in a claim stays a '['
    folded = []
    if not layout.likelihood:
        folded.append(Text(a.likelihood or "no estimate", style=style))
    if not layout.confidence and a.probability is not None:
        folded.append(Text(f"{_confidence(a)} confidence"))
    if not layout.flags and a.flags:
        folded.append(Text("flags: " + ", ".join(a.flags), style="dim"))
    if folded:
        claim.append("\n")
        claim.append(Text(" · ").join(folded))
    grade = Text(a.admiralty, style=style)
    if not layout.probability:
        grade.append(f"\n{_probability(a)}", style="dim")
    cells = [Text(ident)] if layout.id_column else []
    cells += [claim, grade]
    if layout.probability:
        cells.append(Text(_probability(a)))
    if layout.likelihood:
        cells.append(Text(a.likelihood or "-", style=style))
    if layout.confidence:
        cells.append(Text(_confidence(a) if a.probability is not None else "-"))
    if layout.flags:
        cells.append(Text("\n".join(a.flags)))
    return cells


def _probability(a: Assessment) -> str:
    return "-" if a.probability is None else percent(a.probability)


def _confidence(a: Assessment) -> str:
    return a.confidence.level if a.confidence is not None else "-"


def _caption(report: Report, layout: Layout, width: int) -> str:
    r = report.rubric
    caption = (f"rubric {one_line(r.name)} {one_line(r.version)} · Admiralty: reliability A-F, credibility 1-6 · "
               "P: probability, with its ICD 203 term · confidence: in the sourcing")
    moved = fold_note(layout)
    if moved:
        caption += f"\nTo fit {width} columns: {moved}"
    return caption


def fold_note(layout: Layout) -> str:
    """What `layout` moved out of its column, in words; '' for the full table."""
    under_claim = [name for name, own in (("likelihood", layout.likelihood), ("confidence", layout.confidence),
                                          ("flags", layout.flags)) if not own]
    notes = []
    if not layout.id_column:
        notes.append("ids above each claim")
    elif layout.id_width < MAX_ID_WIDTH:
        notes.append(f"ids over {layout.id_width} characters shortened with …")
    if under_claim:
        notes.append(f"{_and(under_claim)} under each claim")
    if not layout.probability:
        notes.append("probability under the grade")
    return "; ".join(notes)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


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
    """Print the table fitted to the console's width; with `limit`, only the worst-graded rows and a summary of all."""
    ordered = sorted(report.assessments, key=sort_key)
    width = console.width
    if limit is not None and len(ordered) > limit:
        worst = ordered[-limit:]
        console.print(build_table(report, worst, width))
        console.print(summary(ordered))
        console.print(Text(f"showing the {limit} worst-graded of {len(ordered):,} claims; --all shows every row", style="dim"))
        return
    console.print(build_table(report, ordered, width))


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
