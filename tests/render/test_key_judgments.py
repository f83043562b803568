"""The brief an analyst would sign: key judgments up front, ICD 203 wording, drafts marked, points that add up."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from credcheck import assess, load_claims, load_rubric
from credcheck.cli.app import app
from credcheck.model import LIKELIHOOD_TERMS
from credcheck.record import replace
from credcheck.render import Report
from credcheck.render import brief as brief_renderer
from credcheck.render.judgments import (clause, confidence_sentence, judgment_sentence, opener,
                                        select_key_judgments)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dmz-desertions" / "claims.yaml"
RUBRIC = load_rubric("default")
runner = CliRunner()


def report_for(path: Path) -> Report:
    claims = load_claims(path, RUBRIC)
    return Report(claims, RUBRIC, assess(claims, RUBRIC))


def unmarked_example(tmp_path: Path) -> Path:
    """The example without its `key:` and `judgment:` lines: key judgments chosen by rule."""
    text = EXAMPLE.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines(keepends=True) if not re.match(r"    (key|judgment): ", line)]
    path = tmp_path / "claims.yaml"
    path.write_text("".join(kept), encoding="utf-8")
    return path


def bluf(text: str) -> list[str]:
    """The bullet lines of the bottom line up front."""
    section = text.split("## Bottom line up front", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("- ")]


# --- wording -------------------------------------------------------------------

@pytest.mark.parametrize("term, expected", [
    ("almost certain", "It is almost certain that"),
    ("very likely", "It is very likely that"),
    ("likely", "It is likely that"),
    ("roughly even chance", "There is a roughly even chance that"),
    ("unlikely", "It is unlikely that"),
    ("very unlikely", "It is very unlikely that"),
    ("almost no chance", "There is almost no chance that"),
])
def test_each_icd_203_term_reads_as_english(term: str, expected: str) -> None:
    assert opener(term) == expected
    assert set(LIKELIHOOD_TERMS) >= {term}


@pytest.mark.parametrize("text, words, expected", [
    ("Front-line KPA units get too little food.", {"front-line"}, "front-line KPA units get too little food"),
    ("Attempts to desert have risen.", {"attempted"}, "attempts to desert have risen"),
    ("Corrupt KPA commanders divert rations.", {"corrupt"}, "corrupt KPA commanders divert rations"),
    ("Constant surveillance drives desertion.", set(), "Constant surveillance drives desertion"),
    ("North Korea has tightened controls.", {"north"}, "North Korea has tightened controls"),
    ("Pyongyang has reacted.", set(), "Pyongyang has reacted"),
    ("KPA units are underfed.", {"kpa"}, "KPA units are underfed"),
    ("McCain said so.", {"mccain"}, "McCain said so"),
    ("Some soldiers deserted!", set(), "some soldiers deserted"),
    ("According to defectors, crews worked in shifts.", set(), "according to defectors, crews worked in shifts"),
    ("Colonel Han Seok-min said so.", set(), "Colonel Han Seok-min said so"),
])
def test_a_claim_becomes_a_clause_with_a_sensible_first_letter(text: str, words: set[str], expected: str) -> None:
    assert clause(text, frozenset(words)) == expected


def test_the_claims_judgment_wording_is_used_as_written() -> None:
    assert judgment_sentence("unlikely", "More soldiers desert than before.", frozenset(),
                             "front-line desertions have risen") == "It is unlikely that front-line desertions have risen"


def test_confidence_is_its_own_sentence_never_joined_to_the_likelihood() -> None:
    report = report_for(EXAMPLE)
    lines = bluf(brief_renderer.render(report))
    assert len(lines) == 5
    for line in lines:
        likelihood_sentence, _, rest = line.partition(". ")
        assert "confidence" not in likelihood_sentence
        assert re.match(r"We have (low|moderate|high) confidence in this judgment: .+\.$", rest), rest
        assert not any(re.search(rf"\b{term}\b", rest) for term in LIKELIHOOD_TERMS)
    stated = next(a for a in report.assessments if a.id == "desertions-rising")
    assert stated.confidence is not None
    assert confidence_sentence(stated) == (f"We have {stated.confidence.level} confidence in this judgment: "
                                           f"{'; '.join(stated.confidence.reasons)}.")
    assert confidence_sentence(replace(stated, confidence=None)) == ""  # none stated: no sentence


# --- which judgments ---------------------------------------------------------------

def test_the_bottom_line_holds_the_claims_marked_key() -> None:
    text = brief_renderer.render(report_for(EXAMPLE))
    lines = bluf(text)
    assert len(lines) == 5
    ids = [re.search(r"`([^`]+)`\)\. ", line).group(1) for line in lines]  # type: ignore[union-attr]
    assert set(ids) == {"desertions-rising", "fence-minefield-breaches", "troop-malnourishment",
                        "border-controls-tightened", "repression-drives-desertion"}
    assert any(line.startswith("- It is likely that front-line KPA desertions have risen over the past several months "
                               "(B2, 67%, `desertions-rising`). We have low confidence in this judgment: ") for line in lines)
    assert "Key judgments: the claims marked `key: true`." in text
    assert "10 other judged claims are graded in the summary below." in text


def test_the_limit_keeps_the_best_graded_of_the_marked_and_says_how_many_more() -> None:
    text = brief_renderer.render(report_for(EXAMPLE), key_judgments=2)
    assert len(bluf(text)) == 2
    assert "(the 2 best graded; 3 more are in the summary)" in text


def test_without_marks_a_documented_rule_chooses(tmp_path: Path) -> None:
    report = report_for(unmarked_example(tmp_path))
    claims = {c.id: c for c in report.claims.claims}
    chosen = select_key_judgments(report.assessments, claims, 5)
    assert not chosen.marked and chosen.min_lines == 2
    assert len(chosen.chosen) == 5
    lines_of = {a.id: len(a.supporting) + len(a.refuting) for a in report.assessments}
    assert all(lines_of[a.id] >= 2 and a.credibility <= 5 for a in chosen.chosen)
    # the judgments furthest from even chance: none left out is more decisive than one chosen
    from credcheck.render.judgments import decisiveness
    left_out = [a for a in report.assessments if a.credibility <= 5 and lines_of[a.id] >= 2 and a not in chosen.chosen]
    assert min(map(decisiveness, chosen.chosen)) >= max(map(decisiveness, left_out), default=-1)
    text = brief_renderer.render(report)
    assert "Key judgments chosen by credcheck: of the claims with at least 2 independent lines of reporting" in text
    assert len(bluf(text)) == 5


def test_single_line_claims_are_taken_when_no_claim_has_two(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text("sources:\n  - {id: w, name: W, type: wire_service}\nclaims:\n"
                    "  - {id: a, text: One thing happened., reports: [{source: w}]}\n"
                    "  - {id: b, text: Nobody says this.}\n")
    text = brief_renderer.render(report_for(path))
    assert bluf(text)[0].startswith("- ") and "`a`" in bluf(text)[0]
    assert "at least 1 independent line of reporting" in text
    assert "No judgment is made on 1 claim that nobody reports: `b`." in text


def test_a_key_claim_nobody_reports_is_named_without_a_likelihood(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text("claims:\n  - {id: a, text: The regime will respond., key: true}\n")
    lines = bluf(brief_renderer.render(report_for(path)))
    assert lines == ["- No judgment is made on whether the regime will respond: nobody reports it (F6, `a`)."]


def test_key_judgments_option(tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    result = runner.invoke(app, ["score", str(EXAMPLE), "-q", "--brief", str(out), "--key-judgments", "3"])
    assert result.exit_code == 0, result.stderr
    assert len(bluf(out.read_text(encoding="utf-8"))) == 3


def test_the_summary_shows_claim_ids() -> None:
    text = brief_renderer.render(report_for(EXAMPLE))
    assert "| Grade | ID | Claim | Likelihood | Probability | Confidence | Flags |" in text
    assert "| **B2** | `desertions-rising` |" in text


# --- dates and drafts ---------------------------------------------------------------

def test_an_undated_file_never_says_as_of_undated(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text("claims:\n  - {id: a, text: Something happened.}\n")
    text = brief_renderer.render(report_for(path))
    assert "undated" not in text and "as of" not in text
    assert "**Source credibility assessment** · 1 claim · rubric default" in text


def test_unreviewed_drafts_make_a_draft_brief(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "  - id: sea-route-desertions\n", "  - id: sea-route-desertions\n    draft: true\n")
    path = tmp_path / "claims.yaml"
    path.write_text(text, encoding="utf-8")
    brief = brief_renderer.render(report_for(path))
    assert brief.startswith("# DRAFT: KPA desertions along the DMZ\n")
    section = brief.split("## Bottom line up front", 1)[1].split("\n## ", 1)[0]
    assert "**DRAFT.** 1 of 17 claims are unreviewed drafts" in section
    assert re.search(r"^\| \*\*[A-F][1-6]\*\* \| `sea-route-desertions` \(draft\) \|", brief, re.M)
    assert "- **Draft:** not yet reviewed by an analyst (`draft: true`)." in brief
    assert "DRAFT" not in brief_renderer.render(report_for(EXAMPLE))


def test_a_draft_key_judgment_says_so(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text("sources:\n  - {id: w, name: W, type: wire_service}\n"
                    "claims:\n  - {id: a, text: One thing happened., key: true, draft: true, reports: [{source: w}]}\n")
    assert re.search(r"\([A-F][1-5], [0-9.]+%, `a`, draft\)\. ", bluf(brief_renderer.render(report_for(path)))[0])


# --- explanations ------------------------------------------------------------------

def criteria_tables(text: str) -> list[tuple[list[float], float]]:
    """(decibans of the prior and of each criterion, the sum printed under them) for every judged claim."""
    found = []
    for block in text.split("| Criterion | dB | Why |")[1:]:
        lines = block.splitlines()[2:]
        rows = lines[:next(i for i, line in enumerate(lines + [""]) if not line.startswith("|"))]
        if not rows[-1].startswith("| **sum** |"):
            continue  # nobody reports the claim: nothing is summed
        terms = [float(row.split("|")[2]) for row in rows[:-1]]
        found.append((terms, float(rows[-1].split("|")[2].strip().strip("*"))))
    return found


def test_the_decibans_printed_add_up_to_the_sum_printed() -> None:
    report = report_for(EXAMPLE)
    text = brief_renderer.render(report)
    tables = criteria_tables(text)
    assert len(tables) == 15  # every judged claim
    for terms, total in tables:
        assert round(sum(terms), 1) == total
    weighings = text.split("Weight of evidence, in decibans (the terms add up to the sum):\n")[1:]
    assert len(weighings) == 15
    for block in weighings:
        lines = [line[2:] for line in block.splitlines() if line.startswith("- ")]
        lines = lines[:next(i for i, line in enumerate(lines) if line.startswith("sum ")) + 1]
        terms = [float(line.split(" dB")[0].split()[-1]) for line in lines[:-1]]
        assert round(sum(terms), 1) == float(lines[-1].split()[1])


def test_rules_that_changed_nothing_are_listed_apart() -> None:
    text = brief_renderer.render(report_for(EXAMPLE))
    assert "Rules that held but changed nothing: `confirmed-needs-two-lines` (cap 2)." in text
    assert "Rules applied" not in text and "(grade already within it)" not in text


def test_common_gaps_are_listed_once_and_phrased_as_what_to_collect() -> None:
    report = report_for(EXAMPLE)
    text = brief_renderer.render(report)
    priorities = text.split("## Collection priorities", 1)[1].split("\n## ", 1)[0]
    assert "- verified imagery (17 of 17 claims)" in priorities
    collect = [line for line in text.splitlines() if line.startswith("Collect next: ")]
    assert collect and not any("verified imagery" in line for line in collect)
    assert not any(re.search(r"\bno verified\b|\bno first-hand\b", line) for line in collect)
    assert len(set(collect)) > 1  # what remains is particular to each claim
