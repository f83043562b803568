"""assess: score each claim against a rubric, explaining every point.

`assess_claim` is a pure function of (claim, its sources, rubric), so it can
be mapped over partitions by any cluster engine (docs/scaling.md).
"""
from __future__ import annotations

import math
from typing import Any, Callable, Iterable, Iterator, Mapping

from .conditions import compile_condition
from .criteria import REGISTRY, Analysis
from .criteria import source as source_criterion
from .errors import CredcheckError, Mark
from .independence import MatchTooLarge, Tracer, match
from .model import Assessment, Claim, ClaimSet, Collapsed, CriterionResult, Line, RuleHit, Source
from .rubric import Rule, Rubric, band_for

LETTER_ORDER = "ABCDEF"


def assess(claims: ClaimSet, rubric: Rubric) -> list[Assessment]:
    """One assessment per claim, in the claims file's order."""
    return list(iter_assess(claims.claims, claims.sources, rubric))


def iter_assess(claims: Iterable[Claim], sources: Mapping[str, Source], rubric: Rubric) -> Iterator[Assessment]:
    tracer = Tracer(sources)
    ratings: dict[str, tuple[str, float]] = {}
    for claim in claims:
        yield assess_claim(claim, sources, rubric, tracer, ratings)


def assess_claim(
    claim: Claim,
    sources: Mapping[str, Source],
    rubric: Rubric,
    tracer: Tracer | None = None,
    ratings: dict[str, tuple[str, float]] | None = None,
) -> Assessment:
    """Score one claim. `tracer` and `ratings` are caches that may be shared across claims."""
    tracer = tracer or Tracer(sources)
    ratings = {} if ratings is None else ratings
    analysis = analyse(claim, sources, rubric, tracer, ratings)
    results: dict[str, CriterionResult] = {}
    for cid, config in rubric.criteria.items():
        results[cid] = REGISTRY[cid].score(analysis, config, float(config["weight"]))
    raw = round_half_up(weighted_score(results))  # grade the score the reader sees
    facts = claim_facts(analysis, results, raw)
    credibility, score, hits = apply_rules(rubric, facts, raw)
    likelihood = None if credibility == 6 else band_for(rubric.likelihood_bands, score).value
    flags = _joined([r.flags for r in results.values()])
    if hits:
        flags += tuple(h_flag for h_flag in (_rule_flag(rubric, h.id) for h in hits) if h_flag and h_flag not in flags)
    gaps = _joined([r.gaps for r in results.values()])
    letters = [line.letter for line in analysis.supporting]
    return Assessment(
        id=claim.id, text=claim.text, score=round_half_up(score), raw_score=raw,
        credibility=credibility, reliability=min(letters, key=LETTER_ORDER.index) if letters else "F",
        likelihood=likelihood, criteria=results, flags=flags, gaps=gaps, rules=tuple(hits),
        supporting=analysis.supporting, refuting=analysis.refuting, collapsed=analysis.collapsed, tags=claim.tags,
    )


def analyse(claim: Claim, sources: Mapping[str, Source], rubric: Rubric, tracer: Tracer,
            ratings: dict[str, tuple[str, float]]) -> Analysis:
    """Trace every report to its originals and pick the independent lines."""
    config = rubric.criteria["source"]

    def rating(source_id: str) -> tuple[str, float]:
        if source_id not in ratings:
            ratings[source_id] = source_criterion.rate(sources[source_id], config)
        return ratings[source_id]

    def rank(member: str) -> tuple[int, float, str]:
        letter, points = rating(member)
        return LETTER_ORDER.index(letter), -points, member

    def lines_for(stance: str) -> tuple[tuple[Line, ...], tuple[Collapsed, ...], int]:
        """The independent lines of one stance, the same whatever order the file lists things in.

        Each report offers its best-rated original first (so a report citing several
        originals counts for its strongest, whatever the order of `via`), and the
        reports that could make the strongest lines are matched first (so of two
        reports of one original, the first-hand one holds the line, whichever comes
        first in the file); among equals, an original's own report before relays of
        it, then by source id. Lines and collapsed reports are listed in file order.
        """
        factors = config["access"]
        indices = [i for i, r in enumerate(claim.reports) if r.stance == stance]
        if not indices:
            return (), (), 0
        traced = {i: tracer.originals_of_report(claim.reports[i]) for i in indices}
        offers = {i: sorted(t, key=lambda k, t=t: (min(rank(m) for m in t[k]), k)) for i, t in traced.items()}

        def strength(i: int) -> tuple[float, bool, str, tuple[str, ...], str]:
            report = claim.reports[i]
            best = max(rating(min(members, key=rank))[1] for members in traced[i].values())
            relayed = bool(report.via or sources[report.source].derived_from)
            return -best * float(factors[report.access]), relayed, report.source, tuple(sorted(report.via)), report.access

        order = sorted(indices, key=strength)
        try:
            matching = match([offers[i] for i in order])
        except MatchTooLarge as exc:  # a claim built to make the matching search run for hours
            raise CredcheckError.single(Mark(*claim.pos) if claim.pos else None, f"claims[{claim.id}]", str(exc)) from None
        lines = []
        for local, key in sorted(matching.pairs, key=lambda pair: order[pair[0]]):
            members = sorted(traced[order[local]][key], key=rank)
            letter, points = rating(members[0])
            lines.append(Line(order[local], _display(key), tuple(members), letter, points))
        collapsed = tuple(Collapsed(order[local], tuple(_display(k) for k in offers[order[local]]))
                          for local, _ in sorted(matching.collapsed, key=lambda item: order[item[0]]))
        return tuple(lines), collapsed, len(indices)

    supporting, collapsed, n_sup = lines_for("supports")
    refuting, _, n_ref = lines_for("refutes")
    return Analysis(claim, sources, supporting, refuting, collapsed, n_sup, n_ref)


