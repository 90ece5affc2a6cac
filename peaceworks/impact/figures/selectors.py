"""Reads of the analytics snapshot for pages, downloads and the API.

Pages never recompute from the impact tables: they read the campaign's snapshot (its prepared
figures — ``figures.prepared`` — and, only when a figure needs it, its stored frame; cached per
process until the snapshot changes) and ask the engine for the cells, with the floor that fits
the reader: coordinators' views ``COORDINATOR_MIN_N``, anything published ``PUBLISHED_MIN_N``.
Every figure goes through ``family_table``: a view is a slice of one table of the snapshot's
protected family (``analytics.family``), with that family's hidden cells.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from itertools import product
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, Viewer, viewer_for
from peaceworks.campaigns.models import Activity, Campaign, Theme
from peaceworks.core.errors import DomainError, NotFound
from peaceworks.core.rows import Columns, statement_cursor
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
from peaceworks.impact.analytics.family import MAX_VIEW_DIMENSIONS, Family, canonical
from peaceworks.impact.analytics.frame import (
    ACTIVITY_DIMENSIONS,
    FO_ANY,
    FO_PREFIX,
    activity_labels,
    indicator_themes,
    restrict,
    take,
)
from peaceworks.impact.analytics.sums import TableSums, compute_sums
from peaceworks.impact.figures.load import activity_rows, frame_from_bytes, indicator_map
from peaceworks.impact.figures.prepared import (
    PAGE_GROUPINGS as PAGE_GROUPINGS,  # re-exported: the groupings' home before they were stored
)
from peaceworks.impact.figures.prepared import (
    FrameHead,
    family_at,
    prepared_from_bytes,
)
from peaceworks.impact.models import (
    AnalyticsSnapshot,
    Framework,
    Indicator,
    Question,
    Respondent,
    Response,
    Round,
    pick_text,
)
from peaceworks.impact.selectors import (
    MORE_RESPONSES_THAN_VOLUNTEERS,
    bounded_rate,
)


class BadDimension(DomainError):
    """``by=`` names an unknown or repeated dimension."""

    status_code = 422


class TooManyDimensions(DomainError):
    """``by`` and the filters together name more dimensions than the protected family holds."""

    status_code = 400


#: Per process: each snapshot as the pages read it (its head, the per-cell sums of every
#: grouping a page asked for — additive sums: later requests derive their cells without a pass
#: over respondents — and its frame once something decoded it). Replaced when the snapshot is
#: refreshed; filled from the snapshot's prepared figures when it has them.
_CACHE: dict[tuple[int, datetime | None], _Loaded] = {}
#: Per process: the protected families of each snapshot, per floor (``suppression_family``).
_FAMILIES: dict[tuple[int, datetime | None], dict[int, Family]] = {}
#: Per process: the unsuppressed table of each grouping of each snapshot, as ``table_from_sums``
#: derives it from the snapshot's sums, without response rates (those divide by the volunteers
#: the activity records register now, read on each request: ``_with_rates``). The same for every
#: reader: it holds every cell, hidden or not, and no floor; ``family_table`` applies the
#: reader's floor and filters to a copy. A snapshot is never changed once stored (a refresh or a
#: fold stores a new row version: a new ``refreshed_at``), so the key never goes stale; least
#: recently used tables leave first, beyond ``TABLES_MAX_BYTES`` over every snapshot.
_TABLES: OrderedDict[tuple[int, datetime | None, tuple[str, ...]], tuple[IndicatorTable, int]] = (
    OrderedDict()
)
_TABLES_LOCK = threading.Lock()
#: The budget of ``_TABLES`` (a table is a few kB to a few MB; a larger one is not kept).
TABLES_MAX_BYTES = 64 * 2**20


class _Loaded:
    """One snapshot in this process. The frame is decoded on first use only: the pages the
    prepared figures serve never ask for it."""

    def __init__(
        self,
        head: FrameHead,
        sums: dict[tuple[str, ...], TableSums],
        load: Callable[[], AnalysisFrame],
        engine_name: Mapping[str, str] | None = None,
    ) -> None:
        self.head = head
        self.sums = sums
        self._load = load
        #: the indicator map stored with the snapshot (None: stored before it was kept)
        self.engine_name = engine_name
        self._frame: AnalysisFrame | None = None
        #: prepared families not handed to ``_FAMILIES`` yet (``snapshot_view``)
        self.families: dict[int, Family] = {}
        self._lock = threading.Lock()  # a warm-up thread and a request may both ask

    def frame(self) -> AnalysisFrame:
        with self._lock:
            if self._frame is None:
                self._frame = self._load()
            return self._frame


class SnapshotView:
    """The campaign's snapshot as the pages read it: the frame's head (labels, indicators,
    size), the groupings' sums and the families, the frame itself decoded only when a figure
    needs it. Built by ``snapshot_view``; the engine's tests give a frame of their own."""

    def __init__(
        self,
        campaign: Campaign,
        snapshot: AnalyticsSnapshot | None,
        frame: AnalysisFrame | None,
        engine_name: Mapping[str, str],
        sums: dict[tuple[str, ...], TableSums] | None = None,
        *,
        loaded: _Loaded | None = None,
        families: dict[int, Family] | None = None,
    ) -> None:
        self.campaign = campaign
        self.snapshot = snapshot
        self.engine_name = engine_name
        if loaded is None and frame is not None:
            loaded = _Loaded(FrameHead.of(frame), sums if sums is not None else {}, lambda: frame)
        self._loaded = loaded
        self.sums: dict[tuple[str, ...], TableSums] = loaded.sums if loaded else {}
        #: per activity: its labels per activity dimension and its registered volunteers
        self.registered: list[tuple[dict[str, tuple[Any, ...]], int]] = []
        self.families: dict[int, Family] = families if families is not None else {}

    @property
    def head(self) -> FrameHead | None:
        return self._loaded.head if self._loaded else None

    @property
    def frame(self) -> AnalysisFrame | None:
        """The whole frame (decoded now if nobody has yet)."""
        return self._loaded.frame() if self._loaded else None

    @property
    def refreshed_at(self) -> datetime | None:
        return self.snapshot.refreshed_at if self.snapshot else None


