"""Located problems and the one exception type that carries them.

Every problem the user can cause points at a file position, so the message
reads `FILE:LINE:COL: field.path: message` and the user can jump to it.
"""
from __future__ import annotations

import difflib
from collections.abc import Sized
from typing import Iterable, Sequence

from credcheck.record import Record



# Said of a syntax error that ends reading: mistakes after it are not known yet.
STOPPED = "; reading stopped here, nothing after it was checked"


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
