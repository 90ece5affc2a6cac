"""The same full table computed the ways an analyst (or a hand-tuned kernel) would.

Each function returns ``{by: {statistic: (items, cells) array}}`` over the dense grid of ``by``
(NaN where a cell has no pair), for the statistics every implementation shares: pairs, mean
change with its 95 % CI, d_z, % improved and top-2-box at post. The engine computes more (Wilcoxon
r, rates, ceiling, attribution, suppression) in its time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from peaceworks.impact.analytics.engine import IndicatorTable
from peaceworks.impact.analytics.frame import AnalysisFrame

Result = dict[tuple[str, ...], dict[str, npt.NDArray[np.float64]]]
COMPARED = ("n", "mean_change", "ci_low", "ci_high", "d_z", "pct_improved", "pct_top2_post")
#: no interval below this many pairs (docs/statistics.md, "Confidence interval")
CI_MIN_PAIRS = 10


def _finish(
    n: npt.NDArray[np.float64],
    sum_d: npt.NDArray[np.float64],
    sum_d2: npt.NDArray[np.float64],
    improved: npt.NDArray[np.float64],
    top2: npt.NDArray[np.float64],
    n_post: npt.NDArray[np.float64],
) -> dict[str, npt.NDArray[np.float64]]:
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = sum_d / n
        sd = np.sqrt(np.maximum((sum_d2 - n * mean * mean) / (n - 1), 0))
        half: npt.NDArray[np.float64] = np.where(
            n >= CI_MIN_PAIRS, stats.t.ppf(0.975, n - 1) * sd / np.sqrt(n), np.nan
        )
        return {
            "n": n.astype(np.float64),
            "mean_change": mean,
            "ci_low": mean - half,
            "ci_high": mean + half,
            "d_z": np.where(sd > 1e-9, mean / sd, np.nan),
            "pct_improved": 100 * improved / n,
            "pct_top2_post": 100 * top2 / n_post,
        }


#: (pre, post) pairs per respondent and item: each answer 0 (missing) to 5
PAIRS = 36


def _pair_weights() -> npt.NDArray[np.float64]:
    """(36, 6): for each (pre, post) pair code ``6 * pre + post``, its contribution to pairs,
    sum of differences, sum of squares, improved, top-2 at post and answered at post."""
    pre, post = np.divmod(np.arange(PAIRS), 6)
    paired = (pre > 0) & (post > 0)
    d = np.where(paired, post - pre, 0)
    weights = np.stack([paired, d, d * d, paired & (post > pre), post >= 4, post > 0], axis=1)
    return weights.astype(np.float64)


def numpy_reference(frame: AnalysisFrame, bys: Sequence[tuple[str, ...]]) -> Result:
    """Hand-vectorised: per item and pass ONE unweighted ``np.bincount`` of
    ``cell * 36 + 6 * pre + post``, then a (36 x 6) matrix product turns each cell's (pre, post)
    histogram into its six sums (integers below 2**53, so exact in float64). Groupings share a
    pass over the grid of their dimensions together while its histogram stays small enough to
    sit in cache (``PASS_BINS``); each then sums that grid over the dimensions it does not use.
    Written without the engine's code, to check it and bound it."""
    passes: list[list[tuple[str, ...]]] = []
    for by in bys:
        joined = [*passes[-1], by] if passes else [by]
        if passes and _bins(frame, _dims(joined)) <= PASS_BINS:
            passes[-1] = joined
        else:
            passes.append([by])
    code = np.empty(frame.size, dtype=np.intp)  # reused: bincount counts intp without a copy
    pairs = frame.baseline * np.int8(6) + frame.post  # (items, n) int8, 0 to 35
    result: Result = {}
    for shared in passes:
        result.update(_pass(frame, _dims(shared), shared, pairs, code))
    return {by: result[by] for by in bys}


#: a shared pass's histogram stays under this many bins (256 KB of counts)
PASS_BINS = 1 << 15


def _dims(bys: Sequence[tuple[str, ...]]) -> list[str]:
    return list(dict.fromkeys(name for by in bys for name in by))


def _bins(frame: AnalysisFrame, dims: list[str]) -> int:
    return int(np.prod([len(frame.labels_of(name)) for name in dims])) * PAIRS


