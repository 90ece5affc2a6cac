"""Reads of the analytics snapshot for pages, downloads and the API.

Pages never recompute from the impact tables: they read the campaign's snapshot (its stored
frame, cached per process until the snapshot changes) and ask the engine for the cells, with the
floor that fits the reader: coordinators' views ``COORDINATOR_MIN_N``, anything published
``PUBLISHED_MIN_N``. Every figure goes through ``family_table``: a view is a slice of one table
of the snapshot's protected family (``analytics.family``), with that family's hidden cells.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import product
from typing import Any

import numpy as np
import orjson
from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Viewer, viewer_for
from peaceworks.campaigns.models import Activity, Campaign, Theme
from peaceworks.core.errors import DomainError, NotFound
from peaceworks.core.exports import CsvLines
from peaceworks.directory.geography import country_name, region_name
from peaceworks.directory.models import Organisation
from peaceworks.impact.analytics import (
    COORDINATOR_MIN_N,
    DIMENSIONS,
    PUBLISHED_MIN_N,
    AnalysisFrame,
    Cell,
    IndicatorTable,
)
from peaceworks.impact.analytics.engine import table_from_sums
from peaceworks.impact.analytics.family import (
    MAX_VIEW_DIMENSIONS,
    Family,
    build_family,
    canonical,
)
from peaceworks.impact.analytics.frame import (
    ACTIVITY_DIMENSIONS,
    FO_ANY,
    FO_PREFIX,
    MULTI_VALUED_DIMENSIONS,
    activity_labels,
    duration_band,
    indicator_themes,
    restrict,
    take,
)
from peaceworks.impact.analytics.sums import TableSums, compute_sums
from peaceworks.impact.analytics_load import activity_rows, frame_from_bytes, indicator_map
from peaceworks.impact.models import (
    AnalyticsSnapshot,
    Indicator,
    Question,
    Respondent,
    Response,
    Round,
    pick_text,
)


class BadDimension(DomainError):
    """``by=`` names an unknown or repeated dimension."""

    status_code = 422


class TooManyDimensions(DomainError):
    """``by`` and the filters together name more dimensions than the protected family holds."""

    status_code = 400


#: Per process: the decoded frame of each snapshot and the per-cell sums of every grouping a
#: page asked for (additive sums: later requests derive their cells without a pass over
#: respondents). Replaced when the snapshot is refreshed.
_CACHE: dict[
    tuple[int, datetime | None], tuple[AnalysisFrame, dict[tuple[str, ...], TableSums]]
] = {}
#: Per process: the protected family of each snapshot and floor (``suppression_family``).
_FAMILIES: dict[tuple[int, datetime | None, int], Family] = {}
#: The groupings of the campaign overview and of an indicator page as it opens.
PAGE_GROUPINGS: tuple[tuple[str, ...], ...] = (
    (),
    ("country",),
    ("year",),
    ("fewer_opportunities",),
)


@dataclass(frozen=True)
class SnapshotView:
    campaign: Campaign
    snapshot: AnalyticsSnapshot | None
    frame: AnalysisFrame | None
    engine_name: Mapping[str, str]
    sums: dict[tuple[str, ...], TableSums] = field(default_factory=dict)
    #: per activity: its labels per activity dimension and its registered volunteers
    registered: list[tuple[dict[str, tuple[Any, ...]], int]] = field(default_factory=list)
    families: dict[int, Family] = field(default_factory=dict)  # without a snapshot only

    @property
    def refreshed_at(self) -> datetime | None:
        return self.snapshot.refreshed_at if self.snapshot else None


def floor_for(viewer: Viewer, *, published: bool = False) -> int:
    """Coordinators' floor inside the network, the published floor for anything outside it."""
    if published or not viewer.is_network_member:
        return PUBLISHED_MIN_N
    return COORDINATOR_MIN_N


def campaign_get_for_dashboard(*, user: Any, pk: int) -> Campaign:
    """Members of the network see every campaign's aggregates; others only published ones."""
    campaign = Campaign.objects.filter(pk=pk).first()
    if campaign is None:
        raise NotFound
    viewer = viewer_for(user)
    if not viewer.is_network_member and not campaign.is_published:
        raise NotFound
    return campaign


