"""The command line as an analyst uses it: options, formats, exit codes, stdin."""
from __future__ import annotations

import json
import re
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credcheck import __version__
from credcheck.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dmz-desertions" / "claims.yaml"
runner = CliRunner()

SMALL = """\
title: Small test set
as_of: 2026-11-01
sources:
  - {id: nis, name: South Korean intelligence, type: intelligence_service, reliability: B, owner: ROK government}
  - {id: yonhap, name: Yonhap, type: wire_service}
  - {id: defector, name: A defector, type: defector_testimony}
claims:
  - id: strong
    text: Two independent lines and verified imagery.
    reports:
      - {source: nis, access: first_hand}
      - {source: defector, access: first_hand}
    evidence:
      - {type: imagery, verified: true}
  - id: circular
    text: Yonhap relays NIS, nothing else.
    reports:
      - {source: nis}
      - {source: yonhap, via: [nis]}
  - id: nobody
    text: Nobody reports this.
"""


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "claims.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"credcheck {__version__}"


def test_table_lists_every_claim_best_first(small: Path) -> None:
    result = run("score", str(small))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.index("strong") < out.index("circular") < out.index("nobody")
    assert "F6" in out and "circular_reporting" in out


def test_json_follows_the_contract(small: Path) -> None:
    result = run("score", str(small), "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert set(doc) >= {"credcheck_version", "rubric", "input_sha256", "assessments"}
    assert set(doc["rubric"]) >= {"name", "version", "sha256"}
    by_id = {a["id"]: a for a in doc["assessments"]}
    assert [a["id"] for a in doc["assessments"]] == ["strong", "circular", "nobody"]  # input order
    circular = by_id["circular"]
    assert circular["criteria"]["corroboration"]["independent_supporting"] == 1
    assert circular["criteria"]["corroboration"]["independent_refuting"] == 0
    assert "circular_reporting" in circular["flags"] and "single_source" in circular["flags"]
    assert by_id["nobody"]["credibility"] == {"code": 6, "label": "Truth cannot be judged"}
    assert by_id["nobody"]["likelihood"] is None
    for a in doc["assessments"]:
        assert a["admiralty"] == a["reliability"]["code"] + str(a["credibility"]["code"])
        assert 0 <= a["score"] <= 100
        for c in ("source", "corroboration", "verifiability"):
            assert set(a["criteria"][c]) >= {"score", "weight", "reasons"}


def test_input_sha256_is_the_files_sha256(small: Path) -> None:
    import hashlib
    doc = json.loads(run("score", str(small), "-f", "json").stdout)
    assert doc["input_sha256"] == hashlib.sha256(small.read_bytes()).hexdigest()


def test_markdown_to_stdout_is_the_brief(small: Path) -> None:
    result = run("score", str(small), "--format", "md")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Small test set\n")
    assert "## Bottom line up front" in result.stdout
    assert result.stderr == ""


def test_output_file_and_brief_alongside_table(small: Path, tmp_path: Path) -> None:
    out, brief = tmp_path / "out.json", tmp_path / "brief.md"
    result = run("score", str(small), "-f", "json", "-o", str(out), "--brief", str(brief))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(out.read_text())["assessments"]
    assert brief.read_text().startswith("# Small test set")
    assert f"wrote {out}" in result.stderr


def test_table_to_output_file_is_plain_text(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "table.txt"
    assert run("score", str(small), "-o", str(out)).exit_code == 0
    text = out.read_text()
    assert "strong" in text and "\x1b[" not in text


def test_quiet_prints_nothing_but_writes(small: Path, tmp_path: Path) -> None:
    brief = tmp_path / "b.md"
    result = run("score", str(small), "--quiet", "--brief", str(brief))
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""
    assert brief.exists()


@pytest.mark.parametrize("threshold, code", [(6, 0), (5, 1), (2, 1), (1, 1)])
def test_fail_under(small: Path, threshold: int, code: int) -> None:
    result = run("score", str(small), "--fail-under", str(threshold), "-f", "json")
    assert result.exit_code == code
    if code:
        assert "nobody (F6)" in result.stderr


def test_fail_under_passes_when_all_claims_are_good_enough(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(SMALL.split("  - id: circular")[0], encoding="utf-8")
    assert run("score", str(path), "--fail-under", "3", "-q").exit_code == 0


@pytest.mark.parametrize("args", [["--fail-under", "0"], ["--fail-under", "7"], ["--format", "xml"], ["--bogus"]])
def test_usage_errors_exit_2(small: Path, args: list[str]) -> None:
    assert run("score", str(small), *args).exit_code == 2


def test_stdin(small: Path) -> None:
    result = run("score", "-", "-f", "json", input=small.read_text())
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["assessments"]) == 3


def test_bad_input_exit_2_with_location(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("claims:\n  - id: a\n    txt: x\n    reports: [{source: ghost}]\n", encoding="utf-8")
    result = run("score", str(path))
    assert result.exit_code == 2
    assert f"{path}:3:5: claims[0].txt: unknown key 'txt' in claim (did you mean 'text'?)" in result.stderr
    assert f"{path}:4:24: claims[0].reports[0].source: unknown source 'ghost'" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_exit_2() -> None:
    result = run("score", "no-such-file.yaml")
    assert result.exit_code == 2
    assert "no-such-file.yaml: no such file" in result.stderr


def test_bad_input_leaves_previous_output_untouched(tmp_path: Path, small: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("previous good output\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("claims: [\n")
    assert run("score", str(bad), "-f", "json", "-o", str(out)).exit_code == 2
    assert out.read_text() == "previous good output\n"


def test_failed_brief_render_writes_neither_output(tmp_path: Path, small: Path) -> None:
    out, brief = tmp_path / "out.json", tmp_path / "brief.md"
    out.write_text("old json\n")
    brief.write_text("old brief\n")
    template = tmp_path / "broken.md.j2"
    template.write_text("{{ brief.no_such_field }}\n")
    result = run("score", str(small), "-f", "json", "-o", str(out), "--brief", str(brief), "--template", str(template))
    assert result.exit_code == 2
    assert "no_such_field" in result.stderr
    assert out.read_text() == "old json\n" and brief.read_text() == "old brief\n"


def test_rubric_by_name_and_by_path(small: Path, tmp_path: Path) -> None:
    team = tmp_path / "strict.yaml"
    team.write_text(textwrap.dedent("""\
        extends: default
        version: "1"
        description: strict desk
        rules:
          - id: single-line-unverified
            when: {independent_supporting: 1, verified_evidence: 0}
            cap: 5
            reason: our desk does not accept single unverified lines
        """), encoding="utf-8")
    default = json.loads(run("score", str(small), "-f", "json", "--rubric", "default").stdout)
    strict = json.loads(run("score", str(small), "-f", "json", "--rubric", str(team)).stdout)
    assert strict["rubric"]["name"] == "strict"
    grades = {a["id"]: a["credibility"]["code"] for a in strict["assessments"]}
    assert grades["circular"] == 5
    assert {a["id"]: a["credibility"]["code"] for a in default["assessments"]}["circular"] < 5


def test_unknown_rubric_name(small: Path) -> None:
    result = run("score", str(small), "--rubric", "defualt")
    assert result.exit_code == 2
    assert "unknown rubric 'defualt' (did you mean 'default'?)" in result.stderr


def test_sources_file(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_text("sources:\n  - {id: wire, name: A wire, type: wire_service}\n")
    (tmp_path / "claims.yaml").write_text("claims:\n  - id: c\n    text: t\n    reports: [{source: wire}]\n")
    result = run("score", str(tmp_path / "claims.yaml"), "--sources", str(tmp_path / "sources.yaml"), "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["assessments"][0]["reliability"]["code"] == "B"


def test_named_template(small: Path) -> None:
    result = run("score", str(small), "-f", "md", "--template", "brief")
    assert result.exit_code == 0
    assert result.stdout == run("score", str(small), "-f", "md").stdout


def test_custom_template_overrides_one_piece(small: Path, tmp_path: Path) -> None:
    (tmp_path / "mine.md.j2").write_text('{% include "_summary.md.j2" %}')
    (tmp_path / "_summary.md.j2").write_text("{% for c in brief.claims %}* {{ c.admiralty }} {{ c.id }}\n{% endfor %}")
    result = run("score", str(small), "-f", "md", "--template", str(tmp_path / "mine.md.j2"))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(re.fullmatch(r"\* [A-F][1-6] \S+", line) for line in lines), lines  # only the team's piece
    assert sorted(line.split()[2] for line in lines) == ["circular", "nobody", "strong"]
    assert lines[-1] == "* F6 nobody"  # best first: nobody reports it


def test_validate_ok_and_bad(small: Path, tmp_path: Path) -> None:
    ok = run("validate", str(small))
    assert ok.exit_code == 0
    assert "ok (3 claims, 3 sources)" in ok.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("claims:\n  - {id: a, text: t, evidence: [{type: imagry}]}\n")
    result = run("validate", str(bad))
    assert result.exit_code == 2
    assert "unknown evidence type 'imagry' (did you mean 'imagery'?)" in result.stderr


def test_validate_counts_in_words(tmp_path: Path) -> None:
    one = tmp_path / "one.yaml"
    one.write_text("sources:\n  - {id: s, name: S, type: wire_service}\nclaims:\n  - {id: a, text: One thing happened.}\n")
    result = run("validate", str(one))
    assert result.exit_code == 0
    assert result.stderr.strip().endswith("ok (1 claim, 1 source)")


def test_validate_stdin(small: Path) -> None:
    result = run("validate", "-", input=small.read_text())
    assert result.exit_code == 0
    assert "<stdin>: ok" in result.stderr


def test_rubrics_lists_default() -> None:
    result = run("rubrics")
    assert result.exit_code == 0
    assert "default" in result.stdout and "2.0.0" in result.stdout


def test_every_command_has_help_with_an_example() -> None:
    for command in app.registered_commands:
        assert command.callback is not None
        assert "Example:" in (command.callback.__doc__ or ""), command.callback.__name__


# --- through a real process: the installed console script, pipes, exit codes ---
# A process each (0.3 s): the everyday run keeps one per behaviour; those marked slow repeat one
# already checked in-process above or by a kept process test, and CI runs them.

def _cli(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "credcheck", *args], input=stdin, capture_output=True, env=full_env, timeout=60)


@pytest.mark.slow  # stdin in-process: test_stdin; a clean stdout in a process: the tests below
def test_process_stdin_and_clean_json_stdout(small: Path) -> None:
    proc = _cli("score", "-", "--format", "json", stdin=small.read_bytes())
    assert proc.returncode == 0
    json.loads(proc.stdout)
    assert proc.stderr == b""


def test_process_no_colour_in_pipes_and_no_traceback_on_garbage(tmp_path: Path) -> None:
    proc = _cli("score", str(EXAMPLE))
    assert proc.returncode == 0 and b"\x1b[" not in proc.stdout
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(b"\x00\xff\xfe garbage")
    proc = _cli("score", str(junk))
    assert proc.returncode == 2
    assert b"Traceback" not in proc.stderr and str(junk).encode() in proc.stderr


@pytest.mark.slow  # two processes; colour off in a pipe: the test above
def test_process_forced_terminal_colour_respects_no_color(small: Path) -> None:
    coloured = _cli("score", str(small), env={"FORCE_COLOR": "1", "TERM": "xterm-256color"})
    assert b"\x1b[" in coloured.stdout
    plain = _cli("score", str(small), env={"FORCE_COLOR": "1", "NO_COLOR": "1", "TERM": "xterm-256color"})
    assert b"\x1b[3" not in plain.stdout  # no colour codes (bold/dim styles may remain)


@pytest.mark.slow  # outputs to devices and streams everyday: tests/render/test_output_streams.py
def test_writing_to_dev_null_is_allowed() -> None:
    proc = _cli("score", str(EXAMPLE), "--brief", os.devnull, "-q")
    assert proc.returncode == 0
    assert Path(os.devnull).exists() and not Path(os.devnull).is_file()


# What scoring a valid file to JSON never needs: the located checkers (a valid file is read on the
# fast paths), a rubric's examples and JSON Schema, explain's trace, calibration and extraction.
NOT_FOR_JSON_SCORING = ("credcheck.load.located", "credcheck.rubric.examples", "credcheck.score.examples",
                        "credcheck.rubric.json_schema", "credcheck.rubric.show", "credcheck.score.trace",
                        "credcheck.calibrate", "credcheck.extract")


def test_json_scoring_imports_neither_rich_nor_jinja(small: Path) -> None:
    """Start-up budget: JSON output must not pay for the table, the brief, the other commands
    or the checkers a valid file never needs (bench/run.py measures the time)."""
    probe = ("import sys, runpy; sys.argv = ['credcheck', 'score', sys.argv[1], '--format', 'json', '-o', sys.argv[2]]\n"
             "try:\n    runpy.run_module('credcheck', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             f"unneeded = {NOT_FOR_JSON_SCORING!r}\n"
             "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'jinja2', 'json')\n"
             "               or any(m == u or m.startswith(u + '.') for u in unneeded))\n"
             "sys.stderr.write(repr(heavy))")
    out = small.parent / "out.json"
    proc = subprocess.run([sys.executable, "-c", probe, str(small), str(out)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "CREDCHECK_DEBUG": "1"})  # so the process goes on after the command
    assert out.exists()
    assert proc.stderr.strip().endswith("[]"), proc.stderr[-500:]


def test_command_annotations_are_objects_not_text() -> None:
    """Start-up: typer reads every command's annotations on each run, and compiles and evaluates
    each one given as text (`from __future__ import annotations` in a command module): 1.5 ms
    of every run over the whole CLI. cli/common.py says so; this holds every command to it."""
    def callbacks(typer_app):  # type: ignore[no-untyped-def]
        if typer_app.registered_callback is not None:
            yield typer_app.registered_callback.callback
        for info in typer_app.registered_commands:
            yield info.callback
        for group in typer_app.registered_groups:
            yield from callbacks(group.typer_instance)

    found = [f for f in callbacks(app) if f is not None]
    assert len(found) >= 14  # the root, eleven commands, rubric test/show/diff
    as_text = [f"{f.__module__}.{f.__name__}: {name}" for f in found
               for name, annotation in f.__annotations__.items() if isinstance(annotation, str)]
    assert as_text == []


def test_every_exported_name_resolves_on_first_use() -> None:
    """credcheck's names import lazily (start-up); each must still be there, and listed."""
    import credcheck
    assert sorted(credcheck.__all__) == sorted([*credcheck._EXPORTS, "validate"])
    for name in credcheck.__all__:
        assert getattr(credcheck, name) is not None
    with pytest.raises(AttributeError):
        credcheck.no_such_name  # noqa: B018


# --- the end of a run: the `credcheck` program ends its process without freeing its objects ---

_ENDS = ("import atexit, sys\n"
         "atexit.register(lambda: sys.stderr.write('interpreter exit\\n'))\n"
         "sys.argv = ['credcheck', *sys.argv[1:]]\n"
         "from credcheck.__main__ import main\n"
         "main()\n")


def test_the_program_ends_its_process_once_output_is_flushed(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    proc = subprocess.run([sys.executable, "-c", _ENDS, "score", str(small), "-f", "json", "--fail-under", "1",
                           "--brief", str(out)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1  # the threshold's exit code survives
    json.loads(proc.stdout)  # stdout complete: flushed before the end
    assert "graded worse than credibility 1" in proc.stderr and out.read_text(encoding="utf-8").startswith("#")
    assert "interpreter exit" not in proc.stderr  # ended there: no teardown


@pytest.mark.slow  # two processes; how the program ends everyday: the test above
@pytest.mark.parametrize("env, runner", [({"CREDCHECK_DEBUG": "1"}, []), ({}, ["-m", "cProfile", "-o", "PROFILE"])])
def test_debugging_or_profiling_exits_through_the_interpreter(small: Path, tmp_path: Path, env: dict[str, str],
                                                               runner: list[str]) -> None:
    profile = tmp_path / "run.prof"
    args = [a.replace("PROFILE", str(profile)) for a in runner]
    probe = tmp_path / "probe.py"
    probe.write_text(_ENDS)
    proc = subprocess.run([sys.executable, *args, str(probe), "score", str(small), "-f", "json"], capture_output=True,
                          text=True, timeout=60, env={**os.environ, **env})
    assert proc.returncode == 0 and json.loads(proc.stdout)
    assert "interpreter exit" in proc.stderr
    assert profile.exists() == bool(runner)  # the profiler wrote its results at exit