def _pass(
    frame: AnalysisFrame,
    dims: list[str],
    bys: Sequence[tuple[str, ...]],
    pairs: npt.NDArray[np.int8],
    code: npt.NDArray[np.intp],
) -> Result:
    """One bincount per item over the grid of ``dims``; the statistics of each grouping."""
    sizes = [len(frame.labels_of(name)) for name in dims]
    items = len(frame.items)
    cell = np.zeros(frame.size, dtype=np.intp)
    for name, size in zip(dims, sizes, strict=True):
        cell *= size
        cell += frame.codes[name]
    cell *= PAIRS
    bins = _bins(frame, dims)
    histograms = np.empty((items, bins), dtype=np.float64)
    for i in range(items):
        np.add(cell, pairs[i], out=code)
        histograms[i] = np.bincount(code, minlength=bins)
    sums = (histograms.reshape(-1, PAIRS) @ _pair_weights()).reshape(items, *sizes, 6)
    result: Result = {}
    for by in bys:
        kept = [1 + dims.index(name) for name in by]
        other = tuple(axis for axis in range(1, len(dims) + 1) if axis not in kept)
        grid = sums.sum(axis=other) if other else sums  # (items, *kept in dims order, 6)
        held = sorted(kept)  # put the kept dimensions in ``by`` order
        grid = np.moveaxis(grid, [1 + held.index(a) for a in kept], range(1, len(kept) + 1))
        result[by] = _finish(*np.moveaxis(grid.reshape(items, -1, 6), 2, 0))
    return result


def wide_dataframe(frame: AnalysisFrame) -> pd.DataFrame:
    """One row per respondent, one column per question and round (the KoboToolbox/ODK export)."""
    columns: dict[str, object] = {}
    for name in ("theme", "country", "gender", "fewer_opportunities"):
        labels = [str(x) for x in frame.labels_of(name)]
        columns[name] = pd.Categorical.from_codes(frame.codes[name], categories=labels)
    for i, item in enumerate(frame.items):
        columns[f"pre_{item}"] = np.where(frame.baseline[i] > 0, frame.baseline[i], np.nan)
        columns[f"post_{item}"] = np.where(frame.post[i] > 0, frame.post[i], np.nan)
    return pd.DataFrame(columns)


def long_dataframe(frame: AnalysisFrame) -> pd.DataFrame:
    """One row per respondent and question: the shape of an answers table."""
    n, k = frame.size, len(frame.items)
    columns: dict[str, object] = {
        "respondent": np.tile(frame.respondent_ids, k),
        "item": pd.Categorical.from_codes(np.repeat(np.arange(k), n), categories=list(frame.items)),
    }
    for name in ("theme", "country", "gender", "fewer_opportunities"):
        labels = [str(x) for x in frame.labels_of(name)]
        columns[name] = pd.Categorical.from_codes(np.tile(frame.codes[name], k), categories=labels)
    columns["pre"] = np.where(frame.baseline > 0, frame.baseline, np.nan).ravel()
    columns["post"] = np.where(frame.post > 0, frame.post, np.nan).ravel()
    return pd.DataFrame(columns)


def pandas_wide(
    df: pd.DataFrame,
    items: Sequence[str],
    bys: Sequence[tuple[str, ...]],
    shapes: Sequence[tuple[int, ...]],
) -> Result:
    """Idiomatic pandas: a difference frame, then groupby count/mean/std per grouping."""
    pre = df[[f"pre_{q}" for q in items]].set_axis(list(items), axis=1)
    post = df[[f"post_{q}" for q in items]].set_axis(list(items), axis=1)
    diff = post - pre
    improved = (diff > 0).astype(float).where(diff.notna())
    top2 = (post >= 4).astype(float).where(post.notna())
    out: Result = {}
    for by, shape in zip(bys, shapes, strict=True):
        keys = [df[k] for k in by]
        grouped = diff.groupby(keys, observed=True)
        n, mean, sd = grouped.count(), grouped.mean(), grouped.std()
        half = (stats.t.ppf(0.975, n - 1) * sd / np.sqrt(n)).where(n >= CI_MIN_PAIRS)
        table = {
            "n": n,
            "mean_change": mean,
            "ci_low": mean - half,
            "ci_high": mean + half,
            "d_z": (mean / sd).where(sd > 1e-9),
            "pct_improved": 100 * improved.groupby(keys, observed=True).mean(),
            "pct_top2_post": 100 * top2.groupby(keys, observed=True).mean(),
        }
        out[by] = _dense_wide(table, by, shape, len(items))
    return out