def snapshot_view(*, campaign: Campaign) -> SnapshotView:
    """The campaign's snapshot and its frame (one query when the frame is cached)."""
    snapshot = AnalyticsSnapshot.objects.filter(campaign=campaign).defer("frame").first()
    mapping = indicator_map(campaign=campaign)
    frame = None
    sums: dict[tuple[str, ...], TableSums] = {}
    if snapshot is not None and snapshot.refreshed_at is not None:
        key = (snapshot.pk, snapshot.refreshed_at)
        if key in _CACHE:
            frame, sums = _CACHE[key]
        else:
            data = (
                AnalyticsSnapshot.objects.filter(pk=snapshot.pk)
                .values_list("frame", flat=True)
                .first()
            )
            if data:
                frame = frame_from_bytes(bytes(data))
                # list(): a warm-up thread may fill the cache while a request reads it
                for old in [k for k in list(_CACHE) if k[0] == snapshot.pk]:
                    _CACHE.pop(old, None)
                _CACHE[key] = (frame, sums)
    return SnapshotView(campaign, snapshot, frame, mapping.engine_name, sums)


def snapshots_warm(*, groupings: Sequence[Sequence[str]] = PAGE_GROUPINGS) -> int:
    """Decode every refreshed snapshot's frame and compute the sums of the groupings the
    dashboards ask for first, into this process's cache (what a server does before its first
    request: at 1M respondents that is seconds). Returns the number of snapshots warmed."""
    warmed = 0
    for snapshot in AnalyticsSnapshot.objects.filter(refreshed_at__isnull=False).select_related(
        "campaign"
    ):
        view = snapshot_view(campaign=snapshot.campaign)
        if view.frame is None:
            continue
        missing = [tuple(by) for by in groupings if tuple(by) not in view.sums]
        for by, sums in zip(missing, compute_sums(view.frame, missing), strict=True):
            view.sums[by] = sums
        suppression_family(view, PUBLISHED_MIN_N)  # and the coordinators' it starts from
        warmed += 1
    return warmed


def respondent_counts(view: SnapshotView, dimension: str) -> dict[Any, int]:
    """Respondents of the snapshot per label of ``dimension`` (one counting pass)."""
    if view.frame is None or view.frame.size == 0:
        return {}
    labels = view.frame.labels_of(dimension)
    counts = view.frame.label_counts(dimension)  # overlapping for theme, network
    return {label: int(n) for label, n in zip(labels, counts, strict=False)}


def _table(view: SnapshotView, by: tuple[str, ...]) -> IndicatorTable:
    """The grouping's table over the whole snapshot, unsuppressed: from cached sums."""
    frame = view.frame
    if frame is None:
        raise NotFound
    sums = view.sums.get(by)
    if sums is None:
        sums = compute_sums(frame, [by])[0]
        view.sums[by] = sums
    return table_from_sums(
        sums,
        [frame.labels_of(name) for name in by],
        (*frame.items, *frame.scales),
        [len(members) for members in frame.scales.values()],
        floor=None,
        invited=registered_volunteers(view, by),
        indicator_themes=indicator_themes(frame),
    )


def suppression_family(view: SnapshotView, floor: int) -> Family:
    """The snapshot's protected family at ``floor`` (``analytics.family``), computed once per
    process and snapshot; the published floor's starts from the coordinators' hidden cells."""
    if view.frame is None:
        raise NotFound
    if view.snapshot is None:  # a frame of its own (the engine's tests): cached on the view
        cache: dict[Any, Family] = view.families
        key: Any = floor
    else:
        cache = _FAMILIES
        key = (view.snapshot.pk, view.snapshot.refreshed_at, floor)
    found = cache.get(key)
    if found is None:
        start = suppression_family(view, COORDINATOR_MIN_N) if floor > COORDINATOR_MIN_N else None
        found = build_family(view.frame, floor, start=start, multi_valued=MULTI_VALUED_DIMENSIONS)
        if view.snapshot is not None:
            for old in [k for k in list(_FAMILIES) if k[0] == key[0] and k[1] != key[1]]:
                _FAMILIES.pop(old, None)
        cache[key] = found
    return found


