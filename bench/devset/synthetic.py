"""Synthetic resolved claims drawn from known source reliabilities: a development set whose truth is known.

    python bench/devset/synthetic.py OUT_DIR [--claims 1000] [--sources 60] [--seed 1] [--base-rate 0.4] [--compat]

writes OUT_DIR/claims.yaml (sources and claims in the shape of CONTRACT.md,
each claim with `outcome: {status: confirmed|refuted}`), OUT_DIR/outcomes.json
(claim id -> status, for tools that cannot read `outcome` yet) and
OUT_DIR/truth.json (every source's hidden reliability, letter and relays, the
drawn truth of every claim, and its oracle probability: the exact posterior
for one who knows every hidden reliability, the ceiling for any model).
Same arguments, same files, byte for byte.

How the world is drawn (the numbers are parameters of `World`):

1. Sources. Each gets a type from CONTRACT.md section 2 and a hidden letter
   A-E drawn around its type's default letter in the default rubric (a wire
   service is usually B, social media usually E, but not always). The letter
   sets its hidden reliability r, the chance that one of its first-hand
   reports is right: A 0.95, B 0.85, C 0.72, D 0.60, E 0.45, each +-0.04.
   An analyst declares a letter for some sources; the declaration is the
   hidden letter, or a neighbouring one with probability `letter_noise`.
   Some sources republish one original (`derived_from`) and only ever copy
   it; a few families share an `owner` and echo each other.
2. Claims. The truth is drawn first (true with probability `base_rate`). Then
   a few active sources report it, each independently: neutral with
   probability `neutral_share` (it relays the claim without taking a side,
   whatever the truth), otherwise right with its probability r (supports a
   true claim, refutes a false one) and wrong otherwise. Access dilutes r:
   second-hand reports are right with 0.5 + 0.85 (r - 0.5), reports of
   unknown access with 0.5 + 0.9 (r - 0.5) (an unstated access is a mix of
   first- and second-hand). Some reports relay an earlier report of the same
   claim (`via`) and copy its stance; a derived source copies its original's
   stance; an owner's other outlets echo one of theirs.
3. Evidence. A claim carries 0-2 evidence items whose presence says nothing;
   an item is verified with probability 0.45 when the claim is true and 0.05
   when it is false.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

LETTERS = "ABCDE"
RELIABILITY_OF_LETTER = {"A": 0.95, "B": 0.85, "C": 0.72, "D": 0.60, "E": 0.45}
JITTER = 0.04
# The default rubric's letter for each source type (CONTRACT.md section 2): hidden letters centre on it.
TYPE_LETTERS = {
    "official_record": "A", "official_on_record": "B", "wire_service": "B", "intelligence_service": "B",
    "academic": "C", "eyewitness": "C", "news_outlet": "C", "ngo": "C", "anonymous_official": "C",
    "defector_testimony": "D", "state_media": "E", "social_media": "E", "unknown": "C",
}
TYPE_WEIGHTS = {
    "news_outlet": 14, "wire_service": 4, "social_media": 8, "anonymous_official": 5, "official_on_record": 4,
    "official_record": 2, "intelligence_service": 3, "state_media": 4, "defector_testimony": 3,
    "eyewitness": 4, "ngo": 3, "academic": 2, "unknown": 2,
}
EVIDENCE_TYPES = ("imagery", "video", "document", "official_record", "statistics", "named_witness", "testimony")
ACCESS_SHRINK = {"first_hand": 1.0, "second_hand": 0.85, "unknown": 0.9}  # how much of r - 0.5 survives
ACCESS_WEIGHTS = {"first_hand": 25, "second_hand": 35, "unknown": 40}
REPORTERS_WEIGHTS = (25, 22, 18, 12, 9, 6, 4, 4)  # how many sources report a claim: 1..8
EVIDENCE_COUNT_WEIGHTS = (55, 30, 15)  # 0, 1 or 2 items


@dataclass(frozen=True)
class World:
    """Every parameter of the draw; `truth.json` records them."""

    claims: int = 1000
    sources: int = 60
    seed: int = 1
    base_rate: float = 0.4
    declared_share: float = 0.4  # sources given an analyst's letter
    letter_noise: float = 0.3  # chance a declared letter is a neighbour of the hidden one
    derived_share: float = 0.12  # sources that only republish one original
    owner_families: int = 3  # groups of 2-3 outlets under one owner
    neutral_share: float = 0.15
    via_share: float = 0.1  # reports that relay an earlier report of the same claim
    copy_rate: float = 0.6  # chance a derived source or an owner's outlet echoes a report
    verified_if_true: float = 0.45
    verified_if_false: float = 0.05


@dataclass(frozen=True)
class HiddenSource:
    id: str
    type: str
    letter: str  # the hidden letter A-E
    reliability: float  # chance a first-hand report is right
    activity: int  # relative chance of reporting any one claim
    declared: str | None = None
    derived_from: str | None = None
    owner: str | None = None


@dataclass
class DevSet:
    sources: list[HiddenSource]
    claims: list[dict[str, Any]] = field(default_factory=list)
    truth: dict[str, bool] = field(default_factory=dict)
    oracle: dict[str, float] = field(default_factory=dict)  # claim id -> oracle_probability


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _neighbour(rng: random.Random, letter: str) -> str:
    i = LETTERS.index(letter)
    options = [LETTERS[j] for j in (i - 1, i + 1) if 0 <= j < len(LETTERS)]
    return rng.choice(options)


def hidden_letter(rng: random.Random, source_type: str) -> str:
    """The type's default letter half the time, one step away 35% and two steps 15% (within A-E)."""
    steps = rng.choices((0, 1, 2), (50, 35, 15))[0] * rng.choice((-1, 1))
    i = LETTERS.index(TYPE_LETTERS[source_type]) + steps
    return LETTERS[min(max(i, 0), len(LETTERS) - 1)]


