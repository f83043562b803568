"""Claims and sources files: every problem located as FILE:LINE:COL: path: message."""
from __future__ import annotations

from typing import Callable

import pytest

from credcheck import CredcheckError, Problem

Problems = Callable[..., list[str]]

SOURCES = """\
sources:
  - {id: nis, name: NIS, type: intelligence_service, reliability: B, owner: ROK government}
  - {id: yonhap, name: Yonhap, type: wire_service}
"""


def claims(body: str) -> str:
    """A claims file with the two sources above and the given claims."""
    return SOURCES + "claims:\n" + body


# --- what a valid file may leave out ---------------------------------------------

def test_reports_and_evidence_are_optional(load: Callable) -> None:
    loaded = load(claims("  - {id: c1, text: Something happened.}\n"))
    claim = loaded.claims[0]
    assert (claim.id, claim.text, claim.reports, claim.evidence, claim.tags) == ("c1", "Something happened.", (), (), ())
    assert loaded.title is None and loaded.as_of is None


def test_defaults_of_a_report_and_of_evidence(load: Callable) -> None:
    loaded = load(claims("""\
  - id: c1
    text: t
    reports: [{source: nis}]
    evidence: [{type: imagery}]
"""))
    report, evidence = loaded.claims[0].reports[0], loaded.claims[0].evidence[0]
    assert (report.stance, report.access, report.via) == ("supports", "unknown", ())
    assert evidence.verified is False


def test_a_full_file_loads(load: Callable) -> None:
    loaded = load("""\
        title: KPA desertions
        as_of: 2026-11-20
        sources:
          - id: kcna
            name: KCNA
            type: state_media
            reliability: E
          - id: daily
            name: Daily
            type: news_outlet
            derived_from: [kcna]
        claims:
          - id: c1
            text: t
            tags: [military]
            reports:
              - {source: daily, stance: refutes, access: second_hand, via: [kcna]}
            evidence:
              - {type: statistics, verified: true, note: published figures}
        """)
    assert loaded.title == "KPA desertions" and loaded.as_of == "2026-11-20"
    assert loaded.sources["daily"].derived_from == ("kcna",)
    assert loaded.claims[0].reports[0].via == ("kcna",)
    assert len(loaded.input_sha256) == 64


# --- unknown keys, missing keys, wrong types ---------------------------------------

def test_unknown_key_with_did_you_mean(claims_problems: Problems) -> None:
    assert claims_problems(claims("  - id: c1\n    text: t\n    reprots: []\n")) == [
        "claims.yaml:7:5: claims[0].reprots: unknown key 'reprots' in claim (did you mean 'reports'?)",
    ]


def test_unknown_top_level_key(claims_problems: Problems) -> None:
    assert claims_problems("claim: []\n") == [
        "claims.yaml:1:1: claim: unknown key 'claim' in claims file (did you mean 'claims'?)",
        "claims.yaml:1:1: claims: missing required key 'claims' in claims file",
    ]


def test_unknown_key_without_a_near_miss(claims_problems: Problems) -> None:
    assert claims_problems(claims("  - {id: c1, text: t, colour: red}\n")) == [
        "claims.yaml:5:23: claims[0].colour: unknown key 'colour' in claim",
    ]


def test_missing_required_keys(claims_problems: Problems) -> None:
    assert claims_problems("""\
        sources:
          - {id: a}
        claims:
          - {id: c1}
          - id: c2
            text: t
            reports: [{stance: refutes}]
            evidence: [{verified: true}]
        """) == [
        "claims.yaml:2:5: sources[0].name: missing required key 'name' in source",
        "claims.yaml:2:5: sources[0].type: missing required key 'type' in source",
        "claims.yaml:4:5: claims[0].text: missing required key 'text' in claim",
        "claims.yaml:7:15: claims[1].reports[0].source: missing required key 'source' in report",
        "claims.yaml:8:16: claims[1].evidence[0].type: missing required key 'type' in evidence item",
    ]


def test_the_claims_key_is_required(claims_problems: Problems) -> None:
    assert claims_problems(SOURCES) == ["claims.yaml:1:1: claims: missing required key 'claims' in claims file"]