def family_table(
    view: SnapshotView,
    *,
    by: Sequence[str],
    floor: int,
    filters: Mapping[str, str] | None = None,
) -> IndicatorTable | None:
    """The one way every figure is published: the view ``by`` under ``filters`` as the slice of
    its table in the snapshot's protected family, with that table's hidden cells (see
    ``analytics.family``). Raises ``TooManyDimensions`` when ``by`` and the filters name more
    than ``MAX_VIEW_DIMENSIONS``; None when the snapshot has nobody."""
    wanted = {name: label for name, label in (filters or {}).items() if name in DIMENSIONS}
    dims = canonical((*by, *wanted))
    if len(dims) > MAX_VIEW_DIMENSIONS:
        raise TooManyDimensions(
            _(
                "Figures are offered by at most %(count)d dimensions, counting each filter "
                "as one: remove a filter or a breakdown."
            )
            % {"count": MAX_VIEW_DIMENSIONS},
            field="by",
        )
    if view.frame is None or view.frame.size == 0:
        return None
    grouping = (*by, *(name for name in dims if name not in by))
    table = _table(view, grouping)
    order = [grouping.index(name) for name in dims]
    family = suppression_family(view, floor).table(dims)
    dense = np.zeros(table.cell_codes.shape[0], dtype=np.int64)
    for position, size in zip(order, family.shape, strict=True):
        dense = dense * size + table.cell_codes[:, position]
    hidden_rows = family.hidden_at(dense)  # (indicators + attribution, cells)
    keep = np.ones(dense.size, dtype=np.bool_)
    for name, label in wanted.items():
        labels = view.frame.labels_of(name)
        if label not in labels:
            keep[:] = False
            break
        keep &= table.cell_codes[:, grouping.index(name)] == labels.index(label)
    values = {name: array[:, keep] for name, array in table.values.items()}
    answered = (values["n_pre"] > 0) | (values["n_post"] > 0)
    # attribution is shown only where the indicator has answers and its own answers are shown
    values["mean_attribution"] = np.where(
        answered & ~hidden_rows[-1:, keep], values["mean_attribution"], np.nan
    )
    return replace(
        table,
        by=tuple(by),
        labels=table.labels[: len(by)],
        cell_codes=table.cell_codes[keep][:, : len(by)],
        values=values,
        suppressed=hidden_rows[:-1, keep],
        floor=floor,
        item_hist=table.item_hist[:, keep],
    )


def registered_volunteers(
    view: SnapshotView, by: tuple[str, ...]
) -> dict[tuple[Any, ...], int] | None:
    """Volunteers registered (international + local, from the activity records) per cell of a
    grouping by activity dimensions only: the expected respondents of the response rate. None
    for a grouping by a respondent dimension (registrations have no gender, age…)."""
    if view.campaign is None or any(name not in ACTIVITY_DIMENSIONS for name in by):
        return None  # no campaign: a frame of its own (the engine's tests)
    if not view.registered:
        for row in activity_rows(campaign=view.campaign).values():
            view.registered.append((activity_labels(row), int(row["volunteers_registered"])))
    out: dict[tuple[Any, ...], int] = defaultdict(int)
    for labels_of, volunteers in view.registered:
        for key in product(*(labels_of[name] for name in by)):
            out[key] += volunteers
    return dict(out)


def parse_by(raw: str | None) -> tuple[str, ...]:
    """``by=dim1,dim2`` checked against the engine's dimensions (DomainError 422 otherwise)."""
    names = tuple(part.strip() for part in (raw or "").split(",") if part.strip())
    unknown = [name for name in names if name not in DIMENSIONS]
    if unknown or len(set(names)) != len(names) or len(names) > MAX_VIEW_DIMENSIONS:
        raise BadDimension(
            _("Use up to two different dimensions among: %(names)s.")
            % {"names": ", ".join(DIMENSIONS)},
            field="by",
        )
    return names


def require_aggregate_scope(viewer: Viewer, by: Sequence[str], filters: Mapping[str, str]) -> None:
    """Outside network staff, the figures are the network's aggregates: no breakdown by
    organisation, and an organisation filter only for one's own (others: NotFound)."""
    if viewer.is_network_staff:
        return
    if "organisation" in by:
        raise BadDimension(
            _("Only network staff can compare organisations; choose another dimension."),
            field="by",
        )
    wanted = filters.get("organisation")
    if wanted is not None:
        own = set(
            Organisation.objects.filter(pk__in=viewer.readable_org_ids).values_list(
                "code", flat=True
            )
        )
        if wanted not in own:
            raise NotFound


def filter_frame(frame: AnalysisFrame, filters: Mapping[str, str]) -> AnalysisFrame:
    """Respondents whose dimension labels equal the given ones (unknown labels: nobody); for a
    multi-valued dimension, its members as ``frame.restrict`` reads them."""
    for name, label in filters.items():
        if name in frame.memberships and label in frame.labels_of(name):
            frame = restrict(frame, name, frame.labels_of(name).index(label))
    keep = np.ones(frame.size, dtype=np.bool_)
    for name, label in filters.items():
        if name not in DIMENSIONS:
            continue
        labels = frame.labels_of(name)
        if label not in labels:
            keep[:] = False
            break
        keep &= frame.has_label(name, labels.index(label))
    if keep.all():
        return frame
    return take(frame, np.flatnonzero(keep))


