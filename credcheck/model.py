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


def likelihood_term(percent: float) -> str:
    """The ICD 203 term whose range holds a probability in percent.

    A range holds the values above its low end up to and including its high
    end; the lowest term also holds everything below it (0-5), the highest
    everything above it (95-100).
    """
    for term, (low, _high) in LIKELIHOOD_TERMS.items():
        if percent > low:
            return term
    return "almost no chance"


# The words the values below may hold. Declared here, beside the values, once: the claims
# file's contract (load/contract.py), the rubric and the renderers all read them from here.
LETTERS = tuple(RELIABILITY_LABELS)  # the Admiralty reliability letters, A (best) to F
# `neutral`: the report relays or mentions the claim without endorsing or denying it;
# it is never a supporting or a refuting line (CONTRACT.md 7.1).
STANCES = ("supports", "refutes", "neutral")
CONFIDENCE_LEVELS = ("low", "moderate", "high")  # ICD 203: how much and how good the sourcing is
ACCESS = ("first_hand", "second_hand", "unknown")
OUTCOME_STATUSES = ("confirmed", "refuted", "unresolved")


class TrackRecord(Record):
    """Resolved claims a source's lines got right and wrong (CONTRACT 7.1)."""

    right: int
    wrong: int


class Source(Record):
    id: str
    name: str
    type: str
    reliability: str | None = None  # the analyst's A-F rating, if any
    owner: str | None = None
    derived_from: tuple[str, ...] = ()
    pos: Pos | None = None
    derived_pos: tuple[Pos, ...] = ()
    track_record: TrackRecord | None = None


class Report(Record):
    source: str
    stance: str = "supports"
    access: str = "unknown"
    via: tuple[str, ...] = ()
    pos: Pos | None = None  # of the `source` value
    via_pos: tuple[Pos, ...] = ()
    published: str | None = None  # as written: YYYY-MM-DD or an ISO 8601 date-time
    url: str | None = None
    excerpt: str | None = None  # the words as published
    independent_of: tuple[str, ...] = ()  # sources the analyst says this report did not copy
    independent_pos: tuple[Pos, ...] = ()


class Evidence(Record):
    type: str
    verified: bool = False
    note: str | None = None


class Outcome(Record):
    """How a claim was resolved, once it was."""

    status: str  # one of OUTCOME_STATUSES; unresolved is the same as no outcome
    date: str | None = None  # YYYY-MM-DD
    note: str | None = None

    @property
    def truth(self) -> bool | None:
        """True if confirmed, False if refuted, None while unresolved."""
        return True if self.status == "confirmed" else False if self.status == "refuted" else None


class Claim(Record):
    id: str
    text: str
    tags: tuple[str, ...] = ()
    reports: tuple[Report, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    pos: Pos | None = None
    judgment: str | None = None  # the brief's wording of the key judgment
    key: bool = False  # a key judgment: the brief's bottom line holds it
    draft: bool = False  # written by `extract`, not yet reviewed by an analyst
    outcome: Outcome | None = None


class ClaimSet(Record):
    """A validated claims file (with any --sources files merged in)."""

    claims: tuple[Claim, ...]
    sources: dict[str, Source]
    title: str | None = None
    as_of: str | None = None
    files: tuple[str, ...] = ()
    input_sha256: str = ""


class CriterionResult(Record):
    score: float  # 0-100: where this criterion's weight of evidence alone takes even odds
    weight: float  # how much it weighs: the size of its weight of evidence, in decibans
    reasons: tuple[str, ...]
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. independent_supporting
    flags: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()
    decibans: float = 0.0  # its weight of evidence, signed: + for the claim, - against it


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
    holds_up: float  # the chance that a line from this original holds up (its letter's, in the rubric)
    kind: str  # the original's source type: further lines of one kind count for less
    decibans: float = 0.0  # its weight of evidence as counted (+ supporting, - refuting)
    discount: float = 1.0  # the share of its weight counted, after lines of its kind before it
    name: str = ""  # how the reasons name it: 'nis [ROK government]', 'yonhap relaying nis'


class Collapsed(Record):
    report: int
    into: tuple[str, ...]  # originals already counted
    copy_of: int | None = None  # inferred: the earlier report whose excerpt it copies (score/copies.py)


class Copy(Record):
    """An inferred copy: a report whose excerpt is a near-duplicate of an earlier one's."""

    report: int  # index in the claim's reports
    of: int  # the earlier report it is a near-duplicate of
    similarity: float  # Jaccard of their word shingles, 0-1
    original: int  # the first report of the chain: the one it counts as
    source: str = ""  # the sources of the three reports, for outputs that do not hold the claim
    of_source: str = ""
    original_source: str = ""


class Outlet(Record):
    """Sources counted as one owner because their reports of a claim share a registrable domain."""

    domains: tuple[str, ...]
    sources: tuple[str, ...]
    owner: str  # the owner they count as: an explicit owner among them, or the domain


class Inferred(Record):
    """What one claim's excerpts and addresses suggest beyond what the files declare."""

    copies: tuple[Copy, ...] = ()
    outlets: tuple[Outlet, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.copies or self.outlets)


NOTHING = Inferred()


class Confidence(Record):
    """ICD 203 confidence: how much and how good the sourcing is, apart from how likely the claim is."""

    level: str  # low | moderate | high
    reasons: tuple[str, ...]


class Assessment(Record):
    id: str
    text: str
    score: float  # 100 x probability (0 when nobody reports the claim)
    raw_score: float  # the score the bands graded (rules move the grade, never the score)
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
    copies: tuple[Copy, ...] = ()  # inferred, whether the rubric collapses them or only flags them
    outlets: tuple[Outlet, ...] = ()
    draft: bool = False  # the claim is an unreviewed draft: its grade is not an analyst's yet
    probability: float | None = None  # 0-1; None when credibility is 6 (no reports)
    confidence: Confidence | None = None
    decibans: float | None = None  # the summed weight of evidence; None when no reports
    weighing: tuple[str, ...] = ()  # the sum, line by line: prior, each line, evidence, the total
    outcome: str | None = None  # the claim's outcome status, when its file gives one

    @property
    def admiralty(self) -> str:
        return f"{self.reliability}{self.credibility}"

    @property
    def credibility_label(self) -> str:
        return CREDIBILITY_LABELS[self.credibility]

    @property
    def reliability_label(self) -> str:
        return RELIABILITY_LABELS[self.reliability]
