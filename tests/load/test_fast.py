"""The fast path reads claims exactly as the located checker does: same values, same errors, same positions.

Three loaders are compared: `load_claims` (the fast path, falling back when
something is unusual), the located path on its own (yamlload's event composer
and the schema), and a reference built on PyYAML's own composer and
constructor (a marks-keeping SafeLoader subclass).
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import everyday_subset
from credcheck.load import claims as claims_module
from credcheck.load import located as located_module
from credcheck.load import references
from credcheck import record
from credcheck.score.engine import assess
from credcheck.errors import CredcheckError, Problems
from credcheck.load.contract import Vocabulary
from credcheck.load.fast import CHECKED_LIMITS, Fallback
from credcheck.model import ClaimSet
from credcheck.rubric.model import load_rubric
from credcheck.limits import DEFAULT_LIMITS, Limits
from credcheck.load.located_yaml import LList, LMap

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dmz-desertions" / "claims.yaml"
RUBRIC = load_rubric("default")
VOCABULARY = Vocabulary.of(RUBRIC)


def _bench_gen() -> Any:
    spec = importlib.util.spec_from_file_location("credcheck_bench_gen", ROOT / "bench" / "gen.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


GEN = _bench_gen()


# --- the three loaders -----------------------------------------------------------------------

def public(text: str | bytes, name: str = "claims.yaml", limits: Limits = DEFAULT_LIMITS) -> ClaimSet | list[str]:
    data = text.encode() if isinstance(text, str) else text
    try:
        return claims_module.load_claims(name, RUBRIC, data=data, limits=limits)
    except CredcheckError as exc:
        return [str(p) for p in exc.problems]


def located(text: str | bytes, name: str = "claims.yaml", limits: Limits = DEFAULT_LIMITS) -> ClaimSet | list[str]:
    data = text.encode() if isinstance(text, str) else text
    fmt = claims_module.detect_format(name)
    try:
        main, table = claims_module._read_located((data, name, fmt), [], VOCABULARY, limits, None, None, None)
    except CredcheckError as exc:
        return [str(p) for p in exc.problems]
    return _claim_set(main, table)


def reference(text: str, name: str = "claims.yaml") -> ClaimSet | list[str]:
    """PyYAML composes and constructs; the same schema then checks the marked tree."""
    try:
        tree = yaml.load(text, Loader=_marked_loader(name))
    except CredcheckError as exc:
        return [str(p) for p in exc.problems]
    problems = Problems()
    s = located_module.schemas(RUBRIC.source_types, RUBRIC.evidence_types)
    reader = located_module.Reader(s, problems, DEFAULT_LIMITS)
    _, found, claims = reader.read_tree(tree, name, "claims")
    table = references.check_sources(found, problems)
    references.check_claims(claims, table, problems)
    if problems:
        return [str(p) for p in problems.items]
    return _claim_set(claims_module.Parsed(tree.get("title"), tree.get("as_of"), found, claims), table)


def _claim_set(main: Any, table: Any) -> ClaimSet:
    text = claims_module._text
    return ClaimSet(tuple(main.claims), table, text(main.title), text(main.as_of))


def _marked_loader(file: str) -> type:
    class Marked(yaml.CSafeLoader):  # the baseline loader: libyaml composes, PyYAML constructs
        pass

    # as yamlload: timestamps stay text (dates are labels), keys keep their text
    Marked.yaml_implicit_resolvers = {k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
                                      for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}

    def mapping(loader: Any, node: Any) -> LMap:
        out = LMap()
        out.file, out.line, out.col, out.size, out.marks = file, node.start_mark.line + 1, node.start_mark.column + 1, 1, {}
        merges = []
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merges.append(loader.construct_object(value_node, deep=True))
                continue
            key = key_node.value
            if key in out:
                raise CredcheckError.single(None, "", f"reference loader: duplicate key {key}")
            out[key] = loader.construct_object(value_node, deep=True)
            k, v = key_node.start_mark, value_node.start_mark
            out.marks[key] = (file, k.line + 1, k.column + 1, v.line + 1, v.column + 1)
        for merged in merges:  # `<<` fills the keys the mapping does not set itself
            for source in merged if isinstance(merged, list) else [merged]:
                for key, value in source.items():
                    if key not in out:
                        out[key], out.marks[key] = value, source.marks[key]
        return out

    def sequence(loader: Any, node: Any) -> LList:
        out = LList()
        out.file, out.line, out.col, out.size = file, node.start_mark.line + 1, node.start_mark.column + 1, 1
        out.marks = [(file, n.start_mark.line + 1, n.start_mark.column + 1) for n in node.value]
        out.extend(loader.construct_object(n, deep=True) for n in node.value)
        return out

    Marked.add_constructor("tag:yaml.org,2002:map", mapping)
    Marked.add_constructor("tag:yaml.org,2002:seq", sequence)
    return Marked


def fast_path_taken(text: str, name: str = "claims.yaml") -> bool:
    data = text.encode()
    try:
        claims_module._read_fast((data, name, claims_module.detect_format(name)), [], VOCABULARY, DEFAULT_LIMITS, None, None)
    except Fallback:
        return False
    return True


def without_positions(result: ClaimSet | list[str]) -> Any:
    if isinstance(result, list):
        return result
    strip = record.replace
    claims = tuple(strip(c, pos=None, reports=tuple(strip(r, pos=None, via_pos=(), independent_pos=()) for r in c.reports))
                   for c in result.claims)
    sources = {k: strip(v, pos=None, derived_pos=()) for k, v in result.sources.items()}
    return claims, sources, result.title, result.as_of


def assert_same(*results: ClaimSet | list[str]) -> None:
    first = results[0]
    for other in results[1:]:
        if isinstance(first, list) or isinstance(other, list):
            assert other == first
        else:
            assert (other.claims, other.sources, other.title, other.as_of) == (first.claims, first.sources, first.title, first.as_of)
            assert assess(other, RUBRIC) == assess(first, RUBRIC)


# --- valid files -----------------------------------------------------------------------------

def synthetic_yaml(n: int) -> str:
    data = GEN.make_dataset(n, seed=3)
    return "\n".join(_yaml_lines(data)) + "\n"


def _yaml_lines(data: dict[str, Any]) -> list[str]:
    lines = [f"title: {GEN._scalar(data['title'])}", f"as_of: {data['as_of']}"]
    for key in ("sources", "claims"):
        lines.append(f"{key}:")
        for item in data[key]:
            lines.extend(GEN._yaml_map(item, "    "))
    return lines


VALID = {
    "example": EXAMPLE.read_text(encoding="utf-8"),
    "synthetic": synthetic_yaml(300),
    "flow-quoted-ints": (
        'title: "Quoted: title"\nas_of: 2026\nsources: [{id: 7, name: \'Seven\', type: wire_service, note: ""},\n'
        "  {id: b, name: B, type: ngo, owner: 12, derived_from: [7]}]\n"
        "claims:\n- {id: 1, text: \"One\", tags: [a, 2], reports: [{source: 7, stance: refutes}, {source: b, via: [7]}]}\n"
        "- id: two\n  text: >\n    folded text\n  reports:\n  evidence:\n    - {type: video, verified: yes, note: 5}\n"
    ),
    "nulls-and-empties": "claims:\n  - id: a\n    text: x\n    tags:\n    reports: []\n    evidence:\nsources:\n",
    "bom-crlf-comments": "\ufeff# comment\r\nclaims: # the claims\r\n  - id: a\r\n    text: x  # trailing\r\n",
    "anchors-aliases-merge": (
        "sources:\n  - &w {id: w, name: W, type: wire_service}\n  - {<<: *w, id: w2}\nclaims:\n"
        "  - id: a\n    text: x\n    reports: &r [{source: w}, {source: w2}]\n  - {id: b, text: y, reports: *r}\n"
    ),
    "tagged-scalars": "claims:\n  - id: !!str 5\n    text: !!str yes\n    evidence: [{type: video, verified: !!bool true}]\n",
    "no-claims": "claims:\n",
    "unicode": "title: Désertions\nclaims:\n  - id: ü\n    text: 북한군 탈영\n",
}


@pytest.mark.parametrize("name", everyday_subset(sorted(VALID), set(VALID) - {"synthetic"}))  # 300 claims by PyYAML's pure loader: CI
def test_valid_files_load_the_same_three_ways(name: str) -> None:
    text = VALID[name]
    fast, slow = public(text), located(text)
    assert not isinstance(fast, list), fast
    assert_same(fast, slow)
    if name not in ("bom-crlf-comments",):  # PyYAML's pure loader rejects nothing here, but keep the BOM case ours
        assert_same(fast, reference(text.lstrip("\ufeff")))


@pytest.mark.parametrize("name", ["example", "synthetic", "flow-quoted-ints", "nulls-and-empties", "bom-crlf-comments",
                                  "unicode", "no-claims"])
def test_plain_valid_files_take_the_fast_path(name: str) -> None:
    assert fast_path_taken(VALID[name])


@pytest.mark.parametrize("name", ["anchors-aliases-merge", "tagged-scalars"])
def test_anchors_and_tags_go_the_full_way(name: str) -> None:
    assert not fast_path_taken(VALID[name])


def test_as_of_and_title_keep_their_text() -> None:
    result = public(VALID["flow-quoted-ints"])
    assert isinstance(result, ClaimSet)
    assert (result.title, result.as_of) == ("Quoted: title", "2026")
    assert result.claims[0].id == "1" and result.claims[0].tags == ("a", "2")
    assert result.claims[1].evidence[0].note == "5"


# --- broken files ----------------------------------------------------------------------------

SOURCES = "sources:\n  - {id: s1, name: S1, type: wire_service}\n  - {id: s2, name: S2, type: ngo, owner: O}\n"
BROKEN = {
    "unknown-claim-key": "claims:\n  - id: a\n    text: x\n    txet: y\n",
    "unknown-report-key": SOURCES + "claims:\n  - id: a\n    text: x\n    reports: [{source: s1, stnace: refutes}]\n",
    "missing-id-and-text": SOURCES + "claims:\n  - reports: [{source: ghost}]\n",
    "text-is-a-list": "claims:\n  - id: a\n    text: [x]\n",
    "empty-and-blank": "claims:\n  - id: ''\n    text: '   '\n",
    "float-id": "claims:\n  - id: 1.5\n    text: x\n",
    "bad-stance-access": SOURCES + "claims:\n  - id: a\n    text: x\n    reports: [{source: s1, stance: maybe, access: direct}]\n",
    "verified-text": "claims:\n  - id: a\n    text: x\n    evidence: [{type: video, verified: 'yes'}]\n",
    "unknown-types": "sources:\n  - {id: s, name: S, type: blog}\nclaims:\n  - id: a\n    text: x\n    evidence: [{type: foto}]\n",
    "bad-reliability": "sources:\n  - {id: s, name: S, type: ngo, reliability: G}\n  - {id: t, name: T, type: ngo, reliability: }\nclaims: []\n",
    "empty-owner": "sources:\n  - {id: s, name: S, type: ngo, owner: ''}\nclaims: []\n",
    "derived-problems": ("sources:\n  - {id: a, name: A, type: ngo, derived_from: [a, ghost]}\n"
                         "  - {id: b, name: B, type: ngo, derived_from: [c]}\n  - {id: c, name: C, type: ngo, derived_from: [b]}\n"
                         "claims: []\n"),
    "duplicate-ids": SOURCES + "  - {id: s1, name: Again, type: ngo}\nclaims:\n  - {id: a, text: x}\n  - {id: a, text: y}\n",
    "unknown-sources": SOURCES + "claims:\n  - id: a\n    text: x\n    reports:\n      - {source: s3}\n      - {source: s1, via: [s1, ghost]}\n",
    "duplicate-via": SOURCES + "claims:\n  - id: a\n    text: x\n    reports: [{source: s1, via: [s2, s2]}]\n",
    "duplicate-derived": "sources:\n  - {id: a, name: A, type: ngo}\n  - {id: b, name: B, type: ngo, derived_from: [a, a]}\nclaims: []\n",
    "claims-not-a-list": "claims: {id: a}\n",
    "sources-not-a-list": "sources: s1\nclaims: []\n",
    "claims-missing": "title: T\n",
    "top-is-a-list": "- id: a\n",
    "top-is-text": "just text\n",
    "note-null": "claims:\n  - id: a\n    text: x\n    evidence: [{type: video, note: }]\n",
    "title-list": "title: [a]\nclaims: []\n",
    "claim-is-text": "claims:\n  - just text\n  - id: b\n    text: y\n",
    "reports-not-a-list": SOURCES + "claims:\n  - id: a\n    text: x\n    reports: s1\n",
}
# Found by yamlload itself, before any schema: the reference loader (PyYAML) words these its own way.
YAML_LEVEL = {
    "duplicate-key": "claims:\n  - id: a\n    text: x\n    text: y\n",
    "syntax": 'claims:\n  - id: a\n    text: "x\n',
    "tab": "claims:\n\t- id: a\n",
    "two-documents": "claims: []\n---\nclaims: []\n",
    "empty": "",
    "null-document": "~\n",
    "python-tag": "claims:\n  - id: !!python/object:os.system a\n    text: x\n",
    "unknown-alias": "claims:\n  - *nothing\n",
    "control-character": "claims:\n  - id: a\n    text: \x07\n",
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_give_the_same_errors_three_ways(name: str) -> None:
    text = BROKEN[name]
    errors = public(text)
    assert isinstance(errors, list) and errors, errors
    assert located(text) == errors
    assert reference(text) == errors


@pytest.mark.parametrize("name", sorted(YAML_LEVEL))
def test_yaml_level_errors_are_unchanged(name: str) -> None:
    errors = public(YAML_LEVEL[name])
    assert isinstance(errors, list) and errors
    assert located(YAML_LEVEL[name]) == errors


def test_bad_utf8_is_located_the_same_way() -> None:
    data = b"claims:\n  - id: a\n    text: caf\xe9\n"
    assert public(data) == located(data) == ["claims.yaml:3:14: not valid UTF-8 (byte 0xe9); save the file as UTF-8"]


def test_errors_word_for_word() -> None:
    assert public(BROKEN["unknown-sources"]) == [
        "claims.yaml:8:18: claims[0].reports[0].source: unknown source 's3'",
        "claims.yaml:9:28: claims[0].reports[1].via[0]: a report cannot relay its own source 's1' (a via cycle)",
        "claims.yaml:9:32: claims[0].reports[1].via[1]: unknown source 'ghost'",
    ]
    assert public(BROKEN["derived-problems"]) == [
        "claims.yaml:2:48: sources[a].derived_from: a source cannot derive from itself",
        "claims.yaml:2:51: sources[a].derived_from: unknown source 'ghost'",
        "claims.yaml:3:48: sources[b].derived_from: derived_from cycle: b -> c -> b; a source cannot (indirectly) republish itself",
    ]


@pytest.mark.parametrize("limits, message", [
    (Limits(max_string=10), "claims.yaml:3:11: a string of 16 characters: over the limit string=10 (raise it with --limit string=N)"),
    (Limits(max_items=1), "claims.yaml:5:5: a list this long: over the limit list-items=1 (raise it with --limit list-items=N)"),
    (Limits(max_depth=3), "claims.yaml:4:14: nesting of 4 levels: over the limit depth=3 (raise it with --limit depth=N)"),
])
def test_limits_hold_on_the_fast_path(limits: Limits, message: str) -> None:
    text = "claims:\n  - id: a\n    text: sixteen chars!!!\n    reports: [{source: s}]\n  - id: b\n    text: y\n"
    assert public(text, limits=limits) == located(text, limits=limits) == [message]


def test_every_limit_is_enforced_by_the_fast_path() -> None:
    """A new field in Limits must be checked in fastpath.py too (or the fast path would let it pass)."""
    assert {f.name for f in record.fields(Limits)} == CHECKED_LIMITS


# --- random files: the fast path and the located checker never disagree ---------------------

WORDS = st.text(alphabet="ab -:#'\"\n1é", max_size=6)
IDS = st.one_of(st.sampled_from(["s1", "s2", "s3", "x"]), st.integers(0, 3))
SCALARS = st.one_of(WORDS, st.integers(-2, 9), st.none(), st.booleans(), st.floats(allow_nan=False, allow_infinity=False))


def _maybe(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(value, value, value, SCALARS)


SOURCE = st.fixed_dictionaries(
    {"id": _maybe(IDS), "name": _maybe(WORDS), "type": _maybe(st.sampled_from(["ngo", "wire_service", "blog"]))},
    optional={"reliability": _maybe(st.sampled_from(["A", "C", "Z"])), "owner": _maybe(WORDS),
              "derived_from": _maybe(st.lists(IDS, max_size=2)), "note": SCALARS, "extra": SCALARS,
              "track_record": _maybe(st.fixed_dictionaries({"right": _maybe(st.integers(-1, 9))},
                                                           optional={"wrong": _maybe(st.integers(0, 3))}))})
DATES = st.sampled_from(["2026-11-18", "2026-11-18T08:30:00Z", "2026-02-30", "18 Nov", "2026-11-18 08:30"])
REPORT = st.fixed_dictionaries(
    {"source": _maybe(IDS)},
    optional={"stance": _maybe(st.sampled_from(["supports", "refutes", "maybe"])),
              "access": _maybe(st.sampled_from(["first_hand", "unknown", "direct"])),
              "via": _maybe(st.lists(IDS, max_size=2)), "note": SCALARS, "published": _maybe(DATES),
              "url": _maybe(st.one_of(WORDS, st.sampled_from(["https://a.example.org/x", "example.org/x"]))), "excerpt": _maybe(WORDS), "independent_of": _maybe(st.lists(IDS, max_size=2))})
EVIDENCE = st.fixed_dictionaries(
    {"type": _maybe(st.sampled_from(["video", "imagery", "foto"]))},
    optional={"verified": _maybe(st.booleans()), "note": _maybe(WORDS)})
CLAIM = st.fixed_dictionaries(
    {"id": _maybe(IDS), "text": _maybe(WORDS)},
    optional={"tags": _maybe(st.lists(WORDS, max_size=2)), "reports": _maybe(st.lists(REPORT, max_size=3)),
              "evidence": _maybe(st.lists(EVIDENCE, max_size=2)), "extra": SCALARS, "judgment": _maybe(WORDS),
              "key": _maybe(st.booleans()), "draft": _maybe(st.booleans()),
              "outcome": _maybe(st.fixed_dictionaries({"status": _maybe(st.sampled_from(["confirmed", "unresolved", "done"]))},
                                                      optional={"date": _maybe(DATES), "note": _maybe(WORDS)}))})
DOCUMENT = st.fixed_dictionaries(
    {"claims": _maybe(st.lists(CLAIM, max_size=4))},
    optional={"sources": _maybe(st.lists(SOURCE, max_size=4)), "title": _maybe(WORDS), "as_of": SCALARS})


# Mostly valid documents, so the fast path's conversion meets varied valid data too.
GOOD_ID = st.sampled_from(["s1", "s2", "s3"])
CLEAN = st.fixed_dictionaries({
    "sources": st.tuples(*(st.fixed_dictionaries(
        {"id": st.just(sid), "name": WORDS.filter(lambda w: w.strip() != ""), "type": st.sampled_from(["ngo", "wire_service"])},
        optional={"reliability": st.sampled_from(["A", "C", "F"]), "owner": st.sampled_from(["O", "P"]),
                  "derived_from": st.lists(st.sampled_from(earlier), max_size=1, unique=True) if earlier else st.just([]),
                  "note": WORDS, "track_record": st.fixed_dictionaries({"right": st.integers(0, 9), "wrong": st.integers(0, 9)})})
        for sid, earlier in (("s1", []), ("s2", ["s1"]), ("s3", ["s1", "s2"])))).map(list),
    "claims": st.lists(st.fixed_dictionaries(
        {"id": st.one_of(WORDS.filter(lambda w: w.strip() != ""), st.integers(0, 99)), "text": st.text(min_size=1, max_size=20).filter(str.strip)},
        optional={"tags": st.lists(WORDS, max_size=2),
                  "reports": st.lists(st.fixed_dictionaries({"source": GOOD_ID}, optional={
                      "stance": st.sampled_from(["supports", "refutes", "neutral"]),
                      "access": st.sampled_from(["first_hand", "unknown"]), "via": st.lists(GOOD_ID, max_size=2, unique=True),
                      "published": st.sampled_from(["2026-11-18", "2026-11-18T08:30:00+09:00"]), "url": st.sampled_from(["https://www.one.co.uk/a", "https://two.one.co.uk/b"]),
                      "independent_of": st.lists(GOOD_ID, max_size=1),
                      "excerpt": st.text(min_size=1, max_size=20).filter(str.strip)}), max_size=4),
                  "judgment": st.text(min_size=1, max_size=20).filter(str.strip), "key": st.booleans(), "draft": st.booleans(),
                  "outcome": st.fixed_dictionaries({"status": st.sampled_from(["confirmed", "refuted", "unresolved"])},
                                                   optional={"date": st.just("2026-12-01"), "note": WORDS}),
                  "evidence": st.lists(st.fixed_dictionaries({"type": st.sampled_from(["video", "imagery", "document"])},
                                                             optional={"verified": st.booleans(), "note": WORDS}), max_size=3)}),
        max_size=5, unique_by=lambda c: str(c["id"])),
}, optional={"title": WORDS.filter(lambda w: w.strip() != ""), "as_of": st.sampled_from(["2026-11-20", "Q3"])})


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(DOCUMENT, CLEAN))
def test_random_documents_yaml(document: dict[str, Any]) -> None:
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    fast, slow = public(text), located(text)
    assert_same(fast, slow)
    assert_same(fast, reference(text))


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(DOCUMENT, CLEAN))
def test_random_documents_json_and_jsonl(document: dict[str, Any]) -> None:
    text = json.dumps(document, ensure_ascii=False, indent=1)
    assert without_positions(public(text, "claims.json")) == without_positions(located(text, "claims.json"))
    if isinstance(document.get("claims"), list) and isinstance(document.get("sources", []), list):
        records = [{"sources": document.get("sources") or []}] + document["claims"]
        lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"
        assert without_positions(public(lines, "claims.jsonl")) == without_positions(located(lines, "claims.jsonl"))
