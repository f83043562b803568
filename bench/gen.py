"""Synthetic claims files for the benchmark: deterministic for a given size and seed.

The mix follows what machine-collected OSINT looks like: many outlets that
relay a few originals (`via`), families of outlets under one owner, outlets
that republish others (`derived_from`), analyst ratings on a quarter of the
sources, one to five reports and zero to four evidence items per claim.
Claim texts read like reporting (actor, hedged or plain action, place, time,
often who says so) and no two are alike, as in a real collection, so
nothing is measured on repeated texts that a cache would answer.
The same data is written as YAML (block style, as analysts write it), JSON
and JSON Lines, so the formats can be compared on identical content.
"""
from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any

SOURCE_TYPES = (
    ("news_outlet", 30), ("wire_service", 8), ("social_media", 14), ("anonymous_official", 8),
    ("official_on_record", 6), ("official_record", 3), ("intelligence_service", 4), ("state_media", 6),
    ("defector_testimony", 5), ("eyewitness", 6), ("ngo", 5), ("academic", 3), ("unknown", 2),
)
EVIDENCE_TYPES = ("imagery", "video", "document", "official_record", "statistics", "named_witness", "testimony")
# Words bench/copies.py draws its excerpts from.
WORDS = """army border officials reported soldiers crossed river village near checkpoint units front-line
desertions increased recent months supplies shortage rations fuel trucks convoy seen satellite images
district police detained journalists protest square capital ministry denied statement spokesman said
hospital shelling damaged bridge port shipment grain exports sanctions vessel transfer night coast
guard patrol drone footage shows burned depot warehouse market prices rose currency fell election
commission results turnout villages displaced families camp aid agency access blocked""".split()
# Claims read like reporting: who did what, where, when, and often who says so, hedged or not.
# Each text is different (numbers, places, days), as in real collections: nothing is repeated.
ACTORS = ("Border guards", "Two front-line soldiers", "A platoon of KPA infantry", "Local police", "The interior ministry",
          "Protesters", "A convoy of fuel trucks", "Militia units", "The coast guard", "Customs officers", "Aid workers",
          "Foreign journalists", "Opposition candidates", "Drone operators", "Factory workers", "Displaced families",
          "The state grain agency", "Navy patrol boats", "Election officials", "Security forces", "Smugglers",
          "Hospital staff", "Railway workers", "A cargo vessel", "Army engineers")
ACTIONS = ("crossed the river", "detained {n} journalists", "shelled the bridge", "blocked aid convoys",
           "seized a shipment of grain", "withdrew from the checkpoint", "deserted their posts",
           "raised fuel prices by {n} percent", "closed the central market", "burned a supply depot",
           "transferred {n} tonnes of oil at sea", "fired on a fishing boat", "cut power to {n} villages",
           "moved {n} artillery pieces forward", "arrested {n} protesters", "reported a cholera outbreak",
           "dug new trenches", "stopped {n} trucks at the border", "published turnout figures",
           "evacuated the district hospital", "rationed bread to {n} grams a day", "reinforced the coastal battery")
PLACES = ("near Kaesong", "in the capital", "at the northern checkpoint", "outside Sinuiju", "along the coast road",
          "in Hyesan district", "near the demilitarised zone", "at the port of Nampo", "in the border town",
          "on the eastern front", "near the grain silos", "at the railway junction", "in the refugee camp",
          "north of the reservoir", "outside the ministry", "in the fishing villages", "at the river crossing")
SYLLABLES = ("han", "sok", "chon", "ri", "dong", "pyo", "gang", "mun", "san", "jin", "ok", "bu", "ta", "ye")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
TIMES = ("on {day} {month}", "overnight on {day} {month}", "in the week of {day} {month}", "since early {month}",
         "late on {day} {month}", "before dawn on {day} {month}", "in recent months", "last week")
SAYS = ("officials said", "a spokesman said", "state media reported", "residents told reporters",
        "according to a defector", "satellite images appear to show", "two sources familiar with the matter said",
        "the ministry denied", "local activists claimed", "a wire service reported, citing unnamed officials",
        "an eyewitness said", "it was reported")
HEDGES = ("", "", "", "reportedly ", "allegedly ", "may have ", "appear to have ", "are believed to have ")
NOTE_KINDS = ("imagery dated {day} {month}", "no figures released", "documents seen by reporters",
              "a named witness, interviewed twice", "customs records for {month}", "video geolocated to {place}",
              "hospital admission logs", "an official statement of {day} {month}")
TAGS = ("military", "border", "economy", "politics", "humanitarian", "media", "sanctions", "protest", "energy", "health")


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([t for t, _ in table], [w for _, w in table])[0]


