"""assess: weigh each claim's evidence against a rubric, explaining every decibel.

A claim's odds start at the rubric's prior. Every independent supporting
line moves them up by its source's weight of evidence (decibans: ten times
the log of a likelihood ratio), every independent refuting line down;
evidence items and wording add theirs. The probability is where the summed
weight lands; the ICD 203 term is the one whose range holds it, and the
credibility grade follows from it through the rubric's bands. Confidence
(ICD 203) is graded apart, from how much and how good the sourcing is.

`assess_claim` is a pure function of (claim, its sources, rubric), so it can
be mapped over partitions by any cluster engine (docs/scaling.md). What every
claim needs from a rubric is worked out once, in a `Plan` (`plan_for`), which
the run holds and hands on: no module-level cache remembers rubrics.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Iterable, Iterator, Mapping

from credcheck.rubric.conditions import compile_condition
from credcheck.rubric.criteria import REGISTRY
from credcheck.rubric.criteria.analysis import Analysis
from credcheck.rubric.criteria import source as source_criterion
from credcheck.rubric.criteria import verifiability as verifiability_criterion
from credcheck.errors import CredcheckError, Mark
from credcheck.score import independence
from credcheck.score.independence import MatchTooLarge, Tracer, match
from credcheck.model import (LETTERS, Assessment, Claim, ClaimSet, Collapsed, Confidence, Copy, CriterionResult, Line,
                             Outlet, Report, RuleHit, Source, likelihood_term)
from credcheck.model import STANCES
from credcheck.score.copies import NOTHING, Inferred, owner_keys
from credcheck.score.copies import infer as infer_copies
from credcheck.rubric.model import Rule, Rubric, band_for


def assess(claims: ClaimSet, rubric: Rubric) -> list[Assessment]:
    """One assessment per claim, in the claims file's order."""
    return list(iter_assess(claims.claims, claims.sources, rubric))


def iter_assess(claims: Iterable[Claim], sources: Mapping[str, Source], rubric: Rubric,
                plan: "Plan | None" = None) -> Iterator[Assessment]:
    run = _Run(sources, rubric, plan=plan)
    for claim in claims:
        yield _assess(claim, run)


def assess_claim(
    claim: Claim,
    sources: Mapping[str, Source],
    rubric: Rubric,
    tracer: Tracer | None = None,
    ratings: dict[str, tuple[str, float]] | None = None,
    plan: "Plan | None" = None,
) -> Assessment:
    """Score one claim. `tracer`, `ratings` and `plan` (plan_for(rubric)) may be shared across
    claims; without a plan, one is worked out for this claim alone."""
    return _assess(claim, _Run(sources, rubric, tracer, ratings, plan))


def _assess(claim: Claim, run: "_Run") -> Assessment:
    rubric, plan = run.rubric, run.plan
    analysis = run.analyse(claim)
    results = {cid: score(analysis, config, prepared) for cid, score, config, prepared in plan.criteria}
    if claim.reports:
        decibans = plan.prior + plan.scale * sum([r.decibans for r in results.values()])
        probability: float | None = logistic(decibans)
        score = round_half_up(100.0 * probability)
    else:  # nobody reports it: no estimate is made (CONTRACT.md section 3)
        decibans = probability = None
        score = 0.0
    facts = claim_facts(analysis, results, score, probability, decibans)
    credibility, hits = apply_rules(rubric, facts, score, plan.rules)
    if credibility == 6:
        probability = None
    flags = _joined([r.flags for r in results.values()])
    if hits:
        rule_flags = plan.rule_flags
        flags += tuple(h_flag for h_flag in (rule_flags.get(h.id) for h in hits) if h_flag and h_flag not in flags)
    gaps = _joined([r.gaps for r in results.values()])
    supporting = analysis.supporting
    return Assessment(
        id=claim.id, text=claim.text, score=score, raw_score=score,
        credibility=credibility, reliability=_best_letter(supporting) if supporting else "F",
        likelihood=None if probability is None else likelihood_term(score), criteria=results, flags=flags,
        gaps=gaps, rules=tuple(hits), supporting=supporting, refuting=analysis.refuting,
        collapsed=analysis.collapsed, tags=claim.tags, draft=claim.draft,
        copies=analysis.inferred.copies, outlets=analysis.inferred.outlets,
        probability=None if probability is None else round(probability, 3),
        confidence=plan.confidence(analysis),
        decibans=None if probability is None else round(decibans, 2),
        weighing=weighing(analysis, results, plan.prior, score, plan.scale) if probability is not None else (),
        outcome=claim.outcome.status if claim.outcome is not None else None,
    )


