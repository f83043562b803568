"""Claims and sources files read into a ClaimSet: the fast path, else the located checker.

Every well-formed file is read by the fast path (fast.py); anything unusual
there, and the located checker (located.py) reads the files again and reports
every problem at once, each with its file, line and column.
"""
from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from credcheck.errors import CredcheckError, Mark, Problem, Problems
from credcheck.lazyre import LazyPattern
from credcheck.limits import DEFAULT_LIMITS, Limits, read_limited, read_stream
from credcheck.load.contract import Vocabulary
from credcheck.load.fast import (Fallback, Parsed, Progress, check_claim_references, check_references, check_source_table,
                                 detect_format, paused_gc, read_yaml)
from credcheck.load.references import check_claims, check_sources
from credcheck.model import Claim, ClaimSet, Source


def read_input(path: str | Path, max_bytes: int = DEFAULT_LIMITS.max_file_bytes, what: str = "a claims file") -> tuple[bytes, str]:
    """Bytes of a file, or of standard input for '-'; never more than `max_bytes` are read."""
    if str(path) == "-":
        return read_stream(sys.stdin.buffer, max_bytes, "file-size", "<stdin>"), "<stdin>"
    try:
        return read_limited(path, max_bytes, "file-size", what), str(path)
    except FileNotFoundError:
        raise CredcheckError.single(None, "", f"{path}: no such file") from None
    except IsADirectoryError:
        raise CredcheckError.single(None, "", f"{path}: is a folder, not {what}") from None
    except OSError as exc:
        raise CredcheckError.single(None, "", f"{path}: cannot read: {exc.strerror}") from None


def load_claims(
    path: str | Path,
    vocabulary: Any,
    sources: Iterable[str | Path] = (),
    *,
    data: bytes | None = None,
    limits: Limits = DEFAULT_LIMITS,
    input_format: str | None = None,
    progress: Progress | None = None,
) -> ClaimSet:
    """Read and validate a claims file (and any sources files) against a rubric's vocabulary.

    `vocabulary`: a contract.Vocabulary, or anything with source_types and evidence_types
    (a Rubric: credcheck.load_claims(path, rubric)).

    `input_format` is yaml, json or jsonl (default: by the file's extension; YAML
    for standard input); sources files go by their own extensions. `progress`, if
    given, is called now and then with (claims read, fraction of the file read).
    Raises CredcheckError listing every problem found, each with file, line and column.
    """
    if data is None:
        data, name = read_input(path, limits.max_file_bytes)
    else:
        name = str(path)
    fmt = detect_format("-" if str(path) == "-" else name, input_format)
    vocabulary = Vocabulary.of(vocabulary)
    extras, read_error = read_sources_files(sources, limits)
    with paused_gc():  # millions of small acyclic objects: collections would only cost time
        main, table = read_checked((data, name, fmt), extras, vocabulary, limits, progress, unread=read_error)
    assert main.claims is not None
    return claim_set(main.claims, table, main.title, main.as_of, (data, name), extras)


def claim_set(claims: Sequence[Claim], table: dict[str, Source], title: Any, as_of: Any,
              main: tuple[bytes, str], extras: list[tuple[bytes, str]]) -> ClaimSet:
    """The ClaimSet of checked claims and sources, naming its files (the claims file, then
    the sources files) and the digest of their bytes."""
    digest = hashlib.sha256(main[0])
    for extra_data, _ in extras:
        digest.update(extra_data)
    files = (main[1], *(extra_name for _, extra_name in extras))
    return ClaimSet(tuple(claims), table, _text(title), _text(as_of), files, digest.hexdigest())


def read_sources_files(paths: Iterable[str | Path], limits: Limits) -> tuple[list[tuple[bytes, str]], CredcheckError | None]:
    """The sources files, in order, up to the first one that cannot be read."""
    out: list[tuple[bytes, str]] = []
    for extra in paths:
        try:
            out.append(read_input(extra, limits.max_file_bytes, "a sources file"))
        except CredcheckError as exc:
            return out, exc
    return out, None


