"""The contract (load/contract.py) and everything made from it agree.

The located schema, the YAML and JSON fast paths, the model values, the JSON
Schemas and the vocabularies are each held to the contract's declarations;
a file using every key of every shape is read the same way by every path and
stays on the fast path; every key's bad value sends the fast path to the
located checker, which says where. Adding an optional field to the contract is
enough for both paths to read it (the last test adds one).
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from credcheck import record
from credcheck.errors import CredcheckError
from credcheck.load import claims as claims_module
from credcheck.load import contract, located
from credcheck.load.contract import (CLAIM, CLAIMS_FILE, KINDS, OUTCOME, REPORT, SHAPES, SOURCE, SOURCES_FILE, Key,
                                     Shape, Vocabulary, words_of)
from credcheck.load.fast import Fallback
from credcheck.load.json_input import _META_KEYS
from credcheck.limits import DEFAULT_LIMITS
from credcheck.model import ACCESS, LETTERS, OUTCOME_STATUSES, RELIABILITY_LABELS, STANCES, ClaimSet, Report, TrackRecord
from credcheck.rubric.json_schema import claims_schema, sources_schema
from credcheck.rubric.model import load_rubric

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = load_rubric("default")
VOCABULARY = Vocabulary.of(RUBRIC)
FILES = (CLAIMS_FILE, SOURCES_FILE)


# --- each representation, held to the declarations ----------------------------------------

@pytest.mark.parametrize("shape", SHAPES + FILES, ids=lambda s: s.what)
def test_the_located_schema_is_the_contract(shape: Shape) -> None:
    schema = located.schema_of(shape, VOCABULARY)
    assert schema.what == shape.what
    assert list(schema.fields) == list(shape.names)
    for key in shape.keys:
        field = schema.fields[key.name]
        assert (field.required, field.doc) == (key.required, key.doc), key.name
        if key.kind == "word":
            assert field.type.choices == words_of(key, VOCABULARY), key.name


def test_the_claims_file_schemas_are_the_contracts_shapes() -> None:
    s = located.schemas(RUBRIC.source_types, RUBRIC.evidence_types)
    for schema, shape in ((s.source, SOURCE), (s.report, REPORT), (s.claim, CLAIM), (s.claims_file, CLAIMS_FILE),
                          (s.sources_file, SOURCES_FILE)):
        assert list(schema.fields) == list(shape.names)
    assert list(s.evidence.fields) == list(CLAIM.key("evidence").shape.names)  # type: ignore[union-attr]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.what)
def test_model_values_hold_every_field_with_the_contracts_defaults(shape: Shape) -> None:
    fields = {f.name: f for f in record.fields(shape.model)}
    for key in shape.keys:
        for name in (key.field, key.pos):
            assert name is None or name in fields, f"{shape.model.__name__} has no field {name}"
        if key.field is not None and not key.required:
            assert fields[key.field].default == key.default, key.name
    filled = {n for k in shape.keys for n in (k.field, k.pos) if n} | {"pos"}
    assert set(fields) <= filled | {"derived_pos", "via_pos", "independent_pos"}, "a model field no key fills"


def test_every_key_has_a_known_kind_and_what_its_kind_needs() -> None:
    for shape in SHAPES + FILES:
        for key in shape.keys:
            assert key.kind in KINDS, key.name
            assert (key.shape is not None) == (key.kind in ("record", "records")), key.name
            assert bool(key.words) == (key.kind == "word"), key.name


def test_the_vocabularies_are_the_models_and_declared_once() -> None:
    assert LETTERS == tuple(RELIABILITY_LABELS) == ("A", "B", "C", "D", "E", "F")
    assert SOURCE.key("reliability").words is LETTERS
    assert REPORT.key("stance").words is STANCES and REPORT.key("access").words is ACCESS
    assert OUTCOME.key("status").words is OUTCOME_STATUSES
    assert REPORT.key("stance").default == STANCES[0] and REPORT.key("access").default == "unknown"
    # No module spells the letters out again: they come from credcheck.model.
    spelled = re.compile(r"""["']ABCDEF["']|\(\s*["']A["'],\s*["']B["'],\s*["']C["']""")
    again = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "credcheck").rglob("*.py")) if spelled.search(p.read_text())]
    assert again == []


def _properties(schema: dict[str, Any]) -> list[str]:
    return list(schema["properties"])