def indicator_cells(
    view: SnapshotView,
    *,
    indicator: str,
    by: Sequence[str],
    floor: int,
    filters: Mapping[str, str] | None = None,
) -> tuple[Cell, ...]:
    """The cells of one indicator (its code in the framework) by the given dimensions, as
    ``family_table`` publishes them (``TooManyDimensions`` beyond two dimensions)."""
    name = view.engine_name.get(indicator)
    table = family_table(view, by=tuple(by), floor=floor, filters=filters)
    if name is None or table is None:
        return ()
    return table.cells(name)


def headline(
    view: SnapshotView, *, floor: int, filters: Mapping[str, str] | None = None
) -> dict[str, Cell]:
    """Every outcome indicator's campaign total (of the respondents ``filters`` keep), by
    indicator code, as ``family_table`` publishes it."""
    if view.frame is None or not view.frame.items:
        return {}
    table = family_table(view, by=(), floor=floor, filters=filters)
    if table is None:
        return {}
    cells = {cell.indicator: cell for cell in table.cells()}
    return {code: cells[name] for code, name in view.engine_name.items() if name in cells}


#: Dimensions whose labels are the answer choices of the survey question of the same code.
CHOICE_DIMENSIONS = ("gender", "age_band", "role", "first_experience")


def dimension_labels(view: SnapshotView, names: Sequence[str]) -> dict[str, dict[str, str]]:
    """Per dimension, the labels present in the snapshot's frame and what people read for each,
    in the active language and a natural order: themes by number ("1. name", as elsewhere),
    answer choices in the survey's order and words, countries and regions by their translated
    names, years in order. At most two queries (themes, question choices)."""
    frame = view.frame
    if frame is None:
        return {name: {} for name in names}
    themes: dict[str, str] = {}
    if "theme" in names:
        themes = {
            code: f"{number}. {name}"
            for code, number, name in Theme.objects.filter(campaign=view.campaign)
            .order_by("number")
            .values_list("code", "number", "name")
        }
    choices: dict[str, dict[str, str]] = {}
    wanted = [name for name in names if name in CHOICE_DIMENSIONS]
    if wanted:
        rows = (
            Question.objects.filter(instrument__framework__campaign=view.campaign, code__in=wanted)
            .order_by("-instrument_id")
            .values_list("code", "choices")
        )
        for code, options in rows:  # the newest instrument's words first
            texts = choices.setdefault(code, {})
            for option in options or []:
                texts.setdefault(str(option["value"]), pick_text(option.get("label")))
    out: dict[str, dict[str, str]] = {}
    for name in names:
        present = [str(label) for label in frame.labels_of(name) if label is not None]
        known = themes if name == "theme" else choices.get(name, {})
        texts = {label: _label_text(name, label, known) for label in present}
        if known:
            order = {label: position for position, label in enumerate(known)}
            present.sort(key=lambda label: (order.get(label, len(order)), label))
        elif name not in ("year", "duration_band"):
            present.sort(key=lambda label: texts[label].casefold())
        out[name] = {label: texts[label] for label in present}
    return out


def _label_text(name: str, label: str, known: Mapping[str, str]) -> str:
    if label in known:
        return known[label]
    if name in ("country", "residence_country"):
        return country_name(label)
    if name == "region":
        return region_name(label) or label
    if name == "activity_type":
        return str(dict(Activity.Type.choices).get(label, label))
    if name == FO_ANY or name.startswith(FO_PREFIX):
        return {"yes": _("yes"), "no": _("no")}.get(label, label)
    return label


def outcome_indicators(*, campaign: Campaign) -> list[Indicator]:
    return list(
        Indicator.objects.filter(framework__campaign=campaign, kind=Indicator.Kind.OUTCOME)
        .select_related("outcome", "outcome__theme")
        .order_by("outcome__theme__number", "order", "code")
    )


def indicator_get(*, campaign: Campaign, code: str) -> Indicator:
    indicator = (
        Indicator.objects.filter(framework__campaign=campaign, code=code)
        .select_related("outcome", "outcome__theme")
        .first()
    )
    if indicator is None:
        raise NotFound
    return indicator


@dataclass(frozen=True)
class ActivityQuality:
    activity: Activity
    respondents: int
    pre: int
    post: int
    partner: int
    invited: int

    def _rate(self, part: int) -> float | None:
        return 100 * part / self.invited if self.invited else None

    @property
    def response_rate(self) -> float | None:
        return self._rate(self.post)

    @property
    def pairing_rate(self) -> float | None:
        return 100 * self.paired / self.post if self.post else None

    paired: int = 0


