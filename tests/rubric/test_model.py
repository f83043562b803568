"""Rubrics: the default, `extends`, and every way a team's rubric can be wrong."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from credcheck import CredcheckError, load_rubric
from credcheck.rubric.conditions import FACTS, evaluate, parse_condition
from credcheck.errors import Problems as ProblemList
from credcheck.resources import rubrics_dir
from credcheck.rubric.model import band_for
from credcheck.load.schema import Ctx
from credcheck.load.located_yaml import LList, LMap, load_yaml

RubricProblems = Callable[..., list[str]]
DEFAULT_FILE = rubrics_dir() / "default.yaml"

CONTRACT_SOURCE_TYPES = {
    "official_record", "official_on_record", "anonymous_official", "intelligence_service", "wire_service",
    "news_outlet", "state_media", "defector_testimony", "eyewitness", "ngo", "academic", "social_media", "unknown",
}
CONTRACT_EVIDENCE_TYPES = {"imagery", "video", "document", "official_record", "statistics", "named_witness", "testimony"}

def credibility_bands(*lines: str) -> str:
    return "extends: default\nbands:\n  credibility:\n" + "".join(f"    - {line}\n" for line in lines)


# --- the default rubric ---------------------------------------------------------

def test_default_rubric_loads() -> None:
    rubric = load_rubric("default")
    assert rubric.name == "default"
    assert rubric.version == "2.0.0"
    assert list(rubric.criteria) == ["source", "corroboration", "verifiability", "language"]
    assert [r.id for r in rubric.rules] == ["no-reports", "confirmed-needs-two-lines"]
    assert [b.value for b in rubric.credibility_bands] == [1, 2, 3, 4, 5]
    assert rubric.prior == -2.5
    assert set(rubric.confidence) == {"moderate", "high"}
    assert len(rubric.sha256) == 64


def test_the_default_letters_hold_up_in_order_and_one_fair_line_is_even_odds() -> None:
    import math
    rubric = load_rubric("default")
    held = rubric.criteria["source"]["holds_up"]
    assert held["A"] > held["B"] > held["C"] > held["D"] > held["F"] > held["E"] >= 0.5
    access = rubric.criteria["source"]["access"]
    assert access["unknown"] >= access["second_hand"]
    fair = 10 * math.log10(held["C"] / (1 - held["C"])) * access["unknown"]
    assert abs(rubric.prior + fair) < 0.05


def test_default_rubric_defines_the_contract_vocabulary() -> None:
    rubric = load_rubric("default")
    assert CONTRACT_SOURCE_TYPES <= set(rubric.source_types)
    assert CONTRACT_EVIDENCE_TYPES <= set(rubric.evidence_types)


def _numbers(node: Any) -> list[int]:
    """The line of every number in a located YAML tree."""
    lines: list[int] = []
    if isinstance(node, LMap):
        for key, value in node.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                lines.append(node.value_mark(key).line)
            lines += _numbers(value)
    elif isinstance(node, LList):
        for index, value in enumerate(node):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                lines.append(node.item_mark(index).line)
            lines += _numbers(value)
    return lines


def test_every_number_in_the_default_rubric_has_a_comment() -> None:
    text = DEFAULT_FILE.read_text(encoding="utf-8")
    lines = text.splitlines()
    tree = load_yaml(text.encode(), str(DEFAULT_FILE))
    tree.pop("examples", None)  # examples are test data for `rubric test`, not tuning numbers
    numbered = sorted(set(_numbers(tree)))
    assert len(numbered) > 30  # the walk really found the tables
    uncommented = [f"{n}: {lines[n - 1].strip()}" for n in numbered if "#" not in lines[n - 1]]
    assert uncommented == []


def test_every_line_of_the_default_rubric_with_a_digit_has_a_comment() -> None:
    """The same, read as text: only the name, version and description lines are exempt."""
    lines = DEFAULT_FILE.read_text(encoding="utf-8").split("\nexamples:")[0].splitlines()
    bare = [line for line in lines
            if any(c.isdigit() for c in line) and "#" not in line
            and not line.startswith(("name:", "version:", "description:"))]
    assert bare == []


def test_default_rubric_examples_all_pass() -> None:
    """`examples` pin the rubric's intent for `credcheck rubric test`; they are not inherited (see extends tests)."""
    from credcheck.score.examples import run_examples
    outcomes = run_examples(load_rubric("default"))
    assert len(outcomes) >= 10
    assert [o for o in outcomes if not o.passed] == []