def test_wrong_types(claims_problems: Problems) -> None:
    assert claims_problems(claims("""\
  - id: c1
    text: [not, text]
    tags: military
    reports: {source: nis}
    evidence:
      - {type: imagery, verified: "yes"}
  - just a sentence
""")) == [
        "claims.yaml:6:11: claims[0].text: expected text, got a list",
        "claims.yaml:7:11: claims[0].tags: expected a list, got string 'military'",
        "claims.yaml:8:14: claims[0].reports: expected a list, got a mapping",
        "claims.yaml:10:35: claims[0].evidence[0].verified: expected true or false, got string 'yes'",
        "claims.yaml:11:5: claims[1]: expected a claim (key: value pairs), got string 'just a sentence'",
    ]


def test_claims_must_be_a_list(claims_problems: Problems) -> None:
    assert claims_problems("claims: {id: c1}\n") == ["claims.yaml:1:9: claims: expected a list, got a mapping"]


def test_the_file_must_be_a_mapping(claims_problems: Problems) -> None:
    assert claims_problems("- id: c1\n") == [
        "claims.yaml:1:1: expected a claims file (a YAML mapping with title, as_of, sources, claims)",
    ]


def test_empty_text_is_refused(claims_problems: Problems) -> None:
    assert claims_problems(claims("  - {id: c1, text: '  '}\n")) == ["claims.yaml:5:20: claims[0].text: must not be empty"]


def test_a_numeric_id_is_text(load: Callable) -> None:
    assert load(claims("  - {id: 7, text: t}\n")).claims[0].id == "7"


# --- vocabulary ----------------------------------------------------------------

def test_unknown_source_type_with_did_you_mean(claims_problems: Problems) -> None:
    problems = claims_problems("""\
        sources:
          - {id: nis, name: NIS, type: intelligence_servce}
        claims: []
        """)
    assert problems == [
        "claims.yaml:2:32: sources[0].type: unknown source type 'intelligence_servce' (did you mean 'intelligence_service'?); "
        "expected one of: academic, anonymous_official, defector_testimony, eyewitness, intelligence_service, news_outlet, "
        "ngo, official_on_record, official_record, social_media, state_media, unknown, wire_service",
    ]


def test_a_typo_in_a_source_type_is_one_problem_not_one_per_report(claims_problems: Problems) -> None:
    problems = claims_problems("""\
        sources:
          - {id: nis, name: NIS, type: intelligence_servce}
        claims:
          - {id: c1, text: t, reports: [{source: nis}]}
          - {id: c2, text: t, reports: [{source: nis}]}
        """)
    assert len(problems) == 1 and "unknown source type" in problems[0]


def test_unknown_evidence_type_with_did_you_mean(claims_problems: Problems) -> None:
    assert claims_problems(claims("  - {id: c1, text: t, evidence: [{type: imagry}]}\n")) == [
        "claims.yaml:5:41: claims[0].evidence[0].type: unknown evidence type 'imagry' (did you mean 'imagery'?); "
        "expected one of: document, imagery, named_witness, official_record, statistics, testimony, video",
    ]


def test_unknown_stance_and_access(claims_problems: Problems) -> None:
    assert claims_problems(claims("  - {id: c1, text: t, reports: [{source: nis, stance: support, access: firsthand}]}\n")) == [
        "claims.yaml:5:55: claims[0].reports[0].stance: unknown stance 'support' (did you mean 'supports'?); "
        "expected one of: refutes, supports",
        "claims.yaml:5:72: claims[0].reports[0].access: unknown access 'firsthand' (did you mean 'first_hand'?); "
        "expected one of: first_hand, second_hand, unknown",
    ]


@pytest.mark.parametrize("letter", ["G", "b", "X", "1"])
def test_reliability_must_be_a_letter_a_to_f(claims_problems: Problems, letter: str) -> None:
    problems = claims_problems(f"sources:\n  - {{id: a, name: A, type: ngo, reliability: '{letter}'}}\nclaims: []\n")
    assert problems == [
        f"claims.yaml:2:46: sources[0].reliability: unknown reliability '{letter}'; expected one of: A, B, C, D, E, F",
    ]


# --- cross-references ------------------------------------------------------------

def test_unknown_report_source_with_did_you_mean(claims_problems: Problems) -> None:
    assert claims_problems(claims("  - {id: c1, text: t, reports: [{source: nsi}]}\n")) == [
        "claims.yaml:5:42: claims[0].reports[0].source: unknown source 'nsi' (did you mean 'nis'?)",
    ]


def test_unknown_via_and_derived_from(claims_problems: Problems) -> None:
    assert claims_problems("""\
        sources:
          - {id: yonhap, name: Yonhap, type: wire_service}
          - {id: daily, name: Daily, type: news_outlet, derived_from: [yonhop]}
        claims:
          - {id: c1, text: t, reports: [{source: daily, via: [ghost]}]}
        """) == [
        "claims.yaml:3:64: sources[daily].derived_from: unknown source 'yonhop' (did you mean 'yonhap'?)",
        "claims.yaml:5:55: claims[0].reports[0].via[0]: unknown source 'ghost'",
    ]


