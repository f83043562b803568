"""Located problems and the one exception type that carries them.

Every problem the user can cause points at a file position, so the message
reads `FILE:LINE:COL: field.path: message` and the user can jump to it.
"""
from __future__ import annotations

import contextlib
import difflib
import os
from collections.abc import Sized
from typing import Iterable, Iterator, Sequence

from .record import Record



class Mark(Record):
    """A 1-based position in a file."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


class Problem(Record):
    mark: Mark | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.mark}: " if self.mark else ""
        field = f"{self.path}: " if self.path else ""
        return f"{where}{field}{self.message}"


class CredcheckError(Exception):
    """Bad input: one or more located problems. The only error users see."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, mark: Mark | None, path: str, message: str) -> "CredcheckError":
        return cls([Problem(mark, path, message)])


class Problems:
    """Collects problems so validation can report all of them at once."""

    def __init__(self, limit: int = 200):
        self.items: list[Problem] = []
        self.limit = limit
        self.dropped = 0

    def add(self, mark: Mark | None, path: str, message: str) -> None:
        if len(self.items) < self.limit:
            self.items.append(Problem(mark, path, message))
        else:
            self.dropped += 1

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            items = list(self.items)
            if self.dropped:
                items.append(Problem(None, "", f"... and {self.dropped} more problems"))
            raise CredcheckError(items)


# --- what no check foresaw ---------------------------------------------------------
#
# Every problem an input can cause should be found by a check that says where it is.
# Should one slip through (an exception no check foresaw), the user still gets a
# message naming the input that caused it, and exit code 2, never a bare "internal
# error": each loader marks the file it has in hand (`reading`), and the command
# line's boundary turns such an exception into a problem with that file (`located`).

_INPUT = "credcheck_input"  # the attribute an unforeseen exception carries: the innermost file in hand


@contextlib.contextmanager
def reading(file: str) -> Iterator[None]:
    """`file` is the input in hand: an unforeseen exception raised meanwhile is blamed on it."""
    try:
        yield
    except Exception as exc:
        if not isinstance(exc, CredcheckError) and not hasattr(exc, _INPUT):
            try:
                setattr(exc, _INPUT, file)
            except (AttributeError, TypeError):  # an exception type without attributes: named by the boundary
                pass
        raise


def located(exc: BaseException) -> CredcheckError | None:
    """An unforeseen exception as a problem with the input that caused it; None for a plain bug.

    A path the system refuses (too long, a loop of symlinks, no permission) names
    that path; anything else the file that was in hand (see `reading`).
    """
    if os.environ.get("CREDCHECK_DEBUG"):
        return None  # show the traceback
    if isinstance(exc, CredcheckError):
        return exc
    if isinstance(exc, OSError):  # a path the system refuses; else the system's trouble (a closed pipe), not an input's
        return CredcheckError.single(None, "", f"{exc.filename}: {exc.strerror or exc}") if exc.filename is not None else None
    file = getattr(exc, _INPUT, None)
    if file is None or not isinstance(exc, Exception):
        return None
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return CredcheckError.single(None, "", f"{file}: credcheck cannot process this input ({detail}); "
                                           "please report it (CREDCHECK_DEBUG=1 shows where)")


# A hint compares the word with every choice: past these sizes it costs more than it
# helps, and a hostile file with a million unknown references must not take hours.
HINT_MAX_CHOICES = 5000
HINT_MAX_WORD = 200


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for a near miss, else ''."""
    if not isinstance(word, str) or len(word) > HINT_MAX_WORD:
        return ""
    pool = choices if isinstance(choices, Sized) else list(choices)
    if len(pool) > HINT_MAX_CHOICES:
        return ""
    close = difflib.get_close_matches(word, list(pool), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def one_of(choices: Iterable[str]) -> str:
    return ", ".join(sorted(choices))
