"""JSON Schemas: generated from the validator's definitions, shipped up to date, and true to every file we ship."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from credcheck import CredcheckError, load_claims, load_rubric
from credcheck.cli.app import app
from credcheck.rubric.json_schema import KINDS, generate
from credcheck.cli.scaffold import plan
from credcheck.load.located_yaml import load_yaml

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "schemas"
runner = CliRunner()


def schema(kind: str) -> dict[str, Any]:
    return json.loads((SHIPPED / f"{kind}.schema.json").read_text(encoding="utf-8"))


def errors(kind: str, document: Any) -> list[str]:
    validator = Draft202012Validator(schema(kind))
    return sorted(f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document))


def yaml_tree(path: Path) -> Any:
    return load_yaml(path.read_bytes(), str(path))


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_schema_is_what_the_command_generates_now(kind: str) -> None:
    result = runner.invoke(app, ["schema", kind])
    assert result.exit_code == 0, result.output
    assert result.stdout == generate(kind, load_rubric("default"))
    shipped = (SHIPPED / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert shipped == result.stdout, f"schemas/{kind}.schema.json is stale: run credcheck schema {kind} -o schemas/{kind}.schema.json"


@pytest.mark.parametrize("kind", KINDS)
def test_schemas_are_valid_draft_2020_12_with_id_and_title(kind: str) -> None:
    document = schema(kind)
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["$id"].startswith(f"urn:credcheck:schema:{kind}") and document["title"]


def claims_files() -> list[Path]:
    found = [p for p in sorted((ROOT / "examples").rglob("*.yaml")) if "claims" in yaml_tree(p)]
    assert found, "no example claims files found"
    return found


@pytest.mark.parametrize("path", claims_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_example_claims_file_validates_and_names_its_schema(path: Path) -> None:
    assert errors("claims", yaml_tree(path)) == []
    if path.name == "draft.yaml":
        return  # `credcheck extract` output, kept byte-exact: it cannot know where the schema will live
    first = path.read_text(encoding="utf-8").splitlines()[0]
    relative = Path(os.path.relpath(SHIPPED / "claims.schema.json", path.parent)).as_posix()
    assert first == f"# yaml-language-server: $schema={relative}"


@pytest.mark.parametrize("path", sorted((ROOT / "rubrics").glob("*.yaml")), ids=lambda p: p.name)
def test_every_bundled_rubric_validates(path: Path) -> None:
    assert errors("rubric", yaml_tree(path)) == []


def test_scaffolded_files_validate_against_their_schemas() -> None:
    files = plan("desk")
    tree = {rel: load_yaml(text.encode(), rel) for rel, text in files.items() if rel.endswith(".yaml") and "pre-commit" not in rel}
    assert errors("claims", tree["claims.yaml"]) == []
    assert errors("rubric", tree["rubrics/desk.yaml"]) == []
    assert json.loads(files["schemas/claims.schema.json"])["$id"] == "urn:credcheck:schema:claims:desk"


# The schema and the validator agree on what is wrong (where JSON Schema can say it).
BAD_CLAIMS = [
    ({"claims": [{"id": "a"}]}, "claims.0: 'text' is a required property"),
    ({"claims": [{"id": "a", "text": "x", "reports": [{"source": "s", "stance": "denies"}]}]},
     "claims.0.reports.0.stance: 'denies' is not one of ['supports', 'refutes', 'neutral']"),
    ({"sources": [{"id": "s", "name": "S", "type": "blogger"}], "claims": []}, "sources.0.type: 'blogger' is not one of"),
    ({"claims": [], "titel": "x"}, "Additional properties are not allowed ('titel' was unexpected)"),
]


@pytest.mark.parametrize("document,message", BAD_CLAIMS, ids=["missing-text", "stance", "source-type", "unknown-key"])
def test_schema_and_validator_reject_the_same_claims_files(document: Any, message: str, tmp_path: Path) -> None:
    found = errors("claims", document)
    assert any(message in e for e in found), found
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(document), encoding="utf-8")  # JSON is YAML: the validator reads it too
    with pytest.raises(CredcheckError):
        load_claims(path, load_rubric("default"))


def test_rubric_schema_requires_everything_unless_the_rubric_extends_another() -> None:
    partial = {"criteria": {"source": {"types": {"blog": {"reliability": "E"}}}}}
    assert "criteria.source: 'holds_up' is a required property" in errors("rubric", partial)
    assert errors("rubric", {"extends": "default", **partial}) == []
    assert errors("rubric", {"extends": "default", "criteria": {"source": {"holds_up": {"A": 2}}}}) == [
        "criteria.source.holds_up.A: 2 is greater than the maximum of 0.99"]


def test_rubric_schema_describes_examples() -> None:
    bad = {"extends": "default", "examples": {"claims": [{"id": "a", "text": "x", "expect": {"admiralty": "G7"}}]}}
    (error,) = errors("rubric", bad)
    assert error.startswith("examples.claims.0.expect.admiralty: 'G7' is not one of")


def test_schema_command_rejects_an_unknown_kind_and_writes_files(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "claim"])
    assert result.exit_code == 2
    assert result.stderr == "error: unknown schema 'claim'; expected one of: claims, sources, rubric\n"
    target = tmp_path / "s.json"
    assert runner.invoke(app, ["schema", "sources", "-o", str(target)]).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "credcheck sources file"


def test_sources_schema_takes_a_mapping_or_a_bare_list() -> None:
    source = {"id": "s", "name": "S", "type": "ngo"}
    assert errors("sources", {"sources": [source]}) == []
    assert errors("sources", [source]) == []
    assert errors("sources", [{**source, "type": "blog"}]) != []
