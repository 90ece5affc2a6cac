"""A world choropleth rendered on the server: Vega-Lite → SVG, no tiles, no network.

Country shapes come from the npm package ``world-atlas`` (``countries-110m.json``, installed
into ``settings.NODE_MODULES``); the TopoJSON is read once per process and inlined into the
spec, so rendering never fetches anything. Any app may call :func:`choropleth_svg`.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from peaceworks.core.charts import render_svg
from peaceworks.directory import geography

WORLD_ATLAS_FILE = Path("world-atlas") / "countries-110m.json"


@cache
def _world_topology(path: Path) -> dict[str, Any]:
    with path.open("rb") as topology_file:
        topology: dict[str, Any] = json.load(topology_file)
    return topology


def world_topology() -> dict[str, Any]:
    """The world's country shapes as TopoJSON (cached in memory after the first read)."""
    return _world_topology(Path(settings.NODE_MODULES) / WORLD_ATLAS_FILE)


def choropleth_spec(values: dict[str, float], *, title: str, value_label: str) -> dict[str, Any]:
    """The Vega-Lite spec: ``values`` maps ISO alpha-2 codes to numbers; unknown codes and
    countries without a value are drawn in a neutral grey."""
    rows = []
    for code, value in values.items():
        numeric = geography.numeric_code(code)
        if numeric is not None:
            rows.append({"id": numeric, "value": value, "name": geography.country_name(code)})
    shapes = {"name": "world", "format": {"type": "topojson", "feature": "countries"}}
    layers: list[dict[str, Any]] = [
        {
            "data": shapes,
            # the grey background says nothing: hidden from screen readers (an unlabelled
            # graphics-symbol fails axe-core's svg-img-alt)
            "mark": {"type": "geoshape", "fill": "#e3e7eb", "stroke": "#ffffff", "aria": False},
        }
    ]
    if rows:  # an empty colour layer would draw a legend of "NaN"
        layers.append(
            {
                "data": shapes,
                "transform": [
                    {
                        "lookup": "id",
                        "from": {"data": {"name": "values"}, "key": "id", "fields": ["value"]},
                    },
                    {"filter": "isValid(datum.value)"},
                ],
                "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.5},
                "encoding": {
                    "color": {
                        "field": "value",
                        "type": "quantitative",
                        "title": value_label,
                        "scale": {"scheme": "greens", "zero": True},
                        "legend": {"format": "~g"},
                    }
                },
            }
        )
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "description": title,
        "width": 720,
        "height": 380,
        "projection": {"type": "equalEarth"},
        "datasets": {"world": world_topology(), "values": rows},
        "config": {"view": {"stroke": None}},
        "layer": layers,
    }


def choropleth_svg(values: dict[str, float], *, title: str, value_label: str) -> str:
    """An SVG world map shading each country by its value (ISO alpha-2 → number)."""
    return render_svg(choropleth_spec(values, title=title, value_label=value_label))
