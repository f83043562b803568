"""assess: each criterion, each default rule, flags, gaps, and the contract's guarantees."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from conftest import DEFAULT, World, refutes, supports, unverified, verified
from credcheck import assess, load_claims, load_rubric
from credcheck.rubric.criteria.corroboration import curve_points
from credcheck.model import LIKELIHOOD_TERMS

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "dmz-desertions" / "claims.yaml"


@pytest.fixture
def world() -> World:
    """Sources for most tests: one of each strength."""
    return (World()
            .source("record", "official_record")                       # A, 90
            .source("wire", "wire_service")                            # B, 70
            .source("nis", "intelligence_service", reliability="A")    # A, 95 (analyst's rating)
            .source("ngo", "ngo", reliability="B")                     # B, 80 (analyst's rating)
            .source("witness", "eyewitness")                           # C, 60
            .source("kcna", "state_media")                             # E, 20
            .source("defector", "defector_testimony"))                 # D, 45


STRONG_EVIDENCE = [verified("imagery"), verified("official_record"), verified("document")]


# --- the source criterion ---------------------------------------------------------

def test_source_is_the_best_line_times_its_access(world: World) -> None:
    result = world.assess(supports("wire", access="second_hand"), supports("witness", access="first_hand"))
    source = result.criteria["source"]
    assert source.score == 60.0  # witness 60 x 1.0 beats wire 70 x 0.8 = 56
    assert source.reasons == (
        "best line: 60.0",
        "wire (wire_service, default B): 70 x second-hand 0.8 = 56.0",
        "witness (eyewitness, default C): 60 x first-hand 1 = 60.0",
    )


@pytest.mark.parametrize("access, score", [("first_hand", 70.0), ("second_hand", 56.0), ("unknown", 49.0)])
def test_access_factors(world: World, access: str, score: float) -> None:
    assert world.assess(supports("wire", access=access)).criteria["source"].score == score


def test_an_analysts_rating_replaces_the_type_score(world: World) -> None:
    source = world.assess(supports("ngo", access="first_hand")).criteria["source"]
    assert source.score == 80.0 and source.reasons[1] == "ngo (rated B): 80 x first-hand 1 = 80.0"


def test_source_without_supporting_lines(world: World) -> None:
    assert world.assess(refutes("wire")).criteria["source"].reasons == ("no supporting report: no source to rate",)
    assert world.assess().criteria["source"].reasons == ("no reports: no source to rate",)


def test_source_combine_mean(rubric_file: Callable, world: World) -> None:
    world.rubric = load_rubric(rubric_file("mean", "extends: default\ncriteria: {source: {combine: mean}}\n"))
    result = world.assess(supports("wire", access="first_hand"), supports("witness", access="first_hand"))
    assert result.criteria["source"].score == 65.0
    assert result.criteria["source"].reasons[0] == "mean of 2 lines: 65.0"


def test_source_gaps(world: World) -> None:
    assert world.assess(supports("defector", access="second_hand")).criteria["source"].gaps == (
        "no first-hand source", "no source of proven reliability (A-C)",
    )
    assert world.assess(supports("wire", access="first_hand")).criteria["source"].gaps == ()


# --- the corroboration criterion -----------------------------------------------------

@pytest.mark.parametrize("lines, points", [(0, 0), (1, 50), (2, 75), (3, 88), (4, 95), (5, 100), (9, 100)])
def test_the_default_curve(lines: int, points: float) -> None:
    assert curve_points(DEFAULT.criteria["corroboration"]["curve"], lines) == points


def test_a_sparse_curve_is_a_step_function() -> None:
    assert [curve_points({0: 0, 2: 60, 5: 90}, n) for n in range(7)] == [0, 0, 60, 60, 60, 90, 90]


def test_each_independent_refutation_costs_the_penalty(world: World) -> None:
    result = world.assess(supports("wire"), supports("witness"), refutes("kcna"), refutes("defector"))
    corroboration = result.criteria["corroboration"]
    assert corroboration.score == 75 - 2 * 25
    assert corroboration.extra == {"independent_supporting": 2, "independent_refuting": 2}
    assert corroboration.reasons[-1] == "2 independent refuting lines (kcna, defector): -50"


def test_corroboration_never_goes_below_zero(world: World) -> None:
    assert world.assess(supports("wire"), refutes("kcna"), refutes("defector"), refutes("witness")).criteria["corroboration"].score == 0


# --- the verifiability criterion -------------------------------------------------------

def test_verifiability_adds_the_best_item_of_each_type(world: World) -> None:
    result = world.assess(supports("wire"), evidence=[unverified("imagery"), verified("imagery"), unverified("testimony"), unverified("testimony")])
    verifiability = result.criteria["verifiability"]
    assert verifiability.score == 50 + 10
    assert verifiability.reasons == (
        "4 evidence items: 60 points", "imagery (verified): 50", "testimony (unverified): 10",
        "2 more items of a type already counted: 0",
    )


def test_verifiability_is_capped_at_100(world: World) -> None:
    assert world.assess(supports("wire"), evidence=STRONG_EVIDENCE + [verified("video")]).criteria["verifiability"].score == 100


def test_verifiability_gaps_name_the_strongest_missing_types(world: World) -> None:
    assert world.assess(supports("wire"), evidence=[verified("official_record")]).criteria["verifiability"].gaps == (
        "no verified imagery", "no verified video", "no verified document",
    )
    assert world.assess(supports("wire"), evidence=[unverified("testimony")]).criteria["verifiability"].gaps == (
        "no verified evidence", "no verified official record", "no verified imagery", "no verified video",
    )


# --- weights -----------------------------------------------------------------------------

def test_the_score_is_the_weighted_mean_of_the_criteria(world: World) -> None:
    result = world.assess(supports("wire", access="first_hand"), evidence=[verified("official_record")])
    # source 70 x 0.35 + corroboration 50 x 0.40 + verifiability 55 x 0.25 = 58.25, shown rounded half up
    assert 70 * 0.35 + 50 * 0.40 + 55 * 0.25 == 58.25
    assert result.raw_score == 58.3
    assert {cid: c.weight for cid, c in result.criteria.items()} == {"source": 0.35, "corroboration": 0.4, "verifiability": 0.25}


def test_weights_need_not_sum_to_one(rubric_file: Callable, world: World) -> None:
    world.rubric = load_rubric(rubric_file("x", "extends: default\ncriteria: {source: {weight: 7}, corroboration: {weight: 8}, verifiability: {weight: 5}, language: {enabled: false}}\n"))
    result = world.assess(supports("wire", access="first_hand"), evidence=[verified("official_record")])
    assert result.raw_score == 58.3


# --- the default rules ---------------------------------------------------------------------

def test_no_reports_is_6_with_no_likelihood(world: World) -> None:
    result = world.assess()
    assert (result.credibility, result.likelihood, result.reliability, result.admiralty) == (6, None, "F", "F6")
    assert result.credibility_label == "Truth cannot be judged"
    assert result.flags == ("no_reports", "no_evidence")
    assert [h.id for h in result.rules if h.changed] == ["no-reports"]


def test_no_reports_is_6_even_with_verified_evidence(world: World) -> None:
    result = world.assess(evidence=STRONG_EVIDENCE)
    assert (result.credibility, result.likelihood) == (6, None)
    assert result.score == 25.0  # the evidence still shows in the score


def test_two_independent_lines_and_strong_evidence_confirm(world: World) -> None:
    result = world.assess(supports("record", access="first_hand"), supports("nis", access="first_hand"), evidence=STRONG_EVIDENCE)
    assert (result.raw_score, result.admiralty, result.likelihood) == (88.3, "A1", "very likely")
    assert result.rules == ()


def test_one_line_is_never_confirmed(world: World) -> None:
    result = world.assess(supports("record", access="first_hand"), evidence=STRONG_EVIDENCE)
    assert result.raw_score == 76.5 and result.credibility == 2


def test_one_line_relayed_three_times_is_never_confirmed(world: World) -> None:
    world.source("a").source("b").source("c")
    result = world.assess(supports("nis", access="first_hand"), *(supports(s, via=["nis"], access="first_hand") for s in "abc"),
                          evidence=STRONG_EVIDENCE)
    assert result.credibility == 2 and "circular_reporting" in result.flags


def test_an_independent_refutation_prevents_confirmation(world: World) -> None:
    result = world.assess(supports("record", access="first_hand"), supports("nis", access="first_hand"),
                          supports("wire", access="first_hand"), refutes("witness"), evidence=STRONG_EVIDENCE)
    assert result.raw_score == 83.5  # the bands alone would say 1
    assert result.credibility == 2 and result.score == 80.0  # the score follows the cap down
    assert "contradicted" in result.flags


def test_a_single_line_without_verified_evidence_is_at_best_3(world: World) -> None:
    result = world.assess(supports("nis", access="first_hand"), evidence=[unverified("imagery"), unverified("official_record")])
    assert result.credibility == 3
    assert "single-line-unverified" in [h.id for h in result.rules]


def test_a_single_line_with_verified_evidence_may_be_2(world: World) -> None:
    assert world.assess(supports("nis", access="first_hand"), evidence=STRONG_EVIDENCE).credibility == 2


@pytest.mark.parametrize("refuter, letter", [("record", "A"), ("ngo", "B")])
def test_refuted_by_an_a_or_b_source_is_at_best_4(world: World, refuter: str, letter: str) -> None:
    result = world.assess(supports("nis", access="first_hand"), supports("wire", access="first_hand"),
                          refutes(refuter), evidence=STRONG_EVIDENCE)
    assert result.refuting[0].letter == letter
    assert result.credibility == 4 and result.score == 40.0
    hit = next(h for h in result.rules if h.id == "refuted-by-reliable-source")
    assert (hit.effect, hit.credibility, hit.changed) == ("cap", 4, True)


def test_refuted_by_a_c_source_is_not_capped_at_4(world: World) -> None:
    result = world.assess(supports("nis", access="first_hand"), supports("wire", access="first_hand"),
                          refutes("witness"), evidence=STRONG_EVIDENCE)
    assert result.credibility == 2


def test_a_relay_of_an_a_source_refuting_counts_as_the_a_source(world: World) -> None:
    world.source("outlet")
    result = world.assess(supports("wire"), supports("witness"), refutes("outlet", via=["record"]))
    assert result.credibility >= 4


def test_only_refuted_is_at_best_5(world: World) -> None:
    result = world.assess(refutes("witness"))
    assert (result.credibility, result.likelihood, result.reliability) == (5, "almost no chance", "F")


def test_rule_flags_are_raised(rubric_file: Callable, world: World) -> None:
    world.rubric = load_rubric(rubric_file("team", """\
        extends: default
        rules:
          - id: no-first-hand
            when: {first_hand_lines: 0, independent_supporting: {ge: 1}}
            cap: 4
            flag: no_first_hand
            reason: nobody with first-hand access reports it
        """))
    assert world.assess(supports("wire", access="second_hand")).flags[-1] == "no_first_hand"
    assert "no_first_hand" not in world.assess(supports("wire", access="first_hand")).flags


def test_set_wins_over_cap(rubric_file: Callable, world: World) -> None:
    world.rubric = load_rubric(rubric_file("team", """\
        extends: default
        rules:
          - {id: state-media-only, when: {best_supporting_reliability: E}, set: 5, reason: only state media says so}
        """))
    result = world.assess(supports("kcna", access="first_hand"), evidence=STRONG_EVIDENCE)
    assert result.credibility == 5


# --- the contract holds whatever the rubric says ----------------------------------------------

LAX = """\
extends: default
rules:
  - {id: no-reports, enabled: false}
  - {id: confirmed-needs-two-lines, enabled: false}
  - {id: single-line-unverified, enabled: false}
