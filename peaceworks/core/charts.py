"""Charts: Vega-Lite specifications rendered to SVG on the server (no script, no CDN)."""

from __future__ import annotations

from typing import Any


def render_svg(spec: dict[str, Any]) -> str:
    """Render a Vega-Lite spec to an SVG string. The first call starts the engine (~0.4 s)."""
    import vl_convert

    svg: str = vl_convert.vegalite_to_svg(spec)
    return svg
