"""corroboration: do other independent lines confirm the claim, or contradict it?

Counted on independent lines only (see independence.py): relays and outlets
of one owner are one line, and a neutral report (one that relays the claim
without endorsing or denying it) is no line at all. Every supporting line
but the strongest (which the source criterion counts) adds its weight; every
refuting line takes its weight away, times `refuting_scale`. Lines from
sources of one type may echo each other in ways nobody declared (outlets
copying outlets), so each further line of a type counts `same_type_factor`
of the one before it, strongest first: many lines of one kind add up to at
most 1 / (1 - same_type_factor) times the strongest of them, and an added
line never lowers the sum.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from credcheck.model import CriterionResult
from credcheck.load.schema import Field, Num, Obj
from credcheck.rubric.criteria.source import line_name, percent, signed, strongest_line

if TYPE_CHECKING:
    from credcheck.rubric.criteria.analysis import Analysis

ID = "corroboration"

CONFIG = Obj({
    "same_type_factor": Field(Num(0, 1), required=True,
                              doc="each further line from sources of one type counts this share of the one before it"),
    "refuting_scale": Field(Num(0, 10), required=True,
                            doc="a refuting line weighs this many times what the same line would weigh in support"),
}, what="corroboration criterion", removed={
    "curve": "replaced by weights per line: each independent supporting line adds its source's weight "
             "(criteria.source.holds_up), and further lines of one source type count less "
             "(criteria.corroboration.same_type_factor, e.g. 0.8); delete `curve`",
    "refutation_penalty": "replaced by `refuting_scale`: each independent refuting line takes away its "
                          "source's weight times this (1: as much as the same line would add in support)",
})


def score(analysis: "Analysis", config: dict[str, Any], prepared: None = None) -> CriterionResult:
    claim = analysis.claim
    n_sup, n_ref = len(analysis.supporting), len(analysis.refuting)
    strongest = strongest_line(analysis.supporting) if analysis.supporting else None
    others = [line for line in analysis.supporting if line is not strongest]
    db = sum(line.decibans for line in others) + sum(line.decibans for line in analysis.refuting)
    reasons = [f"{len(claim.reports)} report{_s(len(claim.reports))}: {n_sup} independent supporting "
               f"line{_s(n_sup)}, {n_ref} refuting: {signed(db)} dB"]
    if strongest is not None:
        reasons.append(f"{line_name(strongest, analysis)}: the strongest line, counted under source")
    for line in others:
        reasons.append(f"{signed(line.decibans)} dB {_line_text(line, analysis)}")
    for line in analysis.refuting:
        reasons.append(f"{signed(line.decibans)} dB {_line_text(line, analysis)}, refutes")
    holders = {line.original: claim.reports[line.report].source for line in analysis.supporting}
    for item in analysis.collapsed:
        report = claim.reports[item.report]
        how = _collapse_text(report, analysis, item)
        through = sorted({holders[o] for o in item.into if holders.get(o, o) not in (o, report.source)})
        if through:
            how += f"; counted through {', '.join(through)}"
        reasons.append(f"{report.source} collapsed into {' / '.join(item.into)} ({how}): not a second source")
    reasons.extend(_uncounted_inferences(analysis))
    if analysis.neutral_reports:
        names = ", ".join(r.source for r in claim.reports if r.stance == "neutral")
        reasons.append(f"neutral, not a line (relays the claim without endorsing or denying it): {names}")
    flags: list[str] = []
    if not claim.reports:
        flags.append("no_reports")
    if n_sup == 1:
        flags.append("single_source")
    if analysis.supporting_reports > n_sup:
        flags.append("circular_reporting")
    if n_ref:
        flags.append("contradicted")
    if analysis.inferred.copies:
        flags.append("probable_copy")
    if analysis.inferred.outlets:
        flags.append("same_outlet")
    gaps: list[str] = []
    if n_sup == 0:
        gaps.append("an independent supporting source")
    elif n_sup == 1:
        gaps.append(f"a second independent source (not relaying {analysis.supporting[0].original})")
    return CriterionResult(percent(db), abs(db), tuple(reasons),
                           extra={"independent_supporting": n_sup, "independent_refuting": n_ref},
                           flags=tuple(flags), gaps=tuple(gaps), decibans=db)


def _line_text(line: Any, analysis: "Analysis") -> str:
    """'wire (B, first-hand)', 'daily (C, unknown access; x0.80 after other news_outlet lines)'."""
    report = analysis.claim.reports[line.report]
    access = "access unknown" if report.access == "unknown" else report.access.replace("_", "-")
    more = f"; x{line.discount:.2f} after other {line.kind} lines" if line.discount != 1.0 else ""
    return f"{line_name(line, analysis)} ({line.letter}, {access}{more})"


def _collapse_text(report: Any, analysis: "Analysis", item: Any = None) -> str:
    if item is not None and item.copy_of is not None:
        return f"probable copy: {copy_text(analysis.claim, _copy(analysis, item.report))}"
    if report.via:
        return f"relays {', '.join(report.via)}"
    source = analysis.sources[report.source]
    if source.derived_from:
        return f"derived from {', '.join(source.derived_from)}"
    outlet = _outlet(analysis, report.source) if analysis.copy_mode == "collapse" else None
    if outlet is not None:
        return f"same outlet: {outlet_text(outlet)}"
    if source.owner:
        return f"same owner: {source.owner}"
    return "same original"


def copy_text(claim: Any, copy: Any) -> str:
    """'its excerpt is a near-duplicate of reports[0] (wire, published 2026-11-18): similarity 0.87'."""
    reports = claim.reports
    earlier = reports[copy.of]
    when = f", published {earlier.published}" if earlier.published else ""
    through = f"; the story starts at reports[{copy.original}] ({reports[copy.original].source})" \
        if copy.original != copy.of else ""
    return (f"its excerpt is a near-duplicate of reports[{copy.of}] ({earlier.source}{when}), "
            f"similarity {copy.similarity:.2f}{through}")


def outlet_text(outlet: Any) -> str:
    """'a-news, b-news publish on example.org: one owner'."""
    where = ", ".join(outlet.domains)
    return f"{', '.join(outlet.sources)} publish on {where}: one owner, {outlet.owner}"


def _copy(analysis: "Analysis", report: int) -> Any:
    """The inferred copy of one report: copies are in report order, so a bisection finds it."""
    from bisect import bisect_left
    copies = analysis.inferred.copies
    return copies[bisect_left(copies, report, key=lambda c: c.report)]


def _outlet(analysis: "Analysis", source: str) -> Any:
    return next((o for o in analysis.inferred.outlets if source in o.sources), None)


def _uncounted_inferences(analysis: "Analysis") -> list[str]:
    """What was inferred but, under `copies.mode: flag`, not counted: said so the analyst can weigh it."""
    if analysis.copy_mode == "collapse" or not analysis.inferred:
        return []
    claim = analysis.claim
    out = [f"{claim.reports[c.report].source} may copy another report ({copy_text(claim, c)}); "
           "counted as declared (rubric copies.mode: flag)" for c in analysis.inferred.copies]
    out += [f"same outlet? {outlet_text(o)}; counted as declared (rubric copies.mode: flag)"
            for o in analysis.inferred.outlets]
    return out


def _s(n: int) -> str:
    return "" if n == 1 else "s"
