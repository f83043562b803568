"""`credcheck explain CLAIMS ID`: the full trace of one assessment."""
from __future__ import annotations

import textwrap
from pathlib import Path

from typer.testing import CliRunner

from credcheck import load_claims, load_rubric
from credcheck.cli.app import app
from credcheck.rubric.conditions import AllOf, AnyOf, Compare, Not
from credcheck.score.engine import assess, round_half_up
from credcheck.score.trace import describe_condition, trace

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dmz-desertions" / "claims.yaml"
runner = CliRunner()


# The numbers below are the three core criteria's; the language criterion has its own tests.
CORE = str(Path(__file__).resolve().parents[1] / "rubrics" / "core.yaml")


def explain(*args: str) -> str:
    result = runner.invoke(app, ["explain", *args, "--rubric", CORE])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_explain_traces_every_report_to_its_originals_and_says_which_collapsed() -> None:
    out = explain(str(EXAMPLE), "desertions-rising")
    assert out.startswith("desertions-rising  B4  Doubtful (4), source usually reliable (B), likelihood unlikely, score 33.7\n")
    assert "Reports: 5; independent lines: 1 supporting, 1 refuting; 3 collapsed" in out
    # each report by its source id, what it traces to, and whether it counted
    assert "#1 nis supports, second-hand" in out
    assert "counted: the independent supporting line for ROK government" in out
    assert "#3 yonhap supports, second-hand" in out and "relays nis" in out
    assert out.count("collapsed into ROK government: already counted, not a second source") == 3
    assert "#5 kcna refutes, unknown" in out
    assert "counted: the independent refuting line for DPRK government" in out


def test_explain_shows_points_rules_and_band_lookup() -> None:
    out = explain(str(EXAMPLE), "desertions-rising")
    assert "Criteria: weighted score 33.7 (weights sum to 1)" in out
    assert "source: 64.0 x weight 0.35 -> 22.4 points" in out
    assert "corroboration: 25.0 x weight 0.4 -> 10.0 points" in out
    assert "verifiability: 5.0 x weight 0.25 -> 1.2 points" in out
    assert "fired single-line-unverified: cap 3 (grade already within it)" in out
    assert "when independent_supporting = 1 and verified_evidence = 0" in out
    assert "did not fire refuted-by-reliable-source: when best_refuting_reliability in [A, B]" in out
    assert "weighted score 33.7 falls in the band of credibility 4 (Doubtful): above 20, up to 40" in out
    assert "score 33.7 falls in the band of likelihood 'unlikely': above 20, up to 40" in out


def test_explain_a_report_citing_two_originals_is_one_line() -> None:
    out = explain(str(EXAMPLE), "unit-cohesion-eroding")
    assert "relays kpa-analyst, nis" in out
    assert "traces to original kpa-analyst" in out and "traces to original ROK government (nis)" in out
    assert "one report is one line: kpa-analyst not counted through it" in out


def test_explain_a_capped_score_and_an_unjudged_claim(tmp_path: Path) -> None:
    claims = tmp_path / "claims.yaml"
    claims.write_text(textwrap.dedent("""\
        sources:
          - {id: reg, name: "[bold]Register[/bold]", type: official_record}
        claims:
          - id: capped
            text: "A [red]claim[/red] with markup-like text."
            reports: [{source: reg, access: first_hand}]
            evidence: [{type: document}, {type: imagery}, {type: video}, {type: official_record}, {type: named_witness}]
          - id: nobody
            text: Nobody reports it.
    """), encoding="utf-8")
    out = explain(str(claims), "capped")
    assert "A [red]claim[/red] with markup-like text." in out  # user text is never markup
    assert "[bold]Register[/bold]" in out
    assert "weighted score 66.5 falls in the band of credibility 2 (Probably true): above 60, up to 80" in out
    assert "rules made it 3 (Possibly true)" in out
    assert "score lowered to 60.0, the top of credibility 3's band" in out
    assert "fired single-line-unverified: cap 3 (changed the grade)" in out
    out = explain(str(claims), "nobody")
    assert "none: nobody reports this claim" in out
    assert "credibility 6: no likelihood estimate is made" in out


def test_trace_agrees_with_score_for_every_example_claim() -> None:
    rubric = load_rubric("default")
    claims = load_claims(EXAMPLE, rubric)
    for a in assess(claims, rubric):
        t = trace(claims, rubric, a.id)
        assert (t.assessment.admiralty, t.assessment.score) == (a.admiralty, a.score)
        assert round_half_up(sum(c.points for c in t.contributions)) == a.raw_score
        assert sum(1 for r in t.reports if r.counted_for is not None) == len(a.supporting) + len(a.refuting)


def test_explain_is_plain_and_deterministic_when_piped() -> None:
    first = explain(str(EXAMPLE), "rok-services-strain")
    assert "\x1b[" not in first
    assert explain(str(EXAMPLE), "rok-services-strain") == first


def test_unknown_claim_id_is_bad_input_with_a_suggestion() -> None:
    result = runner.invoke(app, ["explain", str(EXAMPLE), "desertion-rising"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (f"error: {EXAMPLE}: no claim 'desertion-rising' (did you mean 'desertions-rising'?); "
                             "17 claims in the file\n")


def test_explain_bad_claims_file_is_located_bad_input(tmp_path: Path) -> None:
    claims = tmp_path / "claims.yaml"
    claims.write_text("claims:\n  - {id: a, text: x, reports: [{source: ghost}]}\n", encoding="utf-8")
    result = runner.invoke(app, ["explain", str(claims), "a"])
    assert result.exit_code == 2
    assert result.stderr == f"error: {claims}:2:41: claims[0].reports[0].source: unknown source 'ghost'\n"


def test_conditions_read_as_words() -> None:
    cond = AllOf((Compare("reports", "gt", 0), AnyOf((Compare("evidence", "eq", 0), Not(Compare("x", "in", ("A", "B")))))))
    assert describe_condition(cond) == "reports > 0 and (evidence = 0 or not (x in [A, B]))"
