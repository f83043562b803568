"""Track records: how often each source's lines on resolved claims held up (CONTRACT.md 7.1).

A resolved claim credits the sources behind its independent lines, found
exactly as `score` finds them (score/independence.py). A line counts for one
original; every source of the claim's reports (on that side) that traces
into that original is credited. So a relay is only as right as what it
relays: an outlet that passes on a briefing (`via`), or republishes another
outlet (`derived_from`, at any depth), earns no record from it; the source
it traces to does. Sources of one `owner` are one original: each of them
that reported the claim is credited, once. A report relaying several
independent originals is one line, for one of them (the best rated): only
that one is credited, unless another report makes lines of the others.
A supporting line is right when the claim is confirmed and wrong when it is
refuted; a refuting line the reverse. Each source counts at most once per
claim and side. Neutral reports and unresolved claims count for nothing.

Lines are found with the sources' letters alone (any track record they carry
is set aside), so a record never depends on an earlier record, and building
records from a sources file written by `track-record` gives the same counts.
See docs/track-records.md.
"""
from __future__ import annotations

import hashlib
from typing import Iterable, Iterator, Mapping, Sequence

from credcheck.model import Claim, Line, Source, TrackRecord
from credcheck.record import Record, replace
from credcheck.rubric.model import Rubric
from credcheck.score.engine import iter_analyses
from credcheck.score.independence import Tracer, original_key


class Credit(Record):
    """What one resolved claim says of the sources behind its lines."""

    claim: str
    right: tuple[str, ...]  # source ids whose line held up, each once
    wrong: tuple[str, ...]  # source ids whose line did not


def resolved(claims: Iterable[Claim]) -> list[Claim]:
    """The claims confirmed or refuted (an `unresolved` outcome is the same as none)."""
    return [c for c in claims if c.outcome is not None and c.outcome.truth is not None]


def without_records(sources: Mapping[str, Source]) -> dict[str, Source]:
    """The sources with any track record set aside: lines are found by the letters alone."""
    return {sid: replace(s, track_record=None) if s.track_record is not None else s for sid, s in sources.items()}


def credits(claims: Sequence[Claim], sources: Mapping[str, Source], rubric: Rubric) -> Iterator[Credit]:
    """One Credit per resolved claim among `claims`, in their order."""
    done = resolved(claims)
    plain = without_records(sources)
    tracer = Tracer(plain)
    for claim, analysis in zip(done, iter_analyses(done, plain, rubric, tracer)):
        held = _credited(claim, "supports", analysis.supporting, plain, tracer)
        denied = _credited(claim, "refutes", analysis.refuting, plain, tracer)
        right, wrong = (held, denied) if claim.outcome.truth else (denied, held)  # type: ignore[union-attr]
        yield Credit(claim.id, right, wrong)


def _credited(claim: Claim, stance: str, lines: tuple[Line, ...], sources: Mapping[str, Source],
              tracer: Tracer) -> tuple[str, ...]:
    """The sources of one side's reports that trace into an original one of its lines counts for."""
    if not lines:
        return ()
    keys = {original_key(sources[line.members[0]]) for line in lines}
    found: dict[str, None] = {}
    for report in claim.reports:
        if report.stance == stance:
            for key, members in tracer.originals_of_report(report).items():
                if key in keys:
                    found.update(dict.fromkeys(members))
    return tuple(found)


class Tally:
    """Right and wrong counts per source id, added up credit by credit (first credited first)."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}

    def add(self, credit: Credit, sign: int = 1) -> None:
        counts = self.counts
        for sid in credit.right:
            counts.setdefault(sid, [0, 0])[0] += sign
        for sid in credit.wrong:
            counts.setdefault(sid, [0, 0])[1] += sign

    def minus(self, other: "Tally") -> "Tally":
        """These counts less another's (a fold's own claims taken out of the whole)."""
        out = Tally()
        for sid, (right, wrong) in self.counts.items():
            less = other.counts.get(sid, (0, 0))
            out.counts[sid] = [right - less[0], wrong - less[1]]
        return out

    def records(self) -> dict[str, TrackRecord]:
        """source id -> its record, for every source with at least one resolved line."""
        return {sid: TrackRecord(right, wrong) for sid, (right, wrong) in self.counts.items() if right or wrong}


def tally(all_credits: Iterable[Credit]) -> Tally:
    total = Tally()
    for credit in all_credits:
        total.add(credit)
    return total


def with_records(sources: Mapping[str, Source], records: Mapping[str, TrackRecord]) -> dict[str, Source]:
    """The sources, each carrying its record from `records` and no other (none when it has none there)."""
    out: dict[str, Source] = {}
    for sid, source in sources.items():
        record = records.get(sid)
        out[sid] = source if record == source.track_record else replace(source, track_record=record)
    return out


def fold_of(claim_id: str, folds: int) -> int:
    """The fold a claim belongs to: a hash of its id, so the same claim always lands in the same fold,
    whatever the order or the other claims of the files (and a claim repeated in two files, in one)."""
    digest = hashlib.sha256(claim_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % folds
