"""Unicode from many hands: aligned tables, one id per visible name, nothing that can spoof what the analyst sees."""
from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from credcheck.load.claims import load_claims
from credcheck.score.engine import assess
from credcheck.errors import CredcheckError
from credcheck.render import Report
from credcheck.render.table import print_table
from credcheck.rubric.model import load_rubric
from credcheck.render.safe_text import one_line, visible

from .helpers import assert_refused, invoke, yq

KCNA = "조선중앙통신"  # Korean Central News Agency
NAMES = {
    "kcna": f"{KCNA} (KCNA)",
    "haaretz": "הארץ — Haaretz",  # right-to-left
    "aljazeera": "الجزيرة",
    "emoji": "👨\u200d👩\u200d👧 family 🇰🇷 🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
    "combining": "Cafe\u0301 Ame\u0301lie Z\u0308\u0301\u0327algo",
    "wide": "ｆｕｌｌｗｉｄｔｈ　ｔｅｘｔ",
}


def _claims_file(tmp_path: Path) -> Path:
    sources = "".join(f"  - {{id: {yq(sid)}, name: {yq(name)}, type: news_outlet}}\n" for sid, name in NAMES.items())
    claims = "".join(f"  - {{id: {yq(name[:12])}, text: {yq(name + ' reports ' + name)}, reports: [{{source: {sid}}}]}}\n"
                     for sid, name in NAMES.items())
    path = tmp_path / "claims.yaml"
    path.write_text(f"title: {yq(KCNA + ' 보도 분석')}\nsources:\n{sources}claims:\n{claims}")
    return path


def _report(path: Path) -> Report:
    rubric = load_rubric("default")
    claims = load_claims(path, rubric)
    return Report(claims, rubric, assess(claims, rubric))


@pytest.mark.parametrize("width", [60, 100, 160])
def test_terminal_table_stays_aligned(tmp_path: Path, width: int) -> None:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None, legacy_windows=False)
    print_table(_report(_claims_file(tmp_path)), console)
    lines = [line for line in console.export_text().splitlines() if line[:1] in "┏┃┡│└"]
    assert len(lines) >= 4 + len(NAMES)
    widths = {cell_len(line) for line in lines}
    assert len(widths) == 1, widths  # every border and row exactly as wide as the header
    assert any(KCNA[:3] in line for line in lines)


def test_table_file_output_aligned_too(tmp_path: Path) -> None:
    out = tmp_path / "table.txt"
    run = invoke(["score", str(_claims_file(tmp_path)), "-o", str(out)])
    assert run.code == 0, run.stderr
    rows = [line.rstrip("\n") for line in out.read_text().splitlines() if line[:1] in "┏┃┡│└"]
    assert len({cell_len(line) for line in rows}) == 1


def test_brief_tables_keep_their_columns(tmp_path: Path) -> None:
    run = invoke(["score", str(_claims_file(tmp_path)), "-q", "--format", "md"])
    assert run.code == 0
    summary = run.stdout.split("## Summary")[1].split("\n\n")[1].splitlines()
    assert len({line.count("|") for line in summary}) == 1 and len(summary) == 2 + len(NAMES)
    assert KCNA in run.stdout and "הארץ" in run.stdout and "\u200d" in run.stdout  # joiners kept: emoji stay whole
    assert "🏴\U000e0067" in run.stdout  # a flag's tag characters are kept, inside the flag


# --- one id per visible name: NFC ---------------------------------------------------------------------------------

def test_visually_identical_ids_are_one_id(tmp_path: Path) -> None:
    nfc, nfd = unicodedata.normalize("NFC", KCNA), unicodedata.normalize("NFD", KCNA)
    assert nfc != nfd and len(nfd) > len(nfc)  # Hangul decomposed into jamo, as some file systems store it
    path = tmp_path / "c.yaml"
    path.write_text(f"sources:\n  - {{id: {yq(nfc)}, name: KCNA, type: state_media}}\n"
                    f"  - {{id: \"cafe\\u0301\", name: Cafe, type: news_outlet}}\n"
                    f"claims:\n  - {{id: a, text: t, reports: [{{source: {yq(nfd)}}}, {{source: \"caf\\u00e9\"}}]}}\n")
    claims = load_claims(path, load_rubric("default"))
    assert [r.source for r in claims.claims[0].reports] == [nfc, "caf\u00e9"]  # references resolve
    path.write_text(f"claims:\n  - {{id: {yq(nfc)}, text: one}}\n  - {{id: {yq(nfd)}, text: two}}\n")
    with pytest.raises(CredcheckError) as err:
        load_claims(path, load_rubric("default"))
    assert f"duplicate claim id '{nfc}'" in str(err.value)  # not silently two claims


