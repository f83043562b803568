"""Independent lines of reporting, exactly as CONTRACT.md section 1 defines them.

A report traces to originals: the sources in its `via` (or its own source),
followed through `derived_from` at any depth; originals that share an `owner`
are one original. The number of independent lines is a maximum bipartite
matching of reports to originals: a report counts once, an original counts
once. Connected components (union-find) would be wrong: an outlet that cites
two independent originals would merge them into one.
"""
from __future__ import annotations

from typing import Mapping, Sequence

from credcheck.errors import CredcheckError, Mark
from credcheck.model import Report, Source
from credcheck.record import Record

# Tracing materialises, per traced source, the originals it stands for. A hostile
# derived_from ladder (each source republishing the previous one and one more
# original), or thousands of sources each republishing the same thousands, makes that
# quadratic in the number of sources, so the total is bounded. A link costs ~150 bytes:
# 2 million are ~300 MB. (The synthetic million-claim benchmark traces 16,328.)
MAX_LINKS = 2_000_000
# A claim's reports offer, in all, at most this many (report, original) pairs to its
# matching, checked before the engine ranks them or searches: 3,000 reports each tracing
# to the same 3,000 originals (9 million pairs) took 28 s and 3 GB before the search
# bound refused them.
MAX_CLAIM_PAIRS = 1_000_000
# Every report's originals are copied into its claim's matching: a source standing
# for 100,000 originals, reported by a million claims, would take hours.
MAX_REPORT_ORIGINALS = 200_000_000
# Kuhn's matching is cubic at worst (a thousand reports each relaying the same
# thousand sources); a claim needing more search steps than this is refused
# (5 million: about 2.5 s; honest claims need thousands).
MAX_MATCH_STEPS = 5_000_000


class Matching(Record):
    """Which report counts for which original; the rest were collapsed."""

    pairs: tuple[tuple[int, str], ...]  # (report index, original key), in report order
    collapsed: tuple[tuple[int, tuple[str, ...]], ...]  # (report index, originals it traces to)


def original_key(source: Source) -> str:
    return f"owner:{source.owner}" if source.owner else source.id


class Tracer:
    """Memoised `derived_from` tracing over one validated, acyclic source table."""

    def __init__(self, sources: Mapping[str, Source], max_links: int | None = None):
        self.sources = sources
        self._memo: dict[str, dict[str, tuple[str, ...]]] = {}
        self.max_links = MAX_LINKS if max_links is None else max_links
        self._links = 0  # (source, member) pairs held in the memo
        self._report_originals = 0  # originals handed out for reports, all claims together
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
            if len(source.derived_from) == 1:  # a plain republisher shares its parent's (read-only) result
                memo[current] = memo[source.derived_from[0]]
                continue
            memo[current] = self._count(_union([memo[p] for p in source.derived_from]), source)
        return memo[source_id]

    def _count(self, result: dict[str, tuple[str, ...]], source: Source) -> dict[str, tuple[str, ...]]:
        self._links += sum(len(members) for members in result.values())
        if self._links > self.max_links:
            raise CredcheckError.single(
                Mark(*source.pos) if source.pos else None, f"sources[{source.id}].derived_from",
                f"tracing republication to originals needs more than {self.max_links:,} links; "
                "the derived_from graph is too tangled to assess (each source republishing many others?)")
        return result

    def originals_of_report(self, report: Report) -> dict[str, tuple[str, ...]]:
        """original key -> source ids, for one report (shared: do not modify the result)."""
        key = (report.source, report.via)
        result = self._reports.get(key)
        if result is None:
            traced = report.via or (report.source,)
            if len(traced) == 1:
                result = self.originals_of_source(traced[0])
            else:
                result = _union([self.originals_of_source(source_id) for source_id in traced])
            self._reports[key] = result
        # Counted on every call, cached or not: the matching works through each report's originals.
        self._report_originals += len(result)
        if self._report_originals > MAX_REPORT_ORIGINALS:
            raise CredcheckError.single(
                Mark(*report.pos) if report.pos else None, "",
                f"the reports trace to more than {MAX_REPORT_ORIGINALS:,} originals in all; "
                "too much to assess in one run (sources standing for very many originals?)")
        return result


def _union(results: Sequence[Mapping[str, tuple[str, ...]]]) -> dict[str, tuple[str, ...]]:
    """Originals of several sources: keys and members in first-seen order, each once.

    Linear in the total size (a tuple merge per parent would be quadratic for a
    source republishing thousands of outlets of one owner).
    """
    merged: dict[str, dict[str, None]] = {}
    for result in results:
        for key, members in result.items():
            merged.setdefault(key, {}).update(dict.fromkeys(members))
    return {key: tuple(ids) for key, ids in merged.items()}


class MatchTooLarge(ValueError):
    """A claim whose matching would need more than MAX_MATCH_STEPS; the engine says which claim."""


def match(originals: Sequence[Sequence[str]]) -> Matching:
    """Maximum matching of reports (by index) to originals (Kuhn's augmenting paths).

    Deterministic: reports are tried in order and each report's originals in
    the order they were traced, so earlier reports keep their lines.
    """
    if all(len(keys) == 1 for keys in originals):
        return _match_single(originals)
    owner: dict[str, int] = {}  # original key -> report index
    dead: set[str] = set()
    budget = [MAX_MATCH_STEPS]
    for start in range(len(originals)):
        # Keys a failed search visited cannot lead to a free original while the matching
        # is unchanged, so later searches skip them (same result, without the quadratic
        # cost of many reports that all trace to the same few originals).
        if _augment(start, originals, owner, dead, budget):
            dead.clear()
        if budget[0] < 0:
            raise MatchTooLarge(f"matching its {len(originals):,} reports to independent originals needs more than "
                                f"{MAX_MATCH_STEPS:,} search steps; split the claim or shorten its via lists")
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


def _augment(start: int, originals: Sequence[Sequence[str]], owner: dict[str, int], seen: set[str],
             budget: list[int]) -> bool:
    """One augmenting-path search, iterative so a claim with many reports cannot overflow the stack.

    `seen` holds the keys already known to lead nowhere; the search adds the keys it visits.
    `budget[0]` counts down the steps taken; the search stops when it runs out.
    """
    stack: list[tuple[int, int]] = [(start, 0)]  # (report, next original to try)
    path: list[str] = []  # original keys taken along the stack
    steps = 0
    while stack:
        steps += 1
        if not steps & 0xFFFF and steps > budget[0]:
            break
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
            budget[0] -= steps
            return True
        stack.append((holder, 0))
    budget[0] -= steps
    return False
