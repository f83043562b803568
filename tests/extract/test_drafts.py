"""`credcheck extract`: articles in, draft claims files out, that validate and score as they stand."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import examples
from credcheck.cli.app import app
from credcheck.extract.drafts import claim_slug, extract, render_draft, yaml_scalar
from credcheck.rubric.signals import signals
from credcheck.rubric.lexicon import load_lexicon
from credcheck.extract.prose import Block, blocks, sentences
from credcheck.rubric.model import load_rubric
from credcheck.load.located_yaml import load_yaml
from extract.quality import find_seed

REPO = Path(__file__).resolve().parents[2]
SEED = find_seed() or REPO / "missing-seed-article.txt"  # not bundled: found above the repository, if anywhere
EXAMPLE = REPO / "examples" / "border-tunnel"
LEX = load_lexicon()
RUBRIC = load_rubric("default")
TREND = "anecdotal evidence suggests that the frequency of desertions is on the rise"

needs_seed = pytest.mark.skipif(not SEED.is_file(), reason="the seed article is not next to this repository")


def run(*args: str, input: str | bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)


def draft_of(text: str, markdown: bool = False, name: str = "a.txt"):  # type: ignore[no-untyped-def]
    return extract(text, name, LEX, RUBRIC.source_types, markdown)


# --- the seed article ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_draft():  # type: ignore[no-untyped-def]
    if not SEED.is_file():
        pytest.skip("the seed article is not next to this repository")
    return draft_of(SEED.read_text(encoding="utf-8"), name=str(SEED))


@needs_seed
def test_seed_gives_many_claims_and_no_heading_or_boilerplate(seed_draft) -> None:  # type: ignore[no-untyped-def]
    assert len(seed_draft.claims) >= 15
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    headings = [line for line in lines if not line.endswith((".", "?", "!", '"', "\u201d"))]
    assert "Introduction" in headings and "Leave a Comment" in headings and "close" in headings
    texts = {c.text for c in seed_draft.claims}
    assert not texts & set(headings)
    assert all(c.text.endswith((".", "!", '"', "\u201d")) for c in seed_draft.claims)
    assert seed_draft.title == "North Korean Troops Desert Front Line: Rising Concerns Across the Korean Peninsula"
    reasons = {(s.text, s.reason) for s in seed_draft.skipped}
    assert ("Leave a Comment", "boilerplate") in reasons and ("Conclusion", "heading") in reasons


@needs_seed
def test_seed_trend_claim_keeps_its_hedges_and_takes_the_sources_its_section_lists(seed_draft) -> None:  # type: ignore[no-untyped-def]
    [claim] = [c for c in seed_draft.claims if TREND in c.text]
    assert {"anecdotal", "suggests"} <= set(claim.signals.hedging)
    assert "anecdotal evidence" in claim.signals.vague_attribution
    assert claim.id == "frequency-desertions-rise-trend"
    assert claim.sources == ("south-korean-intelligence", "defector-testimonies", "leaks-from-within-north-korea")
    assert {r.line for r in claim.reports} == {11}  # named in the section's second paragraph


@needs_seed
def test_seed_attributions_become_typed_sources_and_vague_words_do_not(seed_draft) -> None:  # type: ignore[no-untyped-def]
    types = {s.name: s.type for s in seed_draft.sources}
    assert types == {"South Korean intelligence": "intelligence_service", "defector testimonies": "defector_testimony",
                     "leaks from within North Korea": "unknown", "the article (dmz-desertions-article.txt)": "news_outlet"}
    [listed] = [c for c in seed_draft.claims if "including South Korean intelligence" in c.text]
    assert listed.sources == ("south-korean-intelligence", "defector-testimonies", "leaks-from-within-north-korea")
    [before] = [c for c in seed_draft.claims if c.text.startswith("Over the past several months")]
    assert before.sources == listed.sources  # 'These accounts' points back to it


@needs_seed
def test_seed_leaves_out_opinion_background_scenarios_and_prescriptions(seed_draft) -> None:  # type: ignore[no-untyped-def]
    texts = " ".join(c.text for c in seed_draft.claims)
    for words in ("steeped in historical tension", "one of the most heavily controlled", "One scenario is",
                  "must increase its vigilance", "This article delves", "troubling sign"):
        assert words not in texts
    reasons = {s.reason.split(":")[0] for s in seed_draft.skipped}
    assert {"opinion", "background", "scenario", "prescription", "meta", "heading", "boilerplate"} <= reasons
    assert {c.pronoun for c in seed_draft.claims if c.pronoun} == {"Some", "Those", "They"}


@needs_seed
def test_seed_draft_validates_and_scores_through_the_cli(tmp_path: Path) -> None:
    out = tmp_path / "draft.yaml"
    result = run("extract", str(SEED), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "claims" in result.stderr and out.is_file()
    checked = run("validate", str(out))
    assert checked.exit_code == 0 and ": ok (" in checked.stderr
    scored = run("score", str(out), "--format", "json")
    assert scored.exit_code == 0
    doc = json.loads(scored.stdout)
    [trend] = [a for a in doc["assessments"] if TREND in a["text"]]
    assert {"hedged", "vague_attribution"} <= set(trend["flags"])
    assert trend["criteria"]["language"]["signals"]["vague_attribution"] == ["anecdotal evidence"]
    assert run("score", str(out), "--format", "md").exit_code == 0


@needs_seed
def test_extract_is_byte_identical_run_to_run() -> None:
    first, second = run("extract", str(SEED), "-q"), run("extract", str(SEED), "-q")
    assert first.exit_code == 0 and first.stdout == second.stdout and first.stdout


# --- the bundled example -------------------------------------------------------------------

def test_example_draft_is_exactly_what_extract_writes() -> None:
    result = run("extract", str(EXAMPLE / "article.md"), "-q")
    assert result.exit_code == 0
    assert result.stdout == (EXAMPLE / "draft.yaml").read_text(encoding="utf-8")


def test_example_draft_and_completed_claims_score() -> None:
    for name in ("draft.yaml", "claims.yaml"):
        result = run("score", str(EXAMPLE / name), "-f", "json")
        assert result.exit_code == 0, result.output
    doc = json.loads(run("score", str(EXAMPLE / "claims.yaml"), "-f", "json").stdout)
    grades = {a["id"]: a["admiralty"] for a in doc["assessments"]}
    assert grades["south-korean-army-engineers"] == "B1"   # JCS plus imagery, verified
    assert grades["united-nations-command-asked"] == "F4"  # unconfirmed, unattributed


def test_example_completed_claims_keep_the_draft_ids() -> None:
    draft = load_yaml((EXAMPLE / "draft.yaml").read_bytes(), "draft.yaml")
    done = load_yaml((EXAMPLE / "claims.yaml").read_bytes(), "claims.yaml")
    assert {c["id"] for c in done["claims"]} <= {c["id"] for c in draft["claims"]}


# --- reading articles --------------------------------------------------------------------------

MARKDOWN = """---
title: "Front matter title"
---
<!-- an editor's note
   over two lines -->
