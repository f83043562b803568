"""Rubric tests (`examples:` and `credcheck rubric test`): they pass, they fail with reasons, bad ones are bad input."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credcheck import CredcheckError, load_rubric
from credcheck.cli.app import app
from credcheck.rubric.examples import load_examples
from credcheck.score.examples import run_examples

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()

SOURCES = """\
examples:
  sources:
    - {id: wire, name: A wire service, type: wire_service}
    - {id: daily, name: A daily, type: news_outlet}
  claims:
"""


def team_rubric(tmp_path: Path, body: str, name: str = "team") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(CredcheckError) as info:
        load_examples(load_rubric(path))
    return [str(p) for p in info.value.problems]


# --- the default rubric's own examples -------------------------------------------

def test_default_rubric_examples_all_pass() -> None:
    outcomes = run_examples(load_rubric("default"))
    assert len(outcomes) >= 10
    assert [o.example.id for o in outcomes if not o.passed] == []


def test_default_examples_cover_every_rule_and_the_independence_cases() -> None:
    rubric = load_rubric("default")
    outcomes = run_examples(rubric)
    pinned = {rule for o in outcomes for rule in o.example.expect.get("rules", ())}
    assert {r.id for r in rubric.rules} <= pinned
    by_id = {o.example.id: o for o in outcomes}
    relayed = by_id["two-outlets-relay-one-briefing"]
    assert len(relayed.example.claim.reports) == 3 and relayed.example.expect["independent_supporting"] == 1
    derived = by_id["outlet-derived-from-two-originals"]
    assert derived.example.sources["digest"].derived_from == ("wire", "researcher")
    assert derived.example.expect["independent_supporting"] == 1


def test_examples_are_not_inherited(tmp_path: Path) -> None:
    rubric = load_rubric(team_rubric(tmp_path, "extends: default\nname: team\n"))
    assert load_examples(rubric) == []


# --- expectations ---------------------------------------------------------------------

def test_every_kind_of_check_can_pass_and_fail(tmp_path: Path) -> None:
    path = team_rubric(tmp_path, "extends: default\n" + SOURCES + """\
    - id: right
      text: One daily line, no evidence.
      reports: [{source: daily, access: first_hand}]
      expect:
        credibility: 3
        reliability: C
        admiralty: C3
        likelihood: roughly even chance
        score: {min: 50, max: 55}
        probability: {min: 0.5, max: 0.55}
        confidence: low
        independent_supporting: 1
        independent_refuting: 0
        flags: [single_source, no_evidence]
        not_flags: [circular_reporting]
        rules: [confirmed-needs-two-lines]
        not_rules: [no-reports]
    - id: wrong
      text: One daily line, no evidence.
      reports: [{source: daily, access: first_hand}]
      expect:
        credibility: 2
        reliability: A
        admiralty: A2
        likelihood: likely
        score: {min: 60}
        probability: {max: 0.5}
        confidence: high
        independent_supporting: 2
        independent_refuting: 1
        flags: [contradicted]
        not_flags: [single_source]
        rules: [no-reports]
        not_rules: [confirmed-needs-two-lines]
""")
    right, wrong = run_examples(load_rubric(path))
    assert right.passed and right.failures == ()
    assert list(wrong.failures) == [
        "credibility: expected 2 (Probably true), got 3 (Possibly true)",
        "reliability: expected A, got C",
        "admiralty: expected A2, got C3",
        "likelihood: expected likely, got roughly even chance",
        "score: expected at least 60, got 53.3",
        "probability: expected at most 0.5, got 0.533",
        "confidence: expected high, got low",
        "independent_supporting: expected 2, got 1",
        "independent_refuting: expected 1, got 0",
        "flags: expected contradicted raised; raised: single_source, no_evidence",
        "not_flags: single_source raised, expected not",
        "rules: expected no-reports fired; fired: confirmed-needs-two-lines",
        "not_rules: confirmed-needs-two-lines fired, expected not",
    ]


def test_per_example_sources_join_the_shared_ones(tmp_path: Path) -> None:
    path = team_rubric(tmp_path, "extends: default\n" + SOURCES + """\
    - id: digest
      text: A digest republishes the wire and the daily.
      sources:
        - {id: digest, name: A digest, type: news_outlet, derived_from: [wire, daily]}
      reports: [{source: digest}]
      expect: {independent_supporting: 1, not_flags: [circular_reporting]}
""")
    (outcome,) = run_examples(load_rubric(path))
    assert outcome.passed
    assert sorted(outcome.example.sources) == ["daily", "digest", "wire"]


# --- invalid examples: located problems, word for word -----------------------------

def test_invalid_examples_report_every_problem_at_its_line(tmp_path: Path) -> None:
    path = team_rubric(tmp_path, "extends: default\n" + SOURCES + """\
    - id: a
      text: x
      reports: [{source: wir}]
      expect: {credibility: 9, flags: [singel_source]}
    - id: a
      text: y
      sources: [{id: blog, name: B, type: social_mdia}]
      expect: {}
    - id: c
      text: z
      expect: {score: {min: 50, max: 40}}
