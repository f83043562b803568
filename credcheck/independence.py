"""Independent lines of reporting, exactly as CONTRACT.md section 1 defines them.

A report traces to originals: the sources in its `via` (or its own source),
followed through `derived_from` at any depth; originals that share an `owner`
are one original. The number of independent lines is a maximum bipartite
matching of reports to originals: a report counts once, an original counts
once. Connected components (union-find) would be wrong: an outlet that cites
two independent originals would merge them into one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from .model import Report, Source


@dataclass(frozen=True, slots=True)
class Matching:
    """Which report counts for which original; the rest were collapsed."""

    pairs: tuple[tuple[int, str], ...]  # (report index, original key), in report order
    collapsed: tuple[tuple[int, tuple[str, ...]], ...]  # (report index, originals it traces to)


def original_key(source: Source) -> str:
    return f"owner:{source.owner}" if source.owner else source.id


class Tracer:
    """Memoised `derived_from` tracing over one validated, acyclic source table."""

    def __init__(self, sources: Mapping[str, Source]):
        self.sources = sources
        self._memo: dict[str, dict[str, tuple[str, ...]]] = {}
        self._reports: dict[tuple[str, tuple[str, ...]], dict[str, tuple[str, ...]]] = {}

    def originals_of_source(self, source_id: str) -> dict[str, tuple[str, ...]]:
        """original key -> the source ids merged into it, for one traced source.

        Iterative (post-order over `derived_from`), so a chain of thousands of
        republishers cannot overflow the stack.
        """
        memo = self._memo
        stack = [source_id]
        opened: set[str] = set()  # sources whose parents are being traced
        while stack:
            current = stack[-1]
            if current in memo:
                stack.pop()
                continue
            source = self.sources[current]
            pending = [p for p in source.derived_from if p not in memo]
            if pending:
                if current in opened:  # load_claims rejects cycles; this guards direct callers
                    raise ValueError(f"derived_from cycle through '{current}'")
                opened.add(current)
                stack.extend(reversed(pending))
                continue
            stack.pop()
            if not source.derived_from:
                memo[current] = {original_key(source): (source.id,)}
                continue
            result: dict[str, tuple[str, ...]] = {}
            for parent in source.derived_from:
                for key, members in memo[parent].items():
                    result[key] = _merge_ids(result.get(key, ()), members)
            memo[current] = result
        return memo[source_id]

    def originals_of_report(self, report: Report) -> dict[str, tuple[str, ...]]:
        """original key -> source ids, for one report (shared: do not modify the result)."""
        key = (report.source, report.via)
        cached = self._reports.get(key)
        if cached is not None:
            return cached
        traced = report.via or (report.source,)
        if len(traced) == 1:
            result = self.originals_of_source(traced[0])
        else:
            result = {}
            for source_id in traced:
                for original, members in self.originals_of_source(source_id).items():
                    result[original] = _merge_ids(result.get(original, ()), members)
        self._reports[key] = result
        return result


def _merge_ids(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return a + tuple(x for x in b if x not in a)


def match(originals: Sequence[Sequence[str]]) -> Matching:
    """Maximum matching of reports (by index) to originals (Kuhn's augmenting paths).

    Deterministic: reports are tried in order and each report's originals in
    the order they were traced, so earlier reports keep their lines.
    """
    if all(len(keys) == 1 for keys in originals):
        return _match_single(originals)
    owner: dict[str, int] = {}  # original key -> report index
    for start in range(len(originals)):
        _augment(start, originals, owner)
    by_report = {report: key for key, report in owner.items()}
    pairs = tuple((i, by_report[i]) for i in range(len(originals)) if i in by_report)
    collapsed = tuple((i, tuple(originals[i])) for i in range(len(originals)) if i not in by_report)
    return Matching(pairs, collapsed)


def _match_single(originals: Sequence[Sequence[str]]) -> Matching:
    """`match` when every report traces to exactly one original (the common case).

    No augmenting path can then move an earlier report, so the first report
    of each original takes it and the later ones are collapsed.
    """
    taken: set[str] = set()
    pairs: list[tuple[int, str]] = []
    collapsed: list[tuple[int, tuple[str, ...]]] = []
    for i, keys in enumerate(originals):
        key = keys[0]
        if key in taken:
            collapsed.append((i, tuple(keys)))
        else:
            taken.add(key)
            pairs.append((i, key))
    return Matching(tuple(pairs), tuple(collapsed))


def _augment(start: int, originals: Sequence[Sequence[str]], owner: dict[str, int]) -> bool:
    """One augmenting-path search, iterative so a claim with many reports cannot overflow the stack."""
    seen: set[str] = set()
    stack: list[tuple[int, int]] = [(start, 0)]  # (report, next original to try)
    path: list[str] = []  # original keys taken along the stack
    while stack:
        report, i = stack[-1]
        keys = originals[report]
        if i >= len(keys):
            stack.pop()
            if path:
                path.pop()
            continue
        stack[-1] = (report, i + 1)
        key = keys[i]
        if key in seen:
            continue
        seen.add(key)
        holder = owner.get(key)
        path.append(key)
        if holder is None:
            # flip the path: each report on the stack takes the key it reached
            for (r, _), k in zip(stack, path):
                owner[k] = r
            return True
        stack.append((holder, 0))
    return False
