"""What finding copies costs: the same reports scored with and without excerpts, addresses and dates.

    python bench/copies.py                         # 100,000 reports in claims of 0-5 (about 2 minutes)
    python bench/copies.py --reports 10000,100000  # growth with the number of reports
    python bench/copies.py --big 10000,50000       # and one claim holding that many reports (MinHash + LSH)

Two files per size, written once into bench/out/copies/ (seeded: the same bytes
on every machine), hold the same sources, claims and reports, as JSON:

- "with": every report has an `excerpt`, a `url` and (unless it relays
  someone, so the clock always holds) a `published` date. Per claim, one or
  two stories of 15-35 words are written; about half the reports carry one of
  them with up to two words changed (a copy), the others words of their own;
  a tenth of the sources publish on the domain of another (one outlet).
- "without": the same file with those three fields removed.

Each is scored end to end, `credcheck score FILE --format json -o OUT -q
--jobs 1`, in its own process, the two files in turn, --repeat times; the
fastest run counts. The ratio with/without of CPU time (user + system, from
wait4) is the cost of the inference, reading the extra text included; wall
time and peak resident memory are shown too. Results: docs/performance.md,
"Copies".
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen import WORDS, make_claim, make_sources  # noqa: E402
from run import OUT, credcheck_command, machine  # noqa: E402

DATA = OUT / "copies"
TLDS = (".com", ".co.uk", ".org", ".net", ".com.au", ".de")
FIELDS = ("excerpt", "url", "published")


def _words(rng: random.Random, low: int, high: int) -> list[str]:
    return rng.choices(WORDS, k=rng.randint(low, high))


def _edited(rng: random.Random, story: list[str]) -> str:
    words = list(story)
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        words[rng.randrange(len(words))] = rng.choice(WORDS)
    return " ".join(words).capitalize() + "."


def _domains(rng: random.Random, n_sources: int) -> list[str]:
    """One domain per source, a tenth of them shared with the source before (one outlet, two desks)."""
    out: list[str] = []
    for i in range(n_sources):
        out.append(out[-1] if out and rng.random() < 0.1 else f"outlet{i}{TLDS[i % len(TLDS)]}")
    return out


def _date(rng: random.Random) -> str:
    day = f"2026-11-{rng.randint(1, 28):02d}"
    return day if rng.random() < 0.7 else f"{day}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z"


def add_text(claim: dict[str, Any], rng: random.Random, domains: list[str]) -> None:
    """Excerpts, addresses and dates on a claim's reports (see the module docstring)."""
    stories = [_words(rng, 15, 35) for _ in range(rng.choice((1, 1, 2)))]
    for k, report in enumerate(claim["reports"]):
        copied = rng.random() < 0.5
        report["excerpt"] = _edited(rng, rng.choice(stories)) if copied else " ".join(_words(rng, 12, 30)).capitalize() + "."
        source = int(report["source"].split("-")[1])
        report["url"] = f"https://www.{domains[source]}/{claim['id']}/{k}"
        if "via" not in report:  # a relay left undated: the clock holds whatever the dates
            report["published"] = _date(rng)