def _place(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(PLACES)
    name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return f"near the village of {name}"


def _fill(rng: random.Random, template: str) -> str:
    return template.format(n=rng.randint(2, 480), day=rng.randint(1, 28), month=rng.choice(MONTHS), place=_place(rng))


def _claim_text(rng: random.Random) -> str:
    """One sentence of reporting: actor, (hedged) action, place, time, and often a source for it."""
    body = f"{rng.choice(ACTORS)} {rng.choice(HEDGES)}{_fill(rng, rng.choice(ACTIONS))}"
    sentence = f"{body} {_place(rng)} {_fill(rng, rng.choice(TIMES))}"
    if rng.random() < 0.6:
        sentence += f", {rng.choice(SAYS)}"
    return sentence + "."


def _unique_text(rng: random.Random, seen: set[str]) -> str:
    while True:
        text = _claim_text(rng)
        if text not in seen:
            seen.add(text)
            return text


def make_sources(rng: random.Random, n_claims: int) -> list[dict[str, Any]]:
    count = max(30, n_claims // 10)
    owners = [f"Owner group {i}" for i in range(max(3, count // 12))]
    sources: list[dict[str, Any]] = []
    for i in range(count):
        kind = _weighted(rng, SOURCE_TYPES)
        src: dict[str, Any] = {"id": f"src-{i:05d}", "name": f"{kind.replace('_', ' ').title()} number {i}", "type": kind}
        if rng.random() < 0.25:
            src["reliability"] = rng.choice("ABCDEF")
        if rng.random() < 0.3:
            src["owner"] = rng.choice(owners)
        if i > 5 and rng.random() < 0.15:  # republishes earlier sources only: never a cycle
            src["derived_from"] = sorted(set(f"src-{rng.randrange(i):05d}" for _ in range(rng.randint(1, 2))))
        sources.append(src)
    return sources


def make_claim(rng: random.Random, index: int, n_sources: int, seen: set[str] | None = None) -> dict[str, Any]:
    """One claim; its text differs from every text in `seen` (the claims made so far), which it joins."""
    claim: dict[str, Any] = {"id": f"claim-{index:06d}", "text": _unique_text(rng, set() if seen is None else seen)}
    if rng.random() < 0.7:
        claim["tags"] = sorted(set(rng.choices(TAGS, k=rng.randint(1, 3))))
    reports = []
    for _ in range(rng.choice((0, 1, 2, 3, 3, 3, 4, 5))):
        report: dict[str, Any] = {"source": f"src-{int(rng.paretovariate(1.2) * 7) % n_sources:05d}"}
        if rng.random() < 0.15:
            report["stance"] = "refutes"
        if rng.random() < 0.6:
            report["access"] = rng.choice(("first_hand", "second_hand", "unknown"))
        if rng.random() < 0.2:
            via = sorted(set(f"src-{rng.randrange(n_sources):05d}" for _ in range(rng.randint(1, 2))) - {report["source"]})
            if via:
                report["via"] = via
        reports.append(report)
    claim["reports"] = reports
    evidence = []
    for _ in range(rng.choice((0, 1, 2, 2, 2, 3, 4))):
        item: dict[str, Any] = {"type": rng.choice(EVIDENCE_TYPES), "verified": rng.random() < 0.3}
        if rng.random() < 0.5:
            item["note"] = _fill(rng, rng.choice(NOTE_KINDS))
        evidence.append(item)
    claim["evidence"] = evidence
    return claim


def make_dataset(n_claims: int, seed: int = 1) -> dict[str, Any]:
    rng = random.Random(f"credcheck-bench-{seed}-{n_claims}")
    sources = make_sources(rng, n_claims)
    seen: set[str] = set()
    claims = [make_claim(rng, i, len(sources), seen) for i in range(n_claims)]
    return {"title": f"Synthetic benchmark, {n_claims:,} claims", "as_of": "2026-11-20", "sources": sources, "claims": claims}


# --- writers: the YAML is written by hand (block style) so generating 100k claims takes seconds ---

def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False) if any(c in value for c in ":#'\"[]{},&*!|>%@`") else value


def _yaml_map(item: dict[str, Any], indent: str) -> list[str]:
    lines = []
    first = True
    for key, value in item.items():
        lead = indent[:-2] + "- " if first else indent
        first = False
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{lead}{key}:")
            for sub in value:
                lines.extend(_yaml_map(sub, indent + "    "))
        elif isinstance(value, list):
            lines.append(f"{lead}{key}: [{', '.join(_scalar(v) for v in value)}]")
        elif isinstance(value, dict):  # a small mapping (an outcome) in flow style
            lines.append(f"{lead}{key}: {{{', '.join(f'{k}: {_scalar(v)}' for k, v in value.items())}}}")
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")
    return lines


def write_yaml(data: dict[str, Any], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(f"title: {_scalar(data['title'])}\nas_of: {data['as_of']}\n")
        for key in ("sources", "claims"):
            out.write(f"{key}:\n")
            for item in data[key]:
                out.write("\n".join(_yaml_map(item, "    ")) + "\n")


def write_json(data: dict[str, Any], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=1, ensure_ascii=False)
        out.write("\n")


def write_jsonl(data: dict[str, Any], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps({"title": data["title"], "as_of": data["as_of"]}, ensure_ascii=False) + "\n")
        for src in data["sources"]:
            out.write(json.dumps({"source": src}, ensure_ascii=False) + "\n")
        for claim in data["claims"]:
            out.write(json.dumps(claim, ensure_ascii=False) + "\n")


def generate(n_claims: int, folder: Path, seed: int = 1) -> dict[str, Path]:
    """Write claims-N-sSEED-VERSION.yaml/.json/.jsonl into folder (skipped when already there).

    VERSION is a digest of this file: data written by an earlier generator is
    never measured in place of what it writes now."""
    folder.mkdir(parents=True, exist_ok=True)
    version = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8]
    paths = {ext: folder / f"claims-{n_claims}-s{seed}-{version}.{ext}" for ext in ("yaml", "json", "jsonl")}
    if all(p.exists() for p in paths.values()):
        return paths
    data = make_dataset(n_claims, seed)
    for ext, writer in (("yaml", write_yaml), ("json", write_json), ("jsonl", write_jsonl)):
        tmp = paths[ext].with_suffix(paths[ext].suffix + ".tmp")
        writer(data, tmp)
        tmp.replace(paths[ext])
    return paths
