"""A large JSON or JSON Lines file read in several processes, each then scoring the share it read.

parallel.Scored spreads the scoring of a loaded file over processes, but the
file is first read whole, by one process. Here each process reads, converts
and checks its own share of the file (load/shares.py says how a file is
shared out), then scores it. Only the JSON output can be made this way (the
other formats need every claim in one place); the claims of the other shares
never come to this process.

The shares meet once, before anything is scored. Each worker sends what a
whole-file check needs from it (its sources, title and date, claim ids,
counts); this process checks the whole with its own (load.shares.check_whole),
then sends the source table back so that each share checks its reports
against it. Anything unusual in any share and the workers stop, and the file
is read as one (load_claims): the located checker alone reports problems, so
messages and positions are the same whichever way a file was read.

Measured on 100,000 claims, two processes (docs/performance.md, "Budget
(load)"): reading in shares saves 6-9% of a run's time, and cutting a JSON
document between claims 14% of its peak memory.
"""
from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any, Iterable, NamedTuple, Sequence

from credcheck.limits import DEFAULT_LIMITS, Limits
from credcheck.load.claims import claim_set, load_claims, read_input, read_sources_fast, read_sources_files
from credcheck.load.contract import Vocabulary
from credcheck.load.fast import Fallback, Progress, check_claim_references, detect_format, paused_gc
from credcheck.load.shares import ShareReader, Summary, check_whole, share_readers
from credcheck.model import Claim, ClaimSet
from credcheck.render import parallel
from credcheck.render.parallel import Scored, auto_jobs, can_fork, score_into, start_worker, stop_workers
from credcheck.rubric.model import Rubric


class Loaded(NamedTuple):
    """A claims file as loaded for scoring, maybe split between processes."""

    claims: ClaimSet  # this process's claims: all of them, or its share (with the whole file's sources and title)
    total: int  # claims in the whole file
    workers: list[Any]  # the other shares' processes, read, checked and waiting to score (see Scored)
    jobs: int  # processes worth scoring with (auto_jobs when not asked)


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
    if split and fmt in ("json", "jsonl"):
        extras, read_error = read_sources_files(sources, limits)
        if read_error is None:
            try:
                with paused_gc():
                    loaded = _read_in_shares(data, name, fmt, extras, rubric, limits, jobs, progress)
                if loaded is not None:
                    return loaded
            except Fallback:
                pass  # read as one file: load_claims (load.claims.read_checked) decides and reports
    claims = load_claims(path, rubric, sources, data=data, limits=limits, input_format=input_format, progress=progress)
    return Loaded(claims, len(claims.claims), [], jobs or auto_jobs(len(claims.claims)))


def share_count(claims: int, jobs: int) -> int:
    """Processes to read and score this many claims: as asked (or auto_jobs), MIN_SLICE claims
    each at least; one where processes cannot fork."""
    shares = min(jobs or auto_jobs(claims), claims // parallel.MIN_SLICE)
    return shares if shares > 1 and can_fork() else 1


def _read_in_shares(data: bytes, name: str, fmt: str, extras: list[tuple[bytes, str]], rubric: Rubric,
                    limits: Limits, jobs: int, progress: Progress | None) -> Loaded | None:
    """The file read in shares (Fallback if anything is unusual); None if too small to split."""
    vocabulary = Vocabulary.of(rubric)
    shares_for = lambda claims: share_count(claims, jobs)  # noqa: E731
    shares = share_readers(data, fmt, vocabulary, limits, shares_for)
    if len(shares.readers) < 2:
        return None  # load_claims reads it
    try:
        return _read_split(shares.readers, data, name, extras, rubric, vocabulary, limits, progress)
    except Fallback:
        if not shares.cut:
            raise
    # Maybe only the cuts between claims were wrong: the document decoded here whole, converted in shares.
    readers = share_readers(data, fmt, vocabulary, limits, shares_for, cut=False).readers
    return _read_split(readers, data, name, extras, rubric, vocabulary, limits, progress)


def _read_split(readers: list[ShareReader], data: bytes, name: str, extras: list[tuple[bytes, str]],
                rubric: Rubric, vocabulary: Vocabulary, limits: Limits, progress: Progress | None) -> Loaded:
    """Share 0 read here, the others in forked workers; checked as a whole before anything is scored."""
    workers: list[Any] = []
    try:
        for k in range(1, len(readers)):
            workers.append(start_worker(_share_worker, readers[k], rubric, duplex=True))
        extra_sources = read_sources_fast(extras, vocabulary, limits)
        own = readers[0](_scaled(progress, len(readers)))
        summaries = [_receive(conn, "read") for _, conn, _ in workers]
        table, title, as_of, total = check_whole([Summary.of(own), *summaries], extra_sources, limits)
        for _, conn, _ in workers:
            conn.send(("check", table))
        check_claim_references(own.claims or (), table)
        for _, conn, _ in workers:
            _receive(conn, "checked")
    except BaseException:
        stop_workers(workers)
        raise
    return Loaded(claim_set(own.claims or (), table, title, as_of, (data, name), extras), total, workers, len(readers))


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


def _share_worker(read: ShareReader, rubric: Rubric, fd: int, conn: Any) -> None:
    """In a forked worker: read the share, answer the whole-file check, then score it on "go"."""
    try:
        try:
            part = read(None)
        except Fallback:
            conn.send(("fallback", None))
            return
        conn.send(("read", Summary.of(part)))
        claims: Sequence[Claim] = part.claims or []
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
        if conn.recv()[0] != "go":
            return
        score_into(Scored(ClaimSet(tuple(claims), table), rubric), 0, len(claims), fd, conn)
    except EOFError:
        pass  # this process's parent stopped: nothing to do
    except BaseException:  # report, never hang the parent
        try:
            conn.send(("error", traceback.format_exc()))
        except OSError:
            pass
    finally:
        conn.close()
