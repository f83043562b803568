"""Where `--rubric NAME` is looked for, the way linters find their config.

In order, the first NAME.yaml found wins:

1. `rubrics/` in the current folder, then in each parent folder up to the
   repository root (the nearest folder holding `.git`): a team's rubrics at
   the top of its repository are found from any subfolder. Outside a
   repository only the current folder's `rubrics/` is read, so a stray
   `rubrics/` higher up (in a home or temporary folder) is never picked up.
2. Each folder of `CREDCHECK_RUBRIC_PATH` (folders separated by `os.pathsep`,
   `:` on POSIX, `;` on Windows), as given: a desk's shared rubrics.
3. The rubrics bundled with credcheck (`default`).

`credcheck rubrics` lists every rubric found and where it came from.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

from credcheck import resources
from credcheck.record import Record

ENV = "CREDCHECK_RUBRIC_PATH"


class RubricFolder(Record):
    path: Path  # as shown to the user: relative for the repository's folders
    origin: str  # "current folder", "parent folder", "repository root", ENV, "bundled"
    exists: bool = True


def rubric_folders(cwd: Path | None = None, environ: Mapping[str, str] | None = None,
                   include_missing: bool = False) -> tuple[RubricFolder, ...]:
    """The folders searched for rubric names, in order (the module docstring's)."""
    found = list(_repository_folders(Path.cwd() if cwd is None else cwd))
    value = (os.environ if environ is None else environ).get(ENV, "")
    for entry in value.split(os.pathsep):
        if entry.strip():
            folder = Path(entry).expanduser()
            if folder.is_dir() or include_missing:
                found.append(RubricFolder(folder, ENV, folder.is_dir()))
    found.append(RubricFolder(resources.rubrics_dir(), "bundled"))
    return _each_once(found)


def _each_once(folders: list[RubricFolder]) -> tuple[RubricFolder, ...]:
    """A folder reached twice (the bundled rubrics/ of a source checkout is also its repository's) counts once, first."""
    seen: set[Path] = set()
    kept = []
    for folder in folders:
        key = folder.path.resolve()
        if key not in seen:
            seen.add(key)
            kept.append(folder)
    return tuple(kept)


def search_path(cwd: Path | None = None, environ: Mapping[str, str] | None = None) -> tuple[Path, ...]:
    """The folders of rubric_folders, as paths."""
    return tuple(f.path for f in rubric_folders(cwd, environ))


def _repository_folders(cwd: Path) -> list[RubricFolder]:
    """`rubrics/` here and in each parent up to the repository root; only here outside a repository."""
    found: list[RubricFolder] = []
    here = cwd.resolve()
    relative = here == Path.cwd().resolve()  # shown as ../rubrics only when that is where it is from here
    for up, folder in enumerate((here, *here.parents)):
        shown = (Path(*([".."] * up)) / "rubrics" if up else Path("rubrics")) if relative else folder / "rubrics"
        root = (folder / ".git").exists()
        if (folder / "rubrics").is_dir():
            origin = "current folder" if up == 0 else "repository root" if root else "parent folder"
            found.append(RubricFolder(shown, origin))
        if root:
            return found
    return found[:1] if found and found[0].origin == "current folder" else []
