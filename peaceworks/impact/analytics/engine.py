"""The analytics engine: indicator values per cell, with small cells suppressed.

``compute(frame, by=("theme", "country"))`` returns an ``IndicatorTable``: columnar arrays of
every statistic for every indicator (the frame's items, then its scales) and every non-empty cell of
the grouping, with the ``suppressed`` mask already applied. ``IndicatorTable.cells()`` turns them
into ``Cell`` dataclasses for pages and the API; suppressed cells carry no numbers at all.
An item's cell also carries its ``Distribution``: the share of answers at each option before and
after, read from the same joint histograms as every other statistic (exact and additive).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from .frame import LIKERT_MAX, AnalysisFrame, Label, indicator_themes
from .stats import (
    CEILING_SHARE,
    answer_counts,
    cronbach_alpha,
    derive,
    moments_from_hist,
    wilcoxon_z_from_diffs,
    wilcoxon_z_from_hist,
)
from .sums import TableSums, compute_sums
from .suppression import suppress

FloatArray = npt.NDArray[np.float64]
PAIRED = "paired"
UNPAIRED = "unpaired (weaker)"
#: Statistics in ``IndicatorTable.values`` (each an (indicators, cells) float array, NaN = none).
STATISTICS: tuple[str, ...] = (
    "n",
    "n_pre",
    "n_post",
    "response_rate",
    "pairing_rate",
    "mean_baseline",
    "mean_post",
    "mean_change",
    "ci_low",
    "ci_high",
    "d_z",
    "d_av",
    "wilcoxon_r",
    "pct_improved",
    "pct_top2_post",
    "pct_ceiling_pre",
    "mean_attribution",
    "alpha",
    "is_paired",
    "n_retrospective",
)
#: The answer options of an item, in order (answers are integers 1..LIKERT_MAX).
OPTIONS: tuple[int, ...] = tuple(range(1, LIKERT_MAX + 1))


@dataclass(frozen=True)
class Distribution:
    """An item's answers in one cell: the share (%) at each of ``OPTIONS`` before and after.

    Over the people the cell's means are over: its pairs when the cell is paired, otherwise
    every baseline and every post answer (``UNPAIRED``). Missing answers count at no option;
    a side nobody answered is None. Multi-item scales have none (a score is not an option).
    """

    options: tuple[int, ...]
    n_baseline: int
    n_post: int
    baseline: tuple[float, ...] | None
    post: tuple[float, ...] | None


@dataclass(frozen=True)
class Cell:
    """One indicator in one cell. When ``suppressed`` every number is None."""

    indicator: str
    key: tuple[Label, ...]
    suppressed: bool
    method: str | None  # PAIRED, UNPAIRED, or None when nobody answered
    uses_retrospective: bool | None
    ceiling: bool | None
    n: int | None
    n_pre: int | None
    n_post: int | None
    response_rate: float | None
    pairing_rate: float | None
    mean_baseline: float | None
    mean_post: float | None
    mean_change: float | None
    ci_low: float | None
    ci_high: float | None
    d_z: float | None
    wilcoxon_r: float | None
    pct_improved: float | None
    pct_top2_post: float | None
    mean_attribution: float | None
    alpha: float | None
    distribution: Distribution | None = None
    d_av: float | None = None


@dataclass(frozen=True)
class IndicatorTable:
    """Every statistic for every indicator and every non-empty cell of one grouping."""

    by: tuple[str, ...]
    labels: tuple[tuple[Label, ...], ...]  # vocabulary per dimension of ``by``
    indicators: tuple[str, ...]
    cell_codes: npt.NDArray[np.int64]  # (cells, len(by))
    values: Mapping[str, FloatArray]  # statistic -> (indicators, cells)
    suppressed: npt.NDArray[np.bool_]  # (indicators, cells)
    floor: int | None
    # (items, cells, 72): the items' joint histograms, read for their answer distributions
    item_hist: npt.NDArray[np.int64]
    #: indicators of a theme module -> their theme: in a grouping by theme, such an indicator
    #: has cells under its own theme only (it is not asked in the others' modules)
    indicator_themes: Mapping[str, str] = field(default_factory=dict)

    @property
    def keys(self) -> tuple[tuple[Label, ...], ...]:
        return tuple(
            tuple(self.labels[d][int(code)] for d, code in enumerate(row))
            for row in self.cell_codes
        )

    def cells(self, indicator: str | None = None) -> tuple[Cell, ...]:
        """The table as ``Cell`` records (one indicator, or all), suppression applied."""
        rows = range(len(self.indicators))
        if indicator is not None:
            rows = range(self.indicators.index(indicator), self.indicators.index(indicator) + 1)
        keys = self.keys
        # only the rows asked for become Python values (the API asks for one indicator of ~20)
        plain = {
            name: array[rows.start : rows.stop].tolist() for name, array in self.values.items()
        }
        hidden = self.suppressed[rows.start : rows.stop].tolist()
        out = []
        at = self.by.index("theme") if "theme" in self.by else None
        for i in rows:
            row = i - rows.start  # in ``plain`` and ``hidden``
            distributions = self._distributions(i, hidden[row])
            own = self.indicator_themes.get(self.indicators[i])
            for c, key in enumerate(keys):
                if at is not None and own is not None and key[at] != own:
                    continue  # not asked under this theme
                out.append(
                    _cell(
                        self.indicators[i],
                        key,
                        hidden[row][c],
                        {k: values[row][c] for k, values in plain.items()},
                        distributions[c],
                    )
                )
        return tuple(out)

    def _distributions(self, row: int, hidden: list[bool]) -> list[Distribution | None]:
        """Per cell, the item's answer ``Distribution`` (None when hidden, nobody answered, or
        for a scale): over the pairs when the cell is paired, else over every answer."""
        if row >= self.item_hist.shape[0]:
            return [None] * len(hidden)
        counts = answer_counts(self.item_hist[row])  # (cells, pairs | all, baseline | post, 5)
        paired = self.values["is_paired"][row] > 0
        chosen = np.where(paired[:, None, None], counts[:, 0], counts[:, 1])
        totals = chosen.sum(axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = (100 * chosen / totals[..., None]).tolist()
        out: list[Distribution | None] = []
        for c, ((n_baseline, n_post), (baseline, post)) in enumerate(
            zip(totals.tolist(), shares, strict=True)
        ):
            if hidden[c] or not (n_baseline or n_post):
                out.append(None)
                continue
            out.append(
                Distribution(
                    OPTIONS,
                    n_baseline,
                    n_post,
                    tuple(baseline) if n_baseline else None,
                    tuple(post) if n_post else None,
                )
            )
        return out


def _num(value: float) -> float | None:
    return None if value != value else float(value)  # NaN -> None


def _count(value: float) -> int | None:
    return None if value != value else round(value)


def _cell(
    indicator: str,
    key: tuple[Label, ...],
    hidden: bool,
    v: Mapping[str, float],
    distribution: Distribution | None,
) -> Cell:
    if hidden:
        return Cell(indicator, key, True, *([None] * 19))
    answered = v["n_pre"] > 0 or v["n_post"] > 0
    method = (PAIRED if v["is_paired"] else UNPAIRED) if answered else None
    ceiling = (
        None
        if v["pct_ceiling_pre"] != v["pct_ceiling_pre"]
        else v["pct_ceiling_pre"] > 100 * CEILING_SHARE
    )
    return Cell(
        indicator=indicator,
        key=key,
        suppressed=False,
        method=method,
        uses_retrospective=(v["n_retrospective"] > 0) if answered else None,
        ceiling=ceiling,
        n=_count(v["n"]),
        n_pre=_count(v["n_pre"]),
        n_post=_count(v["n_post"]),
        response_rate=_num(v["response_rate"]),
        pairing_rate=_num(v["pairing_rate"]),
        mean_baseline=_num(v["mean_baseline"]),
        mean_post=_num(v["mean_post"]),
        mean_change=_num(v["mean_change"]),
        ci_low=_num(v["ci_low"]),
        ci_high=_num(v["ci_high"]),
        d_z=_num(v["d_z"]),
        wilcoxon_r=_num(v["wilcoxon_r"]),
        pct_improved=_num(v["pct_improved"]),
        pct_top2_post=_num(v["pct_top2_post"]),
        mean_attribution=_num(v["mean_attribution"]),
        alpha=_num(v["alpha"]),
        distribution=distribution,
        d_av=_num(v["d_av"]),
    )


def suppression_count(values: Mapping[str, FloatArray]) -> FloatArray:
    """The count a cell is judged by: pairs when paired, else the smaller non-zero of the
    baseline and post counts (each of them is shown)."""
    n_pre, n_post = values["n_pre"], values["n_post"]
    smaller = np.where(n_pre > 0, np.where(n_post > 0, np.minimum(n_pre, n_post), n_pre), n_post)
    return np.where(values["n"] > 0, values["n"], smaller)


def table_from_sums(
    sums: TableSums,
    frame_labels: Sequence[tuple[Label, ...]],
    indicators: tuple[str, ...],
    scale_sizes: Sequence[int],
    *,
    floor: int | None,
    invited: Mapping[tuple[Label, ...], int] | None = None,
    indicator_themes: Mapping[str, str] | None = None,
) -> IndicatorTable:
    """Derive the statistics of one grouping from its sums, keeping non-empty cells only."""
    present = np.flatnonzero(sums.respondents > 0)
    hist = sums.item_hist[:, present]
    item_z, item_nz = wilcoxon_z_from_hist(hist)
    moments = np.concatenate([moments_from_hist(hist), sums.scale_moments[:, present]], axis=0)
    scale_z = sums.scale_wilcoxon[:, present, 0].copy()
    scale_nz = sums.scale_wilcoxon[:, present, 1].copy()
    for s, diff_hist in enumerate(sums.scale_diff_hist):
        if diff_hist.shape[1]:
            scale_z[s], scale_nz[s] = wilcoxon_z_from_diffs(diff_hist[present])
    z = np.concatenate([item_z, scale_z], axis=0)
    nz = np.concatenate([item_nz, scale_nz], axis=0)
    values = derive(moments, z, nz)
    n_items = hist.shape[0]
    alpha = np.full((len(indicators), present.size), np.nan)
    for s, (k, a) in enumerate(zip(scale_sizes, sums.scale_alpha, strict=True)):
        alpha[n_items + s] = cronbach_alpha(a[present], k)
    values["alpha"] = alpha
    attr = sums.attribution[present]
    # over the cell's attribution answers: shown only where the indicator has answers, and
    # (with a floor) where those answers are not a small group themselves
    said = attr[:, 0] >= (floor if floor is not None else 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_attr = np.where(said, attr[:, 1] / np.maximum(attr[:, 0], 1), np.nan)
    answered = (values["n_pre"] > 0) | (values["n_post"] > 0)
    values["mean_attribution"] = np.where(answered, mean_attr[None, :], np.nan)
    codes = np.zeros((present.size, len(sums.shape)), dtype=np.int64)
    rest = present.astype(np.int64)
    for d in range(len(sums.shape) - 1, -1, -1):
        codes[:, d] = rest % sums.shape[d]
        rest //= sums.shape[d]
    rate = np.full(alpha.shape, np.nan)
    if invited:
        for c, row in enumerate(codes):
            key = tuple(frame_labels[d][int(x)] for d, x in enumerate(row))
            if invited.get(key):
                rate[:, c] = values["n_post"][:, c] / invited[key]
    values["response_rate"] = rate
    hidden = (
        suppress(suppression_count(values), codes, sums.shape, floor)
        if floor is not None
        else np.zeros(alpha.shape, dtype=np.bool_)
    )
    return IndicatorTable(
        by=sums.by,
        labels=tuple(frame_labels),
        indicators=indicators,
        cell_codes=codes,
        values=values,
        suppressed=hidden,
        floor=floor,
        item_hist=hist,
        indicator_themes=indicator_themes or {},
    )


def compute_tables(
    frame: AnalysisFrame,
    bys: Sequence[Sequence[str]],
    *,
    floor: int | None,
    invited: Mapping[tuple[str, ...], Mapping[tuple[Label, ...], int]] | None = None,
) -> tuple[IndicatorTable, ...]:
    """Several groupings in one pass (the full table of a dashboard or a snapshot refresh).

    ``floor``: ``COORDINATOR_MIN_N``, ``PUBLISHED_MIN_N``, or None for raw, unsuppressed values
    (only for the engine's own use and tests). ``invited``: per grouping, invited counts per cell
    key, for the response rate (post answers / invited).
    """
    tables = compute_sums(frame, bys)
    indicators = (*frame.items, *frame.scales)
    sizes = [len(m) for m in frame.scales.values()]
    return tuple(
        table_from_sums(
            sums,
            [frame.labels_of(name) for name in sums.by],
            indicators,
            sizes,
            floor=floor,
            invited=(invited or {}).get(sums.by),
            indicator_themes=indicator_themes(frame),
        )
        for sums in tables
    )


def compute(
    frame: AnalysisFrame,
    by: Sequence[str] = (),
    *,
    floor: int | None,
    invited: Mapping[tuple[Label, ...], int] | None = None,
) -> IndicatorTable:
    """One grouping; ``by=()`` is the total."""
    key = tuple(by)
    return compute_tables(frame, [key], floor=floor, invited={key: invited} if invited else None)[0]
