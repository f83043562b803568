"""A source's reliability from its letter and its track record: a Beta posterior.

"This source's lines hold up" is a chance r that nobody knows exactly. Before
any record, the source's letter (the analyst's, else its type's default)
says what r is likely to be: the letter's `holds_up` in the rubric, held as
strongly as `prior_lines` resolved lines would hold it. That is a Beta
distribution with alpha = holds_up x prior_lines and beta = (1 - holds_up) x
prior_lines. A record of `right` and `wrong` resolved claims adds to them
(Beta-binomial conjugacy), so the posterior mean is

    (right + holds_up x prior_lines) / (right + wrong + prior_lines)

A short record leaves a source near its letter; a long one outweighs it. The
letter shown is the band of the rubric's `track_record.letters` the mean falls
in, and the reason says why: `B from its record: 14 right, 2 wrong (prior C)`.
See docs/track-records.md.
"""
from __future__ import annotations

from typing import Any, Mapping

from credcheck.model import LETTERS, TrackRecord
from credcheck.record import Record

JUDGED = LETTERS[:-1]  # the letters a record can give, A-E: a record always judges a source (never F)


class Posterior(Record):
    """What a track record makes of a source's letter."""

    holds_up: float  # the posterior mean chance that a line of this source holds up
    letter: str  # the band of the rubric that mean falls in
    prior: str  # the letter it started from
    right: int
    wrong: int

    @property
    def reason(self) -> str:
        return f"{self.letter} from its record: {self.right} right, {self.wrong} wrong (prior {self.prior})"


def posterior(prior_letter: str, record: TrackRecord, holds_up: Mapping[str, float],
              settings: Mapping[str, Any]) -> Posterior | None:
    """The Beta posterior of one source, or None for an empty record (nothing to learn from).

    `holds_up` maps each letter to its prior mean; `settings` is the rubric's
    `track_record` block (prior_lines, letters).
    """
    n = record.right + record.wrong
    if n == 0:
        return None
    strength = float(settings["prior_lines"])
    mean = (record.right + float(holds_up[prior_letter]) * strength) / (n + strength)
    return Posterior(mean, letter_for(mean, settings["letters"]), prior_letter, record.right, record.wrong)


def letter_for(mean: float, bands: Mapping[str, float]) -> str:
    """The best letter whose lower bound the mean reaches (the lowest band starts at 0)."""
    for letter in JUDGED:
        if mean >= float(bands[letter]):
            return letter
    return JUDGED[-1]


def check_bands(bands: Mapping[str, float]) -> list[str]:
    """What is wrong with a rubric's letter bands, in words (empty when nothing is).

    Bounds fall from A to E, and E's is 0, so every record earns a letter. (Each
    letter's own `holds_up` should lie in its band, so that a source whose record
    matches its prior keeps its letter; a team that moves holds_up moves the
    bands with it. The default rubric's do: tests/calibrate/test_reliability.py.)
    """
    missing = [letter for letter in JUDGED if letter not in bands]
    if missing:
        return [f"missing bands for {', '.join(missing)}"]
    bounds = [float(bands[letter]) for letter in JUDGED]
    if any(lower >= upper for upper, lower in zip(bounds, bounds[1:])):
        return ["the bands must fall from A to E (each letter's lower bound below the one before)"]
    if float(bands["E"]) != 0:
        return ["the E band must start at 0, so every record gets a letter"]
    return []