def _display(key: str) -> str:
    return key[len("owner:"):] if key.startswith("owner:") else key


def round_half_up(value: float, places: int = 1) -> float:
    """58.25 -> 58.3, as a reader expects (round() would give 58.2)."""
    factor = 10 ** places
    return math.floor(value * factor + 0.5 + 1e-9) / factor


def weighted_score(results: Mapping[str, CriterionResult]) -> float:
    total = sum(r.weight for r in results.values())
    if total <= 0:
        return 0.0
    return sum(r.score * r.weight for r in results.values()) / total


def claim_facts(analysis: Analysis, results: Mapping[str, CriterionResult], raw: float) -> dict[str, Any]:
    """The numbers and letters rule conditions may compare (conditions.FACTS)."""
    claim = analysis.claim
    sup_letters = [line.letter for line in analysis.supporting]
    ref_letters = [line.letter for line in analysis.refuting]
    facts: dict[str, Any] = {
        "reports": len(claim.reports),
        "supporting_reports": analysis.supporting_reports,
        "refuting_reports": analysis.refuting_reports,
        "independent_supporting": len(analysis.supporting),
        "independent_refuting": len(analysis.refuting),
        "collapsed_reports": len(analysis.collapsed),
        "first_hand_lines": sum(1 for line in analysis.supporting if claim.reports[line.report].access == "first_hand"),
        "evidence": len(claim.evidence),
        "verified_evidence": sum(1 for e in claim.evidence if e.verified),
        "score": raw,
        "best_supporting_reliability": min(sup_letters, key=LETTER_ORDER.index) if sup_letters else "F",
        "best_refuting_reliability": min(ref_letters, key=LETTER_ORDER.index) if ref_letters else None,
    }
    for cid, result in results.items():
        facts[f"{cid}_score"] = result.score
    return facts


def apply_rules(rubric: Rubric, facts: Mapping[str, Any], raw: float) -> tuple[int, float, list[RuleHit]]:
    """Bands give a grade; rules cap it (at best N) or set it; the score follows a cap down.

    Two guarantees of the contract hold whatever a rubric says: a claim with
    no reports is 6, and 1 needs two independent lines and no refutation.
    """
    banded = int(band_for(rubric.credibility_bands, raw).value)
    credibility, hits = banded, []
    fired = [rule for rule, test in _compiled_rules(rubric) if test(facts)]
    sets = [rule for rule in fired if rule.effect == "set"]
    for rule in fired:
        if rule.effect == "cap":
            changed = rule.credibility > credibility and not sets
            credibility = max(credibility, rule.credibility)
            hits.append(RuleHit(rule.id, "cap", rule.credibility, rule.reason, changed))
    if sets:
        worst = max(sets, key=lambda r: r.credibility)
        for rule in sets:
            hits.append(RuleHit(rule.id, "set", rule.credibility, rule.reason, rule is worst and worst.credibility != banded))
        credibility = worst.credibility
    if facts["reports"] == 0 and credibility != 6:
        credibility = 6
        hits.append(RuleHit("contract:no-reports", "set", 6, "no reports: truth cannot be judged (contract)", True))
    if credibility == 1 and (facts["independent_supporting"] < 2 or facts["independent_refuting"] > 0):
        credibility = 2
        hits.append(RuleHit("contract:confirmed-needs-two-lines", "cap", 2,
                            "Confirmed needs two independent lines and no refutation (contract)", True))
    score = raw
    if credibility <= 5:
        ceiling = next(b.high for b in rubric.credibility_bands if b.value == credibility)
        score = min(raw, ceiling)
    return credibility, score, hits


_COMPILED: dict[int, tuple[Any, tuple[tuple[Rule, Callable[[Mapping[str, Any]], bool]], ...]]] = {}


def _compiled_rules(rubric: Rubric) -> tuple[tuple[Rule, Callable[[Mapping[str, Any]], bool]], ...]:
    """Each rule with its condition compiled once per rubric (conditions.evaluate, as closures)."""
    rules = rubric.rules
    hit = _COMPILED.get(id(rules))
    if hit is None or hit[0] is not rules:
        if len(_COMPILED) > 32:  # one process rarely sees more rubrics; keep the cache small
            _COMPILED.clear()
        hit = _COMPILED[id(rules)] = (rules, tuple((rule, compile_condition(rule.when)) for rule in rules))
    return hit[1]


def _rule_flag(rubric: Rubric, rule_id: str) -> str | None:
    return next((r.flag for r in rubric.rules if r.id == rule_id), None)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _joined(parts: list[tuple[str, ...]]) -> tuple[str, ...]:
    """The items of several tuples, in order, each once (_unique over their concatenation)."""
    joined = [item for part in parts for item in part]
    return tuple(dict.fromkeys(joined)) if len(joined) > 1 else tuple(joined)
