"""A YAML claims file read in shares by several processes: same claims, same output, same errors as one."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from credcheck.cli.app import app
from credcheck.limits import DEFAULT_LIMITS
from credcheck.load.contract import Vocabulary
from credcheck.load.fast import Fallback, read_yaml, read_yaml_share, yaml_claim_cuts, yaml_claims_estimate, yaml_items
from credcheck.render import parallel as scoring
from credcheck.rubric.model import load_rubric

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = load_rubric("default")
VOCABULARY = Vocabulary.of(RUBRIC)
needs_fork = pytest.mark.skipif(not scoring.can_fork(), reason="split reading forks (Linux only)")


def generated_yaml(tmp_path: Path, n: int = 300) -> Path:
    spec = importlib.util.spec_from_file_location("bench_gen", ROOT / "bench" / "gen.py")
    gen = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(gen)  # type: ignore[union-attr]
    return gen.generate(n, tmp_path)["yaml"]


def edited(path: Path, old: str, new: str, count: int = 1) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def both_ways(path: Path, tmp_path: Path) -> tuple[Any, Any]:
    """`score -f json -o` in one process and in three: (exit code, stderr, output) each."""
    outcomes = []
    for jobs in ("1", "3"):
        out = tmp_path / f"out-{jobs}.json"
        out.write_text("previous")
        result = CliRunner().invoke(app, ["score", str(path), "-f", "json", "-o", str(out), "-j", jobs])
        outcomes.append((result.exit_code, result.stderr.replace(str(out), "OUT"), out.read_bytes()))
    return outcomes[0], outcomes[1]


# --- where the cuts fall, and what the shares read -------------------------------------------

def test_shares_read_back_the_claims_of_the_whole_file_with_their_positions(tmp_path: Path) -> None:
    data = generated_yaml(tmp_path).read_bytes()
    whole = read_yaml(data, "f.yaml", "claims", VOCABULARY, DEFAULT_LIMITS)
    for shares in (2, 3, 7):
        cuts = yaml_claim_cuts(data, yaml_items(data), shares)
        assert len(cuts) == shares - 1 and all(data[c:c + 4] == b"  - " for c in cuts)
        parts = [read_yaml_share(data, start, end, "f.yaml", VOCABULARY, DEFAULT_LIMITS)
                 for start, end in zip([0, *cuts], [*cuts, None])]
        assert [c for p in parts for c in p.claims] == whole.claims
        assert [c.pos for p in parts for c in p.claims] == [c.pos for c in whole.claims]  # the file's lines
        assert parts[0].sources == whole.sources and parts[0].title == whole.title
        assert all(p.sources == [] and p.title is None for p in parts[1:])
        sizes = [len(p.claims) for p in parts]
        assert max(sizes) - min(sizes) <= 300 // shares // 3  # about as many claims each
    assert 290 <= yaml_claims_estimate(data, yaml_items(data)) <= 310


@pytest.mark.parametrize("layout", [
    "claims:\n  - id: a\n    text: A.\nsources:\n  - {id: s, name: S, type: wire_service}\n",  # a key after the list
    "claims: [{id: a, text: A.}, {id: b, text: B.}]\n",  # a flow list
    "claims: []\n",
    "title: T\n",  # no claims
    "claims:\n  - id: a\n    text: A.\nclaims:\n  - id: b\n    text: B.\n",  # the key twice
])
def test_other_layouts_are_not_cut(layout: str) -> None:
    assert yaml_items(layout.encode()) is None


def test_a_second_document_is_refused_by_the_share_holding_it() -> None:
    items = b"".join(b"  - id: c%d\n    text: Claim %d.\n" % (i, i) for i in range(6))
    data = b"claims:\n" + items + b"---\n- id: d\n  text: D.\n"
    [cut] = yaml_claim_cuts(data, yaml_items(data), 2)
    with pytest.raises(Fallback):
        read_yaml_share(data, cut, None, "f", VOCABULARY, DEFAULT_LIMITS)


def test_items_at_column_zero_are_cut_too() -> None:
    data = b"title: T\nclaims:\n" + b"".join(b"- id: c%d\n  text: Claim %d.\n" % (i, i) for i in range(10))
    cuts = yaml_claim_cuts(data, yaml_items(data), 2)
    assert len(cuts) == 1 and data[cuts[0]:].startswith(b"- id: c")
    parts = [read_yaml_share(data, s, e, "f", VOCABULARY, DEFAULT_LIMITS) for s, e in zip([0, *cuts], [*cuts, None])]
    assert [c.id for p in parts for c in p.claims] == [f"c{i}" for i in range(10)]


def test_a_cut_inside_a_quoted_value_is_refused_by_the_share_before_it() -> None:
    # libyaml reads the second line as part of the quoted text, so it is no item: the share that ends
    # inside the quotes does not parse, and the file is read whole
    data = b'claims:\n  - id: a\n    text: "first line\n  - id: b\n    text: more"\n  - id: c\n    text: C.\n'
    cut = data.index(b"  - id: b")
    with pytest.raises(Fallback):
        read_yaml_share(data, 0, cut, "f", VOCABULARY, DEFAULT_LIMITS)


def test_an_alias_to_an_anchor_in_another_share_is_refused() -> None:
    data = b"claims:\n  - id: a\n    text: &t A claim.\n  - id: b\n    text: *t\n"
    with pytest.raises(Fallback):
        read_yaml_share(data, data.index(b"  - id: b"), None, "f", VOCABULARY, DEFAULT_LIMITS)


# --- through the command line ----------------------------------------------------------------

@needs_fork
def test_split_output_is_byte_identical(tmp_path: Path, small_shares: list[Any]) -> None:
    one, three = both_ways(generated_yaml(tmp_path), tmp_path)
    assert one == three and one[0] == 0
    [(here, total, workers)] = small_shares  # -j 1 does not split
    assert (total, workers) == (300, 2) and 80 < here < 120


BREAKAGES = {  # each in the last share; the message names the file's line either way
    "unknown source": ("    - source: src-00001\n", "    - source: nobody\n", -1),
    "claim id of another share": ("- id: claim-000290\n", "- id: claim-000001\n", 1),
    "an unknown field": ("- id: claim-000280\n", "- id: claim-000280\n    colour: red\n", 1),
    "a syntax error": ("- id: claim-000270\n", "- id: claim-000270\n    text: 'oops\n", 1),
}


@needs_fork
@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_split_reports_the_same_errors(tmp_path: Path, small_shares: list[Any], breakage: str) -> None:
    old, new, which = BREAKAGES[breakage]
    path = generated_yaml(tmp_path)
    if which == -1:  # the last occurrence
        text = path.read_text(encoding="utf-8")
        at = text.rindex(old)
        path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    else:
        edited(path, old, new)
    one, three = both_ways(path, tmp_path)
    assert one == three
    code, stderr, output = one
    assert code == 2 and "Traceback" not in stderr and f"{path}:" in stderr
    assert output == b"previous"  # nothing written
    assert small_shares == ["fallback"]  # the split read gave up: the file was read whole