def _dense_wide(
    table: dict[str, pd.DataFrame], by: tuple[str, ...], shape: tuple[int, ...], items: int
) -> dict[str, npt.NDArray[np.float64]]:
    out: dict[str, npt.NDArray[np.float64]] = {}
    for stat, frame_ in table.items():
        flat = _flat_codes(frame_.index, by, shape)
        dense = np.full((items, int(np.prod(shape))), np.nan)
        dense[:, flat] = frame_.to_numpy(dtype=np.float64).T
        out[stat] = dense
    return out


def _flat_codes(
    index: pd.Index, by: tuple[str, ...], shape: tuple[int, ...]
) -> npt.NDArray[np.int64]:
    if isinstance(index, pd.MultiIndex):
        flat = np.zeros(len(index), dtype=np.int64)
        for level, size in enumerate(shape):
            flat = flat * size + index.codes[level]
        return flat
    return np.asarray(pd.CategoricalIndex(index).codes, dtype=np.int64)


def pandas_long(
    df: pd.DataFrame,
    items: Sequence[str],
    bys: Sequence[tuple[str, ...]],
    shapes: Sequence[tuple[int, ...]],
) -> Result:
    """Idiomatic pandas over the long layout: groupby item and the grouping's columns."""
    work = df.assign(d=df["post"] - df["pre"])
    work["improved"] = (work["d"] > 0).astype(float).where(work["d"].notna())
    work["top2"] = (work["post"] >= 4).astype(float).where(work["post"].notna())
    out: Result = {}
    for by, shape in zip(bys, shapes, strict=True):
        grouped = work.groupby(["item", *by], observed=True)
        agg = grouped.agg(
            n=("d", "count"),
            mean_change=("d", "mean"),
            sd=("d", "std"),
            pct_improved=("improved", "mean"),
            pct_top2_post=("top2", "mean"),
        )
        half = (stats.t.ppf(0.975, agg["n"] - 1) * agg["sd"] / np.sqrt(agg["n"])).where(
            agg["n"] >= CI_MIN_PAIRS
        )
        agg["ci_low"] = agg["mean_change"] - half
        agg["ci_high"] = agg["mean_change"] + half
        agg["d_z"] = (agg["mean_change"] / agg["sd"]).where(agg["sd"] > 1e-9)
        agg["pct_improved"] *= 100
        agg["pct_top2_post"] *= 100
        item_codes = np.asarray(agg.index.codes[0], dtype=np.int64)
        flat = np.zeros(len(agg), dtype=np.int64)
        for level, size in enumerate(shape):
            flat = flat * size + agg.index.codes[level + 1]
        table = {}
        for stat in COMPARED:
            dense = np.full((len(items), int(np.prod(shape))), np.nan)
            dense[item_codes, flat] = agg[stat].to_numpy(dtype=np.float64)
            table[stat] = dense
        out[by] = table
    return out


def engine_result(tables: Sequence[IndicatorTable], shapes: Sequence[tuple[int, ...]]) -> Result:
    """The engine's tables on the same dense grids (paired statistics only)."""
    out: Result = {}
    for table, shape in zip(tables, shapes, strict=True):
        flat = np.zeros(table.cell_codes.shape[0], dtype=np.int64)
        for d, size in enumerate(shape):
            flat = flat * size + table.cell_codes[:, d]
        paired = table.values["n"] > 0
        result = {}
        for stat in COMPARED:
            dense = np.full((len(table.indicators), int(np.prod(shape))), np.nan)
            dense[:, flat] = np.where(paired, table.values[stat], np.nan)
            result[stat] = dense
        out[table.by] = result
    return out


def differences(expected: Result, actual: Result, label: str) -> list[str]:
    """Human-readable mismatches (empty when the tables agree to 1e-9)."""
    problems = []
    for by, stats_ in expected.items():
        for stat, values in stats_.items():
            other = actual[by][stat]
            mask = (expected[by]["n"] > 0) & np.isfinite(values)
            if stat == "n":
                mask = np.isfinite(values) | np.isfinite(other)
                values, other = np.nan_to_num(values), np.nan_to_num(other)
            if not np.allclose(values[mask], other[mask], rtol=1e-9, atol=1e-9) or (
                stat != "n"
                and (np.isfinite(values) != np.isfinite(other))[expected[by]["n"] > 1].any()
            ):
                problems.append(f"{label}: {by} {stat} differs")
    return problems
