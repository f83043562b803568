"""The files a rubric may make credcheck read: YAML files inside the rubric folders, nothing else.

A rubric from another team names other files: the rubric it `extends` (by
name or by path) and the lexicon its language criterion reads. Unchecked,
`extends: /proc/self/environ` or `lexicon: ../../.env` would make credcheck
open and parse any file it can read, and quote its structure and key names
in the errors. So, as templates are confined to their folders
(render/sandbox.py), every file a rubric references must be:

- a `.yaml` or `.yml` file, not a hidden one (`.env.yaml`);
- inside one of the rubric folders once every symlink and `..` is resolved:
  the folder of the rubric named on the command line, the folders searched
  for rubric names (`./rubrics`, the bundled rubrics), and what lies below them;
- a regular file (limits.read_limited refuses FIFOs, devices and folders).

A refusal names the reference as the rubric writes it, never anything read
from the file it points at. The rubric named on the command line itself is
trusted: the files you name are the files you meant.
"""
from __future__ import annotations

import contextlib
import contextvars
from pathlib import Path
from typing import Iterator

from credcheck.errors import CredcheckError, Mark
from credcheck.limits import Limits, os_reason
from credcheck.record import Record

YAML_SUFFIXES = (".yaml", ".yml")


class RubricFolders(Record):
    """Where the files of one rubric chain may be, and how they are read: the limits, and with positions or not."""

    roots: tuple[Path, ...]  # resolved
    limits: Limits
    positions: bool = True  # False: a rubric read without positions (model.py, _read_plain), its lexicon too

    @classmethod
    def around(cls, rubric: Path, search: tuple[Path, ...], limits: Limits,
               searched: tuple[Path, ...] | None = None) -> "RubricFolders":
        """The rubric's own folder, the folders searched by name and every folder rubric names are looked up in
        (rubric/search.py: rubrics/ here and up to the repository root, CREDCHECK_RUBRIC_PATH, the bundled rubrics;
        `searched`: those, when the caller has them already)."""
        from credcheck.rubric.search import search_path
        folders = (rubric.parent, *search, *(search_path() if searched is None else searched))
        roots: dict[Path, None] = {}
        for folder in folders:
            try:
                roots[folder.resolve()] = None
            except (OSError, RuntimeError):
                continue  # a folder that cannot be resolved holds nothing to admit
        return cls(tuple(roots), limits)

    def admit(self, path: Path, reference: str, what: str, mark: Mark | None, field: str) -> Path:
        """`path` if a rubric may make credcheck read it; else an error at `mark` naming only `reference`."""
        def refuse(why: str) -> CredcheckError:
            return CredcheckError.single(mark, field, f"{what} '{reference}' refused: {why}")

        if path.suffix not in YAML_SUFFIXES:
            raise refuse("only .yaml files can be named")
        if path.name.startswith("."):
            raise refuse("hidden files are not rubric files")
        try:
            real = path.resolve(strict=True)
        except FileNotFoundError:
            raise refuse("not found") from None
        except (OSError, RuntimeError) as exc:  # a symlink loop, a name too long
            raise refuse(os_reason(exc)) from None
        if not any(real.is_relative_to(root) for root in self.roots):
            raise refuse("it leads outside the rubric folders (the rubric's own folder and those `credcheck rubrics` lists)")
        return path


# The folders of the rubric being loaded, for what its criteria read while the rubric
# is checked (criteria/language.py loads the lexicon it names): None outside load_rubric.
_CURRENT: contextvars.ContextVar[RubricFolders | None] = contextvars.ContextVar("rubric_folders", default=None)


@contextlib.contextmanager
def loading(folders: RubricFolders) -> Iterator[None]:
    token = _CURRENT.set(folders)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def current() -> RubricFolders | None:
    return _CURRENT.get()