bands:
  credibility:
    - {code: 1, min: 10, max: 100}
    - {code: 2, min: 8, max: 10}
    - {code: 3, min: 6, max: 8}
    - {code: 4, min: 4, max: 6}
    - {code: 5, min: 0, max: 4}
  likelihood:
    - {term: almost certain, min: 90, max: 100}
    - {term: very likely, min: 75, max: 90}
    - {term: likely, min: 55, max: 75}
    - {term: roughly even chance, min: 40, max: 55}
    - {term: unlikely, min: 20, max: 40}
    - {term: very unlikely, min: 10, max: 20}
    - {term: almost no chance, min: 0, max: 10}
"""


def test_a_rubric_cannot_grade_an_unreported_claim(rubric_file: Callable, world: World) -> None:
    world.rubric = load_rubric(rubric_file("lax", LAX))
    result = world.assess(evidence=STRONG_EVIDENCE)
    assert (result.credibility, result.likelihood) == (6, None)
    assert result.rules[-1].id == "contract:no-reports"


def test_a_rubric_cannot_confirm_a_single_line(rubric_file: Callable, world: World) -> None:
    world.rubric = load_rubric(rubric_file("lax", LAX))
    result = world.assess(supports("wire"))
    assert result.credibility == 2
    assert result.rules[-1].id == "contract:confirmed-needs-two-lines"
    assert result.score <= 10  # the score stays inside the grade's band


# --- flags and gaps ------------------------------------------------------------------------

@pytest.mark.parametrize("reports, evidence, flags", [
    ([], [], ("no_reports", "no_evidence")),
    ([supports("wire")], [], ("single_source", "no_evidence")),
    ([supports("wire"), supports("witness")], [verified("imagery")], ()),
    ([supports("wire"), supports("witness", via=["wire"])], [unverified("imagery")],
     ("single_source", "circular_reporting", "unverified_evidence_only")),
    ([supports("wire"), supports("witness"), refutes("kcna")], [verified("imagery")], ("contradicted",)),
    ([refutes("kcna")], [unverified("video"), verified("testimony")], ("contradicted",)),
])
def test_flags(world: World, reports: list, evidence: list, flags: tuple) -> None:
    assert world.assess(*reports, evidence=evidence).flags == flags


def test_gaps_say_what_collection_would_raise_the_grade(world: World) -> None:
    result = world.assess(supports("defector", access="second_hand"), evidence=[unverified("testimony")])
    assert result.gaps == (
        "no first-hand source",
        "no source of proven reliability (A-C)",
        "a second independent source (not relaying defector)",
        "no verified evidence",
        "no verified official record",
        "no verified imagery",
        "no verified video",
    )


def test_a_well_supported_claim_has_few_gaps(world: World) -> None:
    result = world.assess(supports("record", access="first_hand"), supports("nis", access="first_hand"), evidence=STRONG_EVIDENCE)
    assert result.gaps == ("no verified video", "no verified statistics")


# --- the worked example, end to end -----------------------------------------------------------

def test_the_example_file() -> None:
    claims = load_claims(EXAMPLE, DEFAULT)
    results = assess(claims, DEFAULT)
    assert [r.id for r in results] == [c.id for c in claims.claims]
    by_id = {r.id: r for r in results}
    assert by_id["desertions-rising"].admiralty == "B4"
    assert {"circular_reporting", "contradicted"} <= set(by_id["desertions-rising"].flags)
    assert by_id["fence-minefield-breaches"].admiralty == "B2"
    assert by_id["elite-unit-losses"].reliability == "F"
    assert (by_id["provocations-or-cyberattacks"].credibility, by_id["provocations-or-cyberattacks"].likelihood) == (6, None)
    for result in results:
        assert 0 <= result.score <= 100
        assert (result.likelihood is None) == (result.credibility == 6)
        assert result.likelihood is None or result.likelihood in LIKELIHOOD_TERMS


def test_assess_is_deterministic() -> None:
    claims = load_claims(EXAMPLE, DEFAULT)
    assert assess(claims, DEFAULT) == assess(claims, DEFAULT)
