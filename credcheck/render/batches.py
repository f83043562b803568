"""Scoring claims in independent batches, for cluster engines (docs/scaling.md).

Each claim's assessment is a pure function of (claim, its sources, rubric), so
a large input split into JSON Lines partitions can be scored anywhere: load
and validate the rubric and the sources once, send them to the workers, and
map `score_lines` over the partitions. Each partition is validated as a
claims file would be (every problem, located by partition name, line and
claim index); references to sources are checked against the shared table.

    rubric = load_rubric("default")
    sources = load_sources(["sources.jsonl"], rubric)
    lines = score_lines(open("part-0001.jsonl"), sources, rubric, name="part-0001.jsonl")

Each output line is one assessment as JSON, the same object that
`credcheck score --format json` lists under "assessments".
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Mapping

from credcheck.load.claims import read_sources_files, _Reader, check_claims, check_sources, schemas
from credcheck.score.engine import assess_claim
from credcheck.errors import Mark, Problems
from credcheck.load.fast import Fallback, Vocabulary, detect_format, read_fast
from credcheck.score.independence import Tracer
from credcheck.model import Claim, Source
from credcheck.render.jsonout import assessment_dict
from credcheck.rubric.model import Rubric
from credcheck.load.located_yaml import DEFAULT_LIMITS, Limits


def load_sources(paths: Iterable[str | Path], rubric: Rubric, limits: Limits = DEFAULT_LIMITS) -> dict[str, Source]:
    """The validated source table of one or more sources files (YAML, JSON or JSON Lines)."""
    files, read_error = read_sources_files(paths, limits)
    if read_error is not None:
        raise read_error
    vocab = Vocabulary.of(rubric.source_types, rubric.evidence_types)
    problems = Problems()
    reader = _Reader(schemas(rubric.source_types, rubric.evidence_types), problems, limits)
    found: list[Source] = []
    for data, name in files:
        fmt = detect_format(name)
        try:
            found.extend(read_fast(data, name, fmt, "sources", vocab, limits).sources or ())
        except Fallback:
            found.extend(reader.read(data, name, "sources", fmt)[1])
    table = check_sources(found, problems)
    problems.raise_if_any()
    return table


def read_claim_lines(lines: Iterable[str | tuple[str, str]], sources: Mapping[str, Source], rubric: Rubric,
                     name: str = "<partition>", limits: Limits = DEFAULT_LIMITS) -> list[Claim]:
    """Claims from JSON Lines claim records, checked against a source table loaded elsewhere.

    `lines` may also be (line, path) pairs, as dask.bag.read_text(include_path=True)
    gives them; the path then names the partition in messages.
    """
    texts: list[str] = []
    for line in lines:
        if isinstance(line, tuple):
            line, name = line
        texts.append(line if line.endswith("\n") else line + "\n")
    data = "".join(texts).encode("utf-8")
    try:
        parsed = read_fast(data, name, "jsonl", "claims", Vocabulary.of(rubric.source_types, rubric.evidence_types), limits)
        if parsed.sources or parsed.title is not None or parsed.as_of is not None:
            raise Fallback
        assert parsed.claims is not None
        problems = Problems()
        check_claims(parsed.claims, dict(sources), problems)
        if not problems:
            return parsed.claims
    except Fallback:
        pass
    problems = Problems()
    reader = _Reader(schemas(rubric.source_types, rubric.evidence_types), problems, limits)
    tree, found, claims = reader.read(data, name, "claims", "jsonl")
    if found or "title" in tree or "as_of" in tree:
        problems.add(Mark(name, 1, 1), "", "a partition holds claim records only: sources and the title belong elsewhere")
    check_claims(claims, dict(sources), problems)
    problems.raise_if_any()
    return claims


def score_lines(lines: Iterable[str | tuple[str, str]], sources: Mapping[str, Source], rubric: Rubric, name: str = "<partition>",
                limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """One JSON assessment per claim record, in order (a `map_partitions` function)."""
    claims = read_claim_lines(lines, sources, rubric, name, limits)
    tracer: Tracer = Tracer(sources)
    ratings: dict[str, tuple[str, float]] = {}
    return [json.dumps(assessment_dict(assess_claim(c, sources, rubric, tracer, ratings)), ensure_ascii=False)
            for c in claims]
