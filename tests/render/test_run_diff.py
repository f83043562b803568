"""`credcheck diff OLD.json NEW.json`: what moved between two scored runs, and why; bad inputs are exit 2."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from credcheck.cli.app import app
from credcheck.render.run_diff import diff_runs, parse_run

runner = CliRunner()

BEFORE = """\
title: Port watch
sources:
  - {id: agency, name: A news agency, type: wire_service}
  - {id: daily, name: A daily, type: news_outlet}
  - {id: ministry, name: The ministry, type: official_on_record}
claims:
  - id: port-closed
    text: The port is closed.
    reports: [{source: agency, access: first_hand}]
  - id: strike
    text: Dockers are on strike.
    reports: [{source: agency, access: first_hand}, {source: daily, access: first_hand}]
    evidence: [{type: imagery, verified: true}]
  - id: steady
    text: Ferries still run.
    reports: [{source: daily}]
  - id: dropped
    text: A claim the next run drops.
    reports: [{source: daily}]
"""

AFTER = """\
title: Port watch
sources:
  - {id: agency, name: A news agency, type: wire_service}
  - {id: daily, name: A daily, type: news_outlet}
  - {id: ministry, name: The ministry, type: official_on_record}
claims:
  - id: port-closed
    text: The port is closed.
    reports: [{source: agency, access: first_hand}, {source: daily, access: first_hand}]
    evidence: [{type: official_record, verified: true}]
  - id: strike
    text: Dockers are on strike.
    reports: [{source: agency, access: first_hand}, {source: daily, access: first_hand}, {source: ministry, stance: refutes}]
    evidence: [{type: imagery, verified: true}]
  - id: steady
    text: Ferries still run.
    reports: [{source: daily}]
  - id: new-claim
    text: "A [new] claim | with pipes."
    reports: [{source: ministry, access: first_hand}]
