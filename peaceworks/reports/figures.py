"""Collecting a report's figures: every number a report version shows, frozen as plain JSON.

Survey figures come only from the campaign's analytics snapshot through
``impact.figures.selectors.family_table`` at the published floor (``PUBLISHED_MIN_N``: a cell of
fewer than 10 people is hidden, with the complementary cells the protected family hides beside
it); nothing here computes a figure around that engine. Output counts come from the activity
records (``campaigns.outputs``), the strategy's progress from ``campaigns.selectors``; counts of
people among the outputs are shown only from 10 up as well.

The result (``collect_figures``) is what the documents are rendered from, and the only thing
they are rendered from: a published version's documents never read the live tables again.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from peaceworks.campaigns.models import Campaign, Plan
from peaceworks.campaigns.outputs import ActivityRecord, compute_outputs
from peaceworks.campaigns.selectors import (
    campaign_output_records,
    organisation_first_years,
    plan_progress,
)
from peaceworks.directory.geography import country_name
from peaceworks.impact.analytics import PUBLISHED_MIN_N, Cell
from peaceworks.impact.figures.selectors import (
    SnapshotView,
    dimension_labels,
    family_table,
    outcome_indicators,
    snapshot_view,
)
from peaceworks.impact.models import QuotableAnswer, Respondent, pick_text
from peaceworks.reports.models import Report, ReportVersion

#: the version of the layout of ``ReportVersion.figures``
SCHEMA = 1
#: the breakdowns a report offers (each one dimension, beside the scope's own filter)
BREAKDOWNS: tuple[str, ...] = ("fewer_opportunities", "gender", "age_band", "year")
#: the statistics of a published cell, with the decimals the documents show
CELL_FIELDS: dict[str, int] = {
    "n": 0,
    "mean_baseline": 2,
    "mean_post": 2,
    "mean_change": 2,
    "ci_low": 2,
    "ci_high": 2,
    "pct_improved": 1,
    "response_rate": 1,
    "pairing_rate": 1,
}

#: the engine gives these as fractions
RATES = frozenset({"response_rate", "pairing_rate"})

Progress = Callable[[int], None]


def scope_filters(report: Report) -> dict[str, str]:
    """The snapshot filter of the report's scope (none for a whole campaign or project)."""
    if report.scope == Report.Scope.THEME and report.theme is not None:
        return {"theme": report.theme.code}
    if report.scope == Report.Scope.ORGANISATION and report.organisation is not None:
        return {"organisation": report.organisation.code}
    if report.scope == Report.Scope.PERIOD and report.year is not None:
        return {"year": str(report.year)}
    return {}


def scope_label(report: Report) -> str:
    if report.scope == Report.Scope.THEME and report.theme is not None:
        return _("Theme %(number)d: %(name)s") % {
            "number": report.theme.number,
            "name": report.theme.translated("name", report.language),
        }
    if report.scope == Report.Scope.ORGANISATION and report.organisation is not None:
        return _("Organisation: %(name)s") % {"name": report.organisation.name}
    if report.scope == Report.Scope.PERIOD and report.year is not None:
        return _("Year %(year)d") % {"year": report.year}
    if report.scope == Report.Scope.PROJECT:
        return _("Whole project")
    return _("Whole campaign")


def _number(value: float | int | Decimal | None, places: int) -> float | int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    value = float(value)
    return round(value) if places == 0 else round(float(value), places)


def _cell(cell: Cell) -> dict[str, Any]:
    """A published cell as JSON: no number at all when it is hidden."""
    if cell.suppressed:
        return {"suppressed": True, **dict.fromkeys(CELL_FIELDS), "method": None}
    out: dict[str, Any] = {"suppressed": False, "method": cell.method}
    for name, places in CELL_FIELDS.items():
        value = getattr(cell, name)
        if name in RATES and value is not None:
            value = 100 * value  # the engine's rates are fractions; documents show percent
        out[name] = _number(value, places)
    return out


def _answered(cell: Cell) -> bool:
    """A hidden cell, or one somebody answered (an indicator nobody answered in the scope is
    left out: it was not asked there)."""
    return cell.suppressed or bool(cell.n)