def draw_sources(rng: random.Random, world: World) -> list[HiddenSource]:
    sources: list[HiddenSource] = []
    for i in range(world.sources):
        kind = _pick(rng, TYPE_WEIGHTS)
        letter = hidden_letter(rng, kind)
        r = round(RELIABILITY_OF_LETTER[letter] + rng.uniform(-JITTER, JITTER), 4)
        declared = None
        if rng.random() < world.declared_share:
            declared = _neighbour(rng, letter) if rng.random() < world.letter_noise else letter
        originals = [s.id for s in sources if s.derived_from is None]
        derived = rng.choice(originals) if originals and rng.random() < world.derived_share else None
        sources.append(HiddenSource(
            id=f"src-{i:03d}", type=kind, letter=letter, reliability=r,
            activity=rng.choice((1, 1, 2, 4)), declared=declared, derived_from=derived,
        ))
    return _with_owners(rng, sources, world.owner_families)


def _with_owners(rng: random.Random, sources: list[HiddenSource], families: int) -> list[HiddenSource]:
    """Give `families` groups of 2-3 original sources a shared owner."""
    originals = [i for i, s in enumerate(sources) if s.derived_from is None]
    rng.shuffle(originals)
    result = list(sources)
    for f in range(families):
        size = rng.randint(2, 3)
        members, originals = originals[:size], originals[size:]
        for i in members:
            s = result[i]
            result[i] = HiddenSource(**{**asdict(s), "owner": f"Owner {f + 1}"})
    return result


def right_chance(reliability: float, access: str) -> float:
    """The chance a report of this access is right, from its source's first-hand reliability."""
    return 0.5 + ACCESS_SHRINK[access] * (reliability - 0.5)


def draw_report(rng: random.Random, source: HiddenSource, truth: bool, world: World) -> dict[str, Any]:
    access = _pick(rng, ACCESS_WEIGHTS)
    if rng.random() < world.neutral_share:
        stance = "neutral"
    else:
        right = rng.random() < right_chance(source.reliability, access)
        stance = "supports" if right == truth else "refutes"
    return {"source": source.id, "stance": stance, "access": access, "own": True}  # its own judgment, not a copy