def quality_rows(*, campaign: Campaign, viewer: Viewer) -> list[ActivityQuality]:
    """Response, pairing and partner-form counts per activity (three grouped queries)."""
    activities = Activity.objects.filter(campaign=campaign).select_related("host_organisation")
    if not viewer.is_network_staff:
        activities = activities.filter(host_organisation_id__in=viewer.readable_org_ids)
    activities = activities.order_by("start_date", "code")[:300]
    ids = [a.pk for a in activities]
    counts: dict[tuple[int, str], int] = {}
    for activity_id, kind, number in (
        Response.objects.filter(round__activity_id__in=ids)
        .values_list("round__activity_id", "round__kind")
        .annotate(number=Count("id"))
    ):
        counts[(activity_id, kind)] = number
    paired = dict(
        Respondent.objects.filter(activity_id__in=ids, withdrawn_at__isnull=True)
        .annotate(
            pre=Count("responses", filter=Q(responses__round__kind="pre")),
            post=Count("responses", filter=Q(responses__round__kind="post")),
        )
        .filter(pre__gt=0, post__gt=0)
        .values_list("activity_id")
        .annotate(number=Count("id", distinct=True))
        .values_list("activity_id", "number")
    )
    respondents = dict(
        Respondent.objects.filter(activity_id__in=ids, withdrawn_at__isnull=True)
        .values_list("activity_id")
        .annotate(number=Count("id"))
        .values_list("activity_id", "number")
    )
    return [
        ActivityQuality(
            activity=a,
            respondents=respondents.get(a.pk, 0),
            pre=counts.get((a.pk, "pre"), 0),
            post=counts.get((a.pk, "post"), 0),
            partner=counts.get((a.pk, "partner"), 0),
            invited=a.international_volunteers + a.local_volunteers,
            paired=paired.get(a.pk, 0),
        )
        for a in activities
    ]


def rounds_closing_soon(*, campaign: Campaign, viewer: Viewer, now: datetime) -> list[Round]:
    from datetime import timedelta

    rounds = Round.objects.filter(
        activity__campaign=campaign, closes_at__gte=now, closes_at__lte=now + timedelta(days=14)
    ).select_related("activity")
    if not viewer.is_network_staff:
        rounds = rounds.filter(activity__host_organisation_id__in=viewer.readable_org_ids)
    return list(rounds.order_by("closes_at")[:50])


# Raw data -----------------------------------------------------------------------------------


def export_org_scope(*, user: Any) -> frozenset[int] | None:
    """Organisations whose raw responses the user may export: None = all (network staff).
    Analysts work with aggregates only; stakeholders and outsiders get nothing."""
    viewer = viewer_for(user)
    if viewer.is_network_staff:
        return None
    if viewer.is_analyst or not viewer.readable_org_ids:
        raise NotFound
    return viewer.readable_org_ids


EXPORT_HEADERS = (
    "respondent",
    "activity",
    "organisation",
    "round",
    "submitted_at",
    "language",
    "part",
    "question",
    "answer",
)
#: ``part`` of an answer line: the survey's answer, or the retrospective "then" answer given
#: with the post survey ("think back to before the project"): the baseline of an item that has
#: no pre answer.
PART_ANSWER = "answer"
PART_THEN = "then"
#: responses fetched per database round trip (a server-side cursor on PostgreSQL)
EXPORT_FETCH = 2_000
#: answer lines per chunk of the streamed export
EXPORT_CHUNK_LINES = 20_000
#: formatted pieces (and sorted question sets) remembered at most; each memo starts again past it
EXPORT_MEMO = 10_000


def export_csv(*, campaign: Campaign | None, org_ids: frozenset[int] | None) -> Iterator[bytes]:
    """Pseudonymised responses as CSV chunks, one line per answer: a per-export sequential
    respondent number, never the code, its hash or the database id; free-text answers
    (``*_text``) left out. The text is what ``core.exports.csv_bytes`` writes for the same rows,
    headers first; memory stays bounded whatever the number of responses."""
    responses = Response.objects.filter(
        respondent__isnull=False, respondent__withdrawn_at__isnull=True
    )
    if campaign is not None:
        responses = responses.filter(round__activity__campaign=campaign)
    if org_ids is not None:
        responses = responses.filter(round__activity__host_organisation_id__in=org_ids)
    rows = responses.order_by("respondent_id", "submitted_at").values_list(
        "respondent_id",
        "round__activity__code",
        "round__activity__host_organisation__code",
        "round__kind",
        "submitted_at",
        "language",
        "answers",
        "then_answers",
    )
    return _long_csv(_raw_rows(rows))


