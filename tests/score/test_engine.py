"""assess: weight of evidence per line and item, the probability, the grade, confidence, rules and the contract."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Callable

import pytest

from conftest import DEFAULT, World, neutral, refutes, supports, unverified, verified
from credcheck import assess, load_claims, load_rubric
from credcheck.model import LIKELIHOOD_TERMS, likelihood_term
from credcheck.score.engine import logistic

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "dmz-desertions" / "claims.yaml"
HOLDS_UP = DEFAULT.criteria["source"]["holds_up"]
PRIOR = DEFAULT.prior


def db(letter: str, access: float = 1.0) -> float:
    """What a line of this letter weighs: 10 log10(r / (1 - r)), times its access factor."""
    r = HOLDS_UP[letter]
    return 10 * math.log10(r / (1 - r)) * access


@pytest.fixture
def world() -> World:
    """Sources for most tests: one of each strength."""
    return (World()
            .source("record", "official_record")                       # A
            .source("wire", "wire_service")                            # B
            .source("nis", "intelligence_service", reliability="A")    # A (analyst's rating)
            .source("ngo", "ngo", reliability="B")                     # B (analyst's rating)
            .source("witness", "eyewitness")                           # C
            .source("daily", "news_outlet")                            # C
            .source("weekly", "news_outlet")                           # C
            .source("kcna", "state_media")                             # E
            .source("defector", "defector_testimony"))                 # D


STRONG_EVIDENCE = [verified("imagery"), verified("official_record"), verified("document")]


# --- the weight of one line: letter and access -----------------------------------------

def test_a_line_weighs_the_log_odds_its_letter_holds_up_with(world: World) -> None:
    result = world.assess(supports("wire", access="first_hand"))
    assert result.supporting[0].decibans == pytest.approx(db("B"))
    assert result.decibans == pytest.approx(PRIOR + db("B"), abs=0.005)
    assert result.probability == round(logistic(PRIOR + db("B")), 3)
    assert result.score == round(100 * logistic(PRIOR + db("B")), 1)


@pytest.mark.parametrize("access, factor", [("first_hand", 1.0), ("second_hand", 0.8), ("unknown", 0.8)])
def test_access_shares_of_a_lines_weight(world: World, access: str, factor: float) -> None:
    assert world.assess(supports("wire", access=access)).supporting[0].decibans == pytest.approx(db("B", factor))


def test_unknown_access_never_counts_for_less_than_second_hand(world: World) -> None:
    unknown = world.assess(supports("wire", access="unknown")).probability
    assert unknown >= world.assess(supports("wire", access="second_hand")).probability


def test_an_analysts_rating_replaces_the_type_letter(world: World) -> None:
    result = world.assess(supports("ngo", access="first_hand"))
    assert result.reliability == "B"
    assert result.supporting[0].decibans == pytest.approx(db("B"))
    assert result.criteria["source"].reasons[1] == "ngo: B (analyst) holds up 85%: 7.5 dB, first-hand x1 = +7.5 dB"


def test_one_fair_line_and_nothing_verified_is_roughly_even_chance(world: World) -> None:
    for access in ("first_hand", "second_hand", "unknown"):
        for evidence in ([], [unverified(t) for t in DEFAULT.evidence_types]):
            result = world.assess(supports("daily", access=access), evidence=evidence)
            assert result.likelihood == "roughly even chance", (access, evidence)
            assert 0.45 < result.probability <= 0.55
            assert result.confidence.level == "low"


def test_the_source_criterion_counts_the_strongest_line(world: World) -> None:
    result = world.assess(supports("daily", access="first_hand"), supports("wire", access="second_hand"))
    source = result.criteria["source"]
    assert source.decibans == pytest.approx(db("B", 0.8))  # the wire's 6.0 dB beats the daily's 3.1
    assert source.reasons[0] == "the strongest supporting line: +6.0 dB"
    assert source.reasons[1].endswith(": under corroboration")


def test_source_without_supporting_lines(world: World) -> None:
    assert world.assess(refutes("wire")).criteria["source"].reasons == ("no supporting report: no source to weigh",)
    assert world.assess().criteria["source"].reasons == ("no reports: no source to weigh",)


def test_source_gaps(world: World) -> None:
    assert world.assess(supports("defector", access="second_hand")).criteria["source"].gaps == (
        "a first-hand source", "a source of proven reliability (A-C)",
    )
    assert world.assess(supports("wire", access="first_hand")).criteria["source"].gaps == ()


# --- corroboration: further lines and refutations -------------------------------------------

def test_further_lines_add_their_weight_under_corroboration(world: World) -> None:
    result = world.assess(supports("wire", access="first_hand"), supports("witness", access="first_hand"))
    assert result.criteria["corroboration"].decibans == pytest.approx(db("C"))
    assert result.decibans == pytest.approx(PRIOR + db("B") + db("C"), abs=0.005)


def test_each_further_line_of_one_type_counts_less(world: World) -> None:
    result = world.assess(supports("daily", access="first_hand"), supports("weekly", access="first_hand"))
    factor = DEFAULT.criteria["corroboration"]["same_type_factor"]
    assert [line.discount for line in result.supporting] == [1.0, factor]
    assert result.criteria["corroboration"].decibans == pytest.approx(db("C") * factor)
    assert result.criteria["corroboration"].reasons[2] == "+2.5 dB weekly (C, first-hand; x0.80 after other news_outlet lines)"


def test_a_refuting_line_takes_its_weight_away(world: World) -> None:
    result = world.assess(supports("wire", access="first_hand"), refutes("ngo", access="first_hand"))
    assert result.refuting[0].decibans == pytest.approx(-db("B"))
    assert result.decibans == pytest.approx(PRIOR, abs=0.005)
    assert result.criteria["corroboration"].extra == {"independent_supporting": 1, "independent_refuting": 1}


def test_an_unreliable_denial_moves_the_odds_far_less_than_a_usually_reliable_one(world: World) -> None:
    alone = world.assess(supports("wire", access="first_hand")).probability
    by_e = world.assess(supports("wire", access="first_hand"), refutes("kcna", access="first_hand")).probability
    by_b = world.assess(supports("wire", access="first_hand"), refutes("ngo", access="first_hand")).probability
    assert alone - by_e < 0.03 < alone - by_b
    assert by_e > 0.7 > 0.5 > by_b


def test_the_refuting_scale(rubric_file: Callable, world: World) -> None:
    world.rubric = load_rubric(rubric_file("team", "extends: default\ncriteria: {corroboration: {refuting_scale: 2}}\n"))
    result = world.assess(supports("wire", access="first_hand"), refutes("witness", access="first_hand"))
    assert result.refuting[0].decibans == pytest.approx(-2 * db("C"))


def test_neutral_reports_are_no_line(world: World) -> None:
    plain = world.assess(supports("wire", access="first_hand"))
    relayed = world.assess(supports("wire", access="first_hand"), neutral("daily"), neutral("kcna"))
    assert relayed.probability == plain.probability
    assert (len(relayed.supporting), len(relayed.refuting)) == (1, 0)
    assert relayed.criteria["corroboration"].reasons[-1] == (
        "neutral, not a line (relays the claim without endorsing or denying it): daily, kcna")
    assert "circular_reporting" not in relayed.flags


def test_a_claim_only_neutral_reports_relay_is_judged_at_the_prior(world: World) -> None:
    result = world.assess(neutral("daily"))
    assert result.probability == round(logistic(PRIOR), 3)
    assert result.credibility != 6 and result.likelihood == likelihood_term(result.score)
    assert "no report endorses or denies the claim" in result.confidence.reasons


# --- verifiability -----------------------------------------------------------------------------

def test_verified_types_add_up_and_only_the_strongest_unverified_item_counts(world: World) -> None:
    result = world.assess(supports("wire"), evidence=[unverified("imagery"), verified("imagery"), unverified("testimony"),
                                                      unverified("official_record"), unverified("testimony")])
    verifiability = result.criteria["verifiability"]
    assert verifiability.decibans == pytest.approx(10 + 0.15)
    assert verifiability.reasons == (
        "5 evidence items: +10.2 dB", "imagery (verified): +10.0 dB",
        "testimony (unverified): 0 dB, only the strongest unverified item counts",
        "official_record (unverified): +0.1 dB",
        "2 more items of a type already counted: 0 dB",
    )


def test_verifiability_gaps_name_the_strongest_missing_types(world: World) -> None:
    assert world.assess(supports("wire"), evidence=[verified("official_record")]).criteria["verifiability"].gaps == (
        "verified imagery", "verified video", "verified document",
    )
    assert world.assess(supports("wire"), evidence=[unverified("testimony")]).criteria["verifiability"].gaps == (
        "any verified evidence", "verified official record", "verified imagery", "verified video",
    )


# --- the sum and where it lands ---------------------------------------------------------------------

def test_the_probability_is_where_prior_and_weights_land(world: World) -> None:
    result = world.assess(supports("wire", access="first_hand"), supports("witness"), refutes("defector"),
                          evidence=[verified("document")])
    total = PRIOR + db("B") + db("C", 0.8) - db("D", 0.8) + 8
    assert result.decibans == pytest.approx(total, abs=0.005)
    assert sum(c.decibans for c in result.criteria.values()) == pytest.approx(total - PRIOR)
    assert result.probability == round(logistic(total), 3)
    assert result.likelihood == likelihood_term(result.score)


def test_the_weighing_reads_line_by_line(world: World) -> None:
    result = world.assess(supports("wire", access="first_hand"), refutes("kcna"), evidence=[unverified("statistics")])
    assert result.weighing == (
        "prior -2.5 dB: odds 1 to 1.8",
        "+7.5 dB wire (B, first-hand)",
        "-0.4 dB kcna (E, access unknown, refutes)",
        "+0.1 dB evidence (1 item, 0 verified)",  # +0.05: the tenths printed add up to the sum printed
        f"sum +4.7 dB: odds 2.9 to 1, probability {result.probability:.2f}, likely",
    )


@pytest.mark.parametrize("values, total, shown", [
    ([-2.5, 7.53, -0.42, 0.05], 4.66, [-2.5, 7.5, -0.4, 0.1]),
    ([3.64, 3.64], 7.28, [3.7, 3.6]),  # one by one, +3.6 and +3.6 would sit over a sum of +7.3
    ([1.0, 2.0], 3.0, [1.0, 2.0]),
    ([-3.64, -3.64], -7.28, [-3.7, -3.6]),
])
def test_printed_terms_add_up_to_the_printed_sum(values: list[float], total: float, shown: list[float]) -> None:
    from credcheck.score.engine import tenths_adding_up
    result = tenths_adding_up(values, total)
    assert result == shown
    assert round(sum(result), 1) == round(total, 1)


def test_the_weighing_adds_up_on_the_page_for_every_example_claim() -> None:
    from credcheck import load_claims
    from credcheck.score.engine import assess
    path = Path(__file__).resolve().parents[2] / "examples" / "dmz-desertions" / "claims.yaml"
    rubric = load_rubric("default")
    for a in assess(load_claims(path, rubric), rubric):
        if not a.weighing:
            continue
        terms = [float(line.split(" dB")[0].split()[-1]) for line in a.weighing[:-1]]
        total = float(a.weighing[-1].split()[1])
        assert round(sum(terms), 1) == total, (a.id, a.weighing)


def test_the_prior_is_the_rubrics(rubric_file: Callable, world: World) -> None:
    world.rubric = load_rubric(rubric_file("team", "extends: default\nprior: 0\n"))
    assert world.assess(supports("kcna", access="first_hand")).probability == round(logistic(db("E")), 3)


@pytest.mark.parametrize("percent, term", [(0, "almost no chance"), (5, "almost no chance"), (5.1, "very unlikely"),
                                           (45, "unlikely"), (45.1, "roughly even chance"), (55, "roughly even chance"),
                                           (55.1, "likely"), (95, "very likely"), (99.9, "almost certain"),
                                           (100, "almost certain")])
def test_the_term_is_the_one_whose_range_holds_the_probability(percent: float, term: str) -> None:
    assert likelihood_term(percent) == term


# --- confidence ----------------------------------------------------------------------------------

def test_one_line_is_low_confidence_however_strong(world: World) -> None:
    result = world.assess(supports("record", access="first_hand"))
    assert result.likelihood == "very likely" and result.confidence.level == "low"
    assert result.confidence.reasons[:2] == (
        "1 independent supporting line; 1 kind of source or check, weighing 12.8 dB together",
        "moderate would need 2 lines or checks weighing 7.5 dB",
    )


def test_a_line_and_a_verified_check_is_moderate(world: World) -> None:
    assert world.assess(supports("wire", access="first_hand"), evidence=[verified("document")]).confidence.level == "moderate"


def test_many_good_lines_of_several_kinds_are_high(world: World) -> None:
    result = world.assess(supports("record", access="first_hand"), supports("wire", access="first_hand"),
                          supports("witness", access="first_hand"))
    assert result.confidence.level == "high"


def test_several_weak_lines_of_one_kind_stay_low(world: World) -> None:
    world.source("third").source("fourth")
    result = world.assess(*(supports(s) for s in ("daily", "weekly", "third", "fourth")))
    assert result.confidence.level == "low"


def test_a_refuting_line_adds_to_what_is_known(world: World) -> None:
    one = world.assess(supports("wire", access="first_hand"))
    contested = world.assess(supports("wire", access="first_hand"), refutes("ngo", access="first_hand"))
    assert (one.confidence.level, contested.confidence.level) == ("low", "moderate")
    assert "the lines disagree: the probability weighs them against each other" in contested.confidence.reasons


# --- grades and rules ---------------------------------------------------------------------------------

def test_no_reports_is_6_with_no_probability(world: World) -> None:
    result = world.assess()
    assert (result.credibility, result.likelihood, result.probability, result.reliability) == (6, None, None, "F")
    assert result.flags == ("no_reports", "no_evidence")
    assert [h.id for h in result.rules if h.changed] == ["no-reports"]
    assert result.weighing == () and result.decibans is None


def test_no_reports_is_6_even_with_verified_evidence(world: World) -> None:
    result = world.assess(evidence=STRONG_EVIDENCE)
    assert (result.credibility, result.likelihood, result.probability, result.score) == (6, None, None, 0.0)


def test_two_independent_lines_and_strong_evidence_confirm(world: World) -> None:
    result = world.assess(supports("record", access="first_hand"), supports("nis", access="first_hand"), evidence=STRONG_EVIDENCE)
    assert (result.admiralty, result.likelihood, result.confidence.level) == ("A1", "almost certain", "high")
    assert [h.id for h in result.rules] == []


def test_one_line_is_never_confirmed(world: World) -> None:
    result = world.assess(supports("record", access="first_hand"), evidence=STRONG_EVIDENCE)
    assert result.probability > 0.95 and result.credibility == 2


def test_one_line_relayed_three_times_is_never_confirmed(world: World) -> None:
    world.source("a").source("b").source("c")
    result = world.assess(supports("nis", access="first_hand"), *(supports(s, via=["nis"], access="first_hand") for s in "abc"),
                          evidence=STRONG_EVIDENCE)
    assert result.credibility == 2 and "circular_reporting" in result.flags


def test_an_independent_refutation_prevents_confirmation_but_leaves_the_probability(world: World) -> None:
    result = world.assess(supports("record", access="first_hand"), supports("nis", access="first_hand"),
                          supports("wire", access="first_hand"), refutes("kcna"), evidence=STRONG_EVIDENCE)
    assert result.credibility == 2 and result.likelihood == "almost certain"
    assert result.score == result.raw_score  # rules move the grade, never the probability
    assert "contradicted" in result.flags


def test_the_credibility_code_follows_the_probability(world: World) -> None:
    assert world.assess(supports("wire", access="first_hand")).credibility == 2           # likely
    assert world.assess(supports("daily", access="first_hand")).credibility == 3          # roughly even chance
    assert world.assess(supports("kcna", access="first_hand")).credibility == 4           # unlikely
    assert world.assess(refutes("wire", access="first_hand")).credibility == 5            # very unlikely


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
    result = world.assess(supports("wire", access="second_hand"))
    assert result.flags[-1] == "no_first_hand" and result.credibility == 4
    assert result.likelihood == "likely"  # the grade moved; the probability did not
    assert "no_first_hand" not in world.assess(supports("wire", access="first_hand")).flags


def test_rules_may_compare_the_probability(rubric_file: Callable, world: World) -> None:
    world.rubric = load_rubric(rubric_file("team", """\
        extends: default
        rules:
          - {id: doubt-the-middle, when: {probability: {lt: 0.6}, neutral_reports: {ge: 1}}, cap: 4, reason: only relayed}
        """))
    assert world.assess(supports("daily"), neutral("weekly")).credibility == 4
    assert world.assess(supports("daily")).credibility == 3


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
bands:
  credibility:
    - {code: 1, min: 10, max: 100}
    - {code: 2, min: 8, max: 10}
    - {code: 3, min: 6, max: 8}
    - {code: 4, min: 4, max: 6}
    - {code: 5, min: 0, max: 4}
"""


