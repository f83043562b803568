"""The full trace of one assessment, as data: `credcheck explain CLAIMS ID`.

Everything the engine decided for one claim, in the order it decided it:
each report traced to its originals and counted as a line, collapsed, or
left out as neutral; the weight of evidence of each line, item and criterion
and where their sum lands; the confidence and why; the facts the rules
compared, the rules that fired (and those that did not), and the band
lookup. Built only from the engine's public steps (analyse, score,
apply_rules), so the trace cannot disagree with `credcheck score`.
"""
from __future__ import annotations

from typing import Any

from credcheck.rubric.conditions import AllOf, AnyOf, Compare, Condition, Not
from credcheck.rubric.criteria.source import log_odds, rate
from credcheck.score.engine import analyse, assess_claim, claim_facts, plan_for
from credcheck.errors import CredcheckError, did_you_mean
from credcheck.score.copies import owner_keys
from credcheck.load.claims import locate_problems
from credcheck.score.independence import Tracer
from credcheck.model import Assessment, Claim, ClaimSet, Copy, Outlet, Report, Source
from credcheck.record import Record
from credcheck.rubric.model import Band, Rubric, Rule, band_for

OPS = {"eq": "=", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "in": "in", "not_in": "not in"}


class ReportTrace(Record):
    index: int  # 0-based position in the claim's reports
    report: Report
    source: Source
    letter: str  # the source's own A-F letter under the rubric
    holds_up: float  # the chance its lines hold up (its letter's)
    decibans: float  # what a first-hand line of it weighs: 10 log10(r / (1 - r))
    rated_by: str  # "analyst" or "type default"
    originals: tuple[tuple[str, tuple[str, ...]], ...]  # (original, the source ids merged into it)
    counted_for: str | None  # the original this report is the independent line for
    collapsed_into: tuple[str, ...]  # originals already counted, when the report was collapsed
    copy: Copy | None = None  # inferred from excerpts: the earlier report it copies
    outlet: Outlet | None = None  # inferred from addresses: its source's outlet
    counted_as_copy: bool = False  # the rubric collapses inferred copies (copies.mode: collapse)


class Contribution(Record):
    criterion: str
    score: float  # where its weight alone takes even odds, 0-100
    decibans: float  # its weight of evidence, signed
    reasons: tuple[str, ...]


class BandStep(Record):
    what: str  # "credibility" or "likelihood"
    score: float
    band: Band
    lowest: bool  # the lowest band also holds its own min


class Trace(Record):
    claim: Claim
    assessment: Assessment
    reports: tuple[ReportTrace, ...]
    contributions: tuple[Contribution, ...]
    prior: float  # the rubric's decibans before any report
    raw: float  # the score: the probability in percent
    facts: dict[str, Any]
    quiet_rules: tuple[Rule, ...]  # rules whose condition did not hold
    rubric_rules: dict[str, Rule]
    banded: BandStep  # the score's credibility band, before rules


def find_claim(claims: ClaimSet, claim_id: str) -> Claim:
    for claim in claims.claims:
        if claim.id == claim_id:
            return claim
    ids = [c.id for c in claims.claims]
    where = claims.files[0] if claims.files else "the claims file"
    raise CredcheckError.single(None, "", f"{where}: no claim '{claim_id}'{did_you_mean(claim_id, ids)}; "
                                f"{len(ids)} claim{'s' if len(ids) != 1 else ''} in the file")


def trace(claims: ClaimSet, rubric: Rubric, claim_id: str) -> Trace:
    try:
        return _trace(claims, rubric, claim_id)
    except CredcheckError as exc:  # a claim too tangled to assess: say where it is, JSON inputs too
        raise locate_problems(exc, claims) from None


