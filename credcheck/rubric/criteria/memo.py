"""Results that repeat across claims, computed once per rubric configuration.

Some criteria depend on a small part of a claim that takes few distinct
values over a large file (the language signals of its wording, the types of
its evidence), so the same CriterionResult is made again and again. A memo
keyed by that part hands back the one already made. Results are frozen
values, so sharing one between assessments is safe.
"""
from __future__ import annotations

from typing import Any, Hashable

from credcheck.model import CriterionResult

MAX_ENTRIES = 4096  # per configuration: a file of endless variety pays one clear per 4,096 results

_MEMOS: dict[tuple[int, type, float], tuple[Any, dict[Hashable, CriterionResult]]] = {}


def memo_for(config: Any, weight: float) -> dict[Hashable, CriterionResult]:
    """The memo of one criterion configuration (a rubric section) and weight.

    The configuration is a dict, so it is known by identity (and held, so the
    identity stays its own); the weight is written into every result, so 1 and
    1.0 have a memo each. The caller keys entries by what its results depend on
    besides these.
    """
    key = (id(config), type(weight), weight)
    hit = _MEMOS.get(key)
    if hit is None or hit[0] is not config:
        if len(_MEMOS) > 32:  # one process rarely sees more rubrics
            _MEMOS.clear()
        hit = _MEMOS[key] = (config, {})
    memo = hit[1]
    if len(memo) >= MAX_ENTRIES:
        memo.clear()
    return memo
