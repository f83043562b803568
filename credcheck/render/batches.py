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

from credcheck.limits import DEFAULT_LIMITS, Limits
from credcheck.load.claims import read_checked, read_sources_files
from credcheck.load.contract import Vocabulary
from credcheck.score.engine import assess_claim, plan_for
from credcheck.score.independence import Tracer
from credcheck.model import Claim, Source
from credcheck.render.jsonout import assessment_dict
from credcheck.rubric.model import Rubric


def load_sources(paths: Iterable[str | Path], rubric: Rubric, limits: Limits = DEFAULT_LIMITS) -> dict[str, Source]:
    """The validated source table of one or more sources files (YAML, JSON or JSON Lines)."""
    files, read_error = read_sources_files(paths, limits)
    if read_error is not None:
        raise read_error
    return read_checked(None, files, Vocabulary.of(rubric), limits)[1]


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
    parsed, _ = read_checked((data, name, "jsonl"), (), Vocabulary.of(rubric), limits, partition_of=sources)
    return parsed.claims or []


def score_lines(lines: Iterable[str | tuple[str, str]], sources: Mapping[str, Source], rubric: Rubric, name: str = "<partition>",
                limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """One JSON assessment per claim record, in order (a `map_partitions` function)."""
    claims = read_claim_lines(lines, sources, rubric, name, limits)
    tracer: Tracer = Tracer(sources)
    ratings: dict[str, tuple[str, float]] = {}
    plan = plan_for(rubric)  # the rubric's work, done once for the partition
    return [json.dumps(assessment_dict(assess_claim(c, sources, rubric, tracer, ratings, plan)), ensure_ascii=False)
            for c in claims]
