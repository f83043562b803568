"""Shared helpers: YAML files written to tmp_path, and one claim builder.

Validation tests write a small file and compare the problems, located as
`FILE:LINE:COL: path: message` with the temporary folder stripped:

    def test_unknown_source(claims_problems):
        assert claims_problems(CLAIMS) == ["claims.yaml:9:17: claims[0]...: unknown source 'nsi'..."]

Engine tests build sources and one claim the way a claims file reads:

    world = World().source("wire", "wire_service").source("daily", derived_from=["wire"])
    result = world.assess(supports("wire"), supports("daily"), evidence=[verified("imagery")])

Tests of reading in shares take `small_shares` (shares of 40 claims, and a record of each split read).

Property tests in the everyday run name their full example count through `examples`, and
parametrized process-per-case tests keep a few cases everyday (`everyday_subset`):

    @settings(max_examples=examples(300), deadline=None)
    @pytest.mark.parametrize("name", everyday_subset(NAMES, {"one.yaml", "other.yaml"}))
"""
from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, Callable, Collection, Iterable

import pytest
from hypothesis import settings

from credcheck import Assessment, ClaimSet, CredcheckError, Rubric, load_claims, load_rubric
from credcheck.score.engine import assess_claim
from credcheck.load.fast import Fallback
from credcheck.render import parallel as scoring
from credcheck.render import shares as split
from credcheck.model import Claim, Evidence, Report, Source

# The engine's unit tests pin the weights of the three core criteria, so they
# run the default rubric with the optional `language` criterion switched off
# (tests/rubric/criteria/test_language.py covers that one).
CORE_RUBRIC = Path(__file__).parent / "rubrics" / "core.yaml"
DEFAULT = load_rubric(CORE_RUBRIC)


# --- the everyday run and CI ------------------------------------------------------
# `pytest` is the everyday run: it leaves out tests marked slow (campaigns, fuzzing, inputs by
# the thousand, a process per case) and tries a tenth of each property test's examples. CI
# (.ci/run) runs `pytest` and `pytest -m slow`, both with `--hypothesis-profile thorough`.

def everyday_subset(values: Iterable[Any], everyday: Collection[Any]) -> list[Any]:
    """Parameters for @pytest.mark.parametrize: those in `everyday` run in every run, the others
    are marked slow (CI runs them all). A tuple is one case of several arguments."""
    values = list(values)
    assert all(kept in values for kept in everyday), f"an everyday case that is not a case: {everyday}"
    return [value if value in everyday else
            pytest.param(*(value if isinstance(value, tuple) else (value,)), marks=pytest.mark.slow)
            for value in values]