def test_owners_that_look_the_same_are_one_original(tmp_path: Path) -> None:
    """An NFD owner must not count as a second, 'independent' line."""
    path = tmp_path / "c.yaml"
    path.write_text("sources:\n"
                    "  - {id: a, name: A, type: wire_service, owner: \"Soci\\u00e9t\\u00e9\"}\n"
                    "  - {id: b, name: B, type: wire_service, owner: \"Socie\\u0301te\\u0301\"}\n"
                    "claims:\n  - {id: c, text: t, reports: [{source: a}, {source: b}]}\n")
    rubric = load_rubric("default")
    (assessment,) = assess(load_claims(path, rubric), rubric)
    assert len(assessment.supporting) == 1 and "circular_reporting" in assessment.flags


# --- controls and bidi: shown, never obeyed -------------------------------------------------------------------------

SPOOF = "invoice \u202egpj.exe \x1b[2J\x1b]0;owned\x07 ni\u200bs \u2066x\u2069"


def test_visible_marks_every_spoofing_character() -> None:
    shown = visible(SPOOF)
    assert shown == "invoice {U+202E}gpj.exe {U+001B}[2J{U+001B}]0;owned{U+0007} ni{U+200B}s {U+2066}x{U+2069}"
    assert visible(KCNA) is KCNA and visible(NAMES["emoji"]) == NAMES["emoji"]
    assert one_line("a\n\n# b\tc\r\nd") == "a # b c d"


def test_terminal_table_shows_controls_instead_of_obeying_them(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(f"title: {yq(SPOOF)}\nsources: [{{id: s, name: S, type: news_outlet}}]\n"
                    f"claims: [{{id: {yq(SPOOF)}, text: {yq(SPOOF)}, reports: [{{source: s}}]}}]\n")
    run = invoke(["score", str(path)], env={"COLUMNS": "300"})
    assert run.code == 0
    for ch in ("\u202e", "\x1b", "\x07", "\u200b", "\u2066"):
        assert ch not in run.stdout
    assert "{U+202E}gpj.exe" in run.stdout and "{U+001B}[2J" in run.stdout
    brief = invoke(["score", str(path), "-q", "--format", "md"]).stdout
    assert "\u202e" not in brief and "\x1b" not in brief and "{U+202E}gpj.exe" in brief


def test_error_messages_cannot_spoof_the_terminal_or_add_lines(tmp_path: Path) -> None:
    forged = "x\u202e\x1b[2J\nerror: everything is fine\n"
    path = tmp_path / "c.yaml"
    path.write_text(f"claims: [{{id: a, text: t, reports: [{{source: {yq(forged)}}}]}}]\n")
    run = invoke(["score", str(path)])
    assert_refused(run)
    assert run.stderr.count("\n") == 1  # one problem, one line: the newline in the id is shown, not obeyed
    assert "\u202e" not in run.stderr and "\x1b" not in run.stderr
    assert "unknown source 'x{U+202E}{U+001B}[2J{U+000A}error: everything is fine{U+000A}'" in run.stderr


def test_enormous_values_are_shortened_in_messages(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(f"claims: [{{id: a, text: t, reports: [{{source: {'g' * 500_000}}}]}}]\n")
    run = invoke(["score", str(path)])
    assert_refused(run)
    assert len(run.stderr) < 600 and "characters]..." in run.stderr


def test_threshold_message_shows_ids_safely(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(f"sources: [{{id: s, name: S, type: news_outlet}}]\n"
                    f"claims: [{{id: {yq('id' + SPOOF)}, text: t, reports: [{{source: s}}]}}]\n")
    run = invoke(["score", str(path), "-f", "json", "-o", str(tmp_path / "o.json"), "--fail-under", "1"])
    assert run.code == 1
    assert "graded worse than credibility 1: id" in run.stderr and "{U+202E}" in run.stderr
    assert "\x1b" not in run.stderr and "\u202e" not in run.stderr