def test_a_rubric_cannot_grade_an_unreported_claim(rubric_file: Callable, world: World) -> None:
    world.rubric = load_rubric(rubric_file("lax", LAX))
    result = world.assess(evidence=STRONG_EVIDENCE)
    assert (result.credibility, result.likelihood, result.probability) == (6, None, None)
    assert result.rules[-1].id == "contract:no-reports"


def test_a_rubric_cannot_confirm_a_single_line(rubric_file: Callable, world: World) -> None:
    world.rubric = load_rubric(rubric_file("lax", LAX))
    result = world.assess(supports("wire"))
    assert result.credibility == 2
    assert result.rules[-1].id == "contract:confirmed-needs-two-lines"


def test_a_rule_that_sets_6_takes_the_estimate_away(rubric_file: Callable, world: World) -> None:
    world.rubric = load_rubric(rubric_file("team", """\
        extends: default
        rules:
          - {id: hold, when: {independent_supporting: 0}, set: 6, reason: nobody endorses it}
        """))
    result = world.assess(refutes("wire"))
    assert (result.credibility, result.probability, result.likelihood) == (6, None, None)


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
        "a first-hand source",
        "a source of proven reliability (A-C)",
        "a second independent source (not relaying defector)",
        "any verified evidence",
        "verified official record",
        "verified imagery",
        "verified video",
    )


