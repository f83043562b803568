"""`credcheck calibrate`: the figures, the JSON of CONTRACT.md 7.3, the diagram and plots, usage errors."""
from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credcheck.cli.app import app

runner = CliRunner()

SOURCES = """\
sources:
  - {id: wire, name: A wire, type: wire_service}
  - {id: daily, name: A daily, type: news_outlet}
  - {id: posts, name: Posts, type: social_media}
"""


def resolved_file(tmp_path: Path, n: int = 40) -> Path:
    """Claims the wire gets right, posts get wrong, the daily half and half; a few unresolved and unreported."""
    lines = [SOURCES, "claims:\n"]
    for i in range(n):
        true = i % 2 == 0
        status = "confirmed" if true else "refuted"
        reports = ["{source: wire}" if true else "{source: wire, stance: refutes}",
                   "{source: posts}" if not true else "{source: posts, stance: refutes}"]
        if i % 4 < 2:
            reports.append("{source: daily}")
        lines.append(f"  - {{id: c{i}, text: Claim {i}, outcome: {{status: {status}}}, reports: [{', '.join(reports)}]}}\n")
    lines.append("  - {id: open, text: Still open, outcome: {status: unresolved}, reports: [{source: wire}]}\n")
    lines.append("  - {id: quiet, text: Nobody reports it, outcome: {status: confirmed}}\n")
    path = tmp_path / "resolved.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def run(*args: str):
    return runner.invoke(app, ["calibrate", *args])


def test_json_has_the_contract_keys_and_counts(tmp_path):
    result = run(str(resolved_file(tmp_path)), "--format", "json", "--folds", "5")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert list(doc)[:8] == ["n", "n_true", "auc", "brier", "log_loss", "ece", "terms", "folds"]
    assert (doc["n"], doc["n_true"], doc["folds"], doc["unjudged"]) == (40, 20, 5, 1)
    for row in doc["terms"]:
        assert list(row)[:5] == ["term", "min", "max", "n", "n_true"]
        assert 0 <= row["min"] < row["max"] <= 1 and row["n_true"] <= row["n"]
    assert sum(row["n"] for row in doc["terms"]) == 40
    assert 0.0 <= doc["brier"] <= 1.0 and doc["auc"] > 0.9  # the wire is right every time
    assert [c["criterion"] for c in doc["criteria"]] == ["source", "corroboration", "verifiability", "language"]


def test_without_folds_the_files_are_scored_as_they_stand(tmp_path):
    doc = json.loads(run(str(resolved_file(tmp_path)), "-f", "json").stdout)
    assert doc["folds"] is None and doc["n"] == 40


def test_the_same_input_gives_the_same_bytes(tmp_path):
    path = str(resolved_file(tmp_path))
    assert run(path, "-f", "json", "--folds", "3").stdout == run(path, "-f", "json", "--folds", "3").stdout


def test_text_shows_the_figures_the_terms_and_the_diagram(tmp_path):
    result = run(str(resolved_file(tmp_path)), "--folds", "2")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Did the grades come true? 40 resolved claims (20 confirmed, 20 refuted; 1 nobody reports, left out), "
                          "rubric default.\n2 folds: each claim scored with track records from the other folds.\n")
    assert "AUC " in out and "Brier " in out and "(always the base rate: 0.250)" in out
    assert "Reliability diagram" in out and "┃" in out and "without source" in out


def test_markdown_report(tmp_path):
    result = run(str(resolved_file(tmp_path)), "-f", "md")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Did the grades come true?\n")
    assert "| term | range | n | came true | |" in result.stdout and "```" in result.stdout


def test_svg_plot_is_well_formed_and_deterministic(tmp_path):
    path = str(resolved_file(tmp_path))
    plot = tmp_path / "reliability.svg"
    result = run(path, "--plot", str(plot), "-f", "json")
    assert result.exit_code == 0, result.output
    first = plot.read_bytes()
    root = ET.fromstring(first)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(root.findall("{http://www.w3.org/2000/svg}circle")) >= 2
    run(path, "--plot", str(plot), "-f", "json")
    assert plot.read_bytes() == first


@pytest.mark.slow  # matplotlib alone takes 0.6 s to import; the plot itself everyday: the SVG test above
def test_png_plot_with_the_extra(tmp_path):
    pytest.importorskip("matplotlib")
    plot = tmp_path / "reliability.png"
    result = run(str(resolved_file(tmp_path)), "--plot", str(plot), "-f", "json")
    assert result.exit_code == 0, result.output
    assert plot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_png_plot_without_the_extra_names_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    plot = tmp_path / "reliability.png"
    result = run(str(resolved_file(tmp_path)), "--plot", str(plot))
    assert result.exit_code == 2
    assert "pip install -e '.[calibrate]'" in result.stderr
    assert not plot.exists()


@pytest.mark.parametrize("args,message", [
    (["--format", "html"], "--format must be one of: text, json, md (got 'html')"),
    (["--plot", "x.pdf"], "--plot writes .svg or .png (got 'x.pdf')"),
    (["--folds", "1"], "--folds must be at least 2 (got 1)"),
    (["-o", "overlay.yaml"], "-o names the overlay rubric that --fit writes: add --fit"),
])
def test_usage_errors_exit_2(tmp_path, args, message):
    result = run(str(resolved_file(tmp_path)), *args)
    assert result.exit_code == 2
    assert f"error: {message}" in result.stderr


