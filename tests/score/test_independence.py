"""Independent lines of reporting (CONTRACT.md section 1): tracing, owners, matching."""
from __future__ import annotations

import itertools

import pytest

from conftest import World, refutes, supports
from credcheck.score.independence import Tracer, match
from credcheck.model import Report, Source


def corroboration(result):  # the criterion the contract's examples are about
    return result.criteria["corroboration"]


# --- the contract's must-shows --------------------------------------------------

def test_two_relays_of_the_first_report_score_as_one_report_and_are_circular() -> None:
    world = World().source("wire", "wire_service").source("daily-a").source("daily-b")
    alone = world.assess(supports("wire"))
    relayed = world.assess(supports("wire"), supports("daily-a", via=["wire"]), supports("daily-b", via=["wire"]))
    assert corroboration(relayed).decibans == corroboration(alone).decibans == 0
    assert corroboration(relayed).extra["independent_supporting"] == 1
    assert relayed.probability == alone.probability
    assert "circular_reporting" in relayed.flags and "circular_reporting" not in alone.flags


def test_the_reasons_say_which_report_collapsed_into_which_original() -> None:
    world = World().source("wire", "wire_service").source("daily-a").source("daily-b")
    result = world.assess(supports("wire"), supports("daily-a", via=["wire"]), supports("daily-b", via=["wire"]))
    assert corroboration(result).reasons == (
        "3 reports: 1 independent supporting line, 0 refuting: +0.0 dB",
        "wire: the strongest line, counted under source",
        "daily-a collapsed into wire (relays wire): not a second source",
        "daily-b collapsed into wire (relays wire): not a second source",
    )
    assert [(c.report, c.into) for c in result.collapsed] == [(1, ("wire",)), (2, ("wire",))]


def test_an_outlet_derived_from_two_independent_originals_is_one_line() -> None:
    world = World().source("ngo-x", "ngo").source("scholar-y", "academic").source("outlet", derived_from=["ngo-x", "scholar-y"])
    result = world.assess(supports("outlet"))
    assert corroboration(result).extra["independent_supporting"] == 1
    assert "single_source" in result.flags and "circular_reporting" not in result.flags


def test_that_outlet_relaying_one_original_beside_a_direct_report_of_the_other_is_two_lines() -> None:
    world = World().source("ngo-x", "ngo").source("scholar-y", "academic").source("outlet", derived_from=["ngo-x", "scholar-y"])
    result = world.assess(supports("outlet", via=["ngo-x"]), supports("scholar-y"))
    assert corroboration(result).extra["independent_supporting"] == 2
    assert corroboration(result).reasons[1:3] == ("outlet relaying ngo-x: the strongest line, counted under source",
                                                  "+2.5 dB scholar-y (C, access unknown)")
    assert "circular_reporting" not in result.flags


def test_an_outlet_citing_two_originals_beside_a_direct_report_of_one_is_two_lines() -> None:
    """The matching moves the outlet to the original nobody else reports."""
    world = World().source("ngo-x", "ngo").source("scholar-y", "academic").source("outlet", derived_from=["ngo-x", "scholar-y"])
    result = world.assess(supports("scholar-y"), supports("outlet"))
    assert [(line.report, line.original) for line in result.supporting] == [(0, "scholar-y"), (1, "ngo-x")]


def test_three_outlets_relaying_one_original_are_one_line() -> None:
    world = World().source("nis", "intelligence_service").source("a").source("b").source("c")
    result = world.assess(*(supports(name, via=["nis"]) for name in "abc"))
    assert corroboration(result).extra["independent_supporting"] == 1
    assert "circular_reporting" in result.flags


# --- tracing ---------------------------------------------------------------------

def test_derived_from_is_followed_at_any_depth() -> None:
    world = (World().source("kcna", "state_media").source("wire", derived_from=["kcna"])
             .source("daily", derived_from=["wire"]).source("blog", "social_media", derived_from=["daily"]))
    result = world.assess(supports("kcna"), supports("blog"))
    assert corroboration(result).extra["independent_supporting"] == 1
    assert corroboration(result).reasons[2] == "blog collapsed into kcna (derived from daily): not a second source"