def logistic(decibans: float) -> float:
    """The probability at which a weight of evidence (decibans from even odds) leaves a claim."""
    if decibans < -300:  # 10 ** 30 would overflow nothing, but the probability is 0 to any print
        return 0.0
    return 1.0 / (1.0 + 10.0 ** (-decibans / 10.0))


def weighing(analysis: Analysis, results: Mapping[str, CriterionResult], prior: float, score: float,
             scale: float = 1.0) -> tuple[str, ...]:
    """The sum, line by line: `prior 0 dB`, `+3.6 dB nis (B, second-hand)`, ..., and where it lands.

    The terms are printed in tenths that add up to the sum printed under them
    (tenths_adding_up): rounded one by one, +3.64 and +3.64 would read +3.6 and
    +3.6 above a sum of +7.3. A fitted `scale` (calibrate --fit) is its own line.
    """
    name = source_criterion.line_name
    terms: list[tuple[float, str]] = [(prior, "prior {} dB: " + _odds_words(prior))]
    for line in analysis.supporting:
        terms.append((line.decibans, "{} dB " + f"{name(line, analysis)} ({_line_terms(line, analysis)})"))
    for line in analysis.refuting:
        terms.append((line.decibans, "{} dB " + f"{name(line, analysis)} ({_line_terms(line, analysis)}, refutes)"))
    for cid, result in results.items():
        if cid == "verifiability":
            terms.append((result.decibans, "{} dB " + f"evidence ({_evidence_terms(analysis)})"))
        elif cid not in ("source", "corroboration") and result.decibans != 0:
            terms.append((result.decibans, "{} dB " + f"{cid}: {result.reasons[0].split(': ', 1)[-1]}"))
    weights = sum(r.decibans for r in results.values())
    shown = tenths_adding_up([value for value, _ in terms], prior + weights)
    out = [text.format(f"{value:+.1f}") for value, (_, text) in zip(shown, terms)]
    if scale != 1.0:  # a rubric fitted to outcomes (calibrate --fit) tempers or emboldens every weight alike
        out.append(f"x{scale:g} scale: the weights above, {weights:+.1f} dB, count {scale * weights:+.1f} dB")
    total = prior + scale * weights
    out.append(f"sum {total:+.1f} dB: {_odds_words(total)}, probability {score / 100:.2f}, {likelihood_term(score)}")
    return tuple(out)


def tenths_adding_up(values: list[float], total: float) -> list[float]:
    """`values` rounded to tenths so that they add up to `total` rounded to tenths: each is
    rounded, then the tenths still missing (or over) go to those rounding moved furthest."""
    tenths = [_tenths(v) for v in values]
    missing = _tenths(total) - sum(tenths)
    step = 1 if missing > 0 else -1
    # those rounded down the most take a tenth more first (rounded up the most, one less)
    order = sorted(range(len(values)), key=lambda i: -step * (values[i] * 10 - tenths[i]))
    for i in order[:abs(missing)]:
        tenths[i] += step
    return [t / 10 for t in tenths]


def _tenths(value: float) -> int:
    """A value in tenths, rounded as `f"{value:.1f}"` prints it (round() would send 66.5 to 66, the print to 6.7)."""
    return round(float(f"{value:.1f}") * 10)


def _line_terms(line: Line, analysis: Analysis) -> str:
    access = analysis.claim.reports[line.report].access
    text = f"{line.letter}, {'access unknown' if access == 'unknown' else access.replace('_', '-')}"
    return text + (f", x{line.discount:.2f} after other {line.kind} lines" if line.discount != 1.0 else "")


def _evidence_terms(analysis: Analysis) -> str:
    items = analysis.claim.evidence
    if not items:
        return "none offered"
    verified = sum(1 for e in items if e.verified)
    return f"{len(items)} item{'s' if len(items) != 1 else ''}, {verified} verified"


