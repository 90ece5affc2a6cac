"""Statistics derived from additive per-cell sums, vectorised over (indicator, cell) arrays.

Everything here takes numpy arrays of sums and returns arrays; ``NaN`` means "undefined" and is
turned into ``None`` only at the edge (``engine.Cell``). Ratios are ratios of aggregates.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: Additive moments kept per (indicator, cell), last axis in this order.
MOMENT_FIELDS: tuple[str, ...] = (
    "n_pre",  # baseline answers (pre or retrospective)
    "n_post",  # post answers
    "n_paired",  # respondents with both
    "n_retrospective",  # pairs whose baseline is a retrospective "then" answer
    "sum_pre_all",
    "sum_post_all",
    "sum_pre",  # over pairs
    "sum_post",  # over pairs
    "sum_d",
    "sum_d2",
    "n_improved",  # pairs with post > baseline
    "n_top2_post",  # post answers of 4 or 5 (scales: score >= 4)
    "n_ceiling_pre",  # baseline answers of 5 (scales: score == 5)
    "sum_pre2",  # over pairs: squares, for d_av
    "sum_post2",
)
M = {name: i for i, name in enumerate(MOMENT_FIELDS)}
CEILING_SHARE = 0.4  # ceiling flag: more than 40 % answer 5 at baseline
ALPHA_MIN_N = 30
CONFIDENCE = 0.95
#: Pairs an interval needs: below, the t interval of a mean change of five-point answers is
#: too rough to show (docs/statistics.md), and no interval is given.
CI_MIN_N = 10

# Joint histogram of an item per cell: retrospective flag (2) x baseline 0..5 x post 0..5.
HIST_BINS = 72
_A = np.arange(6, dtype=np.float64)  # answer value; 0 is "missing"


def _hist_weights() -> FloatArray:
    """(72, 15) matrix turning a joint (retro, baseline, post) histogram into the moments."""
    w = np.zeros((2, 6, 6, len(MOMENT_FIELDS)))
    a = _A[:, None] * np.ones((1, 6))  # baseline value per bin
    b = np.ones((6, 1)) * _A[None, :]  # post value per bin
    has_a, has_b = a > 0, b > 0
    paired = has_a & has_b
    d = b - a
    for r in (0, 1):
        w[r, :, :, M["n_pre"]] = has_a
        w[r, :, :, M["n_post"]] = has_b
        w[r, :, :, M["n_paired"]] = paired
        w[r, :, :, M["n_retrospective"]] = paired * r
        w[r, :, :, M["sum_pre_all"]] = a
        w[r, :, :, M["sum_post_all"]] = b
        w[r, :, :, M["sum_pre"]] = a * paired
        w[r, :, :, M["sum_post"]] = b * paired
        w[r, :, :, M["sum_d"]] = d * paired
        w[r, :, :, M["sum_d2"]] = d * d * paired
        w[r, :, :, M["n_improved"]] = paired & (d > 0)
        w[r, :, :, M["n_top2_post"]] = b >= 4
        w[r, :, :, M["n_ceiling_pre"]] = a == 5
        w[r, :, :, M["sum_pre2"]] = a * a * paired
        w[r, :, :, M["sum_post2"]] = b * b * paired
    return w.reshape(HIST_BINS, len(MOMENT_FIELDS))


def _diff_weights() -> FloatArray:
    """(72, 9) matrix: joint histogram -> histogram of paired differences -4..4."""
    w = np.zeros((2, 6, 6, 9))
    for r in (0, 1):
        for a in range(1, 6):
            for b in range(1, 6):
                w[r, a, b, b - a + 4] = 1
    return w.reshape(HIST_BINS, 9)


HIST_TO_MOMENTS = _hist_weights()
HIST_TO_DIFFS = _diff_weights()


def answer_counts(hist: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """(..., 72) joint histograms -> (..., 2, 2, 5) answer counts per option 1..5.

    Axis -3: 0 = over pairs (both answers given), 1 = over every answer; axis -2: 0 = baseline,
    1 = post. A missing answer (0) counts at no option. Exact: a marginal of the histogram.
    """
    joint = hist.reshape(*hist.shape[:-1], 2, 6, 6).sum(axis=-3)  # (..., baseline, post)
    both = joint[..., 1:, 1:]
    return np.stack(
        [
            np.stack([both.sum(axis=-1), both.sum(axis=-2)], axis=-2),
            np.stack([joint[..., 1:, :].sum(axis=-1), joint[..., :, 1:].sum(axis=-2)], axis=-2),
        ],
        axis=-3,
    )


def moments_from_hist(hist: npt.NDArray[np.int64]) -> FloatArray:
    """(..., 72) joint histograms -> (..., 15) moments."""
    return hist.astype(np.float64) @ HIST_TO_MOMENTS


def wilcoxon_z_from_hist(hist: npt.NDArray[np.int64]) -> tuple[FloatArray, FloatArray]:
    """Wilcoxon signed-rank z for integer items, exactly, from their joint histograms (..., 72).

    Zeros dropped ("wilcox"), average ranks for ties, tie-corrected variance, no continuity
    correction: the z of ``scipy.stats.wilcoxon(..., zero_method="wilcox", correction=False,
    method="approx")`` (up to sign), and the number of non-zero differences. z is NaN when
    no difference is non-zero.
    """
    return wilcoxon_z_from_diffs(hist.astype(np.float64) @ HIST_TO_DIFFS)


def wilcoxon_z_from_diffs(
    diff_hist: npt.NDArray[np.int64] | FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """The same from histograms (..., 2D + 1) of integer differences -D..D."""
    dh = np.asarray(diff_hist, dtype=np.float64)
    half = (dh.shape[-1] - 1) // 2
    pos = dh[..., half + 1 :]  # d = 1..D
    neg = dh[..., half - 1 :: -1] if half else dh[..., :0]  # d = -1..-D
    ties = pos + neg  # count per |d| = 1..D
    below = np.cumsum(ties, axis=-1) - ties
    avg_rank = below + (ties + 1) / 2
    r_plus = (pos * avg_rank).sum(axis=-1)
    n = ties.sum(axis=-1)
    tie_term = (ties * (ties * ties - 1)).sum(axis=-1)
    return _z(r_plus, n, tie_term), n


def _z(r_plus: FloatArray, n: FloatArray, tie_term: FloatArray) -> FloatArray:
    var = (n * (n + 1) * (2 * n + 1) - 0.5 * tie_term) / 24
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (r_plus - n * (n + 1) / 4) / np.sqrt(var)
    return np.where(n > 0, z, np.nan)


def wilcoxon_z_grouped(
    groups: npt.NDArray[np.intp], diffs: FloatArray, n_groups: int, decimals: int = 9
) -> tuple[FloatArray, FloatArray]:
    """Wilcoxon z and the number of non-zero differences per group, for real-valued differences.

    Sort-based: one lexsort by (group, |d|), average ranks over runs of equal |d| (rounded to
    ``decimals`` so scale means computed along different paths tie as they should).
    """
    nonzero = np.round(diffs, decimals) != 0
    g = groups[nonzero]
    d = diffs[nonzero]
    size = np.round(np.abs(d), decimals)
    order = np.lexsort((size, g))
    g, d, size = g[order], d[order], size[order]
    counts = np.bincount(g, minlength=n_groups).astype(np.float64)
    if g.size == 0:
        nan = np.full(n_groups, np.nan)
        return nan, counts
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.intp)
    position = np.arange(g.size) - starts[g] + 1  # 1-based rank within the group
    new_run = np.ones(g.size, dtype=np.bool_)
    new_run[1:] = (g[1:] != g[:-1]) | (size[1:] != size[:-1])
    run_id = np.cumsum(new_run) - 1
    run_start = np.flatnonzero(new_run)
    run_len = np.diff(np.append(run_start, g.size)).astype(np.float64)
    run_rank = position[run_start] + (run_len - 1) / 2
    rank = run_rank[run_id]
    r_plus = np.bincount(g, weights=rank * (d > 0), minlength=n_groups).astype(np.float64)
    tie_term = np.bincount(g[run_start], weights=run_len**3 - run_len, minlength=n_groups).astype(
        np.float64
    )
    return _z(r_plus, counts, tie_term), counts


def _div(num: FloatArray, den: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def derive(
    moments: FloatArray, wilcoxon_z: FloatArray, n_nonzero: FloatArray
) -> dict[str, FloatArray]:
    """Per-cell statistics from moments (..., 15), the Wilcoxon z and non-zero count (...)."""
    m = {name: moments[..., i] for name, i in M.items()}
    n = m["n_paired"]
    paired = n > 0
    mean_d = _div(m["sum_d"], n)
    with np.errstate(invalid="ignore", divide="ignore"):
        var_d = np.where(n > 1, (m["sum_d2"] - n * mean_d * mean_d) / np.maximum(n - 1, 1), np.nan)
    var_d = np.where(var_d < 1e-12, 0.0, var_d)  # rounding must not turn 0 into a tiny sd
    sd_d = np.sqrt(var_d)
    from scipy import special  # a quarter of a second, for the few processes that count

    with np.errstate(invalid="ignore"):
        t = special.stdtrit(np.maximum(n - 1, 1), 0.5 + CONFIDENCE / 2)
    half = np.where(n >= CI_MIN_N, t * sd_d / np.sqrt(np.maximum(n, 1)), np.nan)
    d_z = np.where((n > 1) & (sd_d > 0), _div(mean_d, np.where(sd_d > 0, sd_d, 1)), np.nan)
    sd_av = (_sd(m["sum_pre2"], m["sum_pre"], n) + _sd(m["sum_post2"], m["sum_post"], n)) / 2
    d_av = np.where((n > 1) & (sd_av > 0), _div(mean_d, np.where(sd_av > 0, sd_av, 1)), np.nan)
    unpaired_change = _div(m["sum_post_all"], m["n_post"]) - _div(m["sum_pre_all"], m["n_pre"])
    return {
        "n": n,
        "n_pre": m["n_pre"],
        "n_post": m["n_post"],
        "is_paired": paired.astype(np.float64),
        "pairing_rate": _div(n, m["n_post"]),
        "mean_baseline": np.where(
            paired, _div(m["sum_pre"], n), _div(m["sum_pre_all"], m["n_pre"])
        ),
        "mean_post": np.where(paired, _div(m["sum_post"], n), _div(m["sum_post_all"], m["n_post"])),
        "mean_change": np.where(paired, mean_d, unpaired_change),
        "ci_low": mean_d - half,
        "ci_high": mean_d + half,
        "d_z": d_z,
        "d_av": d_av,
        # r = |Z| / sqrt(N), N = every pair (the zero differences included), Z from the non-zero
        "wilcoxon_r": np.where(
            n_nonzero > 0, np.abs(wilcoxon_z) / np.sqrt(np.where(n > 0, n, np.nan)), np.nan
        ),
        "pct_improved": 100 * _div(m["n_improved"], n),
        "pct_top2_post": 100 * _div(m["n_top2_post"], m["n_post"]),
        "pct_ceiling_pre": 100 * _div(m["n_ceiling_pre"], m["n_pre"]),
        "n_retrospective": m["n_retrospective"],
    }


def _sd(sum2: FloatArray, total: FloatArray, n: FloatArray) -> FloatArray:
    """Sample standard deviation (ddof=1) from a sum of squares and a sum over ``n``."""
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.where(n > 1, (sum2 - total * total / np.maximum(n, 1)) / np.maximum(n - 1, 1), 0)
    return np.sqrt(np.where(var < 1e-12, 0.0, var))


def cronbach_alpha(sums: FloatArray, k: int) -> FloatArray:
    """Cronbach's alpha from additive sums (..., 2k + 3): n, Σx_j (k), Σx_j² (k), ΣT, ΣT².

    Sample variances (ddof=1) over complete cases; NaN when n < ALPHA_MIN_N or the total has no
    variance.
    """
    n = sums[..., 0]
    sx = sums[..., 1 : 1 + k]
    sxx = sums[..., 1 + k : 1 + 2 * k]
    st, stt = sums[..., 1 + 2 * k], sums[..., 2 + 2 * k]
    denom = np.maximum(n - 1, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        item_var = ((sxx - sx * sx / n[..., None]) / denom[..., None]).sum(axis=-1)
        total_var = (stt - st * st / n) / denom
        alpha = k / (k - 1) * (1 - item_var / total_var)
    return np.where((n >= ALPHA_MIN_N) & (total_var > 1e-12), alpha, np.nan)
