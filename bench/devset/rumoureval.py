"""RumourEval Twitter threads (SemEval 2017 task 8, or the Twitter part of 2019 task 7) as resolved claims files.

    python bench/devset/rumoureval.py DATA_DIR OUT_DIR [--labels FILE]... [--compat]

DATA_DIR is a local copy of the data set (see bench/devset/README.md: where to
get it and its licence; nothing is fetched). Every thread folder under it
(`<event>/<thread id>/` with `source-tweet/`, `replies/`) becomes one claim
when its veracity is true or false; unverified threads are left out.

- The claim is the source tweet's text; its outcome is the thread's veracity
  (true -> confirmed, false -> refuted); its tag is the event.
- Every author in the thread (source tweet and replies) is one source, with
  the same id across threads (`tw-<screen name>`), so an author's history
  builds up over the set. One report per author per claim: the stance
  annotations support -> supports, deny -> refutes, query and comment ->
  neutral; an author with several tweets supports (or refutes) when any of
  them does and none takes the other side, takes the side of their first
  decisive tweet when they took both, and is neutral otherwise.
- Source type from the account alone, never from outcomes: a verified
  account of a state broadcaster (RT, Sputnik, ...) -> state_media; of a
  wire agency or its staff -> wire_service; of a news organisation or a
  journalist -> news_outlet; of a police force, government body or office
  holder -> official_on_record; any other account -> social_media. No
  reliability letters: the rubric's type defaults apply.
- Access is not stated (unknown); there is no evidence item.

Writes OUT_DIR/claims.yaml, OUT_DIR/outcomes.json (claim id -> status) and
OUT_DIR/summary.json (counts). --compat leaves out what today's loader does
not read yet (CONTRACT.md 7.1: `outcome`, neutral reports, `published`,
`url`, `excerpt`). Same input, same files, byte for byte.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable

import yaml

STANCE = {"support": "supports", "deny": "refutes", "query": "neutral", "comment": "neutral"}
VERACITY = {"true": "confirmed", "false": "refuted"}  # "unverified": left out
STANCE_KEYS = ("subtaskaenglish", "subtaska")
VERACITY_KEYS = ("subtaskbenglish", "subtaskb")

STATE = re.compile(r"\b(russia today|rt_com|sputnik|xinhua|cgtn|cctv|press ?tv|tass|kcna|global times|people's daily)\b", re.I)
WIRE = re.compile(r"\b(reuters|associated press|afp|agence france|press association|dpa|ansa|efe)\b|^ap$|^ap_", re.I)
NEWS = re.compile(
    r"\b(news|breaking|journalist|reporter|correspondent|editor|anchor|producer|broadcaster|newspaper|magazine|"
    r"times|post|tribune|herald|journal|gazette|telegraph|guardian|independent|daily|globe|press|tv|radio|"
    r"bbc|cnn|cbc|abc|nbc|cbs|fox|msnbc|sky|itv|channel|euronews|france24|al ?jazeera|vice|buzzfeed|huffpost)\b",
    re.I,
)
OFFICIAL = re.compile(
    r"\b(police|government|ministry|minister|department|official account|embassy|mayor|senator|mp for|"
    r"member of parliament|council|prime minister|president of|spokesperson|spokesman|army|military|airline)\b",
    re.I,
)


@dataclass(frozen=True)
class Tweet:
    id: str
    author: str  # screen name
    created: datetime
    text: str
    user: dict[str, Any]


def source_type(user: dict[str, Any]) -> str:
    """The contract's source type for a Twitter account, from its profile alone."""
    if not user.get("verified"):
        return "social_media"
    profile = " ".join(str(user.get(k) or "") for k in ("screen_name", "name", "description"))
    if STATE.search(profile):
        return "state_media"
    if WIRE.search(profile) or WIRE.search(str(user.get("screen_name", ""))):
        return "wire_service"
    if NEWS.search(profile):  # before officials: a police reporter is a reporter
        return "news_outlet"
    if OFFICIAL.search(profile):
        return "official_on_record"
    return "social_media"


def read_tweet(path: Path) -> Tweet:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Tweet(
        id=str(data["id_str"] if "id_str" in data else data["id"]),
        author=data["user"]["screen_name"],
        created=datetime.strptime(data["created_at"], "%a %b %d %H:%M:%S %z %Y"),
        text=" ".join(str(data.get("full_text") or data["text"]).split()),  # one line: tweets wrap at random
        user=data["user"],
    )


def read_labels(paths: Iterable[Path]) -> tuple[dict[str, str], dict[str, str]]:
    """(tweet id -> stance label, thread id -> veracity label) from the task's label files.

    A file is either one flat map (2017: subtask A holds stances, subtask B
    veracity) or maps under `subtaskaenglish` / `subtaskbenglish` (2019).
    """
    stances: dict[str, str] = {}
    veracity: dict[str, str] = {}
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        parts = [data[k] for k in STANCE_KEYS + VERACITY_KEYS if k in data] or [data]
        for part in parts:
            for key, label in part.items():
                label = label["label"] if isinstance(label, dict) else label  # some copies nest {"label": ...}
                label = str(label).lower()
                if label in STANCE:
                    stances[str(key)] = label
                elif label in ("true", "false", "unverified"):
                    veracity[str(key)] = label
    return stances, veracity


