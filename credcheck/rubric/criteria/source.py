"""source: who supports the claim, and how far their lines can be trusted.

Each source type has a default A-F letter; an analyst's `reliability` rating
overrides it. Each letter has a chance that a line from such a source holds
up (`holds_up`, 0.5-0.99). A line of reporting from a source whose lines hold
up with chance r weighs 10*log10(r / (1 - r)) decibans (the log of the odds it
gives), times the factor for the report's access (first-hand beats
second-hand; `unknown` never counts for less than `second_hand`). A source no
better than a coin toss (0.5) weighs nothing. A source with a `track_record`
holds up with the chance its record implies, its letter serving as the prior
(rubric/reliability.py), and shows the letter that chance earns.

This criterion counts the strongest supporting line, the source the claim
rests on; corroboration counts every other line. Its reasons show how each
supporting line's weight was worked out.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from credcheck.errors import CredcheckError
from credcheck.model import ACCESS, LETTERS, CriterionResult, Line, Source
from credcheck.load.schema import Enum, Field, MapOf, Num, Obj, Str
from credcheck.rubric import reliability

if TYPE_CHECKING:
    from credcheck.rubric.criteria.analysis import Analysis

ID = "source"
PROVEN = LETTERS[:3]  # A-C: a source that has been right before
MOST = 0.99  # no record makes a line hold up more surely than the rubric lets a letter (holds_up at most 0.99)

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
    "track_record": Field(Obj({
        "prior_lines": Field(Num(0), required=True, doc="how many resolved lines the letter counts as, against a record"),
        "letters": Field(MapOf(Enum(reliability.JUDGED, "reliability letter"), Num(0, 1)), required=True,
                         doc="the lowest posterior chance of holding up that earns each letter A-E"),
    }, what="track record settings"), doc="how a source's record of resolved claims moves it from its letter"),
}, what="source criterion", removed={
    "reliability_scores": "replaced by `holds_up`: the chance (0.5-0.99) that a line from a source of each "
                          "letter holds up, e.g. holds_up: {A: 0.95, B: 0.8, C: 0.54, D: 0.52, E: 0.5, F: 0.51}",
    "combine": "removed: every independent line now adds its own weight (the strongest is counted here, "
               "the others under corroboration); delete `combine`",
})


def rate(source: Source, config: dict[str, Any]) -> tuple[str, float]:
    """The A-F letter of one source under this rubric, and the chance its lines hold up."""
    record = track_record(source, config)
    if record is not None:
        return record.letter, min(record.holds_up, MOST)
    letter = prior_letter(source, config)
    return letter, float(config["holds_up"][letter])


def prior_letter(source: Source, config: dict[str, Any]) -> str:
    """The letter before any record: the analyst's, else the type's default."""
    return source.reliability or config["types"][source.type]["reliability"]


def track_record(source: Source, config: dict[str, Any]) -> reliability.Posterior | None:
    """What the source's record makes of its letter; None without a record (or with an empty one)."""
    if source.track_record is None:
        return None
    if not config.get("track_record"):
        raise CredcheckError.single(None, "criteria.source.track_record",
                                    f"source '{source.id}' has a track record, but the rubric says nothing of how to weigh "
                                    "one: give criteria.source.track_record (as the default rubric does)")
    return reliability.posterior(prior_letter(source, config), source.track_record, config["holds_up"],
                                 config["track_record"])


def log_odds(holds_up: float) -> float:
    """Decibans of a line whose source holds up with this chance: 10*log10(r/(1-r)), never below 0.

    A source right less often than not would make its support count against the
    claim; it counts for nothing instead, so an added line never lowers the odds.
    """
    if holds_up <= 0.5:
        return 0.0
    return 10.0 * math.log10(holds_up / (1.0 - holds_up))


def score(analysis: "Analysis", config: dict[str, Any], prepared: None = None) -> CriterionResult:
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
        proven = proven or line.letter in PROVEN
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
    record = track_record(best, config)
    if record is not None:
        rated = f"{record.reason};"
    else:
        rated = f"{line.letter} ({'analyst' if best.reliability else f'{best.type} default'})"
    factor = float(config["access"][access])
    text = (f"{line_name(line, analysis)}: {rated} holds up {line.holds_up:.0%}: "
            f"{log_odds(line.holds_up):.1f} dB, {access.replace('_', '-')} x{factor:g}")
    if line.discount != 1.0:
        text += f", x{line.discount:.2f} after other {line.kind} lines"
    return f"{text} = {signed(line.decibans)} dB"


def line_name(line: Line, analysis: "Analysis") -> str:
    """How the reasons name a line (the engine names each once: Line.name)."""
    return line.name or name_line(line, analysis.claim.reports[line.report])


def name_line(line: Line, report: Any) -> str:
    """'nis', 'nis [ROK government]', 'yonhap relaying nis', 'seoul-daily from yonhap'."""
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
    if -0.095 < decibans < 0.095 and decibans:
        return f"{decibans:+.2f}"
    return f"{decibans:+.1f}"
