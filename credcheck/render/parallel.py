"""Scoring a loaded claims file claim by claim, as a renderer reads the assessments.

The JSON writer takes each assessment as it is made and forgets it, so a
100,000-claim run never holds every assessment (or the whole output) at once;
what a threshold (--fail-under) needs is kept as a small Grade per claim.

Scoring is a pure function of (claim, sources, rubric), so large inputs can
also be scored by several processes: this one scores the first slice of the
claims while forked workers score the others, each into a temporary file that
is then copied into the output in order. The output is byte for byte the same
for any number of processes.
"""
from __future__ import annotations

import os
import sys
import time
from typing import Any, Callable, Iterable, Iterator, Sequence

from credcheck.score.engine import iter_assess
from credcheck.errors import CredcheckError
from credcheck.load.claims import locate_problems
from credcheck.load.fast import PROGRESS_EVERY
from credcheck.model import Assessment, Claim, ClaimSet
from credcheck.record import Record
from credcheck.rubric.model import Rubric

MIN_SLICE = 10_000  # claims per process below which a fork costs more than it saves
MAX_JOBS = 8


class Grade(Record):  # a Record, not a NamedTuple: declaring one of those costs 0.1 ms of start-up
    id: str
    admiralty: str
    credibility: int
    draft: bool = False  # an unreviewed draft: ungraded (6) for --fail-under


