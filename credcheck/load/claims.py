"""Claims and sources files read into a ClaimSet: the fast path, else the located checker.

Every well-formed file is read by the fast path (fast.py); anything unusual
there, and the located checker (located.py) reads the files again and reports
every problem at once, each with its file, line and column.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any, Iterable, Sequence

from credcheck.errors import CredcheckError, Problems
from credcheck.limits import read_limited, read_stream
from credcheck.load.contract import Vocabulary
from credcheck.load.fast import Fallback, Parsed, Progress, check_references, detect_format, paused_gc, read_yaml
from credcheck.load.located import Reader, schemas
from credcheck.load.located_yaml import DEFAULT_LIMITS, Limits
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
        main: Parsed | None = None
        if read_error is None:
            try:
                main, table = _read_fast(data, name, fmt, extras, vocabulary, limits, progress)
            except Fallback:  # something unusual, maybe wrong: the located checker decides and reports
                pass
        if main is None:
            main, table = _read_located(data, name, fmt, extras, read_error, vocabulary, limits, progress)
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


def _read_fast(data: bytes, name: str, fmt: str, extras: list[tuple[bytes, str]], vocab: Vocabulary,
               limits: Limits, progress: Progress | None) -> tuple[Parsed, dict[str, Source]]:
    extra_sources = read_sources_fast(extras, vocab, limits)
    main = read_fast(data, name, fmt, "claims", vocab, limits, progress)
    assert main.sources is not None and main.claims is not None
    return main, check_references(main.sources + extra_sources, main.claims)


def read_sources_fast(extras: list[tuple[bytes, str]], vocab: Vocabulary, limits: Limits) -> list[Source]:
    """The sources of the sources files, in order, on the fast path (Fallback on anything unusual)."""
    found: list[Source] = []
    for extra_data, extra_name in extras:
        found.extend(read_fast(extra_data, extra_name, detect_format(extra_name), "sources", vocab, limits).sources or ())
    return found


def _read_located(data: bytes, name: str, fmt: str, extras: list[tuple[bytes, str]], read_error: CredcheckError | None,
                  vocab: Vocabulary, limits: Limits, progress: Progress | None) -> tuple[Parsed, dict[str, Source]]:
    s = schemas(vocab.source_types, vocab.evidence_types)
    problems = Problems()
    reader = Reader(s, problems, limits, progress)
    all_sources: list[Source] = []
    try:
        for extra_data, extra_name in extras:
            _, found, _ = reader.read(extra_data, extra_name, "sources", detect_format(extra_name))
            all_sources.extend(found)
        if read_error is not None:
            raise read_error
        tree, found, claims = reader.read(data, name, "claims", fmt)
    except CredcheckError as exc:
        raise stopped_reading(problems, exc) from None
    all_sources = found + all_sources
    table = check_sources(all_sources, problems)
    check_claims(claims, table, problems)
    problems.raise_if_any()
    title = tree.get("title") if isinstance(tree, dict) else None
    as_of = tree.get("as_of") if isinstance(tree, dict) else None
    return Parsed(title, as_of, all_sources, claims), table


def stopped_reading(before: Problems, exc: CredcheckError) -> CredcheckError:
    """The problems found before reading stopped (a syntax error, a duplicate key, a limit), then
    those that stopped it: a mistake before a syntax error is reported with it."""
    return CredcheckError([*before.items, *exc.problems])


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