def default_label_files(root: Path) -> list[Path]:
    """The label files of the usual layouts: 2017 traindev/*.json, 2019 *-key.json."""
    return sorted(root.rglob("rumoureval-subtask*.json")) + sorted(root.rglob("*-key.json"))


def thread_folders(root: Path) -> list[Path]:
    """Every thread folder (one with a source-tweet folder), in a fixed order."""
    return sorted({p.parent.parent for p in root.rglob("source-tweet/*.json")}, key=lambda p: (p.parent.name, p.name))


def author_stance(labels: list[str]) -> str:
    """One report's stance from an author's stances in the thread, in time order."""
    decisive = [s for s in labels if s != "neutral"]
    return decisive[0] if decisive else "neutral"  # the first side taken; later tweets mostly argue it


def thread_claim(folder: Path, stances: dict[str, str], status: str, compat: bool,
                 sources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One thread as a claim; adds its authors to `sources`."""
    source_tweet = read_tweet(next(iter(sorted((folder / "source-tweet").glob("*.json")))))
    replies = [read_tweet(p) for p in sorted((folder / "replies").glob("*.json"))] if (folder / "replies").is_dir() else []
    tweets = [source_tweet] + sorted(replies, key=lambda t: (t.created, t.id))
    by_author: dict[str, list[Tweet]] = {}
    for t in tweets:
        if t.id in stances:  # unannotated tweets say nothing we can use
            by_author.setdefault(t.author, []).append(t)
    reports = []
    for author, own in by_author.items():
        sid = f"tw-{author.lower()}"
        sources.setdefault(sid, {
            "id": sid,
            "name": f"{' '.join(str(own[0].user.get('name') or author).split())} (@{author})",
            "type": source_type(own[0].user),
        })
        stance = author_stance([STANCE[stances[t.id]] for t in own])
        if compat and stance == "neutral":
            continue
        report: dict[str, Any] = {"source": sid}
        if stance != "supports":
            report["stance"] = stance
        if not compat:
            first = own[0]
            report["published"] = first.created.strftime("%Y-%m-%dT%H:%M:%SZ")
            report["url"] = f"https://twitter.com/{author}/status/{first.id}"
            report["excerpt"] = first.text
        reports.append(report)
    claim: dict[str, Any] = {
        "id": f"rumoureval-{folder.name}",
        "text": source_tweet.text,
        "tags": [folder.parent.name],
        "reports": reports,
    }
    if not compat:
        claim["outcome"] = {"status": status}
    return claim


def convert(root: Path, label_files: list[Path], compat: bool) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    """(claims document, claim id -> status, counts) for every resolved thread under `root`."""
    stances, veracity = read_labels(label_files)
    sources: dict[str, dict[str, Any]] = {}
    claims, outcomes = [], {}
    skipped: Counter[str] = Counter()
    for folder in thread_folders(root):
        label = veracity.get(folder.name)
        if label not in VERACITY:
            skipped[label or "no veracity label"] += 1
            continue
        claim = thread_claim(folder, stances, VERACITY[label], compat, sources)
        claims.append(claim)
        outcomes[claim["id"]] = VERACITY[label]
    document = {
        "title": "RumourEval Twitter threads with a veracity label",
        "sources": sorted(sources.values(), key=lambda s: s["id"]),
        "claims": claims,
    }
    counts = {
        "claims": len(claims),
        "confirmed": sum(1 for s in outcomes.values() if s == "confirmed"),
        "refuted": sum(1 for s in outcomes.values() if s == "refuted"),
        "threads_left_out": dict(sorted(skipped.items())),
        "sources": len(sources),
        "source_types": dict(sorted(Counter(s["type"] for s in sources.values()).items())),
        "reports": dict(sorted(Counter(r.get("stance", "supports") for c in claims for r in c["reports"]).items())),
    }
    return document, outcomes, counts


def write_atomically(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path, help="the unpacked data set")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--labels", type=Path, action="append", default=[],
                        help="a label file (stances and/or veracity); default: the usual files under DATA_DIR")
    parser.add_argument("--compat", action="store_true",
                        help="leave out outcome, neutral reports, published, url and excerpt (a loader before CONTRACT.md 7.1)")
    args = parser.parse_args(argv)
    labels = args.labels or default_label_files(args.data_dir)
    if not labels:
        print(f"error: no label files under {args.data_dir}; give them with --labels", file=sys.stderr)
        return 2
    document, outcomes, counts = convert(args.data_dir, labels, args.compat)
    if not document["claims"]:
        print(f"error: no thread under {args.data_dir} has a true or false veracity label", file=sys.stderr)
        return 2
    args.out_dir.mkdir(parents=True, exist_ok=True)
    write_atomically(args.out_dir / "claims.yaml",
                     yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=1000))
    write_atomically(args.out_dir / "outcomes.json", json.dumps(outcomes, indent=1) + "\n")
    write_atomically(args.out_dir / "summary.json", json.dumps(counts, indent=1) + "\n")
    print(json.dumps(counts), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
