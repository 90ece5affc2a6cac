"""Impact dashboards: campaign overview, indicator, organisation, data quality, refresh status.

Every figure comes from the campaign's analytics snapshot through ``figures.selectors``; the
engine applies the floor that fits the viewer. Charts are server-rendered SVG, each with a data
table beside it and a CSV/XLSX download of that table.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from peaceworks.accounts.access import viewer_for
from peaceworks.campaigns.models import InclusionTarget
from peaceworks.campaigns.outputs import compute_outputs
from peaceworks.campaigns.selectors import (
    campaign_output_records,
    organisation_first_years,
)
from peaceworks.core.charts import render_svg
from peaceworks.core.errors import NotFound
from peaceworks.core.exports import csv_bytes, xlsx_bytes
from peaceworks.directory.models import Organisation
from peaceworks.impact.analytics import DIMENSIONS, OPTIONS, Cell
from peaceworks.impact.charts import answer_distribution, change_with_ci, pre_post, trend
from peaceworks.impact.figures.overview import (
    activity_map,
    change_chart,
    headline_rows,
    respondents_per_country,
    response_map,
)
from peaceworks.impact.figures.selectors import (
    BadDimension,
    SnapshotView,
    TooManyDimensions,
    campaign_get_for_dashboard,
    dimension_labels,
    floor_for,
    headline,
    indicator_cells,
    indicator_get,
    outcome_indicators,
    parse_by,
    quality_rows,
    require_aggregate_scope,
    rounds_closing_soon,
    snapshot_view,
)
from peaceworks.impact.selectors import can_request_refresh
from peaceworks.impact.services import analytics_refresh_request

FILTERS = ("theme", "year", "country", "region", "activity_type", "gender", "fewer_opportunities")
#: what people read for each dimension (``DIMENSIONS`` are codes in addresses and downloads)
DIMENSION_LABELS = {
    "campaign": gettext_lazy("campaign"),
    "theme": gettext_lazy("theme"),
    "year": gettext_lazy("year"),
    "region": gettext_lazy("region"),
    "country": gettext_lazy("country"),
    "organisation": gettext_lazy("organisation"),
    "activity_type": gettext_lazy("activity type"),
    "duration_band": gettext_lazy("duration"),
    "network": gettext_lazy("network"),
    "gender": gettext_lazy("gender"),
    "age_band": gettext_lazy("age band"),
    "role": gettext_lazy("role"),
    "residence_country": gettext_lazy("country of residence"),
    "first_experience": gettext_lazy("first experience"),
    "fewer_opportunities": gettext_lazy("fewer opportunities"),
    "fewer_opportunities:disability": gettext_lazy("fewer opportunities: disability"),
    "fewer_opportunities:health": gettext_lazy("fewer opportunities: health"),
    "fewer_opportunities:education": gettext_lazy("fewer opportunities: education"),
    "fewer_opportunities:cultural": gettext_lazy("fewer opportunities: cultural"),
    "fewer_opportunities:social": gettext_lazy("fewer opportunities: social"),
    "fewer_opportunities:economic": gettext_lazy("fewer opportunities: economic"),
    "fewer_opportunities:discrimination": gettext_lazy("fewer opportunities: discrimination"),
    "fewer_opportunities:geographical": gettext_lazy("fewer opportunities: geographical"),
}
NUMBER_HEADERS = (
    "mean_baseline",
    "mean_post",
    "mean_change",
    "ci_low",
    "ci_high",
    "d_z",
    "wilcoxon_r",
    "pct_improved",
    "pct_top2_post",
)
#: the answer distribution: % of answers at each option before, then after
DISTRIBUTION_HEADERS = tuple(
    f"{moment}_pct_{option}" for moment in ("baseline", "post") for option in OPTIONS
)
CELL_HEADERS = ("n", "method", *NUMBER_HEADERS, *DISTRIBUTION_HEADERS, "suppressed")
#: what each answer option of an agreement item says
OPTION_LABELS = (
    gettext_lazy("Strongly disagree"),
    gettext_lazy("Disagree"),
    gettext_lazy("Neither agree nor disagree"),
    gettext_lazy("Agree"),
    gettext_lazy("Strongly agree"),
)
Labels = dict[str, dict[str, str]]


def _label(key: Sequence[str | None], by: Sequence[str], labels: Labels) -> str:
    """A cell's key (one label per dimension of ``by``) as people read it."""
    texts = [
        _("not said") if part is None else labels.get(name, {}).get(part, part)
        for name, part in zip(by, key, strict=True)
    ]
    return " · ".join(texts) or _("All")