def auto_jobs(claims: int, since: "CpuTimes | None" = None, now: "CpuTimes | None" = None) -> int:
    """Processes worth using for this many claims: one per idle CPU, one per MIN_SLICE claims.

    A CPU another program keeps busy would only slow the run down (time-sharing
    plus the cost of the fork). On Linux, what other programs used is measured
    over the last moments (idle_cpus); elsewhere the one-minute load average
    stands in, this process's own load counting as the one CPU it already has.
    (Measured on two CPUs: a second process paid off with other programs using
    0.2 of a CPU, and cost 10% with them using 0.65.)
    """
    if claims < 2 * MIN_SLICE or not can_fork():
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    idle = idle_cpus(cpus, since, now)
    if idle is None:
        idle = cpus - os.getloadavg()[0] + 1
    return max(1, min(cpus, round(idle), MAX_JOBS, claims // MIN_SLICE))


# --- how many CPUs other programs leave idle ---------------------------------------------------
#
# The one-minute load average lags: just after another busy program ends (say,
# the benchmark's own baseline) it still counts that CPU as busy for a minute.
# The kernel's CPU time counters (/proc/stat) tell what the CPUs did over any
# window. The window here starts when this module is imported, which the
# command line does just before it reads the claims, so measuring costs no
# waiting; this process's own CPU time over the window is taken out, leaving
# what other programs used.

WINDOW_MIN = 0.05  # seconds: a shorter window is too coarse (the counters tick 100 times a second)
WINDOW_MAX = 30.0  # seconds: an older start says little about now


class CpuTimes(Record):
    """One reading of the CPU time counters."""

    when: float  # time.monotonic()
    own: float  # this process's CPU seconds (time.process_time())
    busy: int  # ticks the CPUs this process may use spent busy (steal included: another guest had them)
    total: int  # all their ticks


def cpu_times(stat: str | None = None, allowed: "set[int] | None" = None) -> CpuTimes | None:
    """A reading now; `stat` is the text of /proc/stat (read when not given). None where there is none."""
    when, own = time.monotonic(), time.process_time()
    if stat is None:
        try:
            with open("/proc/stat", "rb") as handle:  # bytes: a text file's codec lookup took 0.25 ms of every run
                stat = handle.read().decode("ascii")
        except (OSError, ValueError):
            return None
    if allowed is None and hasattr(os, "sched_getaffinity"):
        allowed = os.sched_getaffinity(0)
    busy = total = 0
    for line in stat.splitlines():
        if not line.startswith("cpu") or line.startswith("cpu "):
            continue  # the summary line counts CPUs this process may not use
        name, *fields = line.split()
        if allowed is not None and int(name[3:]) not in allowed:
            continue
        ticks = [int(f) for f in fields[:8]]  # user nice system idle iowait irq softirq steal
        total += sum(ticks)
        busy += sum(ticks) - ticks[3] - ticks[4]
    return CpuTimes(when, own, busy, total) if total else None


def idle_cpus(cpus: int, since: CpuTimes | None = None, now: CpuTimes | None = None) -> float | None:
    """CPUs that other programs left idle between two readings, this process's own use not counted.

    `since` defaults to the reading taken when this module was imported (waiting
    until it is WINDOW_MIN old; if it is too old, one taken now, WINDOW_MIN before `now`).
    """
    if since is None:
        since = _IMPORTED
        age = time.monotonic() - since.when if since is not None else WINDOW_MAX + 1
        if age > WINDOW_MAX:
            since = cpu_times()
            time.sleep(WINDOW_MIN)
        elif age < WINDOW_MIN:
            time.sleep(WINDOW_MIN - age)
    if now is None:
        now = cpu_times()
    if since is None or now is None:
        return None
    wall, ticks = now.when - since.when, now.total - since.total
    if wall <= 0 or ticks <= 0:
        return None
    busy = cpus * (now.busy - since.busy) / ticks  # CPUs busy on average, this process included
    own = (now.own - since.own) / wall
    return cpus - max(0.0, busy - own)


_IMPORTED = cpu_times() if sys.platform.startswith("linux") else None


def can_fork() -> bool:
    """Forked workers share the loaded claims for free; only Linux forks safely and cheaply."""
    import multiprocessing
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


class Scored:
    """The assessments of a claim set, in file order, made once as they are iterated."""

    def __init__(self, claims: ClaimSet, rubric: Rubric, progress: Callable[[int, int], None] | None = None,
                 jobs: int = 1, shares: Sequence[Any] = (), total: int | None = None):
        """`shares`: the workers of a split read (split.py), holding the claims after `claims`'s,
        `total` claims in all; they score when json_listing starts, and only it lists them."""
        self.claims = claims
        self.rubric = rubric
        self.progress = progress
        self.jobs = jobs
        self.shares = list(shares)
        self.total = len(claims.claims) if total is None else total
        self.grades: list[Grade] = []
        self._started = False

    def __iter__(self) -> Iterator[Assessment]:
        if self.shares:
            raise RuntimeError("these claims were read in shares by several processes: only json_listing lists them")
        return self._assess(self.claims.claims, len(self.claims.claims), 1)

    def __len__(self) -> int:
        return self.total

    def json_listing(self) -> Iterator[Any]:
        """The JSON text of the assessments list (render/jsonout.iter_chunks' `listing`):
        str pieces, and with jobs > 1 each worker's part as an output.FileText.

        With jobs > 1 the workers start here, before anything is written.
        """
        return self.listing("json")

    def listing(self, kind: str) -> Iterator[Any]:
        """The assessments as text, each made by LISTINGS[kind] ("json": the JSON list;
        "rows": the lines of render/rows.py), scored by several processes as json_listing says."""
        texts, whole = _listing_kind(kind)
        if self.shares:
            for _, conn, _ in self.shares:
                conn.send(("go", kind))
            return _listing(self, kind, self.claims.claims, self.shares, len(self.shares) + 1)
        jobs = min(self.jobs, max(1, len(self) // MIN_SLICE))
        if jobs <= 1 or not can_fork():
            return whole(texts(self))
        return _parallel_listing(self, jobs, kind)

    def _assess(self, claims: Sequence[Claim], total: int, scale: int) -> Iterator[Assessment]:
        if self._started:
            raise RuntimeError("these assessments were made once already; keep a list(...) to read them twice")
        self._started = True
        try:
            yield from self._graded(claims, total, scale)
        except CredcheckError as exc:  # a claim too tangled to assess: say where it is, JSON inputs too
            raise locate_problems(exc, self.claims) from None

    def _graded(self, claims: Sequence[Claim], total: int, scale: int) -> Iterator[Assessment]:
        grades, progress = self.grades, self.progress
        for n, a in enumerate(iter_assess(claims, self.claims.sources, self.rubric)):
            grades.append(Grade(a.id, a.admiralty, a.credibility, a.draft))
            if progress is not None and n % PROGRESS_EVERY == 0:
                progress(min(total, n * scale), total)
            yield a
        if progress is not None:
            progress(total, total)


def slices(count: int, jobs: int) -> list[tuple[int, int]]:
    """(start, end) of `jobs` runs of `count` items, as equal as can be."""
    step, extra = divmod(count, jobs)
    bounds, start = [], 0
    for k in range(jobs):
        end = start + step + (1 if k < extra else 0)
        bounds.append((start, end))
        start = end
    return bounds


def start_worker(target: Callable[..., None], *args: Any, duplex: bool = False) -> tuple[Any, Any, Any]:
    """A forked process running target(*args, fd, conn), writing its output to the temporary
    file `fd` and talking through the pipe `conn`: (the process, this end of the pipe, the file)."""
    import multiprocessing
    import tempfile
    context = multiprocessing.get_context("fork")
    out = tempfile.TemporaryFile(prefix="credcheck-")
    try:
        here, there = context.Pipe(duplex=duplex)  # one-way: (receiving end, sending end)
        process = context.Process(target=target, args=(*args, out.fileno(), there), daemon=True)
        process.start()
    except BaseException:
        out.close()
        raise
    there.close()
    return process, here, out


def _listing_kind(kind: str) -> tuple[Callable[[Any], Iterator[str]], Callable[[Iterable[Any]], Iterator[Any]]]:
    """(each assessment's text, the whole listing from its parts) for a kind of listing."""
    if kind == "json":
        from credcheck.render import jsonout
        return jsonout.assessment_texts, jsonout.list_chunks
    from credcheck.render import rows
    return rows.row_texts, _flat


def _flat(parts: Iterable[Any]) -> Iterator[Any]:
    """Rows as they come: each is a line of its own, and a worker's part a run of lines."""
    for part in parts:
        if isinstance(part, str):
            yield part
        else:
            yield from part


def _separator(kind: str) -> str:
    if kind == "json":
        from credcheck.render import jsonout
        return jsonout.SEPARATOR
    return ""


def _parallel_listing(scored: Scored, jobs: int, kind: str = "json") -> Iterator[Any]:
    claims = scored.claims.claims
    (first, first_end), *rest = slices(len(claims), jobs)
    workers = []
    try:
        for start, end in rest:
            workers.append(start_worker(score_into, scored, start, end, kind))
        return _listing(scored, kind, claims[first:first_end], workers, jobs)
    except BaseException:
        stop_workers(workers)
        raise


def _listing(scored: Scored, kind: str, own: Sequence[Claim], workers: list[Any], jobs: int) -> Iterator[Any]:
    texts, whole = _listing_kind(kind)
    try:
        yield from whole(_parts(scored, texts(scored._assess(own, len(scored), jobs)), workers))
    finally:
        stop_workers(workers)


def _parts(scored: Scored, own: Iterator[str], workers: list[Any]) -> Iterator[Any]:
    """This process's assessment texts, then each worker's file as one run of pieces."""
    yield from own
    for process, receive, out in workers:
        status, payload = receive.recv()
        process.join()
        if status == "problems":  # bad input the worker found (a claim too tangled): said here, located
            raise locate_problems(CredcheckError(payload), scored.claims)
        if status != "ok":
            raise RuntimeError(f"a scoring worker failed:\n{payload}")
        scored.grades.extend(Grade(*g) for g in payload)
        if payload:
            yield _read_back(out)


def _read_back(out: Any) -> tuple[Any, ...]:
    """A worker's file as one piece, written out by copying its bytes."""
    from credcheck.render.files import FileText
    return (FileText(out),)


def score_into(scored: Scored, start: int, end: int, kind: str, fd: int, send: Any) -> None:
    """In a forked worker: score claims[start:end] into the file as a `kind` listing, send the grades back."""
    import traceback

    try:
        scored.progress = None
        scored._started = False
        scored.grades = []
        texts = _listing_kind(kind)[0](scored._assess(scored.claims.claims[start:end], 0, 1))
        separator = _separator(kind)
        with open(fd, "w", encoding="utf-8", closefd=False, buffering=1 << 20) as out:
            for n, text in enumerate(texts):
                out.write(text if n == 0 else separator + text)
        send.send(("ok", [(g.id, g.admiralty, g.credibility, g.draft) for g in scored.grades]))
    except CredcheckError as exc:
        send.send(("problems", exc.problems))
    except BaseException:  # report, never hang the parent
        send.send(("error", traceback.format_exc()))
    finally:
        send.close()


def stop_workers(workers: list[Any]) -> None:
    for process, receive, out in workers:
        if process.is_alive():
            process.terminate()
        process.join()
        receive.close()
        out.close()
