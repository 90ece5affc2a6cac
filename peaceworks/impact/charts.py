"""Vega-Lite specifications of the impact dashboards (rendered to SVG by ``core.charts``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peaceworks.impact.analytics import Cell


def _label(key: Sequence[object]) -> str:
    return " · ".join("—" if part is None else str(part) for part in key) or "—"


def change_with_ci(rows: Sequence[tuple[str, Cell]], *, title: str, axis: str) -> dict[str, Any]:
    """Mean paired change with its 95 % interval, one row per (label, cell); hidden cells left
    out (the data table says they are suppressed)."""
    values = [
        {"label": label, "mean": cell.mean_change, "low": cell.ci_low, "high": cell.ci_high}
        for label, cell in rows
        if not cell.suppressed and cell.mean_change is not None
    ]
    y = {"field": "label", "type": "nominal", "title": None, "sort": None}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": 420,
        "height": {"step": 22},
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "rule", "color": "#5b6770"},
                "encoding": {
                    "y": y,
                    "x": {"field": "low", "type": "quantitative", "title": axis},
                    "x2": {"field": "high"},
                },
            },
            {
                "mark": {"type": "point", "filled": True, "color": "#1f5f8b", "size": 60},
                "encoding": {"y": y, "x": {"field": "mean", "type": "quantitative"}},
            },
        ],
    }


def trend(rows: Sequence[tuple[str, Cell]], *, title: str, axis: str) -> dict[str, Any]:
    values = [
        {"year": label, "mean": cell.mean_change}
        for label, cell in rows
        if not cell.suppressed and cell.mean_change is not None
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": 420,
        "height": 180,
        "data": {"values": values},
        "mark": {"type": "line", "point": True, "color": "#1f5f8b"},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": None},
            "y": {"field": "mean", "type": "quantitative", "title": axis},
        },
    }


def pre_post(cell: Cell | None, *, title: str, labels: tuple[str, str]) -> dict[str, Any]:
    values = []
    if cell is not None and not cell.suppressed:
        values = [
            {"moment": labels[0], "mean": cell.mean_baseline},
            {"moment": labels[1], "mean": cell.mean_post},
        ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": 300,
        "height": 140,
        "data": {"values": [v for v in values if v["mean"] is not None]},
        "mark": {"type": "bar", "color": "#1f5f8b"},
        "encoding": {
            "y": {"field": "moment", "type": "nominal", "title": None, "sort": None},
            "x": {
                "field": "mean",
                "type": "quantitative",
                "title": None,
                "scale": {"domain": [1, 5]},
            },
        },
    }