""")
    f = str(path)
    assert problems_of(path) == [
        f"{f}:9:26: examples.claims[0].reports[0].source: unknown source 'wir' (did you mean 'wire'?)",
        f"{f}:10:29: examples.claims[0].expect.credibility: must be at most 6, got 9",
        f"{f}:10:40: examples.claims[0].expect.flags[0]: unknown flag 'singel_source' (did you mean 'single_source'?); "
        "expected one of: circular_reporting, contradicted, no_evidence, no_reports, single_source, unverified_evidence_only",
        f"{f}:13:43: examples.claims[1].sources[0].type: unknown source type 'social_mdia' (did you mean 'social_media'?); "
        "expected one of: academic, anonymous_official, defector_testimony, eyewitness, intelligence_service, news_outlet, "
        "ngo, official_on_record, official_record, social_media, state_media, unknown, wire_service",
        f"{f}:11:11: examples.claims[1].id: duplicate example id 'a' (first defined at {f}:7:11)",
        f"{f}:14:15: examples.claims[1].expect: an expectation needs at least one check: credibility, reliability, "
        "admiralty, likelihood, score, probability, confidence, independent_supporting, independent_refuting, flags, "
        "not_flags, rules, not_rules",
        f"{f}:17:23: examples.claims[2].expect.score: min (50) must not be above max (40)",
    ]


def test_lists_that_are_not_lists_are_located(tmp_path: Path) -> None:
    path = team_rubric(tmp_path, """\
        extends: default
        examples:
          sources: 5
          claims:
            - {id: a, text: x, sources: nope, expect: {credibility: 6}}
    """)
    assert problems_of(path) == [
        f"{path}:3:12: examples.sources: expected a list, got number 5",
        f"{path}:5:33: examples.claims[0].sources: expected a list, got string 'nope'",
    ]


def test_unknown_rule_id_is_caught_with_a_hint(tmp_path: Path) -> None:
    path = team_rubric(tmp_path, "extends: default\n" + SOURCES + """\
    - id: a
      text: x
      expect: {rules: [no-report]}
""")
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:9:24: examples.claims[0].expect.rules[0]: unknown rule id 'no-report' (did you mean 'no-reports'?)")


def test_examples_must_be_a_block_with_claims(tmp_path: Path) -> None:
    path = team_rubric(tmp_path, "extends: default\nexamples:\n  - {id: a, text: x, expect: {credibility: 3}}\n")
    assert problems_of(path) == [f"{path}:3:3: examples: expected an examples block (a mapping with sources and claims), got a list"]
    path = team_rubric(tmp_path, "extends: default\nexamples:\n  sources: []\n  cases: []\n", "other")
    assert problems_of(path) == [
        f"{path}:4:3: examples.cases: unknown key 'cases' in examples block",
        f"{path}:3:3: examples.claims: missing required key 'claims' in examples block",
    ]


# --- the command ------------------------------------------------------------------------

FAILING = "extends: default\nname: team\n" + SOURCES + """\
    - id: single-line-is-doubtful
      text: One daily line, no evidence.
      reports: [{source: daily, access: first_hand}]
      expect: {credibility: 4}
    - id: relay-is-one-line
      text: The daily relays the wire.
      reports: [{source: wire}, {source: daily, via: [wire]}]
      expect: {independent_supporting: 1, flags: [circular_reporting]}
"""


def test_rubric_test_exits_1_and_shows_why_an_example_failed(tmp_path: Path) -> None:
    path = team_rubric(tmp_path, FAILING)
    result = runner.invoke(app, ["rubric", "test", str(path)])
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "FAIL  single-line-is-doubtful  C3   53.3" in out and f"{path}:8:11" in out
    assert "credibility: expected 4 (Doubtful), got 3 (Possibly true)" in out
    # the assessment's own reasons: the weight of evidence line by line, each criterion, the rules that fired
    assert "weight of evidence: prior -2.5 dB: odds 1 to 1.8; +3.1 dB daily (C, first-hand)" in out
    assert "source +3.08 dB: the strongest supporting line: +3.1 dB" in out
    assert "rule confirmed-needs-two-lines fired: cap 2" in out
    assert "PASS  relay-is-one-line" in out
    assert "1 passed, 1 failed" in out


def test_rubric_test_passes_with_exit_0(tmp_path: Path) -> None:
    path = team_rubric(tmp_path, FAILING.replace("expect: {credibility: 4}", "expect: {credibility: 3}"))
    result = runner.invoke(app, ["rubric", "test", str(path), "default"])
    assert result.exit_code == 0, result.output
    assert "2 passed, 0 failed" in result.stdout
    assert "2 rubrics: 19 passed, 0 failed" in result.stdout


def test_rubric_test_without_arguments_runs_every_available_rubric(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "rubrics").mkdir()
    team_rubric(tmp_path / "rubrics", FAILING, "desk")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["rubric", "test"])
    assert result.exit_code == 1
    assert "rubric team unversioned (desk.yaml): 2 examples" in result.stdout
    assert "rubric default" in result.stdout  # built-ins included


def test_rubric_test_exits_2_on_invalid_examples_and_still_runs_the_others(tmp_path: Path) -> None:
    bad = team_rubric(tmp_path, "extends: default\nexamples:\n  claims:\n    - {id: a, text: x, expect: {credibility: 0}}\n")
    result = runner.invoke(app, ["rubric", "test", str(bad), "default"])
    assert result.exit_code == 2
    assert result.stderr == f"error: {bad}:4:46: examples.claims[0].expect.credibility: must be at least 1, got 0\n"
    assert "invalid, examples not run" in result.stdout
    assert "rubric default" in result.stdout and "passed" in result.stdout


def test_rubric_test_exits_2_on_an_invalid_rubric(tmp_path: Path) -> None:
    bad = team_rubric(tmp_path, "extends: default\ncriteria:\n  source:\n    holds_up: {A: 2}\n")
    result = runner.invoke(app, ["rubric", "test", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:4:19: criteria.source.holds_up.A: must be at most 0.99, got 2" in result.stderr


def test_a_rubric_without_examples_passes_and_says_so(tmp_path: Path) -> None:
    path = team_rubric(tmp_path, "extends: default\nname: bare\n")
    result = runner.invoke(app, ["rubric", "test", str(path)])
    assert result.exit_code == 0
    assert "no examples" in result.stdout
