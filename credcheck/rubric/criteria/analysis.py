"""What every criterion may look at for one claim: the engine computes it once and hands it to each."""
from __future__ import annotations

from typing import Mapping

from credcheck.model import Claim, Collapsed, Line, Source
from credcheck.record import Record


class Analysis(Record):
    """What every criterion may look at for one claim, computed once by the engine."""

    claim: Claim
    sources: Mapping[str, Source]
    supporting: tuple[Line, ...]
    refuting: tuple[Line, ...]
    collapsed: tuple[Collapsed, ...]
    supporting_reports: int
    refuting_reports: int