# --- extends ------------------------------------------------------------------------

TEAM = """\
extends: default
name: team
version: "2"
criteria:
  source:
    holds_up: {D: 0.55}               # this team trusts not-usually-reliable sources less
    types:
      defector_testimony: {reliability: E}
rules:
  - id: confirmed-needs-two-lines     # by id: only the grade changes
    cap: 3
  - id: no-reports
    enabled: false
  - id: no-first-hand
    when: {first_hand_lines: 0, independent_supporting: {ge: 1}}
    cap: 3
    flag: no_first_hand
    reason: nobody with first-hand access reports it
"""


def test_extends_overrides_a_number_and_inherits_the_rest(rubric_file: Callable) -> None:
    team = load_rubric(rubric_file("team", TEAM))
    default = load_rubric("default")
    assert team.criteria["source"]["holds_up"] == {**default.criteria["source"]["holds_up"], "D": 0.55}
    assert team.criteria["source"]["types"]["defector_testimony"] == {"reliability": "E"}
    assert team.criteria["source"]["types"]["wire_service"] == default.criteria["source"]["types"]["wire_service"]
    assert team.criteria["verifiability"] == default.criteria["verifiability"]
    assert (team.name, team.version) == ("team", "2")
    assert (team.credibility_bands, team.prior, team.confidence) == (default.credibility_bands, default.prior, default.confidence)
    assert [Path(f).name for f in team.files] == ["default.yaml", "team.yaml"]
    assert team.sha256 != default.sha256


def test_extends_overrides_a_rule_by_id_disables_one_and_adds_one(rubric_file: Callable) -> None:
    rules = {r.id: r for r in load_rubric(rubric_file("team", TEAM)).rules}
    default = {r.id: r for r in load_rubric("default").rules}
    assert list(rules) == ["confirmed-needs-two-lines", "no-first-hand"]
    changed = rules["confirmed-needs-two-lines"]
    assert (changed.effect, changed.credibility) == ("cap", 3)
    assert changed.when == default["confirmed-needs-two-lines"].when  # inherited
    assert changed.reason == default["confirmed-needs-two-lines"].reason
    assert rules["no-first-hand"].flag == "no_first_hand"


def test_an_overriding_set_drops_the_inherited_cap(rubric_file: Callable) -> None:
    path = rubric_file("team", "extends: default\nrules:\n  - {id: confirmed-needs-two-lines, set: 4}\n")
    rule = next(r for r in load_rubric(path).rules if r.id == "confirmed-needs-two-lines")
    assert (rule.effect, rule.credibility) == ("set", 4)


def test_an_overriding_when_replaces_the_whole_condition(rubric_file: Callable) -> None:
    path = rubric_file("team", "extends: default\nrules:\n  - {id: confirmed-needs-two-lines, when: {score: {lt: 50}}}\n")
    rule = next(r for r in load_rubric(path).rules if r.id == "confirmed-needs-two-lines")
    assert evaluate(rule.when, {"score": 49, "independent_supporting": 3, "independent_refuting": 0})


def test_an_empty_key_inherits_rather_than_erases(rubric_file: Callable) -> None:
    """`rules:` with every rule commented out must not silently drop the default's rules."""
    rubric = load_rubric(rubric_file("team", "extends: default\nrules:\n  # - {id: mine, ...}\ncriteria:\n  source:\n"))
    assert [r.id for r in rubric.rules] == [r.id for r in load_rubric("default").rules]
    assert rubric.criteria == load_rubric("default").criteria


def test_a_name_is_not_inherited(rubric_file: Callable) -> None:
    assert load_rubric(rubric_file("mine", "extends: default\n")).name == "mine"


