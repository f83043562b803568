"""Rubric criteria, one module each, registered by ID.

A criterion module has `ID`, `CONFIG` (the schema of its rubric section,
without `weight`), a docstring that documents it, and a pure
`score(analysis, config, weight) -> CriterionResult`. A criterion that reads
a file besides the rubric (the language lexicon) also has
`included_files(config) -> ((file, sha256), ...)`, so the rubric's digest
covers it.
"""
from __future__ import annotations

from types import ModuleType
from typing import Any, Mapping

from credcheck.model import Claim, Collapsed, Line, Source
from credcheck.record import Record
from credcheck.score.copies import NOTHING, Inferred
from credcheck.score.criteria import corroboration, language, source, verifiability


class Analysis(Record):
    """What every criterion may look at for one claim, computed once by the engine."""

    claim: Claim
    sources: Mapping[str, Source]
    supporting: tuple[Line, ...]
    refuting: tuple[Line, ...]
    collapsed: tuple[Collapsed, ...]
    supporting_reports: int
    refuting_reports: int
    inferred: Inferred = NOTHING  # copies and outlets found in excerpts and addresses (score/copies.py)
    copy_mode: str = "collapse"  # the rubric's copies.mode: whether they were counted as one line


REGISTRY: dict[str, ModuleType] = {
    source.ID: source,
    corroboration.ID: corroboration,
    verifiability.ID: verifiability,
    language.ID: language,
}
REQUIRED = ("source", "corroboration", "verifiability")


def included_files(criteria: Mapping[str, Mapping[str, Any]]) -> tuple[tuple[str, str], ...]:
    """(file, sha256) of every file the rubric's criteria read, once each, in criteria order."""
    found: dict[str, str] = {}
    for cid, config in criteria.items():
        hook = getattr(REGISTRY[cid], "included_files", None)
        if hook is not None:
            for file, digest in hook(config):
                found.setdefault(file, digest)
    return tuple(found.items())