def floor_for(viewer: Viewer, *, published: bool = False) -> int:
    """Coordinators' floor inside the network, the published floor for anything outside it."""
    if published or not viewer.is_network_member:
        return PUBLISHED_MIN_N
    return COORDINATOR_MIN_N


def campaign_get_for_dashboard(*, user: Actor, pk: int) -> Campaign:
    """Members of the network see every campaign's aggregates; others only published ones."""
    return _dashboard_campaign(user, Campaign.objects.filter(pk=pk).first())


class _SnapshotRowColumns(Columns[AnalyticsSnapshot]):
    """The snapshot's columns but its frame and prepared figures (deferred on the instance, as
    ``defer("frame", "prepared")`` leaves them: read only when a figure needs them)."""

    def __init__(self, alias: str) -> None:
        super().__init__(AnalyticsSnapshot, alias)
        self.fields = [field for field in self.fields if field.name not in ("frame", "prepared")]
        self.names = [field.attname for field in self.fields]


_CAMPAIGN = Columns(Campaign, "c")
_SNAPSHOT_ROW = _SnapshotRowColumns("s")


@cache
def _indicator_campaign_sql(vendor: str, *, by_code: bool) -> str:
    """The campaign whose framework has the indicator ``%s`` (and, with ``by_code``, whose code
    is the second ``%s``), the first by framework, and its snapshot's row (NULLs: none)."""
    quote = connection.ops.quote_name
    framework = Framework._meta
    indicator = Indicator._meta
    snapshot = AnalyticsSnapshot._meta

    def column(meta: Any, name: str) -> str:
        return str(quote(meta.get_field(name).column))

    campaign_code = f" AND c.{column(Campaign._meta, 'code')} = %s" if by_code else ""
    return (
        f"SELECT {_CAMPAIGN.sql()}, {_SNAPSHOT_ROW.sql()} "  # noqa: S608 -- names from the models
        f"FROM {quote(Campaign._meta.db_table)} c "
        f'JOIN {quote(framework.db_table)} f ON f.{column(framework, "campaign")} = c."id" '
        f'JOIN {quote(indicator.db_table)} i ON i.{column(indicator, "framework")} = f."id" '
        f'LEFT JOIN {quote(snapshot.db_table)} s ON s.{column(snapshot, "campaign")} = c."id" '
        f"WHERE i.{column(indicator, 'code')} = %s{campaign_code} "
        'ORDER BY f."id" LIMIT 1'
    )


