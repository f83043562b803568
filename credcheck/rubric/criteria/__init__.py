"""Rubric criteria, one module each, registered by ID.

A criterion module has `ID`, `CONFIG` (the schema of its rubric section), a
docstring that documents it, and a pure `score(analysis, config, prepared=None)
-> CriterionResult` whose `decibans` the engine adds to the claim's weight of
evidence. A criterion with work to do once per rubric (sorted tables, a memo
of repeated results) also has `prepare(config)`: the engine's plan calls it
once and passes what it returns as `prepared` (without it, `score` prepares
for itself). A criterion that reads
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
