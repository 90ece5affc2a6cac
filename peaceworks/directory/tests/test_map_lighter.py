"""A map made lighter is the same text as the straightforward rewriting of each path gives
(``maps._relative_any``, one command and its numbers at a time, as first written): the faster
rewriting of the engine's outlines checked against it on real maps and odd paths."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from peaceworks.core.charts import draw_svg
from peaceworks.directory import maps


def _reference(svg: str) -> str:
    svg = svg.replace(' transform="translate(0,0)"', "")
    return re.sub(r' d="([^"]*)"', lambda match: f' d="{maps._relative_any(match.group(1))}"', svg)


VALUE_SETS = [
    {},
    {"FR": 3},
    {"FR": 3, "KE": 1, "BR": 7, "XX": 5},
    {"US": 0.5, "RU": 1.25, "CN": 2.75, "AU": 12.5, "FJ": 4, "NZ": 1, "CA": 0.01},
    {"PE": 120, "CO": 3, "IN": 48, "PH": 9, "UG": 14, "DE": 2, "ZA": 31, "ID": 7},
]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("values", VALUE_SETS)
def test_a_lighter_map_is_the_reference_rewriting(values: dict[str, float], language: str) -> None:
    with translation.override(language):
        spec = maps.choropleth_spec(values, title="Membres", value_label="membres")
        svg = draw_svg(spec)
    maps._relative.cache_clear()
    assert maps._lighter(svg) == _reference(svg)  # a process's first map
    assert maps._lighter(svg) == _reference(svg)  # and the paths remembered


ODD_PATHS = [
    "",
    "Z",
    "M0,0h720v380h-720Z",
    "M1.25,2.35L1.35,-2.45L-0.04,0.05L0.05,-0.05Z",  # halves round to even, like the engine's
    "M714.983,236.865L715.63,236.421L715.63,236.421L715.634,236.424ZM1,2L3,4",
    "L5,5L5.01,5ZL1,1",  # a line before any move, a line after a close
    "M1,2,L3,4",  # a stray comma
    "M1,2L3",  # a line with one number
    "M1e-7,2L3,4",  # an exponent
    "M1,2C3,4,5,6,7,8Z",  # a curve
    "M 1 2 L 3 4",  # spaces
    "M1.5.5,2L3,4",
    "M-0,-0L-0.00,0.0Z",
]


@pytest.mark.parametrize("path", ODD_PATHS)
def test_odd_paths_are_rewritten_as_the_reference_does(path: str) -> None:
    svg = f'<svg><path d="{path}"/></svg>'
    assert maps._lighter(svg) == _reference(svg)
