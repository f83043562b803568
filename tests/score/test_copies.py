"""Copies nobody declared (score/copies.py): near-duplicate excerpts, one outlet's domain, the clock.

Each rule is tested on one claim, through the engine, the way a claims file reads.
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from conftest import CORE_RUBRIC, World
from credcheck import load_claims, load_rubric
from credcheck.model import Report, Source
from credcheck.record import replace
from credcheck.render.brief import view_model
from credcheck.rubric.show import show
from credcheck.score.copies import CopyRules, bands_for, find_copies, jaccard, publication_order, shingles

STORY = "Front-line desertions have risen sharply in recent months, according to officials in Seoul."
EDITED = "Front-line desertions have risen steeply in recent months, according to officials in Seoul."  # one word
OWN_WORDS = "Officials in Seoul say more soldiers are deserting than at any time this year."


def report(source: str, excerpt: str | None = None, published: str | None = None, url: str | None = None,
           stance: str = "supports", via: tuple[str, ...] = (), independent_of: tuple[str, ...] = ()) -> Report:
    return Report(source, stance, "unknown", via, published=published, url=url, excerpt=excerpt,
                  independent_of=independent_of)


def outlets() -> World:
    return (World().source("wire", "wire_service").source("daily-a").source("daily-b").source("blog", "social_media")
            .source("nis", "intelligence_service"))


def corroboration(result: Any) -> Any:
    return result.criteria["corroboration"]


def rubric_with(tmp_path: Path, section: str) -> Any:
    # A rubric extends only rubrics in the rubric folders (rubric/confine.py): the core rubric sits beside it.
    (tmp_path / "core.yaml").write_bytes(Path(CORE_RUBRIC).read_bytes())
    path = tmp_path / "team.yaml"
    path.write_text(f"extends: core\nname: team\ncopies: {section}\n", encoding="utf-8")
    return load_rubric(path)


# --- copy ------------------------------------------------------------------------------------

def test_a_copied_excerpt_is_one_line_with_the_earliest_published_as_its_original() -> None:
    # listed first, but published a day after the wire: the wire is the original
    result = outlets().assess(report("daily-a", EDITED, "2026-11-19"), report("wire", STORY, "2026-11-18"))
    assert corroboration(result).extra["independent_supporting"] == 1
    assert [(line.report, line.original) for line in result.supporting] == [(1, "wire")]
    assert "probable_copy" in result.flags and "circular_reporting" in result.flags
    assert [(c.report, c.of, c.similarity, c.original) for c in result.copies] == [(0, 1, 0.6, 1)]
    assert corroboration(result).reasons[2] == (
        "daily-a collapsed into wire (probable copy: its excerpt is a near-duplicate of reports[1] (wire, published "
        "2026-11-18), similarity 0.60): not a second source")


def test_a_chain_of_copies_collapses_into_the_first_report_of_the_story() -> None:
    twice_edited = EDITED.replace("months", "weeks")
    result = outlets().assess(report("wire", STORY, "2026-11-18"), report("daily-a", EDITED, "2026-11-19"),
                              report("daily-b", twice_edited, "2026-11-20"))
    assert jaccard(shingles(STORY, 3), shingles(twice_edited, 3)) < 0.5  # the third is not like the first
    assert [(c.report, c.of, c.original) for c in result.copies] == [(1, 0, 0), (2, 1, 0)]
    assert [c.into for c in result.collapsed] == [("wire",), ("wire",)]
    assert "the story starts at reports[0] (wire)" in corroboration(result).reasons[3]


def test_undated_reports_come_after_dated_ones_then_in_file_order() -> None:
    reports = [report("a"), report("b", published="2026-11-19"), report("c"), report("d", published="2026-11-18T23:00Z")]
    assert publication_order(reports) == [3, 1, 0, 2]


def test_a_copy_counts_even_when_the_copier_is_first_hand() -> None:
    copier = replace(report("nis", STORY, "2026-11-19"), access="first_hand")
    result = outlets().assess(report("wire", STORY, "2026-11-18"), copier)
    assert [line.original for line in result.supporting] == ["wire"]


# --- near-copy below the threshold -----------------------------------------------------------

def test_reports_in_their_own_words_are_independent_lines() -> None:
    result = outlets().assess(report("wire", STORY, "2026-11-18"), report("daily-a", OWN_WORDS, "2026-11-19"))
    assert corroboration(result).extra["independent_supporting"] == 2
    assert not result.copies and "probable_copy" not in result.flags


def test_a_near_copy_just_below_the_threshold_is_not_a_copy(tmp_path: Path) -> None:
    similarity = jaccard(shingles(STORY, 3), shingles(EDITED, 3))
    assert similarity == pytest.approx(0.6)
    below = World(rubric_with(tmp_path, "{threshold: 0.61}"))
    for name in ("wire", "daily-a"):
        below.source(name)
    result = below.assess(report("wire", STORY, "2026-11-18"), report("daily-a", EDITED, "2026-11-19"))
    assert corroboration(result).extra["independent_supporting"] == 2 and not result.copies


def test_short_excerpts_are_not_compared() -> None:
    result = outlets().assess(report("wire", "Desertions are rising.", "2026-11-18"),
                              report("daily-a", "Desertions are rising.", "2026-11-19"))
    assert not result.copies and corroboration(result).extra["independent_supporting"] == 2


def test_copies_are_looked_for_within_one_stance() -> None:
    result = outlets().assess(report("wire", STORY, "2026-11-18"), report("daily-a", STORY, "2026-11-19", stance="refutes"))
    assert not result.copies


# --- declared relations win ------------------------------------------------------------------

def test_independent_of_overrules_an_inferred_copy() -> None:
    result = outlets().assess(report("wire", STORY, "2026-11-18"),
                              report("daily-a", STORY, "2026-11-19", independent_of=("wire",)))
    assert corroboration(result).extra["independent_supporting"] == 2
    assert not result.copies and "probable_copy" not in result.flags


def test_independent_of_on_the_original_side_overrules_it_too() -> None:
    result = outlets().assess(report("wire", STORY, "2026-11-18", independent_of=("daily-a",)),
                              report("daily-a", STORY, "2026-11-19"))
    assert not result.copies


def test_independent_of_also_keeps_a_report_off_chains_that_lead_to_that_source() -> None:
    # daily-a copied the wire; daily-b is declared independent of the wire: not a copy of daily-a either
    result = outlets().assess(report("wire", STORY, "2026-11-18"), report("daily-a", STORY, "2026-11-19"),
                              report("daily-b", STORY, "2026-11-20", independent_of=("wire",)))
    assert [(c.report, c.original) for c in result.copies] == [(1, 0)]
    assert corroboration(result).extra["independent_supporting"] == 2


def test_a_declared_relay_is_never_given_an_inferred_original() -> None:
    # nis relays the wire (declared); its text matches the blog's earlier post: the via stands
    result = outlets().assess(report("blog", STORY, "2026-11-17"), report("wire", OWN_WORDS, "2026-11-18"),
                              report("nis", STORY, "2026-11-19", via=("wire",)))
    assert not any(c.report == 2 for c in result.copies)
    assert "nis collapsed into wire (relays wire): not a second source" in corroboration(result).reasons


def test_a_declared_republisher_is_never_given_an_inferred_original() -> None:
    world = outlets().source("mirror", derived_from=["wire"])
    result = world.assess(report("blog", STORY, "2026-11-17"), report("mirror", STORY, "2026-11-18"))
    assert not result.copies
    assert {line.original for line in result.supporting} == {"blog", "wire"}


def test_one_owner_declared_explains_the_collapse_not_a_copy() -> None:
    world = World().source("paper-a", owner="Media group").source("paper-b", owner="Media group")
    result = world.assess(report("paper-a", STORY, "2026-11-18"), report("paper-b", STORY, "2026-11-19"))
    assert not result.copies
    assert corroboration(result).reasons[2] == (
        "paper-b collapsed into Media group (same owner: Media group; counted through paper-a): not a second source")


# --- modes -----------------------------------------------------------------------------------

def test_flag_mode_counts_as_declared_and_says_what_it_saw(tmp_path: Path) -> None:
    world = World(rubric_with(tmp_path, "{mode: flag}")).source("wire", "wire_service").source("daily-a")
    result = world.assess(report("wire", STORY, "2026-11-18"), report("daily-a", STORY, "2026-11-19"))
    assert corroboration(result).extra["independent_supporting"] == 2
    assert "probable_copy" in result.flags and "circular_reporting" not in result.flags
    assert corroboration(result).reasons[-1] == (
        "daily-a may copy another report (its excerpt is a near-duplicate of reports[0] (wire, published 2026-11-18), "
        "similarity 1.00); counted as declared (rubric copies.mode: flag)")


def test_ignore_mode_looks_for_nothing(tmp_path: Path) -> None:
    world = World(rubric_with(tmp_path, "{mode: ignore}")).source("wire", "wire_service").source("daily-a")
    result = world.assess(report("wire", STORY, "2026-11-18", url="https://a.example.com/1"),
                          report("daily-a", STORY, "2026-11-19", url="https://b.example.com/2"))
    assert not result.copies and not result.outlets and corroboration(result).extra["independent_supporting"] == 2


def test_without_excerpts_or_addresses_nothing_changes() -> None:
    world = outlets()
    plain = world.assess(report("wire"), report("daily-a"), report("nis", via=("wire",)))
    dated = world.assess(report("wire", published="2026-11-18"), report("daily-a", published="2026-11-19"),
                         report("nis", via=("wire",), published="2026-11-20"))
    assert (plain.flags, plain.supporting, plain.collapsed, plain.score) == (dated.flags, dated.supporting, dated.collapsed, dated.score)


# --- same outlet, same owner -----------------------------------------------------------------

def test_two_sources_on_one_registrable_domain_are_one_owner() -> None:
    result = outlets().assess(report("daily-a", url="https://news.daily.co.uk/a"), report("daily-b", url="https://www.daily.co.uk/b"))
    assert corroboration(result).extra["independent_supporting"] == 1
    assert [(o.domains, o.sources, o.owner) for o in result.outlets] == [(("daily.co.uk",), ("daily-a", "daily-b"), "daily.co.uk")]
    assert "same_outlet" in result.flags
    assert corroboration(result).reasons[2] == (
        "daily-b collapsed into daily.co.uk (same outlet: daily-a, daily-b publish on daily.co.uk: one owner, daily.co.uk; "
        "counted through daily-a): not a second source")


def test_different_domains_are_different_outlets() -> None:
    result = outlets().assess(report("daily-a", url="https://daily-a.example.com/a"), report("daily-b", url="https://daily-b.example.org/b"))
    assert corroboration(result).extra["independent_supporting"] == 2 and not result.outlets


def test_explicit_different_owners_keep_one_domains_sources_apart() -> None:
    world = World().source("desk-a", owner="Group A").source("desk-b", owner="Group B")
    result = world.assess(report("desk-a", url="https://a.platform.com/x"), report("desk-b", url="https://b.platform.com/y"))
    assert corroboration(result).extra["independent_supporting"] == 2 and not result.outlets


def test_one_explicit_owner_names_the_outlet() -> None:
    world = World().source("desk-a", owner="Group A").source("desk-b")
    result = world.assess(report("desk-a", url="https://a.paper.co.uk/x"), report("desk-b", url="https://paper.co.uk/y"))
    assert [o.owner for o in result.outlets] == ["Group A"]
    assert [line.original for line in result.supporting] == ["Group A"]


def test_independent_of_keeps_one_domains_sources_apart() -> None:
    result = outlets().assess(report("daily-a", url="https://daily.co.uk/a", independent_of=("daily-b",)),
                              report("daily-b", url="https://daily.co.uk/b"))
    assert corroboration(result).extra["independent_supporting"] == 2 and not result.outlets


def test_same_domain_can_be_switched_off(tmp_path: Path) -> None:
    world = World(rubric_with(tmp_path, "{same_domain: false}")).source("daily-a").source("daily-b")
    result = world.assess(report("daily-a", url="https://daily.co.uk/a"), report("daily-b", url="https://daily.co.uk/b"))
    assert corroboration(result).extra["independent_supporting"] == 2


# --- scale: candidates by MinHash and LSH ----------------------------------------------------

def _story_reports(n: int, seed: int = 7) -> tuple[list[Report], dict[str, Source]]:
    """n reports: a tenth are originals in their own words, the rest copies with one or two words changed."""
    rng = random.Random(seed)
    words = [f"w{k}" for k in range(3000)]
    originals: list[list[str]] = []
    reports = []
    for i in range(n):
        if i % 10 == 0 or not originals:
            text = rng.sample(words, 20)
            originals.append(text)
        else:
            text = list(rng.choice(originals))
            text[rng.randrange(20)] = rng.choice(words)
        reports.append(Report(f"s{i}", excerpt=" ".join(text), published=f"2026-11-{1 + i * 28 // n:02d}"))
    return reports, {f"s{i}": Source(f"s{i}", f"s{i}", "news_outlet") for i in range(n)}


def test_lsh_finds_the_copies_exact_comparison_finds() -> None:
    reports, sources = _story_reports(600)
    exact = find_copies(reports, sources, CopyRules(exact_up_to=1000))
    lsh = find_copies(reports, sources, CopyRules(exact_up_to=10))
    assert len(exact) >= 500
    found = {(c.report, c.original) for c in lsh}
    assert len(found & {(c.report, c.original) for c in exact}) >= 0.98 * len(exact)
    assert all(c.similarity >= 0.6 for c in lsh)  # every pair it reports is checked exactly


def test_lsh_is_deterministic() -> None:
    reports, sources = _story_reports(300, seed=3)
    rules = CopyRules(exact_up_to=10)
    assert find_copies(reports, sources, rules) == find_copies(list(reports), dict(sources), rules)


def test_bands_give_high_recall_at_the_threshold() -> None:
    for threshold in (0.3, 0.5, 0.8):
        bands = bands_for(threshold)
        assert 1 - (1 - threshold ** 2) ** bands >= 0.99


# --- the rubric section ----------------------------------------------------------------------

def test_the_section_is_validated(rubric_problems: Any, rubric_file: Any) -> None:
    rubric_file("core", Path(CORE_RUBRIC).read_text(encoding="utf-8"))  # beside it: extends stays in the rubric folders
    problems = rubric_problems("extends: core\ncopies: {mode: merge, threshold: 1.5, sheep: 1}\n")
    assert problems == [
        "team.yaml:2:16: copies.mode: unknown copies mode 'merge'; expected one of: collapse, flag, ignore",
        "team.yaml:2:34: copies.threshold: must be at most 1, got 1.5",
        "team.yaml:2:39: copies.sheep: unknown key 'sheep' in copies section",
    ]


def test_rubric_show_prints_the_section_with_its_defaults(tmp_path: Path) -> None:
    text = show(rubric_with(tmp_path, "{threshold: 0.7}"))
    assert ("copies:\n  mode: collapse\n  threshold: 0.7\n  shingle_words: 3\n  min_words: 6\n  same_domain: true\n"
            "  shared_hosts: [twitter.com, x.com, ") in text
    assert "  exact_up_to: 200\n" in text


# --- through a claims file: explain and the brief show inferred copies apart -------------------

CLAIMS = """\
sources:
  - {id: wire, name: Wire agency, type: wire_service}
  - {id: daily-a, name: Daily A, type: news_outlet}
  - {id: nis, name: NIS, type: intelligence_service}
