"""Copies nobody declared: near-duplicate excerpts, and outlets on one web domain.

Pure functions over one claim's reports (so a claim is scored the same
whether alone, in a batch, or in a worker process), under the rubric's
`copies` section:

- **Inferred copies.** Two reports of one stance whose excerpts share most of
  their word shingles (runs of `shingle_words` words; Jaccard similarity at
  least `threshold`) are one line. Reports are taken in order of publication
  (dated before undated, then file order); a report that is a near-duplicate
  of earlier ones copies the earliest of them, and its chain leads back to an
  original, the earliest report of the story.
- **Same outlet.** Sources whose reports of the claim have addresses on one
  registrable domain (domains.py) are one owner, unless the files say
  otherwise: two different explicit `owner`s among them, or a report
  declaring itself `independent_of` another of them.

Declared relations win: a report with a `via`, or whose source is
`derived_from` others, is never given an inferred original (its tracing is
declared); no pair named by `independent_of` (either way) is a copy; a copy
that its declared tracing already counts as the same original (one owner,
one relay) is not inferred again.

Copies are found within a claim, never across claims. Up to `exact_up_to`
reports of one stance, every pair is compared exactly; beyond, MinHash
signatures banded for locality-sensitive hashing propose candidates, each
checked exactly, at most `MAX_CANDIDATES` per report, so the time grows with
the number of reports, not with its square.
"""
from __future__ import annotations

import re
from random import Random
from typing import Any, Callable, Collection, Iterable, Iterator, Mapping, Sequence

from credcheck import dates
from credcheck.domains import registrable_domain
from credcheck.model import NOTHING, Claim, Copy, Inferred, Outlet, Report, Source
from credcheck.rubric.copies import CopyRules

# Candidates checked per report in LSH mode: with a common phrase in many excerpts a band
# bucket can hold thousands of reports; the earliest are the likeliest originals.
MAX_CANDIDATES = 48
PER_BUCKET = 8
_ROWS = 2  # MinHash values per band: few rows, many bands, so recall stays high at the threshold
_PRIME = (1 << 31) - 1  # hash values a*x+b mod p fit a machine word for any interned shingle
_WORD = re.compile(r"\w+")


def infer(claim: Claim, sources: Mapping[str, Source], rules: CopyRules,
          traced: Callable[[int], Collection[str]] | None = None) -> Inferred:
    """What one claim's reports say about copies, beyond what the files declare.

    `traced(i)`, when given, is the declared originals of report i (keys as in
    independence.py): a copy it already counts as the same original is left out.
    """
    if rules.mode == "ignore" or len(claim.reports) < 2:
        return NOTHING
    copies = find_copies(claim.reports, sources, rules, traced)
    outlets = find_outlets(claim.reports, sources, rules.shared_hosts) if rules.same_domain else ()
    return Inferred(copies, outlets) if copies or outlets else NOTHING


# --- copies -------------------------------------------------------------------------------------

def shingles(text: str, size: int, min_words: int = 1) -> frozenset[tuple[str, ...]]:
    """Runs of `size` words, lower case, punctuation dropped (a text shorter than that: one run);
    none for a text of fewer than `min_words` words."""
    words = _WORD.findall(text.lower())
    if len(words) < min_words or not words:
        return frozenset()
    if len(words) <= size:
        return frozenset((tuple(words),))
    return frozenset(zip(*[words[i:] for i in range(size)]))  # tuples built and hashed in C


def jaccard(a: Collection[Any], b: Collection[Any]) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b) if len(a) <= len(b) else len(b & a)  # type: ignore[operator]
    return common / (len(a) + len(b) - common)


def publication_order(reports: Sequence[Report], only: Iterable[int] | None = None) -> list[int]:
    """Report indices (all, or `only` those), earliest published first; undated reports after
    dated ones, in file order."""
    def key(i: int) -> tuple[int, tuple[int, int, float], int]:
        published = reports[i].published
        when = dates.parse(published) if published else None
        return (1, (0, 0, 0.0), i) if when is None else (0, when.key(), i)
    return sorted(range(len(reports)) if only is None else only, key=key)


