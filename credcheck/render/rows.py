"""The table of a large input written off a terminal: one line a claim, streamed.

A rich table sizes its columns from every row, so it holds them all: a
million claims written as a table to a file took 710 s and 13.7 GiB. Past
render/parallel.MIN_SLICE claims (10,000: where scoring in parallel starts to
pay), `credcheck score big.jsonl > table.txt` (or `-o FILE`, or `--all` in a
terminal) gets this plain table instead: fixed columns, one
line a claim in the file's order, the counts per grade at the end. Each line
is made on its own, so the claims are scored as they are written (by
several processes, as for JSON: render/parallel.py) and memory stays bounded
whatever the number of claims. User text is folded to one line and its
control, bidi and invisible characters shown as `{U+202E}`, as in every
terminal view.
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Iterator, Sequence

from credcheck.model import Assessment
from credcheck.render import Report, percent
from credcheck.render.safe_text import one_line

# column -> width; the claim's text comes last, whole, so a line never wraps it
# (the terminal table's columns: probability, ICD 203 term and confidence apart)
COLUMNS = (("ID", 24), ("Grade", 5), ("P", 6), ("Likelihood", 20), ("Conf.", 8), ("Flags", 40))


def header(report: Report) -> str:
    title = one_line(report.claims.title or "credcheck assessment")
    names = "  ".join(f"{name:<{width}}" if name != "P" else f"{name:>{width}}" for name, width in COLUMNS)
    rule = "  ".join("-" * width for _, width in COLUMNS)
    return f"{title}\n\n{names}  Claim\n{rule}  -----\n"


def row(a: Assessment) -> str:
    """One claim's line: id, grade, probability, likelihood, confidence, flags, then the claim's text."""
    flags = ",".join(a.flags) or "-"
    probability = "-" if a.probability is None else percent(a.probability)
    confidence = a.confidence.level if a.confidence is not None else "-"
    return (f"{one_line(a.id):<24}  {a.admiralty:<5}  {probability:>6}  {a.likelihood or '-':<20}  {confidence:<8}  "
            f"{one_line(flags):<40}  {one_line(a.text)}\n")


def row_texts(assessments: Iterable[Assessment]) -> Iterator[str]:
    return map(row, assessments)


def footer(report: Report, grades: Sequence[Any]) -> str:
    """The counts per credibility grade (and unreviewed drafts), and the rubric: written once every row is."""
    counts = Counter(g.credibility for g in grades)
    drafts = sum(1 for g in grades if g.draft)
    line = f"{len(grades):,} claim{'s' if len(grades) != 1 else ''}. Credibility: "
    line += ", ".join(f"{code}: {counts[code]:,}" for code in range(1, 7) if counts[code]) or "none"
    if drafts:
        line += f". Unreviewed drafts: {drafts:,}"
    r = report.rubric
    return (f"\n{line}\nrubric {one_line(r.name)} {one_line(r.version)} · Admiralty: reliability A-F, credibility 1-6 · "
            "claims in the file's order\n")


def chunks(report: Report, listing: Iterable[Any], grades: Sequence[Any]) -> Iterator[Any]:
    """The whole table in pieces: `listing` holds the rows (str pieces, or a scoring worker's
    part as a files.FileText); `grades` is filled in as they are made, so the footer comes last."""
    yield header(report)
    yield from listing
    yield footer(report, grades)
