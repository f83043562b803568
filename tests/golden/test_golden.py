"""Every output on examples/ byte for byte as recorded: a refactoring changes none of them.

A change that means to change an output regenerates the files:
`python tests/golden/test_golden.py` (then read the diff before committing).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def _run(args: list[str]) -> bytes:
    env = {**os.environ, "COLUMNS": "120"}
    env.pop("CREDCHECK_RUBRIC_PATH", None)
    proc = subprocess.run([sys.executable, "-m", "credcheck", *args], cwd=ROOT, capture_output=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return proc.stdout


@pytest.mark.parametrize("name,args", _cases(), ids=[c[0] for c in _cases()])
def test_output_is_byte_identical_to_the_recorded_one(name: str, args: list[str]) -> None:
    assert _run(args) == (HERE / name).read_bytes()


if __name__ == "__main__":
    for name, args in _cases():
        (HERE / name).write_bytes(_run(args))
        print(f"wrote {name}")
