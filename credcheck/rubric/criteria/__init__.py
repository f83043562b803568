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

from credcheck.rubric.criteria import corroboration, language, source, verifiability


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