def indicator_snapshot_view(*, user: Actor, code: str, campaign_code: str | None) -> SnapshotView:
    """``snapshot_view`` of the campaign of the indicator ``code``: the campaign
    ``campaign_code`` when its framework has it, else the first framework's that has it; seen
    as ``campaign_get_for_dashboard`` lets the user see it (NotFound otherwise). The campaign
    and its snapshot's row (without its frame and prepared figures) in one hand-written
    statement (``core.rows``): the API asks on every request for figures, and building the
    query through the ORM cost more than running it."""
    params = [code, campaign_code] if campaign_code else [code]
    sql = _indicator_campaign_sql(connection.vendor, by_code=bool(campaign_code))
    with statement_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        raise NotFound
    campaign = _dashboard_campaign(user, _CAMPAIGN.instance(row[: len(_CAMPAIGN)]))
    values = row[len(_CAMPAIGN) :]
    # NULLs (no primary key) when the campaign has no snapshot yet
    has_snapshot = values[_SNAPSHOT_ROW.names.index("id")] is not None
    snapshot = _SNAPSHOT_ROW.instance(values) if has_snapshot else None
    return _view_of(campaign, snapshot)


def _dashboard_campaign(user: Actor, campaign: Campaign | None) -> Campaign:
    if campaign is None:
        raise NotFound
    viewer = viewer_for(user)
    if not viewer.is_network_member and not campaign.is_published:
        raise NotFound
    return campaign


def snapshot_view(*, campaign: Campaign) -> SnapshotView:
    """The campaign's snapshot: two small queries when it is not cached yet (the row, then its
    prepared figures), one when it is; the frame is read only when a figure needs it.

    The figures name their indicators with the map stored with the snapshot (the one its frame
    was built with: ``figures.prepared``); only a campaign without a refreshed snapshot, or a
    snapshot stored before the map was kept, has it built from the framework (two queries)."""
    snapshot = (
        AnalyticsSnapshot.objects.filter(campaign=campaign).defer("frame", "prepared").first()
    )
    return _view_of(campaign, snapshot)


def _view_of(campaign: Campaign, snapshot: AnalyticsSnapshot | None) -> SnapshotView:
    """The view of ``campaign``'s snapshot row ``snapshot`` (read without its frame and
    prepared figures): ``snapshot_view`` after its query."""
    if snapshot is None or snapshot.refreshed_at is None:
        return SnapshotView(campaign, snapshot, None, indicator_map(campaign=campaign).engine_name)
    key = (snapshot.pk, snapshot.refreshed_at)
    loaded = _CACHE.get(key)
    if loaded is None:
        loaded = _load(snapshot)
        if loaded is None:
            return SnapshotView(
                campaign, snapshot, None, indicator_map(campaign=campaign).engine_name
            )
        # list(): a warm-up thread may fill the caches while a request reads them
        for old in [k for k in list(_CACHE) if k[0] == snapshot.pk]:
            _CACHE.pop(old, None)
        _CACHE[key] = loaded
        _forget_tables(snapshot.pk, snapshot.refreshed_at)
    families = _FAMILIES.get(key)
    if families is None:
        families = _FAMILIES[key] = {}
        for old in [k for k in list(_FAMILIES) if k[0] == snapshot.pk and k != key]:
            _FAMILIES.pop(old, None)
    if loaded.families:  # prepared with the snapshot: handed over once
        for floor, family in loaded.families.items():
            families.setdefault(floor, family)
        loaded.families = {}
    engine_name = loaded.engine_name
    if engine_name is None:  # stored before the map was kept with the snapshot
        engine_name = indicator_map(campaign=campaign).engine_name
    return SnapshotView(campaign, snapshot, None, engine_name, loaded=loaded, families=families)


def _stored_bytes(pk: int, column: str) -> bytes:
    data = AnalyticsSnapshot.objects.filter(pk=pk).values_list(column, flat=True).first()
    return bytes(data) if data else b""


def _load(snapshot: AnalyticsSnapshot) -> _Loaded | None:
    """The snapshot's prepared figures (and a frame to decode later), or, for a snapshot stored
    without them, its decoded frame; None when it has no frame."""
    pk = snapshot.pk

    def frame() -> AnalysisFrame:
        return frame_from_bytes(_stored_bytes(pk, "frame"))

    data = _stored_bytes(pk, "prepared")
    if data:
        prepared = prepared_from_bytes(data)
        loaded = _Loaded(prepared.head, dict(prepared.sums), frame, prepared.engine_name)
        loaded.families = dict(prepared.families)
        return loaded
    raw = _stored_bytes(pk, "frame")
    if not raw:
        return None
    decoded = frame_from_bytes(raw)
    return _Loaded(FrameHead.of(decoded), {}, lambda: decoded)


