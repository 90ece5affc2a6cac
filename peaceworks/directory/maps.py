"""A world choropleth rendered on the server: Vega-Lite → SVG, no tiles, no network.

Country shapes come from the npm package ``world-atlas`` (``countries-110m.json``, installed
into ``settings.NODE_MODULES``); the TopoJSON is read once per process and inlined into the
spec, so rendering never fetches anything. Any app may call :func:`choropleth_svg`.

A map is cached by its values and labels (hashing the spec would hash the world's shapes on every
request), and its SVG is made lighter before it is stored: outlines as relative moves to a tenth
of a pixel instead of absolute ones to a thousandth (about half the bytes, the same picture).
The world is drawn once per map (one layer), in a projection worked out once rather than fitted
at every drawing.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches

from peaceworks.core.charts import CACHE_ALIAS, CACHE_SECONDS, cached_svg, content_key, draw_svg
from peaceworks.directory import geography

WORLD_ATLAS_FILE = Path("world-atlas") / "countries-110m.json"
#: the countries without a value
NO_VALUE_FILL = "#e3e7eb"
#: the map's size in pixels (its title and legend around it)
WIDTH, HEIGHT = 720, 380
#: d3-geo's fitting: the world measured at this scale, untranslated
_FIT_SCALE = 150
_BOUNDS_TEXT = re.compile(r"<text[^>]*>([^<]*)</text>")
_PATH_DATA = re.compile(r' d="([^"]*)"')
_PATH_COMMAND = re.compile(r"([MLZhv])([-\d.,]*)")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
#: the paths the engine writes for shapes: absolute moves and lines only, "x,y" each
_LINES = re.compile(r"(?:[ML]-?\d+(?:\.\d+)?,-?\d+(?:\.\d+)?|Z)*")
_LINES_STEP = re.compile(r"([MLZ])(?:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?))?")


@cache
def _world_topology(path: Path) -> dict[str, Any]:
    with path.open("rb") as topology_file:
        topology: dict[str, Any] = json.load(topology_file)
    return topology


def world_topology() -> dict[str, Any]:
    """The world's country shapes as TopoJSON (cached in memory after the first read)."""
    return _world_topology(Path(settings.NODE_MODULES) / WORLD_ATLAS_FILE)


@cache
def _world_text(path: Path) -> str:
    return json.dumps(_world_topology(path))


def spec_text(spec: dict[str, Any]) -> str:
    """A map's spec (:func:`choropleth_spec`) as JSON text, the world's shapes written once per
    process: the engine reads text faster than it converts the same spec from Python objects
    (about 0.01 to 0.02 s less a map, most of it the shapes)."""
    world = world_topology()
    world_text = _world_text(Path(settings.NODE_MODULES) / WORLD_ATLAS_FILE)
    datasets = ", ".join(
        f"{json.dumps(name)}: {world_text if data is world else json.dumps(data)}"
        for name, data in spec["datasets"].items()
    )
    rest = json.dumps({key: part for key, part in spec.items() if key != "datasets"})
    return f'{rest[:-1]}, "datasets": {{{datasets}}}}}'  # the datasets before the closing brace


@cache
def _world_projection(path: Path) -> dict[str, Any]:
    """The projection of :func:`_fitted_projection`, kept in memory and in the chart cache:
    worked out once for all processes (it takes about as long as drawing a map)."""
    key = content_key("world projection", WORLD_ATLAS_FILE, WIDTH, HEIGHT)
    charts = caches[CACHE_ALIAS]
    projection: dict[str, Any] | None = charts.get(key)
    if projection is None:
        projection = _fitted_projection(path)
        charts.set(key, projection, CACHE_SECONDS)
    return projection


