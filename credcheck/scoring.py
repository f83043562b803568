"""Scoring a loaded claims file claim by claim, as a renderer reads the assessments.

The JSON writer takes each assessment as it is made and forgets it, so a
100,000-claim run never holds every assessment (or the whole output) at once;
what a threshold (--fail-under) needs is kept as a small Grade per claim.
"""
from __future__ import annotations

from typing import Callable, Iterator, NamedTuple

from .engine import iter_assess
from .fastpath import PROGRESS_EVERY
from .model import Assessment, ClaimSet
from .rubric import Rubric


class Grade(NamedTuple):
    id: str
    admiralty: str
    credibility: int


class Scored:
    """The assessments of a claim set, in file order, made once as they are iterated."""

    def __init__(self, claims: ClaimSet, rubric: Rubric, progress: Callable[[int, int], None] | None = None):
        self.claims = claims
        self.rubric = rubric
        self.progress = progress
        self.grades: list[Grade] = []
        self._started = False

    def __iter__(self) -> Iterator[Assessment]:
        if self._started:
            raise RuntimeError("these assessments were made once already; keep a list(...) to read them twice")
        self._started = True
        grades, progress, total = self.grades, self.progress, len(self.claims.claims)
        for n, a in enumerate(iter_assess(self.claims.claims, self.claims.sources, self.rubric)):
            grades.append(Grade(a.id, a.admiralty, a.credibility))
            if progress is not None and n % PROGRESS_EVERY == 0:
                progress(n, total)
            yield a
        if progress is not None:
            progress(total, total)

    def __len__(self) -> int:
        return len(self.claims.claims)
