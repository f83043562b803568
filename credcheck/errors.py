"""Located problems and the one exception type that carries them.

Every problem the user can cause points at a file position, so the message
reads `FILE:LINE:COL: field.path: message` and the user can jump to it.
"""
from __future__ import annotations

import bisect
import contextlib
import difflib
import os
from collections.abc import Sized
from typing import Iterable, Iterator, Sequence

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


# A hint compares the word with candidates from the vocabulary. A small vocabulary is
# compared whole; a large one only through its nearest words in sorted order, forwards and
# backwards (a typo rarely touches both ends of a word), so each hint costs a bounded
# number of comparisons: 300 unknown references among 4,900 sources took 55 s when each
# was compared with every id. Past HINT_MAX_CHOICES or HINT_MAX_WORD no hint is given.
HINT_MAX_CHOICES = 5000
HINT_MAX_WORD = 200
HINT_FULL_SCAN = 200  # vocabularies up to this size are compared whole
HINT_NEIGHBOURS = 24  # otherwise: this many words either side of the word, in each order


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for a near miss, else ''."""
    if not isinstance(word, str) or len(word) > HINT_MAX_WORD:
        return ""
    pool = choices if isinstance(choices, Sized) else list(choices)
    if len(pool) > HINT_MAX_CHOICES:
        return ""
    candidates = list(pool) if len(pool) <= HINT_FULL_SCAN else _Neighbours.of(pool).near(word)
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class _Neighbours:
    """A vocabulary sorted forwards and by reversed words, for the words near a given one."""

    _last: "tuple[object, int, _Neighbours] | None" = None  # one vocabulary at a time: a check asks of the same one

    def __init__(self, pool: Iterable[str]):
        words = sorted({w for w in pool if isinstance(w, str) and len(w) <= HINT_MAX_WORD})
        self.forwards = words
        self.backwards = sorted(w[::-1] for w in words)

    @classmethod
    def of(cls, pool: Sized) -> "_Neighbours":
        last = cls._last
        if last is None or last[0] is not pool or last[1] != len(pool):
            last = cls._last = (pool, len(pool), cls(pool))  # type: ignore[arg-type]
        return last[2]

    def near(self, word: str) -> list[str]:
        found: dict[str, None] = {}
        for words, key, flip in ((self.forwards, word, False), (self.backwards, word[::-1], True)):
            at = bisect.bisect_left(words, key)
            for w in words[max(0, at - HINT_NEIGHBOURS):at + HINT_NEIGHBOURS]:
                found[w[::-1] if flip else w] = None
        return sorted(found)


def one_of(choices: Iterable[str]) -> str:
    return ", ".join(sorted(choices))
