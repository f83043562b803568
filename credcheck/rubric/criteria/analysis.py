"""What every criterion may look at for one claim: the engine computes it once and hands it to each."""
from __future__ import annotations

from typing import Mapping

from credcheck.model import NOTHING, Claim, Collapsed, Inferred, Line, Source
from credcheck.record import Record


class Analysis(Record):
    """What every criterion may look at for one claim, computed once by the engine."""

    claim: Claim
    sources: Mapping[str, Source]
    supporting: tuple[Line, ...]  # weighed: each line's decibans as counted
    refuting: tuple[Line, ...]
    collapsed: tuple[Collapsed, ...]
    supporting_reports: int
    refuting_reports: int
    neutral_reports: int = 0
    inferred: Inferred = NOTHING  # copies and outlets found in excerpts and addresses (score/copies.py)
    copy_mode: str = "collapse"  # the rubric's copies.mode: whether they were counted as one line