claims:
  - id: desertions
    text: Front-line desertions have risen in recent months.
    reports:
      - {source: daily-a, published: 2026-11-19, excerpt: "%s"}
      - {source: wire, published: 2026-11-18, excerpt: "%s"}
      - {source: nis, via: [wire], published: 2026-11-20}
""" % (EDITED, STORY)


def test_the_brief_shows_the_timeline_and_what_was_inferred(tmp_path: Path) -> None:
    from credcheck.render import Report as RenderReport
    path = tmp_path / "claims.yaml"
    path.write_text(CLAIMS, encoding="utf-8")
    rubric = load_rubric(CORE_RUBRIC)
    claims = load_claims(path, rubric)
    from credcheck.score.engine import assess
    view = view_model(RenderReport(claims, rubric, assess(claims, rubric)))
    claim = view["claims"][0]
    assert [(t["published"], t["source"], t["role"]) for t in claim["timeline"]] == [
        ("2026-11-18", "wire", "original of the copies"), ("2026-11-19", "daily-a", "probable copy of wire"),
        ("2026-11-20", "nis", "relays wire")]
    assert claim["reports"][0]["status"] == "collapsed into wire (probable copy)"
    assert claim["reports"][0]["inferred"] == ["probable copy of wire's report (excerpts 0.60 alike)"]
    assert claim["reports"][2]["status"] == "collapsed into wire (circular)" and claim["reports"][2]["inferred"] == []


def test_explain_shows_inferred_copies_apart_from_declared_relays(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from credcheck.cli.app import app
    path = tmp_path / "claims.yaml"
    path.write_text(CLAIMS, encoding="utf-8")
    out = CliRunner().invoke(app, ["explain", str(path), "desertions", "--rubric", str(CORE_RUBRIC)],
                             env={"COLUMNS": "200"}).stdout
    assert "inferred: 1 probable copy, 0 shared outlets" in out
    assert "inferred, not declared: probable copy of #2 (excerpts 0.60 alike)" in out
    assert "collapsed into wire: a probable copy, not a second source" in out
    assert "relays wire" in out and "collapsed into wire: already counted, not a second source" in out


def test_numpy_and_pure_python_sign_alike() -> None:
    """The optional numpy path computes the same integers: results never depend on what is installed."""
    pytest.importorskip("numpy")
    from credcheck.score.copies import signer
    rng = random.Random(5)
    functions = [(rng.randrange(1, 2**31 - 1), rng.randrange(2**31 - 1)) for _ in range(20)]
    numbers = [rng.randrange(2**31 - 1) for _ in range(40)]
    assert signer(functions)(numbers) == signer(functions, use_numpy=False)(numbers)


@pytest.mark.slow  # 3,000 reports; copies of one story everyday: the tests above
def test_a_story_copied_thousands_of_times_stays_linear() -> None:
    """Every copy of one story lands in the same buckets; only a bucket's first members are checked."""
    reports = [Report(f"s{i}", excerpt=STORY, published=f"2026-11-{1 + i % 28:02d}") for i in range(3000)]
    sources = {f"s{i}": Source(f"s{i}", f"s{i}", "news_outlet") for i in range(3000)}
    copies = find_copies(reports, sources, CopyRules(exact_up_to=10))
    assert len(copies) == 2999 and {c.original for c in copies} == {0}


