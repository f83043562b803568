"""Renderers behind one interface: each turns a Report into text.

Heavy renderers (rich tables, Jinja briefs, stix2, pandoc) are imported only
when used, so `--format json` starts fast. The exchange formats (stix, misp,
claimreview) are modules with one `render(report) -> str`.
"""
from __future__ import annotations

import enum
from typing import Sequence

from ..model import Assessment, ClaimSet
from ..record import Record
from ..rubric import Rubric


class Format(str, enum.Enum):
    table = "table"
    json = "json"
    md = "md"
    stix = "stix"
    misp = "misp"
    claimreview = "claimreview"


class Report(Record):
    """Everything a renderer may show: the inputs and their assessments."""

    claims: ClaimSet
    rubric: Rubric
    assessments: Sequence[Assessment]


def sort_key(a: Assessment) -> tuple[int, float, str]:
    """Best first: credibility code ascending, then score descending."""
    return (a.credibility, -a.score, a.id)
