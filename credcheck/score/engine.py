"""assess: score each claim against a rubric, explaining every point.

`assess_claim` is a pure function of (claim, its sources, rubric), so it can
be mapped over partitions by any cluster engine (docs/scaling.md).
"""
from __future__ import annotations

import math
from typing import Any, Callable, Iterable, Iterator, Mapping

from credcheck.rubric.conditions import compile_condition
from credcheck.rubric.criteria import REGISTRY
from credcheck.rubric.criteria.analysis import Analysis
from credcheck.rubric.criteria import source as source_criterion
from credcheck.errors import CredcheckError, Mark
from credcheck.score import independence
from credcheck.score.independence import MatchTooLarge, Tracer, match
from credcheck.model import Assessment, Claim, ClaimSet, Collapsed, CriterionResult, Line, Report, RuleHit, Source
from credcheck.rubric.model import Rule, Rubric, band_for

LETTER_ORDER = "ABCDEF"


def assess(claims: ClaimSet, rubric: Rubric) -> list[Assessment]:
    """One assessment per claim, in the claims file's order."""
    return list(iter_assess(claims.claims, claims.sources, rubric))


def iter_assess(claims: Iterable[Claim], sources: Mapping[str, Source], rubric: Rubric) -> Iterator[Assessment]:
    run = _Run(sources, rubric)
    for claim in claims:
        yield _assess(claim, run)


def assess_claim(
    claim: Claim,
    sources: Mapping[str, Source],
    rubric: Rubric,
    tracer: Tracer | None = None,
    ratings: dict[str, tuple[str, float]] | None = None,
) -> Assessment:
    """Score one claim. `tracer` and `ratings` are caches that may be shared across claims."""
    return _assess(claim, _Run(sources, rubric, tracer, ratings))


def _assess(claim: Claim, run: "_Run") -> Assessment:
    rubric, plan = run.rubric, run.plan
    analysis = run.analyse(claim)
    results = {cid: score(analysis, config, weight) for cid, score, config, weight in plan.criteria}
    raw = round_half_up(weighted_score(results))  # grade the score the reader sees
    facts = claim_facts(analysis, results, raw)
    credibility, score, hits = apply_rules(rubric, facts, raw)
    likelihood = None if credibility == 6 else band_for(rubric.likelihood_bands, score).value
    flags = _joined([r.flags for r in results.values()])
    if hits:
        rule_flags = plan.rule_flags
        flags += tuple(h_flag for h_flag in (rule_flags.get(h.id) for h in hits) if h_flag and h_flag not in flags)
    gaps = _joined([r.gaps for r in results.values()])
    supporting = analysis.supporting
    return Assessment(
        id=claim.id, text=claim.text, score=round_half_up(score), raw_score=raw,
        credibility=credibility, reliability=_best_letter(supporting) if supporting else "F",
        likelihood=likelihood, criteria=results, flags=flags, gaps=gaps, rules=tuple(hits),
        supporting=supporting, refuting=analysis.refuting, collapsed=analysis.collapsed, tags=claim.tags,
        draft=claim.draft,
    )


def _best_letter(lines: tuple[Line, ...]) -> str:
    """The best A-F letter of some lines. Letters are validated A-F, whose alphabetical
    order is LETTER_ORDER, so plain min() finds it (min by LETTER_ORDER.index, cheaper)."""
    return min([line.letter for line in lines])


class _Plan:
    """What every claim needs from a rubric, worked out once per rubric rather than per claim."""

    def __init__(self, rubric: Rubric):
        self.rubric = rubric
        # (criterion id, its score function, its config, its weight as a float), in rubric order
        self.criteria = tuple((cid, REGISTRY[cid].score, config, float(config["weight"]))
                              for cid, config in rubric.criteria.items())
        self.source_config = rubric.criteria["source"]
        self.access = {access: float(factor) for access, factor in self.source_config["access"].items()}
        self.rule_flags: dict[str, str | None] = {}  # rule id -> the flag of the first rule of that id
        for rule in rubric.rules:
            self.rule_flags.setdefault(rule.id, rule.flag)


_PLANS: dict[int, _Plan] = {}


def _plan(rubric: Rubric) -> _Plan:
    hit = _PLANS.get(id(rubric))
    if hit is None or hit.rubric is not rubric:
        if len(_PLANS) > 32:  # one process rarely sees more rubrics; keep the cache small
            _PLANS.clear()
        hit = _PLANS[id(rubric)] = _Plan(rubric)
    return hit


class _Originals:
    """What the engine needs of one report's originals (Tracer.originals_of_report), worked
    out once for all the reports that trace to them: most claims cite the same sources."""

    __slots__ = ("offers", "shown", "best", "lines")

    def __init__(self, originals: Mapping[str, tuple[str, ...]], run: "_Run"):
        rank, rating = run.rank, run.rating
        # each original's members, best-rated first, and the rating of that first member
        ranked = {key: tuple(sorted(members, key=rank)) for key, members in originals.items()}
        # the report offers its best-rated original first (so it counts for its strongest)
        self.offers = tuple(sorted(ranked, key=lambda k: (rank(ranked[k][0]), k)))
        self.shown = tuple(_display(k) for k in self.offers)  # as a collapsed report lists them
        self.best = max(rating(members[0])[1] for members in ranked.values())
        # original key -> (display name, members, letter, points): a Line, but for the report index
        self.lines = {key: (_display(key), members, *rating(members[0])) for key, members in ranked.items()}


