"""Property tests: every statistic of the engine against scipy/numpy reference computations."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from peaceworks.impact.analytics import PAIRED, UNPAIRED, compute

from .helpers import frame_from_answers

answer = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
# (baseline, post, group) per respondent; small groups give n = 0, 1, 2 and ties by the dozen.
respondent = st.tuples(answer, answer, st.integers(min_value=0, max_value=2))
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def close(actual, expected, tol=1e-9):
    if expected is None:
        return actual is None
    return actual is not None and math.isclose(actual, expected, rel_tol=tol, abs_tol=tol)


def reference(pairs):
    """Straightforward per-cell reference computations with numpy and scipy."""
    pre_all = [a for a, _ in pairs if a is not None]
    post_all = [b for _, b in pairs if b is not None]
    both = [(a, b) for a, b in pairs if a is not None and b is not None]
    d = np.array([float(b - a) for a, b in both], dtype=float)
    n = len(both)
    out = {
        "n": n,
        "n_pre": len(pre_all),
        "n_post": len(post_all),
        "pct_top2_post": 100 * np.mean([b >= 4 for b in post_all]) if post_all else None,
        "ceiling": (np.mean([a == 5 for a in pre_all]) > 0.4) if pre_all else None,
    }
    if n == 0:
        out.update(
            method=UNPAIRED if pre_all or post_all else None,
            mean_change=(np.mean(post_all) - np.mean(pre_all)) if pre_all and post_all else None,
            ci=None,
            d_z=None,
            d_av=None,
            wilcoxon_r=None,
            pct_improved=None,
        )
        return out
    mean = float(d.mean())
    sd = float(d.std(ddof=1)) if n > 1 else float("nan")
    nonzero = d[d != 0]
    if nonzero.size:
        z = stats.wilcoxon(
            nonzero, zero_method="wilcox", correction=False, method="approx"
        ).zstatistic
        r = abs(z) / math.sqrt(n)  # the conventional N: every pair, zero differences too
    else:
        r = None
    pre_sd = float(np.std([float(a) for a, _ in both], ddof=1)) if n > 1 else 0.0
    post_sd = float(np.std([float(b) for _, b in both], ddof=1)) if n > 1 else 0.0
    sd_av = (pre_sd + post_sd) / 2
    out.update(
        method=PAIRED,
        mean_change=mean,
        ci=(
            (
                mean - stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n),
                mean + stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n),
            )
            if n >= 10  # no interval below ten pairs (CI_MIN_N)
            else None
        ),
        d_z=mean / sd if n > 1 and sd > 0 else None,
        d_av=mean / sd_av if n > 1 and sd_av > 1e-6 else None,
        wilcoxon_r=r,
        pct_improved=100 * float(np.mean(d > 0)),
        mean_baseline=float(np.mean([a for a, _ in both])),
        mean_post=float(np.mean([b for _, b in both])),
    )
    return out


@PROPERTY
@given(st.lists(respondent, max_size=60))
def test_item_statistics_match_the_reference_in_every_cell(rows):
    frame = frame_from_answers(
        [[a for a, _, _ in rows]],
        [[b for _, b, _ in rows]],
        groups={"gender": [g for *_, g in rows]},
    )
    table = compute(frame, by=("gender",), floor=None)
    cells = {cell.key: cell for cell in table.cells()}
    for g in {g for *_, g in rows}:
        cell = cells[(f"gender-{g}",)]
        expected = reference([(a, b) for a, b, gg in rows if gg == g])
        assert cell.n == expected["n"]
        assert cell.n_pre == expected["n_pre"]
        assert cell.n_post == expected["n_post"]
        assert cell.method == expected["method"]
        assert close(cell.mean_change, expected["mean_change"])
        assert close(cell.d_z, expected["d_z"])
        assert close(cell.d_av, expected["d_av"])
        assert close(cell.wilcoxon_r, expected["wilcoxon_r"])
        assert close(cell.pct_improved, expected["pct_improved"])
        assert close(cell.pct_top2_post, expected["pct_top2_post"])
        assert cell.ceiling == expected["ceiling"]
        if expected["ci"] is None:
            assert cell.ci_low is None
            assert cell.ci_high is None
        else:
            assert close(cell.ci_low, expected["ci"][0])
            assert close(cell.ci_high, expected["ci"][1])
        if expected["method"] == PAIRED:
            assert close(cell.mean_baseline, expected["mean_baseline"])
            assert close(cell.mean_post, expected["mean_post"])
            assert close(cell.pairing_rate, expected["n"] / expected["n_post"])


@PROPERTY
@given(st.lists(respondent, min_size=1, max_size=40))
def test_the_total_is_the_sum_of_its_cells(rows):
    frame = frame_from_answers(
        [[a for a, _, _ in rows]],
        [[b for _, b, _ in rows]],
        groups={"gender": [g for *_, g in rows]},
    )
    total = compute(frame, floor=None).cells()[0]
    expected = reference([(a, b) for a, b, _ in rows])
    assert total.n == expected["n"]
    assert close(total.mean_change, expected["mean_change"])
    assert close(total.wilcoxon_r, expected["wilcoxon_r"])


def scale_score(values):
    answered = [v for v in values if v is not None]
    # Exact fractions: equal differences must tie exactly in the reference too.
    return Fraction(sum(answered), len(answered)) if 3 * len(answered) >= 2 * len(values) else None


def alpha_reference(rows):
    """Cronbach's alpha over complete cases, the textbook formula with sample variances."""
    x = np.array([r for r in rows if all(v is not None for v in r)], dtype=float)
    if x.shape[0] < 30:
        return None
    k = x.shape[1]
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return None
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total_var)


