"""`credcheck rubric show` (resolved, deterministic, loads again) and `credcheck rubric diff` (says / does)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credcheck import load_rubric
from credcheck.cli.app import app
from credcheck.render.rubric_diff import Change, diff_rubrics, diff_trees
from credcheck.score.examples import run_examples

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dmz-desertions" / "claims.yaml"
runner = CliRunner()

TEAM = """\
extends: default
name: desk
version: "2.0"
description: Our desk trusts defectors less
criteria:
  source:
    types:
      defector_testimony: {reliability: E}
      blog: {reliability: E}
  corroboration:
    refuting_scale: 1.5
rules:
  - id: confirmed-needs-two-lines
    cap: 3
    reason: a claim short of two unrefuted lines is possibly true at best
  - id: no-reports
    enabled: false
  - id: unreliable-only
    when: {best_supporting_reliability: {in: [E, F]}}
    cap: 5
    reason: only unreliable sources support it
examples:
  claims:
    - id: nobody
      text: Nobody says so.
      expect: {credibility: 6}
"""


@pytest.fixture
def team(tmp_path: Path) -> Path:
    path = tmp_path / "desk.yaml"
    path.write_text(TEAM, encoding="utf-8")
    return path


# --- show ----------------------------------------------------------------------------

def test_show_prints_the_resolved_rubric_that_loads_again(team: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["rubric", "show", str(team)])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("# credcheck rubric desk 2.0, fully resolved from desk.yaml <- default.yaml\n")
    assert "extends" not in text
    assert "      defector_testimony: {reliability: E}\n" in text
    assert "      official_record: {reliability: A}\n" in text  # inherited
    assert "    holds_up: {A: 0.95, B: 0.85, C: 0.67, D: 0.6, E: 0.53, F: 0.58}\n" in text
    assert "  corroboration: {same_type_factor: 0.8, refuting_scale: 1.5}\n" in text
    assert "prior: -2.5\n" in text and "  high: {lines: 3, kinds: 2, decibans: 20}\n" in text
    resolved = tmp_path / "resolved.yaml"
    resolved.write_text(text, encoding="utf-8")
    again, original = load_rubric(resolved), load_rubric(team)
    for attribute in ("name", "version", "description", "prior", "criteria", "confidence", "rules", "credibility_bands"):
        assert getattr(again, attribute) == getattr(original, attribute), attribute
    assert [o.passed for o in run_examples(again)] == [True]


def test_show_is_deterministic_and_writes_files(team: Path, tmp_path: Path) -> None:
    first = runner.invoke(app, ["rubric", "show", str(team)]).stdout
    assert runner.invoke(app, ["rubric", "show", str(team)]).stdout == first
    target = tmp_path / "out.yaml"
    assert runner.invoke(app, ["rubric", "show", str(team), "-o", str(target)]).exit_code == 0
    assert target.read_text(encoding="utf-8") == first


def test_show_of_the_default_rubric_round_trips() -> None:
    text = runner.invoke(app, ["rubric", "show", "default"]).stdout
    assert "examples:\n  sources:\n" in text
    assert "rules:\n  - id: no-reports\n    when: {reports: 0}\n    set: 6\n" in text


def test_show_unknown_rubric_is_bad_input() -> None:
    result = runner.invoke(app, ["rubric", "show", "defualt"])
    assert result.exit_code == 2
    assert "unknown rubric 'defualt' (did you mean 'default'?)" in result.stderr


# --- diff: what they say -----------------------------------------------------------------

def test_diff_trees_matches_list_items_by_identity() -> None:
    old = {"rules": [{"id": "a", "cap": 3}, {"id": "b", "cap": 4}], "bands": [{"code": 1, "min": 80}], "w": 1}
    new = {"rules": [{"id": "b", "cap": 4}, {"id": "a", "cap": 2}, {"id": "c", "cap": 5}], "bands": [{"code": 1, "min": 85}], "w": 1.0}
    assert diff_trees(old, new) == [
        Change("rules.[id=a].cap", "changed", 3, 2),
        Change("rules.[id=c]", "added", None, {"id": "c", "cap": 5}),
        Change("bands.[code=1].min", "changed", 80, 85),
    ]


def test_rubric_diff_says_what_changed_with_paths(team: Path) -> None:
    changes = {c.path: c for c in diff_rubrics(load_rubric("default"), load_rubric(team)).changes}
    assert changes["criteria.source.types.defector_testimony.reliability"] == Change(
        "criteria.source.types.defector_testimony.reliability", "changed", "D", "E")
    assert changes["criteria.source.types.blog"].kind == "added"
    assert changes["criteria.corroboration.refuting_scale"] == Change("criteria.corroboration.refuting_scale", "changed", 1.0, 1.5)
    assert changes["rules[id=confirmed-needs-two-lines].cap"] == Change("rules[id=confirmed-needs-two-lines].cap", "changed", 2, 3)
    assert changes["rules[id=no-reports].enabled"].new is False
    assert changes["rules[id=unreliable-only]"].kind == "added"
    assert not any(path.startswith("examples") for path in changes)  # tests, not policy
    assert "bands.credibility" not in " ".join(changes)  # unchanged


def test_rubric_diff_of_a_rubric_with_itself_is_empty() -> None:
    result = runner.invoke(app, ["rubric", "diff", "default", "default", "--exit-code"])
    assert result.exit_code == 0
    assert "What it says: no changes" in result.stdout


def test_rubric_diff_command_text_and_exit_code(team: Path) -> None:
    result = runner.invoke(app, ["rubric", "diff", "default", str(team), "--exit-code"])
    assert result.exit_code == 1
    out = result.stdout
    assert out.startswith("default 2.0.0 (default.yaml) -> desk 2.0 (desk.yaml)\n")
    assert "  ~ criteria.source.types.defector_testimony.reliability: D -> E\n" in out
    assert "  + criteria.source.types.blog: added {reliability: E}\n" in out
    assert "  ~ rules[id=confirmed-needs-two-lines].cap: 2 -> 3\n" in out
    assert "What it does" not in out


# --- diff: what they do -----------------------------------------------------------------------

def test_rubric_diff_with_claims_shows_the_grades_that_move(team: Path) -> None:
    diff = diff_rubrics(load_rubric("default"), load_rubric(team), str(EXAMPLE))
    grades = diff.grades
    assert grades is not None
    moved = {c.id: (c.old_grade, c.new_grade) for c in grades.moved}
    # defector testimony is now E and only-unreliable support caps at 5; one line is possibly true at best
    assert moved["commanders-siphon-supplies"] == ("D3", "E5")
    assert moved["rok-heightened-vigilance"] == ("B2", "B3")
    assert all(c.direction == "down" for c in grades.moved)
    assert grades.weights == ()  # weights are each claim's own now, said claim by claim
    change = next(c for c in grades.moved if c.id == "commanders-siphon-supplies")
    assert "rule unreliable-only now fires (cap 5: only unreliable sources support it)" in change.reasons
    assert "source +1.8 dB -> +0.5 dB (-1.2)" in change.reasons
    assert "likelihood roughly even chance -> unlikely" in change.reasons
    same = {c.id: c for c in grades.rescored}
    assert "confidence high -> moderate" in same["fence-minefield-breaches"].reasons


def test_rubric_diff_markdown_for_a_pull_request(team: Path) -> None:
    result = runner.invoke(app, ["rubric", "diff", "default", str(team), "--claims", str(EXAMPLE), "--format", "md"])
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert md.startswith("## Rubric change: default 2.0.0 (default.yaml) \u2192 desk 2.0 (desk.yaml)\n")
    assert "| changed | `rules[id=confirmed-needs-two-lines].cap` | 2 \u2192 3 |" in md
    assert "### What it does on KPA desertions along the DMZ (17 claims)" in md
    assert "| Corrupt KPA commanders divert rations, supplies and money meant for their troops. " \
           "(`commanders-siphon-supplies`) | D3 | **E5** |" in md


def test_rubric_diff_claims_the_old_rubric_cannot_read_is_bad_input(team: Path, tmp_path: Path) -> None:
    claims = tmp_path / "claims.yaml"
    claims.write_text(textwrap.dedent("""\
        sources: [{id: b, name: A blog, type: blog}]
        claims: [{id: c, text: x, reports: [{source: b}]}]
    """), encoding="utf-8")
    result = runner.invoke(app, ["rubric", "diff", "default", str(team), "--claims", str(claims)])
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"error: {claims}:1:39: sources[0].type: unknown source type 'blog'")
    assert first.endswith("(checked against rubric default 2.0.0 (default.yaml))")
    ok = runner.invoke(app, ["rubric", "diff", str(team), str(team), "--claims", str(claims), "--exit-code"])
    assert ok.exit_code == 0, ok.output
    assert "0 claims moved down, 0 moved up, 0 added, 0 removed, 1 unchanged" in ok.stdout


def test_rubric_diff_rejects_an_unknown_format(team: Path) -> None:
    result = runner.invoke(app, ["rubric", "diff", "default", str(team), "--format", "html"])
    assert result.exit_code == 2
    assert result.stderr == "error: --format must be one of: text, md (got 'html')\n"
