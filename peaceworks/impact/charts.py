"""Vega-Lite specifications of the impact dashboards (rendered to SVG by ``core.charts``)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from peaceworks.impact.analytics import Cell, Distribution


def _spec(
    title: str,
    values: list[Any],
    *,
    description: str,
    width: int,
    height: int | dict[str, int],
    **body: Any,
) -> dict[str, Any]:
    """A Vega-Lite v5 specification over inline ``values``; ``body`` holds its marks and
    ``description`` is the sentence a screen reader reads instead of the drawing."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "description": description,
        "config": {"aria": False},
        "width": width,
        "height": height,
        "data": {"values": values},
        **body,
    }


def number(value: object, digits: int = 2, *, signed: bool = False) -> str:
    """``value`` in the reader's language (decimal comma in French and Spanish), with its
    sign when ``signed`` (a change); a dash for none."""
    if not isinstance(value, (int, float, Decimal)):
        return "\N{EN DASH}"
    text = number_format(round(float(value), digits), digits)
    return f"+{text}" if signed and value > 0 else text.replace("-", "\N{MINUS SIGN}")


def _sentence(title: str, lead: str, items: Sequence[str]) -> str:
    if not items:
        return _("%(title)s: no figure to show.") % {"title": title}
    return _("%(title)s. %(lead)s: %(items)s.") % {
        "title": title,
        "lead": lead,
        "items": "; ".join(items),
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
    items = [
        _("%(label)s %(change)s (95 %% confidence interval %(low)s to %(high)s)")
        % {
            "label": value["label"],
            "change": number(value["mean"], signed=True),
            "low": number(value["low"], signed=True),
            "high": number(value["high"], signed=True),
        }
        for value in values
    ]
    lead = _("Mean change, in points on a scale of 1 to 5")
    return _spec(
        title,
        values,
        description=_sentence(title, lead, items),
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
    items = [f"{value['year']} {number(value['mean'], signed=True)}" for value in values]
    lead = _("Mean change by year, in points on a scale of 1 to 5")
    return _spec(
        title,
        values,
        description=_sentence(title, lead, items),
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
    values = [v for v in values if v["mean"] is not None]
    items = [f"{value['moment']} {number(value['mean'])}" for value in values]
    return _spec(
        title,
        values,
        description=_sentence(title, _("Mean answer on a scale of 1 to 5"), items),
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
    items = [
        "{moment}: {shares}".format(
            moment=moment,
            shares=", ".join(
                f"{value['option']} {number(value['share'], 0)} %"
                for value in values
                if value["moment"] == moment
            ),
        )
        for moment in moments
        if any(value["moment"] == moment for value in values)
    ]
    return _spec(
        title,
        values,
        description=_sentence(title, _("Share of answers at each option"), items),
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
