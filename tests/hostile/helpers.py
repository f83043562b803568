"""Running credcheck the two ways a user does: in-process (fast, for many cases) and as a process."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from credcheck.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"
EXAMPLE = ROOT / "examples" / "dmz-desertions" / "claims.yaml"
# Every error line names a place: FILE:LINE:COL, or at least the file it is about.
LOCATED = re.compile(r"^error: (?:\S.*?:\d+:\d+: |/dev/\S+: |.*?(?:\.ya?ml|\.j2|<stdin>|--limit|CREDCHECK_LIMITS)\b)")


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def invoke(args: list[str], env: dict[str, str] | None = None) -> Run:
    """The CLI in-process. Exceptions are not caught: any exception escaping is a bug."""
    result = CliRunner().invoke(app, args, env=env, catch_exceptions=False)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


def run_process(args: list[str], env: dict[str, str] | None = None, timeout: float = 60,
                cwd: Path | None = None, limit_memory: int | None = None) -> Run:
    """`python -m credcheck ARGS` in a child process, optionally with its address space capped."""
    full_env = {**os.environ, "PYTHONHASHSEED": "0", **(env or {})}
    full_env.pop("CREDCHECK_DEBUG", None)

    def cap() -> None:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (limit_memory, limit_memory))

    proc = subprocess.run([sys.executable, "-m", "credcheck", *args], capture_output=True, timeout=timeout,
                          env=full_env, cwd=cwd or ROOT, preexec_fn=cap if limit_memory else None)
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


def assert_refused(run: Run) -> None:
    """Exit 2, every error line located, no traceback, nothing on stdout."""
    assert run.code == 2, (run.code, run.stderr[-2000:])
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr[-2000:]
    errors = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    assert errors, run.stderr
    for line in errors:
        assert LOCATED.match(line), line


def assert_scored_or_refused(run: Run) -> None:
    assert run.code in (0, 1, 2), (run.code, run.stderr[-2000:])
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr[-2000:]
    if run.code == 2:
        assert_refused(run)


def yq(text: str) -> str:
    """`text` as a YAML double-quoted scalar: printable characters as they are, the rest as escapes."""
    def esc(ch: str) -> str:
        if ch == '"' or ch == "\\":
            return "\\" + ch
        if ch.isprintable():
            return ch
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
    return '"' + "".join(esc(ch) for ch in text) + '"'