def _records(report: Report, records: Sequence[ActivityRecord]) -> list[ActivityRecord]:
    if report.scope == Report.Scope.THEME and report.theme_id is not None:
        return [r for r in records if report.theme_id in r.theme_ids]
    if report.scope == Report.Scope.ORGANISATION and report.organisation_id is not None:
        return [r for r in records if report.organisation_id in r.organisation_ids]
    if report.scope == Report.Scope.PERIOD and report.year is not None:
        return [r for r in records if r.year == report.year]
    return list(records)


def _people(value: int) -> int | None:
    """A count of people as published: None (shown as "fewer than 10") from 1 to 9."""
    return None if 0 < value < PUBLISHED_MIN_N else value


def collect_outputs(report: Report) -> list[dict[str, Any]]:
    """The scope's output totals. Counts of people below 10 are hidden; when one of the two
    kinds of volunteer is hidden the other is too (the total less one would give it away)."""
    outputs = compute_outputs(
        _records(report, campaign_output_records(campaign=report.campaign)),
        first_years=organisation_first_years(),
    )
    international = _people(outputs.international_volunteers)
    local = _people(outputs.local_volunteers)
    if international is None or local is None:
        international = local = None
    fewer = _people(outputs.fewer_opportunities)
    share = outputs.fewer_opportunities_share
    if fewer is None or _people(outputs.participants - outputs.fewer_opportunities) is None:
        share = None
    rows: list[tuple[str, str, float | int | None, bool]] = [
        ("activities", _("Activities"), outputs.activities, False),
        ("hosting_countries", _("Hosting countries"), outputs.hosting_countries, False),
        ("active_organisations", _("Active organisations"), outputs.active_organisations, False),
        ("volunteers", _("Volunteers"), _people(outputs.volunteers), True),
        ("international_volunteers", _("International volunteers"), international, True),
        ("local_volunteers", _("Local volunteers"), local, True),
        ("local_participants", _("Local participants"), _people(outputs.local_participants), True),
        ("volunteer_hours", _("Volunteer hours"), int(outputs.volunteer_hours), False),
        ("fewer_opportunities", _("Participants with fewer opportunities"), fewer, True),
        (
            "fewer_opportunities_share",
            _("Share of participants with fewer opportunities (%)"),
            None if share is None else round(float(share), 1),
            True,
        ),
        ("education_sessions", _("Education sessions"), outputs.education_sessions, False),
    ]
    return [
        {"key": key, "label": label, "value": value, "people": people}
        for key, label, value, people in rows
    ]


def collect_strategy(campaign: Campaign, *, today: date) -> list[dict[str, Any]]:
    """The progress of the campaign's published strategy plans on ``today``."""
    first_years = organisation_first_years()
    published = list(
        Plan.objects.filter(campaign=campaign, is_published=True).order_by("start_year")
    )
    # the campaign's records read once for all its plans (none read without a plan)
    records = campaign_output_records(campaign=campaign) if published else []
    plans = []
    for plan in published:
        progress = plan_progress(
            plan=plan, today=today, first_years=first_years, campaign_records=records
        )
        plans.append(
            {
                "title": plan.translated("title"),
                "years": f"{plan.start_year}\N{EN DASH}{plan.end_year}",
                "progress": _number(progress.rollup.progress, 0),
                "actions": progress.rollup.actions,
                "overdue": progress.rollup.overdue,
                "at_risk": progress.rollup.at_risk,
                "goals": [
                    {
                        "number": row.goal.number,
                        "title": row.goal.translated("title"),
                        "progress": _number(row.rollup.progress, 0),
                        "actions": row.rollup.actions,
                    }
                    for row in progress.goals
                ],
            }
        )
    return plans


def _breakdown(
    view: SnapshotView,
    *,
    dimension: str,
    filters: Mapping[str, str],
    names: Mapping[str, tuple[str, str]],
    labels: Mapping[str, str],
) -> list[dict[str, Any]]:
    table = family_table(view, by=(dimension,), floor=PUBLISHED_MIN_N, filters=filters)
    if table is None:
        return []
    rows = []
    for engine_name, (code, name) in names.items():
        if engine_name not in table.indicators:
            continue
        for cell in table.cells(engine_name):
            if not _answered(cell):
                continue
            key = cell.key[0]
            rows.append(
                {
                    "indicator": code,
                    "indicator_name": name,
                    "key": key,
                    "label": _("not said") if key is None else labels.get(str(key), str(key)),
                    **_cell(cell),
                }
            )
    return rows


