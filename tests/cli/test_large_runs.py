"""Large runs: parallel scoring, streamed output, the progress bar and the terminal table."""
from __future__ import annotations

import importlib.util
import io
import os
import pty
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from credcheck.render import parallel as scoring
from credcheck.load.claims import load_claims
from credcheck.cli.app import app
from credcheck.errors import CredcheckError
from credcheck.render.files import write_chunks
from credcheck.cli.progress import TerminalProgress, wanted
from credcheck.rubric.model import load_rubric

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = load_rubric("default")


def generated(tmp_path: Path, n: int) -> dict[str, Path]:
    spec = importlib.util.spec_from_file_location("bench_gen", ROOT / "bench" / "gen.py")
    gen = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(gen)  # type: ignore[union-attr]
    return gen.generate(n, tmp_path)


needs_fork = pytest.mark.skipif(not scoring.can_fork(), reason="parallel scoring forks (Linux only)")


@needs_fork
def test_parallel_output_is_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scoring, "MIN_SLICE", 40)  # so 300 claims make several slices
    path = generated(tmp_path, 300)["yaml"]
    runner = CliRunner()
    outputs = []
    for jobs in ("1", "3"):
        out = tmp_path / f"out-{jobs}.json"
        result = runner.invoke(app, ["score", str(path), "-f", "json", "-o", str(out), "--jobs", jobs, "--fail-under", "4"])
        assert result.exit_code == 1, result.output
        outputs.append((out.read_bytes(), result.stderr.splitlines()[-1]))
    assert outputs[0] == outputs[1]
    assert "48 claims graded worse than credibility 4: claim-000002 (F5), claim-000007 (F6), claim-000029 (F6)" in outputs[0][1]


@needs_fork
@pytest.mark.slow  # shares read in parallel to stdout everyday: tests/render/test_shares.py
def test_parallel_scoring_to_stdout_equals_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scoring, "MIN_SLICE", 40)
    path = generated(tmp_path, 200)["jsonl"]
    out = tmp_path / "out.json"
    runner = CliRunner()
    to_file = runner.invoke(app, ["score", str(path), "-f", "json", "-o", str(out), "-j", "2", "-q"])
    to_stdout = runner.invoke(app, ["score", str(path), "-f", "json", "-j", "2"])
    assert to_file.exit_code == to_stdout.exit_code == 0
    assert to_stdout.stdout == out.read_text(encoding="utf-8")


@needs_fork
def test_a_failing_worker_fails_the_run_and_keeps_the_old_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scoring, "MIN_SLICE", 40)
    path = generated(tmp_path, 200)["yaml"]
    claims = load_claims(path, RUBRIC)
    real = scoring.iter_assess

    def broken(claim_list: Any, sources: Any, rubric: Any) -> Any:
        if claim_list and claim_list[0] is not claims.claims[0]:  # every slice but this process's own
            raise ValueError("boom")
        return real(claim_list, sources, rubric)

    monkeypatch.setattr(scoring, "iter_assess", broken)
    from credcheck.render import Report, jsonout
    scored = scoring.Scored(claims, RUBRIC, jobs=2)
    out = tmp_path / "out.json"
    out.write_text("previous")
    with pytest.raises(RuntimeError, match="a scoring worker failed:(.|\n)*ValueError: boom"):
        write_chunks(out, jsonout.iter_chunks(Report(claims, RUBRIC, scored), listing=scored.json_listing()))
    assert out.read_text() == "previous"


def test_assessments_are_made_once(tmp_path: Path) -> None:
    claims = load_claims(generated(tmp_path, 5)["yaml"], RUBRIC)
    scored = scoring.Scored(claims, RUBRIC)
    assert len(list(scored)) == len(scored) == 5
    assert [g.id for g in scored.grades] == [c.id for c in claims.claims]
    with pytest.raises(RuntimeError, match="made once already"):
        list(scored)


def test_auto_jobs_only_for_large_inputs() -> None:
    assert scoring.auto_jobs(100) == 1
    assert 1 <= scoring.auto_jobs(10 * scoring.MIN_SLICE) <= scoring.MAX_JOBS


