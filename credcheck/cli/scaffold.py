"""`credcheck init`: a team workspace that works as it stands.

    rubrics/<team>.yaml    extends default, with comments and its own examples
    claims.yaml            a claims file that validates and scores (sources inline)
    reports/*.md.j2        the default brief's templates, to change
    schemas/*.schema.json  JSON Schemas, so editors check files as they are typed
    .pre-commit-config.yaml  validate and rubric test before each commit

Every file is rendered before any is written, and nothing is overwritten
unless asked: an existing file is bad input.
"""
from __future__ import annotations

import re
import string
import tempfile
from pathlib import Path

from credcheck.errors import CredcheckError, Problem
from credcheck.render.files import write_text
from credcheck.resources import reports_dir, rubrics_dir
from credcheck.rubric.model import Rubric, load_rubric
from credcheck.rubric.json_schema import KINDS, generate

SKELETON = Path(__file__).resolve().parent / "skeleton"
TEAM_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")

PRE_COMMIT = """\
# pre-commit (https://pre-commit.com): `pre-commit install` once, then every
# commit validates the claims files and runs the rubrics' examples. The hooks
# use the credcheck installed on your PATH.
repos:
  - repo: local
    hooks:
      - id: credcheck-validate
        name: credcheck validate
        entry: credcheck validate --quiet --rubric $team
        language: system
        files: (^|/)claims[^/]*\\.ya?ml$
      - id: credcheck-rubric-test
        name: credcheck rubric test
        entry: credcheck rubric test
        language: system
        files: ^rubrics/.*\\.ya?ml$
        pass_filenames: false
"""


def check_team(team: str) -> None:
    if not TEAM_NAME.match(team):
        raise CredcheckError.single(None, "--team", f"'{team}' cannot name a rubric file: use letters, digits, '-' and '_'")
    if (rubrics_dir() / f"{team}.yaml").is_file():
        raise CredcheckError.single(None, "--team", f"'{team}' is a built-in rubric's name: a team rubric of that name "
                                    "would hide the rubric it extends; choose another")


def plan(team: str) -> dict[str, str]:
    """Relative path -> text of every file the workspace gets."""
    check_team(team)
    fill = {"team": team}
    files = {
        f"rubrics/{team}.yaml": _fill("rubric.yaml", fill),
        "claims.yaml": _fill("claims.yaml", fill),
        ".pre-commit-config.yaml": string.Template(PRE_COMMIT).safe_substitute(fill),
    }
    for template in sorted(reports_dir().glob("*.j2")):
        files[f"reports/{template.name}"] = template.read_text(encoding="utf-8")
    rubric = _load_team_rubric(files[f"rubrics/{team}.yaml"], team)
    for kind in KINDS:
        files[f"schemas/{kind}.schema.json"] = generate(kind, rubric)
    return files


def _fill(name: str, values: dict[str, str]) -> str:
    return string.Template((SKELETON / name).read_text(encoding="utf-8")).safe_substitute(values)


def _load_team_rubric(text: str, team: str) -> Rubric:
    """The new rubric, loaded as credcheck will load it, so its schemas carry its name and vocabulary."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{team}.yaml"
        path.write_text(text, encoding="utf-8")
        return load_rubric(path)


def conflicts(directory: Path, files: dict[str, str]) -> list[Path]:
    return [directory / rel for rel in files if (directory / rel).exists()]


def init(directory: Path, team: str = "team", force: bool = False) -> list[Path]:
    """Write the workspace; refuses (writing nothing) if a file exists, unless `force`."""
    if directory.exists() and not directory.is_dir():
        raise CredcheckError.single(None, "", f"{directory}: exists and is not a folder")
    files = plan(team)
    taken = conflicts(directory, files)
    if taken and not force:
        raise CredcheckError([Problem(None, "", f"{path}: already exists (--force overwrites)") for path in taken])
    written = []
    for rel, text in files.items():
        target = directory / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CredcheckError.single(None, "", f"{target.parent}: cannot create folder: {exc.strerror}") from None
        write_text(target, text)
        written.append(target)
    return written
