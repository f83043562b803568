"""What `calibrate` reads off an assessment: its probability, its weight of evidence, and either without a criterion.

The probability is the assessment's `probability` (CONTRACT.md 7.2); a claim
nobody reports (credibility 6) has none and is not measured. The model's
log-odds are its summed weight of evidence (`decibans`, from the prior), in
natural units for the fit. Leaving a criterion out takes its weight, at the
rubric's scale, out of the sum.
"""
from __future__ import annotations

from credcheck.calibrate.fit import LN10_OVER_10, logistic
from credcheck.model import Assessment, likelihood_term


def probability(a: Assessment) -> float | None:
    return a.probability


def model_log_odds(a: Assessment) -> float:
    """The natural log-odds the model gives the claim (for a claim with a probability)."""
    assert a.decibans is not None
    return a.decibans * LN10_OVER_10


def without(a: Assessment, criterion: str, scale: float = 1.0) -> float:
    """The probability with one criterion's weight of evidence left out (for a claim with a probability)."""
    assert a.decibans is not None
    return logistic((a.decibans - scale * a.criteria[criterion].decibans) * LN10_OVER_10)


def term_of(p: float) -> str:
    """The ICD 203 term whose range holds a probability (as the engine names it)."""
    return likelihood_term(100.0 * p)
