"""docs/scaling.md's recipe: a dask.bag over JSON Lines partitions gives what `credcheck score` gives.

Skipped unless the optional extra is installed (pip install -e ".[dask]"), except in CI
(CI=true), which installs it: there a missing dask fails the run instead of hiding the test.
"""
from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest

from credcheck.render.batches import load_sources, score_lines
from credcheck.errors import CredcheckError
from credcheck.rubric.model import load_rubric

ROOT = Path(__file__).resolve().parents[2]


def partitions(tmp_path: Path, n: int, parts: int) -> tuple[Path, Path, list[Path]]:
    """The bench's synthetic JSON Lines file, split as a pipeline would: a sources file, then claims."""
    spec = importlib.util.spec_from_file_location("bench_gen", ROOT / "bench" / "gen.py")
    gen = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(gen)  # type: ignore[union-attr]
    whole = gen.generate(n, tmp_path)["jsonl"]
    records = whole.read_text(encoding="utf-8").splitlines(keepends=True)
    sources = tmp_path / "sources.jsonl"
    sources.write_text("".join(r for r in records if r.startswith('{"source"')), encoding="utf-8")
    claims = [r for r in records if r.startswith('{"id"')]
    files = []
    for k in range(parts):
        part = tmp_path / f"part-{k}.jsonl"
        part.write_text("".join(claims[k * len(claims) // parts:(k + 1) * len(claims) // parts]),
                        encoding="utf-8")
        files.append(part)
    return whole, sources, files


def expected_assessments(whole: Path) -> list[dict]:
    from typer.testing import CliRunner

    from credcheck.cli.app import app
    result = CliRunner().invoke(app, ["score", str(whole), "-f", "json", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["assessments"]


@pytest.mark.slow
def test_dask_bag_on_a_local_cluster(tmp_path: Path) -> None:
    if os.environ.get("CI"):
        import dask.bag as db
        from dask.distributed import Client, LocalCluster  # noqa: F401 (CI runs the real local cluster)
    else:
        db = pytest.importorskip("dask.bag")
    whole, sources_file, parts = partitions(tmp_path, 600, 3)
    rubric = load_rubric("default")
    sources = load_sources([sources_file], rubric)
    bag = db.read_text([str(p) for p in parts], include_path=True)
    scored = bag.map_partitions(score_lines, sources=sources, rubric=rubric)
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:  # dask[bag] without distributed: a local pool of processes
        lines = scored.compute(scheduler="processes", num_workers=2)
    else:
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster):
            lines = scored.compute()
    assert [json.loads(line) for line in lines] == expected_assessments(whole)


def test_a_partition_with_a_mistake_says_where(tmp_path: Path) -> None:
    rubric = load_rubric("default")
    _, sources_file, _ = partitions(tmp_path, 20, 1)
    sources = load_sources([sources_file], rubric)
    lines = ['{"id": "a", "text": "x", "reports": [{"source": "src-00001"}]}\n',
             '{"id": "b", "text": "y", "reports": [{"source": "nobody"}]}\n']
    with pytest.raises(CredcheckError) as info:
        score_lines(lines, sources, rubric, name="part-7.jsonl")
    assert [str(p) for p in info.value.problems] == ["part-7.jsonl:2:49: claims[1].reports[0].source: unknown source 'nobody'"]
    with pytest.raises(CredcheckError) as info:
        score_lines([(line, "claims/part-8.jsonl") for line in lines], sources, rubric)
    assert str(info.value.problems[0]).startswith("claims/part-8.jsonl:2:49: ")
