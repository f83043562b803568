"""Fitting a model's log-odds to outcomes: a shift and a scale (logistic recalibration).

A model that weighs evidence well but too boldly, or starts from the wrong
prior, gives probabilities that rank claims rightly yet come true more or
less often than they say. Refitting the odds as

    fitted log-odds = shift + scale x model log-odds

by maximum likelihood (Platt's recalibration, two numbers) keeps the ranking
and corrects both faults: scale < 1 tempers an overconfident model, scale > 1
emboldens a timid one, shift moves the prior. Newton's method on the mean log
loss, pure Python and deterministic (fixed order of summation, fixed number
of steps at most).
"""
from __future__ import annotations

import math
from typing import Sequence

from credcheck.record import Record

LN10_OVER_10 = math.log(10) / 10  # natural log-odds per deciban
MAX_STEPS = 50
TOLERANCE = 1e-10
RIDGE = 1e-6  # a whisker of ridge keeps the step finite when every claim has one outcome or one score


class Recalibration(Record):
    """fitted log-odds = shift + scale x model log-odds (natural logarithms)."""

    shift: float = 0.0
    scale: float = 1.0
    n: int = 0  # the claims it was fitted on

    def log_odds(self, model_log_odds: float) -> float:
        return self.shift + self.scale * model_log_odds

    def probability(self, model_log_odds: float) -> float:
        return logistic(self.log_odds(model_log_odds))

    @property
    def shift_decibans(self) -> float:
        return self.shift / LN10_OVER_10


IDENTITY = Recalibration()


def logistic(log_odds: float) -> float:
    if log_odds >= 0:
        return 1.0 / (1.0 + math.exp(-log_odds))
    z = math.exp(log_odds)
    return z / (1.0 + z)


def logit(probability: float, clip: float = 1e-4) -> float:
    """Natural log-odds of a probability, clipped so 0 and 1 stay finite."""
    p = min(max(probability, clip), 1.0 - clip)
    return math.log(p / (1.0 - p))


def fit(log_odds: Sequence[float], outcomes: Sequence[bool]) -> Recalibration:
    """The shift and scale that minimise the mean log loss of logistic(shift + scale x log_odds).

    With no claims, or claims of one outcome only, there is nothing to learn
    the scale from: the identity (or a shift alone) comes back.
    """
    n = len(log_odds)
    if n != len(outcomes):
        raise ValueError(f"{n} log-odds but {len(outcomes)} outcomes")
    if n == 0:
        return IDENTITY
    ys = [1.0 if o else 0.0 for o in outcomes]
    a, b = 0.0, 1.0
    loss = _loss(a, b, log_odds, ys)
    for _ in range(MAX_STEPS):
        ga = gb = haa = hab = hbb = 0.0
        for x, y in zip(log_odds, ys):
            p = logistic(a + b * x)
            r = p - y
            w = p * (1.0 - p)
            ga += r
            gb += r * x
            haa += w
            hab += w * x
            hbb += w * x * x
        ga, gb = ga / n + RIDGE * a, gb / n + RIDGE * (b - 1.0)
        haa, hab, hbb = haa / n + RIDGE, hab / n, hbb / n + RIDGE
        det = haa * hbb - hab * hab
        if det <= 0:
            break
        da, db = (hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det
        step = 1.0
        while step > 1e-6:  # halve the step until the loss falls: Newton may overshoot far from the optimum
            na, nb = a - step * da, b - step * db
            new = _loss(na, nb, log_odds, ys)
            if new <= loss:
                break
            step /= 2
        else:
            break
        a, b, done = na, nb, loss - new < TOLERANCE
        loss = new
        if done:
            break
    return Recalibration(a, b, n)


def _loss(a: float, b: float, xs: Sequence[float], ys: Sequence[float]) -> float:
    total = 0.0
    for x, y in zip(xs, ys):
        z = a + b * x
        # log(1 + e^-z) for y = 1, log(1 + e^z) for y = 0, computed without overflow
        total += _softplus(-z) if y else _softplus(z)
    return total / len(xs) + RIDGE / 2 * (a * a + (b - 1.0) ** 2)


def _softplus(z: float) -> float:
    return z + math.log1p(math.exp(-z)) if z > 0 else math.log1p(math.exp(z))
