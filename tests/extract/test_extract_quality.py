"""Precision and recall of extract against the hand annotations, and the scorer that measures them.

Targets (docs/extract.md): >= 0.8 on the founding article, >= 0.7 on the
others. The founding article is not bundled; its test runs where it is found
(CREDCHECK_SEED_ARTICLE or shared/seed/ above the repository).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from credcheck.extract.drafts import Draft, DraftClaim, DraftReport, DraftSource, Skipped, extract
from credcheck.rubric.lexicon import load_lexicon
from credcheck.rubric.model import load_rubric
from credcheck.rubric.signals import Signals
from extract.quality import DATA, AnnotationError, annotations, bundled, find_seed, load_article, score

LEX = load_lexicon()
RUBRIC = load_rubric("default")
TARGET = {"dmz-desertions": 0.8}
DEFAULT_TARGET = 0.7


def _name(path: Path) -> str:
    return path.name.removesuffix(".annotation.yaml")


@pytest.mark.parametrize("annotation", annotations(), ids=_name)
def test_precision_and_recall_meet_the_target(annotation: Path) -> None:
    seed = None
    if not bundled(annotation):
        seed = find_seed()
        if seed is None:
            pytest.skip("the founding article is not bundled and was not found (set CREDCHECK_SEED_ARTICLE)")
    article = load_article(annotation, seed)
    result = score(article, extract(article.text, str(article.path), LEX, RUBRIC.source_types, article.markdown))
    target = TARGET.get(_name(annotation), DEFAULT_TARGET)
    assert result.precision >= target, result.false_drafts
    assert result.recall >= target, result.missed


def test_every_annotation_locates_every_sentence() -> None:
    names = [_name(a) for a in annotations()]
    assert {"dmz-desertions", "border-tunnel", "port-explosion", "export-sentencing"} <= set(names)
    for annotation in annotations():
        if bundled(annotation):
            article = load_article(annotation)
            assert article.claims and all(g.text for g in article.gold)


# --- the scorer --------------------------------------------------------------------------------

ARTICLE = "Title\n\nThe guards fled at night. It is a sad story.\n\nOfficials said the unit crossed near Kaesong.\n"
ANNOTATION = """\
article: a.txt
sentences:
  - {line: 3, opens: "The guards fled", label: claim, group: fled, sources: []}
  - {line: 3, opens: "It is a", label: opinion}
  - {line: 5, opens: "Officials said the", label: claim, sources: [officials]}
"""


def _draft(*claims: tuple[int, str, str], skipped: tuple[Skipped, ...] = ()) -> Draft:
    sources = (DraftSource("article", "the article", "news_outlet", "", 1),
               DraftSource("officials", "officials", "anonymous_official", "officials", 5))
    return Draft("a.txt", "Title", sources,
                 tuple(DraftClaim(f"c{n}", text, line, (DraftReport(src, line, text),), Signals())
                       for n, (line, text, src) in enumerate(claims)), skipped)


@pytest.fixture
def toy(tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a.annotation.yaml").write_text(ANNOTATION, encoding="utf-8")
    return load_article(tmp_path / "a.annotation.yaml")


def test_the_scorer_counts_true_and_false_drafts_and_misses(toy) -> None:  # type: ignore[no-untyped-def]
    assert [g.text for g in toy.gold] == ["The guards fled at night.", "It is a sad story.",
                                         "Officials said the unit crossed near Kaesong."]
    result = score(toy, _draft((3, "The guards fled at night.", "article"), (3, "It is a sad story.", "article"),
                               skipped=(Skipped(5, "Officials said the unit crossed near Kaesong.", "opinion: x"),)))
    assert (result.true_drafts, result.drafts, result.found_claims, result.gold_claims) == (1, 2, 1, 2)
    assert (result.precision, result.recall, result.sources_right) == (0.5, 0.5, 1)
    assert result.false_drafts == ["line 3 (opinion): It is a sad story."]


def test_the_scorer_matches_by_overlap_checks_sources_and_counts_repeats(toy) -> None:  # type: ignore[no-untyped-def]
    result = score(toy, _draft((3, "The guards fled at night", "officials"),           # words differ a little
                               (3, "The guards fled at night!", "article"),           # the same claim again
                               (5, "Officials said the unit crossed near Kaesong.", "officials")))
    assert (result.true_drafts, result.duplicates, result.found_claims) == (3, 1, 2)
    assert result.sources_right == 1 and result.wrong_sources[0].startswith("line 3 'The guards fled'")


def test_an_annotation_that_does_not_fit_its_article_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a.annotation.yaml").write_text(ANNOTATION.replace("The guards fled", "The guards ran"), encoding="utf-8")
    with pytest.raises(AnnotationError, match="'The guards ran' is not on line 3"):
        load_article(tmp_path / "a.annotation.yaml")
    (tmp_path / "b.annotation.yaml").write_text("article: a.txt\nsha256: 'ab'\nsentences: []\n", encoding="utf-8")
    with pytest.raises(AnnotationError, match="SHA-256 differs"):
        load_article(tmp_path / "b.annotation.yaml")


def test_the_guideline_is_a_page() -> None:
    assert len((DATA / "GUIDELINE.md").read_text(encoding="utf-8").splitlines()) <= 100
