"""The reliability diagram as a picture: SVG written by hand, PNG through matplotlib (the `calibrate` extra).

Each bin of probability is a dot at (what was said on average, how often it
came true), its area growing with the claims in it; a calibrated model's dots
sit on the diagonal. Bars along the bottom show how many claims each bin
holds. The SVG needs no library and is the same bytes for the same figures.
"""
from __future__ import annotations

import math
from xml.sax.saxutils import escape

from credcheck.calibrate.metrics import ReliabilityBin
from credcheck.errors import CredcheckError

SIZE = 400  # the plot's square, in pixels
LEFT, TOP, RIGHT, BOTTOM = 60, 40, 20, 110  # margins: axis labels left, title top, the count bars below
BARS = 50  # height of the count bars
EXTRA = "calibrate"  # the optional dependency that brings matplotlib


def svg(bins: tuple[ReliabilityBin, ...], title: str) -> str:
    width, height = LEFT + SIZE + RIGHT, TOP + SIZE + BOTTOM

    def x(p: float) -> float:
        return LEFT + p * SIZE

    def y(p: float) -> float:
        return TOP + (1 - p) * SIZE

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           'font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2:.1f}" y="22" text-anchor="middle" font-size="14">{escape(title)}</text>',
           f'<rect x="{LEFT}" y="{TOP}" width="{SIZE}" height="{SIZE}" fill="none" stroke="#444"/>']
    for i in range(11):
        p = i / 10
        out.append(f'<line x1="{x(p):.1f}" y1="{TOP}" x2="{x(p):.1f}" y2="{TOP + SIZE}" stroke="#eee"/>')
        out.append(f'<line x1="{LEFT}" y1="{y(p):.1f}" x2="{LEFT + SIZE}" y2="{y(p):.1f}" stroke="#eee"/>')
        out.append(f'<text x="{x(p):.1f}" y="{TOP + SIZE + 16}" text-anchor="middle">{i * 10}</text>')
        out.append(f'<text x="{LEFT - 6}" y="{y(p) + 4:.1f}" text-anchor="end">{i * 10}</text>')
    out.append(f'<line x1="{x(0)}" y1="{y(0)}" x2="{x(1)}" y2="{y(1)}" stroke="#888" stroke-dasharray="4 4"/>')
    out.append(f'<text x="{LEFT + SIZE / 2}" y="{TOP + SIZE + 34}" text-anchor="middle">said: probability (%)</text>')
    out.append(f'<text x="16" y="{TOP + SIZE / 2}" text-anchor="middle" '
               f'transform="rotate(-90 16 {TOP + SIZE / 2})">came true (%)</text>')
    filled = [b for b in bins if b.n]
    most = max((b.n for b in filled), default=1)
    points = [(x(b.mean_probability or 0.0), y(b.share_true or 0.0), b) for b in filled]
    if len(points) > 1:
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="#1f5fa8" stroke-width="1.5"/>')
    for px, py, b in points:
        radius = 3 + 9 * math.sqrt(b.n / most)
        out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{radius:.1f}" fill="#1f5fa8" fill-opacity="0.6">'
                   f'<title>{b.n} claims said {100 * (b.mean_probability or 0):.1f}%, '
                   f'{100 * (b.share_true or 0):.1f}% came true</title></circle>')
    base = TOP + SIZE + BOTTOM - 8
    for b in bins:
        h = BARS * b.n / most if b.n else 0.0
        out.append(f'<rect x="{x(b.lower) + 1:.1f}" y="{base - h:.1f}" width="{SIZE * (b.upper - b.lower) - 2:.1f}" '
                   f'height="{h:.1f}" fill="#bbb"><title>{b.n} claims</title></rect>')
    out.append(f'<text x="{LEFT - 6}" y="{base}" text-anchor="end" fill="#666">n</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def png(bins: tuple[ReliabilityBin, ...], title: str) -> bytes:
    """The same diagram as PNG bytes, drawn by matplotlib (imported here only)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise CredcheckError.single(None, "", "a PNG plot needs matplotlib: pip install -e '.[calibrate]' "
                                              "(or write an SVG: --plot FILE.svg)") from None
    import io
    filled = [b for b in bins if b.n]
    most = max((b.n for b in filled), default=1)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(5, 6.2), gridspec_kw={"height_ratios": [4, 1]}, sharex=True)
    top.plot([0, 100], [0, 100], linestyle="--", color="#888", linewidth=1)
    xs = [100 * (b.mean_probability or 0) for b in filled]
    ys = [100 * (b.share_true or 0) for b in filled]
    top.plot(xs, ys, color="#1f5fa8", linewidth=1.5)
    top.scatter(xs, ys, s=[20 + 200 * b.n / most for b in filled], color="#1f5fa8", alpha=0.6)
    top.set(xlim=(0, 100), ylim=(0, 100), ylabel="came true (%)", title=title)
    top.grid(color="#eee")
    bottom.bar([100 * (b.lower + b.upper) / 2 for b in bins], [b.n for b in bins], width=9, color="#bbb")
    bottom.set(xlabel="said: probability (%)", ylabel="n")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()