def _export_activities(*, campaign: Campaign | None, org_ids: frozenset[int] | None) -> Any:
    activities = Activity.objects.all()
    if campaign is not None:
        activities = activities.filter(campaign=campaign)
    if org_ids is not None:
        activities = activities.filter(host_organisation_id__in=org_ids)
    return activities


ACTIVITY_HEADERS = (
    "activity",
    "campaign",
    "organisation",
    "activity_type",
    "start_date",
    "end_date",
    "year",
    "duration_band",
    "country",
    "region",
    "themes",
    "networks",
    "volunteers_registered",
)


def export_activities_csv(
    *, campaign: Campaign | None, org_ids: frozenset[int] | None
) -> Iterator[bytes]:
    """The activities of the export (same scope) with the dimensions the figures group by:
    one line per activity, themes and networks ``;``-joined (multi-valued dimensions)."""
    rows = _export_activities(campaign=campaign, org_ids=org_ids)
    campaigns = {c.pk: c for c in Campaign.objects.filter(pk__in=rows.values("campaign_id"))}
    csv = CsvLines()
    yield ("\ufeff" + csv.line(ACTIVITY_HEADERS)).encode("utf-8")
    for found in campaigns.values():
        dims = activity_rows(campaign=found)
        lines = []
        for activity in (
            rows.filter(campaign=found).select_related("host_organisation").order_by("code")
        ):
            row = dims[activity.pk]
            start = activity.start_date
            lines.append(
                csv.line(
                    [
                        activity.code,
                        found.code,
                        activity.host_organisation.code,
                        activity.activity_type,
                        start.isoformat() if start else "",
                        activity.end_date.isoformat() if activity.end_date else "",
                        str(start.year) if start else "",
                        duration_band(row["duration_days"]) or "",
                        row["country"] or "",
                        row["region"] or "",
                        ";".join(row["theme"]),
                        ";".join(row["network"]),
                        activity.international_volunteers + activity.local_volunteers,
                    ]
                )
            )
        yield "".join(lines).encode("utf-8")


def export_descriptor(
    *, campaign: Campaign | None, org_ids: frozenset[int] | None, urls: Mapping[str, str]
) -> dict[str, Any]:
    """The export's data dictionary: a Frictionless Data Package (tabular) describing the
    responses and activities CSVs, every question's code, kind and answer codes with their
    labels, and which items each outcome indicator reads (docs/statistics.md: the formulas)."""
    questions: dict[str, dict[str, Any]] = {}
    found = Question.objects.order_by("-instrument_id", "order")
    if campaign is not None:
        found = found.filter(instrument__framework__campaign=campaign)
    for question in found.select_related("theme"):
        if question.code in questions or question.kind == Question.Kind.TEXT:
            continue
        questions[question.code] = {
            "code": question.code,
            "kind": question.kind,
            "block": question.block,
            "theme": question.theme.code if question.theme else None,
            "text": pick_text(question.text),
            "in_retrospective": question.in_retrospective,
            "choices": [
                {"value": str(option["value"]), "label": pick_text(option.get("label"))}
                for option in question.choices or []
            ],
        }
    indicators = []
    campaigns = [campaign] if campaign is not None else list(Campaign.objects.order_by("code"))
    for each in campaigns:
        mapping = indicator_map(campaign=each)
        for code, name in mapping.engine_name.items():
            items = mapping.scales.get(name, (name,))
            indicators.append(
                {
                    "campaign": each.code,
                    "code": code,
                    "items": list(items),
                    "scale": name in mapping.scales,
                    "theme": mapping.item_themes.get(items[0]),
                }
            )
    return {
        "profile": "tabular-data-package",
        "name": "peaceworks-responses",
        "title": _("Survey responses (pseudonymised)"),
        "description": _(
            "Every answer the published figures use, one line per answer, free text left out. "
            "The respondent key is a number given per export (never the matching code). "
            "A 'then' line is the retrospective answer ('think back to before the project') given "
            "with the post survey: an item's baseline when the respondent has no pre answer. "
            "Formulas: the statistics page."
        ),
        "respondentKey": "respondent",
        "multiValuedDimensions": sorted(MULTI_VALUED_DIMENSIONS),
        "resources": [
            {
                "name": "responses",
                "path": urls["responses"],
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": {
                    "fields": _fields(RESPONSE_FIELDS),
                    "foreignKeys": [
                        {
                            "fields": "activity",
                            "reference": {"resource": "activities", "fields": "activity"},
                        }
                    ],
                },
            },
            {
                "name": "activities",
                "path": urls["activities"],
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": {"fields": _fields(ACTIVITY_FIELDS), "primaryKey": "activity"},
            },
        ],
        "questions": list(questions.values()),
        "indicators": indicators,
        "statistics": urls.get("statistics", ""),
    }


