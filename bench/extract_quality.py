"""Precision and recall of `credcheck extract` against the hand annotations in tests/extract/data/.

    .venv/bin/python bench/extract_quality.py [--seed ARTICLE] [--details] [--json]

One row per annotated article: drafted claims, annotated claims, precision,
recall, drafts repeating a claim already drafted, the share of found claims
drafted with the annotated sources, and the share of left-out sentences
skipped for the annotated reason. How sentences are matched is described in
tests/extract/quality.py. The founding article is not bundled (its licence
is unknown): give its path with --seed or CREDCHECK_SEED_ARTICLE, else it is
looked for as shared/seed/dmz-desertions-article.txt beside the repository
or a folder above it; without it, its row is left out.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from credcheck.extract.drafts import extract  # noqa: E402
from credcheck.rubric.lexicon import load_lexicon  # noqa: E402
from credcheck.rubric.model import load_rubric  # noqa: E402
from tests.extract.quality import (SEED_NAME, AnnotationError, Result, annotations, bundled,  # noqa: E402
                                   find_seed, load_article, score)


def run(seed: Path | None) -> list[Result]:
    lexicon, rubric = load_lexicon(), load_rubric("default")
    results = []
    for annotation in annotations():
        if not bundled(annotation) and seed is None:
            print(f"note: {annotation.name} left out: its article is not bundled (give --seed)", file=sys.stderr)
            continue
        article = load_article(annotation, None if bundled(annotation) else seed)
        draft = extract(article.text, str(article.path), lexicon, rubric.source_types, article.markdown)
        results.append(score(article, draft))
    return results


def table(results: list[Result]) -> str:
    rows = ["| article | drafted | annotated claims | precision | recall | duplicates | sources right | skip reasons right |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        rows.append(f"| {r.name} | {r.drafts} | {r.gold_claims} | {r.precision:.2f} ({r.true_drafts}/{r.drafts}) | "
                    f"{r.recall:.2f} ({r.found_claims}/{r.gold_claims}) | {r.duplicates} | "
                    f"{r.source_share:.2f} ({r.sources_right}/{r.found_claims}) | "
                    f"{r.reason_share:.2f} ({r.reasons_right}/{r.skipped_gold}) |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", metavar="ARTICLE", help=f"path of the founding article ({SEED_NAME})")
    parser.add_argument("--details", action="store_true", help="list false drafts, missed claims, wrong sources and reasons")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    try:
        results = run(find_seed(args.seed))
    except AnnotationError as exc:
        sys.exit(f"error: {exc}")
    if args.json:
        print(json.dumps([{"article": r.name, "drafted": r.drafts, "annotated_claims": r.gold_claims,
                           "precision": round(r.precision, 3), "recall": round(r.recall, 3),
                           "duplicates": r.duplicates, "sources_right": round(r.source_share, 3),
                           "skip_reasons_right": round(r.reason_share, 3)} for r in results], indent=2))
        return
    print(table(results))
    if args.details:
        for r in results:
            print(f"\n## {r.name}")
            for title, items in (("drafted, not a claim", r.false_drafts), ("missed", r.missed),
                                 ("sources", r.wrong_sources), ("skip reasons", r.wrong_reasons)):
                for item in items:
                    print(f"- {title}: {item}")


if __name__ == "__main__":
    main()