def _echoes(rng: random.Random, reports: list[dict[str, Any]], sources: list[HiddenSource], world: World) -> list[dict[str, Any]]:
    """Copies of the claim's reports by derived sources of their originals, and by their owners' other outlets."""
    reporting = {r["source"] for r in reports}
    echoes = []
    for original in reports:
        if original["stance"] == "neutral":
            continue
        by_id = next(s for s in sources if s.id == original["source"])
        for s in sources:
            copies = s.derived_from == by_id.id or (by_id.owner is not None and s.owner == by_id.owner and s.id != by_id.id)
            if copies and s.id not in reporting and rng.random() < world.copy_rate:
                reporting.add(s.id)
                echoes.append({"source": s.id, "stance": original["stance"], "access": "second_hand"})
    return echoes


def oracle_probability(reports: list[dict[str, Any]], evidence: list[dict[str, Any]],
                       sources: dict[str, HiddenSource], world: World) -> float:
    """The exact chance the claim is true for one who knows every hidden reliability and which reports copy.

    Bayes' rule in log-odds: the base rate, plus for each report of a source's
    own judgment the log of its likelihood ratio (q / (1 - q) for support,
    the inverse for refutation, q its chance of being right at that access),
    plus each evidence item's. Copies and neutral reports carry no information.
    The ceiling any model can reach on this set.
    """
    log_odds = math.log(world.base_rate / (1 - world.base_rate))
    for r in reports:
        if r.get("own") and r["stance"] != "neutral":
            q = right_chance(sources[r["source"]].reliability, r["access"])
            log_odds += math.log(q / (1 - q)) * (1 if r["stance"] == "supports" else -1)
    for e in evidence:
        if e["verified"]:
            log_odds += math.log(world.verified_if_true / world.verified_if_false)
        else:
            log_odds += math.log((1 - world.verified_if_true) / (1 - world.verified_if_false))
    return 1 / (1 + math.exp(-log_odds))


def draw_claim(rng: random.Random, index: int, sources: list[HiddenSource], world: World) -> tuple[dict[str, Any], bool, float]:
    truth = rng.random() < world.base_rate
    claim_id = f"syn-{index:05d}"
    originals = [s for s in sources if s.derived_from is None]
    count = min(rng.choices(range(1, len(REPORTERS_WEIGHTS) + 1), REPORTERS_WEIGHTS)[0], len(originals))
    chosen: list[HiddenSource] = []
    while len(chosen) < count:  # weighted sampling without replacement, in a fixed order
        s = rng.choices(originals, [o.activity for o in originals])[0]
        if s not in chosen:
            chosen.append(s)
    reports: list[dict[str, Any]] = []
    for s in chosen:
        earlier = [r for r in reports if r["stance"] != "neutral" and "via" not in r]
        if earlier and rng.random() < world.via_share:
            relayed = rng.choice(earlier)
            reports.append({"source": s.id, "stance": relayed["stance"], "access": "second_hand", "via": [relayed["source"]]})
        else:
            reports.append(draw_report(rng, s, truth, world))
    reports += _echoes(rng, reports, sources, world)
    claim: dict[str, Any] = {
        "id": claim_id,
        "text": f"Synthetic event {index} took place as reported.",
        "outcome": {"status": "confirmed" if truth else "refuted"},
        "reports": [_tidy(r) for r in reports],
    }
    evidence = []
    for _ in range(rng.choices(range(len(EVIDENCE_COUNT_WEIGHTS)), EVIDENCE_COUNT_WEIGHTS)[0]):
        verified = rng.random() < (world.verified_if_true if truth else world.verified_if_false)
        evidence.append({"type": rng.choice(EVIDENCE_TYPES), "verified": verified})
    if evidence:
        claim["evidence"] = evidence
    return claim, truth, oracle_probability(reports, evidence, {s.id: s for s in sources}, world)


def _tidy(report: dict[str, Any]) -> dict[str, Any]:
    """A report as an analyst writes it: `supports` and `unknown` are the defaults, so left out."""
    out = {"source": report["source"]}
    if report["stance"] != "supports":
        out["stance"] = report["stance"]
    if report["access"] != "unknown":
        out["access"] = report["access"]
    if "via" in report:
        out["via"] = report["via"]
    return out