def _fields(specs: Sequence[tuple[str, str, str, Sequence[str] | None]]) -> list[dict[str, Any]]:
    out = []
    for name, kind, description, enum in specs:
        field_: dict[str, Any] = {"name": name, "type": kind, "description": description}
        if enum:
            field_["constraints"] = {"enum": list(enum)}
        out.append(field_)
    return out


RESPONSE_FIELDS: tuple[tuple[str, str, str, Sequence[str] | None], ...] = (
    (
        "respondent",
        "string",
        "Respondent key of this export (R + 7 digits): pairs a person's "
        "pre and post answers; not stable across exports, never the matching code.",
        None,
    ),
    ("activity", "string", "Activity code (see the activities resource).", None),
    ("organisation", "string", "Code of the activity's host organisation.", None),
    (
        "round",
        "string",
        "Survey round: pre (before), post (last day), follow_up, partner.",
        [k.value for k in Round.Kind],
    ),
    (
        "submitted_at",
        "datetime",
        "When the response was received (ISO 8601); when a respondent "
        "answered a round twice, the figures use the latest.",
        None,
    ),
    ("language", "string", "Language the survey was answered in.", None),
    (
        "part",
        "string",
        "'answer': the round's answer; 'then': the retrospective answer about "
        "before the project, given with the post survey.",
        (PART_ANSWER, PART_THEN),
    ),
    ("question", "string", "Question code (see 'questions' of this descriptor).", None),
    (
        "answer",
        "string",
        "The answer: 1-5 on agreement items, a choice code (see the question's "
        "choices), several codes joined by ';' for a multiple choice.",
        None,
    ),
)
ACTIVITY_FIELDS: tuple[tuple[str, str, str, Sequence[str] | None], ...] = (
    ("activity", "string", "Activity code.", None),
    ("campaign", "string", "Campaign code.", None),
    ("organisation", "string", "Host organisation code.", None),
    ("activity_type", "string", "Type of activity.", [t.value for t in Activity.Type]),
    ("start_date", "date", "First day.", None),
    ("end_date", "date", "Last day.", None),
    ("year", "string", "Year of the first day (the 'year' dimension).", None),
    (
        "duration_band",
        "string",
        "Days from first to last, both counted: 1-7, 8-14, 15-60, 61+.",
        ("1-7", "8-14", "15-60", "61+"),
    ),
    ("country", "string", "Hosting country (ISO 3166-1 alpha-2).", None),
    ("region", "string", "Region of the hosting country.", None),
    ("themes", "string", "Theme codes, ';'-joined: a multi-valued dimension.", None),
    ("networks", "string", "Networks of the host organisation, ';'-joined: multi-valued.", None),
    (
        "volunteers_registered",
        "integer",
        "International plus local volunteers registered: the "
        "expected respondents (response rate = post answers / this).",
        None,
    ),
)


def _raw_rows(rows: Any) -> Iterator[tuple[Any, ...]]:
    """The query's rows as the database gives them, fetched ``EXPORT_FETCH`` at a time (a
    server-side cursor on PostgreSQL, as ``iterator()`` uses): without Django's per-value
    converters, which cost more than writing the CSV; ``_long_csv`` finishes the two values
    that need it (the JSON answers, and the time's zone on SQLite)."""
    sql, params = rows.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(EXPORT_FETCH):
            yield from batch


#: Values orjson decodes exactly as the standard decoder does. Its floats are not among them:
#: it reads an integer beyond 64 bits as a float, where the standard decoder keeps the integer.
_EXACT_TYPES = frozenset({int, str, bool, type(None)})


def _exact(values: Collection[Any]) -> bool:
    kinds = set(map(type, values))
    if list in kinds:  # multiple choices: a list of plain values
        kinds.discard(list)
        for value in values:
            if type(value) is list and not _EXACT_TYPES.issuperset(map(type, value)):
                return False
    return _EXACT_TYPES.issuperset(kinds)


