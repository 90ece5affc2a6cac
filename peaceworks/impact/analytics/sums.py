"""Additive per-cell sums: the snapshot's content, and the engine's fast path.

For a grouping ``by`` every cell of the dense grid (product of the dimensions' vocabularies) keeps:

- per item, the joint histogram of (retrospective flag, baseline 0..5, post 0..5) — 72 counts.
  Every item statistic derives from it *exactly*: counts, sums, sums of squares, % improved,
  top-2-box, ceiling, and even the Wilcoxon signed-rank z (answers are integers, so ranks
  follow from the histogram of differences);
- per multi-item scale, the moments of ``stats.MOMENT_FIELDS`` and the sums behind
  Cronbach's alpha (n, Σx_j, Σx_j², ΣT, ΣT² over complete post answers);
- attribution answers and their sum, and the number of respondents.

All of these are additive, so a batch of responses changes a snapshot by "minus the affected
respondents' old contribution, plus their new one" (``snapshot.fold``). The one figure that is not
additive is the Wilcoxon z of a *scale* (real-valued differences need their ranks): it is kept in
``scale_wilcoxon`` and recomputed from the raw scores.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from .frame import DIMENSIONS, MISSING, AnalysisFrame, expand
from .stats import HIST_BINS, MOMENT_FIELDS, M, wilcoxon_z_grouped

FloatArray = npt.NDArray[np.float64]
MAX_CELLS = 250_000  # dense grid limit per grouping: filter or group more coarsely beyond it
# Small groupings share one histogram pass up to this many joint cells (72 bins each: the
# counters stay in cache; a larger joint is slower than two passes).
JOINT_LIMIT = 512
# A scale's Wilcoxon z comes from a per-cell histogram of its differences (additive, exact) when
# that histogram stays under this many counters; longer scales are ranked by sorting instead.
DIFF_HIST_LIMIT = 4_000_000


@dataclass(frozen=True)
class TableSums:
    """Additive sums per cell of one grouping; cell ``c`` is the mixed-radix code over ``shape``."""

    by: tuple[str, ...]
    shape: tuple[int, ...]
    item_hist: npt.NDArray[np.int64]  # (items, cells, 72)
    scale_moments: FloatArray  # (scales, cells, len(MOMENT_FIELDS))
    scale_alpha: tuple[FloatArray, ...]  # per scale: (cells, 2k + 3)
    scale_diff_hist: tuple[npt.NDArray[np.int64], ...]  # per scale: (cells, 2D + 1) or (cells, 0)
    scale_wilcoxon: FloatArray  # (scales, cells, 2): z, non-zero count of scales without a
    # difference histogram (very long scales) — NOT additive
    attribution: FloatArray  # (cells, 2): answers, sum
    respondents: npt.NDArray[np.int64]  # (cells,)

    @property
    def n_cells(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    def plus(self, other: TableSums, sign: int = 1) -> TableSums:
        """Cell-wise sum (``sign=-1``: difference) of the additive parts; keeps our Wilcoxon."""
        if other.by != self.by or other.shape != self.shape:
            raise ValueError("sums of different groupings cannot be combined")
        return replace(
            self,
            item_hist=self.item_hist + sign * other.item_hist,
            scale_moments=self.scale_moments + sign * other.scale_moments,
            scale_alpha=tuple(
                a + sign * b for a, b in zip(self.scale_alpha, other.scale_alpha, strict=True)
            ),
            scale_diff_hist=tuple(
                a + sign * b
                for a, b in zip(self.scale_diff_hist, other.scale_diff_hist, strict=True)
            ),
            attribution=self.attribution + sign * other.attribution,
            respondents=self.respondents + sign * other.respondents,
        )


def group_index(
    frame: AnalysisFrame, by: Sequence[str]
) -> tuple[npt.NDArray[np.int32], tuple[int, ...]]:
    """Mixed-radix cell code per respondent and the grid shape.

    Raises ``ValueError`` for an unknown or repeated dimension, or a grid over ``MAX_CELLS``.
    """
    shape = grid_shape(frame, by)
    g = np.zeros(frame.size, dtype=np.int32)
    for name, size in zip(by, shape, strict=True):
        g *= np.int32(size)
        g += frame.dimension_codes(name)
    return g, shape


def grid_shape(frame: AnalysisFrame, by: Sequence[str]) -> tuple[int, ...]:
    """The grid of a grouping: labels per dimension (``group_index``'s checks)."""
    unknown = [name for name in by if name not in DIMENSIONS]
    if unknown or len(set(by)) != len(by):
        raise ValueError(f"by={tuple(by)!r}: unknown or repeated dimensions; use {DIMENSIONS}")
    shape = tuple(len(frame.labels_of(name)) for name in by)
    if int(np.prod(shape, dtype=np.int64)) * HIST_BINS >= 2**31 or np.prod(shape) > MAX_CELLS:
        raise ValueError(f"too many cells for by={tuple(by)!r}; filter first")
    return shape


def scale_scores(
    frame: AnalysisFrame, members: Sequence[str]
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """Baseline and post scale scores (NaN unless >= 2/3 of the items are answered), and the
    retrospective flag (the baseline score is from the "then" block)."""
    k = len(members)

    def score(values: npt.NDArray[np.int8]) -> FloatArray:
        answered = (values != MISSING).sum(axis=0)
        total = values.sum(axis=0, dtype=np.int32)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(3 * answered >= 2 * k, total / np.maximum(answered, 1), np.nan)

    baseline, post, retro = scale_answers(frame, members)
    return score(baseline), score(post), retro


def scale_answers(
    frame: AnalysisFrame, members: Sequence[str]
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int8], npt.NDArray[np.bool_]]:
    """The (k, respondents) answers a scale's baseline and post scores are over, and the
    retrospective flag of the baseline."""
    idx = [frame.items.index(m) for m in members]
    # One source for a score's baseline: the pre answers when the respondent gave any of the
    # scale's items before; only otherwise the retrospective "then" answers (never mixed).
    values, from_then = frame.baseline[idx], frame.retrospective[idx]
    has_pre = ((values != MISSING) & ~from_then).any(axis=0)
    keep = np.where(has_pre[None, :], ~from_then, from_then)
    baseline = np.where(keep, values, np.int8(MISSING)).astype(np.int8)
    retro = np.asarray(~has_pre & from_then.any(axis=0), dtype=np.bool_)
    return baseline, frame.post[idx], retro


def _score_code(values: npt.NDArray[np.int8], unit: int) -> npt.NDArray[np.int64]:
    """A score's code (``_ScaleColumns``): score * unit - unit + 1, 0 without a score — in
    integers (unit is a multiple of every count of answers a score may have)."""
    k = values.shape[0]
    answered = (values != MISSING).sum(axis=0, dtype=np.int64)
    total = values.sum(axis=0, dtype=np.int64)
    factor = np.array([unit // m if 3 * m >= 2 * k else 0 for m in range(k + 1)], np.int64)
    step = factor[answered]
    return np.where(step > 0, total * step - unit + 1, 0)


# Scale counts share one unweighted bincount of a 6-bit code per respondent.
_FLAG_COUNTS = ("n_pre", "n_post", "n_retrospective", "n_improved", "n_top2_post", "n_ceiling_pre")
_FLAG_SUMS = (
    "sum_pre_all",
    "sum_post_all",
    "sum_pre",
    "sum_post",
    "sum_d",
    "sum_d2",
    "sum_pre2",
    "sum_post2",
)


def _flag_matrix() -> FloatArray:
    """(64, 13) matrix: histogram of flag codes -> the count moments."""
    code = np.arange(64)
    w = np.zeros((64, len(MOMENT_FIELDS)))
    for bit, name in enumerate(_FLAG_COUNTS):
        w[:, M[name]] = (code >> bit) & 1
    w[:, M["n_paired"]] = (code & 3) == 3
    return w


FLAG_TO_MOMENTS = _flag_matrix()


def _scale_moment_columns(
    base: FloatArray, post: FloatArray, retro: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """Per respondent: the 6-bit count code, and the summed values (``_FLAG_SUMS``)."""
    has_a, has_b = ~np.isnan(base), ~np.isnan(post)
    paired = has_a & has_b
    a, b = np.nan_to_num(base), np.nan_to_num(post)
    d = (b - a) * paired
    flags = (
        has_a.astype(np.int64)
        | (has_b << 1)
        | ((paired & retro) << 2)
        | ((paired & (np.round(d, 9) > 0)) << 3)
        | ((has_b & (b >= 4)) << 4)
        | ((has_a & (a >= 5)) << 5)
    )
    ap, bp = a * paired, b * paired
    return flags, np.stack([a, b, ap, bp, d, d * d, ap * ap, bp * bp])


def _joint_plan(frame: AnalysisFrame, bys: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    """Groupings merged into joint groupings of at most ``JOINT_LIMIT`` cells: one histogram
    pass serves them all, each being a marginal sum of its joint (sums are additive)."""
    joints: list[tuple[str, ...]] = []
    for by in bys:
        for j, joint in enumerate(joints):
            union = (*joint, *(d for d in by if d not in joint))
            if int(np.prod([len(frame.labels_of(d)) for d in union])) <= JOINT_LIMIT:
                joints[j] = union
                break
        else:
            joints.append(tuple(dict.fromkeys(by)))
    return joints


def _item_histograms(
    frame: AnalysisFrame, bys: Sequence[Sequence[str]]
) -> list[npt.NDArray[np.int64]]:
    """(items, cells, 72) joint histograms per grouping."""
    joints = _joint_plan(frame, bys)
    grids = [group_index(frame, joint) for joint in joints]
    n_items = len(frame.items)
    joint_hists = [
        np.empty((n_items, int(np.prod(shape)), HIST_BINS), dtype=np.int64) for _, shape in grids
    ]
    offsets = [g * np.int32(HIST_BINS) for g, _ in grids]
    for i in range(n_items):
        # retro * 36 + baseline * 6 + post fits in int8 (<= 71): one byte per respondent.
        pair_code = frame.retrospective[i].view(np.int8) * np.int8(36)
        pair_code += frame.baseline[i] * np.int8(6)
        pair_code += frame.post[i]
        for t, offset in enumerate(offsets):
            joint_hists[t][i] = np.bincount(
                offset + pair_code, minlength=joint_hists[t].shape[1] * HIST_BINS
            ).reshape(-1, HIST_BINS)
    out = []
    for by in bys:
        t = next(t for t, joint in enumerate(joints) if set(by) <= set(joint))
        joint, (_, shape) = joints[t], grids[t]
        hist = joint_hists[t].reshape(n_items, *shape, HIST_BINS)
        other = tuple(1 + a for a, d in enumerate(joint) if d not in by)
        if other:
            hist = hist.sum(axis=other)
        kept = [d for d in joint if d in by]
        order = [0, *(1 + kept.index(d) for d in by), len(by) + 1]
        out.append(np.ascontiguousarray(hist.transpose(order)).reshape(n_items, -1, HIST_BINS))
    return out


def scale_unit(k: int) -> int:
    """Scale scores times this are integers: a score is a sum over m answered items, m from
    ceil(2k/3) to k, so the least common multiple of those m clears every denominator."""
    return math.lcm(*range(-(-2 * k // 3), k + 1))


@dataclass(frozen=True)
class _ScaleColumns:
    """Per-respondent values of one scale, computed once and shared by every grouping.

    A score times ``unit`` is an integer (``scale_unit``), so a score is one of ``levels`` codes
    (0: no score) and every moment follows from per-cell histograms of the codes, as an item's
    follow from its joint histogram: unweighted counts, no pass with float weights."""

    unit: int
    base_code: npt.NDArray[np.int64]  # (paired * 2 + retro) * levels + baseline score code
    post_code: npt.NDArray[np.int64]  # paired * levels + post score code
    paired: npt.NDArray[np.bool_]
    diff_units: npt.NDArray[np.int64]  # paired differences in 1/unit steps
    half_range: int  # D: differences lie in -D..D units
    complete: npt.NDArray[np.bool_]
    alpha_items: npt.NDArray[np.int64]  # (k, complete respondents): post answers 1..5

    @property
    def levels(self) -> int:
        return 4 * self.unit + 2  # no score, then 1, 1 + 1/unit, ..., 5

    def values(self) -> FloatArray:
        """The score of each code (0 for "no score"): the same doubles as ``scale_scores``'
        (both are the correctly rounded quotient of the same two integers)."""
        codes = np.arange(self.levels, dtype=np.float64)
        return np.where(codes > 0, (codes - 1 + self.unit) / self.unit, 0.0)


def _scale_columns(frame: AnalysisFrame, members: Sequence[str]) -> _ScaleColumns:
    baseline, post, retro = scale_answers(frame, members)
    unit = scale_unit(len(members))
    levels = 4 * unit + 2
    base_code, post_code = _score_code(baseline, unit), _score_code(post, unit)
    paired = (base_code > 0) & (post_code > 0)
    complete = (post != MISSING).all(axis=0)
    return _ScaleColumns(
        unit=unit,
        base_code=(paired * 2 + (paired & retro)) * levels + base_code,
        post_code=paired * levels + post_code,
        paired=paired,
        diff_units=(post_code - base_code)[paired],
        half_range=4 * unit,
        complete=complete,
        alpha_items=post[:, complete].astype(np.int64),
    )


def _scale_moments(
    sc: _ScaleColumns, g: npt.NDArray[np.int64], cells: int, diff_hist: npt.NDArray[np.int64]
) -> FloatArray:
    """(cells, MOMENT_FIELDS) of a scale from unweighted histograms of its score codes and its
    difference histogram (the same sums as ``_scale_moment_columns`` summed per cell)."""
    levels = sc.levels
    h_a = np.bincount(g * (4 * levels) + sc.base_code, minlength=cells * 4 * levels)
    h_a = h_a.reshape(cells, 2, 2, levels).astype(np.float64)  # paired, retro, code
    h_b = np.bincount(g * (2 * levels) + sc.post_code, minlength=cells * 2 * levels)
    h_b = h_b.reshape(cells, 2, levels).astype(np.float64)  # paired, code
    value = sc.values()
    has = (np.arange(levels) > 0).astype(np.float64)
    all_a, pairs_a = h_a.sum(axis=(1, 2)), h_a[:, 1].sum(axis=1)
    all_b, pairs_b = h_b.sum(axis=1), h_b[:, 1]
    steps = np.arange(-sc.half_range, sc.half_range + 1, dtype=np.float64)
    diffs = diff_hist.astype(np.float64)
    out = np.empty((cells, len(MOMENT_FIELDS)))
    out[:, M["n_pre"]] = all_a @ has
    out[:, M["n_post"]] = all_b @ has
    out[:, M["n_paired"]] = pairs_a.sum(axis=1)
    out[:, M["n_retrospective"]] = h_a[:, 1, 1].sum(axis=1)
    out[:, M["sum_pre_all"]] = all_a @ value
    out[:, M["sum_post_all"]] = all_b @ value
    out[:, M["sum_pre"]] = pairs_a @ value
    out[:, M["sum_post"]] = pairs_b @ value
    out[:, M["sum_d"]] = diffs @ (steps / sc.unit)
    out[:, M["sum_d2"]] = diffs @ (steps / sc.unit) ** 2
    out[:, M["n_improved"]] = diffs[:, sc.half_range + 1 :].sum(axis=1)
    out[:, M["n_top2_post"]] = all_b @ (value >= 4)
    out[:, M["n_ceiling_pre"]] = all_a @ (value >= 5)
    out[:, M["sum_pre2"]] = pairs_a @ (value * value)
    out[:, M["sum_post2"]] = pairs_b @ (value * value)
    return out


def compute_sums(frame: AnalysisFrame, bys: Sequence[Sequence[str]]) -> tuple[TableSums, ...]:
    """Sums for several groupings: one pass over the items per set of multi-valued dimensions
    among them (a grouping by theme counts a respondent once per theme: ``frame.expand``)."""
    passes: dict[tuple[str, ...], list[int]] = {}
    for t, by in enumerate(bys):
        passes.setdefault(tuple(d for d in by if d in frame.memberships), []).append(t)
    if list(passes) == [()]:
        return _compute_sums(frame, bys)
    out: dict[int, TableSums] = {}
    for multi, ts in passes.items():
        sums = _compute_sums(expand(frame, multi), [bys[t] for t in ts])
        out.update(zip(ts, sums, strict=True))
    return tuple(out[t] for t in range(len(bys)))


def _compute_sums(frame: AnalysisFrame, bys: Sequence[Sequence[str]]) -> tuple[TableSums, ...]:
    """Sums for several groupings in one pass over the items (they share the per-item codes)."""
    grids = [group_index(frame, by) for by in bys]
    hists = _item_histograms(frame, bys)
    scales = [_scale_columns(frame, members) for members in frame.scales.values()]
    answered_attr = frame.attribution != MISSING
    result = []
    for t, (g, shape) in enumerate(grids):
        cells = int(np.prod(shape))
        moments = np.zeros((len(scales), cells, len(MOMENT_FIELDS)))
        wilcoxon = np.full((len(scales), cells, 2), np.nan)
        alphas, diff_hists = [], []
        for s, sc in enumerate(scales):
            bins = 2 * sc.half_range + 1
            gp = g[sc.paired].astype(np.int64)
            if bins * cells <= DIFF_HIST_LIMIT:
                flat = np.bincount(
                    gp * bins + sc.diff_units + sc.half_range, minlength=cells * bins
                )
                diff_hists.append(flat.reshape(cells, bins).astype(np.int64))
                moments[s] = _scale_moments(sc, g.astype(np.int64), cells, diff_hists[-1])
            else:  # very long scales: float sums per respondent, and ranks
                base, post, retro = scale_scores(frame, list(frame.scales.values())[s])
                flags, sums = _scale_moment_columns(base, post, retro)
                flag_hist = np.bincount(g.astype(np.int64) * 64 + flags, minlength=cells * 64)
                moments[s] = flag_hist.reshape(cells, 64).astype(np.float64) @ FLAG_TO_MOMENTS
                for name, values in zip(_FLAG_SUMS, sums, strict=True):
                    moments[s, :, M[name]] = np.bincount(g, weights=values, minlength=cells)
                diff_hists.append(np.zeros((cells, 0), dtype=np.int64))
                diff = (post - base)[sc.paired]
                z, nz = wilcoxon_z_grouped(gp.astype(np.intp), diff, cells)
                wilcoxon[s, :, 0], wilcoxon[s, :, 1] = z, nz
            alphas.append(_alpha_sums(g[sc.complete].astype(np.int64), sc.alpha_items, cells))
        result.append(
            TableSums(
                by=tuple(bys[t]),
                shape=shape,
                item_hist=hists[t],
                scale_moments=moments,
                scale_alpha=tuple(alphas),
                scale_diff_hist=tuple(diff_hists),
                scale_wilcoxon=wilcoxon,
                attribution=np.stack(
                    [
                        np.bincount(g, weights=answered_attr, minlength=cells),
                        np.bincount(g, weights=frame.attribution, minlength=cells),
                    ],
                    axis=-1,
                ),
                respondents=np.bincount(g, minlength=cells).astype(np.int64),
            )
        )
    return tuple(result)


def _alpha_sums(gc: npt.NDArray[np.int64], items: npt.NDArray[np.int64], cells: int) -> FloatArray:
    """n, Σx_j, Σx_j², ΣT, ΣT² per cell over complete cases, from unweighted histograms of the
    integer answers and totals (cheaper than weighted passes, and exact)."""
    k = items.shape[0]
    out = np.empty((cells, 2 * k + 3))
    out[:, 0] = np.bincount(gc, minlength=cells)
    value = np.arange(6, dtype=np.float64)
    # every item in one pass: code (cell * k + item) * 6 + answer
    codes = (gc * (6 * k))[None, :] + (6 * np.arange(k, dtype=np.int64))[:, None] + items
    hist = np.bincount(codes.ravel(), minlength=cells * k * 6).reshape(cells, k, 6)
    out[:, 1 : 1 + k] = hist @ value
    out[:, 1 + k : 1 + 2 * k] = hist @ (value * value)
    span = 5 * k + 1
    total = np.bincount(gc * span + items.sum(axis=0), minlength=cells * span).reshape(cells, span)
    t = np.arange(span, dtype=np.float64)
    out[:, 1 + 2 * k] = total @ t
    out[:, 2 + 2 * k] = total @ (t * t)
    return out