def collect_countries(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per hosting country, from the rows of its published breakdown: the largest number of
    people behind one of its published figures and how many of its figures are published. A
    country none of whose cells is published (fewer than 10 people, or hidden beside one) is
    left out: the public map and its table never name it."""
    countries: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["suppressed"] or row["key"] is None or (row["n"] or 0) < PUBLISHED_MIN_N:
            continue
        entry = countries.setdefault(
            str(row["key"]),
            {"code": str(row["key"]), "name": row["label"], "n": 0, "indicators": 0},
        )
        entry["n"] = max(entry["n"], row["n"])
        entry["indicators"] += 1
    return sorted(countries.values(), key=lambda entry: str(entry["name"]).casefold())


def collect_figures(
    version: ReportVersion, *, progress: Progress | None = None, previous: ReportVersion | None
) -> dict[str, Any]:
    """Every figure of ``version``'s documents, in the report's language."""
    report = version.report
    step = progress or (lambda _value: None)
    with translation.override(report.language):
        filters = scope_filters(report)
        view = snapshot_view(campaign=report.campaign)
        step(15)
        indicators = outcome_indicators(campaign=report.campaign)
        names: dict[str, tuple[str, str]] = {}
        theme_of: dict[str, tuple[int, str]] = {}
        for indicator in indicators:
            engine_name = view.engine_name.get(indicator.code)
            if engine_name is None:
                continue  # not measured by a 1-5 item
            names[engine_name] = (indicator.code, pick_text(indicator.name, report.language))
            theme = indicator.outcome.theme if indicator.outcome else None
            theme_of[engine_name] = (
                (theme.number, theme.translated("name")) if theme else (0, _("Every theme"))
            )
        total = family_table(view, by=(), floor=PUBLISHED_MIN_N, filters=filters)
        step(35)
        themes: dict[int, dict[str, Any]] = {}
        if total is not None:
            for engine_name, (code, name) in names.items():
                if engine_name not in total.indicators:
                    continue
                cells = [cell for cell in total.cells(engine_name) if _answered(cell)]
                if not cells:
                    continue
                number, theme_name = theme_of[engine_name]
                entry = themes.setdefault(
                    number, {"number": number, "name": theme_name, "indicators": []}
                )
                entry["indicators"].append({"code": code, "name": name, **_cell(cells[0])})
        labels = dimension_labels(view, [*BREAKDOWNS, "country"])
        breakdowns = []
        for dimension in BREAKDOWNS:
            if dimension in filters:
                continue
            rows = _breakdown(
                view,
                dimension=dimension,
                filters=filters,
                names=names,
                labels=labels.get(dimension, {}),
            )
            if any(not row["suppressed"] for row in rows):
                breakdowns.append({"dimension": dimension, "rows": rows})
        countries = (
            []
            if "country" in filters
            else collect_countries(
                _breakdown(
                    view,
                    dimension="country",
                    filters=filters,
                    names=names,
                    labels=labels.get("country", {}),
                )
            )
        )
        step(55)
        shown = [i for t in themes.values() for i in t["indicators"] if not i["suppressed"]]
        figures: dict[str, Any] = {
            "schema": SCHEMA,
            "title": report.title,
            "language": report.language,
            "scope": report.scope,
            "scope_label": scope_label(report),
            "campaign": {
                "code": report.campaign.code,
                "name": report.campaign.translated("name", report.language),
            },
            "version": version.number,
            "created_at": version.created_at.isoformat(),
            "floor": PUBLISHED_MIN_N,
            "snapshot_refreshed_at": view.refreshed_at.isoformat() if view.refreshed_at else None,
            "themes": [themes[number] for number in sorted(themes)],
            "breakdowns": breakdowns,
            "countries": countries,
            "stories": collect_stories(report),
            "outputs": collect_outputs(report),
            "strategy": collect_strategy(report.campaign, today=version.created_at.date()),
            "methods": _methods(shown, [i for t in themes.values() for i in t["indicators"]]),
            "withdrawals": _withdrawals(report, previous),
        }
        step(65)
    return figures


#: at most this many stories in one version (the first by country, then by when marked)
MAX_STORIES = 30


def _stories_in_scope(report: Report) -> QuerySet[QuotableAnswer]:
    """Marks on answers of the report's scope (whatever the consent: see ``collect_stories``)."""
    marks = QuotableAnswer.objects.filter(response__round__activity__campaign=report.campaign)
    if report.scope == Report.Scope.THEME and report.theme_id is not None:
        marks = marks.filter(response__round__activity__themes=report.theme_id)
    elif report.scope == Report.Scope.ORGANISATION and report.organisation_id is not None:
        marks = marks.filter(response__round__activity__host_organisation=report.organisation_id)
    elif report.scope == Report.Scope.PERIOD and report.year is not None:
        marks = marks.filter(response__round__activity__start_date__year=report.year)
    return marks


def collect_stories(report: Report) -> list[dict[str, Any]]:
    """The selected stories: written answers a coordinator marked quotable, in the report's
    scope, whose respondent agreed to being quoted and has not withdrawn. Pseudonymous: the
    words, the activity's country and themes, never a name, a code or the activity itself."""
    marks = (
        _stories_in_scope(report)
        .filter(response__quote_consent=True)
        # a partner's form has no respondent; a volunteer's story leaves with their consent
        .filter(
            Q(response__respondent__isnull=True)
            | Q(response__respondent__withdrawn_at__isnull=True)
        )
        .select_related("response__round__activity")
        .prefetch_related("response__round__activity__themes")
        .order_by("marked_at", "pk")
    )
    stories = []
    for mark in marks:
        text = mark.response.answers.get(mark.question_code)
        if not (isinstance(text, str) and text.strip()):
            continue
        activity = mark.response.round.activity
        themes = sorted(activity.themes.all(), key=lambda theme: theme.number)
        stories.append(
            {
                "text": text.strip(),
                "country": activity.country,
                "country_name": country_name(activity.country),
                "themes": [
                    _("Theme %(number)d: %(name)s") % {"number": t.number, "name": t.name}
                    for t in themes
                ],
            }
        )
    stories.sort(key=lambda story: str(story["country_name"]).casefold())
    return stories[:MAX_STORIES]


def _stories_withdrawn(report: Report, previous: ReportVersion) -> int:
    """Stories the previous version printed whose respondent withdrew since it was generated."""
    since = previous.generated_at or previous.published_at
    return (
        _stories_in_scope(report)
        .filter(
            response__quote_consent=True,
            marked_at__lte=since,
            response__respondent__withdrawn_at__gt=since,
        )
        .count()
    )


def _range(values: Sequence[float | None]) -> list[float] | None:
    found = [v for v in values if v is not None]
    return [min(found), max(found)] if found else None


def _methods(
    shown: Sequence[Mapping[str, Any]], every: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """What the methods section states, from the published cells only."""
    return {
        "indicators": len(every),
        "indicators_shown": len(shown),
        "indicators_hidden": len(every) - len(shown),
        "paired": sum(1 for i in shown if i["method"] == "paired"),
        "unpaired": sum(1 for i in shown if i["method"] not in (None, "paired")),
        "n_range": _range([i["n"] for i in shown]),
        "response_rate_range": _range([i["response_rate"] for i in shown]),
        "pairing_rate_range": _range([i["pairing_rate"] for i in shown]),
        "control_group": False,
    }


def _withdrawals(report: Report, previous: ReportVersion | None) -> dict[str, Any]:
    """How many respondents of the campaign withdrew since the previous published version
    (their answers left the snapshot before this version was collected)."""
    if previous is None or previous.published_at is None:
        return {"previous_version": None, "any": False, "shown": None, "stories_removed": 0}
    count = Respondent.objects.filter(
        activity__campaign=report.campaign, withdrawn_at__gt=previous.published_at
    ).count()
    return {
        "previous_version": previous.number,
        "any": count > 0,
        "shown": _people(count),  # None: fewer than 10
        "stories_removed": _stories_withdrawn(report, previous),
    }