def test_examples_are_not_inherited(rubric_file: Callable) -> None:
    base = rubric_file("base", "extends: default\nexamples: [{claim: x}]\n")
    assert load_rubric(base).examples == [{"claim": "x"}]
    child = rubric_file("child", "extends: base\n")
    assert list(load_rubric(child).examples) == []


def test_replaced_bands_are_used(rubric_file: Callable) -> None:
    path = rubric_file("team", credibility_bands(
        "{code: 1, min: 90, max: 100}", "{code: 2, min: 70, max: 90}", "{code: 3, min: 50, max: 70}",
        "{code: 4, min: 25, max: 50}", "{code: 5, min: 0, max: 25}",
    ))
    assert band_for(load_rubric(path).credibility_bands, 85).value == 2


def test_extends_a_rubric_beside_it(rubric_file: Callable) -> None:
    rubric_file("base", "extends: default\nprior: 0\n")
    child = load_rubric(rubric_file("child", "extends: base\ncriteria: {corroboration: {refuting_scale: 2}}\n"))
    assert (child.prior, child.criteria["corroboration"]["refuting_scale"]) == (0, 2)
    assert [Path(f).name for f in child.files] == ["default.yaml", "base.yaml", "child.yaml"]


def test_extends_cycle(rubric_file: Callable) -> None:
    rubric_file("a", "extends: b\n")
    path = rubric_file("b", "extends: a\n")
    with pytest.raises(CredcheckError) as caught:
        load_rubric(path)
    assert str(caught.value).endswith("rubric 'extends' cycle: b.yaml -> a.yaml -> b.yaml")
    assert caught.value.problems[0].mark.line == 1  # at the `extends` that closes the loop


def test_extends_an_unknown_rubric(rubric_problems: RubricProblems) -> None:
    (problem,) = rubric_problems("extends: defualt\n")
    assert problem.startswith("team.yaml:1:10: extends: unknown rubric 'defualt' (did you mean 'default'?); available: ")


def test_an_unknown_rubric_name() -> None:
    with pytest.raises(CredcheckError) as caught:
        load_rubric("defualt")
    assert str(caught.value).startswith("unknown rubric 'defualt' (did you mean 'default'?); available: ")


# --- rubrics written for the earlier format (points and weights) --------------------------

def test_an_earlier_format_rubric_is_refused_with_what_to_write_instead(rubric_problems: RubricProblems) -> None:
    problems = rubric_problems("""\
        extends: default
        criteria:
          source:
            weight: 0.35
            types:
              wire_service: {score: 70, reliability: B}
            reliability_scores: {A: 95, B: 80}
            combine: best
          corroboration:
            curve: {0: 0, 1: 50}
            refutation_penalty: 25
          verifiability:
            evidence:
              imagery: {verified: 50, unverified: 10}
            gap_min_points: 40
        bands:
          likelihood:
            - {term: likely, min: 55, max: 75}
        """)
    by_path = {p.split(": ", 2)[1]: p for p in problems}
    old = {"criteria.source.weight", "criteria.source.types.wire_service.score", "criteria.source.reliability_scores",
           "criteria.source.combine", "criteria.corroboration.curve", "criteria.corroboration.refutation_penalty",
           "criteria.verifiability.evidence", "criteria.verifiability.gap_min_points", "bands.likelihood"}
    assert set(by_path) == old | {"bands.credibility"}  # bands replace whole: the new ones are missing
    assert all("is from an earlier rubric format" in by_path[path] for path in old)
    assert by_path["criteria.source.weight"] == (
        "team.yaml:4:5: criteria.source.weight: 'weight' is from an earlier rubric format: removed: "
        "criteria are no longer averaged; each line of reporting, evidence item and wording signal "
        "adds its own weight of evidence in decibans (see rubrics/README.md); delete `weight`")
    assert by_path["criteria.source.types.wire_service.score"].startswith(
        "team.yaml:6:22: criteria.source.types.wire_service.score: 'score' is from an earlier "
        "rubric format: a source's weight now follows from its reliability letter alone")
    assert "holds_up: {A: 0.95" in by_path["criteria.source.reliability_scores"]
    assert "same_type_factor" in by_path["criteria.corroboration.curve"]
    assert "refuting_scale" in by_path["criteria.corroboration.refutation_penalty"]
    assert "decibans: {imagery: {verified: 10" in by_path["criteria.verifiability.evidence"]
    assert "the ICD 203 term whose range holds the claim's probability" in by_path["bands.likelihood"]


