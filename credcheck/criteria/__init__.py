"""Rubric criteria, one module each, registered by ID.

A criterion module has `ID`, `CONFIG` (the schema of its rubric section,
without `weight`), a docstring that documents it, and a pure
`score(analysis, config, weight) -> CriterionResult`.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Mapping

from ..model import Claim, Collapsed, Line, Source
from . import corroboration, source, verifiability


@dataclass(frozen=True, slots=True)
class Analysis:
    """What every criterion may look at for one claim, computed once by the engine."""

    claim: Claim
    sources: Mapping[str, Source]
    supporting: tuple[Line, ...]
    refuting: tuple[Line, ...]
    collapsed: tuple[Collapsed, ...]
    supporting_reports: int
    refuting_reports: int


REGISTRY: dict[str, ModuleType] = {
    source.ID: source,
    corroboration.ID: corroboration,
    verifiability.ID: verifiability,
}
REQUIRED = ("source", "corroboration", "verifiability")