def test_no_resolved_claim_is_an_error(tmp_path):
    path = tmp_path / "open.yaml"
    path.write_text(SOURCES + "claims:\n  - {id: a, text: A, reports: [{source: wire}]}\n", encoding="utf-8")
    result = run(str(path))
    assert result.exit_code == 2 and "no resolved claim to measure" in result.stderr


def test_a_bad_file_is_located(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(SOURCES + "claims:\n  - {id: a, text: A, outcome: {status: maybe}}\n", encoding="utf-8")
    result = run(str(path))
    assert result.exit_code == 2 and "bad.yaml:6:" in result.stderr and "Traceback" not in result.output


def test_score_shows_the_outcome_in_json(tmp_path):
    result = runner.invoke(app, ["score", str(resolved_file(tmp_path)), "-f", "json"])
    doc = json.loads(result.stdout)
    by_id = {a["id"]: a for a in doc["assessments"]}
    assert by_id["c0"]["outcome"] == "confirmed" and by_id["c1"]["outcome"] == "refuted"
    assert by_id["open"]["outcome"] == "unresolved"
    path = tmp_path / "plain.yaml"
    path.write_text(SOURCES + "claims:\n  - {id: a, text: A, reports: [{source: wire}]}\n", encoding="utf-8")
    plain = json.loads(runner.invoke(app, ["score", str(path), "-f", "json"]).stdout)
    assert "outcome" not in plain["assessments"][0]


# --- the fit and its overlay -------------------------------------------------------------------

def test_fit_writes_an_overlay_that_extends_the_rubric_given(tmp_path):
    overlay = tmp_path / "overlay.yaml"
    result = run(str(resolved_file(tmp_path)), "--folds", "2", "--fit", "-o", str(overlay), "-f", "json")
    assert result.exit_code == 0, result.output
    text = overlay.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("# Fitted by credcheck") and "on 40 resolved claims (20 confirmed)" in lines[0]
    assert "extends: default" in lines and "name: default-calibrated" in lines
    prior = next(line for line in lines if line.startswith("prior: "))
    scale = next(line for line in lines if line.startswith("scale: "))
    assert "# fitted (was -2.5)" in prior and "# fitted (was 1)" in scale
    assert "on 40 resolved claims (20 confirmed), scored with track records from the other of 2 folds" in scale
    doc = json.loads(result.stdout)
    assert doc["fit"]["n"] == 40 and "before_fit" in doc
    # the overlay is a rubric: calibrate and score take it
    again = run(str(resolved_file(tmp_path)), "-r", str(overlay), "-f", "json")
    assert again.exit_code == 0, again.output


def test_the_overlay_never_replaces_the_rubric_it_extends(tmp_path):
    team = tmp_path / "team.yaml"
    team.write_text("extends: default\nname: team\n", encoding="utf-8")
    result = run(str(resolved_file(tmp_path)), "-r", str(team), "--fit", "-o", str(team))
    assert result.exit_code == 2 and "never changes a rubric in place" in result.stderr
    assert team.read_text(encoding="utf-8") == "extends: default\nname: team\n"


def test_an_overlay_of_a_rubric_file_extends_it_by_its_path_from_the_overlay(tmp_path, monkeypatch):
    # Run where the rubrics/ folder is (./rubrics is a rubric folder): a rubric's `extends` may
    # only name files in the rubric folders (rubric/confine.py), and the overlay lies elsewhere.
    monkeypatch.chdir(tmp_path)
    rubrics = tmp_path / "rubrics"
    rubrics.mkdir()
    (rubrics / "team.yaml").write_text("extends: default\nname: team\nprior: -1\n", encoding="utf-8")
    out = tmp_path / "fitted" / "team-fit.yaml"
    out.parent.mkdir()
    result = run(str(resolved_file(tmp_path)), "-r", str(rubrics / "team.yaml"), "--fit", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "extends: ../rubrics/team.yaml" in out.read_text(encoding="utf-8")
    assert "# fitted (was -1)" in out.read_text(encoding="utf-8")
    assert run(str(resolved_file(tmp_path)), "-r", str(out)).exit_code == 0


def test_scale_multiplies_every_weight_of_evidence(tmp_path):
    from credcheck import assess, load_claims, load_rubric
    half = tmp_path / "half.yaml"
    half.write_text("extends: default\nscale: 0.5\n", encoding="utf-8")
    path = resolved_file(tmp_path)
    plain, halved = load_rubric("default"), load_rubric(str(half))
    for a, b in zip(assess(load_claims(path, plain), plain), assess(load_claims(path, halved), halved)):
        if a.decibans is None:
            continue
        weights = sum(r.decibans for r in a.criteria.values())
        assert b.decibans == pytest.approx(plain.prior + 0.5 * weights, abs=0.01)
        assert any(reason.startswith("x0.5 scale: ") for reason in b.weighing)
