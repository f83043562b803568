"""tests/corpus/campaign.yaml: every way in the outside campaign found, run as the real command.

Each case runs `python -m credcheck` in a fresh folder (the example claims file
one level up), as its own process with its address space capped (so a bomb
cannot take the machine), and must:

- exit with its pinned code, which is 0 or 2;
- match its pinned pattern on stderr (or stdout), never print a traceback or
  `internal error`, and name a place on every `error:` line;
- end within 20 s, its largest process under 1 GiB (ru_maxrss);
- leave the files it was told not to touch as they were, and print none of
  the strings it must never show (secrets, raw escape characters).

The everyday run keeps one case of each finding (EVERYDAY); `pytest -m slow` runs the others.
"""
from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from . import campaign
from .helpers import CORPUS, EXAMPLE

CASES: list[dict[str, Any]] = yaml.safe_load((CORPUS / "campaign.yaml").read_text(encoding="utf-8"))
SECONDS = 20.0
MAX_RSS = 1024**3
ADDRESS_SPACE = 4 * 1024**3  # a hard stop well above MAX_RSS: forked workers and the interpreter map more than they use
# FILE:LINE:COL: or FILE: (a path or an option, then a colon): where each error is
PLACED = re.compile(r"^error: (?:\S.*?:\d+:\d+: |\S[^ ]*?: |(?:rubric|rubric file|template) '[^']*'(?::| refused)|--\w[\w-]*: )")
_REPEAT = re.compile(r"\{(.)\*(\d+)\}")


def expand(text: str) -> str:
    """`{a*5000}` stands for 5,000 a's: a name too long for the system, written short."""
    return _REPEAT.sub(lambda m: m.group(1) * int(m.group(2)), text)


def make_setup(case: dict[str, Any], folder: Path) -> None:
    for item in case.get("setup") or ():
        path = folder / item["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        if "text" in item:
            path.write_text(expand(item["text"]), encoding="utf-8")
        elif "make" in item:
            path.write_text(getattr(campaign, item["make"])(**(item.get("with") or {})), encoding="utf-8")
        elif item.get("fifo"):
            os.mkfifo(path)
        elif "symlink" in item:
            path.symlink_to(item["symlink"])
        elif item.get("dir"):
            path.mkdir()
        elif "sparse" in item:
            with open(path, "wb") as handle:
                handle.truncate(item["sparse"])
        else:  # pragma: no cover - a mistake in the data
            raise ValueError(f"unknown setup item {item}")


def run_case(case: dict[str, Any], folder: Path) -> tuple[int, str, str, float, int]:
    """(exit code, stdout, stderr, seconds, largest process's peak bytes) of the case's command."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "COLUMNS": "120", **(case.get("env") or {})}
    for name in ("CREDCHECK_DEBUG", "CREDCHECK_LIMITS"):
        if name not in (case.get("env") or {}):
            env.pop(name, None)

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    stdin = open(folder / case["stdin_from"], "rb") if "stdin_from" in case else subprocess.DEVNULL
    start = time.monotonic()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "credcheck", *map(expand, case["args"])], cwd=folder, env=env,
                                stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=cap)
        outputs: dict[str, bytes] = {}
        readers = [threading.Thread(target=lambda n=n, s=s: outputs.__setitem__(n, s.read()), daemon=True)
                   for n, s in (("out", proc.stdout), ("err", proc.stderr))]
        for reader in readers:
            reader.start()
        timer = threading.Timer(SECONDS, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)  # this process's own peak (and its waited-for workers')
        timer.cancel()
        seconds = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        for reader in readers:
            reader.join()
    finally:
        if stdin is not subprocess.DEVNULL:
            stdin.close()
    if seconds >= SECONDS:
        pytest.fail(f"{case['id']}: still running after {SECONDS:.0f} s")
    out, err = outputs.get("out", b""), outputs.get("err", b"")
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), seconds, usage.ru_maxrss * 1024


# The everyday run (`pytest`) keeps one case of each finding, chosen to span the kinds of input: a bad
# claims file, a hostile rubric and template, a template bomb, a FIFO, a secret a rubric names, an output
# over an input, --limit where a message offers it, a limit in the environment. Finding 5 is a large
# input only, and the bounds of the independence search at full size (1 to 2.5 s each) are slow too:
# tests/hostile/test_hostile_limits.py hits the matching, tracing and pairs bounds in-process everyday.
# `pytest -m slow` (CI) runs every other case: each is a process of its own, 0.2 to 2.5 s.
EVERYDAY = {
    "explain-shows-escapes-in-claim-and-source",  # 1
    "json-lone-surrogate-in-an-id", "rubric-weight-of-400-digits", "template-truncate-minus-one",  # 2
    "template-joining-a-huge-string-repeated",  # 3
    "fifo-as-claims-score",  # 4
    "lexicon-proc-self-environ",  # 6
    "brief-naming-the-claims-file",  # 7
    "explain-takes-limit",  # 8
    "limit-in-the-environment-with-underscores",  # 9
}


def _marks(case: dict[str, Any]) -> list[Any]:
    return [] if case["id"] in EVERYDAY else [pytest.mark.slow]


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"], marks=_marks(c)) for c in CASES])
def test_campaign_case(case: dict[str, Any], tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "example.yaml")
    folder = tmp_path / "run"
    folder.mkdir()
    make_setup(case, folder)
    kept = {name: (folder / name).read_bytes() for name in ([case["unchanged"]] if "unchanged" in case else [])}
    code, out, err, seconds, peak = run_case(case, folder)
    assert code in (0, 2) and code == case["code"], (code, err[-3000:])
    assert "Traceback" not in err and "internal error" not in err, err[-3000:]
    for line in err.splitlines():
        if line.startswith("error: "):
            assert PLACED.match(line), line
    if "stderr" in case:
        assert re.search(case["stderr"], err, re.M), f"{case['stderr']!r} not in:\n{err[-3000:]}"
    if "stdout" in case:
        assert re.search(case["stdout"], out, re.M), f"{case['stdout']!r} not in:\n{out[:3000]}"
    for text in case.get("never") or ():
        assert text not in out and text not in err, repr(text)
    for name, before in kept.items():
        assert (folder / name).read_bytes() == before, f"{name} was written over"
    assert seconds < SECONDS
    assert peak < MAX_RSS, f"peak {peak / 1024**2:.0f} MiB"
    if os.environ.get("CAMPAIGN_FIGURES"):  # a file to append each case's figures to (for SECURITY.md)
        with open(os.environ["CAMPAIGN_FIGURES"], "a", encoding="utf-8") as handle:
            handle.write(f"{case['id']}\t{code}\t{seconds:.2f}\t{peak / 1024**2:.0f}\n")


def test_every_finding_has_cases() -> None:
    assert {c["finding"] for c in CASES} == set(range(1, 10))
    assert len({c["id"] for c in CASES}) == len(CASES)
    assert all(c["code"] in (0, 2) for c in CASES)


def test_the_everyday_cases_span_the_findings() -> None:
    everyday = [c for c in CASES if c["id"] in EVERYDAY]
    assert len(everyday) == len(EVERYDAY), EVERYDAY - {c["id"] for c in CASES}
    assert not [c["id"] for c in everyday if c.get("slow")]  # a large input never runs everyday
    assert {c["finding"] for c in everyday} == set(range(1, 10)) - {5}