def _fitted_projection(path: Path) -> dict[str, Any]:
    """The projection the engine fits the world into the map with.

    Fitting (the projection's ``fit``) measures every country's outline at every drawing, about
    a fifth of a map's time. Here the engine measures them once, at d3-geo's fitting scale, and
    the scale and translation follow by d3-geo's own arithmetic (``fitExtent``) in the same
    floating point: the same projection to the last bit, so the same map. Should the engine
    not answer as expected, the map is fitted at each drawing as before."""
    import vl_convert

    fitting = {
        "width": 1,
        "height": 1,
        "data": [
            {
                "name": "world",
                "values": _world_topology(path),
                "format": {"type": "topojson", "feature": "countries"},
            }
        ],
        "projections": [
            {"name": "p", "type": "equalEarth", "scale": _FIT_SCALE, "translate": [0, 0]}
        ],
        "marks": [
            {
                "type": "text",
                "encode": {
                    "enter": {
                        "text": {
                            "signal": "join(geoBounds('p', {type: 'FeatureCollection', "
                            "features: data('world')}), ' ')"
                        }
                    }
                },
            }
        ],
    }
    fitted: dict[str, Any] = {"type": "equalEarth"}
    drawn = _BOUNDS_TEXT.search(vl_convert.vega_to_svg(fitting))
    corners = drawn.group(1).split() if drawn else []
    try:  # "x0,y0 x1,y1", each number as JavaScript writes it: the shortest exact text
        (x0, y0), (x1, y1) = (tuple(map(float, corner.split(","))) for corner in corners)
        k = min(WIDTH / (x1 - x0), HEIGHT / (y1 - y0))
    except (ValueError, ZeroDivisionError):
        return fitted
    translate = [(WIDTH - k * (x1 + x0)) / 2, (HEIGHT - k * (y1 + y0)) / 2]
    if not all(math.isfinite(number) for number in (k, *translate)):
        return fitted
    return {**fitted, "scale": _FIT_SCALE * k, "translate": translate}


def _legend(values: dict[str, float]) -> dict[str, Any]:
    """Counts read as whole numbers ("2 members", never "1.5 members" or "1e+1"); other
    values with at most two decimals."""
    if all(float(value).is_integer() for value in values.values()):
        return {"format": ",d", "tickMinStep": 1}
    return {"format": ",.2~f"}


def choropleth_spec(values: dict[str, float], *, title: str, value_label: str) -> dict[str, Any]:
    """The Vega-Lite spec: ``values`` maps ISO alpha-2 codes to numbers; unknown codes and
    countries without a value are drawn in a neutral grey."""
    rows = []
    for code, value in values.items():
        numeric = geography.numeric_code(code)
        if numeric is not None:
            rows.append({"id": numeric, "value": value, "name": geography.country_name(code)})
    shapes = {"name": "world", "format": {"type": "topojson", "feature": "countries"}}
    # the world drawn once: countries with a value in their colour, the others in a grey that
    # says nothing and is hidden from screen readers (an unlabelled graphics-symbol fails
    # axe-core's svg-img-alt)
    drawing: dict[str, Any] = {"data": shapes}
    if rows:
        drawing["transform"] = [
            {"lookup": "id", "from": {"data": {"name": "values"}, "key": "id", "fields": ["value"]}}
        ]
        drawing["mark"] = {
            "type": "geoshape",
            "stroke": "#ffffff",
            "aria": {"expr": "isValid(datum.value)"},
            "invalid": None,  # the countries without a value are drawn, not left out
        }
        drawing["encoding"] = {
            "color": {
                "condition": {"test": "!isValid(datum.value)", "value": NO_VALUE_FILL},
                "field": "value",
                "type": "quantitative",
                "title": value_label,
                "scale": {"scheme": "greens", "zero": True},
                "legend": _legend(values),
            },
            "strokeWidth": {"condition": {"test": "isValid(datum.value)", "value": 0.5}},
        }
    else:  # no colour at all: a colour scale without values would draw a legend of "NaN"
        drawing["mark"] = {
            "type": "geoshape",
            "fill": NO_VALUE_FILL,
            "stroke": "#ffffff",
            "aria": False,
        }
    # the world fits the map: no clip path (the engine adds one to a projection given its
    # scale, see _fitted_projection)
    drawing["mark"]["clip"] = False
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "description": title,
        "width": WIDTH,
        "height": HEIGHT,
        "projection": _world_projection(Path(settings.NODE_MODULES) / WORLD_ATLAS_FILE),
        "datasets": {"world": world_topology(), "values": rows},
        "config": {"view": {"stroke": None}},
        **drawing,
    }


