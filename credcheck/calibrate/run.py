"""`credcheck calibrate`: did the grades of resolved claims come true?

Resolved claims (confirmed = true, refuted = false; others left out) are
scored, and their probabilities measured against what happened
(calibrate/metrics.py). Without folds they are scored as the files stand,
track records and all: the grades as they were issued. With `folds` K, every
claim is scored out of sample: the claims fall into K folds by a hash of
their id, and a claim of fold k is scored with track records built from the
other folds only (any record the files carry is set aside, since it may hold
the very outcomes being measured). With `fit`, a shift and a scale of the
model's log-odds (calibrate/fit.py) are fitted too: under folds, each fold's
on claims of the other folds, themselves scored with records that leave out
both their own fold and the held-out one, so no claim's outcome reaches the
numbers used to score it. The fit `calibrate --fit` writes is made on every
claim, from the same out-of-sample scores.
"""
from __future__ import annotations

import hashlib
from typing import Iterable, Iterator, Sequence

from credcheck.calibrate import metrics
from credcheck.calibrate.fit import Recalibration, fit
from credcheck.calibrate.probability import model_log_odds, probability, term_of, without
from credcheck.calibrate.track_record import Tally, credits, fold_of, resolved, with_records
from credcheck.model import Assessment, Claim, ClaimSet
from credcheck.record import Record
from credcheck.rubric.model import Rubric
from credcheck.score.engine import iter_assess

# Claims each fold's fit is made on, at most: two numbers need a few thousand claims, and each costs
# a scoring of its own (with the records of its own fold left out as well as the held-out one).
FIT_SAMPLE = 4000


class Scored(Record):
    """One resolved claim with a probability, as calibrate measures it."""

    id: str
    truth: bool
    fold: int | None
    log_odds: float  # the model's natural log-odds, before any fit
    probability: float  # after the fit, when there is one
    term: str | None  # the ICD 203 term of `probability`
    without: tuple[float, ...]  # the model's probability with each criterion left out (before any fit)


class Contribution(Record):
    """What one criterion adds: the figures with it left out."""

    criterion: str
    auc: float | None
    brier: float | None


class Calibration(Record):
    """Everything calibrate reports."""

    rubric: str
    files: int
    scored: tuple[Scored, ...]
    unjudged: int  # resolved claims nobody reports: no probability to measure
    criteria: tuple[str, ...]
    folds: int | None
    summary: metrics.Summary
    unfitted: metrics.Summary | None  # the figures before the fit, when one was made
    contributions: tuple[Contribution, ...]
    fit: Recalibration | None  # fitted on every claim (what --fit writes)
    set_aside: int  # sources whose given track record was set aside under folds
    base_rate_brier: float | None


def calibrate(sets: Sequence[ClaimSet], rubric: Rubric, folds: int | None = None, fit_numbers: bool = False,
              bins: int = metrics.DEFAULT_BINS) -> Calibration:
    """Score the resolved claims of `sets` and measure them (see the module docstring)."""
    if folds is not None and folds < 2:
        raise ValueError("folds must be at least 2")
    criteria = tuple(rubric.criteria)
    if folds is None:
        pairs = list(_as_given(sets, rubric))
        per_fold: dict[int, Recalibration] = {}
        set_aside = 0
    else:
        pairs, per_fold, set_aside = _out_of_sample(sets, rubric, folds, fit_numbers)
    judged = [(claim, a, fold) for claim, a, fold in pairs if probability(a) is not None]
    raw = [model_log_odds(a) for _, a, _ in judged]
    truths = [bool(claim.outcome.truth) for claim, _, _ in judged]  # type: ignore[union-attr]
    overall = fit(raw, truths) if fit_numbers else None
    scored = []
    for (claim, a, fold), x, truth in zip(judged, raw, truths):
        recal = per_fold.get(fold, overall) if fold is not None else overall  # in sample without folds
        p = recal.probability(x) if recal is not None else probability(a)
        assert p is not None
        term = term_of(p) if recal is not None else a.likelihood
        scored.append(Scored(claim.id, truth, fold, x, p, term, tuple(without(a, cid, rubric.scale) for cid in criteria)))
    summary = _summary([s.probability for s in scored], truths, [s.term for s in scored], bins)
    unfitted = None
    if fit_numbers:
        unfitted = _summary([probability(a) for _, a, _ in judged], truths, [a.likelihood for _, a, _ in judged], bins)  # type: ignore[misc]
    contributions = tuple(
        Contribution(cid, metrics.auc([s.without[i] for s in scored], truths),
                     metrics.brier([s.without[i] for s in scored], truths))
        for i, cid in enumerate(criteria))
    n_true = sum(truths)
    base = n_true / len(truths) if truths else None
    return Calibration(
        rubric=rubric.name, files=len(sets), scored=tuple(scored), unjudged=len(pairs) - len(judged),
        criteria=criteria, folds=folds, summary=summary, unfitted=unfitted, contributions=contributions,
        fit=overall, set_aside=set_aside, base_rate_brier=None if base is None else base * (1 - base),
    )


