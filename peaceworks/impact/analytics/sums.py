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

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from .frame import DIMENSIONS, LIKERT_MAX, MISSING, AnalysisFrame, expand
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


def _marginal(
    hist: npt.NDArray[Any], joint: Sequence[str], shape: tuple[int, ...], by: Sequence[str]
) -> npt.NDArray[Any]:
    """A (cells of ``joint``, ...) histogram summed to the cells of ``by`` (a subset of
    ``joint``), in ``by``'s mixed-radix order."""
    rest = hist.shape[1:]
    grid = hist.reshape(*shape, *rest)
    other = tuple(a for a, d in enumerate(joint) if d not in by)
    if other:
        grid = grid.sum(axis=other)
    kept = [d for d in joint if d in by]
    order = [*(kept.index(d) for d in by), *range(len(by), len(by) + len(rest))]
    return np.ascontiguousarray(grid.transpose(order)).reshape(-1, *rest)


Offsets = Callable[[int], npt.NDArray[np.int64]]  # states -> cell code * states (cached)


# Codes share one bincount pass while their joint histogram has at most this many counters
# (it stays in cache); each one's histogram is then a sum over the others' axes.
PACK_LIMIT = 1 << 17


def _histograms(
    offset: Offsets, cells: int, codes: Sequence[tuple[INT, int]]
) -> list[npt.NDArray[np.int64]]:
    """(cells, states) histogram of each (code, states) in ``codes``: one unweighted bincount
    pass over the cell code times the states (shared by the codes with as many states), for
    consecutive codes packed in one small integer while ``PACK_LIMIT`` allows (few cells)."""
    out: list[npt.NDArray[np.int64]] = []
    i = 0
    while i < len(codes):
        j, states = i + 1, codes[i][1]
        while j < len(codes) and states * codes[j][1] * cells <= PACK_LIMIT:
            states *= codes[j][1]
            j += 1
        packed = codes[i][0]
        if j > i + 1:
            kind = _small(states)
            packed = packed.astype(kind)
            for code, size in codes[i + 1 : j]:
                packed *= kind(size)
                packed += code
        radix = [size for _, size in codes[i:j]]
        hist = np.bincount(offset(states) + packed, minlength=cells * states)
        hist = hist.reshape(cells, *radix)
        for a in range(len(radix)):
            other = tuple(1 + b for b in range(len(radix)) if b != a)
            out.append(hist.sum(axis=other) if other else hist)
        i = j
    return out


def _offsets(g: npt.NDArray[np.int32]) -> Offsets:
    return functools.cache(lambda states: g.astype(np.int64) * states)


def _item_histograms(
    frame: AnalysisFrame, grids: Sequence[tuple[Any, Any]], offsets: Sequence[Offsets]
) -> list[npt.NDArray[np.int64]]:
    """(cells, items, 72) joint histograms per joint grouping."""
    # retro * 36 + baseline * 6 + post fits in int8 (<= 71): one byte per respondent and item.
    pair_codes = frame.retrospective.view(np.int8) * np.int8(36)
    pair_codes += frame.baseline * np.int8(6)
    pair_codes += frame.post
    codes = [(row, HIST_BINS) for row in pair_codes]
    out = []
    for (_, shape), offset in zip(grids, offsets, strict=True):
        cells = int(np.prod(shape))
        hists = _histograms(offset, cells, codes)
        out.append(np.stack(hists, axis=1) if hists else np.zeros((cells, 0, HIST_BINS), np.int64))
    return out


