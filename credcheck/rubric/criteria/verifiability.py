"""verifiability: what evidence could check the claim, and has it been checked?

Each evidence type adds decibans, a verified item far more than an
unverified one. Within one type only the best item counts (ten unverified
testimonies are not worth one verified record). Verified items of different
types add up: each was checked on its own. Unverified items are leads, not
checks: only the strongest of them counts, whatever their number.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from credcheck.model import CriterionResult
from credcheck.rubric.criteria.memo import Memo
from credcheck.rubric.criteria.source import percent, signed
from credcheck.load.schema import Field, MapOf, Num, Obj, Str

if TYPE_CHECKING:
    from credcheck.rubric.criteria.analysis import Analysis

ID = "verifiability"

EVIDENCE_TYPE = Obj({
    "verified": Field(Num(0, 40), required=True, doc="decibans for a verified item of this type"),
    "unverified": Field(Num(0, 40), required=True, doc="decibans for an unverified item of this type"),
}, what="evidence type")

CONFIG = Obj({
    "decibans": Field(MapOf(Str(), EVIDENCE_TYPE, "evidence type table"), required=True,
                      doc="evidence type -> {verified, unverified} decibans"),
    "gap_min_decibans": Field(Num(0, 40), default=5,
                              doc="evidence types worth at least this many decibans when verified are named as gaps "
                                  "(what to collect next)"),
}, what="verifiability criterion", removed={
    "evidence": "replaced by `decibans`: the weight of evidence each type adds, verified and not, "
                "e.g. decibans: {imagery: {verified: 10, unverified: 0.1}} (points 0-100 do not carry over)",
    "gap_min_points": "replaced by `gap_min_decibans` (e.g. 5)",
})


class Prepared:
    """What this criterion works out once per rubric (the engine's plan holds it)."""

    __slots__ = ("ranked", "memo")

    def __init__(self, config: dict[str, Any]):
        self.ranked = ranked(config["decibans"], config["gap_min_decibans"])
        # per-plan memo: the result depends on the evidence types and whether each is
        # verified (not on notes), and claims share few distinct such lists
        self.memo = Memo()


def prepare(config: dict[str, Any]) -> Prepared:
    return Prepared(config)


def score(analysis: "Analysis", config: dict[str, Any], prepared: Prepared | None = None) -> CriterionResult:
    """`prepared` is prepare(config), made once per rubric by the engine's plan; made here without it."""
    if prepared is None:
        prepared = Prepared(config)
    items = tuple([(item.type, item.verified) for item in analysis.claim.evidence])
    return prepared.memo.get(items, lambda: _score(items, config, prepared.ranked))


def weigh(items: tuple[tuple[str, bool], ...], table: dict[str, Any]) -> tuple[dict[str, tuple[float, bool]], str | None]:
    """Each type's best item as (decibans, verified), and the unverified type that counts (the strongest)."""
    best: dict[str, tuple[float, bool]] = {}
    for etype, verified in items:
        points = float(table[etype]["verified" if verified else "unverified"])
        if etype not in best or (verified, points) > (best[etype][1], best[etype][0]):
            best[etype] = (points, verified)
    leads = [(points, etype) for etype, (points, verified) in best.items() if not verified]
    lead = min(leads, key=lambda pair: (-pair[0], pair[1]))[1] if leads else None  # of equals, by name
    return best, lead


def _score(items: tuple[tuple[str, bool], ...], config: dict[str, Any],
           ranked_types: tuple[tuple[str, str], ...]) -> CriterionResult:
    """The weight of evidence items given as (type, verified)."""
    table = config["decibans"]
    if not items:
        return CriterionResult(50.0, 0.0, ("no evidence offered: 0 dB",), flags=("no_evidence",),
                               gaps=tuple(_missing(ranked_types, set())))
    best, lead = weigh(items, table)
    total = sum(points for etype, (points, verified) in best.items() if verified or etype == lead)
    reasons = [f"{len(items)} evidence item{'s' if len(items) > 1 else ''}: {signed(total)} dB"]
    for etype, (points, verified) in best.items():
        if verified:
            reasons.append(f"{etype} (verified): {signed(points)} dB")
        elif etype == lead:
            reasons.append(f"{etype} (unverified): {signed(points)} dB")
        else:
            reasons.append(f"{etype} (unverified): 0 dB, only the strongest unverified item counts")
    repeats = len(items) - len(best)
    if repeats:
        reasons.append(f"{repeats} more item{'s' if repeats > 1 else ''} of a type already counted: 0 dB")
    verified_types = {etype for etype, (_, v) in best.items() if v}
    flags = () if verified_types else ("unverified_evidence_only",)
    gaps = list(_missing(ranked_types, verified_types))
    if not verified_types:
        gaps.insert(0, "any verified evidence")
    return CriterionResult(percent(total), total, tuple(reasons), flags=flags, gaps=tuple(gaps), decibans=total)


def verified_weight(items: tuple[tuple[str, bool], ...], table: dict[str, Any]) -> tuple[int, float]:
    """(verified types, their decibans together): what verified evidence adds to confidence."""
    best, _ = weigh(items, table)
    checked = [points for points, verified in best.values() if verified]
    return len(checked), sum(checked)


def _missing(ranked_types: tuple[tuple[str, str], ...], have: set[str]) -> list[str]:
    """The strongest evidence types not yet verified, as what to collect next ("verified imagery")."""
    gaps = []
    for etype, gap in ranked_types:
        if etype not in have:
            gaps.append(gap)
            if len(gaps) == 3:
                break
    return gaps


def ranked(table: dict[str, Any], min_points: float) -> tuple[tuple[str, str], ...]:
    """(type, gap text) of the types worth at least min_points when verified, best first.

    Worked out once per rubric (Prepared) rather than sorted again for every claim.
    """
    worth = sorted(((row["verified"], etype) for etype, row in table.items() if row["verified"] >= min_points),
                   key=lambda pair: -pair[0])  # stable: of equal weight, in the table's order
    return tuple((etype, f"verified {etype.replace('_', ' ')}") for _, etype in worth)
