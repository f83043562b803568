"""Precision and recall of `credcheck extract` against hand annotations (tests/extract/data/).

    article = load_article(ANNOTATION, article_path=None)   # the annotation and the article it annotates
    result = score(article, extract(article.text, article.name, lexicon, source_types, article.markdown))

An annotation lists every sentence of the article body with its label (see
data/GUIDELINE.md), located by the line it starts on and its opening words;
a sentence runs to the next annotated sentence of its paragraph. Matching, by
sentence identity or overlap: a drafted sentence (a claim's own sentence, or
one merged into it) is the annotated sentence with which it shares the
largest share of words, provided the shared words are at least half the
words of the longer of the two; ties go to the nearer line.

- precision: drafted claims that are an annotated claim / drafted claims;
- recall: annotated claim sentences found in some draft (as its sentence or
  merged into it) / annotated claim sentences;
- duplicates: drafted claims whose annotated claims (by `group`) an earlier
  draft already holds;
- sources: of the annotated claims found, the share whose drafted sources
  are the annotated ones, one for one (a name matches when the words of one
  hold the words of the other; `[]` is the article itself);
- reasons: of the annotated non-claims left out, the share skipped for the
  annotated reason.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import yaml

from credcheck.extract.prose import strip_inline

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]
SEED_NAME = "dmz-desertions-article.txt"
ARTICLE_SOURCE = "article"  # the id extract gives the article itself
MIN_SHARE = 0.5
_WORD = re.compile(r"[\w]+(?:['\u2019][\w]+)*")
_NAME_STOP = frozenset("the a an of from within inside in on at by for and who were was is said".split())


class AnnotationError(Exception):
    pass


@dataclass(frozen=True)
class Gold:
    index: int
    line: int
    opens: str
    label: str
    text: str
    group: str
    sources: tuple[str, ...] | None  # claims only; () is the article itself


@dataclass(frozen=True)
class Article:
    name: str
    path: Path
    text: str
    markdown: bool
    gold: tuple[Gold, ...]

    @property
    def claims(self) -> tuple[Gold, ...]:
        return tuple(g for g in self.gold if g.label == "claim")


@dataclass
class Result:
    name: str
    drafts: int = 0
    true_drafts: int = 0
    gold_claims: int = 0
    found_claims: int = 0
    duplicates: int = 0
    sources_right: int = 0
    skipped_gold: int = 0
    reasons_right: int = 0
    false_drafts: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    wrong_sources: list[str] = field(default_factory=list)
    wrong_reasons: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_drafts / self.drafts if self.drafts else 0.0

    @property
    def recall(self) -> float:
        return self.found_claims / self.gold_claims if self.gold_claims else 0.0

    @property
    def source_share(self) -> float:
        return self.sources_right / self.found_claims if self.found_claims else 0.0

    @property
    def reason_share(self) -> float:
        return self.reasons_right / self.skipped_gold if self.skipped_gold else 0.0


def find_seed(given: str | None = None) -> Path | None:
    """The founding article (not bundled): `given`, CREDCHECK_SEED_ARTICLE, or shared/seed/ in a folder above the repository."""
    if given or os.environ.get("CREDCHECK_SEED_ARTICLE"):
        return Path(given or os.environ["CREDCHECK_SEED_ARTICLE"])
    for folder in ROOT.parents:
        candidate = folder / "shared" / "seed" / SEED_NAME
        if candidate.is_file():
            return candidate
    return None


def bundled(annotation: Path) -> bool:
    return yaml.safe_load(annotation.read_text(encoding="utf-8")).get("bundled", True) is not False


# --- the annotation ---------------------------------------------------------------

def annotations() -> list[Path]:
    return sorted(DATA.glob("*.annotation.yaml"))


def load_article(annotation: Path, article_path: Path | None = None) -> Article:
    """The annotated article; `article_path` for one that is not bundled (its digest must match)."""
    doc = yaml.safe_load(annotation.read_text(encoding="utf-8"))
    path = article_path or (annotation.parent / doc["article"]).resolve()
    if not path.is_file():
        raise AnnotationError(f"{annotation.name}: the article '{doc['article']}' is not at {path}")
    data = path.read_bytes()
    if doc.get("sha256") and hashlib.sha256(data).hexdigest() != doc["sha256"]:
        raise AnnotationError(f"{annotation.name}: {path.name} is not the annotated text (its SHA-256 differs)")
    text = data.decode("utf-8")
    markdown = path.suffix.lower() == ".md"
    name = annotation.name.removesuffix(".annotation.yaml")
    return Article(name, path, text, markdown, tuple(_locate(annotation.name, text, markdown, doc["sentences"])))


def _paragraphs(text: str, markdown: bool) -> dict[int, tuple[str, dict[int, int]]]:
    """line -> (its paragraph's lines joined by spaces, offset where each line starts in it)."""
    out: dict[int, tuple[str, dict[int, int]]] = {}
    block: list[tuple[int, str]] = []

    def close() -> None:
        joined, starts, offset = [], {}, 0
        for number, line in block:
            starts[number] = offset
            joined.append(line)
            offset += len(line) + 1
        para = " ".join(joined)
        for number, _ in block:
            out[number] = (para, starts)
        block.clear()

    for number, raw in enumerate(text.split("\n"), start=1):
        line = strip_inline(raw) if markdown else " ".join(raw.split())
        if line:
            block.append((number, line))
        elif block:
            close()
    if block:
        close()
    return out


def _locate(name: str, text: str, markdown: bool, items: Sequence[dict[str, Any]]) -> Iterable[Gold]:
    paragraphs = _paragraphs(text, markdown)
    starts: list[tuple[str, int]] = []  # (paragraph text, start offset) per item
    for i, item in enumerate(items):
        line, opens = item["line"], item["opens"]
        if line not in paragraphs:
            raise AnnotationError(f"{name}: sentence {i + 1}: line {line} is blank or past the end")
        para, line_starts = paragraphs[line]
        at = para.find(opens, line_starts[line])
        if at < 0:
            raise AnnotationError(f"{name}: sentence {i + 1}: '{opens}' is not on line {line}")
        starts.append((para, at))
    for i, item in enumerate(items):
        para, at = starts[i]
        ends = [s for p, s in starts if p is para and s > at]
        end = min(ends) if ends else len(para)
        sources = item.get("sources")
        if item["label"] == "claim" and sources is None:
            raise AnnotationError(f"{name}: sentence {i + 1}: a claim needs `sources` ([] for the article itself)")
        yield Gold(i, item["line"], item["opens"], item["label"], para[at:end].strip(), item.get("group") or f"#{i}",
                   tuple(sources) if sources is not None else None)


# --- matching -----------------------------------------------------------------------

def words(text: str) -> frozenset[str]:
    return frozenset(w.lower().replace("\u2019", "'") for w in _WORD.findall(text))


def match(line: int, text: str, gold: Sequence[Gold]) -> Gold | None:
    """The annotated sentence a drafted one is, by the largest shared share of words (at least half)."""
    mine = words(text)
    best: tuple[float, int, Gold] | None = None
    for g in gold:
        theirs = words(g.text)
        if not mine or not theirs:
            continue
        share = len(mine & theirs) / max(len(mine), len(theirs))
        if share < MIN_SHARE:
            continue
        key = (share, -abs(g.line - line), g)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


def drafted_sentences(claim: Any) -> list[tuple[int, str]]:
    """A drafted claim's own sentence and any sentences merged into it."""
    return [(claim.line, claim.text)] + [(line, text) for line, text in getattr(claim, "merged", ())]


def same_name(drafted: str, annotated: str) -> bool:
    a = {w for w in words(drafted) if w not in _NAME_STOP}
    b = {w for w in words(annotated) if w not in _NAME_STOP}
    return bool(a and b) and (a <= b or b <= a)


def same_sources(drafted: Sequence[str], annotated: Sequence[str]) -> bool:
    """One for one: each drafted name matches a different annotated one (the article itself is '' here)."""
    if len(drafted) != len(annotated):
        return False
    left = list(annotated)
    for name in drafted:
        hit = next((a for a in left if (a == name == "") or (a and name and same_name(name, a))), None)
        if hit is None:
            return False
        left.remove(hit)
    return True


def score(article: Article, draft: Any) -> Result:
    result = Result(article.name, drafts=len(draft.claims), gold_claims=len(article.claims))
    names = {s.id: ("" if s.id == ARTICLE_SOURCE else s.name) for s in draft.sources}
    found: set[int] = set()
    groups: set[str] = set()
    for claim in draft.claims:
        hits = [g for line, text in drafted_sentences(claim) if (g := match(line, text, article.gold)) is not None]
        claims = [g for g in hits if g.label == "claim"]
        if not claims:
            why = hits[0].label if hits else "not annotated"
            result.false_drafts.append(f"line {claim.line} ({why}): {claim.text}")
            continue
        result.true_drafts += 1
        if {g.group for g in claims} <= groups:
            result.duplicates += 1
        groups.update(g.group for g in claims)
        drafted = [names.get(sid, sid) for sid in claim.sources]
        for g in claims:
            if g.index in found:
                continue
            found.add(g.index)
            assert g.sources is not None
            if same_sources(drafted, g.sources or ("",)):
                result.sources_right += 1
            else:
                result.wrong_sources.append(f"line {g.line} '{g.opens}': drafted {drafted or ['']}, annotated {list(g.sources) or ['']}")
    result.found_claims = len(found)
    result.missed = [f"line {g.line}: {g.text}" for g in article.claims if g.index not in found]
    skipped = {}
    for item in draft.skipped:
        if item.reason in ("heading", "boilerplate"):
            continue  # not sentences: a heading's words would match the sentence that repeats them
        g = match(item.line, item.text, article.gold)
        if g is not None and g.label != "claim":
            skipped.setdefault(g.index, item.reason)
    for g in article.gold:
        if g.label == "claim" or g.index not in skipped:
            continue
        result.skipped_gold += 1
        reason = skipped[g.index].split(":")[0].strip()
        if reason == g.label:
            result.reasons_right += 1
        else:
            result.wrong_reasons.append(f"line {g.line} '{g.opens}': skipped as {reason}, annotated {g.label}")
    return result