def test_the_json_schemas_are_the_contract() -> None:
    claims = claims_schema(RUBRIC)
    assert _properties(claims) == list(CLAIMS_FILE.names) and claims["required"] == sorted(CLAIMS_FILE.required)
    source = claims["properties"]["sources"]["items"]
    claim = claims["properties"]["claims"]["items"]
    report = claim["properties"]["reports"]["items"]
    for schema, shape in ((source, SOURCE), (claim, CLAIM), (report, REPORT),
                          (claim["properties"]["evidence"]["items"], CLAIM.key("evidence").shape),
                          (claim["properties"]["outcome"], OUTCOME),
                          (source["properties"]["track_record"], SOURCE.key("track_record").shape)):
        assert _properties(schema) == list(shape.names)  # type: ignore[union-attr]
        assert schema.get("required", []) == [k.name for k in shape.keys if k.required]  # type: ignore[union-attr]
        assert schema["additionalProperties"] is False
    assert report["properties"]["stance"]["enum"] == list(STANCES)
    assert source["properties"]["reliability"]["enum"] == list(LETTERS)
    assert sources_schema(RUBRIC)["anyOf"][0]["properties"]["sources"]["items"] == source
    shipped = json.loads((ROOT / "schemas" / "claims.schema.json").read_text(encoding="utf-8"))
    assert shipped["properties"] == claims["properties"]


def test_json_lines_title_and_date_records_are_the_files_text_keys() -> None:
    assert _META_KEYS == {k.name for k in CLAIMS_FILE.keys if k.kind == "text"}


# --- a file that uses every key ------------------------------------------------------------

REFERENCES = {"derived_from": ["s2"], "via": ["s3"], "independent_of": ["s4"]}  # known, and not contradictory


def full_value(key: Key) -> Any:
    """A valid value for the key, other than its default."""
    kind = key.kind
    if kind == "word":
        words = words_of(key, VOCABULARY)
        assert words
        return next(w for w in reversed(words) if w != key.default)
    if kind in ("record", "records"):
        assert key.shape is not None
        mapping = full_mapping(key.shape)
        return mapping if kind == "record" else [mapping]
    return {"id": "s1", "text": "Some words.", "note": "a note", "ids": REFERENCES.get(key.name, ["s2"]),
            "texts": ["t1", "t2"], "flag": True, "count": 3, "date": "2026-12-01",
            "published": "2026-11-18T08:30:00+09:00", "url": "https://www.example.org/a/1"}[kind]


def full_mapping(shape: Shape) -> dict[str, Any]:
    return {key.name: full_value(key) for key in shape.keys}


def full_document() -> dict[str, Any]:
    first = full_mapping(SOURCE)
    others = [{"id": f"s{i}", "name": f"Source {i}", "type": first["type"]} for i in (2, 3, 4)]
    claim = full_mapping(CLAIM)
    claim["id"] = "c1"
    return {"title": "Everything", "as_of": "2026-11-20", "sources": [first, *others], "claims": [claim]}


def as_text(document: dict[str, Any], fmt: str) -> str:
    if fmt == "yaml":
        return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    if fmt == "json":
        return json.dumps(document, indent=1)
    records = [{"title": document["title"], "as_of": document["as_of"]}, *({"source": s} for s in document["sources"]),
               *document["claims"]]
    return "".join(json.dumps(r) + "\n" for r in records)


def fast(text: str, fmt: str) -> ClaimSet:
    main, table = claims_module._read_fast((text.encode(), f"claims.{fmt}", fmt), [], VOCABULARY, DEFAULT_LIMITS, None, None)
    return ClaimSet(tuple(main.claims or ()), table, main.title, main.as_of)


def slow(text: str, fmt: str) -> ClaimSet | list[str]:
    try:
        main, table = claims_module._read_located((text.encode(), f"claims.{fmt}", fmt), [], VOCABULARY, DEFAULT_LIMITS,
                                                  None, None, None)
    except CredcheckError as exc:
        return [str(p) for p in exc.problems]
    return ClaimSet(tuple(main.claims or ()), table, main.title, main.as_of)


