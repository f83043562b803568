"""STIX 2.1, MISP and ClaimReview output: valid for their consumers, graded as CONTRACT.md 7.3 says, byte-stable."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from credcheck import assess, load_claims, load_rubric
from credcheck.cli.app import app
from credcheck.record import Record
from credcheck.render import Report, claimreview, misp
from credcheck.render.interop import (FIXED_TIME, NAMESPACE, STIX_CONFIDENCE, confidence_level, moment, stable_uuid,
                                      taxonomy_tags)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dmz-desertions" / "claims.yaml"
VOCABULARIES = json.loads((Path(__file__).parents[1] / "data" / "misp-vocabularies.json").read_text(encoding="utf-8"))
RUBRIC = load_rubric("default")
runner = CliRunner()

HOSTILE = """\
sources:
  - {id: s1, name: "Wire <script>alert(1)</script>", type: wire_service, owner: "Owner \\u202e evil"}
  - {id: s2, name: "Outlet | pipe", type: news_outlet, derived_from: [s1]}
  - {id: s3, name: "Rubric-less type", type: unknown, reliability: E}
claims:
  - id: "weird id \\"quoted\\""
    text: "A | B\\nsecond line <b>bold</b> `code` ${x} \\u202e reversed 한국어"
    reports: [{source: s1}, {source: s2, via: [s1]}, {source: s3, stance: refutes, access: first_hand}]
  - id: unreported
    text: Nobody reports this.