def _odds_words(decibans: float) -> str:
    """'even odds', 'odds 2.3 to 1', 'odds 1 to 4.0'."""
    odds = 10.0 ** (decibans / 10.0)
    if abs(decibans) < 0.05:
        return "even odds"
    return f"odds {odds:.1f} to 1" if odds >= 1 else f"odds 1 to {1 / odds:.1f}"


def _best_letter(lines: tuple[Line, ...]) -> str:
    """The best A-F letter of some lines. Letters are validated A-F, whose alphabetical
    order is LETTERS, so plain min() finds it (min by LETTERS.index, cheaper)."""
    return min([line.letter for line in lines])


class Plan:
    """What every claim needs from a rubric, worked out once per rubric rather than per claim.

    The run that scores claims holds it (plan_for builds it; nothing global
    remembers it), and hands each criterion what it prepared for this rubric.
    Its dicts are per-plan memos of results that repeat across claims; they
    live and die with the plan, so two rubrics never see each other's.
    """

    def __init__(self, rubric: Rubric):
        self.rubric = rubric
        self.prior = rubric.prior
        self.scale = rubric.scale
        # (criterion id, its score function, its config, what it prepared for it), in rubric order
        self.criteria = tuple((cid, REGISTRY[cid].score, config, _prepared(REGISTRY[cid], config))
                              for cid, config in rubric.criteria.items())
        # each rule with its condition compiled (conditions.evaluate, as closures)
        self.rules = compiled_rules(rubric.rules)
        self.source_config = rubric.criteria["source"]
        self.copies = rubric.copies
        self.access = {access: float(factor) for access, factor in self.source_config["access"].items()}
        corroboration = rubric.criteria["corroboration"]
        self.same_type_factor = float(corroboration["same_type_factor"])
        self.refuting_scale = float(corroboration["refuting_scale"])
        self.evidence_table = rubric.criteria["verifiability"]["decibans"]
        self.levels = rubric.confidence
        self._weights: dict[tuple[float, str, str], float] = {}  # (holds up, access, stance) -> decibans
        self._verified: dict[tuple[tuple[str, bool], ...], tuple[int, float]] = {}
        self._confidences: dict[tuple[Any, ...], Confidence] = {}  # most claims share their confidence and its reasons
        self.rule_flags: dict[str, str | None] = {}  # rule id -> the flag of the first rule of that id
        for rule in rubric.rules:
            self.rule_flags.setdefault(rule.id, rule.flag)

    def weight(self, holds_up: float, access: str, stance: str) -> float:
        """A line's decibans before lines of its kind discount it: + supporting, - refuting."""
        key = (holds_up, access, stance)
        hit = self._weights.get(key)
        if hit is None:
            base = source_criterion.log_odds(holds_up) * self.access[access]
            hit = self._weights[key] = base if stance == "supports" else -base * self.refuting_scale
        return hit

    def weigh(self, lines: list[Line], claim: Claim) -> tuple[Line, ...]:
        """The lines with their decibans: each further line of one kind counts same_type_factor
        of the one before it, strongest first (residual echo between outlets nobody declared)."""
        reports = claim.reports
        weights = [self.weight(line.holds_up, reports[line.report].access, reports[line.report].stance)
                   for line in lines]
        discounts = [1.0] * len(lines)
        if len(lines) > 1 and len({line.kind for line in lines}) < len(lines):  # some kind has two lines
            factor = self.same_type_factor
            seen: dict[str, int] = {}
            for i in sorted(range(len(lines)), key=lambda i: (-abs(weights[i]), i)):
                kind = lines[i].kind
                before = seen.get(kind, 0)
                seen[kind] = before + 1
                if before:
                    discounts[i] = factor ** before
        # Lines are built here once, with their weight and name (Record.replace would copy each field by name)
        return tuple([Line(line.report, line.original, line.members, line.letter, line.holds_up, line.kind, w * d, d,
                           source_criterion.name_line(line, reports[line.report]))
                      for line, w, d in zip(lines, weights, discounts)])

    def verified(self, claim: Claim) -> tuple[int, float]:
        items = tuple([(item.type, item.verified) for item in claim.evidence])
        hit = self._verified.get(items)
        if hit is None:
            if len(self._verified) > 4096:
                self._verified.clear()
            hit = self._verified[items] = verifiability_criterion.verified_weight(items, self.evidence_table)
        return hit

    def confidence(self, analysis: Analysis) -> Confidence:
        return grade_confidence(analysis, self.verified(analysis.claim), self.levels, self._confidences)


