"""Renderers behind one interface: each turns a Report into text.

Heavy renderers (rich tables, Jinja briefs) are imported only when used, so
`--format json` starts fast.
"""
from __future__ import annotations

import enum
from typing import Sequence

from credcheck.model import Assessment, ClaimSet
from credcheck.record import Record
from credcheck.rubric.model import Rubric


class Format(str, enum.Enum):
    table = "table"
    json = "json"
    md = "md"


class Report(Record):
    """Everything a renderer may show: the inputs and their assessments."""

    claims: ClaimSet
    rubric: Rubric
    assessments: Sequence[Assessment]


def sort_key(a: Assessment) -> tuple[int, float, str]:
    """Best first: credibility code ascending, then score descending."""
    return (a.credibility, -a.score, a.id)