def make_many(n_reports: int, seed: int = 1) -> dict[str, Any]:
    """Claims of 0-5 reports (bench/gen.py's mix) until there are n_reports reports, with text."""
    rng = random.Random(f"credcheck-copies-{seed}-{n_reports}")
    sources = make_sources(rng, max(300, n_reports // 3))  # as bench/gen.py: a source for every ten claims
    domains = _domains(rng, len(sources))
    claims, count = [], 0
    while count < n_reports:
        claim = make_claim(rng, len(claims), len(sources))
        claim["reports"] = claim["reports"][:n_reports - count]
        count += len(claim["reports"])
        add_text(claim, rng, domains)
        claims.append(claim)
    return {"title": f"Copies benchmark, {n_reports:,} reports", "as_of": "2026-11-30", "sources": sources, "claims": claims}


def make_big(n_reports: int, seed: int = 1) -> dict[str, Any]:
    """One claim with n_reports reports from 1,000 sources: a twentieth write their own story, the rest copy one."""
    rng = random.Random(f"credcheck-copies-big-{seed}-{n_reports}")
    sources = make_sources(rng, 10_000)
    for source in sources:
        source.pop("derived_from", None)  # every report may copy or be copied
    domains = _domains(rng, len(sources))
    stories: list[list[str]] = []
    reports = []
    for k in range(n_reports):
        source = rng.randrange(len(sources))
        if k % 20 == 0 or not stories:
            stories.append(_words(rng, 15, 35))
            excerpt = " ".join(stories[-1]).capitalize() + "."
        else:
            excerpt = _edited(rng, rng.choice(stories))
        reports.append({"source": sources[source]["id"], "excerpt": excerpt, "published": _date(rng),
                        "url": f"https://www.{domains[source]}/big/{k}"})
    claim = {"id": "big-claim", "text": "One claim reported very many times.", "reports": reports}
    return {"title": f"One claim, {n_reports:,} reports", "as_of": "2026-11-30", "sources": sources, "claims": [claim]}


def without_text(data: dict[str, Any]) -> dict[str, Any]:
    claims = [{**c, "reports": [{k: v for k, v in r.items() if k not in FIELDS} for r in c["reports"]]} for c in data["claims"]]
    return {**data, "claims": claims}


def files(kind: str, n: int) -> dict[str, Path]:
    DATA.mkdir(parents=True, exist_ok=True)
    paths = {variant: DATA / f"{kind}-{n}-{variant}.json" for variant in ("with", "without")}
    if all(p.exists() for p in paths.values()):
        return paths
    data = make_many(n) if kind == "many" else make_big(n)
    for variant, content in (("with", data), ("without", without_text(data))):
        tmp = paths[variant].with_suffix(".tmp")
        tmp.write_text(json.dumps(content, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tmp.replace(paths[variant])
    return paths


def measure(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall time, CPU time (user + system) and peak resident memory of one process.

    CPU time is the figure compared: on a machine whose two cores other work
    shares, wall time moves by tens of percent from run to run, CPU time by a few.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err.decode(errors='replace')}")
    return {"wall_s": round(wall, 3), "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
            "peak_mib": round(usage.ru_maxrss / 1024, 1)}


def run(kind: str, n: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    paths = files(kind, n)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cmd = [*credcheck_command(), "score", "--format", "json", "-o", str(work / "out.json"), "-q", "--jobs", "1"]
    row: dict[str, Any] = {"kind": kind, "reports": n}
    runs: dict[str, list[dict[str, float]]] = {variant: [] for variant in paths}
    for variant, path in paths.items():
        path.read_bytes()  # warm the page cache
        measure([*cmd, str(path)], env)  # and the bytecode
    for _ in range(args.repeat):  # interleaved, so a busy moment hits both
        for variant, path in paths.items():
            print(f"  {kind} {n:,} reports, {variant} excerpts", file=sys.stderr, flush=True)
            runs[variant].append(measure([*cmd, str(path)], env))
    for variant, path in paths.items():
        best = min(runs[variant], key=lambda r: r["cpu_s"])
        row[variant] = {**best, "wall_s": min(r["wall_s"] for r in runs[variant]),
                        "peak_mib": max(r["peak_mib"] for r in runs[variant]), "mib": round(path.stat().st_size / 2**20, 1)}
    row["ratio_cpu"] = round(row["with"]["cpu_s"] / row["without"]["cpu_s"], 2)
    row["ratio_wall"] = round(row["with"]["wall_s"] / row["without"]["wall_s"], 2)
    return row


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| input | reports | MiB with / without | CPU s without | CPU s with | CPU ratio | wall s without | wall s with "
             "| peak MiB without | peak MiB with |",
             "|-------|--------:|------:|------:|------:|------:|------:|------:|------:|------:|"]
    for r in rows:
        what = "claims of 0-5 reports" if r["kind"] == "many" else "one claim"
        w, wo = r["with"], r["without"]
        lines.append(f"| {what} | {r['reports']:,} | {w['mib']} / {wo['mib']} | {wo['cpu_s']:.2f} | {w['cpu_s']:.2f} | "
                     f"{r['ratio_cpu']:.2f}x | {wo['wall_s']:.2f} | {w['wall_s']:.2f} | {wo['peak_mib']:.0f} | {w['peak_mib']:.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", default="100000", help="reports per file, in claims of 0-5, comma-separated")
    parser.add_argument("--big", default="", help="reports in one claim, comma-separated (none by default)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the fastest counts")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for n in (int(x) for x in args.reports.split(",") if x):
            rows.append(run("many", n, args, Path(work)))
        for n in (int(x) for x in args.big.split(",") if x):
            rows.append(run("big", n, args, Path(work)))
    text = table(rows)
    print(text)
    OUT.mkdir(exist_ok=True)
    (OUT / "copies-latest.json").write_text(json.dumps({"machine": machine(), "rows": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
