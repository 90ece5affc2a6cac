"""A map made lighter is the same text as a straightforward rewriting of each path gives: the
reference below is the rewriting as first written (one number at a time), kept to check the
faster one against real maps and odd paths."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from peaceworks.core.charts import draw_svg
from peaceworks.directory import maps

_COMMAND = re.compile(r"([MLZhv])([-\d.,]*)")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _tenths(value: int) -> str:
    whole, tenth = divmod(abs(value), 10)
    text = (str(whole) if whole else "") + (f".{tenth}" if tenth else "")
    return ("-" if value < 0 else "") + (text or "0")


def _reference_path(path: str) -> str:
    commands = _COMMAND.findall(path)
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


def _reference(svg: str) -> str:
    svg = svg.replace(' transform="translate(0,0)"', "")
    return re.sub(r' d="([^"]*)"', lambda match: f' d="{_reference_path(match.group(1))}"', svg)


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
