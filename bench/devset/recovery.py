"""Do track records recover the hidden reliabilities of a synthetic set? (Spearman rank correlation)

    python bench/devset/recovery.py CLAIMS.yaml TRUTH.json [--min-lines 20] [--rubric R] [--json]

Builds every source's track record from the resolved claims (as `credcheck
track-record` does), turns it into the posterior chance that the source's
lines hold up (the rubric's prior from its letter, as scoring does), and
ranks the sources with at least --min-lines resolved lines by it against the
hidden reliability that drew their reports (truth.json, bench/devset/synthetic.py).
Prints the rank correlation of the posterior, of the raw share right, and of
the letters alone (the prior), over the same sources; and the sampling
ceiling: the mean rank correlation of shares redrawn from each source's true
chance of being right (its reliability diluted by the set's mix of access)
with the same number of lines. No record of that many lines can do better on
average: what is left is the luck of the draw.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from credcheck import load_claims, load_rubric  # noqa: E402
from credcheck.calibrate.metrics import average_ranks  # noqa: E402
from credcheck.calibrate.track_record import credits, tally  # noqa: E402
from credcheck.rubric.criteria import source as source_criterion  # noqa: E402
from credcheck.rubric.reliability import posterior  # noqa: E402


def spearman(xs: list[float], ys: list[float]) -> float:
    """Pearson's correlation of the average ranks (ties share their mean rank)."""
    rx, ry = average_ranks(xs), average_ranks(ys)
    n = len(xs)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return cov / (vx * vy) ** 0.5 if vx and vy else 0.0


def measure(claims_path: str, truth_path: str, min_lines: int, rubric_spec: str) -> dict[str, object]:
    rubric = load_rubric(rubric_spec)
    config = rubric.criteria["source"]
    claim_set = load_claims(claims_path, rubric)
    records = tally(credits(claim_set.claims, claim_set.sources, rubric)).records()
    hidden = {s["id"]: s["reliability"] for s in json.loads(Path(truth_path).read_text())["sources"]}
    rows = []
    for sid, record in sorted(records.items()):
        if record.right + record.wrong < min_lines or sid not in hidden:
            continue
        letter = source_criterion.prior_letter(claim_set.sources[sid], config)
        post = posterior(letter, record, config["holds_up"], config["track_record"])
        rows.append((hidden[sid], post.holds_up, record.right / (record.right + record.wrong),
                     float(config["holds_up"][letter]), post.letter, letter, claim_set.sources[sid].owner is None))
    truth = [r[0] for r in rows]
    letters_right = sum(1 for r in rows if r[4] == _letter_of(r[0]))
    lines = [records[sid].right + records[sid].wrong for sid in sorted(records)
             if records[sid].right + records[sid].wrong >= min_lines and sid in hidden]
    return {
        "sources": len(rows), "with_record": len(records), "min_lines": min_lines,
        "spearman_posterior": round(spearman(truth, [r[1] for r in rows]), 3),
        "spearman_share_right": round(spearman(truth, [r[2] for r in rows]), 3),
        "spearman_prior_letter": round(spearman(truth, [r[3] for r in rows]), 3),
        # Sources of one owner are one original, credited with each other's calls (docs/track-records.md):
        # their record is the family's, so ranked apart from it the others show the record of a source alone.
        "sources_without_owner": sum(1 for r in rows if r[6]),
        "spearman_posterior_without_owner": round(spearman([r[0] for r in rows if r[6]], [r[1] for r in rows if r[6]]), 3),
        "letters_matching_hidden": letters_right,
        "sampling_ceiling": round(sampling_ceiling(truth, lines), 3),
        "median_lines": sorted(lines)[len(lines) // 2] if lines else 0,
    }


# The synthetic world's mix of access (bench/devset/synthetic.py ACCESS_WEIGHTS and ACCESS_SHRINK):
# a line is right with 0.5 + shrink x (r - 0.5), the shrink averaged over the mix.
MEAN_SHRINK = (25 * 1.0 + 35 * 0.85 + 40 * 0.9) / 100


def sampling_ceiling(reliabilities: list[float], lines: list[int], draws: int = 200, seed: int = 1) -> float:
    """The mean Spearman correlation of shares redrawn from the true chances, with the same line counts."""
    if len(reliabilities) < 3:
        return 0.0
    rng = random.Random(seed)
    chances = [0.5 + MEAN_SHRINK * (r - 0.5) for r in reliabilities]
    total = 0.0
    for _ in range(draws):
        shares = [sum(rng.random() < q for _ in range(n)) / n for q, n in zip(chances, lines)]
        total += spearman(reliabilities, shares)
    return total / draws


def _letter_of(reliability: float) -> str:
    """The hidden letter the synthetic world drew a reliability from (its centres +-0.04)."""
    centres = {"A": 0.95, "B": 0.85, "C": 0.72, "D": 0.60, "E": 0.45}
    return min(centres, key=lambda k: abs(centres[k] - reliability))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("claims")
    parser.add_argument("truth")
    parser.add_argument("--min-lines", type=int, default=20)
    parser.add_argument("--rubric", default="default")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.claims, args.truth, args.min_lines, args.rubric)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"{result['sources']} sources with at least {result['min_lines']} resolved lines "
              f"(of {result['with_record']} with a record): Spearman against the hidden reliability "
              f"{result['spearman_posterior']} (posterior), {result['spearman_share_right']} (share right alone), "
              f"{result['spearman_prior_letter']} (letters alone); posterior letter = hidden letter for "
              f"{result['letters_matching_hidden']} of {result['sources']}; median {result['median_lines']} lines a source, "
              f"sampling ceiling {result['sampling_ceiling']}; the {result['sources_without_owner']} sources without an owner: "
              f"{result['spearman_posterior_without_owner']} (posterior)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
