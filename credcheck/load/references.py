"""Cross-references between sources and claims, checked once every source of every file is known.

Source ids and claim ids are unique; `derived_from`, a report's `source`,
`via` and `independent_of` name known sources, never the report's (or the
source's) own; `derived_from` has no cycle. Both paths (fast.py, located.py)
check with these functions: the fast path gives up on any problem, the
located checker reports each where it is.
"""
from __future__ import annotations

from typing import Sequence

from credcheck import dates
from credcheck.errors import Mark, Problems, did_you_mean
from credcheck.model import Claim, Pos, Report, Source


def check_sources(sources: list[Source], problems: Problems) -> dict[str, Source]:
    table: dict[str, Source] = {}
    for src in sources:
        if src.id in table:
            first = table[src.id].pos
            problems.add(_mark(src.pos), "sources.id", f"duplicate source id '{src.id}' (first defined at {_where(first)})")
            continue
        table[src.id] = src
    for src in table.values():
        parents = src.derived_from
        if not parents or src.id not in parents and table.keys() >= set(parents):
            continue  # the common case, checked in C: a source republishing thousands costs no Python loop
        for parent, pos in zip(parents, src.derived_pos or (src.pos,) * len(parents)):
            if parent not in table:
                problems.add(_mark(pos), f"sources[{src.id}].derived_from", f"unknown source '{parent}'{did_you_mean(parent, table)}")
            elif parent == src.id:
                problems.add(_mark(pos), f"sources[{src.id}].derived_from", "a source cannot derive from itself")
    for cycle in find_cycles(table):
        first = table[cycle[0]]
        problems.add(_mark(first.derived_pos[0] if first.derived_pos else first.pos), f"sources[{first.id}].derived_from",
                     f"derived_from cycle: {' -> '.join(cycle + [cycle[0]])}; a source cannot (indirectly) republish itself")
    return table


def find_cycles(table: dict[str, Source]) -> list[list[str]]:
    """Each derived_from cycle once, found by an iterative depth-first search."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    cycles: list[list[str]] = []
    for start in table:
        if state.get(start):
            continue
        # (node, its known parents, next parent to visit): parents listed once per node,
        # not once per visit, or a source with 30,000 parents costs 30,000 squared steps
        stack: list[tuple[str, list[str], int]] = [(start, _parents(table, start, state), 0)]
        path: list[str] = [start]
        state[start] = 1
        while stack:
            node, parents, i = stack[-1]
            if i >= len(parents):
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            stack[-1] = (node, parents, i + 1)
            nxt = parents[i]
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):])
            elif not state.get(nxt):
                state[nxt] = 1
                stack.append((nxt, _parents(table, nxt, state), 0))
                path.append(nxt)
    return cycles


def _parents(table: dict[str, Source], node: str, state: dict[str, int] | None = None) -> list[str]:
    """The parents of `node` still worth visiting: known, not itself, not already done (in one
    comprehension: 3,000 sources each republishing the same 3,000 stepped through 9 million)."""
    if state is None:
        return [p for p in table[node].derived_from if p in table and p != node]
    return [p for p in table[node].derived_from if state.get(p) != 2 and p != node and p in table]


def check_claims(claims: Sequence[Claim], sources: dict[str, Source], problems: Problems) -> None:
    seen: dict[str, Pos | None] = {}
    for ci, claim in enumerate(claims):
        if claim.id in seen:
            problems.add(_mark(claim.pos), f"claims[{ci}].id", f"duplicate claim id '{claim.id}' (first defined at {_where(seen[claim.id])})")
        else:
            seen[claim.id] = claim.pos
        clock = False  # a dated report relays someone: the order of publication is checked
        for ri, report in enumerate(claim.reports):
            if report.via and report.published is not None:
                clock = True
            if report.source in sources and (not report.via or _via_fine(report, sources)) and not report.independent_of:
                continue  # the common case: no path to write for a report with nothing wrong
            path = f"claims[{ci}].reports[{ri}]"
            if report.source not in sources:
                problems.add(_mark(report.pos), f"{path}.source", f"unknown source '{report.source}'{did_you_mean(report.source, sources)}")
            for vi, via in enumerate(report.via):
                pos = report.via_pos[vi] if vi < len(report.via_pos) else report.pos
                if via not in sources:
                    problems.add(_mark(pos), f"{path}.via[{vi}]", f"unknown source '{via}'{did_you_mean(via, sources)}")
                elif via == report.source:
                    problems.add(_mark(pos), f"{path}.via[{vi}]", f"a report cannot relay its own source '{via}' (a via cycle)")
            _check_independent_of(report, path, sources, problems)
        if clock:
            _check_clock(claim, ci, problems)


def _check_clock(claim: Claim, ci: int, problems: Problems) -> None:
    """A report cannot relay a source whose report of this claim came out after it.

    Against each source's earliest dated report of the claim: the relay may be of that one.
    By instant when both give a time, else by day (dates.py).
    """
    earliest: dict[str, tuple[dates.Published, int]] = {}
    for ri, report in enumerate(claim.reports):
        when = dates.parse(report.published) if report.published is not None else None
        if when is not None and (report.source not in earliest or earliest[report.source][0].later_than(when)):
            earliest[report.source] = (when, ri)
    for ri, report in enumerate(claim.reports):
        if not report.via or report.published is None:
            continue
        when = dates.parse(report.published)
        if when is None:
            continue  # already reported by the schema
        for vi, via in enumerate(report.via):
            first = earliest.get(via)
            if first is None or not first[0].later_than(when):
                continue
            pos = report.via_pos[vi] if vi < len(report.via_pos) else report.pos
            problems.add(_mark(pos), f"claims[{ci}].reports[{ri}].via[{vi}]",
                         f"relays '{via}', whose report of this claim (reports[{first[1]}]) was published "
                         f"{claim.reports[first[1]].published}, after this one ({report.published}): a report cannot "
                         "relay what came out later (fix a date, or the via)")


def _check_independent_of(report: Report, path: str, sources: dict[str, Source], problems: Problems) -> None:
    """`independent_of` names known sources, neither the report's own nor one it relays."""
    for ii, other in enumerate(report.independent_of):
        pos = report.independent_pos[ii] if ii < len(report.independent_pos) else report.pos
        where = f"{path}.independent_of[{ii}]"
        if other not in sources:
            problems.add(_mark(pos), where, f"unknown source '{other}'{did_you_mean(other, sources)}")
        elif other == report.source:
            problems.add(_mark(pos), where, f"a report cannot be independent of its own source '{other}'")
        elif other in report.via:
            problems.add(_mark(pos), where, f"'{other}' is both relayed (via) and declared independent: say which")


def _via_fine(report: Report, sources: dict[str, Source]) -> bool:
    """Every source a report relays is known, and none is the report's own."""
    return all(via in sources and via != report.source for via in report.via)


def _mark(pos: Pos | None) -> Mark | None:
    return Mark(*pos) if pos else None


def _where(pos: Pos | None) -> str:
    return f"{pos[0]}:{pos[1]}:{pos[2]}" if pos else "another file"