def snapshots_warm(*, groupings: Sequence[Sequence[str]] = PAGE_GROUPINGS) -> int:
    """Load every refreshed snapshot and compute the sums of the groupings the dashboards ask
    for first and the families, into this process's cache, where the snapshot was stored
    without them (what a server does before its first request: at 1M respondents that is
    seconds). Returns the number of snapshots warmed."""
    warmed = 0
    for snapshot in AnalyticsSnapshot.objects.filter(refreshed_at__isnull=False).select_related(
        "campaign"
    ):
        view = snapshot_view(campaign=snapshot.campaign)
        if view.head is None:
            continue
        missing = [tuple(by) for by in groupings if tuple(by) not in view.sums]
        if missing and view.frame is not None:
            for by, sums in zip(missing, compute_sums(view.frame, missing), strict=True):
                view.sums[by] = sums
        suppression_family(view, PUBLISHED_MIN_N)  # and the coordinators' it starts from
        warmed += 1
    return warmed


def respondent_counts(view: SnapshotView, dimension: str) -> dict[Any, int]:
    """Respondents of the snapshot per label of ``dimension`` (one counting pass, or none when
    the snapshot was stored with them)."""
    head = view.head
    if head is None or head.size == 0:
        return {}
    labels = head.labels_of(dimension)
    counts = head.label_counts.get(dimension)
    if counts is None:
        frame = view.frame
        if frame is None:
            raise NotFound
        counts = tuple(int(n) for n in frame.label_counts(dimension))  # overlapping: theme
    return {label: int(n) for label, n in zip(labels, counts, strict=False)}


def _table(view: SnapshotView, by: tuple[str, ...]) -> IndicatorTable:
    """The grouping's table over the whole snapshot, unsuppressed: from cached sums, kept per
    process (``_TABLES``) but for its response rates, derived from the live registrations."""
    head = view.head
    if head is None:
        raise NotFound
    key = None if view.snapshot is None else (view.snapshot.pk, view.snapshot.refreshed_at, by)
    table = _kept_table(key)
    if table is None:
        sums = view.sums.get(by)
        if sums is None:
            frame = view.frame
            if frame is None:
                raise NotFound
            sums = compute_sums(frame, [by])[0]
            view.sums[by] = sums
        table = table_from_sums(
            sums,
            [head.labels_of(name) for name in by],
            (*head.items, *head.scales),
            [len(members) for members in head.scales.values()],
            floor=None,
            indicator_themes=indicator_themes(head),
        )
        _keep_table(key, table)
    return _with_rates(table, registered_volunteers(view, by))


def _kept_table(
    key: tuple[int, datetime | None, tuple[str, ...]] | None,
) -> IndicatorTable | None:
    if key is None:
        return None
    with _TABLES_LOCK:
        found = _TABLES.get(key)
        if found is None:
            return None
        _TABLES.move_to_end(key)
        return found[0]


def _keep_table(
    key: tuple[int, datetime | None, tuple[str, ...]] | None, table: IndicatorTable
) -> None:
    """Keep ``table`` in ``_TABLES`` (read-only: every reader shares it), dropping the least
    recently used beyond the budget; a table over a quarter of the budget is not kept."""
    if key is None:
        return
    arrays = [*table.values.values(), table.cell_codes, table.suppressed, table.item_hist]
    size = sum(array.nbytes for array in arrays)
    if size > TABLES_MAX_BYTES // 4:
        return
    for array in arrays:
        array.flags.writeable = False
    with _TABLES_LOCK:
        _TABLES[key] = (table, size)
        total = sum(kept for _, kept in _TABLES.values())
        while total > TABLES_MAX_BYTES:
            _, (_, dropped) = _TABLES.popitem(last=False)
            total -= dropped


def _forget_tables(pk: int, current: datetime | None) -> None:
    """Drop the kept tables of the snapshot ``pk``'s earlier versions."""
    with _TABLES_LOCK:
        for old in [k for k in _TABLES if k[0] == pk and k[1] != current]:
            del _TABLES[old]


