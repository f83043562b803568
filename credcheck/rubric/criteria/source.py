"""source: who supports the claim, and how far their lines can be trusted.

Each source type has a default A-F letter; an analyst's `reliability` rating
overrides it. Each letter has a chance that a line from such a source holds
up (`holds_up`, 0.5-0.99). A line of reporting from a source whose lines hold
up with chance r weighs 10*log10(r / (1 - r)) decibans (the log of the odds it
gives), times the factor for the report's access (first-hand beats
second-hand; `unknown` never counts for less than `second_hand`). A source no
better than a coin toss (0.5) weighs nothing.

This criterion counts the strongest supporting line, the source the claim
rests on; corroboration counts every other line. Its reasons show how each
supporting line's weight was worked out.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from credcheck.model import ACCESS, LETTERS, CriterionResult, Line, Source
from credcheck.load.schema import Enum, Field, MapOf, Num, Obj, Str

if TYPE_CHECKING:
    from credcheck.rubric.criteria.analysis import Analysis

ID = "source"

SOURCE_TYPE = Obj({
    "reliability": Field(Enum(LETTERS, "reliability letter"), required=True, doc="default A-F letter"),
}, what="source type", removed={
    "score": "a source's weight now follows from its reliability letter alone (criteria.source.holds_up); "
             "delete `score` and keep `reliability`, e.g. {reliability: C}",
})

CONFIG = Obj({
    "types": Field(MapOf(Str(), SOURCE_TYPE, "source type table"), required=True,
                   doc="source type -> {reliability}: the letter a source of this type gets unless an analyst rates it"),
    "holds_up": Field(MapOf(Enum(LETTERS, "reliability letter"), Num(0.5, 0.99)), required=True,
                      doc="reliability letter -> the chance (0.5-0.99) that a line from such a source holds up"),
    "access": Field(MapOf(Enum(ACCESS, "access"), Num(0, 1)), required=True,
                    doc="share (0-1) of a line's weight counted, by the report's access"),
}, what="source criterion", removed={
    "reliability_scores": "replaced by `holds_up`: the chance (0.5-0.99) that a line from a source of each "
                          "letter holds up, e.g. holds_up: {A: 0.95, B: 0.8, C: 0.54, D: 0.52, E: 0.5, F: 0.51}",
    "combine": "removed: every independent line now adds its own weight (the strongest is counted here, "
               "the others under corroboration); delete `combine`",
})


def rate(source: Source, config: dict[str, Any]) -> tuple[str, float]:
    """The A-F letter of one source under this rubric, and the chance its lines hold up."""
    letter = source.reliability or config["types"][source.type]["reliability"]
    return letter, float(config["holds_up"][letter])


def log_odds(holds_up: float) -> float:
    """Decibans of a line whose source holds up with this chance: 10*log10(r/(1-r)), never below 0.

    A source right less often than not would make its support count against the
    claim; it counts for nothing instead, so an added line never lowers the odds.
    """
    if holds_up <= 0.5:
        return 0.0
    return 10.0 * math.log10(holds_up / (1.0 - holds_up))


def score(analysis: "Analysis", config: dict[str, Any]) -> CriterionResult:
    lines = analysis.supporting
    claim = analysis.claim
    if not lines:
        why = "no supporting report" if claim.reports else "no reports"
        return CriterionResult(50.0, 0.0, (f"{why}: no source to weigh",), gaps=("a supporting source",))
    strongest = strongest_line(lines)
    reasons = [f"the strongest supporting line: {signed(strongest.decibans)} dB"]
    first_hand = proven = False
    for line in lines:
        report = claim.reports[line.report]
        reasons.append(_rating(line, report.access, analysis, config) + ("" if line is strongest else ": under corroboration"))
        first_hand = first_hand or report.access == "first_hand"
        proven = proven or line.letter in LETTERS[:3]  # A-C: proven reliability
    gaps: list[str] = []
    if not first_hand:
        gaps.append("a first-hand source")
    if not proven:
        gaps.append("a source of proven reliability (A-C)")
    db = strongest.decibans
    return CriterionResult(percent(db), abs(db), tuple(reasons), gaps=tuple(gaps), decibans=db)


def strongest_line(lines: tuple[Line, ...]) -> Line:
    """The line of most weight; of equal ones, the first in the file."""
    best = lines[0]
    for line in lines[1:]:
        if line.decibans > best.decibans:
            best = line
    return best


def _rating(line: Line, access: str, analysis: "Analysis", config: dict[str, Any]) -> str:
    """'nis [ROK government]: B (analyst) holds up 80%: 6.0 dB, second-hand x0.6 = +3.6 dB'."""
    best = analysis.sources[line.members[0]]
    rated = "analyst" if best.reliability else f"{best.type} default"
    factor = float(config["access"][access])
    text = (f"{line_name(line, analysis)}: {line.letter} ({rated}) holds up {line.holds_up:.0%}: "
            f"{log_odds(line.holds_up):.1f} dB, {access.replace('_', '-')} x{factor:g}")
    if line.discount != 1.0:
        text += f", x{line.discount:.2f} after other {line.kind} lines"
    return f"{text} = {signed(line.decibans)} dB"


def line_name(line: Line, analysis: "Analysis") -> str:
    """'nis', 'nis [ROK government]', 'yonhap relaying nis', 'seoul-daily from yonhap'."""
    report = analysis.claim.reports[line.report]
    original = line.original if line.original in line.members else f"{line.members[0]} [{line.original}]"
    if report.via:
        return f"{report.source} relaying {original}"
    if report.source in line.members:
        return original
    return f"{report.source} from {original}"


def percent(decibans: float) -> float:
    """Where a weight of evidence takes even odds, in percent (0 dB: 50)."""
    return round(100.0 / (1.0 + 10.0 ** (-decibans / 10.0)), 4)


def signed(decibans: float) -> str:
    """'+3.6', '-0.4', '+0.05': the sign always shown, one decimal, two for a weight under 0.1
    that is not nothing (a refutation weighing nothing reads '-0.0')."""
    if 0 < abs(decibans) < 0.095:
        return f"{decibans:+.2f}"
    return f"{decibans:+.1f}"