def _shares(cell: Cell) -> list[object]:
    """The cell's ``DISTRIBUTION_HEADERS`` values (empty where the engine gave none)."""
    found = cell.distribution
    row: list[object] = []
    for shares in (found.baseline, found.post) if found else (None, None):
        row.extend([round(share, 3) for share in shares] if shares else [None] * len(OPTIONS))
    return row


def _cell_row(cell: Cell) -> list[object]:
    return [
        cell.n,
        cell.method or "",
        *(
            None if getattr(cell, name) is None else round(getattr(cell, name), 3)
            for name in NUMBER_HEADERS
        ),
        *_shares(cell),
        "yes" if cell.suppressed else "",
    ]


def _filters(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET[name] for name in FILTERS if request.GET.get(name)}


def _filter_fields(filters: dict[str, str], labels: Labels) -> list[tuple[object, ...]]:
    """(name, label, chosen value, options) of each filter's select list: the labels present in
    the snapshot; a value that matches none stays listed (the page then shows nobody)."""
    fields: list[tuple[object, ...]] = []
    for name in FILTERS:
        options = list(labels.get(name, {}).items())
        chosen = filters.get(name, "")
        if chosen and all(value != chosen for value, _text in options):
            options.append((chosen, chosen))
        fields.append((name, DIMENSION_LABELS[name], chosen, options))
    return fields


def _distribution_rows(cell: Cell | None) -> list[tuple[str, float | None, float | None]]:
    """(option, % before, % after) for the data table beside the distribution chart."""
    found = cell.distribution if cell else None
    if found is None:
        return []
    return [
        (
            f"{option}. {OPTION_LABELS[option - 1]}",
            found.baseline[rank] if found.baseline else None,
            found.post[rank] if found.post else None,
        )
        for rank, option in enumerate(found.options)
    ]


