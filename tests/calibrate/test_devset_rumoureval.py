"""bench/devset/rumoureval.py on a made-up miniature of the RumourEval layout (the real data is never in the repo)."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from credcheck import load_claims, load_rubric

ROOT = Path(__file__).resolve().parents[2]


def rumoureval() -> ModuleType:
    name = "devset_rumoureval"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "devset" / "rumoureval.py")
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        sys.modules[name] = module
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    return sys.modules[name]


def tweet(tid: str, who: str, minute: int, text: str, verified: bool = False, description: str = "") -> dict[str, Any]:
    return {
        "id_str": tid, "text": text, "created_at": f"Wed Jan 07 11:{minute:02d}:00 +0000 2015",
        "user": {"screen_name": who, "name": who.title(), "verified": verified, "description": description},
    }


def thread(root: Path, event: str, source: dict[str, Any], replies: list[dict[str, Any]]) -> None:
    folder = root / "rumoureval-data" / event / source["id_str"]
    (folder / "source-tweet").mkdir(parents=True)
    (folder / "replies").mkdir()
    (folder / "source-tweet" / f"{source['id_str']}.json").write_text(json.dumps(source))
    for r in replies:
        (folder / "replies" / f"{r['id_str']}.json").write_text(json.dumps(r))


def miniature(root: Path) -> None:
    thread(root, "siege", tweet("100", "BBCBreaking", 0, "Hostages\nheld in cafe", True, "Breaking news from the BBC"), [
        tweet("101", "alice", 5, "@BBCBreaking true, I am there"),
        tweet("102", "bob", 6, "@BBCBreaking fake"),
        tweet("103", "bob", 9, "@alice actually you are right"),
        tweet("104", "carol", 7, "@BBCBreaking source?"),
        tweet("105", "RT_com", 8, "@BBCBreaking no", True, "RT (Russia Today) is a global news channel"),
    ])
    thread(root, "siege", tweet("200", "alice", 20, "Gunman has a flag"), [tweet("201", "bob", 21, "@alice yes")])
    thread(root, "siege", tweet("300", "dave", 30, "Second gunman"), [])  # unverified: left out
    (root / "traindev").mkdir()
    stances = {"100": "support", "101": "support", "102": "deny", "103": "support", "104": "query",
               "105": "deny", "200": "support", "201": "support", "300": "support"}
    (root / "traindev" / "rumoureval-subtaskA-train.json").write_text(json.dumps(stances))
    (root / "traindev" / "rumoureval-subtaskB-train.json").write_text(json.dumps({"100": "true", "200": "false", "300": "unverified"}))


def convert(tmp_path: Path, compat: bool) -> tuple[dict[str, Any], Path]:
    data = tmp_path / "data"
    if not data.exists():
        miniature(data)
    out = tmp_path / ("compat" if compat else "full")
    assert rumoureval().main([str(data), str(out)] + (["--compat"] if compat else [])) == 0
    return yaml.safe_load((out / "claims.yaml").read_text(encoding="utf-8")), out


def test_threads_become_claims_with_one_report_per_author(tmp_path: Path) -> None:
    document, out = convert(tmp_path, compat=False)
    first, second = document["claims"]
    assert [c["id"] for c in document["claims"]] == ["rumoureval-100", "rumoureval-200"]
    assert first["text"] == "Hostages held in cafe" and first["tags"] == ["siege"]
    assert first["outcome"] == {"status": "confirmed"} and second["outcome"] == {"status": "refuted"}
    stances = {r["source"]: r.get("stance", "supports") for r in first["reports"]}
    # bob denied first, then agreed with a reply: his first side counts; carol only asked
    assert stances == {"tw-bbcbreaking": "supports", "tw-alice": "supports", "tw-bob": "refutes",
                       "tw-carol": "neutral", "tw-rt_com": "refutes"}
    assert first["reports"][0]["url"] == "https://twitter.com/BBCBreaking/status/100"
    assert first["reports"][0]["published"] == "2015-01-07T11:00:00Z"
    assert json.loads((out / "outcomes.json").read_text()) == {"rumoureval-100": "confirmed", "rumoureval-200": "refuted"}


def test_source_types_come_from_the_profile(tmp_path: Path) -> None:
    document, _ = convert(tmp_path, compat=False)
    types = {s["id"]: s["type"] for s in document["sources"]}
    assert types == {"tw-alice": "social_media", "tw-bbcbreaking": "news_outlet", "tw-bob": "social_media",
                     "tw-carol": "social_media", "tw-rt_com": "state_media"}


def test_compat_output_loads_in_todays_credcheck_and_is_deterministic(tmp_path: Path) -> None:
    document, out = convert(tmp_path, compat=True)
    assert all("outcome" not in c for c in document["claims"])
    assert all(r.get("stance") != "neutral" and "url" not in r for c in document["claims"] for r in c["reports"])
    claims = load_claims(out / "claims.yaml", load_rubric("default"))
    assert len(claims.claims) == 2
    first = (out / "claims.yaml").read_bytes()
    convert(tmp_path, compat=True)
    assert (out / "claims.yaml").read_bytes() == first


def test_no_labels_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert rumoureval().main([str(tmp_path / "empty"), str(tmp_path / "out")]) == 2
