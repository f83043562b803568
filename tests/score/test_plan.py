"""The scoring plan: per-rubric work done once, held by the run, never remembered globally."""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Callable

import pytest

from conftest import World, supports, unverified, verified
from credcheck import load_rubric
from credcheck.model import Claim
from credcheck.score import engine
from credcheck.score.engine import assess_claim, iter_assess, plan_for

DEFAULT_FILE = Path(__file__).parents[2] / "rubrics" / "default.yaml"  # the language criterion on
HEAVY = """extends: default
criteria:
  verifiability: {decibans: {imagery: {verified: 30, unverified: 2}}, gap_min_decibans: 1}
  language: {decibans: {hedging: {each: 4, max: 8}, specificity: {each: 1, max: 3}}}
rules:
  - {id: hedged-cap, when: {language_score: {lt: 50}}, cap: 5, reason: hedged wording}
"""


@pytest.fixture
def two_rubrics(rubric_file: Callable) -> tuple:
    return load_rubric(DEFAULT_FILE), load_rubric(rubric_file("heavy", HEAVY))


@pytest.fixture
def claimed() -> tuple[World, Claim]:
    world = World().source("wire", "wire_service").source("daily", "news_outlet")
    plain = world.claim(supports("wire", access="first_hand"), supports("daily"),
                        evidence=[verified("imagery"), unverified("document")])
    claim = Claim(plain.id, "Officials reportedly said 40 trucks may have crossed on 3 May.", (), plain.reports,
                  plain.evidence)
    return world, claim


def test_one_claim_scored_alternately_by_two_rubrics_gets_each_rubrics_own_result(two_rubrics, claimed) -> None:
    world, claim = claimed
    first, second = two_rubrics
    alone = [assess_claim(claim, world.sources, rubric) for rubric in (first, second)]
    assert alone[0] != alone[1]  # the rubrics disagree, so a result leaking from one to the other would show
    assert alone[0].criteria["verifiability"] != alone[1].criteria["verifiability"]
    assert alone[0].criteria["language"] != alone[1].criteria["language"]
    assert [h.id for h in alone[1].rules if h.id == "hedged-cap"] and not [h for h in alone[0].rules
                                                                          if h.id == "hedged-cap"]
    plans = [plan_for(first), plan_for(second)]
    for _ in range(3):
        for i, rubric in enumerate((first, second)):
            assert assess_claim(claim, world.sources, rubric) == alone[i]
            assert assess_claim(claim, world.sources, rubric, plan=plans[i]) == alone[i]
            assert list(iter_assess([claim, claim], world.sources, rubric, plans[i])) == [alone[i], alone[i]]


def test_a_plan_serves_only_its_own_rubric(two_rubrics, claimed) -> None:
    world, claim = claimed
    first, second = two_rubrics
    with pytest.raises(ValueError, match="another rubric"):
        assess_claim(claim, world.sources, second, plan=plan_for(first))


def _modules(package: str) -> list:
    root = importlib.import_module(package)
    return [root, *(importlib.import_module(f"{package}.{m.name}") for m in pkgutil.iter_modules(root.__path__))]


def test_no_module_level_cache_remembers_a_rubric(two_rubrics, claimed) -> None:
    world, claim = claimed
    for rubric in two_rubrics:  # score first, so a cache that fills up would be full
        assess_claim(claim, world.sources, rubric)
    modules = _modules("credcheck.score") + _modules("credcheck.rubric.criteria")
    for module in modules:
        for name, value in vars(module).items():
            if isinstance(value, dict):  # an id() is an address, far above any count or grade a table keys by
                assert not any(isinstance(key, int) and key > 1 << 20 for key in value), \
                    f"{module.__name__}.{name} is keyed by ids"
    gone = {"_PLANS", "_COMPILED", "_RANKED", "_MEMOS", "_WRITTEN", "_VOCABULARIES"}
    import credcheck.render.jsonout as jsonout
    import credcheck.rubric.signals as signals
    for module in (*modules, jsonout, signals):
        assert not gone & set(vars(module)), module.__name__
    assert isinstance(engine.plan_for(two_rubrics[0]), engine.Plan)