# The Title

Setext heading
--------------

South Korean **officials** said on *Monday* that [two soldiers](https://example.org/x) crossed
the line near `Cheorwon`. ![a photo](p.jpg)

> Defectors said the unit had been without rations for weeks.

- Sources claim the guard post was abandoned.
- Mr. Kim reportedly met Gen. Pak in Kaesong at 3.5 km from the line.

| table | row |
|-------|-----|
| Some cell text here. | x |

```
Code that says nothing was found.
```

Leave a Comment
"""


def test_markdown_is_stripped_to_the_prose_a_reader_sees() -> None:
    parts = blocks(MARKDOWN, LEX, markdown=True)
    assert [(b.kind, b.text) for b in parts if b.kind != "paragraph"] == [
        ("heading", "Front matter title"), ("heading", "The Title"), ("heading", "Setext heading"),
        ("boilerplate", "Leave a Comment")]
    found = [(s.line, s.text) for b in parts if b.kind == "paragraph" for s in sentences(b, LEX)]
    assert found == [
        (11, "South Korean officials said on Monday that two soldiers crossed the line near Cheorwon."),
        (14, "Defectors said the unit had been without rations for weeks."),
        (16, "Sources claim the guard post was abandoned."),
        (17, "Mr. Kim reportedly met Gen. Pak in Kaesong at 3.5 km from the line."),
    ]


def test_markdown_draft_title_comes_from_the_front_matter() -> None:
    assert draft_of(MARKDOWN, markdown=True, name="x.md").title == "Front matter title"


def test_text_headings_without_a_blank_line_and_wrapped_paragraphs() -> None:
    text = ("Introduction\nThe regime reportedly moved two battalions to the border last week, according to\n"
            "officials who asked not to be named. J. Smith of the ministry said so. Was it true?\n")
    parts = blocks(text, LEX)
    assert [(b.kind, b.line) for b in parts] == [("heading", 1), ("paragraph", 2)]
    assert [(s.line, s.text) for s in sentences(parts[1], LEX)] == [
        (2, "The regime reportedly moved two battalions to the border last week, according to officials who asked not to be named."),
        (3, "J. Smith of the ministry said so."),
        (3, "Was it true?")]


def test_ids_are_slugs_of_the_assertion_numbered_in_order_when_repeated() -> None:
    text = "Officials said the guards fled.\n\nOfficials said the guards fled.\n\nThe guards fled, it is believed.\n"
    draft = draft_of(text)
    assert [c.id for c in draft.claims] == ["guards-fled", "guards-fled-2", "guards-fled-3"]
    assert claim_slug("Anecdotal evidence suggests that the frequency of desertions is on the rise.", LEX) == \
        "frequency-desertions-rise"
    assert claim_slug("?!", LEX) == "claim"


def test_unattributed_claims_are_reported_by_the_article_and_sources_are_shared() -> None:
    draft = draft_of("Officials said the guards fled.\n\nThe guards fled at night.\n\nOfficials said it rained.\n",
                     name="some/folder/news.txt")
    assert [(s.id, s.name, s.type) for s in draft.sources] == [
        ("officials", "officials", "anonymous_official"), ("article", "the article (news.txt)", "news_outlet")]
    assert [c.sources for c in draft.claims] == [("officials",), ("article",), ("officials",)]


def test_draft_yaml_has_todos_and_reads_back() -> None:
    draft = draft_of("Sources say: the \"unit\" fled # at night.\n\nYes is the answer, officials said.\n")
    text = render_draft(draft, RUBRIC.evidence_types)
    assert "# TODO: who exactly? rate reliability A-F" in text
    assert "evidence: []  # TODO: add evidence (official_record, imagery" in text
    tree = load_yaml(text.encode(), "draft.yaml")
    assert [c["text"] for c in tree["claims"]] == [c.text for c in draft.claims]


@settings(max_examples=examples(300), deadline=None)
@given(st.text(min_size=0, max_size=60))
def test_yaml_scalars_read_back_as_the_same_text(text: str) -> None:
    assert load_yaml(f"k: {yaml_scalar(text)}\n".encode("utf-8"), "t.yaml")["k"] == text


def test_signals_are_noted_above_each_claim() -> None:
    text = render_draft(draft_of("Two soldiers reportedly crossed near Kaesong, officials said.\n"), RUBRIC.evidence_types)
    assert "  # line 1: hedged: 'reportedly'; vague attribution: 'officials said'; specific: unit 'Two soldiers', " \
           "place 'Kaesong'\n" in text
    assert signals("Two soldiers reportedly crossed near Kaesong, officials said.", LEX).hedging == ("reportedly",)


# --- the command line ----------------------------------------------------------------------------------

def test_standard_input_and_markdown_flag() -> None:
    result = run("extract", "-", "--as", "md", "-q", input="# Head\n\nThe *unit* reportedly fled, officials said.\n")
    assert result.exit_code == 0
    assert "title: Head\n" in result.stdout
    assert "text: The unit reportedly fled, officials said.\n" in result.stdout
    assert "id: article" not in result.stdout  # attributed, so the article is not a source


def test_show_skipped_lists_what_was_left_out_and_why(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Title Here\n\nThe guards fled, officials said. Why?\n\nLeave a Comment\n", encoding="utf-8")
    result = run("extract", str(article), "--show-skipped")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[:3] == ["a.txt:1: skipped (heading): Title Here",
                                              "a.txt:3: skipped (question): Why?",
                                              "a.txt:5: skipped (boilerplate): Leave a Comment"]


@pytest.mark.parametrize("data, message", [
    (b"The guards\x00 fled.", "a.txt:1:11: this looks like a binary file (it holds a NUL byte)"),
    (b"The guards fled.\nThe \xff unit.", "a.txt:2:5: not valid UTF-8 (byte 0xff); save the file as UTF-8"),
    (b" \n\n", "a.txt:1:1: the article is empty"),
    (b"A Heading\n\nWhy?\n", "a.txt:1:1: no checkable sentence found (2 skipped; --show-skipped lists them)"),
])
def test_bad_input_exits_2_with_a_located_message_and_keeps_the_old_output(tmp_path: Path, data: bytes, message: str) -> None:
    article, out = tmp_path / "a.txt", tmp_path / "out.yaml"
    article.write_bytes(data)
    out.write_text("previous\n", encoding="utf-8")
    os.chdir(tmp_path)
    try:
        result = run("extract", "a.txt", "-o", str(out))
    finally:
        os.chdir(REPO)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {message}")
    assert "Traceback" not in result.output
    assert out.read_text(encoding="utf-8") == "previous\n"


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("extract", str(tmp_path / "missing.txt")).exit_code == 2
    assert run("extract", str(tmp_path)).exit_code == 2
    result = run("extract", str(EXAMPLE / "article.md"), "--as", "pdf")
    assert result.exit_code == 2 and "--as must be one of: auto, txt, md" in result.stderr


def test_a_lexicon_type_the_rubric_lacks_is_an_error_at_its_line(tmp_path: Path) -> None:
    lexicon = tmp_path / "spy.yaml"
    lexicon.write_text("extraction:\n  source_types:\n    spy: [agency]\n", encoding="utf-8")
    result = run("extract", str(EXAMPLE / "article.md"), "--lexicon", str(lexicon))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {lexicon}:3:5: extraction.source_types.spy: unknown source type 'spy'")


def test_help_has_an_example() -> None:
    result = run("extract", "--help")
    assert result.exit_code == 0 and "Example: credcheck extract" in result.stdout


def test_block_line_is_its_first_line() -> None:
    assert Block("paragraph", ((4, "a"), (5, "b"))).line == 4


def test_readme_draft_excerpt_is_what_extract_writes() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## From an article to a claims file"):readme.index("## Editing a rubric")]
    excerpt = section[section.index("```yaml\n") + 8:]
    excerpt = excerpt[:excerpt.index("```")]
    assert excerpt in (EXAMPLE / "draft.yaml").read_text(encoding="utf-8")


def test_windows_line_endings_keep_line_numbers() -> None:
    draft = draft_of("Title\r\n\r\nThe guards fled, officials said.\r\nThe unit moved north, officials said.\r\n")
    assert [(c.line, c.text) for c in draft.claims] == [(3, "The guards fled, officials said."),
                                                       (4, "The unit moved north, officials said.")]
