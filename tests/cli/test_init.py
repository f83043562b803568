"""`credcheck init`: a team workspace that validates, scores and tests as it stands; never clobbers."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from credcheck.cli.app import app
from credcheck.resources import reports_dir

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()

EXPECTED = [
    ".pre-commit-config.yaml", "claims.yaml", "reports/_claim.md.j2", "reports/_methodology.md.j2",
    "reports/_sources.md.j2", "reports/_summary.md.j2", "reports/brief.md.j2", "rubrics/osint.yaml",
    "schemas/claims.schema.json", "schemas/rubric.schema.json", "schemas/sources.schema.json",
]


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    result = runner.invoke(app, ["init", str(tmp_path / "ws"), "--team", "osint"])
    assert result.exit_code == 0, result.output
    return tmp_path / "ws"


def test_init_writes_the_workspace(workspace: Path) -> None:
    assert files_in(workspace) == EXPECTED
    rubric = (workspace / "rubrics" / "osint.yaml").read_text(encoding="utf-8")
    assert rubric.startswith("# yaml-language-server: $schema=../schemas/rubric.schema.json\n")
    assert "\nextends: default\nname: osint\n" in rubric and "\nexamples:\n" in rubric
    claims = (workspace / "claims.yaml").read_text(encoding="utf-8")
    assert claims.startswith("# yaml-language-server: $schema=schemas/claims.schema.json\n")
    for template in sorted(reports_dir().glob("*.j2")):
        assert (workspace / "reports" / template.name).read_bytes() == template.read_bytes()


def test_the_workspace_validates_scores_and_tests(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workspace)
    assert runner.invoke(app, ["validate", "claims.yaml", "--rubric", "osint"]).exit_code == 0
    scored = runner.invoke(app, ["score", "claims.yaml", "--rubric", "osint", "--brief", "brief.md",
                                 "--template", "reports/brief.md.j2"])
    assert scored.exit_code == 0, scored.output
    assert "## Bottom line up front" in Path("brief.md").read_text(encoding="utf-8")
    tested = runner.invoke(app, ["rubric", "test", "osint"])
    assert tested.exit_code == 0, tested.output
    assert "rubric osint 0.1.0 (osint.yaml): 4 examples" in tested.stdout and "4 passed, 0 failed" in tested.stdout
    assert runner.invoke(app, ["explain", "claims.yaml", "port-closed", "--rubric", "osint"]).exit_code == 0


def test_the_team_rubric_starts_equal_to_default(workspace: Path) -> None:
    result = runner.invoke(app, ["rubric", "diff", "default", str(workspace / "rubrics" / "osint.yaml")])
    assert result.exit_code == 0
    changed = [line.split(":")[0].strip() for line in result.stdout.splitlines() if line.startswith("  ~")]
    assert changed == ["~ name", "~ version", "~ description"]


def test_init_refuses_to_overwrite_and_writes_nothing(workspace: Path) -> None:
    (workspace / "claims.yaml").write_text("mine\n", encoding="utf-8")
    (workspace / "reports" / "brief.md.j2").unlink()
    result = runner.invoke(app, ["init", str(workspace), "--team", "osint"])
    assert result.exit_code == 2
    assert f"error: {workspace / 'claims.yaml'}: already exists (--force overwrites)" in result.stderr
    assert (workspace / "claims.yaml").read_text(encoding="utf-8") == "mine\n"
    assert not (workspace / "reports" / "brief.md.j2").exists()  # nothing written, not even the missing file
    forced = runner.invoke(app, ["init", str(workspace), "--team", "osint", "--force"])
    assert forced.exit_code == 0
    assert (workspace / "claims.yaml").read_text(encoding="utf-8") != "mine\n"
    assert files_in(workspace) == EXPECTED


def test_init_defaults_to_here_and_team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "rubrics" / "team.yaml").is_file()
    assert "next: credcheck rubric test team" in result.stderr


@pytest.mark.parametrize("team,message", [
    ("../evil", "'../evil' cannot name a rubric file: use letters, digits, '-' and '_'"),
    ("default", "'default' is a built-in rubric's name"),
])
def test_init_rejects_bad_team_names(tmp_path: Path, team: str, message: str) -> None:
    result = runner.invoke(app, ["init", str(tmp_path), "--team", team])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: --team: {message}")
    assert list(tmp_path.iterdir()) == []


def test_init_into_a_file_is_bad_input(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {target}: exists and is not a folder\n"


# --- pre-commit hooks ---------------------------------------------------------------------

def test_pre_commit_hooks_run_real_commands() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"credcheck-validate", "credcheck-rubric-test"}
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["entry"].startswith("credcheck ")
        args = hook["entry"].split()[1:]
        assert runner.invoke(app, [*args, "--help"]).exit_code == 0, hook["id"]
    assert hooks["credcheck-rubric-test"]["pass_filenames"] is False


def test_validate_takes_several_files_as_a_hook_passes_them(tmp_path: Path) -> None:
    good = ROOT / "examples" / "dmz-desertions" / "claims.yaml"
    bad = tmp_path / "claims.yaml"
    bad.write_text("claims:\n  - {id: a}\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", "--quiet", str(good), str(bad), str(good)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {bad}:2:5: claims[0].text: missing required key 'text' in claim\n"
    ok = runner.invoke(app, ["validate", str(good), str(good)])
    assert ok.exit_code == 0 and ok.stderr.count("ok (17 claims, 15 sources)") == 2


# --- every new command documents itself ---------------------------------------------------

@pytest.mark.parametrize("command", [["rubric", "test"], ["rubric", "show"], ["rubric", "diff"], ["schema"],
                                     ["explain"], ["diff"], ["init"], ["rubric"]])
def test_every_team_command_has_help_with_an_example(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example: credcheck " + " ".join(command) in result.stdout


def test_readme_documents_every_team_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## For teams that maintain rubrics"):]
    for command in ("credcheck rubric test", "credcheck rubric show", "credcheck rubric diff", "credcheck schema",
                    "credcheck explain", "credcheck diff", "credcheck init", ".pre-commit-hooks.yaml"):
        assert command in section, command


def test_the_rubrics_listing_still_works() -> None:
    result = runner.invoke(app, ["rubrics"])
    assert result.exit_code == 0
    assert "default" in result.stdout and "2.0.0" in result.stdout