def test_score_bands_of_the_earlier_format_keep_working(rubric_file: Callable) -> None:
    """Credibility bands were over the score, 0-100; the score is now the probability in percent."""
    path = rubric_file("team", credibility_bands(
        "{code: 1, min: 80, max: 100}", "{code: 2, min: 60, max: 80}", "{code: 3, min: 40, max: 60}",
        "{code: 4, min: 20, max: 40}", "{code: 5, min: 0, max: 20}",
    ))
    assert band_for(load_rubric(path).credibility_bands, 85).value == 1


# --- criteria -----------------------------------------------------------------------

def test_unknown_criterion_and_key_with_did_you_mean(rubric_problems: RubricProblems) -> None:
    assert rubric_problems("""\
        extends: default
        criteria:
          sorce: {holds_up: {A: 0.9}}
          corroboration: {refuting_scal: 2}
        """) == [
        "team.yaml:4:19: criteria.corroboration.refuting_scal: unknown key 'refuting_scal' in corroboration criterion "
        "(did you mean 'refuting_scale'?)",
        "team.yaml:3:3: criteria.sorce: unknown key 'sorce' in criteria (did you mean 'source'?)",
    ]


def test_holds_up_is_a_chance_from_a_coin_toss_to_almost_sure(rubric_problems: RubricProblems) -> None:
    assert rubric_problems("extends: default\ncriteria:\n  source:\n    holds_up: {A: 1, E: 0.3}\n") == [
        "team.yaml:4:19: criteria.source.holds_up.A: must be at most 0.99, got 1",
        "team.yaml:4:25: criteria.source.holds_up.E: must be at least 0.5, got 0.3",
    ]


def test_a_worse_letter_cannot_hold_up_more_often(rubric_problems: RubricProblems) -> None:
    assert rubric_problems("extends: default\ncriteria:\n  source:\n    holds_up: {C: 0.9}\n") == [
        "team.yaml:4:19: criteria.source.holds_up.C: a C source cannot hold up more often than a B source (0.9 > 0.85)",
    ]


def test_unknown_access_cannot_count_for_less_than_second_hand(rubric_problems: RubricProblems) -> None:
    assert rubric_problems("extends: default\ncriteria:\n  source:\n    access: {unknown: 0.7}\n") == [
        "team.yaml:4:23: criteria.source.access.unknown: a report of unknown access cannot count for less than a "
        "second-hand one (0.7 < 0.8): most reports that do not say are second-hand",
    ]


def test_verified_evidence_weighing_less_than_unverified(rubric_problems: RubricProblems) -> None:
    assert rubric_problems("extends: default\ncriteria:\n  verifiability:\n    decibans:\n      imagery: {verified: 0.05}\n") == [
        "team.yaml:5:16: criteria.verifiability.decibans.imagery: verified evidence cannot weigh less than unverified",
    ]


def test_high_confidence_cannot_need_less_than_moderate(rubric_problems: RubricProblems) -> None:
    assert rubric_problems("extends: default\nconfidence:\n  high: {lines: 1, decibans: 20}\n") == [
        "team.yaml:3:17: confidence.high.lines: high confidence cannot need less than moderate (1 < 2)",
    ]


def test_unknown_source_type_must_stay_unjudgeable(rubric_problems: RubricProblems) -> None:
    assert rubric_problems("extends: default\ncriteria:\n  source:\n    types:\n      unknown: {reliability: C}\n") == [
        "team.yaml:5:30: criteria.source.types.unknown.reliability: an unknown source's reliability cannot be judged: it must be F",
    ]


def test_missing_criterion(rubric_problems: RubricProblems) -> None:
    text = DEFAULT_FILE.read_text(encoding="utf-8")
    start, end = text.index("  verifiability:"), text.index("  language:")
    problems = rubric_problems(text[:start] + text[end:])
    assert problems == ["team.yaml:21:3: criteria.verifiability: missing required criterion 'verifiability'"]


