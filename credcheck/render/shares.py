"""A large claims file read in several processes, each then scoring the share it read.

scoring.Scored spreads the scoring of a loaded file over processes, but the
file is first read whole, by one process: at 100,000 claims that reading is a
fifth of the run (two fifths for YAML). JSON Lines splits at line breaks, a
JSON document between two claims (jsonload.claim_cuts), a YAML file between
two items of its claims list (fast.yaml_claim_cuts), so here each process
reads, converts and checks its own share, then scores it. Only
the JSON output can be made this way (the other formats need every claim in
one place); the claims of the other shares never come to this process.

The shares meet once, before anything is scored. Each worker sends what a
whole-file check needs from it (its sources, title and date, claim ids,
counts); this process merges them with its own in file order and checks the
whole (the source table, duplicate claim ids, limits), then sends the table
back so that each share checks its reports against it. Anything unusual in
any share and the workers stop, and the caller reads the file as if it had
never been split (Fallback): the located checker alone reports problems, so
messages and positions are the same whichever way a file was read.
"""
from __future__ import annotations

import re
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, NamedTuple, Sequence

from credcheck.render import parallel as scoring
from credcheck.load.claims import claim_set, load_claims, read_input, read_sources_fast, read_sources_files
from credcheck.load.contract import Vocabulary
from credcheck.load.fast import (Fallback, JsonConverter, Parsed, Progress, check_claim_references, check_source_table,
                                 count_reports, detect_format, paused_gc, read_yaml_share, yaml_claim_cuts,
                                 yaml_claims_estimate, yaml_items)
from credcheck.lazyre import LazyPattern
from credcheck.limits import DEFAULT_LIMITS, Limits
from credcheck.model import Claim, ClaimSet, Source
from credcheck.render.parallel import Scored, auto_jobs, can_fork, score_into, start_worker, stop_workers

if TYPE_CHECKING:
    from credcheck.rubric.model import Rubric  # only its vocabularies are read


class Loaded(NamedTuple):
    """A claims file as loaded for scoring, maybe split between processes."""

    claims: ClaimSet  # this process's claims: all of them, or its share (with the whole file's sources and title)
    total: int  # claims in the whole file
    workers: list[Any]  # the other shares' processes, read, checked and waiting to score (see Scored)
    jobs: int  # processes worth scoring with (auto_jobs when not asked)


class Summary(NamedTuple):
    """What a share tells the others: enough to check the whole file."""

    title: Any
    as_of: Any
    sources: list[Source]
    ids: list[str]
    reports: int

    @classmethod
    def of(cls, share: Parsed) -> "Summary":
        claims = share.claims or []
        return cls(share.title, share.as_of, share.sources or [], [c.id for c in claims], count_reports(claims))


def load_for_scoring(path: str | Path, rubric: Rubric, sources: Iterable[str | Path] = (), *,
                     limits: Limits = DEFAULT_LIMITS, input_format: str | None = None,
                     progress: Progress | None = None, jobs: int = 0, split: bool = False) -> Loaded:
    """load_claims, and how many processes to score with (`jobs`, or auto_jobs if 0).

    With `split` (the caller will take the JSON listing of the assessments,
    Scored.json_listing), a JSON or JSON Lines file of MIN_SLICE claims or
    more per process is read in shares as well; the result then holds this
    process's share and the workers holding the others.
    """
    data, name = read_input(path, limits.max_file_bytes)
    fmt = detect_format("-" if str(path) == "-" else name, input_format)
    if split:
        extras, read_error = read_sources_files(sources, limits)
        if read_error is None:
            try:
                with paused_gc():
                    loaded = _read_in_shares(data, name, fmt, extras, rubric, limits, jobs, progress)
                if loaded is not None:
                    return loaded
            except Fallback:
                pass  # read whole; the located checker decides and reports
    claims = load_claims(path, rubric, sources, data=data, limits=limits, input_format=input_format, progress=progress)
    return Loaded(claims, len(claims.claims), [], jobs or auto_jobs(len(claims.claims)))


