"""`credcheck explain CLAIMS ID`: the full trace of one assessment."""
from __future__ import annotations

import textwrap
from pathlib import Path

from typer.testing import CliRunner

from credcheck import load_claims, load_rubric
from credcheck.cli.app import app
from credcheck.rubric.conditions import AllOf, AnyOf, Compare, Not
from credcheck.score.engine import assess
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
    assert out.startswith("desertions-rising  B2  Probably true (2), source usually reliable (B), probability 0.67 (likely); "
                          "confidence low\n")
    assert "Reports: 5; independent lines: 1 supporting, 1 refuting; 3 collapsed; 0 neutral" in out
    # each report by its source id, what it traces to, and whether it counted
    assert "#1 nis supports, second-hand" in out
    assert "counted: the independent supporting line for ROK government" in out
    assert "#3 yonhap supports, second-hand" in out and "relays nis" in out
    assert out.count("collapsed into ROK government: already counted, not a second source") == 3
    assert "#5 kcna refutes, unknown" in out
    assert "counted: the independent refuting line for DPRK government" in out


def test_explain_shows_the_weight_of_evidence_confidence_rules_and_bands() -> None:
    out = explain(str(EXAMPLE), "desertions-rising")
    # the sum, line by line, and where it lands
    assert "Weight of evidence: +3.2 dB, probability 0.674" in out
    for line in ("prior -2.5 dB: odds 1 to 1.8", "+6.0 dB nis [ROK government] (B, second-hand)",
                 "-0.4 dB kcna [DPRK government] (E, access unknown, refutes)",
                 "+0.1 dB evidence (1 item, 0 verified)",  # +0.05, printed in tenths that add up to the sum
                 "sum +3.2 dB: odds 2.1 to 1, probability 0.67, likely"):
        assert line in out, line
    # each criterion's share, and how each line's weight was worked out
    assert "source: +6.03 dB (alone, from even odds: 80.0%)" in out
    assert "nis [ROK government]: B (analyst) holds up 85%: 7.5 dB, second-hand x0.8 = +6.0 dB" in out
    assert "corroboration: -0.42 dB (alone, from even odds: 47.6%)" in out
    assert "Confidence: low" in out and "no supporting line is first-hand" in out
    assert "Rules: 1 fired (they move the grade, never the probability)" in out
    assert "fired confirmed-needs-two-lines: cap 2 (grade already within it)" in out
    assert "did not fire no-reports: when reports = 0" in out
    assert "probability 0.674" in out and "score 67.4" in out
    assert "score 67.4 (the probability in percent) falls in the band of credibility 2 (Probably true): above 55, up to 90" in out
    assert "probability 67.4% is in the ICD 203 range of 'likely' (55-80%)" in out


def test_explain_shows_neutral_reports_as_no_line(tmp_path: Path) -> None:
    claims = tmp_path / "claims.yaml"
    claims.write_text(textwrap.dedent("""\
        sources:
          - {id: wire, name: A wire, type: wire_service}
          - {id: daily, name: A daily, type: news_outlet}
        claims:
          - id: relayed
            text: The wire says so; the daily only repeats that it was said.
            reports: [{source: wire, access: first_hand}, {source: daily, stance: neutral}]
    """), encoding="utf-8")
    out = explain(str(claims), "relayed")
    assert "Reports: 2; independent lines: 1 supporting, 0 refuting; 0 collapsed; 1 neutral" in out
    assert "#2 daily neutral, unknown" in out
    assert "neutral: relays the claim without endorsing or denying it, so it is no line" in out
    assert "1 neutral report relays it without endorsing or denying it: not counted" in out


def test_explain_a_report_citing_two_originals_is_one_line() -> None:
    out = explain(str(EXAMPLE), "unit-cohesion-eroding")
    assert "relays kpa-analyst, nis" in out
    assert "traces to original kpa-analyst" in out and "traces to original ROK government (nis)" in out
    assert "one report is one line: kpa-analyst not counted through it" in out


def test_explain_a_capped_grade_and_an_unjudged_claim(tmp_path: Path) -> None:
    claims = tmp_path / "claims.yaml"
    claims.write_text(textwrap.dedent("""\
        sources:
          - {id: reg, name: "[bold]Register[/bold]", type: official_record}
        claims:
          - id: capped
            text: "A [red]claim[/red] with markup-like text."
            reports: [{source: reg, access: first_hand}]
            evidence: [{type: document, verified: true}]
          - id: nobody
            text: Nobody reports it.
    """), encoding="utf-8")
    out = explain(str(claims), "capped")
    assert "A [red]claim[/red] with markup-like text." in out  # user text is never markup
    assert "[bold]Register[/bold]" in out
    assert "falls in the band of credibility 1 (Confirmed): above 90, up to 100" in out
    assert "rules made it 2 (Probably true)" in out
    assert "fired confirmed-needs-two-lines: cap 2 (changed the grade)" in out
    assert "is in the ICD 203 range of 'almost certain' (95-99%)" in out  # the probability stays
    out = explain(str(claims), "nobody")
    assert "none: nobody reports this claim" in out
    assert "Weight of evidence: none weighed (no estimate is made)" in out
    assert "credibility 6: no likelihood estimate is made" in out


def test_trace_agrees_with_score_for_every_example_claim() -> None:
    rubric = load_rubric("default")
    claims = load_claims(EXAMPLE, rubric)
    for a in assess(claims, rubric):
        t = trace(claims, rubric, a.id)
        assert (t.assessment.admiralty, t.assessment.score, t.assessment.probability) == (a.admiralty, a.score, a.probability)
        if a.probability is not None:
            assert round(t.prior + sum(c.decibans for c in t.contributions), 2) == a.decibans
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


def test_explain_criteria_add_up_to_the_weight_of_evidence() -> None:
    """The criteria's decibans and the prior are the sum the probability is read from."""
    result = runner.invoke(app, ["explain", str(EXAMPLE), "troop-malnourishment"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Weight of evidence: +16.8 dB, probability 0.980" in out
    assert "sum +16.8 dB: odds 47.8 to 1, probability 0.98, almost certain" in out