def test_a_report_without_via_from_a_derived_source_counts_for_what_it_derives_from() -> None:
    world = World().source("wire", "wire_service").source("daily", derived_from=["wire"])
    (line,) = world.assess(supports("daily")).supporting
    assert (line.original, line.members, line.letter) == ("wire", ("wire",), "B")


def test_via_replaces_the_reports_own_source() -> None:
    world = World().source("defector", "defector_testimony").source("outlet", "news_outlet")
    (line,) = world.assess(supports("outlet", via=["defector"])).supporting
    assert (line.original, line.letter) == ("defector", "D")


def test_via_is_traced_on_through_derived_from() -> None:
    world = World().source("orig", "ngo").source("wire", derived_from=["orig"]).source("daily")
    result = world.assess(supports("orig"), supports("daily", via=["wire"]))
    assert corroboration(result).extra["independent_supporting"] == 1


def test_tracer_merges_owners_and_keeps_members() -> None:
    sources = {
        "nis": Source("nis", "NIS", "intelligence_service", owner="ROK"),
        "jcs": Source("jcs", "JCS", "official_on_record", owner="ROK"),
        "wire": Source("wire", "Wire", "wire_service", derived_from=("nis", "jcs")),
    }
    tracer = Tracer(sources)
    assert tracer.originals_of_source("wire") == {"owner:ROK": ("nis", "jcs")}
    assert tracer.originals_of_report(Report("wire", via=("jcs",))) == {"owner:ROK": ("jcs",)}


def test_a_diamond_of_derivations_traces_each_original_once() -> None:
    sources = {
        "a": Source("a", "A", "ngo"),
        "b": Source("b", "B", "news_outlet", derived_from=("a",)),
        "c": Source("c", "C", "news_outlet", derived_from=("a", "b")),
        "d": Source("d", "D", "news_outlet", derived_from=("b", "c")),
    }
    assert Tracer(sources).originals_of_source("d") == {"a": ("a",)}


def test_a_very_long_derivation_chain_does_not_overflow_the_stack() -> None:
    world = World().source("s0", "wire_service")
    for i in range(1, 5000):
        world.source(f"s{i}", derived_from=[f"s{i - 1}"])
    (line,) = world.assess(supports("s4999")).supporting
    assert line.original == "s0"


def test_the_tracer_refuses_a_cycle_it_is_handed_directly() -> None:
    sources = {"a": Source("a", "A", "ngo", derived_from=("b",)), "b": Source("b", "B", "ngo", derived_from=("a",))}
    with pytest.raises(ValueError, match="derived_from cycle"):
        Tracer(sources).originals_of_source("a")


# --- owners ----------------------------------------------------------------------

def test_sources_with_one_owner_are_one_original() -> None:
    world = (World().source("nis", "intelligence_service", reliability="A", owner="ROK government")
             .source("jcs", "official_on_record", owner="ROK government"))
    result = world.assess(supports("nis"), supports("jcs"))
    assert corroboration(result).extra["independent_supporting"] == 1
    assert "circular_reporting" in result.flags
    assert corroboration(result).reasons[2] == (
        "jcs collapsed into ROK government (same owner: ROK government; counted through nis): not a second source"
    )


def test_owner_merging_is_not_transitive_through_names() -> None:
    world = World().source("a", "ngo", owner="X").source("b", "ngo", owner="Y")
    assert corroboration(world.assess(supports("a"), supports("b"))).extra["independent_supporting"] == 2


def test_an_owned_original_reached_through_derived_from_merges_too() -> None:
    world = (World().source("nis", "intelligence_service", owner="ROK").source("jcs", "official_on_record", owner="ROK")
             .source("wire", derived_from=["jcs"]))
    assert corroboration(world.assess(supports("nis"), supports("wire"))).extra["independent_supporting"] == 1


