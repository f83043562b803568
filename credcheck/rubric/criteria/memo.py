"""Results that repeat across claims, computed once per scoring plan.

Some criteria depend on a small part of a claim that takes few distinct
values over a large file (the language signals of its wording, the types of
its evidence), so the same CriterionResult is made again and again. A memo
keyed by that part hands back the one already made. Results are frozen
values, so sharing one between assessments is safe.

A memo belongs to what a criterion prepared for one rubric (its `prepare`,
held by the engine's plan): it lives and dies with that plan, so nothing
global remembers a rubric, and two rubrics never share one.
"""
from __future__ import annotations

from typing import Callable, Hashable, TypeVar

from credcheck.model import CriterionResult

MAX_ENTRIES = 4096  # per memo: a file of endless variety pays one clear per 4,096 results

T = TypeVar("T")


class Memo:
    """A bounded memo of criterion results, keyed by what they depend on besides the rubric."""

    __slots__ = ("_results",)

    def __init__(self) -> None:
        self._results: dict[Hashable, CriterionResult] = {}

    def get(self, key: Hashable, make: Callable[[], CriterionResult]) -> CriterionResult:
        """The result for `key`, made by `make` the first time (and again after a clear)."""
        results = self._results
        hit = results.get(key)
        if hit is None:
            if len(results) >= MAX_ENTRIES:
                results.clear()
            hit = results[key] = make()
        return hit

    def __len__(self) -> int:
        return len(self._results)
