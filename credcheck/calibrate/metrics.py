"""How well probabilities match outcomes: the numbers `calibrate` and bench/devset report.

Every function takes parallel sequences: `probabilities` (each in [0, 1], the
estimate that a claim is true) and `outcomes` (True for a claim later confirmed,
False for one refuted; unresolved claims are left out before calling). Pure
Python, no numpy: the sums are exact enough and the order of summation is fixed,
so the same input gives the same figure byte for byte.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import LIKELIHOOD_TERMS

LOG_LOSS_CLIP = 1e-6  # probabilities are clipped to [clip, 1 - clip] so a confident miss costs ~13.8, not infinity
DEFAULT_BINS = 10


def _checked(probabilities: Sequence[float], outcomes: Sequence[bool]) -> int:
    """The number of pairs, after checking the sequences match and hold probabilities."""
    if len(probabilities) != len(outcomes):
        raise ValueError(f"{len(probabilities)} probabilities but {len(outcomes)} outcomes")
    for p in probabilities:
        if not 0.0 <= p <= 1.0:  # also rejects NaN
            raise ValueError(f"probability {p!r} is outside [0, 1]")
    return len(probabilities)


def average_ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks of `values` in ascending order; tied values share the mean of their ranks."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        shared = (start + end) / 2 + 1  # mean of the 1-based ranks start+1 .. end+1
        for k in range(start, end + 1):
            ranks[order[k]] = shared
        start = end + 1
    return ranks


def auc(scores: Sequence[float], outcomes: Sequence[bool]) -> float | None:
    """Area under the ROC curve: the chance that a random true claim scores above a random false one.

    Computed as the Mann-Whitney U statistic over average ranks, so a tie between
    a true and a false claim counts one half. Any monotone score works (it need
    not be a probability). None when either class is empty (AUC is undefined).
    """
    if len(scores) != len(outcomes):
        raise ValueError(f"{len(scores)} scores but {len(outcomes)} outcomes")
    n_true = sum(1 for o in outcomes if o)
    n_false = len(outcomes) - n_true
    if n_true == 0 or n_false == 0:
        return None
    ranks = average_ranks(scores)
    rank_sum_true = math.fsum(r for r, o in zip(ranks, outcomes) if o)
    u = rank_sum_true - n_true * (n_true + 1) / 2
    return u / (n_true * n_false)


def brier(probabilities: Sequence[float], outcomes: Sequence[bool]) -> float | None:
    """Brier score: the mean of (probability - outcome)^2, outcome 1 for true and 0 for false.

    0 is perfect; always saying 0.5 scores 0.25. None for no claims.
    """
    n = _checked(probabilities, outcomes)
    if n == 0:
        return None
    return math.fsum((p - (1.0 if o else 0.0)) ** 2 for p, o in zip(probabilities, outcomes)) / n


def log_loss(
    probabilities: Sequence[float], outcomes: Sequence[bool], clip: float = LOG_LOSS_CLIP
) -> float | None:
    """Mean negative natural log of the probability given to what happened.

    Each probability is first clipped to [clip, 1 - clip], so one certain miss
    costs -ln(clip) rather than infinity. Always saying 0.5 scores ln 2 ~ 0.693.
    None for no claims.
    """
    n = _checked(probabilities, outcomes)
    if n == 0:
        return None
    losses = []
    for p, o in zip(probabilities, outcomes):
        p = min(max(p, clip), 1.0 - clip)
        losses.append(-math.log(p if o else 1.0 - p))
    return math.fsum(losses) / n


@dataclass(frozen=True)
class ReliabilityBin:
    """One bar of a reliability diagram: the claims whose probability fell in [lower, upper)."""

    lower: float
    upper: float  # the last bin also holds probability exactly 1
    n: int
    n_true: int
    mean_probability: float | None  # None for an empty bin
    share_true: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "lower": self.lower,
            "upper": self.upper,
            "n": self.n,
            "n_true": self.n_true,
            "mean_probability": self.mean_probability,
            "share_true": self.share_true,
        }


def bin_index(probability: float, bins: int) -> int:
    """The equal-width bin a probability falls in: [i/bins, (i+1)/bins), with 1.0 in the last bin."""
    return min(int(probability * bins), bins - 1)


def reliability_bins(
    probabilities: Sequence[float], outcomes: Sequence[bool], bins: int = DEFAULT_BINS
) -> list[ReliabilityBin]:
    """Every one of `bins` equal-width bins over [0, 1], empty ones included, lowest first.

    Each bin gives how many claims fell in it, how many of them came true, their
    mean probability and the share that came true: a calibrated model has the
    two close in every bin.
    """
    if bins < 1:
        raise ValueError(f"bins must be at least 1, not {bins}")
    _checked(probabilities, outcomes)
    members: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for p, o in zip(probabilities, outcomes):
        members[bin_index(p, bins)].append((p, o))
    result = []
    for i, inside in enumerate(members):
        n = len(inside)
        n_true = sum(1 for _, o in inside if o)
        result.append(
            ReliabilityBin(
                lower=i / bins,
                upper=(i + 1) / bins,
                n=n,
                n_true=n_true,
                mean_probability=math.fsum(p for p, _ in inside) / n if n else None,
                share_true=n_true / n if n else None,
            )
        )
    return result


def expected_calibration_error(
    probabilities: Sequence[float], outcomes: Sequence[bool], bins: int = DEFAULT_BINS
) -> float | None:
    """ECE: over `bins` equal-width bins of probability, the mean gap |mean probability - share true|,
    each bin weighted by its share of the claims (empty bins weigh nothing).

    0 is perfectly calibrated; it says nothing about ranking (always giving the
    base rate scores 0). None for no claims.
    """
    n = _checked(probabilities, outcomes)
    if n == 0:
        return None
    gaps = [
        b.n / n * abs(b.mean_probability - b.share_true)  # type: ignore[operator]
        for b in reliability_bins(probabilities, outcomes, bins)
        if b.n
    ]
    return math.fsum(gaps)


@dataclass(frozen=True)
class TermRow:
    """How often the claims given one ICD 203 likelihood term came true, beside the term's range."""

    term: str
    min: float  # the range as probabilities, e.g. 0.55 and 0.80 for "likely"
    max: float
    n: int
    n_true: int

    @property
    def share_true(self) -> float:
        return self.n_true / self.n if self.n else 0.0

    @property
    def inside(self) -> bool:
        """Whether the share that came true lies within the term's range (ends included)."""
        return self.n > 0 and self.distance_points == 0.0

    @property
    def distance_points(self) -> float:
        """How far the share true lies outside the range, in percentage points (0 inside it)."""
        share = 100 * self.share_true
        low, high = 100 * self.min, 100 * self.max
        return round(max(low - share, share - high, 0.0), 6)  # rounded: 0.55*100 is 55.00000000000001

    def to_json(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "min": self.min,
            "max": self.max,
            "n": self.n,
            "n_true": self.n_true,
            "share_true": self.share_true,
            "inside": self.inside,
            "distance_points": self.distance_points,
        }


