"""The calibration metrics against hand-computed values and the properties that define them."""
from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credcheck.calibrate.metrics import (
    ReliabilityBin,
    TermRow,
    auc,
    average_ranks,
    bin_index,
    brier,
    expected_calibration_error,
    log_loss,
    reliability_bins,
    summarize,
    term_table,
)

OUTCOMES = [False, False, True, True]


# --- AUC ---------------------------------------------------------------------

def test_auc_of_a_perfect_ranking_is_one():
    assert auc([0.1, 0.2, 0.8, 0.9], OUTCOMES) == 1.0


def test_auc_of_a_reversed_ranking_is_zero():
    assert auc([0.9, 0.8, 0.2, 0.1], OUTCOMES) == 0.0


def test_auc_of_a_constant_score_is_one_half():
    assert auc([0.5] * 4, OUTCOMES) == 0.5


def test_auc_by_hand_with_a_tie_between_classes():
    # pairs (true, false): (0.8 vs 0.1) win, (0.8 vs 0.4) win, (0.4 vs 0.1) win, (0.4 vs 0.4) tie -> 3.5 / 4
    assert auc([0.1, 0.4, 0.4, 0.8], OUTCOMES) == 0.875


def test_auc_by_hand_with_one_misordered_pair():
    # trues 0.3, 0.9; falses 0.2, 0.5: 0.3 beats 0.2 only; 0.9 beats both -> 3 / 4
    assert auc([0.2, 0.5, 0.3, 0.9], OUTCOMES) == 0.75


def test_auc_is_undefined_with_one_class():
    assert auc([0.1, 0.9], [True, True]) is None
    assert auc([], []) is None


def test_auc_takes_any_monotone_score():
    assert auc([-3, 1, 2, 40], OUTCOMES) == auc([0.01, 0.4, 0.5, 0.99], OUTCOMES) == 1.0


def test_average_ranks_share_the_mean_rank_on_ties():
    assert average_ranks([10, 20, 20, 5, 20]) == [2.0, 4.0, 4.0, 1.0, 4.0]


@given(st.lists(st.tuples(st.floats(0, 1), st.booleans()), min_size=1, max_size=30))
def test_auc_equals_the_share_of_pairs_ordered_right(pairs):
    scores = [s for s, _ in pairs]
    outcomes = [o for _, o in pairs]
    trues = [s for s, o in pairs if o]
    falses = [s for s, o in pairs if not o]
    if not trues or not falses:
        assert auc(scores, outcomes) is None
        return
    wins = sum(1.0 if t > f else 0.5 if t == f else 0.0 for t in trues for f in falses)
    assert auc(scores, outcomes) == pytest.approx(wins / (len(trues) * len(falses)))
    # flipping the score flips the AUC
    assert auc([-s for s in scores], outcomes) == pytest.approx(1 - wins / (len(trues) * len(falses)))


# --- Brier and log loss --------------------------------------------------------

def test_brier_by_hand():
    # (0.1-0)^2 + (0.4-0)^2 + (0.6-1)^2 + (1.0-1)^2 = 0.01 + 0.16 + 0.16 + 0 -> / 4
    assert brier([0.1, 0.4, 0.6, 1.0], OUTCOMES) == pytest.approx(0.0825)


def test_brier_of_always_one_half_is_a_quarter_and_perfect_is_zero():
    assert brier([0.5] * 4, OUTCOMES) == 0.25
    assert brier([0.0, 0.0, 1.0, 1.0], OUTCOMES) == 0.0
    assert brier([1.0, 1.0, 0.0, 0.0], OUTCOMES) == 1.0


def test_log_loss_by_hand():
    expected = -(math.log(0.9) + math.log(0.6) + math.log(0.6) + math.log(0.8)) / 4
    assert log_loss([0.1, 0.4, 0.6, 0.8], OUTCOMES) == pytest.approx(expected)


def test_log_loss_of_always_one_half_is_ln_two():
    assert log_loss([0.5] * 4, OUTCOMES) == pytest.approx(math.log(2))


def test_log_loss_clips_a_certain_miss():
    assert log_loss([1.0], [False]) == pytest.approx(-math.log(1e-6))
    assert log_loss([1.0], [False], clip=0.01) == pytest.approx(-math.log(0.01))
    assert log_loss([1.0], [True]) == pytest.approx(-math.log(1 - 1e-6))


def test_empty_sets_have_no_figures():
    assert brier([], []) is None
    assert log_loss([], []) is None
    assert expected_calibration_error([], []) is None


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="2 probabilities but 1 outcomes"):
        brier([0.1, 0.2], [True])
    with pytest.raises(ValueError, match="outside"):
        brier([1.5], [True])
    with pytest.raises(ValueError, match="outside"):
        log_loss([float("nan")], [True])


