"""JSON Schemas for the files analysts and teams edit, from the validator's own definitions.

The claims and sources schemas come from claims.schemas() with a rubric's
vocabulary (source and evidence types); the rubric schema from rubric.RUBRIC
(with examples.examples_schema inside it). Nothing is written twice, so an
editor that validates as you type agrees with `credcheck validate`, except
for what JSON Schema cannot say (cross-references, cycles, band gaps).

A rubric that `extends` another gives only what it changes, so the rubric
schema drops every `required` for such a file (its parent supplies them).
"""
from __future__ import annotations

import json
from typing import Any, Callable
from urllib.parse import quote

from credcheck.load.claims import schemas
from credcheck.rubric.model import RUBRIC, Rubric
from credcheck.load.schema import ListOf

DRAFT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("claims", "sources", "rubric")


def _header(kind: str, title: str, description: str, rubric: Rubric | None = None) -> dict[str, Any]:
    suffix = f":{quote(rubric.name, safe='')}" if rubric is not None else ""
    return {"$schema": DRAFT, "$id": f"urn:credcheck:schema:{kind}{suffix}", "title": title, "description": description}


def claims_schema(rubric: Rubric) -> dict[str, Any]:
    out = _header("claims", "credcheck claims file",
                  f"Claims, their reports and evidence, and the sources behind them (vocabulary of rubric {rubric.name})."
                  " Validate with: credcheck validate FILE", rubric)
    out.update(schemas(rubric.source_types, rubric.evidence_types).claims_file.json_schema())
    return out


def sources_schema(rubric: Rubric) -> dict[str, Any]:
    s = schemas(rubric.source_types, rubric.evidence_types)
    out = _header("sources", "credcheck sources file",
                  f"Sources for credcheck score --sources: a mapping with a sources list, or the list itself "
                  f"(vocabulary of rubric {rubric.name}).", rubric)
    out["anyOf"] = [s.sources_file.json_schema(), ListOf(s.source).json_schema()]
    return out


def rubric_schema() -> dict[str, Any]:
    out = _header("rubric", "credcheck rubric",
                  "Criteria, rules and bands that grade claims. A rubric with `extends` gives only what it changes.")
    complete = RUBRIC.json_schema()
    out["$defs"] = {"complete": complete, "overlay": _without_required(complete, keep=("examples",))}
    out["if"] = {"required": ["extends"]}
    out["then"] = {"$ref": "#/$defs/overlay"}
    out["else"] = {"$ref": "#/$defs/complete"}
    return out


def _without_required(schema: Any, keep: tuple[str, ...] = ()) -> Any:
    """A copy with no `required` anywhere, except under the properties named in `keep`."""
    if isinstance(schema, list):
        return [_without_required(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "required":
            continue
        if key == "properties":
            out[key] = {name: (sub if name in keep else _without_required(sub)) for name, sub in value.items()}
        else:
            out[key] = _without_required(value)
    return out


GENERATORS: dict[str, Callable[[Rubric], dict[str, Any]]] = {
    "claims": claims_schema,
    "sources": sources_schema,
    "rubric": lambda rubric: rubric_schema(),
}


def generate(kind: str, rubric: Rubric) -> str:
    """The schema of one kind of file as JSON text, the same bytes for the same rubric."""
    return json.dumps(GENERATORS[kind](rubric), indent=2, ensure_ascii=False) + "\n"
