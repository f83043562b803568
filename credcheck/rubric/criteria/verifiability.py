"""verifiability: what evidence could check the claim, and has it been checked?

Each evidence type gives points, verified evidence far more than unverified.
Within one type only the best item counts (ten unverified testimonies are
not worth one verified record); types add up, capped at 100.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from credcheck.model import CriterionResult
from credcheck.rubric.criteria.memo import memo_for
from credcheck.load.schema import Field, MapOf, Num, Obj, Str

if TYPE_CHECKING:
    from credcheck.rubric.criteria.analysis import Analysis

ID = "verifiability"

EVIDENCE_TYPE = Obj({
    "verified": Field(Num(0, 100), required=True, doc="points for a verified item of this type"),
    "unverified": Field(Num(0, 100), required=True, doc="points for an unverified item of this type"),
}, what="evidence type")

CONFIG = Obj({
    "evidence": Field(MapOf(Str(), EVIDENCE_TYPE, "evidence type table"), required=True,
                      doc="evidence type -> {verified, unverified} points"),
    "gap_min_points": Field(Num(0, 100), default=30,
                            doc="evidence types worth at least this much when verified are named as gaps"),
}, what="verifiability criterion")


def score(analysis: "Analysis", config: dict[str, Any], weight: float) -> CriterionResult:
    # The result depends on the evidence types and whether each is verified (not on notes),
    # and claims share few distinct such lists.
    items = tuple([(item.type, item.verified) for item in analysis.claim.evidence])
    memo = memo_for(config, weight)
    result = memo.get(items)
    if result is None:
        result = memo[items] = _score(items, config, weight)
    return result


def _score(items: tuple[tuple[str, bool], ...], config: dict[str, Any], weight: float) -> CriterionResult:
    """The score of evidence items given as (type, verified)."""
    table = config["evidence"]
    if not items:
        return CriterionResult(0.0, weight, ("no evidence offered",), flags=("no_evidence",),
                               gaps=tuple(_missing(table, set(), config)))
    best: dict[str, tuple[float, bool]] = {}
    for etype, verified in items:
        points = float(table[etype]["verified" if verified else "unverified"])
        if etype not in best or points > best[etype][0]:
            best[etype] = (points, verified)
    total = min(100.0, sum(p for p, _ in best.values()))
    reasons = [f"{etype} ({'verified' if verified else 'unverified'}): {points:g}" for etype, (points, verified) in best.items()]
    repeats = len(items) - len(best)
    if repeats:
        reasons.append(f"{repeats} more item{'s' if repeats > 1 else ''} of a type already counted: 0")
    reasons.insert(0, f"{len(items)} evidence item{'s' if len(items) > 1 else ''}: {total:g} points")
    verified_types = {etype for etype, (_, v) in best.items() if v}
    flags = () if verified_types else ("unverified_evidence_only",)
    gaps = list(_missing(table, verified_types, config))
    if not verified_types:
        gaps.insert(0, "no verified evidence")
    return CriterionResult(round(total, 4), weight, tuple(reasons), flags=flags, gaps=tuple(gaps))


def _missing(table: dict[str, Any], have: set[str], config: dict[str, Any]) -> list[str]:
    """The strongest evidence types not yet verified, as collection gaps ("no imagery")."""
    gaps = []
    for etype, gap in _ranked(table, config["gap_min_points"]):
        if etype not in have:
            gaps.append(gap)
            if len(gaps) == 3:
                break
    return gaps


_RANKED: dict[int, tuple[dict[str, Any], float, tuple[tuple[str, str], ...]]] = {}


def _ranked(table: dict[str, Any], min_points: float) -> tuple[tuple[str, str], ...]:
    """(type, gap text) of the types worth at least min_points when verified, best first.

    Computed once per rubric table rather than sorted again for every claim.
    """
    hit = _RANKED.get(id(table))
    if hit is None or hit[0] is not table or hit[1] != min_points:
        worth = sorted(((row["verified"], etype) for etype, row in table.items() if row["verified"] >= min_points),
                       key=lambda pair: (-pair[0], pair[1]))
        if len(_RANKED) > 32:
            _RANKED.clear()
        hit = _RANKED[id(table)] = (table, min_points, tuple((etype, f"no verified {etype.replace('_', ' ')}")
                                                             for _, etype in worth))
    return hit[2]
