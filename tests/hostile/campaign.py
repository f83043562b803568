"""Inputs for tests/corpus/campaign.yaml that are too large, or too odd, to store: each a function
returning a file's text, named by a case's `make:` (with its `with:` as keyword arguments)."""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_RUBRIC = ROOT / "rubrics" / "default.yaml"
EXAMPLE = ROOT / "examples" / "dmz-desertions" / "claims.yaml"


def example() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def default_rubric(old: str = "", new: str = "") -> str:
    """The bundled default rubric, its first `old` replaced by `new`."""
    text = DEFAULT_RUBRIC.read_text(encoding="utf-8")
    if old:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def number_rubric(old: str, digits: int) -> str:
    """The default rubric with the number in `old` (e.g. 'scale: 1 ') made a whole number of `digits` digits."""
    import re
    return default_rubric(old, re.sub(r"\d+(?:\.\d+)?", "1" + "0" * (digits - 1), old, count=1))


def lone_surrogate(fmt: str, where: str = "id") -> str:
    """A claims file whose claim id (or a source's name) escapes a lone surrogate: \\udc00."""
    claim = {"id": "c1", "text": "t", "reports": [{"source": "s"}]}
    source = {"id": "s", "name": "wire", "type": "wire_service"}
    (claim if where == "id" else source)["id" if where == "id" else "name"] = "x\udc00"
    if fmt == "jsonl":
        return json.dumps({"source": source}) + "\n" + json.dumps(claim) + "\n"
    return json.dumps({"sources": [source], "claims": [claim]}, indent=1) + "\n"


def extends(target: str = "", repeat: int = 1, tail: str = "") -> str:
    return f"extends: {target * repeat}{tail}\n"


def rubric_naming(lexicon: str = "", extends: str = "default") -> str:
    """A team rubric extending `extends`, its language criterion reading `lexicon`."""
    text = f"extends: {extends}\n"
    if lexicon:
        text += f"criteria:\n  language:\n    lexicon: {json.dumps(lexicon)}\n"
    return text


def derived_square(n: int) -> str:
    """n sources each republishing the same n originals, and one claim reported by all of them (JSON)."""
    sources = [{"id": f"o{i}", "name": "original", "type": "wire_service"} for i in range(n)]
    sources += [{"id": f"r{i}", "name": "outlet", "type": "news_outlet", "derived_from": [f"o{j}" for j in range(n)]}
                for i in range(n)]
    claims = [{"id": "c", "text": "t", "reports": [{"source": f"r{i}"} for i in range(n)]}]
    return json.dumps({"sources": sources, "claims": claims}) + "\n"


def unknown_references(sources: int, unknown: int) -> str:
    """`unknown` claims each naming a source that is not there (a typo of one that is), among `sources` (JSON)."""
    table = [{"id": f"source-{i:05d}", "name": "outlet", "type": "news_outlet"} for i in range(sources)]
    claims = [{"id": f"c{i}", "text": "t", "reports": [{"source": f"sourse-{i:05d}"}]} for i in range(unknown)]
    return json.dumps({"sources": table, "claims": claims}, indent=1) + "\n"


def tangled_claim(n: int, fmt: str = "json") -> str:
    """A claim of n reports, each relaying the same n sources: its matching search is refused (JSON or JSON Lines)."""
    sources = [{"id": f"s{i}", "name": "outlet", "type": "wire_service"} for i in range(n)] + \
              [{"id": "z", "name": "relay", "type": "news_outlet"}]
    claims = [{"id": "fine", "text": "t", "reports": [{"source": "s1"}]},
              {"id": "tangled", "text": "t", "reports": [{"source": "z", "via": [f"s{j}" for j in range(n)]} for _ in range(n)]}]
    if fmt == "jsonl":
        return "".join(json.dumps({"source": s}) + "\n" for s in sources) + "".join(json.dumps(c) + "\n" for c in claims)
    return json.dumps({"sources": sources, "claims": claims}, indent=1) + "\n"


def many_claims(n: int) -> str:
    """bench/gen.py's synthetic data, n claims, as JSON Lines."""
    sys.path.insert(0, str(ROOT / "bench"))
    from gen import make_claim, make_sources
    rng = random.Random(f"credcheck-bench-1-{n}")
    sources = make_sources(rng, n)
    lines = [json.dumps({"title": f"Synthetic, {n:,} claims"})] + [json.dumps({"source": s}) for s in sources]
    lines += [json.dumps(make_claim(rng, i, len(sources))) for i in range(n)]
    return "\n".join(lines) + "\n"


def big_lexicon(mib: int) -> str:
    """A lexicon of about `mib` MiB (hedging words), valid YAML."""
    words = "\n".join(f"    - hedge{i}" for i in range(mib * 1024 * 1024 // 16))
    return f"signals:\n  hedging:\n{words}\n"