def test_a_team_can_add_source_and_evidence_types(rubric_file: Callable) -> None:
    rubric = load_rubric(rubric_file("team", """\
        extends: default
        criteria:
          source:
            types:
              satellite_operator: {reliability: B}
          verifiability:
            decibans:
              sigint: {verified: 10, unverified: 0.2}
        """))
    assert "satellite_operator" in rubric.source_types and "sigint" in rubric.evidence_types


# --- rules ---------------------------------------------------------------------------

def rule(when: str, effect: str = "cap: 3") -> str:
    return f"extends: default\nrules:\n  - id: mine\n    when: {when}\n    {effect}\n    reason: because\n"


def test_unknown_fact_with_did_you_mean(rubric_problems: RubricProblems) -> None:
    (problem,) = rubric_problems(rule("{independant_supporting: 1}"))
    assert problem.startswith(
        "team.yaml:4:12: rules[2].when.independant_supporting: unknown fact 'independant_supporting' "
        "(did you mean 'independent_supporting'?); facts: best_refuting_reliability, "
    )
    assert problem.endswith("; combinators: all, any, not")


def test_criterion_scores_are_facts(rubric_file: Callable) -> None:
    path = rubric_file("team", rule("{source_score: {lt: 50}, verifiability_score: 0}"))
    assert [r.id for r in load_rubric(path).rules][-1] == "mine"


def test_unsupported_comparison(rubric_problems: RubricProblems) -> None:
    assert rubric_problems(rule("{independent_supporting: {between: [1, 2]}}")) == [
        "team.yaml:4:46: rules[2].when.independent_supporting.between: unknown comparison 'between' for number fact "
        "'independent_supporting'; expected one of: eq, ne, lt, le, gt, ge, in, not_in",
    ]


def test_letters_cannot_be_ordered(rubric_problems: RubricProblems) -> None:
    assert rubric_problems(rule("{best_refuting_reliability: {lt: B}}")) == [
        "team.yaml:4:44: rules[2].when.best_refuting_reliability.lt: unknown comparison 'lt' for letter fact "
        "'best_refuting_reliability'; expected one of: eq, ne, in, not_in",
    ]


def test_a_number_fact_against_text(rubric_problems: RubricProblems) -> None:
    assert rubric_problems(rule("{independent_supporting: two}")) == [
        "team.yaml:4:36: rules[2].when.independent_supporting: 'independent_supporting' is a number; "
        "cannot compare it with string 'two'",
    ]


def test_two_comparisons_for_one_fact(rubric_problems: RubricProblems) -> None:
    assert rubric_problems(rule("{score: {gt: 10, lt: 20}}")) == [
        "team.yaml:4:19: rules[2].when.score: one comparison per fact (use all: [...] to combine)",
    ]


def test_an_empty_any(rubric_problems: RubricProblems) -> None:
    assert rubric_problems(rule("{any: []}")) == ["team.yaml:4:17: rules[2].when.any: 'any' takes a non-empty list of conditions"]


def test_a_rule_with_both_cap_and_set(rubric_problems: RubricProblems) -> None:
    assert rubric_problems(rule("{reports: 1}", "cap: 3\n    set: 4")) == [
        "team.yaml:3:5: rules[2]: a rule needs exactly one of 'cap' or 'set'",
    ]


def test_a_rule_with_neither_cap_nor_set(rubric_problems: RubricProblems) -> None:
    assert rubric_problems(rule("{reports: 1}", "flag: x")) == ["team.yaml:3:5: rules[2]: a rule needs exactly one of 'cap' or 'set'"]


def test_a_cap_out_of_range_is_one_problem(rubric_problems: RubricProblems) -> None:
    assert rubric_problems(rule("{reports: 1}", "cap: 9")) == ["team.yaml:5:10: rules[2].cap: must be at most 6, got 9"]


def test_a_rule_without_reason(rubric_problems: RubricProblems) -> None:
    assert rubric_problems("extends: default\nrules:\n  - {id: mine, when: {reports: 1}, cap: 3}\n") == [
        "team.yaml:3:5: rules[2].reason: missing required key 'reason' in rule",
    ]


