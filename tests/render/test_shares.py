"""JSON Lines read in shares by several processes (render/shares.py): same output, same errors as one process."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from credcheck.load import json_input as jsonload
from credcheck.render import parallel as scoring
from credcheck.cli.app import app
from credcheck.load.fast import Fallback
from credcheck.rubric.model import load_rubric
from credcheck.render.shares import line_shares, load_for_scoring
from conftest import everyday_subset

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = load_rubric("default")
needs_fork = pytest.mark.skipif(not scoring.can_fork(), reason="split reading forks (Linux only)")


def generated_lines(tmp_path: Path, n: int) -> list[str]:
    spec = importlib.util.spec_from_file_location("bench_gen", ROOT / "bench" / "gen.py")
    gen = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(gen)  # type: ignore[union-attr]
    return gen.generate(n, tmp_path)["jsonl"].read_text(encoding="utf-8").splitlines()


def scattered(tmp_path: Path, n: int = 300) -> Path:
    """A JSON Lines file whose sources and title are spread over every share: the title and date
    last, a third of the sources after the claims, a few more in one {"sources": [...]} record
    in the middle, and blank lines."""
    lines = generated_lines(tmp_path, n)
    meta = [x for x in lines if x.startswith('{"title"')]
    sources = [x for x in lines if x.startswith('{"source"')]
    claims = [x for x in lines if x not in meta and x not in sources]
    early, grouped, late = sources[: len(sources) // 3], sources[len(sources) // 3: len(sources) // 2], sources[len(sources) // 2:]
    group = json.dumps({"sources": [json.loads(x)["source"] for x in grouped]}, ensure_ascii=False)
    half = len(claims) // 2
    body = early + claims[:half] + ["", group] + claims[half:] + ["   "] + late + meta
    path = tmp_path / "scattered.jsonl"
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    return path


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


def both_ways(path: Path, tmp_path: Path, *extra: str) -> tuple[Any, Any]:
    """The same command in one process (-j 1) and in three (-j 3): (exit code, stdout, stderr, output)."""
    outcomes = []
    for jobs in ("1", "3"):
        out = tmp_path / f"out-{jobs}.json"
        out.write_text("previous")
        code, stdout, stderr = run(["score", str(path), "-f", "json", "-o", str(out), "-j", jobs, *extra])
        outcomes.append((code, stdout, stderr.replace(str(out), "OUT"), out.read_bytes()))
    return outcomes[0], outcomes[1]


# --- where the shares start and end ----------------------------------------------------------

@pytest.mark.parametrize("data", [b"", b"a", b"a\n", b"one line without a break", b"a\nb\nc\nd\n", b"a\n\n\n\nb",
                                  b"x" * 100 + b"\n" + b"y", b"a\nbb\nccc\ndddd\neeeee\n" * 50])
@pytest.mark.parametrize("shares", [1, 2, 3, 7])
def test_shares_are_whole_lines_covering_the_file(data: bytes, shares: int) -> None:
    bounds = line_shares(data, shares)
    assert 1 <= len(bounds) <= shares
    assert bounds[0][0] == 0 and bounds[-1][1] == len(data)
    for (_, end), (start, _) in zip(bounds, bounds[1:]):
        assert end == start and data[start - 1:start] == b"\n"  # each share starts a line
    assert all(start < end for start, end in bounds) or data == b""


def test_shares_are_about_equal() -> None:
    data = b"".join(b'{"id": "c%05d", "text": "claim"}\n' % i for i in range(10_000))
    sizes = [end - start for start, end in line_shares(data, 4)]
    assert len(sizes) == 4 and max(sizes) - min(sizes) < 100


# --- same output -----------------------------------------------------------------------------

@needs_fork
def test_split_output_is_byte_identical(tmp_path: Path, small_shares: list[Any]) -> None:
    path = scattered(tmp_path)
    one, three = both_ways(path, tmp_path, "--fail-under", "4")
    [(here, total, workers)] = small_shares  # the second run read about a third here, the rest in two workers
    assert (total, workers) == (300, 2) and 80 < here < 120
    assert one == three
    assert one[0] == 1 and "claims graded worse than credibility 4" in one[2]
    document = json.loads(one[3])
    assert document["title"].startswith("Synthetic benchmark") and len(document["assessments"]) == 300


@needs_fork
def test_split_with_a_sources_file_and_to_stdout(tmp_path: Path, small_shares: list[Any]) -> None:
    lines = scattered(tmp_path).read_text(encoding="utf-8").splitlines()
    extra = [x for x in lines if x.startswith('{"source"')][-5:]
    claims = tmp_path / "claims.jsonl"
    claims.write_text("\n".join(x for x in lines if x not in extra) + "\n", encoding="utf-8")
    sources = tmp_path / "more-sources.jsonl"
    sources.write_text("\n".join(extra) + "\n", encoding="utf-8")
    outcomes = [run(["score", str(claims), "-s", str(sources), "-f", "json", "-j", jobs]) for jobs in ("1", "2")]
    assert outcomes[0] == outcomes[1] and outcomes[0][0] == 0
    [(here, total, workers)] = small_shares
    assert (total, workers) == (300, 1) and 130 < here < 170


@needs_fork
def test_only_the_json_listing_and_the_streamed_table_are_split(tmp_path: Path, small_shares: list[Any]) -> None:
    path = scattered(tmp_path)
    for args in (["-f", "md"], ["-f", "json", "--brief", str(tmp_path / "brief.md")]):
        code, _, _ = run(["score", str(path), "-j", "3", "-o", str(tmp_path / "out"), *args])
        assert code == 0
    assert small_shares == []
    # a table written to a file is listed row by row (render/rows.py): read in shares, the same text
    tables = []
    for jobs in ("1", "3"):
        code, _, _ = run(["score", str(path), "-j", jobs, "-o", str(tmp_path / f"table-{jobs}.txt")])
        assert code == 0
        tables.append((tmp_path / f"table-{jobs}.txt").read_text(encoding="utf-8"))
    assert tables[0] == tables[1] and tables[0].count("\nclaim-") == 300 and "300 claims. Credibility:" in tables[0]
    assert [workers for _, _, workers in small_shares] == [2]
    loaded = load_for_scoring(path, RUBRIC, jobs=3)  # split=False: the whole file here
    assert (len(loaded.claims.claims), loaded.total, loaded.workers) == (300, 300, [])


@needs_fork
def test_a_split_read_lists_only_through_json(tmp_path: Path, small_shares: list[Any]) -> None:
    loaded = load_for_scoring(scattered(tmp_path), RUBRIC, jobs=2, split=True)
    scored = scoring.Scored(loaded.claims, RUBRIC, jobs=loaded.jobs, shares=loaded.workers, total=loaded.total)
    assert len(scored) == 300 and 130 < len(loaded.claims.claims) < 170
    with pytest.raises(RuntimeError, match="read in shares"):
        iter(scored)
    text = "".join(piece if isinstance(piece, str) else piece.text() for piece in scored.json_listing())
    assert text.count('"admiralty"') == 300 and len(scored.grades) == 300


# --- same errors -----------------------------------------------------------------------------

def _with_line(path: Path, index: int, line: str, replace: bool = True) -> Path:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[index:index + (1 if replace else 0)] = [line]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _claim_line(path: Path, index: int) -> int:
    """The line number (0-based) of the index-th claim."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [i for i, x in enumerate(lines) if x.startswith('{"id"')][index]