def share_count(claims: int, jobs: int) -> int:
    """Processes to read and score this many claims: as asked (or auto_jobs), MIN_SLICE claims
    each at least; one where processes cannot fork."""
    shares = min(jobs or auto_jobs(claims), claims // scoring.MIN_SLICE)
    return shares if shares > 1 and can_fork() else 1


def line_shares(data: bytes, shares: int) -> list[tuple[int, int]]:
    """(start, end) byte offsets of `shares` runs of whole lines, never empty, holding about
    as many claims each: the cuts share out evenly what follows the file's leading sources."""
    bounds: list[tuple[int, int]] = []
    start = 0
    head = _HEAD.match(data).end()  # type: ignore[union-attr]
    for k in range(1, shares):
        cut = data.find(b"\n", max(start, head + (len(data) - head) * k // shares))
        if cut == -1:
            break
        if cut + 1 > start:
            bounds.append((start, cut + 1))
            start = cut + 1
    if start < len(data) or not bounds:
        bounds.append((start, len(data)))
    return bounds


# Blank lines and records that are not claims (sources, title and date) at the start of a file,
# where sources usually are. Only for balance: the records are told apart when read.
_HEAD = LazyPattern(re.compile, rb'(?:[ \t\r]*(?:\{[ \t]*"(?:sources?|title|as_of)"[^\n]*)?\n)*')


ShareReader = Callable[[int, "Progress | None"], Parsed]  # (share, progress) -> its records, converted


def _read_in_shares(data: bytes, name: str, fmt: str, extras: list[tuple[bytes, str]], rubric: Rubric,
                    limits: Limits, jobs: int, progress: Progress | None) -> Loaded | None:
    """The file read in shares (Fallback if anything is unusual); None if too small to split."""
    vocabulary = Vocabulary.of(rubric)
    if fmt == "yaml":  # cut between two items of its claims list, if laid out so; else read whole
        if share_count(data.count(b"-"), jobs) < 2:  # too few dashes for enough items: not even looked at
            return None
        items = yaml_items(data)
        cuts = [] if items is None else yaml_claim_cuts(data, items, share_count(yaml_claims_estimate(data, items), jobs))
        if not cuts:
            return None
        bounds = list(zip([0, *cuts], [*cuts, None]))
        return _read_split(lambda k, p: read_yaml_share(data, *bounds[k], name, vocabulary, limits, p),
                           len(bounds), data, name, extras, rubric, vocabulary, limits, progress)
    from credcheck.load import json_input as jsonload  # JSON's modules only for JSON input
    conv = JsonConverter(vocabulary, limits)
    if fmt == "jsonl":
        records = data.count(b"\n{") + data.startswith(b"{")  # lines that start an object: about as many claims
        bounds = line_shares(data, share_count(records, jobs))
        if len(bounds) < 2:
            return None  # load_claims reads it
        return _read_split(lambda k, p: jsonload.read_share(data, *bounds[k], conv, p), len(bounds),
                           data, name, extras, rubric, conv.vocabulary, limits, progress)
    # One JSON document: cut between two claims, each share decoding its own part of the text
    # (jsonload.claim_cuts says how a cut is proven right)...
    text = jsonload.text_of(data)
    cuts = jsonload.claim_cuts(text, share_count(jsonload.claims_estimate(text), jobs))
    if cuts:
        ends: list[int | None] = [*cuts[1:], None]

        def read_text(k: int, p: Progress | None) -> Parsed:
            if k == 0:
                return jsonload.read_document_head(text, cuts[0], conv)
            return jsonload.read_document_claims(text, cuts[k - 1], ends[k - 1], conv)

        try:
            return _read_split(read_text, len(cuts) + 1, data, name, extras, rubric, conv.vocabulary, limits, progress)
        except Fallback:
            pass  # maybe only the cuts: decode it whole
    # ...or, if it cannot be cut, decoded here whole (the C decoder), and converted in shares.
    head, decoded = conv.head(jsonload.loads(text), "claims")
    ranges = scoring.slices(len(decoded or ()), share_count(len(decoded or ()), jobs))

    def read(k: int, p: Progress | None) -> Parsed:
        claims = conv.claims(decoded, *ranges[k])
        return Parsed(head.title, head.as_of, head.sources, claims) if k == 0 else Parsed(sources=[], claims=claims)

    return _read_split(read, len(ranges), data, name, extras, rubric, conv.vocabulary, limits, progress)


def _read_split(read: ShareReader, shares: int, data: bytes, name: str, extras: list[tuple[bytes, str]],
                rubric: Rubric, vocab: Vocabulary, limits: Limits, progress: Progress | None) -> Loaded:
    """Share 0 read here, the others in forked workers; checked as a whole before anything is scored."""
    workers: list[Any] = []
    try:
        for k in range(1, shares):
            workers.append(start_worker(_share_worker, read, k, rubric, duplex=True))
        extra_sources = read_sources_fast(extras, vocab, limits)
        own = read(0, _scaled(progress, shares))
        summaries = [_receive(conn, "read") for _, conn, _ in workers]
        table, title, as_of, total = _check_whole(own, summaries, extra_sources, limits)
        for _, conn, _ in workers:
            conn.send(("check", table))
        check_claim_references(own.claims or (), table)
        for _, conn, _ in workers:
            _receive(conn, "checked")
    except BaseException:
        stop_workers(workers)
        raise
    return Loaded(claim_set(own.claims or (), table, title, as_of, (data, name), extras), total, workers, shares)


def _check_whole(own: Parsed, others: Sequence[Summary], extra_sources: list[Source],
                 limits: Limits) -> tuple[dict[str, Source], Any, Any, int]:
    """(source table, title, date, claims in all) of the whole file; Fallback if anything is off."""
    parts = [Summary.of(own), *others]
    total = sum(len(p.ids) for p in parts)
    if total > limits.max_claims or sum(p.reports for p in parts) > limits.max_reports or total > limits.max_items:
        raise Fallback  # (a JSON document's claims list is one list: max_items)
    titles = [p.title for p in parts if p.title is not None]
    dates = [p.as_of for p in parts if p.as_of is not None]
    if len(titles) > 1 or len(dates) > 1:
        raise Fallback  # given twice: the located checker says where
    seen: set[str] = set()
    for part in parts:
        if not seen.isdisjoint(part.ids):
            raise Fallback  # a claim id in two shares (one share's own duplicates are its to find)
        seen.update(part.ids)
    table = check_source_table([s for p in parts for s in p.sources] + extra_sources)
    return table, titles[0] if titles else None, dates[0] if dates else None, total


def _receive(conn: Any, expected: str) -> Any:
    try:
        message = conn.recv()
    except EOFError:
        raise RuntimeError("a reading worker stopped unexpectedly") from None
    if message[0] == "fallback":
        raise Fallback
    if message[0] != expected:
        raise RuntimeError(f"a reading worker failed:\n{message[1]}")
    return message[1]


def _scaled(progress: Progress | None, shares: int) -> Progress | None:
    """Progress of the whole file, from this process's share (the shares are about equal)."""
    if progress is None:
        return None
    return lambda claims, fraction: progress(claims * shares, fraction)


def _share_worker(read: ShareReader, share: int, rubric: Rubric, fd: int, conn: Any) -> None:
    """In a forked worker: read the share, answer the whole-file check, then score it on "go"."""
    try:
        try:
            part = read(share, None)
        except Fallback:
            conn.send(("fallback", None))
            return
        conn.send(("read", Summary.of(part)))
        claims: list[Claim] = part.claims or []
        message = conn.recv()
        if message[0] != "check":
            return
        table = message[1]
        try:
            check_claim_references(claims, table)
        except Fallback:
            conn.send(("fallback", None))
            return
        conn.send(("checked", None))
        go, kind = conn.recv()
        if go != "go":
            return
        score_into(Scored(ClaimSet(tuple(claims), table), rubric), 0, len(claims), kind, fd, conn)
    except EOFError:
        pass  # this process's parent stopped: nothing to do
    except BaseException:  # report, never hang the parent
        try:
            conn.send(("error", traceback.format_exc()))
        except OSError:
            pass
    finally:
        conn.close()