def test_write_chunks_keeps_the_old_file_when_producing_fails(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("previous")

    def chunks() -> Any:
        yield "partial"
        raise CredcheckError.single(None, "", "stop")

    with pytest.raises(CredcheckError):
        write_chunks(out, chunks())
    assert out.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


# --- progress ---------------------------------------------------------------------------------

class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_progress_bar_in_pipes_or_when_quiet() -> None:
    assert not wanted(False, stream=io.StringIO())
    assert not wanted(True, stream=FakeTerminal())
    assert not wanted(False, stdout_busy=True, stream=FakeTerminal())


def test_progress_bar_shows_once_a_run_takes_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TERM", raising=False)
    assert wanted(False, stream=FakeTerminal())
    stream = FakeTerminal()
    bar = TerminalProgress(delay=0.0, stream=stream)
    bar.reading(2048, 0.5)
    for done in (1024, 2048, 3072):  # a rate needs two steps after the first
        bar.scoring(done, 4096)
        time.sleep(0.01)
    bar._bar.refresh()  # what the refresh thread draws a quarter of a second later
    bar.close()
    shown = stream.getvalue()
    assert "reading" in shown and "scoring" in shown and "claims/s" in shown
    bar.scoring(4096, 4096)  # after close, nothing more is drawn
    assert stream.getvalue() == shown


def test_progress_bar_waits_for_its_delay() -> None:
    stream = FakeTerminal()
    bar = TerminalProgress(delay=60.0, stream=stream)
    bar.reading(10, 0.1)
    bar.scoring(10, 100)
    bar.close()
    assert stream.getvalue() == ""


@pytest.mark.slow  # a process; no bar off a terminal, in-process: test_no_progress_bar_in_pipes_or_when_quiet
def test_cli_in_a_pipe_prints_no_progress(tmp_path: Path) -> None:
    path = generated(tmp_path, 50)["yaml"]
    result = subprocess.run([sys.executable, "-m", "credcheck", "score", str(path), "-f", "json", "-o", str(tmp_path / "o.json")],
                            capture_output=True, text=True, check=True)
    assert result.stderr == f"wrote {tmp_path / 'o.json'}\n"


# --- the terminal table -----------------------------------------------------------------------

def run_in_terminal(args: list[str], columns: int = 200) -> str:
    """Run credcheck with stdout and stderr on a pseudo-terminal; return what it showed."""
    import fcntl
    import struct
    import termios
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {**os.environ, "COLUMNS": str(columns), "TERM": "xterm"}
    proc = subprocess.Popen([sys.executable, "-m", "credcheck", *args], stdout=slave, stderr=slave, stdin=subprocess.DEVNULL,
                            env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 1 << 16)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def test_terminal_shows_the_worst_50_and_a_summary(tmp_path: Path) -> None:
    path = generated(tmp_path, 120)["yaml"]
    shown = run_in_terminal(["score", str(path)])
    assert "showing the 50 worst-graded of 120 claims; --all shows every row" in shown
    assert "120 claims. Credibility: " in shown and "Flags: " in shown
    assert shown.count("claim-0") == 50


@pytest.mark.slow  # a process on a terminal; the terminal table everyday: the test above
def test_terminal_all_rows_with_all(tmp_path: Path) -> None:
    path = generated(tmp_path, 60)["yaml"]
    shown = run_in_terminal(["score", str(path), "--all"])
    assert "worst-graded" not in shown
    assert shown.count("claim-0") == 60


def test_a_pipe_gets_every_row(tmp_path: Path) -> None:
    path = generated(tmp_path, 60)["yaml"]
    result = subprocess.run([sys.executable, "-m", "credcheck", "score", str(path)], capture_output=True, text=True,
                            env={**os.environ, "COLUMNS": "200"}, check=True)
    assert "worst-graded" not in result.stdout and result.stdout.count("claim-0") == 60


def test_a_workers_part_is_copied_as_bytes_or_decoded_for_other_terminals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from credcheck.cli import score as cli
    from credcheck.render.files import FileText
    part = tempfile.TemporaryFile()
    part.write("[\"é\"]".encode())
    for encoding, expected in (("utf-8", "x[\"é\"]y"), ("ascii", None)):
        raw = io.BytesIO()
        stdout = io.TextIOWrapper(raw, encoding=encoding, errors="backslashreplace")
        monkeypatch.setattr(sys, "stdout", stdout)
        cli._print_stdout(["x", FileText(part), "y"])
        text = raw.getvalue().decode(encoding)
        assert text == (expected or "x[\"\\xe9\"]y")
    out = tmp_path / "o.json"
    write_chunks(out, ["x", FileText(part), "y"])
    assert out.read_text(encoding="utf-8") == "x[\"é\"]y"
