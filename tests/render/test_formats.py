"""Every --format value has a renderer, and each renders the bundled example (as pip-audit tests `to_format`)."""
from __future__ import annotations

from pathlib import Path

import pytest

from credcheck import assess, load_claims, load_rubric
from credcheck.render import RENDERERS, Format, Report, render

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "dmz-desertions" / "claims.yaml"


def test_the_format_enum_and_the_renderers_agree() -> None:
    assert set(RENDERERS) == set(Format)


@pytest.mark.parametrize("fmt", list(Format), ids=[f.value for f in Format])
def test_each_format_renders_every_claim(fmt: Format) -> None:
    rubric = load_rubric("default")
    claims = load_claims(str(EXAMPLE), rubric)
    out = render(Report(claims, rubric, assess(claims, rubric)), fmt)
    text = out if isinstance(out, str) else "".join(out)
    shown = {c.id: c.id for c in claims.claims}
    if fmt is Format.table:  # the table keeps long ids to MAX_ID_WIDTH, cut in the middle (render/table.short_ids)
        from credcheck.render.table import MAX_ID_WIDTH, short_ids
        shown = short_ids([c.id for c in claims.claims], MAX_ID_WIDTH)
    for claim in claims.claims:
        assert shown[claim.id][:20] in text, (fmt, claim.id)
