"""Claims as JSON and JSON Lines: the same claims as YAML, and every mistake located."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from credcheck.load.claims import load_claims
from credcheck.cli.app import app
from credcheck.score.engine import assess
from credcheck.errors import CredcheckError
from credcheck.load.fast import detect_format
from credcheck.rubric.model import load_rubric

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dmz-desertions" / "claims.yaml"
RUBRIC = load_rubric("default")


def errors(text: str, name: str, **kwargs: object) -> list[str]:
    with pytest.raises(CredcheckError) as info:
        load_claims(name, RUBRIC, data=text.encode(), **kwargs)  # type: ignore[arg-type]
    return [str(p) for p in info.value.problems]


def as_jsonl(document: dict) -> str:
    records = [{"title": document["title"], "as_of": str(document["as_of"])}]
    records += [{"source": s} for s in document["sources"]]
    records += document["claims"]
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def example_document() -> dict:
    document = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    document["as_of"] = str(document["as_of"])  # PyYAML reads a date; credcheck keeps the text
    return document


def test_the_example_scores_the_same_from_yaml_json_and_jsonl() -> None:
    document = example_document()
    from_yaml = load_claims(EXAMPLE, RUBRIC)
    from_json = load_claims("claims.json", RUBRIC, data=json.dumps(document).encode())
    from_jsonl = load_claims("claims.jsonl", RUBRIC, data=as_jsonl(document).encode())
    for other in (from_json, from_jsonl):
        assert (other.title, other.as_of) == (from_yaml.title, from_yaml.as_of)
        assert [c.id for c in other.claims] == [c.id for c in from_yaml.claims]
        assert assess(other, RUBRIC) == assess(from_yaml, RUBRIC)


@pytest.mark.parametrize("name, explicit, fmt", [
    ("a.json", None, "json"), ("a.JSONL", None, "jsonl"), ("a.ndjson", None, "jsonl"), ("a.yaml", None, "yaml"),
    ("a.yml", None, "yaml"), ("-", None, "yaml"), ("noext", None, "yaml"), ("a.yaml", "json", "json"),
])
def test_format_by_extension_or_as_asked(name: str, explicit: str | None, fmt: str) -> None:
    assert detect_format(name, explicit) == fmt


def test_json_syntax_error_is_located() -> None:
    assert errors('{"claims": [\n  {"id": "a", "text": "x",}\n]}\n', "c.json") == [
        "c.json:2:27: JSON syntax error: Expecting property name enclosed in double quotes; "
        "reading stopped here, nothing after it was checked"]


def test_a_syntax_error_does_not_hide_the_mistakes_before_it() -> None:
    """The claims completed before a syntax error are still checked; the error says reading stopped there."""
    text = ('{"sources": [{"id": "w", "name": "W", "type": "wire_servce"}],\n'
            ' "claims": [\n'
            '  {"id": "a", "text": "One.", "evidence": [{"type": "imagry"}]},\n'
            '  {"id": "b", "text": "Two." "reports": []},\n'
            '  {"id": "c", "text": ""}\n'
            ']}\n')
    found = errors(text, "c.json")
    assert [line.split(": ", 2)[:2] for line in found] == [
        ["c.json:1:47", "sources[0].type"], ["c.json:3:53", "claims[0].evidence[0].type"], ["c.json:4:30", "JSON syntax error"]]
    assert found[-1].endswith("Expecting ',' delimiter; reading stopped here, nothing after it was checked")


def test_a_duplicate_key_does_not_hide_the_mistakes_before_it() -> None:
    found = errors('{"claims": [{"id": "a", "text": "x", "key": 3},\n {"id": "b",\n  "id": "c", "text": "y"}]}', "c.json")
    assert found == ["c.json:1:45: claims[0].key: expected true or false, got number 3",
                     "c.json:3:3: duplicate key 'id' (first defined at line 2); most JSON readers would silently keep only the last"]


def test_json_duplicate_key_is_located_at_the_second_key() -> None:
    assert errors('{"claims": [{"id": "a",\n  "id": "b", "text": "x"}]}', "c.json") == [
        "c.json:2:3: duplicate key 'id' (first defined at line 1); most JSON readers would silently keep only the last"]


def test_json_validation_problems_have_line_column_and_path() -> None:
    text = ('{"sources": [{"id": "s1", "name": "S", "type": "wire_service"}],\n'
            ' "claims": [\n'
            '  {"id": "a", "text": "x", "reports": [{"source": "s2"}]},\n'
            '  {"id": "b", "text": "y", "evidence": [{"type": "foto", "verified": "yes"}]}\n'
            ' ]\n}\n')
    assert errors(text, "c.json") == [
        "c.json:4:50: claims[1].evidence[0].type: unknown evidence type 'foto'; expected one of: document, imagery, "
        "named_witness, official_record, statistics, testimony, video",
        "c.json:4:70: claims[1].evidence[0].verified: expected true or false, got string 'yes'",
        "c.json:3:51: claims[0].reports[0].source: unknown source 's2'",
    ]


@pytest.mark.parametrize("text, message", [
    ("", "c.json:1:1: the file is empty: expected a JSON object"),
    ("[1]", "c.json:1:1: expected a claims file: a JSON object, got a list"),
    ("null", "c.json:1:1: expected a claims file: a JSON object, got null"),
    ('{"claims": [[[[1]]]]}', "c.json:1:15: nesting deeper than 4 levels"),
    ('{"claims": [{"id": "' + "x" * 20 + '", "text": "y"}]}', "c.json:1:20: string of 20 characters exceeds the limit of 10"),
])
def test_json_shape_and_limits(text: str, message: str) -> None:
    from credcheck.limits import Limits
    limits = Limits(max_depth=4, max_string=10)
    assert errors(text, "c.json", limits=limits) == [message]


def test_jsonl_problems_name_the_record_line_and_claim_index() -> None:
    text = ('{"title": "T"}\n'
            '{"source": {"id": "s1", "name": "S", "type": "wire_service"}}\n'
            "\n"
            '{"id": "a", "text": "x", "reports": [{"source": "s2"}]}\n'
            '{"id": "b", "text": "y", "evidence": [{"type": "foto"}]}\n')
    assert errors(text, "c.jsonl") == [
        "c.jsonl:5:48: claims[1].evidence[0].type: unknown evidence type 'foto'; expected one of: document, imagery, "
        "named_witness, official_record, statistics, testimony, video",
        "c.jsonl:4:49: claims[0].reports[0].source: unknown source 's2'",
    ]


def test_jsonl_record_errors_are_all_reported() -> None:
    text = ('{"title": "T"}\n'
            "[1, 2]\n"
            '{"id": "c", "text": \n'
            '{"title": "again"}\n'
            '{"sources": {"id": "s"}}\n')
    assert errors(text, "c.jsonl") == [
        'c.jsonl:2:1: expected a JSON object: a claim, or a {"source": {...}} or {"sources": [...]} record, '
        'or a {"title": ..., "as_of": ...} record; got a list',
        "c.jsonl:3:21: JSON syntax error: Expecting value",
        "c.jsonl:4:2: title: 'title' is given twice (first at line 1)",
        "c.jsonl:5:13: sources: expected a list of sources, got a mapping",
    ]


def test_jsonl_sources_file_and_sources_records(tmp_path: Path) -> None:
    src = tmp_path / "sources.jsonl"
    src.write_text('{"sources": [{"id": "s1", "name": "S1", "type": "wire_service"}]}\n'
                   '{"source": {"id": "s2", "name": "S2", "type": "ngo", "derived_from": ["s1"]}}\n', encoding="utf-8")
    claims = '{"id": "a", "text": "x", "reports": [{"source": "s2"}, {"source": "s1"}]}\n'
    result = load_claims("c.jsonl", RUBRIC, [str(src)], data=claims.encode())
    assert sorted(result.sources) == ["s1", "s2"]
    assert assess(result, RUBRIC)[0].criteria["corroboration"].extra["independent_supporting"] == 1
    with open(src, "a", encoding="utf-8") as handle:
        handle.write('{"id": "c1", "text": "a claim in a sources file"}\n')
    with pytest.raises(CredcheckError) as info:
        load_claims("c.jsonl", RUBRIC, [str(src)], data=claims.encode())
    assert [str(p) for p in info.value.problems] == [
        f'{src}:3:1: a sources file holds only {{"source": {{...}}}} and {{"sources": [...]}} records']


def test_cli_reads_jsonl_from_stdin_with_input_format(tmp_path: Path) -> None:
    document = example_document()
    runner = CliRunner()
    from_stdin = runner.invoke(app, ["score", "-", "--input-format", "jsonl", "-f", "json"], input=as_jsonl(document))
    assert from_stdin.exit_code == 0, from_stdin.output
    path = tmp_path / "claims.jsonl"
    path.write_text(as_jsonl(document), encoding="utf-8")
    from_file = runner.invoke(app, ["score", str(path), "-f", "json"])
    assert from_file.exit_code == 0
    assert json.loads(from_stdin.stdout) == json.loads(from_file.stdout)


def test_cli_rejects_an_unknown_input_format() -> None:
    result = CliRunner().invoke(app, ["score", str(EXAMPLE), "--input-format", "xml"])
    assert result.exit_code == 2
    assert "--input-format must be one of: yaml, json, jsonl (got 'xml')" in result.output


def test_cli_located_jsonl_error_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "a", "text": "x", "reports": [{"source": "ghost"}]}\n', encoding="utf-8")
    out = tmp_path / "out.json"
    out.write_text("previous")
    result = CliRunner().invoke(app, ["score", str(path), "-f", "json", "-o", str(out)])
    assert result.exit_code == 2
    assert f"error: {path}:1:49: claims[0].reports[0].source: unknown source 'ghost'" in result.output
    assert out.read_text() == "previous"


def test_json_lines_read_a_chunk_of_lines_at_a_time_give_the_same_claims(monkeypatch: pytest.MonkeyPatch) -> None:
    from credcheck.load import json_input
    from credcheck.limits import DEFAULT_LIMITS
    from credcheck.load.contract import Vocabulary
    from credcheck.load.fast import Fallback
    rubric = load_rubric("default", examples=False)
    vocabulary = Vocabulary.of(rubric)
    document = yaml.safe_load((ROOT / "examples" / "dmz-desertions" / "claims.yaml").read_text(encoding="utf-8"))
    text = "\ufeff" + as_jsonl(document) + "\n\n"
    data = text.encode("utf-8")

    def read() -> object:
        parsed = json_input.read_json(data, "jsonl", "claims", vocabulary, DEFAULT_LIMITS)
        return parsed.title, parsed.as_of, parsed.sources, parsed.claims

    whole = read()
    for size in (1, 7, 64, 1000):  # cut after the line where each chunk of `size` bytes ends
        monkeypatch.setattr(json_input, "LINES_CHUNK", size)
        assert read() == whole
    monkeypatch.setattr(json_input, "LINES_CHUNK", 5)
    with pytest.raises(Fallback):  # a record over two lines is no JSON Lines, whatever the chunks
        json_input.read_json(b'{"id": "a",\n "text": "t"}\n', "jsonl", "claims", vocabulary, DEFAULT_LIMITS)
