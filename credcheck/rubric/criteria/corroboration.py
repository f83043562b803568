"""corroboration: how many independent lines support the claim, and how many refute it?

Counted on independent lines only (see independence.py): relays and outlets
of one owner are one line. A curve maps the count of independent supporting
lines to points (counts beyond the curve take its last value); each
independent refuting line subtracts `refutation_penalty`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from credcheck.model import CriterionResult
from credcheck.load.schema import Field, IntKey, MapOf, Num, Obj

if TYPE_CHECKING:
    from credcheck.rubric.criteria.analysis import Analysis

ID = "corroboration"

CONFIG = Obj({
    "curve": Field(MapOf(IntKey(0), Num(0, 100), "curve"), required=True,
                   doc="independent supporting lines -> points; must start at 0 and never fall"),
    "refutation_penalty": Field(Num(0, 100), required=True, doc="points taken per independent refuting line"),
}, what="corroboration criterion")


def curve_points(curve: dict[int, float], lines: int) -> float:
    """Points for `lines` on a step curve: the value at the largest count <= lines."""
    best = 0.0
    for count in sorted(curve):
        if count <= lines:
            best = float(curve[count])
    return best


def score(analysis: "Analysis", config: dict[str, Any], weight: float) -> CriterionResult:
    claim = analysis.claim
    n_sup, n_ref = len(analysis.supporting), len(analysis.refuting)
    points = curve_points(config["curve"], n_sup)
    penalty = float(config["refutation_penalty"]) * n_ref
    value = max(0.0, points - penalty)
    reasons = [f"{len(claim.reports)} report{_s(len(claim.reports))}, "
               f"{n_sup} independent supporting line{_s(n_sup)}: {points:g} points"]
    if analysis.supporting:
        reasons.append("lines: " + "; ".join(_line_text(line, analysis) for line in analysis.supporting))
    holders = {line.original: claim.reports[line.report].source for line in analysis.supporting}
    for item in analysis.collapsed:
        report = claim.reports[item.report]
        how = _collapse_text(report, analysis)
        through = sorted({holders[o] for o in item.into if holders.get(o, o) not in (o, report.source)})
        if through:
            how += f"; counted through {', '.join(through)}"
        reasons.append(f"{report.source} collapsed into {' / '.join(item.into)} ({how}): not a second source")
    if n_ref:
        names = ", ".join(line.original for line in analysis.refuting)
        reasons.append(f"{n_ref} independent refuting line{_s(n_ref)} ({names}): -{penalty:g}")
    flags: list[str] = []
    if not claim.reports:
        flags.append("no_reports")
    if n_sup == 1:
        flags.append("single_source")
    if analysis.supporting_reports > n_sup:
        flags.append("circular_reporting")
    if n_ref:
        flags.append("contradicted")
    gaps: list[str] = []
    if n_sup == 0:
        gaps.append("an independent supporting source")
    elif n_sup == 1:
        gaps.append(f"a second independent source (not relaying {analysis.supporting[0].original})")
    return CriterionResult(round(value, 4), weight, tuple(reasons),
                           extra={"independent_supporting": n_sup, "independent_refuting": n_ref},
                           flags=tuple(flags), gaps=tuple(gaps))


def _line_text(line: Any, analysis: "Analysis") -> str:
    """'nis', 'jcs [ROK government]', 'yonhap relays nis', 'seoul-daily derives from yonhap'."""
    report = analysis.claim.reports[line.report]
    original = line.original if line.original in line.members else f"{', '.join(line.members)} [{line.original}]"
    if report.via:
        return f"{report.source} relays {original}"
    if report.source in line.members:
        return original
    return f"{report.source} derives from {original}"


def _collapse_text(report: Any, analysis: "Analysis") -> str:
    if report.via:
        return f"relays {', '.join(report.via)}"
    source = analysis.sources[report.source]
    if source.derived_from:
        return f"derived from {', '.join(source.derived_from)}"
    if source.owner:
        return f"same owner: {source.owner}"
    return "same original"


def _s(n: int) -> str:
    return "" if n == 1 else "s"