def test_duplicate_claim_ids(claims_problems: Problems) -> None:
    assert claims_problems(claims("  - {id: c1, text: t}\n  - {id: c1, text: u}\n")) == [
        "claims.yaml:6:10: claims[1].id: duplicate claim id 'c1' (first defined at claims.yaml:5:10)",
    ]


def test_duplicate_source_ids(claims_problems: Problems) -> None:
    assert claims_problems(SOURCES + "  - {id: nis, name: again, type: ngo}\nclaims: []\n") == [
        "claims.yaml:4:10: sources.id: duplicate source id 'nis' (first defined at claims.yaml:2:10)",
    ]


def test_derived_from_cycle(claims_problems: Problems) -> None:
    assert claims_problems("""\
        sources:
          - {id: a, name: A, type: news_outlet, derived_from: [b]}
          - {id: b, name: B, type: news_outlet, derived_from: [a]}
        claims: []
        """) == [
        "claims.yaml:2:56: sources[a].derived_from: derived_from cycle: a -> b -> a; "
        "a source cannot (indirectly) republish itself",
    ]


def test_a_longer_derived_from_cycle_is_reported_once(claims_problems: Problems) -> None:
    problems = claims_problems("""\
        sources:
          - {id: a, name: A, type: news_outlet, derived_from: [b]}
          - {id: b, name: B, type: news_outlet, derived_from: [c]}
          - {id: c, name: C, type: news_outlet, derived_from: [a]}
        claims: []
        """)
    assert len(problems) == 1 and "derived_from cycle: a -> b -> c -> a;" in problems[0]


def test_self_derivation(claims_problems: Problems) -> None:
    assert claims_problems("sources:\n  - {id: a, name: A, type: ngo, derived_from: [a]}\nclaims: []\n") == [
        "claims.yaml:2:48: sources[a].derived_from: a source cannot derive from itself",
    ]


def test_via_naming_the_reports_own_source(claims_problems: Problems) -> None:
    assert claims_problems(claims("  - {id: c1, text: t, reports: [{source: yonhap, via: [yonhap]}]}\n")) == [
        "claims.yaml:5:56: claims[0].reports[0].via[0]: a report cannot relay its own source 'yonhap' (a via cycle)",
    ]


def test_a_source_listed_twice_in_via(claims_problems: Problems) -> None:
    assert claims_problems(claims("  - {id: c1, text: t, reports: [{source: yonhap, via: [nis, nis]}]}\n")) == [
        "claims.yaml:5:61: claims[0].reports[0].via[1]: 'nis' is listed twice",
    ]


# --- all at once, and the error type -------------------------------------------------

BROKEN = """\
sources:
  - {id: nis, name: NIS, type: intelligence_service, reliability: G}
  - {id: nis, name: again, type: ngo}
claims:
  - id: c1
    text: t
    reprots: []
    reports:
      - {source: nsi}
    evidence:
      - {type: imagry}
  - {id: c1, text: u}
"""


def test_several_problems_are_reported_at_once(claims_problems: Problems) -> None:
    assert claims_problems(BROKEN) == [
        "claims.yaml:2:67: sources[0].reliability: unknown reliability 'G'; expected one of: A, B, C, D, E, F",
        "claims.yaml:7:5: claims[0].reprots: unknown key 'reprots' in claim (did you mean 'reports'?)",
        "claims.yaml:11:16: claims[0].evidence[0].type: unknown evidence type 'imagry' (did you mean 'imagery'?); "
        "expected one of: document, imagery, named_witness, official_record, statistics, testimony, video",
        "claims.yaml:3:10: sources.id: duplicate source id 'nis' (first defined at claims.yaml:2:10)",
        "claims.yaml:9:18: claims[0].reports[0].source: unknown source 'nsi' (did you mean 'nis'?)",
        "claims.yaml:12:10: claims[1].id: duplicate claim id 'c1' (first defined at claims.yaml:5:9)",
    ]


def test_problems_carry_mark_path_and_message(load: Callable, tmp_path) -> None:
    with pytest.raises(CredcheckError) as caught:
        load(claims("  - {id: c1, text: t, reports: [{source: nsi}]}\n"))
    (problem,) = caught.value.problems
    assert isinstance(problem, Problem)
    assert (problem.mark.file, problem.mark.line, problem.mark.col) == (str(tmp_path / "claims.yaml"), 5, 42)
    assert problem.path == "claims[0].reports[0].source"
    assert problem.message == "unknown source 'nsi' (did you mean 'nis'?)"
    assert str(caught.value) == str(problem)


