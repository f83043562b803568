"""A large JSON or JSON Lines claims file read in shares, each share on its own, then checked as a whole.

render/shares.py reads and scores the shares in several processes; here is
what each share reads and what the whole-file check needs. A JSON Lines file
is cut at line breaks (line_shares); a JSON document between two claims, or,
where it cannot be cut, decoded whole and its claims converted in shares.
Each share is read on the fast path; the
whole is then checked at once (the source table, claim ids across shares,
limits) and each share's reports against that table. Anything unusual in any
share is a Fallback, and the caller reads the file as one (load_claims), so
the located checker alone reports problems, as for any file.
"""
from __future__ import annotations

import re
from functools import partial
from typing import Any, Callable, NamedTuple, Sequence

from credcheck.limits import Limits
from credcheck.load.contract import Vocabulary
from credcheck.load.fast import Fallback, JsonConverter, Parsed, Progress, check_source_table, count_reports
from credcheck.model import Source

ShareReader = Callable[["Progress | None"], Parsed]  # (progress) -> one share's records, converted


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


class Shares(NamedTuple):
    readers: list[ShareReader]  # one per share, in file order
    cut: bool  # a JSON document cut between claims: if a share finds a cut wrong, decoding it whole may do


def share_readers(data: bytes, fmt: str, vocabulary: Vocabulary, limits: Limits, shares_for: Callable[[int], int],
                  cut: bool = True) -> Shares:
    """A reader for each share of a JSON ("json") or JSON Lines ("jsonl") claims file, as many as
    shares_for(about how many claims) says; Fallback if it is not well-formed.

    A JSON document is cut between two claims, each share decoding its own part of the text
    (json_input.claim_cuts says how each cut is proven right), or, without `cut` or a place to
    cut, decoded here whole and its claims converted in shares.
    """
    # Imported for JSON input only: the json package and its patterns cost a YAML run ~2 ms of start-up.
    from credcheck.load import json_input
    if len(data) > limits.max_file_bytes:
        raise Fallback
    conv = JsonConverter(vocabulary, limits)
    if fmt == "jsonl":
        records = data.count(b"\n{") + data.startswith(b"{")  # lines that start an object: about as many claims
        return Shares([partial(json_input.read_share, data, start, end, conv)
                       for start, end in line_shares(data, shares_for(records))], False)
    text = json_input.text_of(data)
    cuts = json_input.claim_cuts(text, shares_for(json_input.claims_estimate(text))) if cut else []
    if cuts:
        ends: list[int | None] = [*cuts[1:], None]
        return Shares([partial(_document_head, json_input.read_document_head, text, cuts[0], conv),
                       *(partial(_document_claims, json_input.read_document_claims, text, start, end, conv)
                         for start, end in zip(cuts, ends))], True)
    head, decoded = conv.head(json_input.loads(text), "claims")
    count = len(decoded or ())
    return Shares([partial(_claims, head if start == 0 else Parsed(sources=[]), decoded, start, end, conv)
                   for start, end in _equal_runs(count, shares_for(count))], False)


def _document_head(read: Callable[..., Parsed], text: str, cut: int, conv: JsonConverter,
                   progress: Progress | None) -> Parsed:
    return read(text, cut, conv)


def _document_claims(read: Callable[..., Parsed], text: str, cut: int, next_cut: int | None, conv: JsonConverter,
                     progress: Progress | None) -> Parsed:
    return read(text, cut, next_cut, conv)


def _claims(head: Parsed, decoded: list[Any] | None, start: int, end: int, conv: JsonConverter,
            progress: Progress | None) -> Parsed:
    """The decoded claims start to end, converted (the first share: with the title, date and sources)."""
    return Parsed(head.title, head.as_of, head.sources, conv.claims(decoded, start, end))


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
_HEAD = re.compile(rb'(?:[ \t\r]*(?:\{[ \t]*"(?:sources?|title|as_of)"[^\n]*)?\n)*')


def _equal_runs(count: int, shares: int) -> list[tuple[int, int]]:
    """(start, end) of `shares` runs of `count` items, as equal as can be."""
    return [(count * k // shares, count * (k + 1) // shares) for k in range(max(1, shares))]


def check_whole(parts: Sequence[Summary], extra_sources: list[Source], limits: Limits) -> tuple[dict[str, Source], Any, Any, int]:
    """(source table, title, date, claims in all) of the whole file, from every share's summary in
    file order and the sources files' sources; Fallback if anything is off."""
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