def placeless(result: ClaimSet | list[str]) -> Any:
    if isinstance(result, list):
        return result
    strip = record.replace
    claims = tuple(strip(c, pos=None, reports=tuple(strip(r, pos=None, via_pos=(), independent_pos=()) for r in c.reports))
                   for c in result.claims)
    return claims, {k: strip(v, pos=None, derived_pos=()) for k, v in result.sources.items()}, result.title, result.as_of


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonl"])
def test_a_file_using_every_key_is_read_alike_by_both_paths_on_the_fast_one(fmt: str) -> None:
    text = as_text(full_document(), fmt)
    quick = fast(text, fmt)  # no Fallback: every key is read on the fast path
    full = slow(text, fmt)
    if fmt == "yaml":
        assert quick == full
    assert placeless(quick) == placeless(full)
    source, claim = quick.sources["s1"], quick.claims[0]
    for value, shape in ((source, SOURCE), (claim, CLAIM), (claim.reports[0], REPORT), (claim.outcome, OUTCOME),
                         (source.track_record, SOURCE.key("track_record").shape)):
        for key in shape.keys:  # type: ignore[union-attr]
            if key.field is not None:
                assert getattr(value, key.field) != key.default, f"{shape.what}.{key.name} was not read"  # type: ignore[union-attr]


def _all_keys() -> list[tuple[str, Key]]:
    """(the path to the key in full_document(), the key) for every key of every shape."""
    paths = {"source": "sources.0", "claim": "claims.0", "report": "claims.0.reports.0",
             "evidence item": "claims.0.evidence.0", "outcome": "claims.0.outcome",
             "track record": "sources.0.track_record"}
    return [(f"{paths[shape.what]}.{key.name}", key) for shape in SHAPES for key in shape.keys]


# A bad value of each kind; a mapping is wrong for every kind (a list of them for "records" is right).
BAD = {"id": [["x"]], "text": ["  "], "note": [["x"]], "word": ["nonsense"], "ids": ["s2", ["s2", "s2"]],
       "texts": [{"a": 1}], "flag": ["yes please"], "count": [-1, 1.5, True], "date": ["2026-13-01", "01/12/2026"],
       "published": ["yesterday", "2026-11-18T25:00"], "url": ["www.example.org", "https://a b.org"], "record": [{"nonsense": 1}], "records": [{"a": 1}]}