def test_a_missing_file(tmp_path) -> None:
    from credcheck import load_claims, load_rubric
    with pytest.raises(CredcheckError) as caught:
        load_claims(tmp_path / "nope.yaml", load_rubric())
    assert str(caught.value) == f"{tmp_path / 'nope.yaml'}: no such file"


def test_yaml_problems_come_through_located(claims_problems: Problems) -> None:
    assert claims_problems("claims: []\nclaims: []\n") == [
        "claims.yaml:2:1: duplicate key 'claims' (first defined at line 1); YAML would silently keep only the last",
    ]


# --- a separate sources file ---------------------------------------------------------

def test_sources_from_a_separate_file(load: Callable) -> None:
    loaded = load(
        "claims:\n  - {id: c1, text: t, reports: [{source: nis}]}\n",
        sources={"sources.yaml": SOURCES},
    )
    assert sorted(loaded.sources) == ["nis", "yonhap"]
    assert [f.rsplit("/", 1)[-1] for f in loaded.files] == ["claims.yaml", "sources.yaml"]


def test_a_sources_file_may_be_a_bare_list(load: Callable) -> None:
    loaded = load("claims: []\n", sources={"sources.yaml": "- {id: nis, name: NIS, type: ngo}\n"})
    assert list(loaded.sources) == ["nis"]


def test_sources_from_two_files_combine(load: Callable) -> None:
    loaded = load(
        "sources:\n  - {id: a, name: A, type: ngo}\nclaims:\n  - {id: c1, text: t, reports: [{source: b, via: [a]}]}\n",
        sources={"more.yaml": "sources:\n  - {id: b, name: B, type: news_outlet}\n"},
    )
    assert sorted(loaded.sources) == ["a", "b"]


def test_duplicate_source_id_across_files(claims_problems: Problems) -> None:
    assert claims_problems(
        "sources:\n  - {id: nis, name: NIS, type: ngo}\nclaims: []\n",
        sources={"sources.yaml": SOURCES},
    ) == ["sources.yaml:2:10: sources.id: duplicate source id 'nis' (first defined at claims.yaml:2:10)"]


def test_problems_in_a_sources_file_point_into_it(claims_problems: Problems) -> None:
    assert claims_problems(
        "claims: []\n",
        sources={"sources.yaml": "sources:\n  - {id: nis, name: NIS, type: spy}\n"},
    ) == ["sources.yaml:2:32: sources[0].type: unknown source type 'spy'; expected one of: academic, anonymous_official, "
          "defector_testimony, eyewitness, intelligence_service, news_outlet, ngo, official_on_record, official_record, "
          "social_media, state_media, unknown, wire_service"]


def test_a_sources_file_holds_only_sources(claims_problems: Problems) -> None:
    assert claims_problems("claims: []\n", sources={"sources.yaml": SOURCES + "claims: []\n"}) == [
        "sources.yaml:4:1: claims: unknown key 'claims' in sources file",
    ]


def test_a_report_may_name_a_source_from_the_sources_file(claims_problems: Problems) -> None:
    assert claims_problems(
        "claims:\n  - {id: c1, text: t, reports: [{source: nsi}]}\n",
        sources={"sources.yaml": SOURCES},
    ) == ["claims.yaml:2:42: claims[0].reports[0].source: unknown source 'nsi' (did you mean 'nis'?)"]


def test_reports_with_nothing_wrong_are_passed_over_and_every_wrong_one_still_named() -> None:
    from credcheck.load.claims import _via_fine, check_claims
    from credcheck.errors import Problems
    from credcheck.model import Claim, Report, Source
    table = {s: Source(s, s.upper(), "wire_service") for s in ("a", "b")}
    assert _via_fine(Report("a", via=("b",)), table)
    assert not _via_fine(Report("a", via=("a",)), table) and not _via_fine(Report("a", via=("zz",)), table)
    claims = [Claim("c1", "Text.", reports=(Report("a"), Report("a", via=("b",)), Report("b", via=("b", "zz")), Report("zz")))]
    problems = Problems()
    check_claims(claims, table, problems)
    assert [p.path for p in problems.items] == ["claims[0].reports[2].via[0]", "claims[0].reports[2].via[1]", "claims[0].reports[3].source"]