def find_copies(reports: Sequence[Report], sources: Mapping[str, Source], rules: CopyRules,
                traced: Callable[[int], Collection[str]] | None = None) -> tuple[Copy, ...]:
    """Each report that copies an earlier one's excerpt, in file order."""
    size, least, threshold = rules.shingle_words, rules.min_words, rules.threshold
    by_stance: dict[str, list[int]] = {}  # reports with excerpts, by stance: copies stay within one
    for i, r in enumerate(reports):
        if r.excerpt:
            by_stance.setdefault(r.stance, []).append(i)
    groups = [g for g in by_stance.values() if len(g) > 1]
    if not groups:
        return ()
    # Shingles of a large group are numbered: sets of small numbers for MinHash, each shingle held
    # once however many reports copy it. A small group compares its word tuples as they are.
    ids: dict[tuple[str, ...], int] = {}
    texts: dict[int, frozenset[Any]] = {}
    for group in groups:
        numbered = len(group) > rules.exact_up_to
        for i in group:
            shingled = shingles(reports[i].excerpt or "", size, least)
            if shingled:
                texts[i] = frozenset([ids.setdefault(s, len(ids)) for s in shingled]) if numbered else shingled
    del ids
    rank = {i: n for n, i in enumerate(publication_order(reports, texts))}
    found: dict[int, Copy] = {}
    for group in groups:
        group = sorted((i for i in group if i in texts), key=rank.__getitem__)
        if len(group) < 2:
            continue
        candidates = _all_earlier if len(group) <= rules.exact_up_to else _lsh_candidates(group, texts, threshold)
        for position, i in enumerate(group):
            if not _may_copy(reports[i], sources):
                continue
            mine = texts[i]
            for j in candidates(group, position):
                similarity = jaccard(mine, texts[j])  # first: most pairs end here, before the declared checks
                if similarity < threshold or not _may_pair(reports, i, j, traced) \
                        or not _chain_allowed(reports, i, j, found):
                    continue
                parent = found.get(j)
                original = parent.original if parent else j
                found[i] = Copy(i, j, round(similarity, 4), original, reports[i].source, reports[j].source,
                                reports[original].source)
                break
    return tuple(found[i] for i in sorted(found))


def _may_copy(report: Report, sources: Mapping[str, Source]) -> bool:
    """Declared tracing wins: a relay or a republisher is never given an inferred original."""
    source = sources.get(report.source)
    return not report.via and not (source is not None and source.derived_from)


def _may_pair(reports: Sequence[Report], i: int, j: int, traced: Callable[[int], Collection[str]] | None) -> bool:
    a, b = reports[i], reports[j]
    if b.source in a.independent_of or a.source in b.independent_of:
        return False
    if traced is not None:  # already the same original by what the files declare: nothing to infer
        mine = traced(i)
        if mine and all(key in traced(j) for key in mine):
            return False
    return True


def _chain_allowed(reports: Sequence[Report], i: int, j: int, found: Mapping[int, Copy]) -> bool:
    """A report declared independent of a source copies nothing that leads back to it either."""
    while j in found:
        j = found[j].of
        a, b = reports[i], reports[j]
        if b.source in a.independent_of or a.source in b.independent_of:
            return False
    return True


def _all_earlier(group: Sequence[int], position: int) -> Iterable[int]:
    """Every report published before, earliest first."""
    return group[:position]


def _lsh_candidates(group: Sequence[int], texts: Mapping[int, frozenset[int]],
                    threshold: float) -> Callable[[Sequence[int], int], Iterable[int]]:
    """Candidates from banded MinHash: reports sharing a band bucket with this one, earliest first.

    Shingles are numbered in order of first appearance (deterministic, unlike
    hash() of text) and hashed as (a*x + b) mod 2^31-1 by `2 * bands`
    functions drawn from a fixed seed.
    """
    bands = bands_for(threshold)
    rng = Random(20261120)
    functions = [(rng.randrange(1, _PRIME), rng.randrange(_PRIME)) for _ in range(bands * _ROWS)]
    buckets: dict[int, list[int]] = {}
    keys: dict[int, list[int]] = {}
    signature_of = signer(functions)
    for i in group:
        signature = signature_of(list(texts[i]))
        # a band's two values and its number in one exact integer: a third of a tuple's memory
        mine = [(band << 62) | (signature[band * _ROWS] << 31) | signature[band * _ROWS + 1] for band in range(bands)]
        keys[i] = mine
        for key in mine:
            buckets.setdefault(key, []).append(i)
    rank = {i: n for n, i in enumerate(group)}

    def candidates(group: Sequence[int], position: int) -> Iterator[int]:
        """Each bucket's earliest member first (a copy usually finds its original there), then
        the next ones: a bucket's first members only, as buckets are in publication order and
        those are the likeliest originals, so a story copied ten thousand times costs no more
        than one copied ten times."""
        mine = [buckets[key] for key in keys[group[position]]]
        seen: set[int] = set()
        for depth in range(PER_BUCKET):
            layer = {bucket[depth] for bucket in mine if depth < len(bucket) and rank[bucket[depth]] < position} - seen
            if not layer:
                if all(depth >= len(bucket) or rank[bucket[depth]] >= position for bucket in mine):
                    return  # every bucket is past this report: the rest came out later
                continue
            seen |= layer
            yield from sorted(layer, key=rank.__getitem__)
            if len(seen) >= MAX_CANDIDATES:
                return
    return candidates


