"""Rubric names are found as linters find their config: rubrics/ up to the repository root, then
CREDCHECK_RUBRIC_PATH, then the bundled rubrics; `credcheck rubrics` says where each came from."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credcheck import CredcheckError
from credcheck.cli.app import app
from credcheck.resources import rubrics_dir
from credcheck.rubric.model import find_rubric, load_rubric
from credcheck.rubric.search import ENV, rubric_folders

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dmz-desertions" / "claims.yaml"
runner = CliRunner()


def team_rubric(folder: Path, name: str, version: str = "1.0", extends: str = "default") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(f'extends: {extends}\nname: {name}\nversion: "{version}"\ndescription: {name} {version} in {folder.name}\n')
    return path


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with the team's rubrics at its root; the run starts two folders down."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    team_rubric(root / "rubrics", "osint")
    deeper = root / "desk" / "cases"
    deeper.mkdir(parents=True)
    monkeypatch.chdir(deeper)
    monkeypatch.delenv(ENV, raising=False)
    return root


def test_a_subfolder_finds_the_rubrics_at_the_repository_root(repo: Path) -> None:
    assert find_rubric("osint") == Path("../../rubrics/osint.yaml")
    assert load_rubric("osint").version == "1.0"
    result = runner.invoke(app, ["score", str(EXAMPLE), "--rubric", "osint", "-q", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert '"name": "osint"' in result.stdout


def test_the_nearest_rubrics_folder_wins(repo: Path) -> None:
    team_rubric(repo / "desk" / "rubrics", "osint", "2.0")
    assert load_rubric("osint").version == "2.0"
    assert [f.origin for f in rubric_folders()] == ["parent folder", "repository root", "bundled"]


def test_outside_a_repository_only_the_current_folder_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    team_rubric(tmp_path / "rubrics", "stray")
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    monkeypatch.delenv(ENV, raising=False)
    with pytest.raises(CredcheckError, match="unknown rubric 'stray'"):
        find_rubric("stray")
    monkeypatch.chdir(tmp_path)
    assert find_rubric("stray") == Path("rubrics/stray.yaml")


def test_the_environment_path_comes_after_the_repository_and_before_the_bundled(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared, other = tmp_path / "shared", tmp_path / "other"
    team_rubric(shared, "desk", "1.0")
    team_rubric(other, "desk", "2.0")
    team_rubric(other, "osint", "9.0")  # the repository's osint comes first
    monkeypatch.setenv(ENV, os.pathsep.join([str(shared), str(tmp_path / "missing"), "", str(other)]))
    assert load_rubric("desk").version == "1.0"
    assert load_rubric("osint").version == "1.0"
    assert [f.origin for f in rubric_folders()] == ["repository root", ENV, ENV, "bundled"]


def test_a_desk_default_may_extend_the_bundled_default_it_shadows(repo: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    team_rubric(shared, "default", "9")
    monkeypatch.setenv(ENV, str(shared))
    rubric = load_rubric("default")
    assert rubric.version == "9"
    assert [Path(f).resolve() for f in rubric.files] == [(rubrics_dir() / "default.yaml").resolve(),
                                                        (shared / "default.yaml").resolve()]
    assert load_rubric("osint").files[-2] == str(shared / "default.yaml")  # osint extends the desk's default


def test_rubrics_lists_where_each_came_from(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    team_rubric(shared, "default", "9")
    monkeypatch.setenv(ENV, os.pathsep.join([str(shared), str(tmp_path / "missing")]))
    monkeypatch.setenv("COLUMNS", "200")
    result = runner.invoke(app, ["rubrics"])
    assert result.exit_code == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("│ ") and line[2] != " "]  # first lines
    assert rows[0].startswith("│ osint ") and "../../rubrics/osint.yaml" in rows[0] and "repository root" in rows[0]
    assert rows[1].startswith("│ default ") and "│ 9 " in rows[1] and ENV in rows[1]
    assert rows[2].startswith("│ default ") and "bundled; shadowed" in rows[2] and "│ 2.0.0 " in rows[2]
    assert f"Looked in, in order: ../../rubrics (repository root), {shared} (${ENV}), " in result.stdout
    assert f"{tmp_path / 'missing'} (${ENV}, missing)" in result.stdout


def test_an_unknown_name_points_to_the_listing(repo: Path) -> None:
    result = runner.invoke(app, ["score", str(EXAMPLE), "--rubric", "osnit"])
    assert result.exit_code == 2
    assert "unknown rubric 'osnit' (did you mean 'osint'?)" in result.stderr
    assert "(where each is found: credcheck rubrics)" in result.stderr


def test_loading_a_rubric_looks_for_the_rubric_folders_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start-up: walking up to the repository root is done once a load, not once a lookup."""
    from credcheck.rubric import model, search

    calls = []
    real = search.search_path

    def counted(*args: object) -> tuple[Path, ...]:
        calls.append(args)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(search, "search_path", counted)
    monkeypatch.setattr(model, "search_path", counted)
    assert model.load_rubric("default", examples=False).name == "default"
    assert len(calls) == 1