scale_row = st.tuples(
    st.lists(answer, min_size=3, max_size=3), st.lists(answer, min_size=3, max_size=3)
)


@PROPERTY
@given(st.lists(scale_row, max_size=70))
def test_scale_statistics_and_alpha_match_the_reference(rows):
    pre = [[r[0][i] for r in rows] for i in range(3)]
    post = [[r[1][i] for r in rows] for i in range(3)]
    frame = frame_from_answers(pre, post, scales={"wellbeing": ("q0", "q1", "q2")})
    cells = compute(frame, floor=None).cells("wellbeing") if rows else ()
    if not rows:
        return
    (cell,) = cells
    scored = [(scale_score(a), scale_score(b)) for a, b in rows]
    expected = reference(scored)
    assert cell.n == expected["n"]
    assert close(cell.mean_change, expected["mean_change"])
    assert close(cell.d_z, expected["d_z"], tol=1e-7)
    assert close(cell.pct_improved, expected["pct_improved"])
    assert close(cell.wilcoxon_r, expected["wilcoxon_r"], tol=1e-7)
    assert close(cell.alpha, alpha_reference([b for _, b in rows]), tol=1e-7)


def test_alpha_is_computed_from_thirty_complete_answers():
    rng = np.random.default_rng(1)
    base = rng.integers(1, 6, size=40)
    post = [list(np.clip(base + rng.integers(-1, 2, size=40), 1, 5)) for _ in range(3)]
    frame = frame_from_answers([[3] * 40] * 3, post, scales={"s": ("q0", "q1", "q2")})
    cell = compute(frame, floor=None).cells("s")[0]
    assert cell.alpha == pytest.approx(alpha_reference(list(zip(*post, strict=True))))
    assert cell.alpha is not None
    assert cell.alpha > 0.5


def test_a_post_without_pre_is_not_paired_and_the_fallback_is_labelled_unpaired():
    frame = frame_from_answers([[2, 3, None, None]], [[None, None, 4, 5]])
    cell = compute(frame, floor=None).cells()[0]
    assert cell.method == UNPAIRED
    assert cell.n == 0
    assert cell.mean_change == pytest.approx(2.0)
    assert cell.ci_low is None
    assert cell.d_z is None


def test_retrospective_baselines_are_used_and_flagged():
    frame = frame_from_answers(
        [[2, 3, 1]], [[4, 4, 2]], retrospective=[[False, True, False]], attribution=[3, 5, None]
    )
    cell = compute(frame, floor=None).cells()[0]
    assert cell.n == 3
    assert cell.uses_retrospective is True
    assert cell.mean_attribution == pytest.approx(4.0)


def test_zero_variance_gives_no_effect_size_and_a_zero_width_interval():
    frame = frame_from_answers([[2] * 10], [[3] * 10])
    cell = compute(frame, floor=None).cells()[0]
    assert cell.d_z is None
    assert cell.d_av is None
    assert cell.ci_low == cell.ci_high == pytest.approx(1.0)
    assert cell.wilcoxon_r == pytest.approx(1.0)


def test_no_interval_below_ten_pairs_and_wilcoxon_r_counts_every_pair():
    before, after = [2, 2, 3, 3, 4, 4, 2, 3, 4], [3, 4, 3, 3, 5, 4, 4, 4, 4]
    cell = compute(frame_from_answers([before], [after]), floor=None).cells()[0]
    assert cell.n == 9
    assert cell.ci_low is None
    assert cell.ci_high is None
    d = np.subtract(after, before)
    z = stats.wilcoxon(d[d != 0], correction=False, method="approx").zstatistic
    assert cell.wilcoxon_r == pytest.approx(abs(z) / 3)  # sqrt(9 pairs), not sqrt(6 non-zero)
    more = compute(frame_from_answers([[*before, 3]], [[*after, 4]]), floor=None).cells()[0]
    assert more.ci_low is not None


def test_a_scale_baseline_is_never_mixed_from_pre_and_then_answers():
    """One pre item answered: the baseline score is the pre's (too few items: none), not the
    pre item plus two "then" answers; with no pre item at all, the "then" score."""
    frame = frame_from_answers(
        [[2, 4], [5, 4], [5, 4]],
        [[3, 5], [3, 5], [3, 5]],
        retrospective=[[False, True], [True, True], [True, True]],
        scales={"s": ("q0", "q1", "q2")},
    )
    (cell,) = compute(frame, by=("gender",), floor=None).cells("s")
    assert cell.n == 1  # the first respondent has no baseline score
    assert cell.mean_baseline == pytest.approx(4.0)
    assert cell.uses_retrospective is True
