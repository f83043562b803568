"""A million claims as a table to a file, against the same run as JSON.

    python bench/million.py                    # 1,000,000 claims (several minutes; run on a quiet machine)
    python bench/million.py --claims 100000    # a quicker look
    python bench/million.py --jobs 2           # both runs in two processes, as credcheck chooses on a quiet 2-CPU machine

The defaults promise a million claims. Off a terminal, `credcheck score
m1.jsonl > table.txt` once built one rich table of every row (710 s, 13.7
GiB); it now streams plain rows (render/rows.py). This measures both runs of
the same JSON Lines file, stdout redirected to a file as a shell does it:

    credcheck score m1.jsonl > table.txt
    credcheck score m1.jsonl --format json > out.json

and checks the targets: the table in less than 2 GB (the largest process, or
the summed PSS of the process and its workers, whichever is more) and in at
most 1.5 times the time of the JSON run. The file is generated once
(bench/gen.py's data, written claim by claim) and kept in bench/out/.
Results go to bench/out/million-latest.json; see docs/performance.md.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen import make_claim, make_sources  # noqa: E402
from run import TreeMemory, credcheck_command, machine  # noqa: E402

OUT = HERE / "out"
MAX_PEAK_MIB = 2000 * 1000**2 / 1024**2  # 2 GB
MAX_RATIO = 1.5


def write_claims(n: int, path: Path, seed: int = 1) -> None:
    """bench/gen.py's dataset of n claims as JSON Lines, written claim by claim (make_dataset would hold them all)."""
    rng = random.Random(f"credcheck-bench-{seed}-{n}")
    sources = make_sources(rng, n)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        out.write(json.dumps({"title": f"Synthetic benchmark, {n:,} claims", "as_of": "2026-11-20"}) + "\n")
        for src in sources:
            out.write(json.dumps({"source": src}, ensure_ascii=False) + "\n")
        for i in range(n):
            out.write(json.dumps(make_claim(rng, i, len(sources)), ensure_ascii=False) + "\n")
    tmp.replace(path)


def measure(cmd: list[str], stdout_path: Path) -> dict[str, Any]:
    """Wall time and peak memory of one command, its stdout redirected to a file."""
    with open(stdout_path, "wb") as stdout:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        sampler = TreeMemory(proc.pid)
        sampler.start()
        err = proc.stderr.read() if proc.stderr else b""
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    sampler.done = True
    sampler.join()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"failed ({code}): {' '.join(cmd)}\n{err.decode(errors='replace')}")
    maxrss_mib = usage.ru_maxrss / 1024
    return {"wall_s": round(wall, 1), "maxrss_mib": round(maxrss_mib, 1), "tree_pss_mib": round(sampler.peak_kib / 1024, 1),
            "peak_mib": round(max(maxrss_mib, sampler.peak_kib / 1024), 1), "output_bytes": stdout_path.stat().st_size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the table and JSON outputs in bench/out/")
    parser.add_argument("--jobs", default=None, help="pass --jobs N to both runs (default: credcheck's own choice, "
                                                     "one process per idle CPU: on a busy machine, one)")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    data = OUT / f"m{args.claims}.jsonl"
    if not data.exists():
        print(f"writing {data} ...", flush=True)
        write_claims(args.claims, data)
    cmd = credcheck_command()
    jobs = ["--jobs", args.jobs] if args.jobs else []
    table_out, json_out = OUT / "million-table.txt", OUT / "million-out.json"
    print("table (stdout to a file) ...", flush=True)
    table = measure([*cmd, "score", str(data), *jobs], table_out)
    print(f"  {table}", flush=True)
    print("json (stdout to a file) ...", flush=True)
    as_json = measure([*cmd, "score", str(data), "--format", "json", *jobs], json_out)
    print(f"  {as_json}", flush=True)
    ratio = table["wall_s"] / as_json["wall_s"]
    result = {"claims": args.claims, "jobs": args.jobs or "auto", "file_bytes": data.stat().st_size, "table": table, "json": as_json,
              "time_ratio": round(ratio, 3), "machine": machine(),
              "targets": {"table_peak_under_mib": round(MAX_PEAK_MIB), "time_ratio_at_most": MAX_RATIO},
              "met": table["peak_mib"] < MAX_PEAK_MIB and ratio <= MAX_RATIO}
    (OUT / "million-latest.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if not args.keep:
        table_out.unlink()
        json_out.unlink()
    print(f"table: {table['wall_s']} s, peak {table['peak_mib']} MiB; json: {as_json['wall_s']} s, peak {as_json['peak_mib']} MiB; "
          f"time ratio {ratio:.2f} (target <= {MAX_RATIO}); {'met' if result['met'] else 'NOT met'}")
    sys.exit(0 if result["met"] else 1)


if __name__ == "__main__":
    main()
