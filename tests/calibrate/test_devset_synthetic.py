"""bench/devset/synthetic.py: the same world gives the same files, and credcheck reads them."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from credcheck import load_claims, load_rubric
from credcheck.load.located import schemas
from credcheck.model import STANCES

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = load_rubric("default")
# the loader reads `stance: neutral` and `outcome` (they arrive in separate steps)
SUPPORTS_SECTION_7 = "neutral" in STANCES and "outcome" in schemas(None, None).claim.fields


def synthetic() -> ModuleType:
    """bench/devset/synthetic.py as a module (registered first: its dataclasses look their module up)."""
    name = "devset_synthetic"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "devset" / "synthetic.py")
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        sys.modules[name] = module
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    return sys.modules[name]


SMALL = {"claims": 120, "sources": 25}


def written(tmp_path: Path, name: str, compat: bool, **world: int) -> dict[str, bytes]:
    gen = synthetic()
    w = gen.World(**{**SMALL, **world})
    paths = gen.write(gen.build(w), w, tmp_path / name, compat=compat)
    return {p.name: p.read_bytes() for p in paths}


def test_same_world_same_files_byte_for_byte(tmp_path: Path) -> None:
    first = written(tmp_path, "a", compat=False)
    assert first == written(tmp_path, "b", compat=False)
    assert first["claims.yaml"] != written(tmp_path, "c", compat=False, seed=2)["claims.yaml"]


def test_truth_and_outcomes_agree(tmp_path: Path) -> None:
    files = written(tmp_path, "a", compat=False)
    truth = json.loads(files["truth.json"])
    outcomes = json.loads(files["outcomes.json"])
    assert len(truth["sources"]) == SMALL["sources"] and len(outcomes) == SMALL["claims"]
    assert outcomes == {k: "confirmed" if v else "refuted" for k, v in truth["claims"].items()}
    assert all(0.3 < s["reliability"] < 1 for s in truth["sources"])


def test_compat_files_load_in_todays_credcheck(tmp_path: Path) -> None:
    written(tmp_path, "a", compat=True)
    loaded = load_claims(tmp_path / "a" / "claims.yaml", DEFAULT)
    assert len(loaded.claims) == SMALL["claims"]
    text = (tmp_path / "a" / "claims.yaml").read_text(encoding="utf-8")
    assert "outcome" not in text and "neutral" not in text


def test_full_files_carry_outcomes_and_neutral_reports(tmp_path: Path) -> None:
    written(tmp_path, "a", compat=False)
    text = (tmp_path / "a" / "claims.yaml").read_text(encoding="utf-8")
    assert "status: confirmed" in text and "status: refuted" in text and "stance: neutral" in text
    if SUPPORTS_SECTION_7:
        assert len(load_claims(tmp_path / "a" / "claims.yaml", DEFAULT).claims) == SMALL["claims"]


def test_reliable_sources_report_right_more_often(tmp_path: Path) -> None:
    """The draw does what the docstring says: A and B sources are right far more often than E sources."""
    gen = synthetic()
    w = gen.World(claims=1500, sources=40)
    devset = gen.build(w)
    hidden = {s.id: s for s in devset.sources}
    right: dict[str, list[int]] = {"good": [0, 0], "bad": [0, 0]}
    for claim in devset.claims:
        truth = devset.truth[claim["id"]]
        for r in claim["reports"]:
            s = hidden[r["source"]]
            stance = r.get("stance", "supports")
            if stance == "neutral" or "via" in r or s.derived_from or s.owner:
                continue  # copies, not the source's own judgment
            group = "good" if s.letter in "AB" else "bad" if s.letter == "E" else None
            if group:
                right[group][0] += (stance == "supports") == truth
                right[group][1] += 1
    good, bad = (right[g][0] / right[g][1] for g in ("good", "bad"))
    assert good > 0.8 and bad < 0.55


def evaluate_module() -> ModuleType:
    name = "devset_evaluate"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "devset" / "evaluate.py")
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        sys.modules[name] = module
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    return sys.modules[name]


@pytest.mark.slow  # scores through a credcheck process, as the next; the set itself everyday: the tests above
def test_evaluate_scores_a_synthetic_set_with_the_installed_credcheck(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    written(tmp_path, "a", compat=not SUPPORTS_SECTION_7, claims=150)
    folder = tmp_path / "a"
    code = evaluate_module().main([str(folder / "claims.yaml"), "--outcomes", str(folder / "outcomes.json"), "--json", "--min-n", "1"])
    assert code == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["n"] + figures["unjudged"] == 150
    assert figures["auc"] > 0.6  # the sources carry signal, and credcheck sees some of it
    assert {row["term"] for row in figures["terms"]} <= {
        "almost no chance", "very unlikely", "unlikely", "roughly even chance", "likely", "very likely", "almost certain"}
    assert set(figures["baseline_auc"]) == {"reports_for_minus_against", "lines_for_minus_against"}


@pytest.mark.slow
def test_evaluate_without_outcomes_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    written(tmp_path, "a", compat=True)
    assert evaluate_module().main([str(tmp_path / "a" / "claims.yaml")]) == 2
    assert "no resolved claims" in capsys.readouterr().err


@pytest.mark.slow  # 4,000 claims drawn
def test_the_oracle_is_calibrated_and_beats_counting() -> None:
    """The oracle is the exact posterior: its probabilities come true as often as they say."""
    from credcheck.calibrate.metrics import auc, expected_calibration_error

    gen = synthetic()
    devset = gen.build(gen.World(claims=4000, sources=40, seed=3))
    ids = list(devset.truth)
    p = [devset.oracle[i] for i in ids]
    o = [devset.truth[i] for i in ids]
    assert expected_calibration_error(p, o) < 0.03
    balance = [sum({"supports": 1, "refutes": -1}.get(r.get("stance", "supports"), 0) for r in c["reports"])
               for c in devset.claims]
    assert auc(p, o) > auc(balance, o) + 0.03  # type: ignore[operator]