BREAKAGES = {
    "unknown source in the last share": lambda p: _with_line(p, _claim_line(p, 280), '{"id": "late", "text": "A claim.", "reports": [{"source": "nobody"}]}'),
    "unknown relay in the middle share": lambda p: _with_line(p, _claim_line(p, 150), '{"id": "mid", "text": "A claim.", "reports": [{"source": "src-00001", "via": ["ghost"]}]}'),
    "claim id in two shares": lambda p: _with_line(p, _claim_line(p, 290), '{"id": "claim-000001", "text": "Again."}'),
    "claim id twice in one share": lambda p: _with_line(p, _claim_line(p, 291), '{"id": "claim-000290", "text": "Again."}'),
    "source id in two shares": lambda p: _with_line(p, _claim_line(p, 250), '{"source": {"id": "src-00000", "name": "Again", "type": "news_outlet"}}', False),
    "title given twice": lambda p: _with_line(p, 0, '{"title": "Another title"}', False),
    "syntax error in the last share": lambda p: _with_line(p, _claim_line(p, 270), '{"id": "broken", "text": "oops"'),
    "unknown field in the middle share": lambda p: _with_line(p, _claim_line(p, 160), '{"id": "odd", "text": "A claim.", "colour": "red"}'),
    "derived_from cycle across shares": lambda p: _with_line(_with_line(p, 0, '{"source": {"id": "a1", "name": "A", "type": "news_outlet", "derived_from": ["a2"]}}', False),
                                                             _claim_line(p, 280), '{"source": {"id": "a2", "name": "B", "type": "news_outlet", "derived_from": ["a1"]}}', False),
}


