"""What `calibrate` reads off an assessment: its probability, its log-odds, and either with a criterion left out.

The probability is the assessment's `probability` (CONTRACT.md 7.2) where the
model gives one; a model that gives only a score is read as score / 100. A
claim nobody reports (credibility 6) has none and is not measured.

Leaving a criterion out: a model that sums weights of evidence (`decibans`
on the assessment, per criterion on its results) loses that criterion's
weight; a model that averages criterion scores averages the others, under
the same cap the rules put on the claim.
"""
from __future__ import annotations

import math
from credcheck.calibrate.fit import LN10_OVER_10, logistic, logit
from credcheck.model import Assessment


def probability(a: Assessment) -> float | None:
    given = getattr(a, "probability", None)
    if given is not None:
        return float(given)
    if a.credibility == 6:
        return None
    return min(max(a.score / 100.0, 0.0), 1.0)


def model_log_odds(a: Assessment) -> float:
    """The natural log-odds the model gives the claim (for a claim with a probability)."""
    decibans = getattr(a, "decibans", None)
    if decibans is not None:
        return float(decibans) * LN10_OVER_10
    p = probability(a)
    assert p is not None
    return logit(p)


def without(a: Assessment, criterion: str) -> float:
    """The probability with one criterion left out (for a claim with a probability)."""
    decibans = getattr(a, "decibans", None)
    if decibans is not None:
        own = float(getattr(a.criteria[criterion], "decibans", 0.0))
        return logistic((float(decibans) - own) * LN10_OVER_10)
    others = [r for cid, r in a.criteria.items() if cid != criterion]
    total = math.fsum(r.weight for r in others)
    left = math.fsum(r.score * r.weight for r in others) / total if total > 0 else 0.0
    if a.score < a.raw_score:  # a rule capped the claim: the same cap holds without the criterion
        left = min(left, a.score)
    return min(max(left / 100.0, 0.0), 1.0)


def term_of(p: float) -> str:
    """The ICD 203 term whose range holds a probability (ends belong to the lower term, as in the bands)."""
    from credcheck.model import LIKELIHOOD_TERMS
    percent = 100.0 * p
    for term, (low, _high) in LIKELIHOOD_TERMS.items():
        if percent > low:
            return term
    return "almost no chance"
