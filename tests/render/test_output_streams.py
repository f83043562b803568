"""Outputs named after the process's own streams (CONTRACT.md section 6): written to the stream, never replaced."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dmz-desertions" / "claims.yaml"
pytestmark = pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="no /dev/stdout on this system")


def credcheck_into_pipe(*args: str) -> subprocess.CompletedProcess[bytes]:
    """`credcheck ARGS | reader`: stdout is a pipe, as when piping into jq."""
    return subprocess.run([sys.executable, "-m", "credcheck", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          cwd=ROOT, timeout=120)


def test_json_to_dev_stdout_reaches_a_pipe() -> None:
    done = credcheck_into_pipe("score", str(EXAMPLE), "--format", "json", "-o", "/dev/stdout")
    assert done.returncode == 0, done.stderr.decode()
    assert len(json.loads(done.stdout)["assessments"]) == 17


@pytest.mark.slow  # a process; a stream as the output everyday: the test above
def test_brief_to_dev_stdout_reaches_a_pipe() -> None:
    done = credcheck_into_pipe("score", str(EXAMPLE), "--quiet", "--brief", "/dev/stdout")
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode("utf-8").startswith("# KPA desertions along the DMZ")


def test_dev_stdout_redirected_to_a_file_is_written_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    with open(target, "wb") as handle:
        done = subprocess.run([sys.executable, "-m", "credcheck", "score", str(EXAMPLE), "-f", "json", "-o", "/dev/stdout"],
                              stdout=handle, stderr=subprocess.PIPE, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(target.read_text(encoding="utf-8"))["assessments"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file beside it


def test_a_named_pipe_is_written_directly(tmp_path: Path) -> None:
    import os
    import threading
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    done = credcheck_into_pipe("score", str(EXAMPLE), "-f", "json", "-o", str(fifo))
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(received[0])["assessments"]
    assert fifo.is_fifo()
