"""calibrate's cost against score's: `calibrate --folds 5` on N resolved claims in at most 3x `score`'s time.

    python bench/calibrate.py                 # 100,000 claims (about two minutes)
    python bench/calibrate.py --claims 10000  # quick

Writes bench/out/data/resolved-N.yaml once: the score benchmark's claims
(bench/gen.py, same seed) with an outcome on each, drawn so the claims that
more sources support come true more often (40% confirmed overall). Then, each
in its own process and timed around it (best of --repeat runs):

    credcheck score FILE --format json -o OUT.json -q
    credcheck calibrate FILE --folds 5 --format json

and prints both wall times and their ratio, and the same for CPU time (user +
system of the process and its children): on a machine shared with other work
the CPU times are the steadier figure (docs/performance.md).
"""
from __future__ import annotations

import argparse
import math
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen import make_dataset, write_yaml  # noqa: E402

OUT = HERE / "out"


def resolved_file(n: int) -> Path:
    path = OUT / "data" / f"resolved-{n}.yaml"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    data = make_dataset(n)
    rng = random.Random(f"credcheck-bench-outcomes-{n}")
    for claim in data["claims"]:
        lean = sum(1 if r.get("stance", "supports") == "supports" else -1 for r in claim["reports"])
        true = rng.random() < 1 / (1 + math.exp(-(0.6 * lean - 1.2)))
        claim["outcome"] = {"status": "confirmed" if true else "refuted"}
    tmp = path.with_suffix(".tmp")
    write_yaml(data, tmp)
    tmp.replace(path)
    return path


def timed(args: list[str], repeat: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the best of `repeat` runs."""
    best = (math.inf, math.inf)
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "credcheck", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise SystemExit(f"credcheck {' '.join(args)} failed: {proc.stderr.decode(errors='replace')}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = min(best, (elapsed, cpu))
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    path = resolved_file(args.claims)
    out = OUT / f"resolved-{args.claims}.json"
    score = timed(["score", str(path), "--format", "json", "-o", str(out), "-q"], args.repeat)
    calibrate = timed(["calibrate", str(path), "--folds", str(args.folds), "--format", "json"], args.repeat)
    for what, i in (("wall", 0), ("CPU", 1)):
        print(f"{args.claims:,} resolved claims, {what} time: score {score[i]:.2f} s, calibrate --folds {args.folds} "
              f"{calibrate[i]:.2f} s, ratio {calibrate[i] / score[i]:.2f}x (budget 3x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