def term_table(
    terms: Sequence[str | None],
    outcomes: Sequence[bool],
    min_n: int = 1,
    ranges: Mapping[str, tuple[int, int]] = LIKELIHOOD_TERMS,
) -> list[TermRow]:
    """One row per likelihood term issued to at least `min_n` claims, least likely term first.

    `terms` holds each claim's term (None for a claim given none, which is left
    out); `ranges` maps a term to its range in percent, as in
    credcheck.model.LIKELIHOOD_TERMS. A term not in `ranges` is an error.
    """
    if len(terms) != len(outcomes):
        raise ValueError(f"{len(terms)} terms but {len(outcomes)} outcomes")
    counts: dict[str, list[int]] = {}
    for term, o in zip(terms, outcomes):
        if term is None:
            continue
        if term not in ranges:
            raise ValueError(f"unknown likelihood term {term!r}")
        n_and_true = counts.setdefault(term, [0, 0])
        n_and_true[0] += 1
        n_and_true[1] += 1 if o else 0
    ordered = sorted(ranges.items(), key=lambda item: item[1])
    return [
        TermRow(term=term, min=low / 100, max=high / 100, n=counts[term][0], n_true=counts[term][1])
        for term, (low, high) in ordered
        if term in counts and counts[term][0] >= min_n
    ]


@dataclass(frozen=True)
class Summary:
    """All the figures for one set of resolved claims, in the shape of `calibrate --format json`."""

    n: int
    n_true: int
    auc: float | None
    brier: float | None
    log_loss: float | None
    ece: float | None
    terms: tuple[TermRow, ...]
    bins: tuple[ReliabilityBin, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "n_true": self.n_true,
            "auc": self.auc,
            "brier": self.brier,
            "log_loss": self.log_loss,
            "ece": self.ece,
            "terms": [row.to_json() for row in self.terms],
            "bins": [b.to_json() for b in self.bins],
        }


def summarize(
    probabilities: Sequence[float],
    outcomes: Sequence[bool],
    terms: Sequence[str | None] | None = None,
    min_n: int = 1,
    bins: int = DEFAULT_BINS,
) -> Summary:
    """AUC (ranked by probability), Brier, log loss, ECE, the term table and the reliability bins."""
    return Summary(
        n=len(outcomes),
        n_true=sum(1 for o in outcomes if o),
        auc=auc(probabilities, outcomes),
        brier=brier(probabilities, outcomes),
        log_loss=log_loss(probabilities, outcomes),
        ece=expected_calibration_error(probabilities, outcomes, bins),
        terms=tuple(term_table(terms, outcomes, min_n)) if terms is not None else (),
        bins=tuple(reliability_bins(probabilities, outcomes, bins)),
    )
