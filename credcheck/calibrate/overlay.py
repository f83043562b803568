"""The overlay rubric `calibrate --fit -o FILE` writes: `extends:` the rubric given, with the fitted numbers.

A fitted shift and scale of the model's log-odds (calibrate/fit.py) become
the rubric's `prior` (decibans before any report is weighed) and `scale`
(what every weight of evidence is multiplied by): with prior P and scale S,
the model says P + S x (the weights), so the fitted odds are
shift + scale x (P + S x weights), that is prior' = shift + scale x P and
scale' = scale x S. Each number is commented with what it was fitted on and
how many claims. The rubric given is never changed: the overlay is a new
file that extends it.
"""
from __future__ import annotations

import os
from pathlib import Path

from credcheck import __version__
from credcheck.calibrate.fit import Recalibration
from credcheck.errors import CredcheckError
from credcheck.rubric.model import Rubric


def fitted_numbers(rubric: Rubric, fit: Recalibration) -> tuple[float, float]:
    """(prior, scale) of the overlay."""
    prior, scale = _prior_and_scale(rubric)
    return round(fit.shift_decibans + fit.scale * prior, 2), round(fit.scale * scale, 3)


def _prior_and_scale(rubric: Rubric) -> tuple[float, float]:
    prior = getattr(rubric, "prior", None)
    if prior is None:
        raise CredcheckError.single(None, "", f"--fit needs a rubric that weighs evidence in decibans (a `prior`); "
                                              f"rubric {rubric.name} {rubric.version} has none")
    return float(prior), float(getattr(rubric, "scale", 1.0))


def extends_value(rubric_spec: str, overlay_path: str) -> str:
    """How the overlay names the rubric it extends: its name, or its path from the overlay's folder."""
    if "/" not in rubric_spec and "\\" not in rubric_spec and not rubric_spec.endswith((".yaml", ".yml")):
        return rubric_spec
    folder = Path(os.path.realpath(overlay_path)).parent
    return Path(os.path.relpath(os.path.realpath(rubric_spec), folder)).as_posix()


def overlay_text(rubric: Rubric, rubric_spec: str, overlay_path: str, fit: Recalibration, how: str, n_true: int) -> str:
    """The overlay's YAML. `how` says what the claims were scored with (e.g. '5 folds')."""
    prior, scale = _prior_and_scale(rubric)
    new_prior, new_scale = fitted_numbers(rubric, fit)
    on = f"{fit.n:,} resolved claims ({n_true:,} confirmed), {how}"
    import yaml
    quoted = yaml.safe_dump(extends_value(rubric_spec, overlay_path), default_style=None).strip().removesuffix("...").strip()
    return "\n".join([
        f"# Fitted by credcheck {__version__} calibrate --fit on {on}.",
        "# The rubric it extends is unchanged; refit as more outcomes come in (docs/calibration.md).",
        f"extends: {quoted}",
        f"name: {rubric.name}-calibrated",
        f'version: "{rubric.version}+fit.{fit.n}"',
        f"description: {rubric.name} with its prior and scale fitted to {fit.n:,} resolved claims",
        f"prior: {new_prior:g}          # fitted (was {prior:g}): decibans before any report is weighed, on {on}",
        f"scale: {new_scale:g}          # fitted (was {scale:g}): every weight of evidence x this, on {on}",
        "",
    ])
