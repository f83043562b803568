"""Every output on examples/ byte for byte as recorded: a refactoring changes none of them.

Each output is rendered in-process (typer's runner: fast, so the everyday run checks them all) and by
the installed command in a fresh process, with its own hash seed and real pipes; the everyday run
starts one such process, `pytest -m slow` (CI) one per output.

A change that means to change an output regenerates the files:
`python tests/golden/test_golden.py` (then read the diff before committing).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credcheck.cli.app import app

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXAMPLES = ("dmz-desertions/claims", "border-tunnel/claims", "border-tunnel/draft", "wire-copies/claims")


def _cases() -> list[tuple[str, list[str]]]:
    cases = []
    for example in EXAMPLES:
        name, path = example.replace("/", "_"), f"examples/{example}.yaml"
        cases += [(f"{name}.json", ["score", path, "--format", "json"]),
                  (f"{name}.md", ["score", path, "--format", "md"]),
                  (f"{name}.txt", ["score", path, "--all"])]
    # The exchange formats, on the example with a title and a date (ids and times come from them).
    example = "examples/dmz-desertions/claims.yaml"
    cases += [(f"dmz-desertions_claims.{fmt}.json", ["score", example, "--format", fmt]) for fmt in ("stix", "misp", "claimreview")]
    return cases + [("explain.txt", ["explain", "examples/dmz-desertions/claims.yaml", "desertions-rising"]),
                    ("rubric_show.txt", ["rubric", "show", "default"]),
                    ("schema_claims.json", ["schema", "claims"])]


# The one output rendered by a process in the everyday run: the table, whose width and colour depend most on it.
IN_A_PROCESS = "dmz-desertions_claims.txt"


def _run(args: list[str]) -> bytes:
    env = {**os.environ, "COLUMNS": "120"}
    env.pop("CREDCHECK_RUBRIC_PATH", None)
    proc = subprocess.run([sys.executable, "-m", "credcheck", *args], cwd=ROOT, capture_output=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return proc.stdout


def _run_here(args: list[str], monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, args, env={"COLUMNS": "120", "CREDCHECK_RUBRIC_PATH": None})
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


@pytest.mark.parametrize("name,args", _cases(), ids=[c[0] for c in _cases()])
def test_output_is_byte_identical_to_the_recorded_one(name: str, args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run_here(args, monkeypatch) == (HERE / name).read_bytes()


@pytest.mark.parametrize("name,args", [pytest.param(name, args, id=name, marks=[] if name == IN_A_PROCESS else [pytest.mark.slow])
                                       for name, args in _cases()])
def test_the_installed_command_prints_the_recorded_output(name: str, args: list[str]) -> None:
    assert _run(args) == (HERE / name).read_bytes()


if __name__ == "__main__":
    for name, args in _cases():
        (HERE / name).write_bytes(_run(args))
        print(f"wrote {name}")
