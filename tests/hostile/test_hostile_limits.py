"""Limits: every resource an input can make credcheck spend is bounded, named in the error, and configurable."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from credcheck.errors import CredcheckError
from credcheck.limits import ENV_VAR, SPECS, Settings, parse_assignments, settings_from, value_of

from .helpers import EXAMPLE, ROOT, assert_refused, invoke, run_process

SOURCES = "sources:\n  - {id: s, name: S, type: news_outlet}\n"


def _claims(n: int, reports: int = 1) -> str:
    rows = "".join(f"  - {{id: c{i}, text: claim {i}, reports: [{', '.join(['{source: s}'] * reports)}]}}\n" for i in range(n))
    return SOURCES + "claims:\n" + rows


def _write(tmp_path: Path, text: str | bytes, name: str = "claims.yaml") -> str:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return str(path)


# --- each limit, hit: a located error that names the limit and how to raise it -------------------------

@pytest.mark.parametrize("text,option,line_col,fragment", [
    ("claims:\n  - {id: x, text: '" + "y" * (1024**2 + 1) + "'}\n", None, "2:19", "a string of 1,048,577 characters: over the limit string=1MiB"),
    ("claims:\n  - {id: x, text: '" + "y" * 101 + "'}\n", "string=100", "2:19", "over the limit string=100"),
    ("claims: " + "[" * 65 + "]" * 65, None, "1:72", "nesting of 65 levels: over the limit depth=64"),
    ("claims:\n  - {id: x, text: y, tags: [" + ", ".join(["t"] * 30) + "]}\n", "list-items=20", "2:", "a list this long: over the limit list-items=20"),
    ("a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b]\nclaims: []\n", "aliases=40", "3:", "over the limit aliases=40"),
], ids=["string-default", "string-set", "depth", "list-items", "aliases"])
def test_yaml_limits_are_located_and_named(tmp_path: Path, text: str, option: str | None, line_col: str, fragment: str) -> None:
    path = _write(tmp_path, text)
    run = invoke(["score", path] + (["--limit", option] if option else []))
    assert_refused(run)
    assert f"{path}:{line_col}" in run.stderr and fragment in run.stderr, run.stderr
    name = fragment.split("limit ")[1].split("=")[0]
    assert f"(raise it with --limit {name}=N)" in run.stderr


def test_claims_limit_stops_at_the_first_claim_too_many(tmp_path: Path) -> None:
    path = _write(tmp_path, _claims(12))
    run = invoke(["score", path, "--limit", "claims=10"])
    assert_refused(run)
    assert f"{path}:14:5: more than 10 claims: over the limit claims=10" in run.stderr  # the 11th claim's line
    assert invoke(["score", path, "--limit", "claims=12", "-q"]).code == 0


def test_reports_limit_counts_all_claims_together(tmp_path: Path) -> None:
    path = _write(tmp_path, _claims(4, reports=3))
    run = invoke(["validate", path, "--limit", "reports=10"])
    assert_refused(run)
    assert f"{path}:7:5: more than 10 reports: over the limit reports=10" in run.stderr  # the 4th claim, reports 10-12
    assert invoke(["validate", path, "--limit", "reports=12", "-q"]).code == 0


def test_file_size_limit_refuses_before_reading(tmp_path: Path) -> None:
    path = _write(tmp_path, _claims(50))
    run = invoke(["score", path, "--limit", "file-size=1K"])
    assert_refused(run)
    assert f"{path}: a claims file of {os.path.getsize(path):,} bytes: over the limit file-size=1,000" in run.stderr


def test_a_device_that_never_ends_is_refused_before_reading() -> None:
    run = invoke(["score", "/dev/zero", "--limit", "file-size=1MiB"])
    assert_refused(run)
    assert "/dev/zero: is a character device, not a file" in run.stderr


def test_standard_input_is_bounded_too() -> None:
    from typer.testing import CliRunner

    from credcheck.cli.app import app
    result = CliRunner().invoke(app, ["score", "-", "--limit", "file-size=100"], input=_claims(20), catch_exceptions=False)
    assert result.exit_code == 2 and "<stdin>: more than 100 bytes: over the limit file-size=100" in result.stderr


def test_rubric_size_limit(tmp_path: Path) -> None:
    rubric = _write(tmp_path, "extends: default\n" + "# padding\n" * 200, "big.yaml")
    run = invoke(["score", str(EXAMPLE), "--rubric", rubric, "--limit", "rubric-size=1K"])
    assert_refused(run)
    assert f"{rubric}: a rubric of " in run.stderr and "over the limit rubric-size=1,000" in run.stderr


# --- defaults are generous: a million claims is real work, not an attack ----------------------------------

def test_defaults() -> None:
    settings = Settings()
    assert value_of(settings, "claims") == 1_000_000
    assert value_of(settings, "string") == 1024**2
    assert value_of(settings, "depth") >= 32 and value_of(settings, "file-size") >= 1024**3
    assert value_of(settings, "render-seconds") >= 60


@pytest.mark.slow  # 20,000 claims; the default limits everyday: test_defaults
def test_limits_stay_generous_for_large_honest_files(tmp_path: Path) -> None:
    # 20,000 claims and a 900 KB string: far beyond a typical brief, well inside the defaults
    text = _claims(20_000) + "title: '" + "t" * 900_000 + "'\n"
    run = invoke(["validate", _write(tmp_path, text)])
    assert run.code == 0, run.stderr


# --- configuration: defaults < CREDCHECK_LIMITS < --limit ---------------------------------------------------

def test_values_take_units() -> None:
    values = parse_assignments(["claims=2M", "string=4MiB", "file-size=1000", "render-seconds=2.5", "DEPTH=100",
                                "list_items=1K"], "--limit")
    assert values == {"claims": 2_000_000, "string": 4 * 1024**2, "file-size": 1000, "render-seconds": 2.5,
                      "depth": 100, "list-items": 1000}


@pytest.mark.parametrize("item,message", [
    ("clams=3", "--limit: unknown limit 'clams' (did you mean 'claims'?); limits: file-size, string,"),
    ("claims", "--limit: expected NAME=VALUE, got 'claims'"),
    ("claims=0", "--limit: claims must be a whole number of at least 1, got '0'"),
    ("claims=1.5", "--limit: claims must be a whole number of at least 1, got '1.5'"),
    ("claims=1.0K", "--limit: claims must be a whole number of at least 1, got '1.0K'"),
    ("string= 5", "--limit: ' 5' is not a valid value for string (e.g. 1000, 2M or 4MiB)"),
    ("string=1_000", "--limit: '1_000' is not a valid value for string"),
    ("string=1,000", "--limit: '1,000' is not a valid value for string"),
    ("string=5 M", "--limit: '5 M' is not a valid value for string"),
    ("string=" + "9" * 40, "--limit: '9999999999"),
    ("string=99999999999G", "--limit: string must be at most 1,000,000,000,000,000, got '99999999999G'"),
    ("render-seconds=9999999", "--limit: render-seconds must be at most 1,000,000, got '9999999'"),
    ("string=big", "--limit: 'big' is not a valid value for string (e.g. 1000, 2M or 4MiB)"),
    ("render-seconds=2M", "--limit: '2M' is not a valid value for render-seconds (e.g. 30 or 2.5)"),
    ("render-seconds=0", "--limit: render-seconds must be above 0"),
])
def test_bad_limit_options_are_usage_errors(item: str, message: str) -> None:
    with pytest.raises(CredcheckError) as err:
        parse_assignments([item], "--limit")
    assert str(err.value) == message or str(err.value).startswith(message)
    run = invoke(["validate", str(EXAMPLE), "--limit", item])
    assert run.code == 2 and "Traceback" not in run.stderr and message.split(":")[1].strip()[:20] in run.stderr


def test_option_beats_environment_beats_default() -> None:
    env = {ENV_VAR: "claims=5, string=2MiB"}
    settings = settings_from(["claims=7"], env)
    assert value_of(settings, "claims") == 7 and settings.origin["claims"] == "--limit"
    assert value_of(settings, "string") == 2 * 1024**2 and settings.origin["string"] == ENV_VAR
    assert settings.rubric.max_string == 2 * 1024**2  # string, depth and aliases bound rubrics too
    assert value_of(settings, "depth") == 64 and "depth" not in settings.origin


def test_environment_limits_reach_the_command(tmp_path: Path) -> None:
    path = _write(tmp_path, _claims(3))
    run = invoke(["validate", path], env={ENV_VAR: "claims=2"})
    assert_refused(run)
    assert "over the limit claims=2" in run.stderr
    bad = invoke(["validate", path], env={ENV_VAR: "claims=2,bogus=1"})
    assert bad.code == 2 and "CREDCHECK_LIMITS: unknown limit 'bogus'" in bad.stderr


def test_limits_command_lists_every_limit_with_its_origin() -> None:
    run = invoke(["limits", "--limit", "claims=2M"], env={ENV_VAR: "string=4MiB", "COLUMNS": "200"})
    assert run.code == 0
    for name in SPECS:
        assert name in run.stdout
    assert "2,000,000 (default 1,000,000)" in run.stdout and "4MiB (default 1MiB)" in run.stdout
    assert "--limit" in run.stdout and ENV_VAR in run.stdout


def test_every_limit_is_documented() -> None:
    docs = (ROOT / "SECURITY.md").read_text() + (ROOT / "README.md").read_text()
    for name in SPECS:
        assert f"`{name}`" in docs, name
    assert ENV_VAR in docs and "--limit" in docs


# --- memory stays bounded: generated bombs in a process capped at 1 GiB ----------------------------------

@pytest.mark.slow
def test_bombs_in_a_memory_capped_process(tmp_path: Path) -> None:
    wide = "claims:\n  - id: x\n    text: y\n    tags: [" + ", ".join(["t"] * 200_000) + "]\n"
    deep = "claims:\n" + "".join("  " * i + "- \n" for i in range(1, 5000))
    flow = "claims: " + "[" * 100_000
    for name, text, fragment in (("wide.yaml", wide, "over the limit list-items=100,000"),
                                 ("deep.yaml", deep, "over the limit depth=64"),
                                 ("flow.yaml", flow, "exceeded maximum nesting depth")):  # libyaml's own bound
        path = _write(tmp_path, text, name)
        run = run_process(["score", path, "--limit", "list-items=100K"], limit_memory=1024**3, timeout=60)
        assert_refused(run)
        assert fragment in run.stderr, run.stderr


# --- the engine's own bounds: inputs built to make its algorithms slow are refused, located -----------------------

def test_a_claim_too_tangled_to_match_is_refused_at_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from credcheck.score import independence
    monkeypatch.setattr(independence, "MAX_MATCH_STEPS", 500)
    ids = [f"r{i}" for i in range(30)]
    text = ("sources:\n" + "".join(f"  - {{id: {i}, name: R, type: news_outlet}}\n" for i in ids) + "  - {id: z, name: Z, type: news_outlet}\n"
            + "claims:\n  - {id: fine, text: t, reports: [{source: r0}]}\n  - id: tangled\n    text: t\n    reports:\n"
            + "".join(f"      - {{source: z, via: [{', '.join(ids)}]}}\n" for _ in range(60)))
    run = invoke(["score", _write(tmp_path, text)])
    assert_refused(run)
    assert ":35:9: claims[tangled]: matching its 60 reports to independent originals needs more than 500 search steps" in run.stderr


def test_a_republication_graph_too_tangled_to_trace_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from credcheck.score import independence
    monkeypatch.setattr(independence, "MAX_LINKS", 200)
    # a ladder: each source republishes the previous one and one more original, so the n-th stands for n originals
    n = 40
    text = ("sources:\n" + "".join(f"  - {{id: r{i}, name: R, type: news_outlet}}\n" for i in range(n))
            + "  - {id: s0, name: S, type: news_outlet, derived_from: [r0]}\n"
            + "".join(f"  - {{id: s{i}, name: S, type: news_outlet, derived_from: [s{i - 1}, r{i}]}}\n" for i in range(1, n))
            + f"claims:\n  - {{id: c, text: t, reports: [{{source: s{n - 1}}}]}}\n")
    run = invoke(["score", _write(tmp_path, text)])
    assert_refused(run)
    assert "derived_from: tracing republication to originals needs more than 200 links" in run.stderr
    assert invoke(["score", _write(tmp_path, text.replace(f"source: s{n - 1}", "source: s5"), "ok.yaml"), "-q"]).code == 0


def test_hints_are_skipped_for_huge_vocabularies() -> None:
    from credcheck.errors import did_you_mean
    assert did_you_mean("yonhapp", ["yonhap", "kcna"]) == " (did you mean 'yonhap'?)"
    assert did_you_mean("yonhapp", [f"s{i}" for i in range(6000)] + ["yonhap"]) == ""
    assert did_you_mean("y" * 300, ["y" * 300]) == ""


def test_reports_tracing_to_too_many_originals_in_all_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from credcheck.score import independence
    monkeypatch.setattr(independence, "MAX_REPORT_ORIGINALS", 50)
    # an aggregator standing for 20 originals, reported by claim after claim
    text = ("sources:\n" + "".join(f"  - {{id: r{i}, name: R, type: news_outlet}}\n" for i in range(20))
            + "  - {id: agg, name: A, type: news_outlet, derived_from: [" + ", ".join(f"r{i}" for i in range(20)) + "]}\n"
            + "claims:\n" + "".join(f"  - {{id: c{i}, text: t, reports: [{{source: agg}}]}}\n" for i in range(5)))
    run = invoke(["score", _write(tmp_path, text)])
    assert_refused(run)
    assert ":26:42: the reports trace to more than 50 originals in all" in run.stderr  # the third claim's report