@needs_fork
@pytest.mark.parametrize("breakage", everyday_subset(sorted(BREAKAGES), {"claim id in two shares"}))
def test_split_reports_the_same_errors(tmp_path: Path, small_shares: list[Any], breakage: str) -> None:
    path = BREAKAGES[breakage](scattered(tmp_path))
    one, three = both_ways(path, tmp_path)
    assert one == three
    code, _, stderr, output = one
    assert code == 2 and "Traceback" not in stderr and str(path) in stderr
    assert output == b"previous"  # nothing written
    assert small_shares == ["fallback"]  # the split read gave up: the file was read whole


@needs_fork
@pytest.mark.slow  # a split read falling back to a whole one everyday: a JSON document with its claims first (below)
def test_unusual_but_valid_shares_give_the_same_output(tmp_path: Path, small_shares: list[Any]) -> None:
    # An id not in Unicode NFC in the last share: only the located reader normalises it.
    path = _with_line(scattered(tmp_path), _claim_line(scattered(tmp_path), 285),
                      '{"id": "cafe\\u0301", "text": "A claim.", "reports": [{"source": "src-00001"}]}')
    one, three = both_ways(path, tmp_path)
    assert one == three and one[0] == 0
    assert "caf\u00e9" in one[3].decode("utf-8")
    assert small_shares == ["fallback"]