def plan_for(rubric: Rubric) -> Plan:
    """The scoring plan of a rubric: build it once, score every claim of a run with it."""
    return Plan(rubric)


def _prepared(criterion: Any, config: Any) -> Any:
    """What a criterion works out once per rubric (its `prepare`), or None if it has nothing to."""
    prepare = getattr(criterion, "prepare", None)
    return prepare(config) if prepare is not None else None


def grade_confidence(analysis: Analysis, verified: tuple[int, float], levels: Mapping[str, Mapping[str, float]],
                     memo: dict[tuple[Any, ...], Confidence] | None = None) -> Confidence:
    """Low, moderate or high (ICD 203), from how much and how good the sourcing is.

    It counts the independent lines, supporting and refuting, and the verified
    evidence types; the kinds among them (source types, and verified evidence
    as one kind); and their weight together (each line's decibans whatever
    its direction, and verified evidence's). Each only grows when a line or a
    verified item is added, so confidence never falls when one is.
    """
    claim = analysis.claim
    if not claim.reports:
        return Confidence("low", ("nobody reports this claim: no judgment is made",))
    lines = analysis.supporting + analysis.refuting
    n_verified, verified_db = verified
    count = len(lines) + n_verified
    kinds = len({line.kind for line in lines}) + (1 if n_verified else 0)
    weight = sum([abs(line.decibans) for line in lines]) + verified_db
    level = "low"
    for name in ("moderate", "high"):
        need = levels[name]
        if count >= need["lines"] and kinds >= need["kinds"] and weight >= need["decibans"] - 1e-9:
            level = name
    facts = _sourcing_facts(analysis)
    # what the result depends on, the weight as its reasons show it
    key = (level, len(analysis.supporting), len(analysis.refuting), n_verified, kinds, round(weight, 1), facts)
    hit = memo.get(key) if memo is not None else None
    if hit is not None:
        return hit
    notes = _sourcing_notes(facts, n_verified)
    have = [_count(len(analysis.supporting), "independent supporting line") if analysis.supporting
            else "no independent supporting line"]
    if analysis.refuting:
        have.append(f"{len(analysis.refuting)} refuting")
    if n_verified:
        have.append(_count(n_verified, "verified check"))
    reasons = [f"{', '.join(have)}; {_count(kinds, 'kind')} of source or check, weighing {weight:.1f} dB together"]
    if level != "high":
        up = "moderate" if level == "low" else "high"
        need = levels[up]
        reasons.append(f"{up} would need {_count(int(need['lines']), 'line or check', 'lines or checks')}"
                       + (f" of {int(need['kinds'])} kinds" if need["kinds"] > 1 else "")
                       + f" weighing {need['decibans']:g} dB")
    reasons.extend(notes)
    result = Confidence(level, tuple(reasons))
    if memo is not None:
        if len(memo) > 4096:
            memo.clear()
        memo[key] = result
    return result


def _sourcing_facts(analysis: Analysis) -> tuple[bool, bool, bool, bool, int]:
    """(no supporting line first-hand, none of proven reliability, lines disagree, no line at all, neutral reports)."""
    reports, sup = analysis.claim.reports, analysis.supporting
    proven = source_criterion.PROVEN
    return (bool(sup) and all([reports[line.report].access != "first_hand" for line in sup]),
            bool(sup) and not any([line.letter in proven for line in sup]),
            bool(sup) and bool(analysis.refuting), not sup and not analysis.refuting, analysis.neutral_reports)