def read_fast(data: bytes, file: str, fmt: str, kind: str, vocabulary: Vocabulary, limits: Limits,
              progress: Progress | None = None) -> Parsed:
    """One well-formed claims ("claims") or sources ("sources") file, converted; Fallback otherwise."""
    if fmt == "yaml":
        return read_yaml(data, file, kind, vocabulary, limits, progress)
    # Imported for JSON input only: the json package and this module's patterns cost a YAML run ~2 ms of start-up.
    from credcheck.load.json_input import read_json
    return read_json(data, fmt, kind, vocabulary, limits, progress)


File = tuple[bytes, str, str]  # (its bytes, its name in messages, its format: yaml, json or jsonl)


def read_checked(claims: File | None, sources: Sequence[tuple[bytes, str]], vocabulary: Vocabulary, limits: Limits,
                 progress: Progress | None = None, *, unread: CredcheckError | None = None,
                 partition_of: Mapping[str, Source] | None = None) -> tuple[Parsed, dict[str, Source]]:
    """A claims file (or none) and sources files, read and checked: (the claims file's contents, every source by id).

    The one place that chooses the reader. The fast path (fast.py) reads well-formed files;
    at anything unusual, maybe wrong, it gives up (Fallback) and the located checker
    (located.py) reads them all again and alone reports problems, so messages and positions
    are the same whichever ran. Sources files go by their extensions.

    `unread`: the error of a sources file that could not be read, raised by the located
    checker after the files before it (a syntax error there comes first).
    `partition_of`: the claims file is a partition of a larger one (render/batches.py), whose
    sources are these: it may hold claim records only.
    """
    if unread is None:
        try:
            return _read_fast(claims, sources, vocabulary, limits, progress, partition_of)
        except Fallback:
            pass
    return _read_located(claims, sources, vocabulary, limits, progress, unread, partition_of)


def _read_fast(claims: File | None, sources: Sequence[tuple[bytes, str]], vocabulary: Vocabulary, limits: Limits,
               progress: Progress | None, partition_of: Mapping[str, Source] | None) -> tuple[Parsed, dict[str, Source]]:
    found = read_sources_fast(sources, vocabulary, limits)
    if claims is None:
        return Parsed(sources=[], claims=[]), check_source_table(found)
    main = read_fast(*claims, "claims", vocabulary, limits, progress)
    assert main.sources is not None and main.claims is not None
    if partition_of is None:
        return main, check_references(main.sources + found, main.claims)
    if main.sources or found or main.title is not None or main.as_of is not None:
        raise Fallback  # not a partition: the located checker says so
    table = dict(partition_of)
    check_claim_references(main.claims, table)
    return main, table


def read_sources_fast(sources: Sequence[tuple[bytes, str]], vocabulary: Vocabulary, limits: Limits) -> list[Source]:
    """The sources of the sources files, in order, on the fast path (Fallback on anything unusual)."""
    found: list[Source] = []
    for data, name in sources:
        found.extend(read_fast(data, name, detect_format(name), "sources", vocabulary, limits).sources or ())
    return found


def _read_located(claims: File | None, sources: Sequence[tuple[bytes, str]], vocabulary: Vocabulary, limits: Limits,
                  progress: Progress | None, unread: CredcheckError | None,
                  partition_of: Mapping[str, Source] | None) -> tuple[Parsed, dict[str, Source]]:
    from credcheck.load.located import Reader, schemas  # here: a valid file never needs it (0.3-0.5 ms of start-up)
    problems = Problems()
    reader = Reader(schemas(vocabulary.source_types, vocabulary.evidence_types), problems, limits, progress)
    found: list[Source] = []
    try:
        for data, name in sources:
            found.extend(reader.read(data, name, "sources", detect_format(name))[1])
        if unread is not None:
            raise unread
        main = Parsed(sources=[], claims=[]) if claims is None else \
            reader.read_parsed(claims[0], claims[1], "claims", claims[2])
    except CredcheckError as exc:
        raise stopped_reading(problems, exc) from None
    assert main.sources is not None and main.claims is not None
    if partition_of is None:
        main.sources = main.sources + found
        table = check_sources(main.sources, problems)
    else:
        if main.sources or found or main.title is not None or main.as_of is not None:
            problems.add(Mark(claims[1] if claims else "", 1, 1), "",
                         "a partition holds claim records only: sources and the title belong elsewhere")
        table = dict(partition_of)
    check_claims(main.claims, table, problems)
    problems.raise_if_any()
    return main, table


