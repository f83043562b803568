"""Properties of assess over random source tables and claims (hypothesis).

Sources are drawn from the default rubric's types, with optional ratings and
owners; `derived_from` only names earlier sources, so tables have no cycles.
Among them, the judgment model's must-shows (issue: grades that mean what they
say): an added independent supporting line never lowers the probability; a
refutation from an E source moves it less than the same refutation from a B
source; a neutral report never changes it; confidence never falls when an
independent line or verified evidence is added; unknown access counts for no
less than second-hand.
"""
from __future__ import annotations

import random
from credcheck.record import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DEFAULT, World, examples
from credcheck.score.engine import assess_claim
from credcheck.score.independence import Tracer
from credcheck.model import ACCESS, LIKELIHOOD_TERMS, Assessment, Claim, Evidence, Report, Source

SETTINGS = settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
TYPES = list(DEFAULT.source_types)
EVIDENCE = list(DEFAULT.evidence_types)
LETTERS = [None, "A", "B", "C", "D", "E", "F"]
OWNERS = [None, None, None, "gov-1", "gov-2"]


@st.composite
def source_tables(draw: st.DrawFn) -> dict[str, Source]:
    table: dict[str, Source] = {}
    for i in range(draw(st.integers(1, 8))):
        earlier = sorted(table)
        parents = draw(st.lists(st.sampled_from(earlier), unique=True, max_size=2)) if earlier else []
        table[f"s{i}"] = Source(
            f"s{i}", f"source {i}", draw(st.sampled_from(TYPES)),
            draw(st.sampled_from(LETTERS)), draw(st.sampled_from(OWNERS)), tuple(parents),
        )
    return table


@st.composite
def reports(draw: st.DrawFn, table: dict[str, Source]) -> Report:
    ids = sorted(table)
    source = draw(st.sampled_from(ids))
    others = [i for i in ids if i != source]
    via = draw(st.lists(st.sampled_from(others), unique=True, max_size=2)) if others and draw(st.booleans()) else []
    stance = draw(st.sampled_from(["supports", "supports", "refutes", "neutral"]))
    return Report(source, stance, draw(st.sampled_from(ACCESS)), tuple(via))


@st.composite
def worlds(draw: st.DrawFn) -> tuple[dict[str, Source], Claim]:
    table = draw(source_tables())
    found = draw(st.lists(reports(table), max_size=6))
    evidence = draw(st.lists(st.builds(Evidence, st.sampled_from(EVIDENCE), st.booleans()), max_size=4))
    return table, Claim("claim", "a claim", (), tuple(found), tuple(evidence))


def grade(table: dict[str, Source], claim: Claim) -> Assessment:
    return assess_claim(claim, table, DEFAULT)


def with_reports(claim: Claim, *more: Report) -> Claim:
    return replace(claim, reports=claim.reports + more)


def new_source(table: dict[str, Source], type_: str, reliability: str | None) -> tuple[dict[str, Source], str]:
    name = f"new{len(table)}"
    return {**table, name: Source(name, "a new source", type_, reliability)}, name


LEVEL = {"low": 0, "moderate": 1, "high": 2}


def level(result: Assessment) -> int:
    return LEVEL[result.confidence.level]


# --- the probability: monotone, weighed by reliability, deaf to neutral reports ------------------

@SETTINGS
@given(worlds(), st.sampled_from(TYPES), st.sampled_from(LETTERS), st.sampled_from(ACCESS))
def test_an_independent_supporting_line_never_lowers_the_probability(world, type_, reliability, access) -> None:
    table, claim = world
    bigger, name = new_source(table, type_, reliability)
    before, after = grade(table, claim), grade(bigger, with_reports(claim, Report(name, "supports", access)))
    assert after.criteria["corroboration"].extra["independent_supporting"] == before.criteria["corroboration"].extra["independent_supporting"] + 1
    if before.probability is not None:  # (a claim with no reports goes from no estimate to one)
        assert after.decibans >= before.decibans - 1e-9
        assert after.probability >= before.probability
        assert after.credibility <= before.credibility