# --- reliability bins and ECE ---------------------------------------------------

def test_bin_edges_are_half_open_with_one_in_the_last_bin():
    assert [bin_index(p, 10) for p in (0.0, 0.0999, 0.1, 0.55, 0.9, 1.0)] == [0, 0, 1, 5, 9, 9]


def test_reliability_bins_by_hand():
    bins = reliability_bins([0.1, 0.2, 0.7, 0.9], OUTCOMES, bins=2)
    assert bins == [
        ReliabilityBin(lower=0.0, upper=0.5, n=2, n_true=0, mean_probability=pytest.approx(0.15), share_true=0.0),
        ReliabilityBin(lower=0.5, upper=1.0, n=2, n_true=2, mean_probability=pytest.approx(0.8), share_true=1.0),
    ]


def test_reliability_bins_keep_empty_bins():
    bins = reliability_bins([0.05], [True], bins=4)
    assert [b.n for b in bins] == [1, 0, 0, 0]
    assert bins[1].mean_probability is None and bins[1].share_true is None


def test_ece_by_hand():
    # bin [0, .5): mean .15, share 0 -> gap .15; bin [.5, 1]: mean .8, share 1 -> gap .2; each half the claims
    assert expected_calibration_error([0.1, 0.2, 0.7, 0.9], OUTCOMES, bins=2) == pytest.approx(0.175)


def test_ece_is_zero_when_each_bin_matches_its_outcomes():
    probabilities = [0.25] * 4 + [0.75] * 4
    outcomes = [True, False, False, False, True, True, True, False]
    assert expected_calibration_error(probabilities, outcomes) == pytest.approx(0.0)


def test_ece_weighs_bins_by_their_claims():
    # 3 claims at 0.9 all true (gap .1), 1 claim at 0.1 true (gap .9): (3*.1 + 1*.9)/4
    assert expected_calibration_error([0.9, 0.9, 0.9, 0.1], [True] * 4) == pytest.approx(0.3)


# --- the likelihood-term table ----------------------------------------------------

def test_term_table_counts_and_orders_least_likely_first():
    terms = ["likely", "likely", "unlikely", None, "likely", "almost certain"]
    outcomes = [True, False, False, True, True, True]
    assert term_table(terms, outcomes) == [
        TermRow(term="unlikely", min=0.20, max=0.45, n=1, n_true=0),
        TermRow(term="likely", min=0.55, max=0.80, n=3, n_true=2),
        TermRow(term="almost certain", min=0.95, max=0.99, n=1, n_true=1),
    ]


def test_term_row_inside_and_distance_in_points():
    likely = TermRow(term="likely", min=0.55, max=0.80, n=3, n_true=2)  # 66.7% true
    assert likely.inside and likely.distance_points == 0.0
    unlikely = TermRow(term="unlikely", min=0.20, max=0.45, n=100, n_true=17)
    assert not unlikely.inside and unlikely.distance_points == pytest.approx(3.0)
    even = TermRow(term="roughly even chance", min=0.45, max=0.55, n=100, n_true=72)
    assert not even.inside and even.distance_points == pytest.approx(17.0)
    at_edge = TermRow(term="likely", min=0.55, max=0.80, n=20, n_true=11)  # exactly 55%
    assert at_edge.inside


def test_term_table_drops_terms_below_min_n():
    terms = ["likely"] * 10 + ["unlikely"] * 9
    rows = term_table(terms, [True] * 19, min_n=10)
    assert [row.term for row in rows] == ["likely"]


def test_term_table_refuses_unknown_terms():
    with pytest.raises(ValueError, match="unknown likelihood term 'probable'"):
        term_table(["probable"], [True])


# --- the summary in calibrate's JSON shape ----------------------------------------

def test_summary_json_has_the_calibrate_keys():
    summary = summarize([0.1, 0.4, 0.6, 0.8], OUTCOMES, ["very unlikely", "unlikely", "likely", "very likely"])
    data = summary.to_json()
    assert list(data)[:7] == ["n", "n_true", "auc", "brier", "log_loss", "ece", "terms"]
    assert data["n"] == 4 and data["n_true"] == 2 and data["auc"] == 1.0
    assert data["terms"][0] == {
        "term": "very unlikely", "min": 0.05, "max": 0.20, "n": 1, "n_true": 0,
        "share_true": 0.0, "inside": False, "distance_points": 5.0,
    }
    assert len(data["bins"]) == 10


def test_summary_is_deterministic_whatever_the_order_of_equal_inputs():
    a = summarize([0.3, 0.3, 0.7], [True, False, True]).to_json()
    b = summarize([0.3, 0.3, 0.7], [True, False, True]).to_json()
    assert a == b