"""


def report_for(path: Path) -> Report:
    claims = load_claims(path, RUBRIC)
    return Report(claims, RUBRIC, assess(claims, RUBRIC))


@pytest.fixture(scope="module")
def example() -> Report:
    return report_for(EXAMPLE)


@pytest.fixture
def hostile(tmp_path: Path) -> Report:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return report_for(path)


# --- shared decisions -------------------------------------------------------------

def test_the_namespace_is_the_one_its_comment_names() -> None:
    assert NAMESPACE == uuid.uuid5(uuid.NAMESPACE_URL, "urn:credcheck:interop")
    assert stable_uuid("note", "a") == stable_uuid("note", "a") != stable_uuid("note", "b")
    assert stable_uuid("note", "a", "b") != stable_uuid("note", "a b")


@pytest.mark.parametrize("as_of, expected", [
    ("2026-11-20", datetime(2026, 11, 20, tzinfo=timezone.utc)),
    ("2026-11-20T10:30:00+02:00", datetime(2026, 11, 20, 8, 30, tzinfo=timezone.utc)),
    ("2026-11-20T10:30:00Z", datetime(2026, 11, 20, 10, 30, tzinfo=timezone.utc)),
    ("2026-11-20 10:30", datetime(2026, 11, 20, 10, 30, tzinfo=timezone.utc)),
    (None, FIXED_TIME), ("", FIXED_TIME), ("November 2026", FIXED_TIME), ("2026-02-30", FIXED_TIME),
    ("2026-11", FIXED_TIME),
])
def test_times_come_from_as_of_or_the_fixed_value(as_of: str | None, expected: datetime) -> None:
    assert moment(as_of) == expected


def test_stix_confidence_is_appendix_b_for_the_admiralty_scale() -> None:
    assert STIX_CONFIDENCE == {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}


class Graded(Record):
    """An assessment as the scoring model with probability and confidence will give it."""

    reliability: str
    credibility: int
    likelihood: str | None
    confidence: Any = None


class Confidence(Record):
    level: str
    reasons: tuple[str, ...] = ()


def test_tags_are_spelled_as_the_contract_says() -> None:
    assert taxonomy_tags(Graded("B", 3, "roughly even chance")) == [  # type: ignore[arg-type]
        'admiralty-scale:source-reliability="b"',
        'admiralty-scale:information-credibility="3"',
        'estimative-language:likelihood-probability="roughly-even-chance"',
    ]
    assert taxonomy_tags(Graded("F", 6, None)) == [  # type: ignore[arg-type]
        'admiralty-scale:source-reliability="f"', 'admiralty-scale:information-credibility="6"']
    with_confidence = Graded("A", 1, "almost certain", Confidence("moderate", ("two lines",)))
    assert confidence_level(with_confidence) == "moderate"  # type: ignore[arg-type]
    assert taxonomy_tags(with_confidence)[-1] == 'estimative-language:confidence-in-analytic-judgment="moderate"'  # type: ignore[arg-type]


TAG = re.compile(r'^([a-z-]+):([a-z-]+)="([^"]+)"$')


def assert_in_taxonomies(tag: str) -> None:
    namespace, predicate, value = TAG.fullmatch(tag).groups()  # type: ignore[union-attr]
    assert value in VOCABULARIES["taxonomies"][namespace]["predicates"][predicate], tag


def test_every_grade_has_tags_the_taxonomies_define() -> None:
    from credcheck.model import LIKELIHOOD_TERMS, RELIABILITY_LABELS
    for letter in RELIABILITY_LABELS:
        for code in range(1, 7):
            for term in (*LIKELIHOOD_TERMS, None):
                for level in ("low", "moderate", "high"):
                    for tag in taxonomy_tags(Graded(letter, code, term, Confidence(level))):  # type: ignore[arg-type]
                        assert_in_taxonomies(tag)


# --- STIX 2.1 -----------------------------------------------------------------------

def stix_text(report: Report) -> str:
    pytest.importorskip("stix2")
    from credcheck.render import stix
    return stix.render(report)


def assert_valid_stix(text: str) -> None:
    """Valid in strict mode (recommendations are errors), and under the STIX interoperability profile too."""
    validator = pytest.importorskip("stix2validator")
    for interop in (False, True):
        options = validator.ValidationOptions(version="2.1", strict=True, enforce_refs=True, interop=interop)
        result = validator.validate_string(text, options)
        assert result.is_valid, json.dumps(result.as_dict(), indent=1)


def objects(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [o for o in bundle["objects"] if o["type"] == kind]


def test_example_bundle_passes_the_validator_in_strict_mode(example: Report) -> None:
    assert_valid_stix(stix_text(example))


def test_hostile_and_unreported_claims_still_make_a_valid_bundle(hostile: Report) -> None:
    text = stix_text(hostile)
    assert_valid_stix(text)
    assert "\\u202e" in text and "\u202e" not in text  # bidi escaped as in credcheck's JSON
    bundle = json.loads(text)
    notes = {n["extensions"][next(iter(n["extensions"]))]["claim_id"]: n for n in objects(bundle, "note")}
    assert notes['weird id "quoted"']["content"] == hostile.claims.claims[0].text
    run = objects(bundle, "report")[0]
    assert notes["unreported"]["object_refs"] == [run["id"]]  # nobody reports it: it belongs to the run
    assert "confidence" not in notes["unreported"]  # credibility 6: no confidence (Appendix B)
    assert run["name"] == "Source credibility assessment" and run["published"].startswith("1970-01-01")  # no title, no as_of


def test_notes_carry_text_grade_term_and_appendix_b_confidence(example: Report) -> None:
    bundle = json.loads(stix_text(example))
    notes = objects(bundle, "note")
    assert len(notes) == len(example.assessments)
    by_text = {n["content"]: n for n in notes}
    seen = set()
    for a in example.assessments:
        note = by_text[a.text]
        fields = next(iter(note["extensions"].values()))
        assert fields["admiralty"] == a.admiralty and fields["credibility"] == a.credibility
        assert fields.get("likelihood") == a.likelihood
        assert note.get("confidence") == {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}.get(a.credibility)
        assert note["labels"] == taxonomy_tags(a)
        assert a.admiralty in note["abstract"]
        seen.add(a.credibility)
    assert {2, 3, 4, 6} <= seen  # the example exercises a confidence and its absence


def test_each_report_is_a_relationship_from_the_claim_to_its_source(example: Report) -> None:
    bundle = json.loads(stix_text(example))
    identities = {next(iter(i["extensions"].values()))["source_id"]: i["id"]
                  for i in objects(bundle, "identity") if i["identity_class"] != "system"}
    assert set(identities) == set(example.claims.sources)
    notes = {n["content"]: n["id"] for n in objects(bundle, "note")}
    related = [r for r in objects(bundle, "relationship") if r["relationship_type"] == "related-to"]
    expected = sorted((notes[c.text], identities[rep.source], rep.stance) for c in example.claims.claims for rep in c.reports)
    found = sorted((r["source_ref"], r["target_ref"], next(iter(r["extensions"].values()))["stance"]) for r in related)
    assert found == expected
    derived = [(r["source_ref"], r["target_ref"]) for r in objects(bundle, "relationship") if r["relationship_type"] == "derived-from"]
    assert (identities["seoul-daily"], identities["yonhap"]) in derived
    run = objects(bundle, "report")[0]
    assert run["name"] == example.claims.title and run["published"].startswith("2026-11-20")
    assert set(run["object_refs"]) >= set(notes.values()) | {r["id"] for r in related}


def test_ids_are_name_based_uuid4_and_times_are_as_of(example: Report) -> None:
    bundle = json.loads(stix_text(example))
    for obj in bundle["objects"]:
        assert uuid.UUID(obj["id"].split("--")[1]).version == 4
        assert obj["created"] == obj["modified"] == "2026-11-20T00:00:00.000Z"
    from credcheck.render.stix import stix_id
    assert objects(bundle, "note")[0]["id"] == stix_id("note", "title:" + example.claims.title, example.assessments[0].id)


def test_a_source_keeps_its_identity_across_files_and_a_claim_its_note_across_runs(tmp_path: Path) -> None:
    base = "title: T\nas_of: {as_of}\nsources: [{{id: s, name: {name}, type: wire_service}}]\nclaims: [{{id: c, text: '{text}', reports: [{{source: s}}]}}]\n"
    bundles = []
    for i, (as_of, name, text) in enumerate([("2026-01-01", "Wire", "One."), ("2026-02-01", "Wire", "One, revised."),
                                              ("2026-02-01", "Other wire", "One.")]):
        path = tmp_path / f"c{i}.yaml"
        path.write_text(base.format(as_of=as_of, name=name, text=text), encoding="utf-8")
        bundles.append(json.loads(stix_text(report_for(path))))
    (note0,), (note1,), _ = (objects(b, "note") for b in bundles)
    assert note0["id"] == note1["id"] and note0["modified"] < note1["modified"]  # a newer version of one note
    sources = [[i["id"] for i in objects(b, "identity") if i["identity_class"] != "system"] for b in bundles]
    assert sources[0] == sources[1] != sources[2]  # same id and name: one identity; renamed: another


def test_docs_and_the_extension_definition_name_every_added_property(example: Report, hostile: Report) -> None:
    from credcheck.render.stix import EXTENSION_SCHEMA
    docs = (ROOT / "docs" / "interop.md").read_text(encoding="utf-8")
    names = set()
    for report in (example, hostile):
        for obj in json.loads(stix_text(report))["objects"]:
            for fields in obj.get("extensions", {}).values():
                names.update(fields)
    names.discard("extension_type")
    assert {"admiralty", "source_id", "stance", "status"} <= names
    for name in names:
        assert f"`{name}`" in docs and name in EXTENSION_SCHEMA, name


def test_without_the_stix_extra_exit_2_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "stix2", None)  # import stix2 now raises ImportError
    result = runner.invoke(app, ["score", str(EXAMPLE), "--format", "stix"])
    assert result.exit_code == 2
    assert result.stderr == 'error: --format stix: STIX output needs the stix extra: pip install -e ".[stix]"\n'
    assert result.stdout == ""


# --- MISP -----------------------------------------------------------------------------

def test_misp_claims_are_tagged_with_taxonomy_values(example: Report) -> None:
    event = json.loads(misp.render(example))["Event"]
    by_value = {a["value"]: a for a in event["Attribute"] if a["type"] == "text"}
    assert len(by_value) == len(example.assessments)
    for a in example.assessments:
        tags = [t["name"] for t in by_value[a.text]["Tag"]]
        assert tags[:2] == [f'admiralty-scale:source-reliability="{a.reliability.lower()}"',
                            f'admiralty-scale:information-credibility="{a.credibility}"']
        if a.likelihood:
            assert tags[2] == f'estimative-language:likelihood-probability="{a.likelihood.replace(" ", "-")}"'
        for tag in tags:
            assert_in_taxonomies(tag)
    assert event["info"] == example.claims.title and event["date"] == "2026-11-20"
    assert event["timestamp"] == str(int(datetime(2026, 11, 20, tzinfo=timezone.utc).timestamp()))
    assert event["published"] is False and event["distribution"] == "0"


def test_misp_sources_are_source_assessment_objects_linked_to_their_claims(example: Report) -> None:
    event = json.loads(misp.render(example))["Event"]
    template = VOCABULARIES["object_templates"]["intelligence-source-assessment"]
    claim_uuid = {a["value"]: a["uuid"] for a in event["Attribute"] if a["type"] == "text"}
    assert len(event["Object"]) == len(example.claims.sources)
    references = []
    for obj in event["Object"]:
        assert (obj["name"], obj["template_uuid"], obj["template_version"]) == (template["name"], template["uuid"], str(template["version"]))
        for attribute in obj["Attribute"]:
            spec = template["attributes"][attribute["object_relation"]]
            assert attribute["type"] == spec["misp-attribute"]
            assert attribute["value"] in spec.get("values_list", [attribute["value"]])
        fields = {a["object_relation"]: a["value"] for a in obj["Attribute"]}
        references += [(fields["source-id"], r["referenced_uuid"], r["relationship_type"]) for r in obj["ObjectReference"]]
    stance = {"supports": "supports", "refutes": "refutes", "neutral": "mentions"}
    expected = sorted((rep.source, claim_uuid[c.text], stance[rep.stance]) for c in example.claims.claims for rep in c.reports)
    assert sorted(references) == expected


def test_pymisp_loads_the_event_as_misp_would(example: Report, hostile: Report) -> None:
    pymisp = pytest.importorskip("pymisp")
    for report in (example, hostile):
        event = pymisp.MISPEvent()
        event.load(misp.render(report))  # raises on an unknown attribute type or a category the type forbids
        assert len([a for a in event.attributes if a.type == "text"]) == len(report.assessments)
        assert len(event.objects) == len(report.claims.sources)
        assert all(o.name == "intelligence-source-assessment" for o in event.objects)
        tags = {t.name for a in event.attributes for t in a.tags}
        assert tags and all(TAG.fullmatch(t) for t in tags)
        allowed = pymisp.abstract.describe_types["category_type_mappings"]  # pymisp checks types, MISP categories too
        for attribute in [*event.attributes, *(a for o in event.objects for a in o.attributes)]:
            assert attribute.type in allowed[attribute.category], (attribute.type, attribute.category)


# --- ClaimReview ------------------------------------------------------------------------

def test_claimreview_fields(example: Report) -> None:
    reviews = json.loads(claimreview.render(example))
    assert isinstance(reviews, list) and len(reviews) == len(example.assessments)
    by_text = {r["claimReviewed"]: r for r in reviews}
    for a in example.assessments:
        review = by_text[a.text]
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert review["identifier"] == a.id and review["datePublished"] == "2026-11-20"
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating" and (rating["bestRating"], rating["worstRating"]) == (5, 1)
        if a.credibility <= 5:
            assert rating["ratingValue"] == 6 - a.credibility and rating["alternateName"] == a.likelihood
        else:
            assert "ratingValue" not in rating and rating["alternateName"] == "Truth cannot be judged"
        assert a.admiralty in rating["ratingExplanation"]
        assert review["itemReviewed"]["@type"] == "Claim"
    breaches = by_text[next(a.text for a in example.assessments if a.id == "fence-minefield-breaches")]
    authors = [p["identifier"] for p in breaches["itemReviewed"]["author"]]
    assert authors == ["jcs", "defector-1", "defector-2"]


def test_claimreview_leaves_out_the_date_when_there_is_no_as_of(hostile: Report) -> None:
    reviews = json.loads(claimreview.render(hostile))
    assert all("datePublished" not in r for r in reviews)
    refuted = reviews[0]["itemReviewed"]
    assert [p["identifier"] for p in refuted["author"]] == ["s1", "s2"]  # s3 refutes: not an author of the claim


# --- all three ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["stix", "misp", "claimreview"])
def test_same_input_same_bytes_through_the_cli(fmt: str, tmp_path: Path) -> None:
    if fmt == "stix":
        pytest.importorskip("stix2")
    outputs = []
    for name in ("one.json", "two.json"):
        result = runner.invoke(app, ["score", str(EXAMPLE), "--format", fmt, "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    json.loads(outputs[0])
    stdout = runner.invoke(app, ["score", str(EXAMPLE), "--format", fmt])
    assert stdout.exit_code == 0 and stdout.stdout.encode() == outputs[0]


@pytest.mark.slow  # a process; the start-up import budget everyday: tests/cli/test_cli.py (rich, jinja2, json)
def test_score_json_imports_none_of_the_format_libraries() -> None:
    """--format json starts as before: stix2, pandoc and the new renderers load only for their formats."""
    code = ("import sys; from credcheck.cli.app import main; sys.argv = ['credcheck', 'score', sys.argv[1], '--format', 'json', "
            "'-o', '/dev/null']\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('stix2', 'pypandoc', 'typst', 'docx', 'pymisp')"
            " or m.startswith(('credcheck.render.stix', 'credcheck.render.misp', 'credcheck.render.claimreview',"
            " 'credcheck.render.document', 'credcheck.render.interop'))))")
    done = subprocess.run([sys.executable, "-c", code, str(EXAMPLE)], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