@SETTINGS
@given(worlds(), st.sampled_from(TYPES), st.sampled_from(LETTERS), st.sampled_from(ACCESS))
def test_an_independent_refutation_never_raises_the_probability(world, type_, reliability, access) -> None:
    table, claim = world
    bigger, name = new_source(table, type_, reliability)
    before, after = grade(table, claim), grade(bigger, with_reports(claim, Report(name, "refutes", access)))
    if before.probability is not None:
        assert after.decibans <= before.decibans + 1e-9
        assert after.probability <= before.probability
        assert after.credibility >= before.credibility


@SETTINGS
@given(worlds(), st.sampled_from(TYPES), st.sampled_from(ACCESS))
def test_an_e_source_refuting_moves_the_probability_less_than_a_b_source(world, type_, access) -> None:
    table, claim = world
    with_e, e = new_source(table, type_, "E")
    with_b, b = new_source(table, type_, "B")
    by_e = grade(with_e, with_reports(claim, Report(e, "refutes", access)))
    by_b = grade(with_b, with_reports(claim, Report(b, "refutes", access)))
    assert by_e.decibans > by_b.decibans
    assert by_e.probability >= by_b.probability
    before = grade(table, claim)
    if before.probability is not None:
        assert before.decibans - by_e.decibans < before.decibans - by_b.decibans


@SETTINGS
@given(worlds(), st.sampled_from(TYPES), st.sampled_from(LETTERS), st.sampled_from(ACCESS), st.booleans())
def test_a_neutral_report_never_changes_the_probability(world, type_, reliability, access, existing) -> None:
    table, claim = world
    if existing:  # a source already in the table, perhaps already reporting the claim
        bigger, name = table, sorted(table)[0]
    else:
        bigger, name = new_source(table, type_, reliability)
    before, after = grade(table, claim), grade(bigger, with_reports(claim, Report(name, "neutral", access)))
    extra = ("independent_supporting", "independent_refuting")
    assert [after.criteria["corroboration"].extra[k] for k in extra] == [before.criteria["corroboration"].extra[k] for k in extra]
    if before.probability is not None:
        assert (after.probability, after.decibans, after.score) == (before.probability, before.decibans, before.score)
        assert after.likelihood == before.likelihood and after.credibility == before.credibility
        assert after.confidence.level == before.confidence.level


@SETTINGS
@given(worlds(), st.randoms(use_true_random=False))
def test_unknown_access_never_counts_for_less_than_second_hand(world, rnd: random.Random) -> None:
    table, claim = world
    second = [i for i, r in enumerate(claim.reports) if r.access == "second_hand" and r.stance == "supports"]
    if not second:
        return
    i = rnd.choice(second)
    unknown = replace(claim, reports=tuple(replace(r, access="unknown") if j == i else r for j, r in enumerate(claim.reports)))
    assert grade(table, unknown).probability >= grade(table, claim).probability


# --- confidence: never falls when a line or a check is added ----------------------------------

@SETTINGS
@given(worlds(), st.sampled_from(TYPES), st.sampled_from(LETTERS), st.sampled_from(ACCESS),
       st.sampled_from(["supports", "refutes"]))
def test_confidence_never_falls_when_an_independent_line_is_added(world, type_, reliability, access, stance) -> None:
    table, claim = world
    bigger, name = new_source(table, type_, reliability)
    before, after = grade(table, claim), grade(bigger, with_reports(claim, Report(name, stance, access)))
    assert level(after) >= level(before)


@SETTINGS
@given(worlds(), st.sampled_from(EVIDENCE))
def test_confidence_never_falls_when_verified_evidence_is_added(world, etype) -> None:
    table, claim = world
    before = grade(table, claim)
    after = grade(table, replace(claim, evidence=claim.evidence + (Evidence(etype, True),)))
    assert level(after) >= level(before)
    if before.probability is not None:
        assert after.probability >= before.probability


