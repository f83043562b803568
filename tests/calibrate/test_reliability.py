"""A source's letter from its track record: the Beta posterior, its bands, and its reason."""
from __future__ import annotations

import pytest

from credcheck import load_rubric
from credcheck.errors import CredcheckError
from credcheck.model import Source, TrackRecord
from credcheck.rubric.criteria import source as source_criterion
from credcheck.rubric.reliability import check_bands, letter_for, posterior

RUBRIC = load_rubric("default")
CONFIG = RUBRIC.criteria["source"]
HOLDS_UP = CONFIG["holds_up"]
SETTINGS = CONFIG["track_record"]
BANDS = SETTINGS["letters"]


def post(prior: str, right: int, wrong: int):
    return posterior(prior, TrackRecord(right, wrong), HOLDS_UP, SETTINGS)


def test_the_posterior_mean_adds_the_record_to_the_letter_as_pseudo_counts():
    k = SETTINGS["prior_lines"]
    result = post("C", 14, 2)
    assert result.holds_up == pytest.approx((14 + HOLDS_UP["C"] * k) / (16 + k))
    assert (result.right, result.wrong, result.prior) == (14, 2, "C")


def test_the_reason_says_which_letter_the_record_earns_and_from_what():
    assert post("C", 14, 2).reason == "B from its record: 14 right, 2 wrong (prior C)"


def test_little_history_keeps_a_source_near_its_prior():
    assert post("C", 2, 0).letter == "C"  # two right calls are not a track record
    assert post("B", 0, 2).letter == "B"


def test_much_history_outweighs_the_prior():
    assert post("E", 180, 10).letter == "A"  # an "unreliable" type right 19 times in 20
    assert post("A", 80, 120).letter == "E"  # a letter A source right two times in five
    assert post("B", 400, 100).holds_up == pytest.approx(0.8, abs=0.01)


def test_the_prior_weighs_as_many_lines_as_the_rubric_says():
    # after exactly prior_lines lines the posterior mean is halfway between the letter and the record
    k = int(SETTINGS["prior_lines"])
    assert post("C", k, 0).holds_up == pytest.approx((HOLDS_UP["C"] + 1.0) / 2)


def test_an_empty_record_changes_nothing():
    assert posterior("C", TrackRecord(0, 0), HOLDS_UP, SETTINGS) is None


def test_letters_follow_the_rubric_bands():
    assert [letter_for(p, BANDS) for p in (0.99, 0.90, 0.89, 0.76, 0.70, 0.60, 0.56, 0.0)] == \
        ["A", "A", "B", "B", "C", "D", "E", "E"]


def test_each_letter_keeps_itself_when_the_record_matches_it():
    for letter in "ABCDE":
        assert letter_for(HOLDS_UP[letter], BANDS) == letter


def test_bands_that_do_not_fall_from_a_to_e_are_reported():
    assert check_bands(BANDS) == []
    assert check_bands({**BANDS, "C": 0.9}) == [
        "the bands must fall from A to E (each letter's lower bound below the one before)"]
    assert check_bands({**BANDS, "E": 0.1}) == ["the E band must start at 0, so every record gets a letter"]
    assert check_bands({"A": 0.9}) == ["missing bands for B, C, D, E"]


def test_scoring_rates_a_source_by_its_record():
    plain = Source("s", "S", "social_media")
    proven = Source("s", "S", "social_media", track_record=TrackRecord(120, 3))
    assert source_criterion.rate(plain, CONFIG)[0] == "E"
    letter, holds_up = source_criterion.rate(proven, CONFIG)
    assert letter == "A" and holds_up == pytest.approx((120 + HOLDS_UP["E"] * SETTINGS["prior_lines"]) / 143)


def test_no_record_makes_a_line_surer_than_a_letter_may_be():
    perfect = Source("s", "S", "official_record", track_record=TrackRecord(5000, 0))
    assert source_criterion.rate(perfect, CONFIG) == ("A", 0.99)


def test_an_analyst_letter_is_the_prior_of_a_record():
    rated = Source("s", "S", "social_media", reliability="A", track_record=TrackRecord(3, 1))
    assert source_criterion.track_record(rated, CONFIG).prior == "A"


def test_a_rubric_without_track_record_settings_says_so():
    config = {**CONFIG, "track_record": None}  # as a rubric without the block loads
    with pytest.raises(CredcheckError, match="has a track record, but the rubric says nothing of how to weigh one"):
        source_criterion.rate(Source("s", "S", "ngo", track_record=TrackRecord(1, 0)), config)


def test_a_rubric_with_bands_out_of_order_is_rejected(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("extends: default\ncriteria:\n  source:\n    track_record:\n      letters: {B: 0.95}\n")
    with pytest.raises(CredcheckError) as caught:
        load_rubric(str(path))
    assert "criteria.source.track_record.letters: the bands must fall from A to E" in str(caught.value)
