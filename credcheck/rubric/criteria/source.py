"""source: how reliable are the sources behind the independent supporting lines?

Each source type has a score and a default A-F letter; an analyst's
`reliability` rating overrides both (the letter, and the score given for that
letter). A source with a `track_record` takes the letter its record implies,
starting from that letter as a prior (rubric/reliability.py), and the score
given for it. A line's score is its original's score times the access factor of
the report (first-hand beats second-hand). Lines are combined by `best`
(the strongest line) or `mean`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from credcheck.errors import CredcheckError
from credcheck.model import ACCESS, LETTERS, CriterionResult, Source
from credcheck.load.schema import Enum, Field, MapOf, Num, Obj, Str
from credcheck.rubric import reliability

if TYPE_CHECKING:
    from credcheck.rubric.criteria.analysis import Analysis

ID = "source"

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
    "holds_up": Field(MapOf(Enum(LETTERS, "reliability letter"), Num(0, 1)),
                      doc="the chance that a line of a source of each letter holds up: a track record's prior mean"),
    "track_record": Field(Obj({
        "prior_lines": Field(Num(0), required=True, doc="how many resolved lines the letter counts as, against a record"),
        "letters": Field(MapOf(Enum(reliability.JUDGED, "reliability letter"), Num(0, 1)), required=True,
                         doc="the lowest posterior chance of holding up that earns each letter A-E"),
    }, what="track record settings"), doc="how a source's record of resolved claims moves it from its letter"),
}, what="source criterion")


def rate(source: Source, config: dict[str, Any]) -> tuple[str, float]:
    """The A-F letter and the score of one source under this rubric."""
    record = track_record(source, config)
    if record is not None:
        return record.letter, float(config["reliability_scores"][record.letter])
    if source.reliability:
        return source.reliability, float(config["reliability_scores"][source.reliability])
    row = config["types"][source.type]
    return row["reliability"], float(row["score"])


def prior_letter(source: Source, config: dict[str, Any]) -> str:
    """The letter before any record: the analyst's, else the type's default."""
    return source.reliability or config["types"][source.type]["reliability"]


def track_record(source: Source, config: dict[str, Any]) -> reliability.Posterior | None:
    """What the source's record makes of its letter; None without a record (or with an empty one)."""
    if source.track_record is None:
        return None
    if not config.get("track_record") or not config.get("holds_up"):
        raise CredcheckError.single(None, "criteria.source.track_record",
                                    f"source '{source.id}' has a track record, but the rubric says nothing of how to weigh "
                                    "one: give criteria.source.holds_up and track_record (as the default rubric does)")
    return reliability.posterior(prior_letter(source, config), source.track_record, config["holds_up"],
                                 config["track_record"])


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
        reasons.append(_line_reason(line, report, factor, value, analysis, config))
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


def _line_reason(line: Any, report: Any, factor: float, value: float, analysis: "Analysis", config: dict[str, Any]) -> str:
    best = analysis.sources[line.members[0]]
    record = track_record(best, config)
    if record is not None:
        rating = record.reason
    else:
        rating = f"rated {best.reliability}" if best.reliability else f"{best.type}, default {line.letter}"
    access = report.access.replace("_", "-")
    return f"{line.original} ({rating}): {line.score:g} x {access} {factor:g} = {value:.1f}"