def test_a_well_supported_claim_has_few_gaps(world: World) -> None:
    result = world.assess(supports("record", access="first_hand"), supports("nis", access="first_hand"), evidence=STRONG_EVIDENCE)
    assert result.gaps == ("verified video",)


# --- the worked example, end to end -----------------------------------------------------------

def test_the_example_file() -> None:
    claims = load_claims(EXAMPLE, DEFAULT)
    results = assess(claims, DEFAULT)
    assert [r.id for r in results] == [c.id for c in claims.claims]
    by_id = {r.id: r for r in results}
    headline = by_id["desertions-rising"]
    # one second-hand B line, denied by E-rated state media: likely, with low confidence
    assert (headline.admiralty, headline.likelihood, headline.confidence.level) == ("B2", "likely", "low")
    assert {"circular_reporting", "contradicted"} <= set(headline.flags)
    assert by_id["fence-minefield-breaches"].admiralty == "B1"
    assert by_id["elite-unit-losses"].reliability == "F"
    assert (by_id["provocations-or-cyberattacks"].credibility, by_id["provocations-or-cyberattacks"].likelihood) == (6, None)
    for result in results:
        assert 0 <= result.score <= 100
        assert (result.likelihood is None) == (result.credibility == 6) == (result.probability is None)
        assert result.likelihood is None or result.likelihood in LIKELIHOOD_TERMS


def test_assess_is_deterministic() -> None:
    claims = load_claims(EXAMPLE, DEFAULT)
    assert assess(claims, DEFAULT) == assess(claims, DEFAULT)