def _tenths(value: int) -> str:
    """A number of tenths as SVG writes it shortest: 7 → ".7", -12 → "-1.2", 30 → "3"."""
    whole, tenth = divmod(abs(value), 10)
    text = (str(whole) if whole else "") + (f".{tenth}" if tenth else "")
    return ("-" if value < 0 else "") + (text or "0")


class _Texts(dict[int, str]):
    """Numbers of tenths as path text, each written once per process: a map's moves are a
    few thousand distinct numbers (no more than its width and height in tenths), met over
    and over."""

    def __init__(self, *, separated: bool = False) -> None:
        super().__init__()
        #: a vertical move comes after a horizontal one: a comma between them unless a minus
        self.separated = separated

    def __missing__(self, value: int) -> str:
        text = _tenths(value)
        if self.separated and value >= 0:
            text = "," + text
        self[value] = text
        return text


_TEXT = _Texts()
_TEXT_AFTER = _Texts(separated=True)


def _relative_lines(path: str) -> str:
    """:func:`_relative` for a path of absolute moves and lines ("M1.5,2L3,4Z"), the paths
    the engine writes for every shape: one pass, each number read once."""
    out: list[str] = []
    append = out.append
    x = y = start_x = start_y = 0
    for command, text_x, text_y in _LINES_STEP.findall(path):
        if command == "Z":
            append("Z")
            x, y = start_x, start_y
            continue
        new_x, new_y = round(float(text_x) * 10), round(float(text_y) * 10)
        if command == "M":
            append("M" + _TEXT[new_x] + "," + _TEXT[new_y])
            start_x, start_y = new_x, new_y
        elif new_x != x or new_y != y:
            append("l" + _TEXT[new_x - x] + _TEXT_AFTER[new_y - y])
        x, y = new_x, new_y
    return "".join(out)


@lru_cache(maxsize=1024)
def _relative(path: str) -> str:
    """A path of straight lines (M, L, h, v, Z) redrawn with relative moves of 0.1 px
    precision: the same shape, about half the characters. Other paths come back unchanged.

    Remembered per path: every map is drawn at the same size in the same projection, so its
    countries are the same paths whatever the values, and only a process's first map
    rewrites them."""
    return _relative_lines(path) if _LINES.fullmatch(path) else _relative_any(path)


def _relative_any(path: str) -> str:
    """:func:`_relative` for any path, one command and its numbers at a time (the engine's
    legend and frame draw ``h`` and ``v`` too; anything else comes back unchanged)."""
    commands = _PATH_COMMAND.findall(path)
    if "".join(command + args for command, args in commands) != path:
        return path
    out: list[str] = []
    x = y = start_x = start_y = 0
    for command, args in commands:
        numbers = [round(float(n) * 10) for n in _NUMBER.findall(args)]
        if command == "Z":
            out.append("Z")
            x, y = start_x, start_y
        elif command in "hv" and len(numbers) == 1:
            out.append(command + _tenths(numbers[0]))
            x, y = (x + numbers[0], y) if command == "h" else (x, y + numbers[0])
        elif command in "ML" and len(numbers) == 2:
            new_x, new_y = numbers
            if command == "M":
                out.append(f"M{_tenths(new_x)},{_tenths(new_y)}")
                start_x, start_y = new_x, new_y
            elif (new_x, new_y) != (x, y):
                dy = _tenths(new_y - y)
                out.append(f"l{_tenths(new_x - x)}{'' if dy[0] == '-' else ','}{dy}")
            x, y = new_x, new_y
        else:
            return path
    return "".join(out)


def _lighter(svg: str) -> str:
    """The same drawing, about half the weight: country outlines as relative moves of 0.1 px
    (the engine writes absolute ones to 0.001 px) and no identity transforms."""
    svg = svg.replace(' transform="translate(0,0)"', "")
    return _PATH_DATA.sub(lambda match: f' d="{_relative(match.group(1))}"', svg)


def choropleth_svg(values: dict[str, float], *, title: str, value_label: str) -> str:
    """An SVG world map shading each country by its value (ISO alpha-2 → number); cached by
    its values, labels and shapes file."""
    key = content_key("choropleth", sorted(values.items()), title, value_label, WORLD_ATLAS_FILE)
    return cached_svg(
        key,
        lambda: _lighter(
            draw_svg(spec_text(choropleth_spec(values, title=title, value_label=value_label)))
        ),
    )
