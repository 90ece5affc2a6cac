"""The opinion-group scatter plot as a small server-side SVG (no script; a data table sits
beside it on the page)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

# Colour-blind-safe hues (Okabe-Ito), one a group, with a distinct marker shape each.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")


def scatter_svg(points: Sequence[Mapping[str, Any]], *, title: str, width: int = 320) -> str:
    height = width
    pad = 16
    if not points:
        return ""
    xs = [float(p["x"]) for p in points]
    ys = [float(p["y"]) for p in points]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    span_x = (x1 - x0) or 1.0
    span_y = (y1 - y0) or 1.0

    def sx(x: float) -> float:
        return pad + (x - x0) / span_x * (width - 2 * pad)

    def sy(y: float) -> float:
        return height - pad - (y - y0) / span_y * (height - 2 * pad)

    shapes = []
    for point in points:
        group = int(point["group"])
        colour = COLOURS[group % len(COLOURS)]
        x, y = sx(float(point["x"])), sy(float(point["y"]))
        if group % 2:
            shapes.append(
                f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="{colour}" '
                f'fill-opacity="0.75"/>'
            )
        else:
            shapes.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}" fill-opacity="0.75"/>'
            )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="none" stroke="#ccc"/>'
        + "".join(shapes)
        + "</svg>"
    )
