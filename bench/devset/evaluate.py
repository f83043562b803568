"""How well credcheck's grades of resolved claims match their outcomes, measured as users get them.

    python bench/devset/evaluate.py CLAIMS... [--outcomes FILE]... [--rubric R] [--min-n 10] [--json]

Scores every claims file with the installed `credcheck score --format json`
(a subprocess, so it measures what users get), joins each claim's outcome
(confirmed = true, refuted = false; unresolved and missing are left out) and
prints AUC, Brier score, log loss, expected calibration error (10 equal-width
bins), the share true per likelihood term issued to at least --min-n claims
beside the term's ICD 203 range, a reliability diagram, and two baselines that
need no model: the AUC of counting supporting minus refuting reports, and of
independent supporting minus refuting lines. With --oracle (a synthetic set's
truth.json) it also prints the AUC and Brier score of the exact posterior of
one who knows every hidden reliability: the ceiling on those claims.

The probability of a claim is the assessment's `probability` when credcheck
gives one (CONTRACT.md 7.2), else its score / 100. Claims without a
probability (credibility 6: nobody reports them) are counted apart.

Outcomes come from, in order of precedence: the assessment's `outcome`, the
claim's `outcome.status` in its file, and the `--outcomes` side files
(JSON: claim id -> status), which the development-set scripts write for a
credcheck that does not read `outcome` yet.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the metrics come from the working tree, like the credcheck under test

from credcheck.calibrate.metrics import Summary, auc, brier, summarize  # noqa: E402

STATUS_TRUTH = {"confirmed": True, "refuted": False}


@dataclass(frozen=True)
class Judged:
    """One resolved claim as scored: what the metrics need."""

    id: str
    outcome: bool
    probability: float | None  # None for a claim credcheck makes no estimate for
    likelihood: str | None
    report_balance: int  # supporting minus refuting reports in the file
    line_balance: int  # independent supporting minus refuting lines, as credcheck counts them


class EvaluationError(Exception):
    pass


def score(path: Path, rubric: str | None) -> list[dict[str, Any]]:
    """The assessments `credcheck score PATH --format json` prints."""
    command = [sys.executable, "-m", "credcheck", "score", str(path), "--format", "json"]
    if rubric:
        command += ["--rubric", rubric]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise EvaluationError(f"credcheck score {path} failed (exit {done.returncode}):\n{done.stderr.strip()}")
    return json.loads(done.stdout)["assessments"]


def read_claims(path: Path) -> list[dict[str, Any]]:
    """The claims of a YAML, JSON or JSON Lines claims file, as plain data."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
        return [r for r in records if "text" in r]
    data = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return list(data.get("claims") or [])


def side_outcomes(paths: list[Path]) -> dict[str, str]:
    outcomes: dict[str, str] = {}
    for path in paths:
        outcomes.update(json.loads(path.read_text(encoding="utf-8")))
    return outcomes


def status_of(claim: dict[str, Any]) -> str | None:
    outcome = claim.get("outcome")
    return outcome.get("status") if isinstance(outcome, dict) else None


def report_balance(claim: dict[str, Any]) -> int:
    stances = [r.get("stance", "supports") for r in claim.get("reports") or []]
    return stances.count("supports") - stances.count("refutes")


def judge(path: Path, rubric: str | None, outcomes: dict[str, str]) -> list[Judged]:
    """The resolved claims of one file, scored and joined with their outcomes."""
    claims = {c["id"]: c for c in read_claims(path)}
    judged = []
    for a in score(path, rubric):
        claim = claims.get(a["id"], {})
        status = a.get("outcome") or status_of(claim) or outcomes.get(a["id"])
        if status not in STATUS_TRUTH:
            continue
        probability = a.get("probability")
        if probability is None and a["likelihood"] is not None:
            probability = a["score"] / 100
        corroboration = a["criteria"]["corroboration"]
        judged.append(Judged(
            id=a["id"],
            outcome=STATUS_TRUTH[status],
            probability=probability,
            likelihood=a["likelihood"],
            report_balance=report_balance(claim),
            line_balance=corroboration["independent_supporting"] - corroboration["independent_refuting"],
        ))
    return judged


@dataclass(frozen=True)
class Evaluation:
    summary: Summary
    unjudged: int  # resolved claims without a probability
    baseline_reports_auc: float | None
    baseline_lines_auc: float | None
    min_n: int
    oracle: dict[str, float | None] | None = None  # AUC and Brier of a synthetic set's oracle, same claims

    def to_json(self) -> dict[str, Any]:
        data = {
            **self.summary.to_json(),
            "unjudged": self.unjudged,
            "min_n": self.min_n,
            "baseline_brier_base_rate": base_rate_brier(self.summary),
            "baseline_auc": {"reports_for_minus_against": self.baseline_reports_auc,
                             "lines_for_minus_against": self.baseline_lines_auc},
        }
        if self.oracle is not None:
            data["oracle"] = self.oracle
        return data