def test_duplicate_rule_ids(rubric_problems: RubricProblems) -> None:
    problems = rubric_problems(
        "extends: default\nrules:\n"
        "  - {id: mine, when: {reports: 1}, cap: 3, reason: a}\n"
        "  - {id: mine, when: {reports: 2}, cap: 3, reason: b}\n"
    )
    assert problems == ["team.yaml:4:5: rules[3].id: duplicate rule id 'mine' (also rules[2])"]


# --- bands ---------------------------------------------------------------------------

def test_overlapping_bands(rubric_problems: RubricProblems) -> None:
    assert rubric_problems(credibility_bands(
        "{code: 1, min: 80, max: 100}", "{code: 2, min: 55, max: 80}", "{code: 3, min: 40, max: 60}",
        "{code: 4, min: 20, max: 40}", "{code: 5, min: 0, max: 20}",
    )) == ["team.yaml:5:7: bands.credibility[1]: bands overlap: 3 covers up to 60 but 2 starts at 55"]


def test_a_gap_between_bands(rubric_problems: RubricProblems) -> None:
    assert rubric_problems(credibility_bands(
        "{code: 1, min: 80, max: 100}", "{code: 2, min: 60, max: 80}", "{code: 3, min: 40, max: 60}",
        "{code: 4, min: 20, max: 35}", "{code: 5, min: 0, max: 20}",
    )) == ["team.yaml:6:7: bands.credibility[2]: bands leave a gap between 35 and 40"]


def test_bands_must_reach_0_and_100(rubric_problems: RubricProblems) -> None:
    assert rubric_problems(credibility_bands(
        "{code: 1, min: 80, max: 95}", "{code: 2, min: 60, max: 80}", "{code: 3, min: 40, max: 60}",
        "{code: 4, min: 20, max: 40}", "{code: 5, min: 5, max: 20}",
    )) == [
        "team.yaml:8:7: bands.credibility: bands leave a gap: nothing covers scores from 0 to 5",
        "team.yaml:4:7: bands.credibility: bands leave a gap: nothing covers scores from 95 to 100",
    ]


def test_a_band_with_min_above_max(rubric_problems: RubricProblems) -> None:
    problems = rubric_problems(credibility_bands(
        "{code: 1, min: 100, max: 80}", "{code: 2, min: 60, max: 80}", "{code: 3, min: 40, max: 60}",
        "{code: 4, min: 20, max: 40}", "{code: 5, min: 0, max: 20}",
    ))
    assert problems[0] == "team.yaml:4:7: bands.credibility[0]: min (100) must be below max (80)"


def test_every_code_needs_a_band(rubric_problems: RubricProblems) -> None:
    assert rubric_problems(credibility_bands(
        "{code: 1, min: 60, max: 100}", "{code: 3, min: 40, max: 60}",
        "{code: 4, min: 20, max: 40}", "{code: 5, min: 0, max: 20}",
    )) == ["team.yaml:4:5: bands.credibility: no band for credibility code: 2"]


def test_a_band_missing_a_bound_is_reported_not_a_crash(rubric_problems: RubricProblems) -> None:
    problems = rubric_problems(credibility_bands(
        "{code: 1, min: 80}", "{code: 2, min: 60, max: 80}", "{code: 3, min: 40, max: 60}",
        "{code: 4, min: 20, max: 40}", "{code: 5, min: 0, max: 20}",
    ))
    assert problems[0] == "team.yaml:4:7: bands.credibility[0].max: missing required key 'max' in credibility band"


@pytest.mark.parametrize("score, code", [(100, 1), (90.1, 1), (90, 2), (55.1, 2), (55, 3), (45.1, 3), (45, 4), (20, 5), (0.01, 5), (0, 5)])
def test_a_band_holds_scores_above_its_min_up_to_its_max(score: float, code: int) -> None:
    assert band_for(load_rubric("default").credibility_bands, score).value == code


# --- the condition language, directly ---------------------------------------------------