def _with_rates(
    table: IndicatorTable, invited: Mapping[tuple[Any, ...], int] | None
) -> IndicatorTable:
    """``table`` with its response rates: post answers over the volunteers registered in the
    cell (``invited``; none for a grouping by a respondent dimension), as ``table_from_sums``
    derives them."""
    if not invited:
        return table
    n_post = table.values["n_post"]
    rate = np.full(n_post.shape, np.nan)
    for c, row in enumerate(table.cell_codes):
        key = tuple(table.labels[d][int(x)] for d, x in enumerate(row))
        if invited.get(key):
            rate[:, c] = n_post[:, c] / invited[key]
    return replace(table, values={**table.values, "response_rate": rate})


def suppression_family(view: SnapshotView, floor: int) -> Family:
    """The snapshot's protected family at ``floor`` (``analytics.family``): prepared with the
    snapshot, or computed once per process and snapshot; the published floor's starts from the
    coordinators' hidden cells."""
    if view.head is None:
        raise NotFound

    def frame() -> AnalysisFrame:
        found = view.frame
        if found is None:
            raise NotFound
        return found

    return family_at(frame, floor, view.families)


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
    if view.head is None or view.head.size == 0:
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
        labels = view.head.labels_of(name)
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
    if view.head is None or not view.head.items:
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
    frame = view.head
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
    """Counts of one activity's answers, withdrawn respondents left out.

    ``post`` counts post answers, ``with_post`` the respondents who gave one and ``paired``
    those of them who also answered before. A rate is None when there is nothing to divide
    by or when the counts are impossible (more answers than registered volunteers): the page
    names :attr:`rate_problem` instead of printing a figure above 100 %.
    """

    activity: Activity
    respondents: int
    pre: int
    post: int
    partner: int
    invited: int
    with_post: int = 0
    paired: int = 0

    @property
    def response_rate(self) -> float | None:
        rate = bounded_rate(self.post, self.invited)
        return None if rate is None else 100 * rate

    @property
    def rate_problem(self) -> str | None:
        if self.invited and self.post > self.invited:
            return str(MORE_RESPONSES_THAN_VOLUNTEERS)
        return None

    @property
    def pairing_rate(self) -> float | None:
        rate = bounded_rate(self.paired, self.with_post)
        return None if rate is None else 100 * rate


def quality_rows(*, campaign: Campaign, viewer: Viewer) -> list[ActivityQuality]:
    """Response, pairing and partner-form counts per activity (three grouped queries)."""
    visible = Activity.objects.filter(campaign=campaign).select_related("host_organisation")
    if not viewer.is_network_staff:
        visible = visible.filter(host_organisation_id__in=viewer.readable_org_ids)
    activities = list(visible.order_by("start_date", "code")[:300])
    ids = [a.pk for a in activities]
    counts: dict[tuple[int, str], int] = {}
    for activity_id, kind, number in (
        Response.objects.counted()
        .filter(round__activity_id__in=ids)
        .values_list("round__activity_id", "round__kind")
        .annotate(number=Count("id"))
    ):
        counts[(activity_id, kind)] = number
    # one row per respondent: what they answered, counted in Python (a respondent is paired
    # when they answered both the pre and the post round of their activity)
    respondents: dict[int, int] = defaultdict(int)
    with_post: dict[int, int] = defaultdict(int)
    paired: dict[int, int] = defaultdict(int)
    for activity_id, pre, post in (
        Respondent.objects.active()
        .filter(activity_id__in=ids)
        .annotate(
            pre=Count("responses", filter=Q(responses__round__kind=Round.Kind.PRE)),
            post=Count("responses", filter=Q(responses__round__kind=Round.Kind.POST)),
        )
        .values_list("activity_id", "pre", "post")
    ):
        respondents[activity_id] += 1
        with_post[activity_id] += bool(post)
        paired[activity_id] += bool(pre and post)
    return [
        ActivityQuality(
            activity=a,
            respondents=respondents[a.pk],
            pre=counts.get((a.pk, Round.Kind.PRE), 0),
            post=counts.get((a.pk, Round.Kind.POST), 0),
            partner=counts.get((a.pk, Round.Kind.PARTNER), 0),
            invited=a.international_volunteers + a.local_volunteers,
            with_post=with_post[a.pk],
            paired=paired[a.pk],
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