def _sourcing_notes(facts: tuple[bool, bool, bool, bool, int], n_verified: int) -> list[str]:
    """What about the sourcing an analyst would want to know: access, reliability, disagreement."""
    second_hand, unproven, disagree, no_line, neutral = facts
    notes = []
    if second_hand:
        notes.append("no supporting line is first-hand")
    if unproven:
        notes.append("no supporting source of proven reliability (A-C)")
    if disagree:
        notes.append("the lines disagree: the probability weighs them against each other")
    if no_line:
        notes.append("no report endorses or denies the claim")
    if neutral:
        notes.append(f"{_count(neutral, 'neutral report')} relay{'s' if neutral == 1 else ''} it without endorsing or "
                     "denying it: not counted")
    if not n_verified:
        notes.append("nothing verified")
    return notes


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


class _Originals:
    """What the engine needs of one report's originals (Tracer.originals_of_report), worked
    out once for all the reports that trace to them: most claims cite the same sources."""

    __slots__ = ("offers", "shown", "best", "lines")

    def __init__(self, originals: Mapping[str, tuple[str, ...]], run: "_Run"):
        rank, rating, sources = run.rank, run.rating, run.sources
        # each original's members, best-rated first, and the rating of that first member
        ranked = {key: tuple(sorted(members, key=rank)) for key, members in originals.items()}
        # the report offers its best-rated original first (so it counts for its strongest)
        self.offers = tuple(sorted(ranked, key=lambda k: (rank(ranked[k][0]), k)))
        self.shown = tuple(_display(k) for k in self.offers)  # as a collapsed report lists them
        # the weight of the report's best original, before access: the order reports are matched in
        self.best = max(source_criterion.log_odds(rating(members[0])[1]) for members in ranked.values())
        # original key -> (display name, members, letter, holds up, kind): a Line, but for the report index
        self.lines = {key: (_display(key), members, *rating(members[0]), sources[members[0]].type)
                      for key, members in ranked.items()}


