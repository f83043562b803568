"""credcheck benchmark: time and peak memory, side by side with the baselines.

    python bench/run.py                        # 1k, 10k and 100k claims (about 3 minutes)
    python bench/run.py --sizes 1000,10000     # a quick run

Every measured thing runs in its own process, so each peak is its own. For
every size it measures the bare C-loader `yaml.load` of the YAML file and
`json.load` of the same data as JSON (the baselines), then `credcheck score
FILE --format json -o OUT.json` for the YAML, JSON and JSON Lines files, the
terminal view of the YAML file in a pseudo-terminal, and (10k claims) the
brief; then the start-up time of a one-claim file against a minimal typer app.
Results are printed as a table with the ratios credcheck/baseline and written
to bench/out/results-*.json (and bench/out/latest.json) so runs can be compared.
See docs/performance.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import pty
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen import generate  # noqa: E402

OUT = HERE / "out"
# The minimal app ends its process as the `credcheck` program does (flush, then os._exit), so
# the start-up ratio compares the work done, not two ways of tearing an interpreter down.
MIN_APP = '''import os
import sys

import typer

app = typer.Typer()


@app.command()
def main(path: str) -> None:
    print(path)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    app()
'''
ONE_CLAIM = """sources:
  - {id: wire, name: A wire service, type: wire_service}
claims:
  - id: c1
    text: Something happened.
    reports: [{source: wire}]