class _Run:
    """Caches shared by the claims of one run (one source table, one rubric)."""

    def __init__(self, sources: Mapping[str, Source], rubric: Rubric, tracer: Tracer | None = None,
                 ratings: dict[str, tuple[str, float]] | None = None):
        self.sources = sources
        self.rubric = rubric
        self.plan = _plan(rubric)
        self.tracer = tracer or Tracer(sources)
        self.ratings = {} if ratings is None else ratings
        self._ranks: dict[str, tuple[int, float, str]] = {}
        self._originals: dict[int, tuple[Any, _Originals]] = {}

    def rating(self, source_id: str) -> tuple[str, float]:
        rating = self.ratings.get(source_id)
        if rating is None:
            rating = self.ratings[source_id] = source_criterion.rate(self.sources[source_id], self.plan.source_config)
        return rating

    def rank(self, member: str) -> tuple[int, float, str]:
        """Best first: the better letter, then the higher score, then the source id."""
        rank = self._ranks.get(member)
        if rank is None:
            letter, points = self.rating(member)
            rank = self._ranks[member] = (LETTER_ORDER.index(letter), -points, member)
        return rank

    def originals(self, report: Report) -> _Originals:
        return self.summary(self.tracer.originals_of_report(report))

    def summary(self, originals: Mapping[str, tuple[str, ...]]) -> _Originals:
        """What the engine needs of a report's originals (Tracer.originals_of_report)."""
        hit = self._originals.get(id(originals))
        if hit is None or hit[0] is not originals:  # (the tracer keeps them: ids are not reused)
            hit = self._originals[id(originals)] = (originals, _Originals(originals, self))
        return hit[1]

    def analyse(self, claim: Claim) -> Analysis:
        supporting, collapsed, n_sup = self.lines_for(claim, "supports")
        refuting, _, n_ref = self.lines_for(claim, "refutes")
        return Analysis(claim, self.sources, supporting, refuting, collapsed, n_sup, n_ref)

    def lines_for(self, claim: Claim, stance: str) -> tuple[tuple[Line, ...], tuple[Collapsed, ...], int]:
        """The independent lines of one stance, the same whatever order the file lists things in.

        Each report offers its best-rated original first (so a report citing several
        originals counts for its strongest, whatever the order of `via`), and the
        reports that could make the strongest lines are matched first (so of two
        reports of one original, the first-hand one holds the line, whichever comes
        first in the file); among equals, an original's own report before relays of
        it, then by source id. Lines and collapsed reports are listed in file order.
        """
        reports = claim.reports
        indices = [i for i, r in enumerate(reports) if r.stance == stance]
        if not indices:
            return (), (), 0
        # Asked of the tracer once for every report, as it counts them against its limit.
        offered = [self.tracer.originals_of_report(reports[i]) for i in indices]
        if sum(map(len, offered)) > independence.MAX_CLAIM_PAIRS:  # before anything is ranked or searched
            raise CredcheckError.single(
                Mark(*claim.pos) if claim.pos else None, f"claims[{claim.id}]",
                f"its {len(indices):,} reports trace to more than {independence.MAX_CLAIM_PAIRS:,} originals in all "
                "(counted per report); too many to match to independent lines: split the claim, or shorten its "
                "via and derived_from lists")
        traced = {i: self.summary(originals) for i, originals in zip(indices, offered)}
        if len(indices) == 1 and traced[indices[0]].offers:  # one report: the line of the first original it offers
            i = indices[0]
            return (Line(i, *traced[i].lines[traced[i].offers[0]]),), (), 1
        access, sources = self.plan.access, self.sources

        def strength(i: int) -> tuple[float, bool, str, tuple[str, ...], str]:
            report = reports[i]
            relayed = bool(report.via or sources[report.source].derived_from)
            return -traced[i].best * access[report.access], relayed, report.source, tuple(sorted(report.via)), report.access

        order = sorted(indices, key=strength)
        try:
            matching = match([traced[i].offers for i in order])
        except MatchTooLarge as exc:  # a claim built to make the matching search run for hours
            raise CredcheckError.single(Mark(*claim.pos) if claim.pos else None, f"claims[{claim.id}]", str(exc)) from None
        lines = []
        for local, key in sorted(matching.pairs, key=lambda pair: order[pair[0]]):
            i = order[local]
            lines.append(Line(i, *traced[i].lines[key]))
        collapsed = tuple(Collapsed(order[local], traced[order[local]].shown)
                          for local, _ in sorted(matching.collapsed, key=lambda item: order[item[0]]))
        return tuple(lines), collapsed, len(indices)


def analyse(claim: Claim, sources: Mapping[str, Source], rubric: Rubric, tracer: Tracer,
            ratings: dict[str, tuple[str, float]]) -> Analysis:
    """Trace every report to its originals and pick the independent lines."""
    return _Run(sources, rubric, tracer, ratings).analyse(claim)


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
        # letters are validated A-F, whose alphabetical order is LETTER_ORDER (see _best_letter)
        "best_supporting_reliability": min(sup_letters) if sup_letters else "F",
        "best_refuting_reliability": min(ref_letters) if ref_letters else None,
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


def _joined(parts: list[tuple[str, ...]]) -> tuple[str, ...]:
    """The items of several tuples, in order, each once."""
    joined = [item for part in parts for item in part]
    return tuple(dict.fromkeys(joined)) if len(joined) > 1 else tuple(joined)
