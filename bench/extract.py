"""Benchmark `credcheck extract` on a 10,000-word article, as ratios to a baseline in the same process.

    .venv/bin/python bench/extract.py [--words 10000] [--repeat 5]

The article is built from examples/border-tunnel/article.md, repeated with
every sentence made distinct (so no cache helps). The baseline reads the
bytes, decodes them and splits the text into sentences with one regex: the
least any extractor must do. Times are the best of --repeat runs, caches
cleared before each.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from credcheck.rubric import signals as language  # noqa: E402
from credcheck.extract.drafts import extract, render_draft, verify  # noqa: E402
from credcheck.rubric.lexicon import load_lexicon  # noqa: E402
from credcheck.extract.prose import decode_article  # noqa: E402
from credcheck.rubric.model import load_rubric  # noqa: E402

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def build_article(words: int) -> bytes:
    """Copies of the example article, each sentence tagged with its copy number, up to `words` words."""
    source = (ROOT / "examples" / "border-tunnel" / "article.md").read_text(encoding="utf-8")
    body = source[source.index("# "):]
    parts, count, copy = [], 0, 0
    while count < words:
        copy += 1
        text = re.sub(r"\.(\s)", rf" in sector {copy}.\1", body)
        parts.append(text)
        count += len(text.split())
    return "\n\n".join(parts).encode("utf-8")


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        language._signals.cache_clear()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    data = build_article(args.words)
    rubric, lexicon = load_rubric("default"), load_lexicon()
    text = decode_article(data, "bench.md")
    words = len(text.split())

    def baseline() -> object:
        return SENTENCE_END.split(data.decode("utf-8"))

    def extract_only() -> object:
        return extract(decode_article(data, "bench.md"), "bench.md", lexicon, rubric.source_types, markdown=True)

    def full() -> object:  # what the CLI does: extract, render the YAML, load it back to verify
        draft = extract(decode_article(data, "bench.md"), "bench.md", lexicon, rubric.source_types, markdown=True)
        rendered = render_draft(draft, rubric.evidence_types)
        verify(draft, rendered, rubric)
        return draft

    draft = extract_only()
    sentences = [c.text for c in draft.claims]  # type: ignore[attr-defined]

    def signals_only() -> object:
        return [language.signals(s, lexicon) for s in sentences]

    # what the language criterion adds to scoring: the extracted claims, scored with and without it
    from credcheck.record import replace

    from credcheck import assess, load_claims
    claims = load_claims("bench.yaml", rubric, data=render_draft(draft, rubric.evidence_types).encode())  # type: ignore[arg-type]
    plain = replace(rubric, criteria={k: v for k, v in rubric.criteria.items() if k != "language"})
    score_plain = best(lambda: assess(claims, plain), args.repeat)
    score_language = best(lambda: assess(claims, rubric), args.repeat)

    base = best(baseline, args.repeat)
    rows = [("baseline: decode + regex sentence split", base),
            ("language signals for every claim", best(signals_only, args.repeat)),
            ("extract (blocks, sentences, attribution, signals)", best(extract_only, args.repeat)),
            ("extract + render YAML + load back (the CLI's work)", best(full, args.repeat))]
    print(f"article: {words:,} words, {len(draft.claims):,} claims, {len(draft.sources)} sources")  # type: ignore[attr-defined]
    for name, seconds in rows:
        print(f"{name:<52} {seconds * 1000:8.1f} ms   x{seconds / base:8.1f} baseline")
    print(f"{'score the claims without the language criterion':<52} {score_plain * 1000:8.1f} ms   x{1:8.2f}")
    print(f"{'score the claims with it (default rubric)':<52} {score_language * 1000:8.1f} ms   "
          f"x{score_language / score_plain:8.2f} without")


if __name__ == "__main__":
    main()