def test_the_json_output_lists_what_was_inferred() -> None:
    import json

    from credcheck.render import Report as RenderReport
    from credcheck.render import jsonout
    from credcheck.score.engine import assess
    example = Path(__file__).resolve().parents[2] / "examples" / "wire-copies" / "claims.yaml"
    rubric = load_rubric(CORE_RUBRIC)
    claims = load_claims(example, rubric)
    assessments = assess(claims, rubric)
    for a in assessments:  # the direct writer and the general one agree, the new entry included
        assert jsonout._assessment(a, "    ") == jsonout.dumps(jsonout.assessment_dict(a), "    ")
    text = jsonout.render(RenderReport(claims, rubric, assessments))
    assert text == json.dumps(jsonout.document(RenderReport(claims, rubric, assessments)), indent=2, ensure_ascii=False) + "\n"
    inferred = json.loads(text)["assessments"][0]["inferred"]
    assert [(c["source"], c["copy_of_source"], c["original_source"], c["similarity"]) for c in inferred["copies"]] == [
        ("harbour-times", "eastwire", "eastwire", 1.0), ("northstar", "eastwire", "eastwire", 0.7391)]
    assert inferred["outlets"] == [{"domains": ["harbourtimes.co.uk"], "sources": ["harbour-times", "harbour-times-business"],
                                    "owner": "harbourtimes.co.uk"}]


def test_claims_without_inferences_have_no_inferred_entry() -> None:
    from credcheck.render import jsonout
    result = outlets().assess(report("wire"), report("daily-a"))
    assert "inferred" not in jsonout.assessment_dict(result)


def test_a_platform_domain_never_makes_its_authors_one_outlet() -> None:
    """Two accounts on one social platform are two publishers; two sites of one newspaper are one."""
    from credcheck.model import Report, Source
    from credcheck.score.copies import find_outlets
    from credcheck.rubric.copies import SHARED_HOSTS
    sources = {s: Source(s, s, "social_media") for s in ("alice", "bob", "daily", "daily-biz")}
    reports = (Report("alice", url="https://twitter.com/alice/status/1"), Report("bob", url="https://twitter.com/bob/status/2"),
               Report("daily", url="https://www.daily.example.com/a"), Report("daily-biz", url="https://biz.daily.example.com/b"))
    outlets = find_outlets(reports, sources, SHARED_HOSTS)
    assert [o.sources for o in outlets] == [("daily", "daily-biz")]
    assert [o.sources for o in find_outlets(reports, sources, ())] == [("alice", "bob"), ("daily", "daily-biz")]
