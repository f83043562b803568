"""The README's tour runs as written, line by line, after the quick start."""
from __future__ import annotations

import pytest

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

pytestmark = pytest.mark.slow  # runs every command of the README's tour as a process: CI runs it

ROOT = Path(__file__).resolve().parents[2]


def tour() -> list[tuple[str, int]]:
    """(command, expected exit code) for each line of the README's tour block."""
    readme = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    block = re.search(r"## A short tour\n.*?```sh\n(.*?)```", readme, re.S)
    assert block, "the README has no tour"
    lines = []
    for line in block.group(1).splitlines():
        command, _, comment = line.partition("  #")
        if command.strip():
            lines.append((command.strip(), 1 if "exit 1" in comment else 0))
    return lines


def quick_start_folder(tmp_path: Path) -> Path:
    """What the quick start leaves: the repository's examples, and a .venv whose activate
    script puts this test's own credcheck on PATH (installed as the quick start installs it)."""
    folder = tmp_path / "credcheck"
    shutil.copytree(ROOT / "examples", folder / "examples")
    bin_dir = Path(sys.executable).parent
    assert (bin_dir / "credcheck").exists(), "credcheck is not installed beside this Python (pip install -e .)"
    (folder / ".venv" / "bin").mkdir(parents=True)
    (folder / ".venv" / "bin" / "activate").write_text(f'export PATH="{bin_dir}:$PATH"\n', encoding="utf-8")
    return folder


def test_the_tour_runs_verbatim_after_the_quick_start(tmp_path: Path) -> None:
    folder = quick_start_folder(tmp_path)
    steps = tour()
    assert len(steps) >= 10
    script = ["set -u"]
    for i, (command, _) in enumerate(steps):
        script.append(f"{command}\necho \"step {i} exit $?\" >&2")
    env = {k: v for k, v in os.environ.items() if k not in ("CREDCHECK_RUBRIC_PATH", "COLUMNS", "VIRTUAL_ENV")}
    env["PATH"] = "/usr/bin:/bin"  # credcheck is found only once the tour activates the .venv
    done = subprocess.run(["bash", "-c", "\n".join(script)], cwd=folder, env=env, capture_output=True, text=True,
                          timeout=600)
    codes = dict(re.findall(r"^step (\d+) exit (\d+)$", done.stderr, re.M))
    for i, (command, expected) in enumerate(steps):
        assert codes.get(str(i)) == str(expected), f"{command!r} exited {codes.get(str(i))}:\n{done.stderr}"
    for made in ("brief.md", "scored.json", "brief.docx", "bundle.json", "desk/rubrics/osint.yaml"):
        assert (folder / made).is_file(), made
    assert "## Bottom line up front" in (folder / "brief.md").read_text(encoding="utf-8")
