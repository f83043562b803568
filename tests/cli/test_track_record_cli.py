"""`credcheck track-record`: a sources file of right/wrong counts, fields of --sources kept, written atomically."""
from __future__ import annotations

import textwrap
from pathlib import Path

from typer.testing import CliRunner

from credcheck.cli.app import app

runner = CliRunner()

SOURCES = """\
# our team's sources
sources:
  - id: nis
    name: NIS
    type: intelligence_service
    reliability: B
    note: briefs reporters on Mondays
    owner: ROK government
  - {id: quiet, name: A source never heard from, type: ngo, track_record: {right: 3, wrong: 1}}
"""

HISTORY = """\
sources:
  - {id: yonhap, name: Yonhap, type: wire_service, note: wire}
  - {id: blog, name: A blog, type: social_media}
claims:
  - {id: a, text: A, outcome: {status: confirmed, date: 2026-12-01}, reports: [{source: yonhap, via: [nis]}, {source: blog}]}
  - {id: b, text: B, outcome: {status: refuted}, reports: [{source: nis}, {source: blog, stance: refutes}]}
  - {id: c, text: C, reports: [{source: blog}]}
"""

EXPECTED = """\
# Track records from 1 history file: 2 resolved claims of 3; 3 sources with a record.
# Written by credcheck track-record (docs/track-records.md says how lines are credited).
sources:
- id: nis
  name: NIS
  type: intelligence_service
  reliability: B
  note: briefs reporters on Mondays
  owner: ROK government
  track_record: {right: 1, wrong: 1}
- id: quiet
  name: A source never heard from
  type: ngo
  track_record: {right: 3, wrong: 1}
- {id: yonhap, name: Yonhap, type: wire_service, note: wire}
- id: blog
  name: A blog
  type: social_media
  track_record: {right: 2, wrong: 0}
"""


def files(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    (tmp_path / "history.yaml").write_text(HISTORY, encoding="utf-8")
    return tmp_path / "history.yaml", tmp_path / "sources.yaml"


def test_the_sources_file_counts_lines_and_keeps_every_given_field(tmp_path):
    history, sources = files(tmp_path)
    out = tmp_path / "out.yaml"
    result = runner.invoke(app, ["track-record", str(history), "--sources", str(sources), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == EXPECTED
    assert "wrote" in result.stderr and "2 sources credited over 2 resolved claims" in result.stderr


def test_the_same_input_gives_the_same_bytes_and_stdout_without_o(tmp_path):
    history, sources = files(tmp_path)
    first = runner.invoke(app, ["track-record", str(history), "-s", str(sources)])
    second = runner.invoke(app, ["track-record", str(history), "-s", str(sources)])
    assert first.exit_code == 0 and first.stdout == second.stdout == EXPECTED


def test_the_written_file_serves_as_sources_for_scoring(tmp_path):
    history, sources = files(tmp_path)
    out = tmp_path / "with-records.yaml"
    assert runner.invoke(app, ["track-record", str(history), "-s", str(sources), "-o", str(out)]).exit_code == 0
    claims = tmp_path / "new.yaml"
    claims.write_text("claims:\n  - {id: n, text: New, reports: [{source: blog}]}\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(claims), "--sources", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "blog: D from its record: 2 right, 0 wrong (prior E); holds up 57%" in result.stdout


def test_running_on_its_own_output_gives_the_same_counts(tmp_path):
    history, sources = files(tmp_path)
    once = tmp_path / "once.yaml"
    runner.invoke(app, ["track-record", str(history), "-s", str(sources), "-o", str(once)])
    history_only = tmp_path / "claims-only.yaml"
    history_only.write_text("claims:\n" + HISTORY.split("claims:\n", 1)[1], encoding="utf-8")
    twice = runner.invoke(app, ["track-record", str(history_only), "-s", str(once)])
    assert twice.exit_code == 0, twice.output
    assert twice.stdout.split("sources:\n", 1)[1] == EXPECTED.split("sources:\n", 1)[1]


def test_a_bad_history_file_is_located_and_leaves_the_output_alone(tmp_path):
    history, sources = files(tmp_path)
    out = tmp_path / "out.yaml"
    out.write_text("previous\n", encoding="utf-8")
    history.write_text(HISTORY.replace("status: refuted", "status: wrong"), encoding="utf-8")
    result = runner.invoke(app, ["track-record", str(history), "-s", str(sources), "-o", str(out)])
    assert result.exit_code == 2
    assert "history.yaml:6:" in result.stderr and "unknown outcome status 'wrong'" in result.stderr
    assert "Traceback" not in result.output
    assert out.read_text(encoding="utf-8") == "previous\n"


def test_several_history_files_add_up(tmp_path):
    history, sources = files(tmp_path)
    more = tmp_path / "more.yaml"
    more.write_text(textwrap.dedent("""\
        claims:
          - {id: d, text: D, outcome: {status: confirmed}, reports: [{source: nis}]}
        """), encoding="utf-8")
    result = runner.invoke(app, ["track-record", str(history), str(more), "-s", str(sources)])
    assert result.exit_code == 0, result.output
    assert "track_record: {right: 2, wrong: 1}" in result.stdout  # nis: 1-1 from history, 1-0 from more
    assert result.stdout.startswith("# Track records from 2 history files: 3 resolved claims of 4;")


def test_json_history_and_standard_input_are_read_too(tmp_path):
    import json
    import yaml
    history, sources = files(tmp_path)
    as_json = tmp_path / "history.json"
    as_json.write_text(json.dumps(yaml.safe_load(HISTORY), default=str), encoding="utf-8")
    from_json = runner.invoke(app, ["track-record", str(as_json), "-s", str(sources)])
    assert from_json.exit_code == 0, from_json.output
    assert from_json.stdout == EXPECTED
    from_stdin = runner.invoke(app, ["track-record", "-", "-s", str(sources)], input=HISTORY)
    assert from_stdin.exit_code == 0, from_stdin.output
    assert "- {id: yonhap, name: Yonhap, type: wire_service}" in from_stdin.stdout  # the model's fields (no note)
    assert "track_record: {right: 2, wrong: 0}" in from_stdin.stdout