@SETTINGS
@given(worlds(), st.sampled_from(TYPES), st.sampled_from(ACCESS), st.randoms(use_true_random=False))
def test_a_relay_of_a_single_original_report_never_changes_corroboration(world, type_, access, rnd: random.Random) -> None:
    table, claim = world
    tracer = Tracer(table)
    single = [r for r in claim.reports if r.stance == "supports" and len(tracer.originals_of_report(r)) == 1]
    if not single:
        return
    copied = rnd.choice(single)
    bigger, outlet = new_source(table, type_, None)
    # with no better access than the report it copies (a first-hand relay would hold the line itself)
    relay = Report(outlet, "supports", copied.access, copied.via or (copied.source,))
    before, after = grade(table, claim), grade(bigger, with_reports(claim, relay))
    assert after.criteria["corroboration"].decibans == before.criteria["corroboration"].decibans
    assert after.criteria["corroboration"].extra == before.criteria["corroboration"].extra
    assert after.probability == before.probability
    assert "circular_reporting" in after.flags


def test_a_relay_of_a_report_citing_two_originals_can_add_a_line() -> None:
    """The contract's matching, not a property failure: documented so a change is deliberate.

    `outlet` derives from two independent originals, so its report is one line
    that could count for either. A second report relaying `outlet` traces to
    the same two originals; the matching pairs each report with a different
    one, and the count goes from 1 to 2 (CONTRACT.md section 1).
    """
    world = World().source("a", "ngo").source("b", "academic").source("outlet", derived_from=["a", "b"]).source("relay")
    alone = world.assess(Report("outlet"))
    relayed = world.assess(Report("outlet"), Report("relay", via=("outlet",)))
    assert alone.criteria["corroboration"].extra["independent_supporting"] == 1
    assert relayed.criteria["corroboration"].extra["independent_supporting"] == 2


@SETTINGS
@given(worlds())
def test_verified_imagery_never_lowers_the_probability(world) -> None:
    table, claim = world
    before = grade(table, claim)
    after = grade(table, replace(claim, evidence=claim.evidence + (Evidence("imagery", True),)))
    assert after.score >= before.score
    assert after.credibility <= before.credibility


# --- determinism and invariants ------------------------------------------------------------

@SETTINGS
@given(worlds())
def test_assess_is_deterministic(world) -> None:
    table, claim = world
    assert grade(table, claim) == grade(table, claim)
    assert grade(dict(reversed(list(table.items()))), claim) == grade(table, claim)


@SETTINGS
@given(worlds(), st.randoms(use_true_random=False))
def test_the_order_of_reports_and_of_via_does_not_change_the_grade(world, rnd: random.Random) -> None:
    table, claim = world
    shuffled = list(claim.reports)
    rnd.shuffle(shuffled)
    shuffled = [replace(r, via=tuple(rnd.sample(r.via, len(r.via)))) for r in shuffled]
    a, b = grade(table, claim), grade(table, replace(claim, reports=tuple(shuffled)))
    assert (a.score, a.probability, a.credibility, a.reliability, a.likelihood, a.confidence.level, sorted(a.flags)) == \
           (b.score, b.probability, b.credibility, b.reliability, b.likelihood, b.confidence.level, sorted(b.flags))


@SETTINGS
@given(worlds())
def test_contract_invariants(world) -> None:
    table, claim = world
    result = grade(table, claim)
    extra = result.criteria["corroboration"].extra
    supporting = sum(1 for r in claim.reports if r.stance == "supports")
    assert 0 <= result.score <= 100
    assert (result.likelihood is None) == (result.credibility == 6) == (not claim.reports) == (result.probability is None)
    if result.probability is not None:
        low, high = LIKELIHOOD_TERMS[result.likelihood]
        assert low < result.score <= high or (result.score <= low == 1) or (result.score > high == 99)
        assert result.score == round(100 * result.probability, 1) or abs(result.score - 100 * result.probability) < 0.051
    if result.credibility == 1:
        assert extra["independent_supporting"] >= 2 and extra["independent_refuting"] == 0
    assert extra["independent_supporting"] <= supporting
    assert ("circular_reporting" in result.flags) == (supporting > extra["independent_supporting"])
    assert ("single_source" in result.flags) == (extra["independent_supporting"] == 1)
    assert ("contradicted" in result.flags) == (extra["independent_refuting"] > 0)
    letters = [line.letter for line in result.supporting]
    assert result.reliability == (min(letters) if letters else "F")
    originals = [line.original for line in result.supporting]
    assert len(originals) == len(set(originals))  # one original never counts twice
    assert len({line.report for line in result.supporting}) == len(originals)  # nor one report