class _Run:
    """Caches shared by the claims of one run (one source table, one rubric)."""

    def __init__(self, sources: Mapping[str, Source], rubric: Rubric, tracer: Tracer | None = None,
                 ratings: dict[str, tuple[str, float]] | None = None, plan: Plan | None = None):
        if plan is not None and plan.rubric is not rubric:
            raise ValueError("the plan was made for another rubric")
        self.sources = sources
        self.rubric = rubric
        self.plan = plan if plan is not None else Plan(rubric)
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
        """Best first: the better letter, then the likelier to hold up, then the source id."""
        rank = self._ranks.get(member)
        if rank is None:
            letter, points = self.rating(member)
            rank = self._ranks[member] = (LETTERS.index(letter), -points, member)
        return rank

    def originals(self, report: Report) -> _Originals:
        return self.summary(self.tracer.originals_of_report(report))

    def offered(self, claim: Claim, indices: list[int]) -> list[Mapping[str, tuple[str, ...]]]:
        """The originals each of these reports (of one stance) traces to, refused above the matching bound.

        Asked of the tracer once for every report, as it counts them against its limit, and
        bounded before anything is ranked or searched."""
        offered = [self.tracer.originals_of_report(claim.reports[i]) for i in indices]
        if sum(map(len, offered)) > independence.MAX_CLAIM_PAIRS:
            raise CredcheckError.single(
                Mark(*claim.pos) if claim.pos else None, f"claims[{claim.id}]",
                f"its {len(indices):,} reports trace to more than {independence.MAX_CLAIM_PAIRS:,} originals in all "
                "(counted per report); too many to match to independent lines: split the claim, or shorten its "
                "via and derived_from lists")
        return offered

    def summary(self, originals: Mapping[str, tuple[str, ...]]) -> _Originals:
        """What the engine needs of a report's originals (Tracer.originals_of_report)."""
        hit = self._originals.get(id(originals))
        if hit is None or hit[0] is not originals:  # (the tracer keeps them: ids are not reused)
            hit = self._originals[id(originals)] = (originals, _Originals(originals, self))
        return hit[1]

    def analyse(self, claim: Claim) -> Analysis:
        plan = self.plan
        inferred, traced = self.infer(claim)
        copies: dict[int, Copy] = {}
        if inferred and plan.copies.mode == "collapse":  # flag: shown and flagged, counted as declared
            traced = self._merged_outlets(traced, inferred.outlets)
            copies = {c.report: c for c in inferred.copies}
        supporting, collapsed, n_sup = self.lines_for(claim, "supports", traced, copies)
        refuting, _, n_ref = self.lines_for(claim, "refutes", traced, copies)
        neutral = len(claim.reports) - n_sup - n_ref
        return Analysis(claim, self.sources, plan.weigh(supporting, claim) if supporting else (),
                        plan.weigh(refuting, claim) if refuting else (), collapsed, n_sup, n_ref, neutral,
                        inferred, plan.copies.mode)

    def infer(self, claim: Claim) -> tuple[Inferred, list[_Originals] | None]:
        """Copies and outlets the claim's excerpts and addresses suggest (score/copies.py), and the
        reports' declared originals, worked out for it. Nothing for a claim without two of them."""
        reports = claim.reports
        if self.plan.copies.mode == "ignore" or len(reports) < 2 or \
                sum(1 for r in reports if r.excerpt is not None or r.url is not None) < 2:
            return NOTHING, None
        offered: list[Any] = [None] * len(reports)
        for stance in STANCES:
            indices = [i for i, r in enumerate(reports) if r.stance == stance]
            for i, originals in zip(indices, self.offered(claim, indices)):
                offered[i] = originals
        traced = [self.summary(originals) for originals in offered]
        inferred = infer_copies(claim, self.sources, self.plan.copies, lambda i: traced[i].lines)
        return inferred, traced

    def _merged_outlets(self, traced: list[_Originals] | None, outlets: tuple[Outlet, ...]) -> list[_Originals] | None:
        """The reports' originals with the sources of each inferred outlet counted as one owner."""
        rewrite = owner_keys(outlets, self.sources)
        if not rewrite or traced is None:
            return traced
        merged: dict[int, _Originals] = {}
        out = []
        for originals in traced:
            if not any(key in rewrite for key in originals.lines):
                out.append(originals)
                continue
            hit = merged.get(id(originals))
            if hit is None:
                keyed: dict[str, dict[str, None]] = {}
                for key, line in originals.lines.items():
                    keyed.setdefault(rewrite.get(key, key), {}).update(dict.fromkeys(line[1]))
                hit = merged[id(originals)] = _Originals({k: tuple(m) for k, m in keyed.items()}, self)
            out.append(hit)
        return out

    def lines_for(self, claim: Claim, stance: str, traced_all: list[_Originals] | None = None,
                  copies: Mapping[int, Copy] | None = None) -> tuple[list[Line], tuple[Collapsed, ...], int]:
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
            return [], (), 0
        if copies:  # inferred copies count as their original (below), not as reports of their own
            stance_reports = len(indices)
            copied = [i for i in indices if i in copies]
            indices = [i for i in indices if i not in copies]
            lines, collapsed, _ = self._lines(claim, indices, traced_all)
            return lines, _with_copies(collapsed, lines, copied, copies, traced_all), stance_reports
        return self._lines(claim, indices, traced_all)

    def _lines(self, claim: Claim, indices: list[int], traced_all: list[_Originals] | None = None,
               ) -> tuple[list[Line], tuple[Collapsed, ...], int]:
        reports = claim.reports
        if not indices:
            return [], (), 0
        if traced_all is None:
            offered = self.offered(claim, indices)
            traced = {i: self.summary(originals) for i, originals in zip(indices, offered)}
        else:
            traced = {i: traced_all[i] for i in indices}
        if len(indices) == 1 and traced[indices[0]].offers:  # one report: the line of the first original it offers
            i = indices[0]
            return [Line(i, *traced[i].lines[traced[i].offers[0]])], (), 1
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
        return lines, collapsed, len(indices)


def _with_copies(collapsed: tuple[Collapsed, ...], lines: tuple[Line, ...], copied: list[int],
                 copies: Mapping[int, Copy], traced: list[_Originals] | None) -> tuple[Collapsed, ...]:
    """The collapsed reports, with each inferred copy collapsed into what its original counts for."""
    if not copied:
        return collapsed
    line_of = {line.report: line.original for line in lines}
    into_of = {c.report: c.into for c in collapsed}
    added = []
    for i in copied:
        original = copies[i].original
        into = (line_of[original],) if original in line_of else into_of.get(original) \
            or (traced[original].shown if traced is not None else ())
        added.append(Collapsed(i, into, copies[i].of))
    return tuple(sorted((*collapsed, *added), key=lambda c: c.report))