def base_rate_brier(s: Summary) -> float | None:
    """The Brier score of always giving the set's own base rate: b (1 - b)."""
    return s.n_true / s.n * (1 - s.n_true / s.n) if s.n else None


def evaluate(judged: list[Judged], min_n: int = 10, oracle: dict[str, float] | None = None) -> Evaluation:
    """The figures over the claims that have a probability; the baselines (and any oracle) over the same claims."""
    rated = [j for j in judged if j.probability is not None]
    outcomes = [j.outcome for j in rated]
    ceiling = None
    if oracle is not None:
        best = [oracle[j.id] for j in rated]
        ceiling = {"auc": auc(best, outcomes), "brier": brier(best, outcomes)}
    return Evaluation(
        summary=summarize([j.probability for j in rated], outcomes, [j.likelihood for j in rated], min_n=min_n),  # type: ignore[misc]
        unjudged=len(judged) - len(rated),
        baseline_reports_auc=auc([j.report_balance for j in rated], outcomes),
        baseline_lines_auc=auc([j.line_balance for j in rated], outcomes),
        min_n=min_n,
        oracle=ceiling,
    )


def _fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def render_text(e: Evaluation) -> str:
    s = e.summary
    lines = [
        f"claims: {s.n} resolved with a probability ({s.n_true} true, base rate {_fmt(s.n_true / s.n if s.n else None)}); "
        f"{e.unjudged} resolved without one (nobody reports them)",
        f"AUC      {_fmt(s.auc)}   (baselines: reports for minus against {_fmt(e.baseline_reports_auc)}, "
        f"independent lines for minus against {_fmt(e.baseline_lines_auc)})",
        f"Brier    {_fmt(s.brier)}   (always saying the base rate: {_fmt(base_rate_brier(s))})",
        f"log loss {_fmt(s.log_loss)}",
        f"ECE      {_fmt(s.ece)}   (10 equal-width bins)",
        *([f"oracle   AUC {_fmt(e.oracle['auc'])}, Brier {_fmt(e.oracle['brier'])}   "
           "(knows every hidden reliability: the ceiling on these claims)"] if e.oracle else []),
        "",
        f"likelihood terms issued to at least {e.min_n} claims:",
        f"  {'term':<20} {'range':>9} {'n':>6} {'true':>6} {'share':>6}  inside",
    ]
    for row in s.terms:
        where = "yes" if row.inside else f"no, {row.distance_points:.1f} points out"
        lines.append(f"  {row.term:<20} {100 * row.min:>3.0f}-{100 * row.max:<3.0f}%  {row.n:>6} {row.n_true:>6} "
                     f"{100 * row.share_true:>5.1f}%  {where}")
    if not s.terms:
        lines.append("  (none)")
    lines += ["", "reliability diagram (mean probability -> share true; # = share true, | = mean probability):"]
    for b in s.bins:
        if not b.n:
            continue
        bar = ["."] * 20
        for k in range(round(20 * b.share_true)):  # type: ignore[operator]
            bar[k] = "#"
        bar[min(int(20 * b.mean_probability), 19)] = "|"  # type: ignore[operator]
        lines.append(f"  {b.lower:.1f}-{b.upper:.1f} n={b.n:<6} {''.join(bar)}  "
                     f"{100 * b.mean_probability:5.1f}% -> {100 * b.share_true:5.1f}%")  # type: ignore[operator]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("claims", type=Path, nargs="+")
    parser.add_argument("--outcomes", type=Path, action="append", default=[],
                        help="JSON side file: claim id -> confirmed|refuted|unresolved (repeatable)")
    parser.add_argument("--rubric", help="passed to credcheck score --rubric")
    parser.add_argument("--min-n", type=int, default=10, help="list likelihood terms issued at least this often")
    parser.add_argument("--oracle", type=Path,
                        help="a synthetic set's truth.json: also print its oracle's AUC and Brier on the same claims")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    try:
        outcomes = side_outcomes(args.outcomes)
        judged = [j for path in args.claims for j in judge(path, args.rubric, outcomes)]
        oracle = json.loads(args.oracle.read_text(encoding="utf-8"))["oracle"] if args.oracle else None
    except (EvaluationError, OSError, ValueError, yaml.YAMLError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not judged:
        print("error: no resolved claims (give outcomes in the files or with --outcomes)", file=sys.stderr)
        return 2
    result = evaluate(judged, args.min_n, oracle)
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
    else:
        sys.stdout.write(render_text(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