"""


def scored(tmp_path: Path, name: str, claims: str) -> Path:
    source = tmp_path / f"{name}.yaml"
    source.write_text(claims, encoding="utf-8")
    target = tmp_path / f"{name}.json"
    result = runner.invoke(app, ["score", str(source), "--format", "json", "-o", str(target), "--quiet"])
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture
def runs(tmp_path: Path) -> tuple[Path, Path]:
    return scored(tmp_path, "monday", BEFORE), scored(tmp_path, "tuesday", AFTER)


def test_diff_finds_moves_up_and_down_additions_and_removals(runs: tuple[Path, Path]) -> None:
    old, new = (parse_run(p.read_bytes(), str(p)) for p in runs)
    diff = diff_runs(old, new)
    assert [(c.id, c.old_grade, c.new_grade, c.direction) for c in diff.moved] == [
        ("port-closed", "B2", "B1", "up"), ("strike", "B1", "B2", "down")]
    assert [a["id"] for a in diff.added] == ["new-claim"]
    assert [a["id"] for a in diff.removed] == ["dropped"]
    assert diff.unchanged == 1 and diff.rescored == ()


def test_diff_says_why_a_grade_moved(runs: tuple[Path, Path]) -> None:
    old, new = (parse_run(p.read_bytes(), str(p)) for p in runs)
    strike = next(c for c in diff_runs(old, new).moved if c.id == "strike")
    assert list(strike.reasons) == [
        "score 98.5 -> 94.2 (-4.3)",
        "likelihood almost certain -> very likely",
        "flags added: contradicted",
        "corroboration +3.1 dB -> -3.0 dB (-6.0), independent_refuting 0 -> 1",
        "rule confirmed-needs-two-lines now fires (cap 2: Confirmed needs two independent supporting lines and no "
        "independent refutation)",
    ]
    port = next(c for c in diff_runs(old, new).moved if c.id == "port-closed")
    assert "confidence low -> high" in port.reasons


def test_diff_command_text(runs: tuple[Path, Path]) -> None:
    result = runner.invoke(app, ["diff", *map(str, runs)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("monday.json -> tuesday.json\nrubric default 2.0.0; input changed\n"
                          "1 claim moved down, 1 moved up, 1 added, 1 removed, 1 unchanged\n")
    assert "Moved down\n  strike  B1 -> B2\n      Dockers are on strike.\n      score 98.5 -> 94.2 (-4.3)\n" in out
    assert "Moved up\n  port-closed  B2 -> B1\n" in out
    assert "Added\n  new-claim  B2\n      A [new] claim | with pipes.\n" in out
    assert "Removed\n  dropped  C3\n" in out


def test_diff_markdown_is_escaped_for_a_brief_update(runs: tuple[Path, Path], tmp_path: Path) -> None:
    target = tmp_path / "update.md"
    result = runner.invoke(app, ["diff", *map(str, runs), "--format", "md", "-o", str(target)])
    assert result.exit_code == 0, result.output
    md = target.read_text(encoding="utf-8")
    assert md.startswith("## What changed: Port watch\n\nCompared `monday.json` with `tuesday.json`.\n")
    assert "### Moved down\n\n| Claim | Was | Now | Why |\n" in md
    assert ("| Dockers are on strike. (`strike`) | B1 | **B2** | score 98.5 \u2192 94.2 (-4.3); "
            "likelihood almost certain \u2192 very likely; flags added: contradicted;") in md
    assert "| A \\[new\\] claim \\| with pipes. (`new-claim`) | B2 |" in md  # a | cannot split the table
    assert "### Dropped claims" in md


def test_diff_exit_code_option(runs: tuple[Path, Path]) -> None:
    old, new = map(str, runs)
    assert runner.invoke(app, ["diff", old, new, "--exit-code"]).exit_code == 1
    assert runner.invoke(app, ["diff", old, old, "--exit-code"]).exit_code == 0
    same = runner.invoke(app, ["diff", old, old])
    assert "0 claims moved down, 0 moved up, 0 added, 0 removed, 4 unchanged" in same.stdout


def write(tmp_path: Path, text: str, name: str = "bad.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_diff(old: Path, new: Path) -> Any:
    return runner.invoke(app, ["diff", str(old), str(new)])


def test_malformed_json_is_bad_input_with_its_line(runs: tuple[Path, Path], tmp_path: Path) -> None:
    bad = write(tmp_path, '{\n  "credcheck_version": "0.1.0",\n  "assessments": [,]\n}\n')
    result = run_diff(runs[0], bad)
    assert result.exit_code == 2
    assert result.stderr == f"error: {bad}:3:19: not valid JSON: Expecting value\n"


def test_json_that_is_not_a_credcheck_output_is_bad_input(runs: tuple[Path, Path], tmp_path: Path) -> None:
    for text in ('{"results": []}', "[1, 2]", '"text"'):
        bad = write(tmp_path, text)
        result = run_diff(bad, runs[1])
        assert result.exit_code == 2
        assert result.stderr == (f"error: {bad}: not a credcheck score output "
                                 "(make one with: credcheck score CLAIMS --format json -o FILE)\n")


def test_a_damaged_credcheck_output_names_the_field(runs: tuple[Path, Path], tmp_path: Path) -> None:
    doc = json.loads(runs[1].read_text(encoding="utf-8"))
    doc["assessments"][1]["credibility"]["code"] = 9
    del doc["assessments"][2]["score"]
    doc["assessments"][3]["id"] = doc["assessments"][0]["id"]
    bad = write(tmp_path, json.dumps(doc))
    result = run_diff(runs[0], bad)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {bad}: assessments[1].credibility.code: must be at most 6, got 9",
        f"error: {bad}: assessments[2].score: missing required key 'score' in assessment",
        f"error: {bad}: assessments[3].id: duplicate claim id 'port-closed' (also assessments[0])",
        "3 problems found; nothing was written.",
    ]


def test_duplicate_keys_missing_files_and_bad_bytes_are_bad_input(runs: tuple[Path, Path], tmp_path: Path) -> None:
    dup = write(tmp_path, '{"credcheck_version": "1", "assessments": [], "assessments": []}')
    assert run_diff(dup, runs[1]).stderr == f"error: {dup}: not valid JSON: duplicate key 'assessments'\n"
    missing = tmp_path / "nope.json"
    assert run_diff(missing, runs[1]).stderr == f"error: {missing}: no such file\n"
    binary = tmp_path / "bin.json"
    binary.write_bytes(b'{"a": "\xff"}')
    result = run_diff(binary, runs[1])
    assert result.exit_code == 2 and "not valid UTF-8" in result.stderr
