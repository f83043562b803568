"""docs/terminal.md shows the table as `credcheck score` prints it at 80, 100 and 120 columns, and cannot drift.

After a change to the table, regenerate it: `python tests/render/test_terminal_doc.py`.
The everyday run renders the page in-process (the same bytes); `pytest -m slow` by the command.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
from typer.testing import CliRunner

from credcheck.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "terminal.md"
WIDTHS = (80, 100, 120)
COMMAND = ["score", "examples/dmz-desertions/claims.yaml"]

INTRO = """\
# The table in the terminal

`credcheck score CLAIMS` prints one row per claim, best grades first, fitted
to the terminal's width (a pipe or a file gets 120 columns; `COLUMNS=N` sets
it). A table wider than the terminal would have its columns cut or its
claims squeezed to a word a line, so instead values fold into the row, one
step at a time, until the claim text has 40 characters (30 at the least):

1. the flags go under the claim text (`flags: single_source, no_evidence`);
2. the probability (P) goes under the grade;
3. the confidence goes under the claim text (`moderate confidence`), before the flags;
4. the likelihood goes under the claim text, before the confidence;
5. ids longer than 14 characters are shortened;
6. the id goes above the claim text, and the ID column goes.

Nothing is dropped: every value of every row stays on screen, and the
caption says what moved (`To fit 80 columns: ...`). Ids longer than their
column are shortened in the middle with an ellipsis, never folded over two
lines, and stay distinct (`dmz-crossing…-in-october` would not tell two ids
apart, so those show `…-along-the-eastern-sec…`); a flag is never split.
`--format json` and `credcheck explain` give every id in full.

Below, `credcheck score examples/dmz-desertions/claims.yaml` at each width,
as captured by `tests/render/test_terminal_doc.py` (which fails if this page
no longer matches the program).
"""


def capture(width: int) -> str:
    """What `credcheck score` prints into a pipe at that width, as a process of its own."""
    env = {**os.environ, "COLUMNS": str(width)}
    env.pop("CREDCHECK_RUBRIC_PATH", None)
    done = subprocess.run([sys.executable, "-m", "credcheck", *COMMAND], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def capture_here(width: int) -> str:
    """The same, in this process (typer's runner): what the everyday run compares."""
    result = CliRunner().invoke(app, COMMAND, env={"COLUMNS": str(width), "CREDCHECK_RUBRIC_PATH": None})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def page(capture: Callable[[int], str] = capture) -> str:
    parts = [INTRO]
    for width in WIDTHS:
        lines = "\n".join(line.rstrip() for line in capture(width).splitlines())
        parts.append(f"\n## {width} columns\n\n```text\n$ COLUMNS={width} credcheck {' '.join(COMMAND)}\n{lines}\n```\n")
    return "".join(parts)


def test_the_page_shows_what_the_program_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert DOC.read_text(encoding="utf-8") == page(capture_here), "docs/terminal.md is stale: python tests/render/test_terminal_doc.py"


@pytest.mark.slow  # a process per width
def test_the_page_shows_what_the_installed_command_prints() -> None:
    assert DOC.read_text(encoding="utf-8") == page(capture), "docs/terminal.md is stale: python tests/render/test_terminal_doc.py"


def test_every_capture_fits_its_width() -> None:
    text = DOC.read_text(encoding="utf-8")
    for width in WIDTHS:
        block = text.split(f"## {width} columns", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
        assert max(len(line) for line in block.splitlines()[1:]) <= width


if __name__ == "__main__":
    DOC.write_text(page(), encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
