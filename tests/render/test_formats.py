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
    for claim in claims.claims:
        # the table shortens ids over 24 characters in the middle: 'desertion-se…-terrain'
        assert claim.id[:12] in text and claim.id[-8:] in text, (fmt, claim.id)