def build(world: World) -> DevSet:
    """The whole set for `world`: the same world gives the same set."""
    rng = random.Random(world.seed)
    devset = DevSet(sources=draw_sources(rng, world))
    for i in range(1, world.claims + 1):
        claim, truth, oracle = draw_claim(rng, i, devset.sources, world)
        devset.claims.append(claim)
        devset.truth[claim["id"]] = truth
        devset.oracle[claim["id"]] = round(oracle, 6)
    return devset


def source_entry(s: HiddenSource) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": s.id, "name": f"{s.type.replace('_', ' ')} {s.id}", "type": s.type}
    if s.declared:
        entry["reliability"] = s.declared
    if s.owner:
        entry["owner"] = s.owner
    if s.derived_from:
        entry["derived_from"] = [s.derived_from]
    return entry


def compatible(claim: dict[str, Any]) -> dict[str, Any]:
    """The claim for a loader that predates CONTRACT.md section 7: no `outcome`, no neutral reports.

    Dropping neutral reports is faithful: the contract never counts them as a line.
    """
    out = {k: v for k, v in claim.items() if k != "outcome"}
    out["reports"] = [r for r in claim["reports"] if r.get("stance") != "neutral"]
    return out


def claims_document(devset: DevSet, world: World, compat: bool) -> dict[str, Any]:
    return {
        "title": f"Synthetic development set (seed {world.seed}, {world.claims} claims)",
        "sources": [source_entry(s) for s in devset.sources],
        "claims": [compatible(c) if compat else c for c in devset.claims],
    }


def truth_document(devset: DevSet, world: World) -> dict[str, Any]:
    return {
        "world": asdict(world),
        "sources": [
            {**asdict(s), "relays": s.derived_from is not None}
            for s in devset.sources
        ],
        "claims": devset.truth,
        "oracle": devset.oracle,
    }


def write(devset: DevSet, world: World, out_dir: Path, compat: bool = False) -> list[Path]:
    """Write claims.yaml, outcomes.json and truth.json into `out_dir`; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "claims.yaml": yaml.safe_dump(claims_document(devset, world, compat), sort_keys=False, allow_unicode=True, width=200),
        "outcomes.json": json.dumps({c["id"]: c["outcome"]["status"] for c in devset.claims}, indent=1) + "\n",
        "truth.json": json.dumps(truth_document(devset, world), indent=1) + "\n",
    }
    paths = []
    for name, text in files.items():
        path = out_dir / name
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)  # never leave a half-written file over a good one
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--claims", type=int, default=World.claims)
    parser.add_argument("--sources", type=int, default=World.sources)
    parser.add_argument("--seed", type=int, default=World.seed)
    parser.add_argument("--base-rate", type=float, default=World.base_rate)
    parser.add_argument("--letter-noise", type=float, default=World.letter_noise)
    parser.add_argument("--neutral-share", type=float, default=World.neutral_share)
    parser.add_argument("--compat", action="store_true",
                        help="leave out `outcome` and neutral reports (for a credcheck that predates CONTRACT.md section 7); outcomes.json has them")
    args = parser.parse_args(argv)
    world = World(claims=args.claims, sources=args.sources, seed=args.seed, base_rate=args.base_rate,
                  letter_noise=args.letter_noise, neutral_share=args.neutral_share)
    devset = build(world)
    for path in write(devset, world, args.out_dir, compat=args.compat):
        print(path, file=sys.stderr)
    print(oracle_line(devset), file=sys.stderr)
    return 0


def oracle_line(devset: DevSet) -> str:
    """The ceiling: the figures of the oracle probability over every claim."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from credcheck.calibrate.metrics import auc, brier

    ids = list(devset.truth)
    p = [devset.oracle[i] for i in ids]
    o = [devset.truth[i] for i in ids]
    return f"oracle (knows every hidden reliability): AUC {auc(p, o):.3f}, Brier {brier(p, o):.3f} over {len(ids)} claims"


if __name__ == "__main__":
    sys.exit(main())