def scale_unit(k: int) -> int:
    """Scale scores times this are integers: a score is a sum over m answered items, m from
    ceil(2k/3) to k, so the least common multiple of those m clears every denominator."""
    return math.lcm(*range(-(-2 * k // 3), k + 1))


# A scale's histograms per cell: baseline, post and difference codes share one stride. The sums
# behind Cronbach's alpha are the items' own post answers (their joint histograms) less those of
# the respondents whose post answers to the scale are incomplete, coded in chunks of ALPHA_CHUNK
# items (0..5 each: 6**3 codes, in cache) over those respondents only.
SCALE_HIST_LIMIT = 8_000_000  # counters of one scale histogram over a joint grouping
ALPHA_CHUNK = 3
ALPHA_STATES = (LIKERT_MAX + 1) ** ALPHA_CHUNK
INT = npt.NDArray[np.integer[Any]]


@dataclass(frozen=True)
class _ScaleColumns:
    """Per-respondent small-integer codes of one scale, computed once and shared by every
    grouping: a score times ``unit`` is an integer (``scale_unit``), so a score is one of
    ``levels`` codes (0: no score) and every moment follows from per-cell histograms of the
    codes, as an item's follow from its joint histogram: unweighted counts, no float pass."""

    k: int
    unit: int
    base_code: INT  # (paired * 2 + retro) * levels + baseline score code
    post_code: INT  # (paired * 2 + complete) * levels + post score code
    diff_code: INT  # paired: 1 + D + difference in 1/unit steps; 0 unpaired
    rows: tuple[int, ...]  # the members' rows in the frame's items
    partial: npt.NDArray[np.intp]  # respondents with some but not all post answers
    partial_codes: tuple[INT, ...]  # theirs, per chunk of items: sum x_j 6**j (x_j 0..5)
    paired: npt.NDArray[np.bool_]

    @property
    def levels(self) -> int:
        return 4 * self.unit + 2  # no score, then 1, 1 + 1/unit, ..., 5

    @property
    def half_range(self) -> int:
        return 4 * self.unit  # D: differences lie in -D..D units

    @property
    def stride(self) -> int:
        """Counters per cell shared by the baseline, post and difference histograms."""
        return 4 * self.levels

    def values(self) -> FloatArray:
        """The score of each code (0 for "no score"): the same doubles as ``scale_scores``'
        (both are the correctly rounded quotient of the same two integers)."""
        codes = np.arange(self.levels, dtype=np.float64)
        return np.where(codes > 0, (codes - 1 + self.unit) / self.unit, 0.0)


def _small(bound: int) -> type[np.signedinteger[Any]]:
    """The narrowest signed integer type holding 0..bound."""
    for kind in (np.int8, np.int16, np.int32):
        if bound <= np.iinfo(kind).max:
            return kind
    return np.int64


def _scale_columns(frame: AnalysisFrame, members: Sequence[str]) -> _ScaleColumns:
    """One pass over the scale's items in small integers: answered counts and totals of the
    baseline (pre answers, or only without any the retrospective ones: the rule of
    ``scale_answers``) and of the post, then their score codes and the chunk codes of complete
    post answers."""
    rows = tuple(frame.items.index(m) for m in members)
    k, n = len(rows), frame.size
    acc = _small(5 * k)
    pre_n, pre_t, then_n, then_t, post_n, post_t = (np.zeros(n, acc) for _ in range(6))
    any_then = np.zeros(n, np.bool_)
    for i in rows:
        value, then = frame.baseline[i], frame.retrospective[i]
        if then.any():
            from_then = value * then
            pre_t += value - from_then
            pre_n += (value != MISSING) > then
            then_t += from_then
            then_n += from_then != MISSING
            any_then |= then
        else:  # the usual case: no retrospective answer to this item
            pre_t += value
            pre_n += value != MISSING
        post_t += frame.post[i]
        post_n += frame.post[i] != MISSING
    has_pre = pre_n > 0
    unit = scale_unit(k)
    levels, half = 4 * unit + 2, 4 * unit
    code = _small(4 * levels)

    def score_code(answered: INT, total: INT) -> INT:
        """total * unit / answered - unit + 1 when a score is given (3 answered >= 2k), else 0:
        one masked product per possible count of answers (int16 arithmetic, no lookup)."""
        wide = total.astype(code)
        out = np.zeros(n, code)
        for m in range(-(-2 * k // 3), k + 1):
            out += (answered == m) * (wide * code(unit // m) + code(1 - unit))
        return out

    base = score_code(np.where(has_pre, pre_n, then_n), np.where(has_pre, pre_t, then_t))
    post = score_code(post_n, post_t)
    paired = (base > 0) & (post > 0)
    complete = post_n == k
    partial = np.flatnonzero((post_n > 0) & ~complete)
    chunks = []
    for start in range(0, k, ALPHA_CHUNK):
        tuples = np.zeros(partial.size, np.int16)  # sum x_j 6**j < 216
        for j, i in enumerate(rows[start : start + ALPHA_CHUNK]):
            tuples += frame.post[i][partial] * np.int16((LIKERT_MAX + 1) ** j)
        chunks.append(tuples)
    step = code(levels)
    retro = paired & ~has_pre & any_then
    return _ScaleColumns(
        k=k,
        unit=unit,
        base_code=base + (paired * code(2) + retro) * step,
        post_code=post + (paired * code(2) + complete) * step,
        diff_code=np.where(paired, post - base + code(half + 1), code(0)),
        rows=rows,
        partial=partial,
        partial_codes=tuple(chunks),
        paired=paired,
    )


def _scale_moments(
    sc: _ScaleColumns, hist: npt.NDArray[np.int64]
) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    """(cells, MOMENT_FIELDS) of a scale and its difference histogram (cells, 2D + 1) from the
    per-cell histograms of its codes (``_scale_hist``)."""
    levels, cells, bins = sc.levels, hist.shape[0], 2 * sc.half_range + 1
    h_a = hist[:, 0].reshape(cells, 2, 2, levels).astype(np.float64)  # paired, retro, code
    h_b = hist[:, 1].reshape(cells, 2, 2, levels).sum(axis=2).astype(np.float64)  # paired, code
    diff_hist = np.ascontiguousarray(hist[:, 2, 1 : 1 + bins])
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
    return out, diff_hist


def _scale_codes(sc: _ScaleColumns) -> list[tuple[INT, int]]:
    """The scale's codes and their numbers of states, for ``_histograms``."""
    return [
        (sc.base_code, sc.stride),
        (sc.post_code, sc.stride),
        (sc.diff_code, 2 * sc.half_range + 2),
    ]


def _scale_parts(
    sc: _ScaleColumns,
    hists: Sequence[npt.NDArray[np.int64]],
    item_hist: npt.NDArray[np.int64],
    g: npt.NDArray[np.int32],
) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """From the histograms of ``_scale_codes``, the items' joint histograms ``item_hist``
    (cells, items, 72) and the cell code ``g`` of each respondent: (cells, 3, stride) counts of
    the baseline, post and difference codes, and the sums behind Cronbach's alpha
    (cells, 2k + 3): n, Σx_j, Σx_j², ΣT, ΣT² over complete post answers (T from the post codes;
    an item's sums over every post answer to it, less those of the respondents whose post
    answers to the scale are incomplete; exact: integer sums)."""
    base, post, diff = hists
    cells, k, levels = base.shape[0], sc.k, sc.levels
    hist = np.zeros((cells, 3, sc.stride), dtype=np.int64)
    hist[:, 0], hist[:, 1], hist[:, 2, : diff.shape[1]] = base, post, diff
    complete = post.reshape(cells, 2, 2, levels)[:, :, 1].sum(axis=1).astype(np.float64)
    codes = np.arange(levels, dtype=np.float64)
    total = np.where(codes > 0, (codes - 1 + sc.unit) * k / sc.unit, 0.0)  # T of a full score
    alpha = np.empty((cells, 2 * k + 3))
    alpha[:, 0] = complete.sum(axis=1)
    alpha[:, 1 + 2 * k] = complete @ total
    alpha[:, 2 + 2 * k] = complete @ (total * total)
    # every post answer per item and cell: the post axis of its joint histogram
    options = np.arange(LIKERT_MAX + 1, dtype=np.int64)
    answers = item_hist[:, list(sc.rows)].reshape(cells, k, -1, LIKERT_MAX + 1).sum(axis=2)
    sums, squares = answers @ options, answers @ (options * options)  # (cells, k)
    if sc.partial.size:
        offset = g[sc.partial].astype(np.int64) * ALPHA_STATES
        for c, chunk in enumerate(sc.partial_codes):
            found = np.bincount(offset + chunk, minlength=cells * ALPHA_STATES)
            found = found.reshape(cells, ALPHA_STATES)
            width = min(ALPHA_CHUNK, k - c * ALPHA_CHUNK)
            x = (np.arange(ALPHA_STATES)[:, None] // (LIKERT_MAX + 1) ** np.arange(width)) % (
                LIKERT_MAX + 1
            )
            first = c * ALPHA_CHUNK
            sums[:, first : first + width] -= found @ x
            squares[:, first : first + width] -= found @ (x * x)
    alpha[:, 1 : 1 + k] = sums
    alpha[:, 1 + k : 1 + 2 * k] = squares
    return hist, alpha


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
    """Sums for several groupings in one pass over the items and the scales' codes: histograms
    over joint groupings (``_joint_plan``), each grouping's being a marginal sum of its joint's."""
    joints = _joint_plan(frame, bys)
    joint_grids = [group_index(frame, joint) for joint in joints]
    joint_offsets = [_offsets(g) for g, _ in joint_grids]
    item_hists = _item_histograms(frame, joint_grids, joint_offsets)
    scales = [_scale_columns(frame, members) for members in frame.scales.values()]
    answered_attr = frame.attribution != MISSING
    attribution_codes = (
        frame.size > 0 and 0 <= frame.attribution.min() <= frame.attribution.max() <= 5
    )
    joint_parts: dict[tuple[str, int], Any] = {}

    def joint_part(kind: str, j: int) -> Any:
        if (kind, j) not in joint_parts:
            g, shape = joint_grids[j]
            cells = int(np.prod(shape))
            if kind == "items":
                joint_parts[kind, j] = item_hists[j]
            elif kind == "scales":  # every scale whose histograms fit, in shared passes
                fits = [s for s, sc in enumerate(scales) if sc.stride * cells <= SCALE_HIST_LIMIT]
                codes = [_scale_codes(scales[s]) for s in fits]
                hists = iter(_histograms(joint_offsets[j], cells, [c for cs in codes for c in cs]))
                joint_parts[kind, j] = {
                    s: _scale_parts(scales[s], [next(hists) for _ in cs], item_hists[j], g)
                    for s, cs in zip(fits, codes, strict=True)
                }
            elif attribution_codes:  # answers 0..5: one unweighted pass, exact integer sums
                (hist,) = _histograms(joint_offsets[j], cells, [(frame.attribution, 6)])
                respondents = item_hists[j][:, 0].sum(axis=1) if frame.items else hist.sum(axis=1)
                joint_parts[kind, j] = np.stack(
                    [hist[:, 1:].sum(axis=1), hist @ np.arange(6), respondents], axis=-1
                ).astype(np.float64)
            else:
                joint_parts[kind, j] = np.stack(
                    [
                        np.bincount(g, weights=answered_attr, minlength=cells),
                        np.bincount(g, weights=frame.attribution, minlength=cells),
                        np.bincount(g, minlength=cells),
                    ],
                    axis=-1,
                )
        return joint_parts[kind, j]

    result = []
    for by in bys:
        j = next(j for j, joint in enumerate(joints) if set(by) <= set(joint))
        joint, (_, joint_shape) = joints[j], joint_grids[j]
        g, shape = group_index(frame, by)
        cells = int(np.prod(shape))

        def part(kind: str, *, joint: tuple[str, ...] = joint, j: int = j, by: Any = by) -> Any:
            return _marginal(joint_part(kind, j), joint, joint_grids[j][1], by)

        moments = np.zeros((len(scales), cells, len(MOMENT_FIELDS)))
        wilcoxon = np.full((len(scales), cells, 2), np.nan)
        alphas: list[FloatArray] = []
        diff_hists: list[npt.NDArray[np.int64]] = []
        in_joint = joint_part("scales", j) if scales else {}
        for s, sc in enumerate(scales):
            if s in in_joint:
                hist, alpha = (_marginal(x, joint, joint_shape, by) for x in in_joint[s])
            else:
                found = _histograms(_offsets(g), cells, _scale_codes(sc))
                hist, alpha = _scale_parts(sc, found, part("items"), g)
            alphas.append(alpha)
            if (2 * sc.half_range + 1) * cells <= DIFF_HIST_LIMIT:
                moments[s], diff_hist = _scale_moments(sc, hist)
                diff_hists.append(diff_hist)
            else:  # very long scales: float sums per respondent, and ranks
                base, post, retro = scale_scores(frame, list(frame.scales.values())[s])
                flags, sums = _scale_moment_columns(base, post, retro)
                flag_hist = np.bincount(g.astype(np.int64) * 64 + flags, minlength=cells * 64)
                moments[s] = flag_hist.reshape(cells, 64).astype(np.float64) @ FLAG_TO_MOMENTS
                for name, values in zip(_FLAG_SUMS, sums, strict=True):
                    moments[s, :, M[name]] = np.bincount(g, weights=values, minlength=cells)
                diff_hists.append(np.zeros((cells, 0), dtype=np.int64))
                diff = (post - base)[sc.paired]
                z, nz = wilcoxon_z_grouped(g[sc.paired].astype(np.intp), diff, cells)
                wilcoxon[s, :, 0], wilcoxon[s, :, 1] = z, nz
        counts = part("counts")
        result.append(
            TableSums(
                by=tuple(by),
                shape=shape,
                item_hist=np.ascontiguousarray(part("items").transpose(1, 0, 2)),
                scale_moments=moments,
                scale_alpha=tuple(alphas),
                scale_diff_hist=tuple(diff_hists),
                scale_wilcoxon=wilcoxon,
                attribution=np.ascontiguousarray(counts[:, :2]),
                respondents=counts[:, 2].astype(np.int64),
            )
        )
    return tuple(result)
