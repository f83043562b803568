"""Properties of assess over random source tables and claims (hypothesis).

Sources are drawn from the default rubric's types, with optional ratings and
owners; `derived_from` only names earlier sources, so tables have no cycles.
"""
from __future__ import annotations

import random
from credcheck.record import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DEFAULT, World
from credcheck.score.engine import assess_claim
from credcheck.score.independence import Tracer
from credcheck.model import ACCESS, Assessment, Claim, Evidence, Report, Source

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
    stance = draw(st.sampled_from(["supports", "supports", "refutes"]))
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


# --- monotonicity ------------------------------------------------------------------------

@SETTINGS
@given(worlds(), st.sampled_from(TYPES), st.sampled_from(LETTERS), st.sampled_from(ACCESS))
def test_an_independent_supporting_source_never_lowers_the_score(world, type_, reliability, access) -> None:
    table, claim = world
    bigger, name = new_source(table, type_, reliability)
    before, after = grade(table, claim), grade(bigger, with_reports(claim, Report(name, "supports", access)))
    assert after.score >= before.score
    assert after.criteria["corroboration"].extra["independent_supporting"] == before.criteria["corroboration"].extra["independent_supporting"] + 1
    if claim.reports:  # (a claim with no reports goes from 6, "cannot be judged", to a grade)
        assert after.credibility <= before.credibility


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
    relay = Report(outlet, "supports", access, copied.via or (copied.source,))
    before, after = grade(table, claim), grade(bigger, with_reports(claim, relay))
    assert after.criteria["corroboration"].score == before.criteria["corroboration"].score
    assert after.criteria["corroboration"].extra == before.criteria["corroboration"].extra
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
def test_verified_imagery_never_lowers_the_score(world) -> None:
    table, claim = world
    before = grade(table, claim)
    after = grade(table, replace(claim, evidence=claim.evidence + (Evidence("imagery", True),)))
    assert after.score >= before.score
    assert after.credibility <= before.credibility


@SETTINGS
@given(worlds(), st.sampled_from(TYPES), st.sampled_from(LETTERS), st.sampled_from(ACCESS))
def test_an_independent_refutation_never_raises_the_score(world, type_, reliability, access) -> None:
    table, claim = world
    bigger, name = new_source(table, type_, reliability)
    before, after = grade(table, claim), grade(bigger, with_reports(claim, Report(name, "refutes", access)))
    assert after.score <= before.score
    if claim.reports:
        assert after.credibility >= before.credibility


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
    assert (a.score, a.credibility, a.reliability, a.likelihood, sorted(a.flags)) == \
           (b.score, b.credibility, b.reliability, b.likelihood, sorted(b.flags))


@SETTINGS
@given(worlds())
def test_contract_invariants(world) -> None:
    table, claim = world
    result = grade(table, claim)
    extra = result.criteria["corroboration"].extra
    supporting = sum(1 for r in claim.reports if r.stance == "supports")
    assert 0 <= result.score <= 100
    assert (result.likelihood is None) == (result.credibility == 6) == (not claim.reports)
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
