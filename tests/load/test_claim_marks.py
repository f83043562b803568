"""`judgment`, `key` and `draft` on claims (CONTRACT.md section 7.1): every reader takes them, drafts stay ungraded."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credcheck import CredcheckError, load_claims, load_rubric
from credcheck.load import claims as claims_module
from credcheck.cli.app import app
from credcheck.load.claims import read_fast
from credcheck.load.contract import Vocabulary
from credcheck.load.located_yaml import DEFAULT_LIMITS

RUBRIC = load_rubric("default")
VOCABULARY = Vocabulary.of(RUBRIC)
runner = CliRunner()

DRAFTED = """\
title: Drafted
sources:
  - {id: wire, name: A wire service, type: wire_service}
  - {id: nis, name: South Korean intelligence, type: intelligence_service, reliability: B}
claims:
  - id: reviewed
    text: Desertions of front-line KPA soldiers have increased in recent months.
    judgment: front-line desertions have increased in recent months
    key: true
    reports: [{source: nis, access: first_hand}, {source: wire}]
  - id: drafted
    text: The regime has tightened border controls.
    draft: true
    reports: [{source: nis}]
"""


def as_json(text: str) -> str:
    import yaml
    return json.dumps(yaml.safe_load(text))


def as_jsonl(text: str) -> str:
    import yaml
    doc = yaml.safe_load(text)
    return "\n".join(json.dumps(r) for r in [{"title": doc["title"]}, {"sources": doc["sources"]}, *doc["claims"]]) + "\n"


@pytest.mark.parametrize("name,convert", [("claims.yaml", str), ("claims.json", as_json), ("claims.jsonl", as_jsonl)])
def test_every_reader_takes_the_marks_and_the_fast_path_keeps_them(name: str, convert) -> None:  # type: ignore[no-untyped-def]
    data = convert(DRAFTED).encode()
    fmt = claims_module.detect_format(name)
    fast = read_fast(data, name, fmt, "claims", VOCABULARY, DEFAULT_LIMITS)
    located, _ = claims_module._read_located((data, name, fmt), [], VOCABULARY, DEFAULT_LIMITS, None, None, None)
    assert fast.claims is not None and located.claims is not None
    for claims in (fast.claims, located.claims):
        reviewed, drafted = claims
        assert (reviewed.judgment, reviewed.key, reviewed.draft) == (
            "front-line desertions have increased in recent months", True, False)
        assert (drafted.judgment, drafted.key, drafted.draft) == (None, False, True)
    strip = (lambda c: c.__class__(**{**{f: getattr(c, f) for f in c.__slots__}, "pos": None, "reports": ()}))
    assert [strip(c) for c in fast.claims] == [strip(c) for c in located.claims]


def test_a_mark_that_is_not_true_or_false_is_located(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text("claims:\n  - id: a\n    text: Something happened.\n    draft: maybe\n    judgment: ''\n")
    with pytest.raises(CredcheckError) as caught:
        load_claims(path, RUBRIC)
    messages = [str(p).replace(f"{tmp_path}/", "") for p in caught.value.problems]
    assert len(messages) == 2
    assert messages[0].startswith("claims.yaml:4:12: claims[0].draft: ")
    assert messages[1].startswith("claims.yaml:5:15: claims[0].judgment: ")


def test_the_assessment_knows_it_is_a_draft(tmp_path: Path) -> None:
    from credcheck import assess
    path = tmp_path / "claims.yaml"
    path.write_text(DRAFTED)
    assert [a.draft for a in assess(load_claims(path, RUBRIC), RUBRIC)] == [False, True]


def test_fail_under_counts_an_unreviewed_draft_as_ungraded(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text(DRAFTED)
    reviewed_only = tmp_path / "reviewed.yaml"
    reviewed_only.write_text(DRAFTED.replace("    draft: true\n", ""))
    assert runner.invoke(app, ["score", str(reviewed_only), "-q", "--fail-under", "5"]).exit_code == 0
    result = runner.invoke(app, ["score", str(path), "--fail-under", "5", "-f", "json", "-o", str(tmp_path / "out.json")])
    assert result.exit_code == 1
    assert "1 claim graded worse than credibility 5: drafted (draft, ungraded)" in result.stderr