@needs_fork
def test_a_worker_failing_while_reading_fails_the_run_and_keeps_the_output(tmp_path: Path, small_shares: list[Any],
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    real = jsonload.read_share

    def broken(data: bytes, start: int, end: int, *args: Any) -> Any:
        if start > 0:  # every share but this process's own
            raise ValueError("boom")
        return real(data, start, end, *args)

    monkeypatch.setattr(jsonload, "read_share", broken)
    with pytest.raises(RuntimeError, match="a reading worker failed:(.|\n)*ValueError: boom"):
        load_for_scoring(scattered(tmp_path), RUBRIC, jobs=3, split=True)


# --- one JSON document: decoded here, converted in shares ------------------------------------

def json_document(tmp_path: Path, n: int = 300, change: Any = None, claims_last: bool = True, indent: int | None = 2) -> Path:
    """The generated claims as one JSON document (the claims last, or before the sources); `change` edits it."""
    lines = [json.loads(x) for x in scattered(tmp_path, n).read_text(encoding="utf-8").splitlines() if x.strip()]
    meta = next(x for x in lines if "title" in x)
    sources = [x["source"] for x in lines if "source" in x] + [s for x in lines if "sources" in x for s in x["sources"]]
    claims = [x for x in lines if "id" in x]
    if claims_last:
        document = {"title": meta["title"], "as_of": meta["as_of"], "sources": sources, "claims": claims}
    else:
        document = {"title": meta["title"], "claims": claims, "as_of": meta["as_of"], "sources": sources}
    if change is not None:
        change(document)
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(document, indent=indent, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _first_key(key: str) -> Any:
    def change(document: dict[str, Any]) -> None:
        document["claims"] = [{key: c[key], **c} for c in document["claims"]]
    return change


@needs_fork
@pytest.mark.parametrize("indent", everyday_subset([2, None], {2}))  # one line: test_text_that_looks_like_a_cut_is_not_one
def test_a_json_document_is_cut_between_claims(tmp_path: Path, small_shares: list[Any], indent: int | None) -> None:
    one, three = both_ways(json_document(tmp_path, indent=indent), tmp_path, "--fail-under", "4")
    assert one == three and one[0] == 1
    [(here_one, _, _), (here, total, workers)] = small_shares  # -j 1 read it whole here; -j 3 in three shares
    assert here_one == total == 300 and workers == 2 and 80 < here < 120


@needs_fork
@pytest.mark.parametrize("case", everyday_subset(["claims before the sources", "claims not starting with their id"],
                                                  {"claims before the sources"}))
def test_a_json_document_that_cannot_be_cut_is_decoded_here_and_converted_in_shares(
        tmp_path: Path, small_shares: list[Any], case: str) -> None:
    if case == "claims before the sources":
        path = json_document(tmp_path, claims_last=False)
        expected = [(300, 300, 0), "fallback", (100, 300, 2)]  # the last share did not end the document
    else:
        path = json_document(tmp_path, change=_first_key("text"))
        expected = [(300, 300, 0), (100, 300, 2)]  # no place to cut
    one, three = both_ways(path, tmp_path)
    assert one == three and one[0] == 0
    assert small_shares == expected


def _late_claim(document: dict[str, Any], claim: dict[str, Any], index: int = 280) -> None:
    document["claims"][index] = claim


def _reports_with_ids(document: dict[str, Any]) -> None:
    """Reports that start with an (unknown) "id" key, all through the claims: false places to cut."""
    for claim in document["claims"]:
        claim["reports"] = [{"id": "x", **r} for r in claim.get("reports") or [{"source": "src-00001"}, {"source": "src-00002"}]]


JSON_BREAKAGES = {
    "unknown source in the last share": lambda d: _late_claim(d, {"id": "late", "text": "A claim.", "reports": [{"source": "nobody"}]}),
    "unknown source in the middle share": lambda d: _late_claim(d, {"id": "mid", "text": "A claim.", "reports": [{"source": "nobody"}]}, 150),
    "claim id in two shares": lambda d: _late_claim(d, {"id": "claim-000001", "text": "Again."}),
    "unknown field in the last share": lambda d: _late_claim(d, {"id": "odd", "text": "A claim.", "colour": "red"}),
    "wrong type in the last share": lambda d: _late_claim(d, {"id": "odd", "text": ["a", "list"]}),
    "reports with an id key everywhere": _reports_with_ids,
}


@needs_fork
@pytest.mark.parametrize("breakage", everyday_subset(sorted(JSON_BREAKAGES), {"unknown source in the last share"}))
def test_a_json_document_in_shares_reports_the_same_errors(tmp_path: Path, small_shares: list[Any], breakage: str) -> None:
    path = json_document(tmp_path, change=JSON_BREAKAGES[breakage])
    one, three = both_ways(path, tmp_path)
    assert one == three
    assert one[0] == 2 and "Traceback" not in one[2] and one[3] == b"previous"
    assert set(small_shares) == {"fallback"}


@needs_fork
def test_text_that_looks_like_a_cut_is_not_one(tmp_path: Path, small_shares: list[Any]) -> None:
    looks_like_a_cut = 'said "}, {"id": "fake", "text": "x"}, {"id": "fake2"' * 3

    def change(document: dict[str, Any]) -> None:
        for claim in document["claims"][90:110] + document["claims"][190:210]:
            claim["text"] = looks_like_a_cut
    one, three = both_ways(json_document(tmp_path, change=change, indent=None), tmp_path)
    assert one == three and one[0] == 0
    assert json.loads(one[3])["assessments"][100]["text"] == looks_like_a_cut
    assert "fallback" not in small_shares


def test_cuts_fall_between_claims_and_the_shares_read_back_the_document(tmp_path: Path) -> None:
    from credcheck.load.contract import Vocabulary
    from credcheck.load.fast import JsonConverter
    from credcheck.limits import DEFAULT_LIMITS
    text = json_document(tmp_path, indent=None).read_text(encoding="utf-8")
    conv = JsonConverter(Vocabulary.of(RUBRIC), DEFAULT_LIMITS)
    whole = conv.document(json.loads(text), "claims")
    cuts = jsonload.claim_cuts(text, 4)
    assert len(cuts) == 3 and all(text[cut] == "," for cut in cuts)
    parts = [jsonload.read_document_head(text, cuts[0], conv)]
    parts += [jsonload.read_document_claims(text, cut, end, conv) for cut, end in zip(cuts, [*cuts[1:], None])]
    assert [c for p in parts for c in p.claims] == whole.claims
    assert (parts[0].title, parts[0].as_of, parts[0].sources) == (whole.title, whole.as_of, whole.sources)
    with pytest.raises(Fallback):  # a cut the share before never reaches
        jsonload.read_document_claims(text, cuts[0], cuts[2] - 1, conv)
    with pytest.raises(Fallback):  # a cut inside a claim
        jsonload.read_document_head(text, text.index('"reports"', cuts[1]) + 5, conv)


@needs_fork
def test_a_small_json_document_is_read_here(tmp_path: Path, small_shares: list[Any]) -> None:
    one, three = both_ways(json_document(tmp_path, 60), tmp_path)
    assert one == three and one[0] == 0
    assert small_shares == [(60, 60, 0)] * 2  # 60 claims: one share of at least 40


def test_shares_hold_about_as_many_claims_after_leading_sources() -> None:
    sources = b"".join(b'{"source": {"id": "s%05d", "name": "Source", "type": "news_outlet"}}\n' % i for i in range(5_000))
    claims = b"".join(b'{"id": "c%05d", "text": "claim"}\n' % i for i in range(5_000))
    data = b'{"title": "T"}\n\n' + sources + claims
    counts = [sum(line.startswith(b'{"id"') for line in data[start:end].splitlines()) for start, end in line_shares(data, 2)]
    assert sum(counts) == 5_000 and abs(counts[0] - counts[1]) <= 2  # the cut falls at the next line break


@needs_fork
@pytest.mark.parametrize("limit,fmt", everyday_subset([(limit, fmt) for limit in ("claims=250", "reports=300", "list-items=250", "string=20")
                                                       for fmt in ("jsonl", "json")],
                                                      {("claims=250", "json")}))
def test_limits_hold_for_the_whole_file_not_each_share(tmp_path: Path, small_shares: list[Any], fmt: str, limit: str) -> None:
    path = scattered(tmp_path) if fmt == "jsonl" else json_document(tmp_path)
    one, three = both_ways(path, tmp_path, "--limit", limit)
    assert one == three
    if limit == "list-items=250" and fmt == "jsonl":
        assert one[0] == 0  # JSON Lines claims are no list
    else:
        assert one[0] == 2 and "limit" in one[2] and one[3] == b"previous"


@needs_fork
def test_blank_lines_do_not_make_a_file_large(tmp_path: Path, small_shares: list[Any]) -> None:
    lines = scattered(tmp_path, 30).read_text(encoding="utf-8").splitlines()
    path = tmp_path / "blank.jsonl"
    path.write_text("\n".join(lines[:10] + [""] * 500 + lines[10:] + ["   "] * 500) + "\n", encoding="utf-8")
    one, three = both_ways(path, tmp_path)
    assert one == three and one[0] == 0
    assert small_shares == []  # 30 claims: not worth a second process, however many lines