def iter_analyses(claims: Iterable[Claim], sources: Mapping[str, Source], rubric: Rubric,
                  tracer: Tracer | None = None, plan: Plan | None = None) -> Iterator[Analysis]:
    """Each claim's independent lines, as `assess` finds them, without scoring it (track records)."""
    run = _Run(sources, rubric, tracer, plan=plan)
    for claim in claims:
        yield run.analyse(claim)


def analyse(claim: Claim, sources: Mapping[str, Source], rubric: Rubric, tracer: Tracer,
            ratings: dict[str, tuple[str, float]], plan: Plan | None = None) -> Analysis:
    """Trace every report to its originals, pick the independent lines and weigh them."""
    return _Run(sources, rubric, tracer, ratings, plan).analyse(claim)


def _display(key: str) -> str:
    return key[len("owner:"):] if key.startswith("owner:") else key


def round_half_up(value: float, places: int = 1) -> float:
    """58.25 -> 58.3, as a reader expects (round() would give 58.2)."""
    factor = 10 ** places
    return math.floor(value * factor + 0.5 + 1e-9) / factor


def claim_facts(analysis: Analysis, results: Mapping[str, CriterionResult], score: float,
                probability: float | None = None, decibans: float | None = None) -> dict[str, Any]:
    """The numbers and letters rule conditions may compare (conditions.FACTS)."""
    claim = analysis.claim
    sup_letters = [line.letter for line in analysis.supporting]
    ref_letters = [line.letter for line in analysis.refuting]
    facts: dict[str, Any] = {
        "reports": len(claim.reports),
        "supporting_reports": analysis.supporting_reports,
        "refuting_reports": analysis.refuting_reports,
        "neutral_reports": analysis.neutral_reports,
        "independent_supporting": len(analysis.supporting),
        "independent_refuting": len(analysis.refuting),
        "collapsed_reports": len(analysis.collapsed),
        "first_hand_lines": sum(1 for line in analysis.supporting if claim.reports[line.report].access == "first_hand"),
        "evidence": len(claim.evidence),
        "verified_evidence": sum(1 for e in claim.evidence if e.verified),
        "score": score,
        "probability": probability,
        "decibans": decibans,
        # letters are validated A-F, whose alphabetical order is LETTERS (see _best_letter)
        "best_supporting_reliability": min(sup_letters) if sup_letters else "F",
        "best_refuting_reliability": min(ref_letters) if ref_letters else None,
    }
    for cid, result in results.items():
        facts[f"{cid}_score"] = result.score
    return facts


def apply_rules(rubric: Rubric, facts: Mapping[str, Any], score: float,
                rules: "tuple[tuple[Rule, Callable[[Mapping[str, Any]], bool]], ...] | None" = None,
                ) -> tuple[int, list[RuleHit]]:
    """Bands give a grade from the score (the probability in percent); rules cap it (at best N) or set it.

    Rules move the grade only: the probability, and so the likelihood term,
    stay where the weight of evidence put them. Two guarantees of the contract
    hold whatever a rubric says: a claim with no reports is 6, and 1 needs two
    independent lines and no refutation. `rules` are the rubric's rules compiled
    (a plan's `rules`); without them they are compiled here.
    """
    if rules is None:
        rules = compiled_rules(rubric.rules)
    banded = int(band_for(rubric.credibility_bands, score).value)
    credibility, hits = banded, []
    fired = [rule for rule, test in rules if test(facts)]
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
    return credibility, hits


def compiled_rules(rules: Iterable[Rule]) -> tuple[tuple[Rule, Callable[[Mapping[str, Any]], bool]], ...]:
    """Each rule with its condition compiled (conditions.evaluate, as closures): once per plan."""
    return tuple((rule, compile_condition(rule.when)) for rule in rules)


def _joined(parts: list[tuple[str, ...]]) -> tuple[str, ...]:
    """The items of several tuples, in order, each once."""
    joined = [item for part in parts for item in part]
    return tuple(dict.fromkeys(joined)) if len(joined) > 1 else tuple(joined)