def signer(functions: Sequence[tuple[int, int]], use_numpy: bool = True) -> Callable[[list[int]], list[int]]:
    """The MinHash signature of a list of shingle numbers: for each (a, b), min of (a*x + b) mod 2^31-1.

    With numpy (the optional extra `credcheck[lsh]`) the same integers come out
    about ten times faster: a*x + b < 2^63 for a, b, x < 2^31, so unsigned 64-bit
    arithmetic is exact, and either way the result is the same.
    """
    numpy = _numpy() if use_numpy else None
    if numpy is None:
        def pure(numbers: list[int]) -> list[int]:
            return [min([(a * x + b) % _PRIME for x in numbers]) for a, b in functions]
        return pure
    a = numpy.array([f[0] for f in functions], dtype=numpy.uint64)[:, None]
    b = numpy.array([f[1] for f in functions], dtype=numpy.uint64)[:, None]
    prime = numpy.uint64(_PRIME)

    def vector(numbers: list[int]) -> list[int]:
        x = numpy.array(numbers, dtype=numpy.uint64)
        return ((a * x + b) % prime).min(axis=1).tolist()  # type: ignore[no-any-return]
    return vector


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def bands_for(threshold: float, recall: float = 0.99) -> int:
    """Bands of two rows such that two texts at the threshold share a bucket with probability `recall`."""
    import math
    hit = threshold ** _ROWS
    return max(1, min(64, math.ceil(math.log(1 - recall) / math.log(1 - hit)))) if hit < 1 else 1


# --- outlets ------------------------------------------------------------------------------------

def find_outlets(reports: Sequence[Report], sources: Mapping[str, Source],
                 shared_hosts: Sequence[str] = ()) -> tuple[Outlet, ...]:
    """Sources of the claim on one registrable domain, grouped, unless the files keep them apart
    or the domain is a platform many independent authors publish on (`shared_hosts`)."""
    by_domain: dict[str, dict[str, None]] = {}  # domain -> its sources, in file order
    hosts = frozenset(shared_hosts)
    for report in reports:
        if report.url:
            domain = registrable_domain(report.url)
            if domain and domain not in hosts:
                by_domain.setdefault(domain, {})[report.source] = None
    shared = {d: list(m) for d, m in by_domain.items() if len(m) > 1}
    if not shared:
        return ()
    parent: dict[str, str] = {}

    def root(s: str) -> str:
        while parent.get(s, s) != s:
            s = parent[s]
        return s

    for members in shared.values():  # a source on two shared domains joins them
        for other in members[1:]:
            a, b = root(members[0]), root(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[str, dict[str, None]] = {}
    for members in shared.values():
        for s in members:
            groups.setdefault(root(s), {})[s] = None
    apart = {(r.source, other) for r in reports for other in r.independent_of}
    out = []
    for members in groups.values():
        names = tuple(sorted(members))
        owners = sorted({sources[s].owner for s in names if s in sources and sources[s].owner})
        if len(owners) > 1 or any((a, b) in apart for a in names for b in names):
            continue
        domains = tuple(sorted(d for d, m in shared.items() if m[0] in names))
        out.append(Outlet(domains, names, owners[0] if owners else domains[0]))
    return tuple(sorted(out, key=lambda o: o.sources))


def owner_keys(outlets: Sequence[Outlet], sources: Mapping[str, Source]) -> dict[str, str]:
    """Original key (independence.original_key) -> the key it counts as, for the sources of `outlets`."""
    from credcheck.score.independence import original_key
    rewrite: dict[str, str] = {}
    for outlet in outlets:
        for s in outlet.sources:
            if s in sources:
                key = original_key(sources[s])
                if key != f"owner:{outlet.owner}":
                    rewrite[key] = f"owner:{outlet.owner}"
    return rewrite
