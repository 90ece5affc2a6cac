"""Vega-Lite specifications of the impact dashboards (rendered to SVG by ``core.charts``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peaceworks.impact.analytics import Cell, Distribution


def _spec(
    title: str, values: list[Any], *, width: int, height: int | dict[str, int], **body: Any
) -> dict[str, Any]:
    """A Vega-Lite v5 specification over inline ``values``; ``body`` holds its marks."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": width,
        "height": height,
        "data": {"values": values},
        **body,
    }


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
    return _spec(
        title,
        values,
        width=420,
        height={"step": 22},
        layer=[
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
    )


def trend(rows: Sequence[tuple[str, Cell]], *, title: str, axis: str) -> dict[str, Any]:
    values = [
        {"year": label, "mean": cell.mean_change}
        for label, cell in rows
        if not cell.suppressed and cell.mean_change is not None
    ]
    return _spec(
        title,
        values,
        width=420,
        height=180,
        mark={"type": "line", "point": True, "color": "#1f5f8b"},
        encoding={
            "x": {"field": "year", "type": "ordinal", "title": None},
            "y": {"field": "mean", "type": "quantitative", "title": axis},
        },
    )


def pre_post(cell: Cell | None, *, title: str, labels: tuple[str, str]) -> dict[str, Any]:
    values = []
    if cell is not None and not cell.suppressed:
        values = [
            {"moment": labels[0], "mean": cell.mean_baseline},
            {"moment": labels[1], "mean": cell.mean_post},
        ]
    return _spec(
        title,
        [v for v in values if v["mean"] is not None],
        width=300,
        height=140,
        mark={"type": "bar", "color": "#1f5f8b"},
        encoding={
            "y": {"field": "moment", "type": "nominal", "title": None, "sort": None},
            "x": {
                "field": "mean",
                "type": "quantitative",
                "title": None,
                "scale": {"domain": [1, 5]},
            },
        },
    )


def answer_distribution(
    distribution: Distribution | None,
    *,
    title: str,
    options: Sequence[str],
    moments: tuple[str, str],
    axis: str,
) -> dict[str, Any]:
    """Before and after as two 100 % stacked bars, one segment per answer option (``options``
    names them in order); nothing when the engine gave no distribution (e.g. suppressed)."""
    values = []
    if distribution is not None:
        for moment, shares in zip(moments, (distribution.baseline, distribution.post), strict=True):
            for rank, (option, share) in enumerate(zip(options, shares or (), strict=False)):
                values.append(
                    {"moment": moment, "option": option, "rank": rank, "share": round(share, 2)}
                )
    return _spec(
        title,
        values,
        width=420,
        height={"step": 28},
        mark={"type": "bar"},
        encoding={
            "y": {"field": "moment", "type": "nominal", "title": None, "sort": list(moments)},
            "x": {
                "field": "share",
                "type": "quantitative",
                "title": axis,
                "stack": "zero",
                "scale": {"domain": [0, 100]},
            },
            "color": {
                "field": "option",
                "type": "ordinal",
                "title": None,
                "sort": list(options),
                "scale": {"scheme": "blueorange", "reverse": True},
                "legend": {"orient": "bottom", "columns": 3},
            },
            "order": {"field": "rank", "type": "quantitative"},
        },
    )
