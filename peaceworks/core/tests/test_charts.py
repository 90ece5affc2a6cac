"""Charts are drawn once per content, then read back from the charts cache."""

from __future__ import annotations

from typing import Any

import pytest
import vl_convert
from django.utils import translation

from peaceworks.core.charts import render_svg, warm_engine


def _bars(value: int) -> dict[str, Any]:
    return {
        "data": {"values": [{"label": "a", "value": value}]},
        "mark": "bar",
        "encoding": {
            "x": {"field": "label", "type": "nominal"},
            "y": {"field": "value", "type": "quantitative"},
        },
    }


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The specs the engine was asked to draw (it still draws them)."""
    calls: list[dict[str, Any]] = []
    draw = vl_convert.vegalite_to_svg

    def counting(spec: dict[str, Any], *args: Any, **kwargs: Any) -> str:
        calls.append(spec)
        return str(draw(spec, *args, **kwargs))

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", counting)
    return calls


def test_a_chart_is_drawn_once_then_read_back(drawn: list[dict[str, Any]]) -> None:
    first = render_svg(_bars(3))
    again = render_svg(_bars(3))
    assert first == again
    assert first.startswith("<svg")
    assert len(drawn) == 1


def test_a_changed_chart_is_drawn_again(drawn: list[dict[str, Any]]) -> None:
    render_svg(_bars(4))
    render_svg(_bars(5))
    assert len(drawn) == 2


def test_warming_the_engine_draws_without_filling_the_cache(drawn: list[dict[str, Any]]) -> None:
    warm_engine()
    warm_engine()
    assert len(drawn) == 2


def _months() -> dict[str, Any]:
    return {
        "data": {"values": [{"start": "2031-01-01", "due": "2031-06-30", "row": "a"}]},
        "mark": "bar",
        "encoding": {
            "y": {"field": "row", "type": "nominal"},
            "x": {"field": "start", "type": "temporal"},
            "x2": {"field": "due"},
        },
    }


@pytest.mark.parametrize(
    ("language", "month", "english"),
    [("fr", "février", True), ("es", "febrero", True), ("en", "February", False)],
)
def test_time_axes_name_months_in_the_active_language_each_drawn_once(
    drawn: list[dict[str, Any]], language: str, month: str, english: bool
) -> None:
    with translation.override(language):
        svg = render_svg(_months())
        assert render_svg(_months()) == svg
    assert f">{month}</text>" in svg
    assert (">February</text>" not in svg) is english
    assert len(drawn) == 1
