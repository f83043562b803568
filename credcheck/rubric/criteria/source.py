"""source: how reliable are the sources behind the independent supporting lines?

Each source type has a score and a default A-F letter; an analyst's
`reliability` rating overrides both (the letter, and the score given for that
letter). A line's score is its original's score times the access factor of
the report (first-hand beats second-hand). Lines are combined by `best`
(the strongest line) or `mean`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from credcheck.model import CriterionResult, Source
from credcheck.load.schema import Enum, Field, MapOf, Num, Obj, Str

if TYPE_CHECKING:
    from credcheck.rubric.criteria.analysis import Analysis

ID = "source"
LETTERS = ("A", "B", "C", "D", "E", "F")
ACCESS = ("first_hand", "second_hand", "unknown")

SOURCE_TYPE = Obj({
    "score": Field(Num(0, 100), required=True, doc="points for a source of this type, 0-100"),
    "reliability": Field(Enum(LETTERS, "reliability letter"), required=True, doc="default A-F letter"),
}, what="source type")

CONFIG = Obj({
    "types": Field(MapOf(Str(), SOURCE_TYPE, "source type table"), required=True,
                   doc="source type -> {score, reliability}"),
    "reliability_scores": Field(MapOf(Enum(LETTERS, "reliability letter"), Num(0, 100)), required=True,
                                doc="score given by an analyst's A-F rating"),
    "access": Field(MapOf(Enum(ACCESS, "access"), Num(0, 1)), required=True,
                    doc="factor on a line's score by the report's access"),
    "combine": Field(Enum(("best", "mean"), "combination"), default="best",
                     doc="how line scores combine: the best line, or the mean of lines"),
}, what="source criterion")


def rate(source: Source, config: dict[str, Any]) -> tuple[str, float]:
    """The A-F letter and the score of one source under this rubric."""
    if source.reliability:
        return source.reliability, float(config["reliability_scores"][source.reliability])
    row = config["types"][source.type]
    return row["reliability"], float(row["score"])


def score(analysis: "Analysis", config: dict[str, Any], weight: float) -> CriterionResult:
    lines = analysis.supporting
    claim = analysis.claim
    if not lines:
        why = "no supporting report" if claim.reports else "no reports"
        return CriterionResult(0.0, weight, (f"{why}: no source to rate",), gaps=("a supporting source",))
    access = config["access"]
    values: list[float] = []
    reasons = [""]  # the combination goes first, once known
    first_hand = False
    proven = False
    for line in lines:
        report = claim.reports[line.report]
        factor = float(access[report.access])
        value = line.score * factor
        values.append(value)
        reasons.append(_line_reason(line, report, factor, value, analysis))
        first_hand = first_hand or report.access == "first_hand"
        proven = proven or line.letter not in ("D", "E", "F")
    best = config["combine"] == "best"
    combined = max(values) if best else sum(values) / len(values)
    how = "best line" if best else f"mean of {len(values)} lines"
    reasons[0] = f"{how}: {combined:.1f}"
    gaps: list[str] = []
    if not first_hand:
        gaps.append("no first-hand source")
    if not proven:
        gaps.append("no source of proven reliability (A-C)")
    return CriterionResult(round(combined, 4), weight, tuple(reasons), gaps=tuple(gaps))


def _line_reason(line: Any, report: Any, factor: float, value: float, analysis: "Analysis") -> str:
    best = analysis.sources[line.members[0]]
    rating = f"rated {best.reliability}" if best.reliability else f"{best.type}, default {line.letter}"
    access = report.access.replace("_", "-")
    return f"{line.original} ({rating}): {line.score:g} x {access} {factor:g} = {value:.1f}"
