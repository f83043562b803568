"""The shift-and-scale fit of log-odds: it finds what generated the outcomes, and changes nothing when nothing is wrong."""
from __future__ import annotations

import math
import random

import pytest

from credcheck.calibrate.fit import IDENTITY, Recalibration, fit, logistic, logit
from credcheck.calibrate.metrics import log_loss


def draw(shift: float, scale: float, n: int = 4000, seed: int = 7) -> tuple[list[float], list[bool]]:
    """Model log-odds, and outcomes drawn as if the truth were logistic(shift + scale x log-odds)."""
    rng = random.Random(seed)
    xs = [rng.gauss(0, 2) for _ in range(n)]
    return xs, [rng.random() < logistic(shift + scale * x) for x in xs]


def test_the_fit_recovers_the_shift_and_scale_that_drew_the_outcomes():
    xs, ys = draw(-0.8, 0.5)
    found = fit(xs, ys)
    assert found.shift == pytest.approx(-0.8, abs=0.1)
    assert found.scale == pytest.approx(0.5, abs=0.06)
    assert found.n == 4000


def test_a_calibrated_model_is_left_nearly_alone():
    xs, ys = draw(0.0, 1.0)
    found = fit(xs, ys)
    assert abs(found.shift) < 0.1 and abs(found.scale - 1) < 0.1


def test_the_fit_never_does_worse_than_the_model_it_refits():
    xs, ys = draw(1.0, 2.0, n=500)
    found = fit(xs, ys)
    before = log_loss([logistic(x) for x in xs], ys)
    after = log_loss([found.probability(x) for x in xs], ys)
    assert after < before


def test_no_claims_or_one_outcome_only_stay_finite():
    assert fit([], []) == IDENTITY
    one_side = fit([0.5, 1.0, -2.0], [True, True, True])
    assert math.isfinite(one_side.shift) and math.isfinite(one_side.scale)


def test_the_fit_is_deterministic():
    xs, ys = draw(0.3, 0.7, n=300)
    assert fit(xs, ys) == fit(list(xs), list(ys))


def test_shift_in_decibans_and_the_clipped_logit():
    assert Recalibration(shift=math.log(10)).shift_decibans == pytest.approx(10.0)
    assert logit(0.0) == pytest.approx(-logit(1.0)) and math.isfinite(logit(0.0))
    assert logistic(-800) == 0.0 and logistic(800) == 1.0


def test_mismatched_lengths_are_an_error():
    with pytest.raises(ValueError):
        fit([0.1], [])