def _with(document: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    document = json.loads(json.dumps(document))
    *parents, last = path.split(".")
    node: Any = document
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    node[last] = value
    return document


@pytest.mark.parametrize("path,key", _all_keys(), ids=[p for p, _ in _all_keys()])
def test_a_bad_value_for_any_key_sends_the_fast_path_to_the_located_checker(path: str, key: Key) -> None:
    for bad in BAD[key.kind]:
        for fmt in ("yaml", "json"):
            text = as_text(_with(full_document(), path, bad), fmt)
            with pytest.raises(Fallback):
                fast(text, fmt)
            problems = slow(text, fmt)
            assert isinstance(problems, list) and problems, (bad, problems)
            if fmt == "yaml":
                assert all(re.match(r"claims\.yaml:\d+:\d+: ", p) for p in problems), problems


# --- the new fields' checks, word for word ---------------------------------------------------

HEAD = "sources:\n  - {id: s1, name: S1, type: wire_service}\n  - {id: s2, name: S2, type: ngo}\nclaims:\n"


@pytest.mark.parametrize("text,message", [
    ("  - {id: c1, text: t, outcome: {status: done}}\n",
     "claims.yaml:5:41: claims[0].outcome.status: unknown outcome status 'done'; expected one of: confirmed, refuted, unresolved"),
    ("  - {id: c1, text: t, outcome: {status: refuted, date: 2026-02-30}}\n",
     "claims.yaml:5:56: claims[0].outcome.date: expected a date YYYY-MM-DD, got '2026-02-30'"),
    ("  - {id: c1, text: t, outcome: {date: 2026-02-03}}\n",
     "claims.yaml:5:32: claims[0].outcome.status: missing required key 'status' in outcome"),
    ("  - {id: c1, text: t, reports: [{source: s1, published: 18 Nov 2026}]}\n",
     "claims.yaml:5:57: claims[0].reports[0].published: expected a date YYYY-MM-DD or an ISO 8601 date-time "
     "(2026-11-18T08:30:00Z), got '18 Nov 2026'"),
    ("  - {id: c1, text: t, reports: [{source: s1, stance: neutrl}]}\n",
     "claims.yaml:5:54: claims[0].reports[0].stance: unknown stance 'neutrl' (did you mean 'neutral'?); "
     "expected one of: neutral, refutes, supports"),
    ("  - {id: c1, text: t, reports: [{source: s1, independent_of: [s2, ghost, s1]}]}\n",
     "claims.yaml:5:67: claims[0].reports[0].independent_of[1]: unknown source 'ghost'\n"
     "claims.yaml:5:74: claims[0].reports[0].independent_of[2]: a report cannot be independent of its own source 's1'"),
    ("  - {id: c1, text: t, reports: [{source: s1, independent_of: [s1]}]}\n",
     "claims.yaml:5:63: claims[0].reports[0].independent_of[0]: a report cannot be independent of its own source 's1'"),
    ("  - {id: c1, text: t, reports: [{source: s1, via: [s2], independent_of: [s2]}]}\n",
     "claims.yaml:5:74: claims[0].reports[0].independent_of[0]: 's2' is both relayed (via) and declared independent: say which"),
    ("  - {id: c1, text: t, key: maybe}\n", "claims.yaml:5:28: claims[0].key: expected true or false, got string 'maybe'"),
    ("  - {id: c1, text: t, judgment: ''}\n", "claims.yaml:5:33: claims[0].judgment: must not be empty"),
])
def test_the_new_fields_are_checked_where_they_are(text: str, message: str) -> None:
    assert slow(HEAD + text, "yaml") == message.split("\n")


def test_a_track_record_counts_whole_numbers_from_zero() -> None:
    text = "sources:\n  - {id: s1, name: S1, type: ngo, track_record: {right: -1, wrong: 2.5}}\nclaims: []\n"
    assert slow(text, "yaml") == [
        "claims.yaml:2:57: sources[0].track_record.right: must be at least 0, got -1",
        "claims.yaml:2:68: sources[0].track_record.wrong: expected a whole number, got number 2.5",
    ]
    good = "sources:\n  - {id: s1, name: S1, type: ngo, track_record: {right: 14, wrong: 0}}\nclaims: []\n"
    assert fast(good, "yaml").sources["s1"].track_record == TrackRecord(14, 0)


@pytest.mark.parametrize("published", ["2026-11-18", "2026-11-18T08:30:00Z", "2026-11-18T08:30+09:00",
                                       "2026-11-18 08:30:00.5", "2026-11-18T08:30:00,5-0500"])
def test_published_takes_a_date_or_an_iso_8601_date_time_as_written(published: str) -> None:
    text = HEAD + f"  - {{id: c1, text: t, reports: [{{source: s1, published: '{published}'}}]}}\n"
    assert fast(text, "yaml").claims[0].reports[0].published == published
    assert slow(text, "yaml") == fast(text, "yaml")


# --- adding an optional field ----------------------------------------------------------------

class LanguageReport(Report):
    language: str | None = None


def _replaced(shape: Shape, name: str, inner: Shape) -> Shape:
    """The shape with the key `name` holding mappings of `inner` (what editing `inner` in place gives)."""
    return record.replace(shape, keys=tuple(record.replace(k, shape=inner) if k.name == name else k for k in shape.keys))


def test_an_optional_field_added_to_the_contract_is_read_by_both_paths_and_stays_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    report = Shape(REPORT.what, (*REPORT.keys, Key("language", "text", doc="the language it was published in")),
                   LanguageReport)
    claim = _replaced(CLAIM, "reports", report)
    monkeypatch.setattr(contract, "REPORT", report)
    monkeypatch.setattr(contract, "CLAIM", claim)
    monkeypatch.setattr(contract, "CLAIMS_FILE", _replaced(CLAIMS_FILE, "claims", claim))
    document = full_document()
    document["claims"][0]["reports"].append({"source": "s2", "language": "ko"})
    for fmt in ("yaml", "json", "jsonl"):
        text = as_text(document, fmt)
        quick = fast(text, fmt)  # no Fallback: the new key stays on the fast path
        assert record.replace(quick.claims[0].reports[-1], pos=None) == LanguageReport("s2", language="ko")
        assert placeless(slow(text, fmt)) == placeless(quick)
    assert claims_schema(RUBRIC)["properties"]["claims"]["items"]["properties"]["reports"]["items"]["properties"][
        "language"] == {"type": ["string", "integer"], "minLength": 1, "description": "the language it was published in"}
    bad = as_text(_with(document, "claims.0.reports.1.language", ["ko"]), "yaml")
    with pytest.raises(Fallback):
        fast(bad, "yaml")
    assert slow(bad, "yaml") == ["claims.yaml:44:5: claims[0].reports[1].language: expected text, got a list"]