def _trace(claims: ClaimSet, rubric: Rubric, claim_id: str) -> Trace:
    claim = find_claim(claims, claim_id)
    tracer, ratings, plan = Tracer(claims.sources), {}, plan_for(rubric)
    analysis = analyse(claim, claims.sources, rubric, tracer, ratings, plan)
    a = assess_claim(claim, claims.sources, rubric, tracer, ratings, plan)
    raw = a.raw_score  # the rounded score the engine graded
    facts = claim_facts(analysis, a.criteria, raw, a.probability, a.decibans)
    fired = {h.id for h in a.rules}
    return Trace(
        claim=claim, assessment=a, reports=_reports(claim, claims, rubric, tracer, a), contributions=_contributions(a),
        prior=rubric.prior, raw=raw, facts=facts, quiet_rules=tuple(r for r in rubric.rules if r.id not in fired),
        rubric_rules={r.id: r for r in rubric.rules}, banded=_step("credibility", rubric.credibility_bands, raw),
    )


def _reports(claim: Claim, claims: ClaimSet, rubric: Rubric, tracer: Tracer, a: Assessment) -> tuple[ReportTrace, ...]:
    counted = {line.report: line.original for line in (*a.supporting, *a.refuting)}
    collapsed = {c.report: c.into for c in a.collapsed}
    refuted = {line.original for line in a.refuting}
    copies = {c.report: c for c in a.copies}
    outlets = {s: o for o in a.outlets for s in o.sources}
    collapsing = rubric.copies.mode == "collapse"
    rewrite = owner_keys(a.outlets, claims.sources) if collapsing else {}  # inferred outlets: one owner
    out = []
    for i, report in enumerate(claim.reports):
        source = claims.sources[report.source]
        letter, holds_up = rate(source, rubric.criteria["source"])
        originals = tuple((_name(k), members) for k, members in _owned(tracer.originals_of_report(report), rewrite).items())
        into = collapsed.get(i, ())
        copy = copies.get(i)
        if i not in counted and not into and copy is not None and collapsing:  # a refuting copy
            original = copy.original
            into = (counted[original],) if original in counted else collapsed.get(original, ())
        if i not in counted and not into and report.stance == "refutes":  # its originals already refute
            into = tuple(name for name, _ in originals if name in refuted)
        out.append(ReportTrace(i, report, source, letter, holds_up, log_odds(holds_up),
                               "analyst" if source.reliability else "type default", originals, counted.get(i), into,
                               copy, outlets.get(report.source), copy is not None and collapsing))
    return tuple(out)


def _owned(originals: dict[str, tuple[str, ...]], rewrite: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Originals with the keys of sources on one inferred outlet counted as that outlet's owner."""
    if not rewrite or not any(key in rewrite for key in originals):
        return originals
    merged: dict[str, dict[str, None]] = {}
    for key, members in originals.items():
        merged.setdefault(rewrite.get(key, key), {}).update(dict.fromkeys(members))
    return {key: tuple(members) for key, members in merged.items()}


def _name(key: str) -> str:
    return key[len("owner:"):] if key.startswith("owner:") else key


def _contributions(a: Assessment) -> tuple[Contribution, ...]:
    return tuple(Contribution(cid, r.score, r.decibans, r.reasons) for cid, r in a.criteria.items())


def _step(what: str, bands: tuple[Band, ...], score: float) -> BandStep:
    band = band_for(bands, score)
    return BandStep(what, score, band, band is bands[-1])


def describe_condition(cond: Condition, nested: bool = False) -> str:
    """A rule condition in words: `independent_supporting < 2 or independent_refuting > 0`."""
    if isinstance(cond, Compare):
        value = "[" + ", ".join(str(v) for v in cond.value) + "]" if isinstance(cond.value, tuple) else cond.value
        return f"{cond.fact} {OPS[cond.op]} {value}"
    if isinstance(cond, Not):
        return f"not ({describe_condition(cond.item)})"
    joiner = " and " if isinstance(cond, AllOf) else " or "
    assert isinstance(cond, (AllOf, AnyOf))
    text = joiner.join(describe_condition(c, nested=True) for c in cond.items)
    return f"({text})" if nested and len(cond.items) > 1 else text


def band_range(step: BandStep) -> str:
    """'above 40, up to 60': a band holds the scores above its min; the lowest holds its min too."""
    low = "from" if step.lowest else "above"
    return f"{low} {step.band.low:g}, up to {step.band.high:g}"
