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
      defector_testimony: {score: 35, reliability: E}
      blog: {score: 15, reliability: E}
  corroboration:
    weight: 0.5
rules:
  - id: single-line-unverified
    cap: 4
    reason: a single unverified line is doubtful at best
  - id: refuted-by-reliable-source
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
    assert "      defector_testimony: {score: 35, reliability: E}\n" in text
    assert "      official_record: {score: 90, reliability: A}\n" in text  # inherited
    assert "    curve: {0: 0, 1: 50, 2: 75, 3: 88, 4: 95, 5: 100}\n" in text
    resolved = tmp_path / "resolved.yaml"
    resolved.write_text(text, encoding="utf-8")
    again, original = load_rubric(resolved), load_rubric(team)
    for attribute in ("name", "version", "description", "criteria", "rules", "credibility_bands", "likelihood_bands"):
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
    assert changes["criteria.source.types.defector_testimony.score"] == Change(
        "criteria.source.types.defector_testimony.score", "changed", 45, 35)
    assert changes["criteria.source.types.blog"].kind == "added"
    assert changes["criteria.corroboration.weight"] == Change("criteria.corroboration.weight", "changed", 0.4, 0.5)
    assert changes["rules[id=single-line-unverified].cap"] == Change("rules[id=single-line-unverified].cap", "changed", 3, 4)
    assert changes["rules[id=refuted-by-reliable-source].enabled"].new is False
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
    assert out.startswith("default 1.1.0 (default.yaml) -> desk 2.0 (desk.yaml)\n")
    assert "  ~ criteria.source.types.defector_testimony.score: 45 -> 35\n" in out
    assert "  + criteria.source.types.blog: added {score: 15, reliability: E}\n" in out
    assert "  ~ rules[id=single-line-unverified].cap: 3 -> 4\n" in out
    assert "What it does" not in out


# --- diff: what they do -----------------------------------------------------------------------

def test_rubric_diff_with_claims_shows_the_grades_that_move(team: Path) -> None:
    diff = diff_rubrics(load_rubric("default"), load_rubric(team), str(EXAMPLE))
    grades = diff.grades
    assert grades is not None
    moved = {c.id: (c.old_grade, c.new_grade) for c in grades.moved}
    # defector testimony is now E, and a single unverified line caps at 4
    assert moved["commanders-siphon-supplies"] == ("D3", "E5")
    assert moved["rok-heightened-vigilance"] == ("B3", "B4")
    assert all(c.direction == "down" for c in grades.moved)
    assert grades.weights == ("corroboration weight 0.4 -> 0.5",)
    change = next(c for c in grades.moved if c.id == "commanders-siphon-supplies")
    assert "rule unreliable-only now fires (cap 5: only unreliable sources support it)" in change.reasons
    assert "source 45.0 -> 35.0 (-10.0)" in change.reasons


def test_rubric_diff_markdown_for_a_pull_request(team: Path) -> None:
    result = runner.invoke(app, ["rubric", "diff", "default", str(team), "--claims", str(EXAMPLE), "--format", "md"])
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert md.startswith("## Rubric change: default 1.1.0 (default.yaml) \u2192 desk 2.0 (desk.yaml)\n")
    assert "| changed | `rules[id=single-line-unverified].cap` | 3 \u2192 4 |" in md
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
    assert first.endswith("(checked against rubric default 1.1.0 (default.yaml))")
    ok = runner.invoke(app, ["rubric", "diff", str(team), str(team), "--claims", str(claims), "--exit-code"])
    assert ok.exit_code == 0, ok.output
    assert "0 claims moved down, 0 moved up, 0 added, 0 removed, 1 unchanged" in ok.stdout


def test_rubric_diff_rejects_an_unknown_format(team: Path) -> None:
    result = runner.invoke(app, ["rubric", "diff", "default", str(team), "--format", "html"])
    assert result.exit_code == 2
    assert result.stderr == "error: --format must be one of: text, md (got 'html')\n"