# A property test without a count of its own runs hypothesis's default, 100, under "thorough",
# 10 everyday. The slow-marked ones (fuzzing) keep fixed counts: only CI runs them.
THOROUGH_EXAMPLES = 100
settings.register_profile("thorough", max_examples=THOROUGH_EXAMPLES)
settings.register_profile("everyday", max_examples=THOROUGH_EXAMPLES // 10)
settings.load_profile("everyday")  # `--hypothesis-profile thorough` loads the other one after this


def examples(full: int) -> int:
    """A property test's example count: `full` under the thorough profile, a tenth of it (at least 10) everyday."""
    return max(min(full, 10), full * settings().max_examples // THOROUGH_EXAMPLES)


# --- files ---------------------------------------------------------------------

def plain(value: Any) -> Any:
    """A located YAML tree (LMap, LList) as plain dicts and lists, to compare with a plain reading."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """write(name, text) -> path; the text is dedented, so tests can indent YAML."""

    def write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else textwrap.dedent(text).lstrip("\n").encode("utf-8"))
        return path

    return write


def problem_lines(error: CredcheckError, folder: Path) -> list[str]:
    """Each problem as the user reads it, with the temporary folder removed."""
    return [str(p).replace(f"{folder}/", "") for p in error.problems]


@pytest.fixture
def load(write: Callable[..., Path]) -> Callable[..., ClaimSet]:
    """load(claims_yaml, sources={"extra.yaml": text}, rubric=DEFAULT) -> ClaimSet."""

    def load(text: str | bytes, sources: dict[str, str] | None = None, rubric: Rubric = DEFAULT) -> ClaimSet:
        extra = [write(name, body) for name, body in (sources or {}).items()]
        return load_claims(write("claims.yaml", text), rubric, extra)

    return load


@pytest.fixture
def claims_problems(load: Callable[..., ClaimSet], tmp_path: Path) -> Callable[..., list[str]]:
    """claims_problems(claims_yaml, ...) -> the located problems; fails if the file is valid."""

    def problems(text: str | bytes, sources: dict[str, str] | None = None, rubric: Rubric = DEFAULT) -> list[str]:
        with pytest.raises(CredcheckError) as caught:
            load(text, sources, rubric)
        return problem_lines(caught.value, tmp_path)

    return problems


@pytest.fixture
def rubric_file(write: Callable[..., Path]) -> Callable[[str, str], Path]:
    """rubric_file(name, yaml) -> path of NAME.yaml under tmp_path."""

    def rubric_file(name: str, text: str) -> Path:
        return write(f"{name}.yaml", text)

    return rubric_file


@pytest.fixture
def rubric_problems(rubric_file: Callable[[str, str], Path], tmp_path: Path) -> Callable[[str], list[str]]:
    """rubric_problems(yaml) -> the located problems of team.yaml; fails if it loads."""

    def problems(text: str, name: str = "team") -> list[str]:
        path = rubric_file(name, text)
        with pytest.raises(CredcheckError) as caught:
            load_rubric(path)
        return problem_lines(caught.value, tmp_path)

    return problems


# --- the claim builder ---------------------------------------------------------

def supports(source: str, *, via: Iterable[str] = (), access: str = "unknown") -> Report:
    return Report(source, "supports", access, tuple(via))


def refutes(source: str, *, via: Iterable[str] = (), access: str = "unknown") -> Report:
    return Report(source, "refutes", access, tuple(via))


def neutral(source: str, *, via: Iterable[str] = (), access: str = "unknown") -> Report:
    return Report(source, "neutral", access, tuple(via))


def verified(evidence_type: str) -> Evidence:
    return Evidence(evidence_type, True)


def unverified(evidence_type: str) -> Evidence:
    return Evidence(evidence_type, False)


class World:
    """A source table and a rubric; `assess` grades one claim against them."""

    def __init__(self, rubric: Rubric = DEFAULT):
        self.rubric = rubric
        self.sources: dict[str, Source] = {}

    def source(self, id: str, type: str = "news_outlet", *, reliability: str | None = None,
               owner: str | None = None, derived_from: Iterable[str] = ()) -> "World":
        self.sources[id] = Source(id, id, type, reliability, owner, tuple(derived_from))
        return self

    def claim(self, *reports: Report, evidence: Iterable[Evidence] = (), id: str = "claim") -> Claim:
        for report in reports:  # the builder checks what load_claims would
            for name in (report.source, *report.via):
                assert name in self.sources, f"unknown source {name!r} in test"
        return Claim(id, f"text of {id}", (), tuple(reports), tuple(evidence))

    def assess(self, *reports: Report, evidence: Iterable[Evidence] = ()) -> Assessment:
        return assess_claim(self.claim(*reports, evidence=evidence), self.sources, self.rubric)


@pytest.fixture
def world() -> World:
    return World()


# --- reading in shares (render/shares.py: JSON, JSON Lines, YAML) ---

@pytest.fixture
def small_shares(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Shares of 40 claims, and a record of every split read: (claims here, total, workers), or
    "fallback" when it gave up and the file was read whole."""
    monkeypatch.setattr(scoring, "MIN_SLICE", 40)
    seen: list[Any] = []
    real = split._read_split

    def recording(*args: Any) -> Any:
        try:
            loaded = real(*args)
        except Fallback:
            seen.append("fallback")
            raise
        seen.append((len(loaded.claims.claims), loaded.total, len(loaded.workers)))
        return loaded

    monkeypatch.setattr(split, "_read_split", recording)
    return seen
