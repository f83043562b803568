"""Plain, frozen values that flow one way: loaded -> assessed -> rendered."""
from __future__ import annotations

from typing import Any

from credcheck.record import Record, field

Pos = tuple[str, int, int]  # (file, line, col): compact, turned into a Mark only on error

RELIABILITY_LABELS = {
    "A": "Completely reliable",
    "B": "Usually reliable",
    "C": "Fairly reliable",
    "D": "Not usually reliable",
    "E": "Unreliable",
    "F": "Reliability cannot be judged",
}
CREDIBILITY_LABELS = {
    1: "Confirmed",
    2: "Probably true",
    3: "Possibly true",
    4: "Doubtful",
    5: "Improbable",
    6: "Truth cannot be judged",
}
# ICD 203 estimative terms, most to least likely, with their probability ranges (%).
LIKELIHOOD_TERMS = {
    "almost certain": (95, 99),
    "very likely": (80, 95),
    "likely": (55, 80),
    "roughly even chance": (45, 55),
    "unlikely": (20, 45),
    "very unlikely": (5, 20),
    "almost no chance": (1, 5),
}
STANCES = ("supports", "refutes")
ACCESS = ("first_hand", "second_hand", "unknown")


class Source(Record):
    id: str
    name: str
    type: str
    reliability: str | None = None  # the analyst's A-F rating, if any
    owner: str | None = None
    derived_from: tuple[str, ...] = ()
    pos: Pos | None = None
    derived_pos: tuple[Pos, ...] = ()


class Report(Record):
    source: str
    stance: str = "supports"
    access: str = "unknown"
    via: tuple[str, ...] = ()
    pos: Pos | None = None  # of the `source` value
    via_pos: tuple[Pos, ...] = ()


class Evidence(Record):
    type: str
    verified: bool = False
    note: str | None = None


class Claim(Record):
    id: str
    text: str
    tags: tuple[str, ...] = ()
    reports: tuple[Report, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    pos: Pos | None = None
    judgment: str | None = None  # the brief's wording of the key judgment ('front-line desertions have risen')
    key: bool = False  # a key judgment: the brief's bottom line holds it
    draft: bool = False  # written by `extract` and not yet reviewed by an analyst


class ClaimSet(Record):
    """A validated claims file (with any --sources files merged in)."""

    claims: tuple[Claim, ...]
    sources: dict[str, Source]
    title: str | None = None
    as_of: str | None = None
    files: tuple[str, ...] = ()
    input_sha256: str = ""


class CriterionResult(Record):
    score: float  # 0-100
    weight: float
    reasons: tuple[str, ...]
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. independent_supporting
    flags: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()


class RuleHit(Record):
    id: str
    effect: str  # "cap" or "set"
    credibility: int
    reason: str
    changed: bool  # whether it changed the grade the bands gave


class Line(Record):
    """One independent line of reporting: a report paired with the original it counts for."""

    report: int  # index into claim.reports
    original: str  # display name of the original (a source id, or an owner)
    members: tuple[str, ...]  # source ids that make up the original
    letter: str
    score: float


class Collapsed(Record):
    report: int
    into: tuple[str, ...]  # originals already counted


class Assessment(Record):
    id: str
    text: str
    score: float
    raw_score: float  # before rules capped it
    credibility: int
    reliability: str
    likelihood: str | None
    criteria: dict[str, CriterionResult]
    flags: tuple[str, ...]
    gaps: tuple[str, ...]
    rules: tuple[RuleHit, ...]
    supporting: tuple[Line, ...] = ()
    refuting: tuple[Line, ...] = ()
    collapsed: tuple[Collapsed, ...] = ()
    tags: tuple[str, ...] = ()
    draft: bool = False  # the claim is an unreviewed draft: its grade is not an analyst's yet

    @property
    def admiralty(self) -> str:
        return f"{self.reliability}{self.credibility}"

    @property
    def credibility_label(self) -> str:
        return CREDIBILITY_LABELS[self.credibility]

    @property
    def reliability_label(self) -> str:
        return RELIABILITY_LABELS[self.reliability]