def _decode(text: str) -> Any:
    """Stored JSON answers, as ``json.loads`` gives them: by orjson (under half the standard
    decoder's time, the export's largest cost) when every value it gives is one it decodes
    exactly, else by the standard decoder (floats, nested objects, NaN)."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
    if type(value) is dict and _exact(value.values()):
        return value
    return json.loads(text)


def _long_csv(rows: Iterator[tuple[Any, ...]]) -> Iterator[bytes]:
    # SQLite gives a time without its zone, stored in the connection's (as Django's converter)
    zone = connection.timezone if settings.USE_TZ else None
    csv = CsvLines()
    yield ("\ufeff" + csv.line(EXPORT_HEADERS)).encode("utf-8")
    answers_text = _AnswerText(csv)
    around: dict[tuple[str, str, str, str], tuple[str, str]] = {}
    lines: list[str] = []
    count, number, last = 0, 0, None
    for respondent_id, activity, organisation, kind, submitted, language, answers, then in rows:
        if zone is not None and submitted.tzinfo is None:
            submitted = submitted.replace(tzinfo=zone)
        if respondent_id != last:  # rows come ordered by respondent: numbers follow
            number, last = number + 1, respondent_id
        fixed = around.get((activity, organisation, kind, language))
        if fixed is None:
            if len(around) >= EXPORT_MEMO:
                around.clear()
            fixed = around[activity, organisation, kind, language] = (
                csv.fields([activity, organisation, kind]),
                csv.fields([language]),
            )
        # "R0000001" and an ISO timestamp never need quoting nor neutralising
        prefix = f"R{number:07d},{fixed[0]}{submitted.isoformat()},{fixed[1]}"
        decoded = _decode(answers) if type(answers) is str else answers
        pieces = answers_text.pieces(decoded or {})
        if pieces:
            lines.append(prefix + _ANSWER_PART)
            lines.append((prefix + _ANSWER_PART).join(pieces))
            count += len(pieces)
        if then and then != "{}":  # the retrospective "then" answers of a post survey
            decoded = _decode(then) if type(then) is str else then
            pieces = answers_text.pieces(decoded or {})
            if pieces:
                lines.append(prefix + _THEN_PART)
                lines.append((prefix + _THEN_PART).join(pieces))
                count += len(pieces)
        if count >= EXPORT_CHUNK_LINES:
            yield "".join(lines).encode("utf-8")
            lines, count = [], 0
    if lines:
        yield "".join(lines).encode("utf-8")


class _AnswerText:
    """The "question,answer\\r\\n" pieces of one response's answers, in question order, free
    text (``*_text``, which may identify people) left out.

    Answers repeat (a five-point item has five), so each (question, answer) piece is formatted
    once and remembered per question, and each set of questions is sorted once; the lookups run
    in C. Only answers of exact type ``int`` or ``str`` are remembered, as ``True == 1 == 1.0``
    must not share a piece; multiple choices are written as their ``;``-joined text."""

    def __init__(self, csv: CsvLines) -> None:
        self.csv = csv
        self.orders: dict[tuple[str, ...], list[str]] = {}
        self.known: defaultdict[str, dict[Any, str]] = defaultdict(dict)
        self.remembered = 0

    def pieces(self, answers: dict[str, Any]) -> list[str]:
        kinds = set(map(type, answers.values()))
        if list in kinds:
            joined = {c: ";".join(map(str, v)) for c, v in answers.items() if type(v) is list}
            answers = {**answers, **joined}
            kinds = set(map(type, answers.values()))
        order = self.orders.get(tuple(answers))
        if order is None:
            order = self._order(answers)
        if not kinds <= _REMEMBERED:
            return [self._piece(code, answers[code]) for code in order]
        known = self.known
        values = list(map(answers.__getitem__, order))
        found: list[str | None] = list(map(dict.get, map(known.__getitem__, order), values))
        if None in found:
            for at, piece in enumerate(found):
                if piece is None:
                    found[at] = self._remember(order[at], values[at])
        return found  # type: ignore[return-value] # every None was replaced

    def _order(self, answers: dict[str, Any]) -> list[str]:
        if len(self.orders) >= EXPORT_MEMO:
            self.orders.clear()
        order = sorted(code for code in answers if not code.endswith("_text"))
        self.orders[tuple(answers)] = order
        return order

    def _remember(self, code: str, value: Any) -> str:
        if self.remembered >= EXPORT_MEMO:
            self.known = defaultdict(dict)
            self.remembered = 0
        piece = self.known[code][value] = self._piece(code, value)
        self.remembered += 1
        return piece

    def _piece(self, code: str, value: Any) -> str:
        return self.csv.line([code, value])


_REMEMBERED = {int, str}
_ANSWER_PART = PART_ANSWER + ","
_THEN_PART = PART_THEN + ","