def condition(text: str) -> Any:
    problems = ProblemList()
    cond = parse_condition(load_yaml(text.encode(), "c.yaml"), Ctx(None, "when"), problems, FACTS)
    assert not problems, [str(p) for p in problems.items]
    return cond


FACTS_OF_A_CLAIM = {"reports": 3, "independent_supporting": 1, "independent_refuting": 0, "verified_evidence": 0,
                    "score": 42.5, "best_supporting_reliability": "B", "best_refuting_reliability": None}


@pytest.mark.parametrize("text, holds", [
    ("{independent_supporting: 1}", True),                       # shorthand for eq
    ("{independent_supporting: {ne: 1}}", False),
    ("{score: {lt: 50}}", True),
    ("{score: {le: 42.5}}", True),
    ("{score: {gt: 42.5}}", False),
    ("{score: {ge: 42.5}}", True),
    ("{reports: {in: [2, 3]}}", True),
    ("{reports: {not_in: [2, 3]}}", False),
    ("{best_supporting_reliability: {in: [A, B]}}", True),
    ("{best_refuting_reliability: {in: [A, B]}}", False),        # none refutes: the letter is null
    ("{best_refuting_reliability: null}", True),
    ("{reports: 3, verified_evidence: 0}", True),                # several facts: all must hold
    ("{reports: 3, verified_evidence: 1}", False),
    ("{any: [{reports: 0}, {score: {lt: 50}}]}", True),
    ("{all: [{reports: 3}, {not: {independent_refuting: 0}}]}", False),
])
def test_conditions(text: str, holds: bool) -> None:
    assert evaluate(condition(text), FACTS_OF_A_CLAIM) is holds


# --- rubrics/README.md cannot drift -------------------------------------------------------

README = DEFAULT_FILE.parent / "README.md"


def _after(marker: str) -> str:
    """The README's text after `<!-- worked-example: MARKER -->`."""
    text = README.read_text(encoding="utf-8")
    return text.split(f"<!-- worked-example: {marker} -->\n", 1)[1]


def test_the_readme_lists_every_fact_and_op() -> None:
    text = README.read_text(encoding="utf-8")
    from credcheck.rubric.conditions import COMBINATORS, LETTER_OPS, NUMBER_OPS
    for word in [*FACTS, *NUMBER_OPS, *LETTER_OPS, *COMBINATORS, "source_score", "corroboration_score", "verifiability_score"]:
        assert f"`{word}`" in text, word


def test_the_readmes_worked_example_gives_the_numbers_it_shows(rubric_file: Callable) -> None:
    from credcheck import assess, load_claims
    block = _after("rubric").split("```yaml\n", 1)[1].split("\n```", 1)[0]
    team = load_rubric(rubric_file("defector-desk", block + "\n"))
    default = load_rubric("default")
    example = DEFAULT_FILE.parent.parent / "examples" / "dmz-desertions" / "claims.yaml"
    claims = load_claims(example, team)
    both = {a.id: (a, b) for a, b in zip(assess(claims, default), assess(claims, team))}

    def shown(result: Any) -> str:
        return f"{result.score:.1f} {result.admiralty} {result.likelihood}"

    table = _after("results").split("\n\n")[0].splitlines()[2:]
    rows = {cells[0]: cells[1:3] for cells in ([c.strip() for c in line.strip("|").split("|")] for line in table)}
    for claim_id, (before, after) in rows.items():
        assert before == shown(both[claim_id][0]), claim_id
        assert after.split(" (+")[0] == shown(both[claim_id][1]), claim_id
    changed = {cid for cid, (a, b) in both.items() if (a.score, a.admiralty, a.flags) != (b.score, b.admiralty, b.flags)}
    assert changed == set(rows)


def test_scoring_loads_the_rubric_without_building_its_examples() -> None:
    """`score` skips the examples block (half the default rubric); everything that scores is the same."""
    full, lean = load_rubric("default"), load_rubric("default", examples=False)
    assert full.examples and lean.examples == ()
    same = ("name", "version", "description", "criteria", "rules", "credibility_bands", "prior", "confidence",
            "sha256", "files")
    assert all(getattr(full, f) == getattr(lean, f) for f in same)
    assert "examples" not in lean.resolved
