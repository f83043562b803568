"""`credcheck track-record`: history files in, a sources file with every source's record out.

The sources file has the shape of CONTRACT.md section 1 (`sources:` at the
top). Sources given with `--sources` come first, in their order, every field
kept as written; then the sources the history files define, in the order
they first appear (a source defined by several files: its first definition).
Every source with a line on a resolved claim carries `track_record`, counted
afresh from the history (a record it had is replaced); the others keep what
they had. Same input, same bytes.
"""
from __future__ import annotations

import unicodedata
from typing import Any, Iterable, Mapping, Sequence

from credcheck.calibrate.track_record import Tally, credits
from credcheck.load.claims import load_claims, read_input
from credcheck.load.fast import detect_format
from credcheck.load.located_yaml import DEFAULT_LIMITS, Limits, load_yaml
from credcheck.model import Source, TrackRecord
from credcheck.record import Record
from credcheck.rubric.model import Rubric


class History(Record):
    """What the history files hold: the records, and how much they were built from."""

    records: dict[str, TrackRecord]
    files: int
    claims: int  # claims read
    resolved: int  # of which confirmed or refuted
    sources: tuple[dict[str, Any], ...]  # every source as written (first definition), for the output


def read_history(paths: Sequence[str], rubric: Rubric, sources: Sequence[str] = (),
                 limits: Limits = DEFAULT_LIMITS) -> History:
    """Each history file loaded and checked as `score` loads it (with the --sources files), then credited."""
    total = Tally()
    seen: dict[str, dict[str, Any]] = {}
    n_claims = n_resolved = 0
    for path in paths:
        claim_set = load_claims(path, rubric, sources, limits=limits)
        n_claims += len(claim_set.claims)
        for credit in credits(claim_set.claims, claim_set.sources, rubric):
            total.add(credit)
            n_resolved += 1
        written = raw_sources(path, limits, "claims") if path != "-" else []  # standard input is read once
        for raw in written:
            seen.setdefault(source_id(raw), raw)
        for sid, src in claim_set.sources.items():  # defined elsewhere (standard input): the fields the model keeps
            seen.setdefault(sid, _as_written(src))
    return History(total.records(), len(paths), n_claims, n_resolved, tuple(seen.values()))


def raw_sources(path: str, limits: Limits, kind: str = "sources") -> list[dict[str, Any]]:
    """The sources of a file (already checked by load_claims) as written: every field, in order."""
    data, name = read_input(path, limits.max_file_bytes, "a sources file" if kind == "sources" else "a claims file")
    fmt = detect_format(name)
    if fmt == "yaml":
        tree = load_yaml(data, name, limits, skip=frozenset({"claims"}))
    else:
        from credcheck.load.json_input import load_located
        tree = load_located(data, name, fmt, kind, limits)
    items = tree if isinstance(tree, list) else (tree.get("sources") or []) if isinstance(tree, dict) else []
    return [plain(item) for item in items if isinstance(item, dict)]


def _as_written(source: Source) -> dict[str, Any]:
    out: dict[str, Any] = {"id": source.id, "name": source.name, "type": source.type}
    if source.reliability:
        out["reliability"] = source.reliability
    if source.owner:
        out["owner"] = source.owner
    if source.derived_from:
        out["derived_from"] = list(source.derived_from)
    return out


def plain(value: Any) -> Any:
    """A located tree as plain dicts, lists and scalars (what a YAML writer knows)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def source_id(raw: Mapping[str, Any]) -> str:
    """A source's id as the loader reads it (text, Unicode NFC), so raw entries match the records."""
    return unicodedata.normalize("NFC", str(raw.get("id")))


def with_records(given: Iterable[dict[str, Any]], history: History) -> list[dict[str, Any]]:
    """The output's sources: those given, then the history's others; each with its new record, if any."""
    out: dict[str, dict[str, Any]] = {}
    for raw in (*given, *history.sources):
        sid = source_id(raw)
        if sid in out:
            continue
        entry = dict(raw)
        record = history.records.get(sid)
        if record is not None:
            entry["track_record"] = {"right": record.right, "wrong": record.wrong}
        out[sid] = entry
    return list(out.values())


def document(sources: list[dict[str, Any]], history: History) -> str:
    """The sources file's text: a comment on what it was built from, then `sources:`."""
    import yaml
    with_record = sum(1 for s in sources if "track_record" in s)
    head = (f"# Track records from {history.files} history file{_s(history.files)}: {history.resolved:,} resolved claim"
            f"{_s(history.resolved)} of {history.claims:,}; {with_record:,} source{_s(with_record)} with a record.\n"
            "# Written by credcheck track-record (docs/track-records.md says how lines are credited).\n")
    body = yaml.dump({"sources": sources}, Dumper=yaml.SafeDumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=None, width=4096)
    return head + body


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def track_record_file(history_paths: Sequence[str], rubric: Rubric, sources: Sequence[str] = (),
                      limits: Limits = DEFAULT_LIMITS) -> tuple[str, History]:
    """The text of the sources file `track-record` writes, and what it was built from."""
    history = read_history(history_paths, rubric, sources, limits)
    given = [raw for path in sources for raw in raw_sources(path, limits)]
    return document(with_records(given, history), history), history

