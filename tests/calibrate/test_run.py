"""calibrate end to end on a synthetic world: folds by subtraction, what the records add, what the fit corrects."""
from __future__ import annotations

from pathlib import Path

import pytest

from credcheck import load_claims, load_rubric
from credcheck.calibrate.overlay import fitted_numbers
from credcheck.calibrate.run import calibrate
from credcheck.calibrate.track_record import credits, fold_of, tally

from test_devset_synthetic import synthetic

# 800 claims calibrated several times over, and statistical checks: CI. Calibration everyday:
# tests/cli/test_calibrate_cli.py (the command on small files) and test_track_record.py.
pytestmark = pytest.mark.slow
DEFAULT = load_rubric("default")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    gen = synthetic()
    w = gen.World(claims=800, sources=30, seed=5)
    folder = tmp_path_factory.mktemp("world")
    gen.write(gen.build(w), w, folder)
    return load_claims(folder / "claims.yaml", DEFAULT)


def test_fold_records_by_subtraction_are_the_records_of_the_other_folds(world):
    found = list(credits(world.claims, world.sources, DEFAULT))
    whole = tally(found)
    for k in range(4):
        mine = tally(c for c in found if fold_of(c.claim, 4) == k)
        others = tally(c for c in found if fold_of(c.claim, 4) != k)
        assert whole.minus(mine).records() == others.records()


def test_records_from_the_other_folds_rank_claims_better_than_letters_alone(world):
    as_given = calibrate([world], DEFAULT)
    folded = calibrate([world], DEFAULT, folds=5)
    assert folded.summary.n == as_given.summary.n == 800
    assert folded.summary.auc > as_given.summary.auc
    assert folded.summary.brier < as_given.summary.brier


def test_the_fit_tempers_an_overconfident_rubric(world, tmp_path: Path):
    bold = tmp_path / "bold.yaml"
    bold.write_text("extends: default\nname: bold\nscale: 3\n", encoding="utf-8")
    rubric = load_rubric(str(bold))
    claims = load_claims(world.files[0], rubric)
    result = calibrate([claims], rubric, folds=5, fit_numbers=True)
    assert result.fit is not None and result.fit.scale < 0.6  # weights three times too bold: the fit cuts them
    prior, scale = fitted_numbers(rubric, result.fit)
    assert 0.6 < scale < 1.8  # back near the default rubric's 1
    assert result.unfitted is not None
    assert result.summary.ece < result.unfitted.ece and result.summary.log_loss < result.unfitted.log_loss


def test_leaving_a_criterion_out_never_changes_the_count(world):
    result = calibrate([world], DEFAULT, folds=3)
    assert [c.criterion for c in result.contributions] == list(DEFAULT.criteria)
    without_corroboration = next(c for c in result.contributions if c.criterion == "corroboration")
    assert without_corroboration.auc < result.summary.auc  # independent confirmation carries the most weight
