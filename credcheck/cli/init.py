"""`credcheck init [DIR]`: scaffold a team workspace."""

from pathlib import Path

import typer

from credcheck.cli.common import _run, _stderr


def init(
    directory: str = typer.Argument(".", metavar="[DIR]", help="Folder for the workspace (default: here)."),
    team: str = typer.Option("team", "--team", "-t", metavar="NAME", help="The team's name: rubrics/NAME.yaml."),
    force: bool = typer.Option(False, "--force", help="Overwrite files that already exist."),
) -> None:
    """Create a team workspace: a rubric extending default (with examples), a claims file, templates, schemas.

    Refuses to overwrite existing files (exit 2) unless --force.

    Example: credcheck init osint-desk --team osint
    """
    from credcheck.cli.scaffold import init as scaffold
    root = Path(directory)
    written = _run(lambda: scaffold(root, team, force))
    for path in written:
        _stderr(f"wrote {path}")
    where = "" if directory == "." else f"cd {directory} && "
    _stderr(f"next: {where}credcheck rubric test {team} && credcheck score claims.yaml --rubric {team}")