def stopped_reading(before: Problems, exc: CredcheckError) -> CredcheckError:
    """The problems found before reading stopped (a syntax error, a duplicate key, a limit), then
    those that stopped it: a mistake before a syntax error is reported with it."""
    return CredcheckError([*before.items, *exc.problems])


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


# --- where a claim or source of a JSON file is, when a later step needs to say so ---------------
#
# The JSON readers keep no positions (the C decoder gives none), so a problem the engine
# finds after loading (a claim too tangled to match, a republication graph too tangled to
# trace) names the claim or source by id only. Then, and only then, the file is read again
# and the id looked for, so the message still reads FILE:LINE:COL (the pattern is compiled then too).

_PROBLEM_ID: re.Pattern[str] = LazyPattern(re.compile, r"^(claims|sources)\[(.+?)\]")  # type: ignore[assignment]


def locate_problems(error: CredcheckError, claims: ClaimSet) -> CredcheckError:
    """`error` with each unplaced problem about `claims[ID]` or `sources[ID]` placed in its file."""
    if all(p.mark is not None for p in error.problems):
        return error
    placed = []
    for problem in error.problems:
        found = _PROBLEM_ID.match(problem.path) if problem.mark is None else None
        mark = _find_id(claims.files, found.group(1), found.group(2)) if found else None
        if mark is None and problem.mark is None and claims.files:
            mark = Mark(claims.files[0], 1, 1) if found else None
        placed.append(Problem(mark or problem.mark, problem.path, problem.message))
    return CredcheckError(placed)


def _find_id(files: Sequence[str], kind: str, item_id: str) -> Mark | None:
    """Where the claim (kind "claims") or source with this id is in a JSON or JSON Lines file."""
    import json
    spellings = {json.dumps(item_id, ensure_ascii=False), json.dumps(item_id)}
    pattern = re.compile(r'"id"[ \t\r\n]*:[ \t\r\n]*(?:' + "|".join(map(re.escape, spellings)) + ")")
    for file in files[:1] if kind == "claims" else files:
        fmt = detect_format(file)
        if file == "<stdin>" or fmt == "yaml":  # YAML readers keep positions; standard input is gone
            continue
        try:
            text = read_limited(file, DEFAULT_LIMITS.max_file_bytes, "file-size", "a claims file").decode("utf-8", "replace")
        except (OSError, CredcheckError):
            continue
        for match in pattern.finditer(text):
            line_start = text.rfind("\n", 0, match.start()) + 1
            if fmt == "jsonl":  # a record of its own line: {"source": {...}} or {"sources": [...]} hold sources
                in_source = text[line_start:match.start()].lstrip().startswith(('{"source"', '{"sources"'))
            else:
                in_source = _inside_sources(text, match.start())
            if in_source == (kind == "sources"):
                return Mark(file, text.count("\n", 0, match.start()) + 1, match.start() - line_start + 1)
    return None


def _inside_sources(text: str, at: int) -> bool:
    """In a JSON document: whether `at` lies in the top-level sources list (after its key, before the claims key
    when the sources come first), as far as a plain search can tell."""
    sources = text.rfind('"sources"', 0, at)
    claims = text.rfind('"claims"', 0, at)
    return sources > claims