def _download(
    request: HttpRequest, headers: Sequence[str], rows: list[list[object]], name: str
) -> HttpResponse | None:
    file_format = request.GET.get("format")
    if file_format == "xlsx":
        response = HttpResponse(
            xlsx_bytes(headers, rows, title=name[:30]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif file_format == "csv":
        response = HttpResponse(csv_bytes(headers, rows), content_type="text/csv; charset=utf-8")
    else:
        return None
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


def _svg(spec: dict[str, Any]) -> str:
    """A chart's SVG (``render_svg`` caches it by its content)."""
    return render_svg(spec)


def _context(view: SnapshotView, **extra: object) -> dict[str, object]:
    return {"campaign": view.campaign, "snapshot": view.snapshot, **extra}


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_get_for_dashboard(user=request.user, pk=pk)
    viewer = viewer_for(request.user)
    view = snapshot_view(campaign=campaign)
    filters = _filters(request)
    error = ""
    try:
        cells = headline(view, floor=floor_for(viewer), filters=filters)
    except TooManyDimensions as exc:
        error, cells = exc.message, {}
    rows = headline_rows(outcome_indicators(campaign=campaign), cells, theme=filters.get("theme"))
    download = _download(
        request,
        ["indicator", "theme", *CELL_HEADERS],
        [
            [
                ind.code,
                ind.outcome.theme.number if ind.outcome and ind.outcome.theme else "",
                *_cell_row(c),
            ]
            for ind, c in rows
        ],
        f"impact-{campaign.code}",
    )
    if download is not None:
        return download
    headline_context = _context(
        view,
        rows=rows,
        chart=change_chart(rows),
        filters=filters,
        error=error,
        filter_fields=_filter_fields(filters, dimension_labels(view, FILTERS)),
        # the downloads hold what is on screen: the same filters
        download_query=urlencode(list(filters.items())),
    )
    if request.headers.get("HX-Request"):
        return render(request, "impact/dashboards/overview_results.html", headline_context)
    outputs = compute_outputs(
        campaign_output_records(campaign=campaign), first_years=organisation_first_years()
    )
    target = InclusionTarget.objects.filter(campaign=campaign).order_by("-year").first()
    coverage = respondents_per_country(view)
    return render(
        request,
        "impact/dashboards/overview.html",
        dict(
            headline_context,
            outputs=outputs,
            target=target,
            inclusion_gap=(
                outputs.fewer_opportunities_share - Decimal(target.share_fewer_opportunities)
                if target and outputs.fewer_opportunities_share is not None
                else None
            ),
            activity_map=activity_map(campaign),
            response_map=response_map(coverage),
            coverage=sorted(coverage.items()),
            can_refresh=can_request_refresh(viewer),
        ),
    )


@login_required
def indicator(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    campaign = campaign_get_for_dashboard(user=request.user, pk=pk)
    item = indicator_get(campaign=campaign, code=code)
    viewer = viewer_for(request.user)
    floor = floor_for(viewer)
    view = snapshot_view(campaign=campaign)
    error = ""
    filters = _filters(request)
    try:
        by = parse_by(request.GET.get("by") or "country")
        require_aggregate_scope(viewer, by, filters)
    except BadDimension as exc:
        error, by = exc.message, ("country",)

    def published(by: Sequence[str]) -> tuple[Cell, ...]:
        """The view's cells; none where ``by`` and the filters exceed the protected family
        (the year and equity panels then stay empty)."""
        try:
            return indicator_cells(view, indicator=code, by=by, floor=floor, filters=filters)
        except TooManyDimensions:
            return ()

    try:
        cells = indicator_cells(view, indicator=code, by=by, floor=floor, filters=filters)
    except TooManyDimensions as exc:
        error, cells = error or exc.message, ()
    download = _download(
        request,
        [*by, *CELL_HEADERS],
        [[*(k or "" for k in c.key), *_cell_row(c)] for c in cells],
        f"{code}-by-{'-'.join(by)}",
    )
    if download is not None:
        return download
    years = published(("year",))
    total = published(())
    equity = published(("fewer_opportunities",))
    equity_by = {c.key[0]: c for c in equity}
    yes, no = equity_by.get("yes"), equity_by.get("no")
    gap = (
        yes.mean_change - no.mean_change
        if yes and no and yes.mean_change is not None and no.mean_change is not None
        else None
    )
    labels = dimension_labels(view, list(dict.fromkeys((*FILTERS, *by))))
    labelled = [(_label(c.key, by, labels), c) for c in cells]
    by_year = [(_label(c.key, ("year",), labels), c) for c in years]
    context = _context(
        view,
        indicator=item,
        measured=code in view.engine_name,  # an indicator with no 1-5 item is not measured
        by=",".join(by),
        # the downloads hold what is on screen: the same breakdown and filters
        download_query=urlencode([("by", ",".join(by)), *filters.items()]),
        by_label=" · ".join(str(DIMENSION_LABELS.get(name, name)) for name in by),
        dimensions=[(name, DIMENSION_LABELS.get(name, name)) for name in DIMENSIONS],
        filters=filters,
        filter_fields=_filter_fields(filters, labels),
        error=error,
        cells=labelled,
        chart=_svg(
            change_with_ci(
                labelled, title=str(item), axis=_("mean change, points on a scale of 1 to 5")
            )
        )
        if labelled
        else "",
        years=by_year,
        trend_chart=_svg(
            trend(by_year, title=_("By year"), axis=_("mean change, points on a scale of 1 to 5"))
        )
        if years
        else "",
        total=total[0] if total else None,
        pre_post_chart=_svg(
            pre_post(total[0], title=_("Before and after"), labels=(_("before"), _("after")))
        )
        if total
        else "",
        distribution=_distribution_rows(total[0] if total else None),
        distribution_chart=_svg(
            answer_distribution(
                total[0].distribution,
                title=_("Answers before and after"),
                options=[f"{o}. {OPTION_LABELS[o - 1]}" for o in OPTIONS],
                moments=(_("before"), _("after")),
                axis=_("share of answers, in percent"),
            )
        )
        if total and total[0].distribution
        else "",
        equity=[(_label(c.key, ("fewer_opportunities",), labels), c) for c in equity],
        gap=gap,
    )
    template = (
        "impact/dashboards/indicator_results.html"
        if request.headers.get("HX-Request")
        else "impact/dashboards/indicator.html"
    )
    return render(request, template, context)


@login_required
def organisation(request: HttpRequest, pk: int, org_pk: int) -> HttpResponse:
    campaign = campaign_get_for_dashboard(user=request.user, pk=pk)
    viewer = viewer_for(request.user)
    viewer.require_org(org_pk)
    org = Organisation.objects.filter(pk=org_pk).first()
    if org is None:
        raise NotFound
    floor = floor_for(viewer)
    view = snapshot_view(campaign=campaign)
    network = headline(view, floor=floor)
    # as a filter, so that the network's figures less the organisation's single out no one
    own = headline(view, floor=floor, filters={"organisation": org.code})
    indicators = outcome_indicators(campaign=campaign)
    rows_out = [
        (ind, own.get(ind.code), network.get(ind.code)) for ind in indicators if ind.code in network
    ]
    download = _download(
        request,
        ["indicator", "own_n", "own_mean_change", "network_n", "network_mean_change"],
        [
            [
                ind.code,
                o.n if o else None,
                o.mean_change if o else None,
                n.n if n else None,
                n.mean_change if n else None,
            ]
            for ind, o, n in rows_out
        ],
        f"impact-{campaign.code}-{org.code}",
    )
    if download is not None:
        return download
    return render(
        request,
        "impact/dashboards/organisation.html",
        _context(view, organisation=org, rows=rows_out),
    )


@login_required
def quality(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_get_for_dashboard(user=request.user, pk=pk)
    viewer = viewer_for(request.user)
    view = snapshot_view(campaign=campaign)
    rows = quality_rows(campaign=campaign, viewer=viewer)
    download = _download(
        request,
        ["activity", "invited", "respondents", "pre", "post", "paired", "partner"],
        [
            [r.activity.code, r.invited, r.respondents, r.pre, r.post, r.paired, r.partner]
            for r in rows
        ],
        f"impact-quality-{campaign.code}",
    )
    if download is not None:
        return download
    cells = headline(view, floor=floor_for(viewer))
    # the indicators themselves, so the page shows their names through ``{% authored %}``
    indicators = {ind.code: ind for ind in outcome_indicators(campaign=campaign)}
    ceilings = [indicators.get(code, code) for code, cell in cells.items() if cell.ceiling]
    return render(
        request,
        "impact/dashboards/quality.html",
        _context(
            view,
            rows=rows,
            ceilings=ceilings,
            closing=rounds_closing_soon(campaign=campaign, viewer=viewer, now=timezone.now()),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def refresh_status(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_get_for_dashboard(user=request.user, pk=pk)
    viewer = viewer_for(request.user)
    already_queued = False
    if request.method == "POST":  # the service answers Forbidden to those who may not
        already_queued = not analytics_refresh_request(actor=request.user, campaign=campaign)
    view = snapshot_view(campaign=campaign)
    return render(
        request,
        "impact/dashboards/refresh_status.html",
        _context(
            view,
            can_refresh=can_request_refresh(viewer),
            already_queued=already_queued,
        ),
    )