"""


# --- measuring one process ---------------------------------------------------------------

class TreeMemory(threading.Thread):
    """Samples the summed proportional set size (PSS) of a process and its descendants.

    ru_maxrss is exact for one process; a run that forks workers shares pages
    with them, so the honest total is the sum of PSS over the process tree.
    """

    def __init__(self, pid: int, interval: float = 0.25):  # a sample of a large process takes ~6 ms of CPU
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kib, self.done = pid, interval, 0, False

    def run(self) -> None:
        while not self.done:
            self.peak_kib = max(self.peak_kib, sum(_pss_kib(p) for p in _tree(self.pid)))
            time.sleep(self.interval)


def _tree(root: int) -> list[int]:
    """The process and its descendants."""
    if not os.path.exists(f"/proc/{root}/task/{root}/children"):  # a kernel without it: scan every process
        return _tree_by_scan(root)
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as handle:
                stack.extend(int(child) for child in handle.read().split())
        except OSError:  # it ended meanwhile
            continue
    return found


def _tree_by_scan(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, ()))
    return found


def _pss_kib(pid: int) -> int:
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            with open(f"/proc/{pid}/{name}") as handle:
                for line in handle:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


def measure(cmd: list[str], env: dict[str, str], tty: bool = False) -> dict[str, Any]:
    """Wall time (s) and peak memory (MiB) of one command, output discarded."""
    master = slave = None
    if tty:
        master, slave = pty.openpty()
        _set_window(slave, 40, 160)
        stdout = stderr = slave
    else:
        stdout, stderr = subprocess.DEVNULL, subprocess.PIPE
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL)
    sampler = TreeMemory(proc.pid)
    sampler.start()
    drain = None
    if tty:
        os.close(slave)  # type: ignore[arg-type]
        drain = threading.Thread(target=_drain, args=(master,), daemon=True)
        drain.start()
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    sampler.done = True
    sampler.join()
    if drain:
        drain.join(timeout=5)
        os.close(master)  # type: ignore[arg-type]
    if proc.returncode not in (0, 1):
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode(errors='replace')}")
    maxrss_kib = usage.ru_maxrss  # KiB on Linux: the largest single process
    return {"wall_s": round(wall, 3), "peak_mib": round(max(maxrss_kib, sampler.peak_kib) / 1024, 1),
            "maxrss_mib": round(maxrss_kib / 1024, 1), "tree_pss_mib": round(sampler.peak_kib / 1024, 1)}


def _set_window(fd: int, rows: int, cols: int) -> None:
    import fcntl
    import struct
    import termios
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def _drain(fd: int) -> None:
    while True:
        try:
            if not os.read(fd, 1 << 16):
                return
        except OSError:
            return


def best_of(cmd: list[str], env: dict[str, str], repeat: int, tty: bool = False) -> dict[str, Any]:
    runs = [measure(cmd, env, tty) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["wall_s"])
    return {**best, "peak_mib": max(r["peak_mib"] for r in runs), "runs": len(runs)}


# --- what is measured --------------------------------------------------------------------

def credcheck_command() -> list[str]:
    script = Path(sys.executable).parent / "credcheck"
    return [str(script)] if script.exists() else [sys.executable, "-m", "credcheck"]


def phases_main(path: str) -> None:
    """(In a child process.) Load+score, JSON and brief rendering times for one file, in process."""
    from credcheck.load.claims import load_claims
    from credcheck.score.engine import assess
    from credcheck.render import Report, brief, jsonout
    from credcheck.rubric.model import load_rubric
    try:
        from credcheck.load.fast import paused_gc
    except ImportError:  # measuring a credcheck from before the fast path
        from contextlib import nullcontext as paused_gc  # type: ignore[assignment]
    with paused_gc():
        t0 = time.perf_counter()
        rubric = load_rubric("default")
        claims = load_claims(path, rubric)
        report = Report(claims, rubric, assess(claims, rubric))
        t1 = time.perf_counter()
        jsonout.render(report)
        t2 = time.perf_counter()
        brief.render(report)
        t3 = time.perf_counter()
    print(json.dumps({"score_s": round(t1 - t0, 3), "json_s": round(t2 - t1, 3), "brief_s": round(t3 - t2, 3)}))


def run_size(n: int, env: dict[str, str], args: argparse.Namespace, work: Path) -> dict[str, Any]:
    paths = generate(n, OUT / "data")
    for p in paths.values():
        p.read_bytes()  # into the page cache: every run reads a warm file
    py, cc = sys.executable, credcheck_command()
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    out = str(work / "out.json")
    row: dict[str, Any] = {"claims": n, "yaml_mib": round(paths["yaml"].stat().st_size / 2**20, 1)}
    say = lambda what: print(f"  {n:>7,} claims: {what}", file=sys.stderr, flush=True)  # noqa: E731
    say("yaml.load (C loader)")
    row["yaml_load"] = best_of([py, "-c", "import sys, yaml\nwith open(sys.argv[1], 'rb') as f: yaml.load(f, Loader=yaml.CSafeLoader)",
                                str(paths["yaml"])], env, args.repeat)
    say("json.load")
    row["json_load"] = best_of([py, "-c", "import sys, json\nwith open(sys.argv[1], 'rb') as f: json.load(f)",
                                str(paths["json"])], env, args.repeat)
    for fmt in args.formats.split(","):
        say(f"credcheck score .{fmt} --format json")
        row[f"score_{fmt}"] = best_of([*cc, "score", str(paths[fmt]), "--format", "json", "-o", out, "-q", *jobs], env, args.repeat)
    if not args.no_pty:
        say("credcheck score .yaml in a terminal")
        row["score_tty"] = best_of([*cc, "score", str(paths["yaml"]), *jobs], env, args.repeat, tty=True)
    if n == args.brief_size:
        say("brief (end to end, and in-process phases)")
        row["brief_md"] = best_of([*cc, "score", str(paths["yaml"]), "--format", "md", "-o", str(work / "brief.md"), "-q"],
                                  env, args.repeat)
        runs = [json.loads(subprocess.run([py, __file__, "--phases", str(paths["yaml"])], env=env, check=True,
                                          capture_output=True, text=True).stdout) for _ in range(max(args.repeat, 3))]
        row["phases"] = {key: min(r[key] for r in runs) for key in runs[0]}
    return row


def run_startup(env: dict[str, str], args: argparse.Namespace, work: Path) -> dict[str, Any]:
    one = work / "one-claim.yaml"
    one.write_text(ONE_CLAIM)
    app = work / "minapp.py"
    app.write_text(MIN_APP)
    cmds = {"credcheck": [*credcheck_command(), "score", str(one), "--format", "json"],
            "minimal_typer": [sys.executable, str(app), str(one)]}
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for cmd in cmds.values():  # warm up: bytecode written, files cached
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
    for _ in range(args.startup_runs):  # interleaved, so a busy moment hits both
        for name, cmd in cmds.items():
            start = time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
            times[name].append(time.perf_counter() - start)
    med = {k: statistics.median(v) for k, v in times.items()}
    return {"credcheck_ms": round(med["credcheck"] * 1000, 1), "minimal_typer_ms": round(med["minimal_typer"] * 1000, 1),
            "ratio": round(med["credcheck"] / med["minimal_typer"], 3), "runs": args.startup_runs}


# --- report ------------------------------------------------------------------------------

def ratios(row: dict[str, Any]) -> dict[str, float]:
    base = row["yaml_load"]
    out = {}
    for key in ("score_yaml", "score_json", "score_jsonl", "score_tty"):
        if key in row:
            out[f"{key}_wall"] = round(row[key]["wall_s"] / base["wall_s"], 3)
            out[f"{key}_mem"] = round(row[key]["peak_mib"] / base["peak_mib"], 3)
    if "score_tty" in row:
        out["tty_vs_json_path"] = round(row["score_tty"]["wall_s"] / row["score_yaml"]["wall_s"], 3)
    if "phases" in row:
        out["brief_vs_score"] = round(row["phases"]["brief_s"] / row["phases"]["score_s"], 3)
    return out


def table(result: dict[str, Any]) -> str:
    lines = ["| claims | YAML MiB | measured | wall s | peak MiB | wall ÷ yaml.load | peak ÷ yaml.load |",
             "|-------:|---------:|----------|-------:|---------:|-----------------:|-----------------:|"]
    names = {"yaml_load": "yaml.load, C loader (baseline)", "json_load": "json.load of the same data",
             "score_yaml": "credcheck score .yaml -f json -o", "score_json": "credcheck score .json -f json -o",
             "score_jsonl": "credcheck score .jsonl -f json -o", "score_tty": "credcheck score .yaml (terminal table)",
             "brief_md": "credcheck score .yaml -f md -o (brief)"}
    for row in result["sizes"]:
        base = row["yaml_load"]
        for key, label in names.items():
            if key not in row:
                continue
            m = row[key]
            lines.append(f"| {row['claims']:,} | {row['yaml_mib']} | {label} | {m['wall_s']:.2f} | {m['peak_mib']:.0f} | "
                         f"{m['wall_s'] / base['wall_s']:.2f}x | {m['peak_mib'] / base['peak_mib']:.2f}x |")
    lines.append("")
    for row in result["sizes"]:
        r = row["ratios"]
        if "tty_vs_json_path" in r:
            lines.append(f"- {row['claims']:,} claims: terminal table ÷ JSON path: {r['tty_vs_json_path']:.2f}x")
        if "phases" in row:
            p = row["phases"]
            lines.append(f"- {row['claims']:,} claims, in process: load+score {p['score_s']:.2f} s, JSON {p['json_s']:.2f} s, "
                         f"brief {p['brief_s']:.2f} s; brief ÷ score: {r['brief_vs_score']:.2f}x")
    s = result.get("startup")
    if s:
        lines.append(f"- start-up, one claim, median of {s['runs']}: credcheck {s['credcheck_ms']} ms, minimal typer app "
                     f"{s['minimal_typer_ms']} ms: {s['ratio']:.2f}x")
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    import typer
    import yaml
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "typer": typer.__version__, "pyyaml": yaml.__version__, "libyaml": yaml.__with_libyaml__,
            "loadavg_start": [round(x, 2) for x in os.getloadavg()]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="claims per file, comma-separated")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the fastest counts")
    parser.add_argument("--jobs", type=int, default=0, help="credcheck --jobs (0: its default)")
    parser.add_argument("--formats", default="yaml,json,jsonl", help="input formats to score, comma-separated")
    parser.add_argument("--brief-size", type=int, default=10000, help="size at which the brief is measured")
    parser.add_argument("--startup-runs", type=int, default=15, help="runs of each start-up command (0: skip start-up)")
    parser.add_argument("--no-pty", action="store_true", help="skip the terminal-table measurement")
    parser.add_argument("--label", default="", help="a name for this run, in the results file's name")
    parser.add_argument("--phases", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phases:
        phases_main(args.phases)
        return
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure credcheck as installed: with cached bytecode
    env["COLUMNS"], env["LINES"] = "160", "40"
    OUT.mkdir(exist_ok=True)
    result: dict[str, Any] = {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "label": args.label, "machine": machine(),
                              "args": vars(args), "sizes": []}
    with tempfile.TemporaryDirectory(prefix="credcheck-bench-") as tmp:
        work = Path(tmp)
        if args.startup_runs > 0:  # 0: skip start-up
            print("start-up (one claim vs a minimal typer app)", file=sys.stderr, flush=True)
            result["startup"] = run_startup(env, args, work)
        for n in (int(s) for s in args.sizes.split(",") if s):
            row = run_size(n, env, args, work)
            row["ratios"] = ratios(row)
            result["sizes"].append(row)
    result["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    text = table(result)
    print(text)
    stamp = time.strftime("%Y%m%d-%H%M%S") + (f"-{args.label}" if args.label else "")
    for name in (f"results-{stamp}.json", "latest.json"):
        (OUT / name).write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwrote {OUT / f'results-{stamp}.json'}", file=sys.stderr)


if __name__ == "__main__":
    main()