def _summary(probabilities: list[float], truths: list[bool], terms: list[str | None], bins: int) -> metrics.Summary:
    return metrics.summarize(probabilities, truths, terms, min_n=1, bins=bins)


Pair = tuple[Claim, Assessment, "int | None"]


def _as_given(sets: Sequence[ClaimSet], rubric: Rubric) -> Iterator[Pair]:
    for claim_set in sets:
        claims = resolved(claim_set.claims)
        for claim, a in zip(claims, iter_assess(claims, claim_set.sources, rubric)):
            yield claim, a, None


def _out_of_sample(sets: Sequence[ClaimSet], rubric: Rubric, folds: int,
                   fit_numbers: bool) -> tuple[list[Pair], dict[int, Recalibration], int]:
    """Every resolved claim scored with records from the other folds (and, with a fit, each fold's fit)."""
    members = [resolved(s.claims) for s in sets]
    fold_of_claim = [[fold_of(c.id, folds) for c in claims] for claims in members]
    tallies = [Tally() for _ in range(folds)]
    for claim_set, claims, their_folds in zip(sets, members, fold_of_claim):
        for credit, fold in zip(credits(claims, claim_set.sources, rubric), their_folds):
            tallies[fold].add(credit)
    total = _sum(tallies)
    set_aside = len({sid for s in sets for sid, src in s.sources.items() if src.track_record is not None})
    pairs: list[tuple[int, int, Pair]] = []  # (set, position in it) first, to list claims in file order
    for k in range(folds):
        records = total.minus(tallies[k]).records()
        for si, (claim_set, claims, their_folds) in enumerate(zip(sets, members, fold_of_claim)):
            held_out = [(i, c) for i, (c, f) in enumerate(zip(claims, their_folds)) if f == k]
            table = with_records(claim_set.sources, records)
            for (i, claim), a in zip(held_out, iter_assess([c for _, c in held_out], table, rubric)):
                pairs.append((si, i, (claim, a, k)))
    pairs.sort(key=lambda item: (item[0], item[1]))
    per_fold = {k: _fold_fit(k, sets, members, fold_of_claim, tallies, total, rubric) for k in range(folds)} \
        if fit_numbers else {}
    return [pair for _, _, pair in pairs], per_fold, set_aside


def _fold_fit(k: int, sets: Sequence[ClaimSet], members: list[list[Claim]], fold_of_claim: list[list[int]],
              tallies: list[Tally], total: Tally, rubric: Rubric) -> Recalibration:
    """Fold k's shift and scale, fitted on up to FIT_SAMPLE claims of the other folds, each scored with
    records that leave out its own fold and fold k: nothing of fold k reaches them."""
    candidates = [(si, i) for si, claims in enumerate(members) for i, f in enumerate(fold_of_claim[si]) if f != k]
    candidates.sort(key=lambda pos: _sample_rank(members[pos[0]][pos[1]].id, pos))
    chosen = sorted(candidates[:FIT_SAMPLE])
    xs: list[float] = []
    ys: list[bool] = []
    without_k = total.minus(tallies[k])
    by_fold: dict[int, list[tuple[int, int]]] = {}
    for si, i in chosen:
        by_fold.setdefault(fold_of_claim[si][i], []).append((si, i))
    for m in sorted(by_fold):
        records = without_k.minus(tallies[m]).records()
        for si in sorted({si for si, _ in by_fold[m]}):
            claims = [members[si][i] for s, i in by_fold[m] if s == si]
            table = with_records(sets[si].sources, records)
            for claim, a in zip(claims, iter_assess(claims, table, rubric)):
                if probability(a) is not None:
                    xs.append(model_log_odds(a))
                    ys.append(bool(claim.outcome.truth))  # type: ignore[union-attr]
    return fit(xs, ys)


def _sample_rank(claim_id: str, position: tuple[int, int]) -> tuple[bytes, tuple[int, int]]:
    """A fixed pseudo-random order of claims (salted apart from the fold hash), for the fit's sample."""
    return hashlib.sha256(b"fit-sample:" + claim_id.encode("utf-8")).digest(), position


def _sum(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for part in tallies:
        for sid, (right, wrong) in part.counts.items():
            counts = total.counts.setdefault(sid, [0, 0])
            counts[0] += right
            counts[1] += wrong
    return total