def test_of_two_reports_of_one_original_the_stronger_holds_the_line_whatever_the_order() -> None:
    world = (World().source("nis", "intelligence_service", owner="ROK").source("jcs", "official_on_record", owner="ROK"))
    for reports in itertools.permutations([supports("nis"), supports("jcs", access="first_hand")]):
        (line,) = world.assess(*reports).supporting
        assert (line.members, line.holds_up, line.decibans) == (("jcs",), 0.85, pytest.approx(7.53, abs=0.01))


# --- the reliability letter --------------------------------------------------------

def test_the_letter_is_the_best_among_counted_originals() -> None:
    world = World().source("kcna", "state_media").source("ngo", "ngo").source("nis", "intelligence_service", reliability="A")
    assert world.assess(supports("kcna"), supports("ngo")).reliability == "C"
    assert world.assess(supports("kcna"), supports("ngo"), supports("nis")).reliability == "A"


def test_the_letter_is_f_without_supporting_lines() -> None:
    world = World().source("nis", "intelligence_service", reliability="A")
    assert world.assess().reliability == "F"
    assert world.assess(refutes("nis")).reliability == "F"


def test_the_letter_comes_from_the_original_not_the_relay() -> None:
    world = World().source("wire", "wire_service").source("defector", "defector_testimony")
    assert world.assess(supports("wire", via=["defector"])).reliability == "D"


def test_an_analysts_rating_overrides_the_type_letter() -> None:
    world = World().source("kcna", "state_media", reliability="C")
    assert world.assess(supports("kcna")).reliability == "C"


def test_an_owner_group_takes_its_best_members_letter() -> None:
    world = (World().source("nis", "intelligence_service", reliability="A", owner="ROK")
             .source("anon", "anonymous_official", owner="ROK").source("wire", derived_from=["nis", "anon"]))
    (line,) = world.assess(supports("wire")).supporting
    assert (line.original, line.members, line.letter) == ("ROK", ("nis", "anon"), "A")


def test_a_report_citing_several_originals_counts_for_its_best_whatever_the_via_order() -> None:
    world = World().source("scholar", "academic").source("nis", "intelligence_service", reliability="B").source("outlet")
    for via in (["scholar", "nis"], ["nis", "scholar"]):
        result = world.assess(supports("outlet", via=via))
        assert (result.supporting[0].original, result.reliability) == ("nis", "B")


# --- refutation is counted the same way --------------------------------------------

def test_refuting_reports_are_matched_like_supporting_ones() -> None:
    world = (World().source("claimant", "ngo").source("kcna", "state_media", owner="DPRK")
             .source("rodong", "state_media", owner="DPRK").source("relay", derived_from=["kcna"]))
    result = world.assess(supports("claimant"), refutes("kcna"), refutes("rodong"), refutes("relay"))
    assert corroboration(result).extra == {"independent_supporting": 1, "independent_refuting": 1}
    assert [line.original for line in result.refuting] == ["DPRK"]
    assert "circular_reporting" not in result.flags  # collapsed refutations do not make a claim circular


# --- the matching itself ---------------------------------------------------------------

@pytest.mark.parametrize("originals, pairs, collapsed", [
    ([], (), ()),
    ([["a"], ["a"], ["a"]], ((0, "a"),), ((1, ("a",)), (2, ("a",)))),
    ([["a", "b"]], ((0, "a"),), ()),
    ([["a", "b"], ["a"]], ((0, "b"), (1, "a")), ()),                       # an augmenting path
    ([["a", "b"], ["a", "b"], ["a", "b"]], ((0, "b"), (1, "a")), ((2, ("a", "b")),)),
    ([["a"], ["b"], ["a", "b", "c"]], ((0, "a"), (1, "b"), (2, "c")), ()),
])
def test_match(originals: list[list[str]], pairs: tuple, collapsed: tuple) -> None:
    result = match(originals)
    assert (result.pairs, result.collapsed) == (pairs, collapsed)


def test_match_is_maximum_on_a_chain_that_needs_long_augmenting_paths() -> None:
    n = 2000
    originals = [[f"o{i}", f"o{i + 1}"] for i in range(n)]  # report i may take o_i or o_(i+1)
    originals.append(["o0"])
    assert len(match(originals).pairs) == n + 1
