"""The terminal table fits the terminal: at 80, 100 and 120 columns every value of every row is shown."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from credcheck import assess, load_claims, load_rubric
from credcheck.render import Report, percent
from credcheck.render.table import LAYOUTS, MIN_CLAIM_WIDTH, choose_layout, print_table, short_ids, shorten

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dmz-desertions" / "claims.yaml"
RUBRIC = load_rubric("default")

HARD = """\
title: Long ids, many flags, Korean text
sources:
  - {id: wire, name: A wire service, type: wire_service}
  - {id: daily, name: A daily, type: news_outlet, derived_from: [wire]}
  - {id: rebuttal, name: A ministry, type: official_on_record}
claims:
  - id: dmz-crossings-along-the-eastern-sector-rose-sharply-in-october
    text: Crossings along the eastern sector rose sharply in October, reportedly, according to sources who could not be named.
    reports: [{source: wire}, {source: daily}, {source: rebuttal, stance: refutes}]
    evidence: [{type: video}]
  - id: dmz-crossings-along-the-western-sector-rose-sharply-in-october
    text: 군인들이 비무장지대를 넘어 남쪽으로 탈출했다는 보도가 있다 — 확인되지 않았다.
    reports: [{source: wire}]
  - id: 군인-탈출-보도가-확인되지-않았다-비무장지대
    text: "[bold]Nobody[/bold] reports this one."
"""


def report_of(path: Path) -> Report:
    claims = load_claims(path, RUBRIC)
    return Report(claims, RUBRIC, assess(claims, RUBRIC))


@pytest.fixture(params=["example", "hard"])
def report(request: pytest.FixtureRequest, tmp_path: Path) -> Report:
    if request.param == "example":
        return report_of(EXAMPLE)
    path = tmp_path / "claims.yaml"
    path.write_text(HARD, encoding="utf-8")
    return report_of(path)


def rendered(report: Report, width: int) -> str:
    console = Console(width=width, file=io.StringIO(), no_color=True, color_system=None, record=True)
    print_table(report, console)
    return console.export_text()


def claim_column_width(text: str) -> int:
    header = next(line for line in text.splitlines() if "Claim" in line and ("┃" in line or "│" in line))
    cell = next(c for c in header.split("┃") if "Claim" in c)
    return cell_len(cell) - 2  # a space either side


@pytest.mark.parametrize("width", [80, 100, 120])
def test_every_line_fits_and_the_claim_has_room(report: Report, width: int) -> None:
    text = rendered(report, width)
    assert max(cell_len(line) for line in text.splitlines()) <= width
    assert claim_column_width(text) >= MIN_CLAIM_WIDTH


@pytest.mark.parametrize("width", [80, 100, 120])
def test_nothing_is_cut_ids_are_shortened_never_folded(report: Report, width: int) -> None:
    text = rendered(report, width)
    lines = text.splitlines()
    layout = choose_layout(report.assessments, width)
    ids = short_ids([a.id for a in report.assessments], layout.id_width)
    assert len(set(ids.values())) == len(ids)  # shortened ids are still told apart
    for a in report.assessments:
        shown = ids[a.id]
        assert cell_len(shown) <= layout.id_width
        assert any(shown in line for line in lines), (a.id, shown)  # on one line: not folded
        assert any(f"{a.admiralty}" in line for line in lines)
        assert (percent(a.probability) if a.probability is not None else "-") in text
        if a.probability is not None and a.confidence is not None:
            assert a.confidence.level in text
        for flag in a.flags:
            assert any(flag in line for line in lines), flag  # a flag is never split
        words = (a.likelihood or "no estimate").split()
        assert words[0] in text
    assert "…" not in "".join(f for a in report.assessments for f in a.flags)


@pytest.mark.parametrize("width", [80, 100, 120])
def test_what_moved_is_said_in_the_caption(width: int) -> None:
    text = rendered(report_of(EXAMPLE), width)
    layout = choose_layout(report_of(EXAMPLE).assessments, width)
    assert layout != LAYOUTS[0]  # the example's 24-character ids and flags do not fit 120 columns whole
    assert f"To fit {width} columns:" in text
    assert "under each claim" in text


def test_a_wide_terminal_gets_every_column_and_no_note() -> None:
    text = rendered(report_of(EXAMPLE), 170)
    header = next(line for line in text.splitlines() if "Claim" in line)
    for column in ("ID", "Claim", "Grade", "P", "Likelihood", "Conf.", "Flags"):
        assert column in header
    assert "To fit" not in text


def test_the_fold_order_at_each_width() -> None:
    rows = report_of(EXAMPLE).assessments
    assert [choose_layout(rows, w).name for w in (170, 120, 100, 90, 80, 60)] == [
        "full", "flags under the claim", "confidence under the claim", "likelihood under the claim",
        "likelihood under the claim", "ids above the claim"]


def test_user_text_is_never_markup(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text(HARD, encoding="utf-8")
    assert "[bold]Nobody[/bold]" in rendered(report_of(path), 100)


@pytest.mark.parametrize("text,width,expected", [
    ("border-controls-tightened", 14, "border-…htened"),
    ("short", 14, "short"),
    ("abcdefghijklmnopqrstuvwxyz", 24, "abcdefghijkl…pqrstuvwxyz"),
    ("군인-탈출-보도가-확인되지", 10, "군인-…되지"),
])
def test_shorten_keeps_both_ends(text: str, width: int, expected: str) -> None:
    assert shorten(text, width) == expected
    assert cell_len(shorten(text, width)) <= width


def test_ids_that_shorten_alike_are_told_apart() -> None:
    east, west = "dmz-crossings-along-the-eastern-sector", "dmz-crossings-along-the-western-sector"
    shown = short_ids([east, west, "other"], 24)
    assert shown[east] != shown[west] and shown["other"] == "other"
    assert all(cell_len(s) <= 24 and "…" in s for s in (shown[east], shown[west]))
    twins = short_ids(["a-long-common-beginning-x-and-a-long-common-ending", "a-long-common-beginning-y-and-a-long-common-ending"], 14)
    assert len(set(twins.values())) == 2 and all(cell_len(s) <= 14 for s in twins.values())
