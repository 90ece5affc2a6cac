"""Property tests: an item's answer distribution per cell against a plain count of the answers."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peaceworks.impact.analytics import COORDINATOR_MIN_N, OPTIONS, PAIRED, compute
from peaceworks.impact.analytics.frame import take
from peaceworks.impact.analytics.snapshot import fold, refresh

from .helpers import frame_from_answers

answer = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
# (baseline, post, retrospective baseline?, gender, country) per respondent
respondent = st.tuples(
    answer,
    answer,
    st.booleans(),
    st.integers(min_value=0, max_value=2),
    st.integers(min_value=0, max_value=1),
)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _frame(rows):
    return frame_from_answers(
        [[a for a, *_ in rows]],
        [[b for _, b, *_ in rows]],
        retrospective=[[r and a is not None for a, _, r, *_ in rows]],
        groups={"gender": [g for *_, g, _ in rows], "country": [c for *_, c in rows]},
    )


def shares(answers):
    """(count, % per option) of the given answers, or (0, None) when there are none."""
    counted = Counter(answers)
    total = sum(counted.values())
    if not total:
        return 0, None
    return total, tuple(100 * counted[option] / total for option in OPTIONS)


def reference(pairs):
    """The distribution a cell should carry: over its pairs when there are any, otherwise over
    every baseline and every post answer; None when nobody answered."""
    both = [(a, b) for a, b in pairs if a is not None and b is not None]
    if both:
        return shares([a for a, _ in both]), shares([b for _, b in both])
    before = shares([a for a, _ in pairs if a is not None])
    after = shares([b for _, b in pairs if b is not None])
    return None if not before[0] and not after[0] else (before, after)


def same(actual, expected):
    if expected is None or actual is None:
        return actual is expected
    return all(math.isclose(x, y, abs_tol=1e-9) for x, y in zip(actual, expected, strict=True))


def check(distribution, expected):
    if expected is None:
        assert distribution is None
        return
    (n_before, before), (n_after, after) = expected
    assert distribution.options == OPTIONS
    assert distribution.n_baseline == n_before
    assert distribution.n_post == n_after
    assert same(distribution.baseline, before)
    assert same(distribution.post, after)


@PROPERTY
@given(st.lists(respondent, max_size=60))
def test_the_distribution_matches_a_plain_count_in_every_cell(rows):
    table = compute(_frame(rows), by=("gender", "country"), floor=None)
    cells = {cell.key: cell for cell in table.cells()}
    for gender, country in {(g, c) for *_, g, c in rows}:
        cell = cells[(f"gender-{gender}", f"country-{country}")]
        pairs = [(a, b) for a, b, _, g, c in rows if (g, c) == (gender, country)]
        check(cell.distribution, reference(pairs))


@PROPERTY
@given(st.lists(respondent, min_size=1, max_size=60))
def test_the_distribution_agrees_with_the_cells_own_means(rows):
    (cell,) = compute(_frame(rows), floor=None).cells()
    distribution = cell.distribution
    if distribution is None:
        assert cell.method is None
        return
    for shown, mean in (
        (distribution.baseline, cell.mean_baseline),
        (distribution.post, cell.mean_post),
    ):
        assert (shown is None) is (mean is None)
        if shown is not None and mean is not None:
            assert math.isclose(sum(o * s for o, s in zip(OPTIONS, shown, strict=True)) / 100, mean)
    if cell.method == PAIRED:
        assert distribution.n_baseline == distribution.n_post == cell.n
    else:
        assert (distribution.n_baseline, distribution.n_post) == (cell.n_pre, cell.n_post)


@PROPERTY
@given(st.lists(respondent, max_size=80))
def test_suppressed_cells_have_no_distribution_and_visible_ones_are_exact(rows):
    table = compute(_frame(rows), by=("gender", "country"), floor=COORDINATOR_MIN_N)
    for cell in table.cells():
        if cell.suppressed:
            assert cell.distribution is None
            continue
        gender, country = (int(part.rsplit("-", 1)[1]) for part in cell.key)
        pairs = [(a, b) for a, b, _, g, c in rows if (g, c) == (gender, country)]
        check(cell.distribution, reference(pairs))


def test_a_scale_has_no_distribution():
    frame = frame_from_answers(
        [[1, 2, 3, 4, 5, 2], [2, 2, 3, 3, 4, 4]],
        [[3, 3, 4, 5, 5, 4], [3, 4, 4, 4, 5, 5]],
        scales={"wellbeing": ("q0", "q1")},
    )
    (item,) = compute(frame, floor=None).cells("q0")
    (scale,) = compute(frame, floor=None).cells("wellbeing")
    assert item.distribution is not None
    assert scale.distribution is None
    assert scale.mean_change is not None


def test_a_side_nobody_answered_has_no_shares():
    frame = frame_from_answers([[None] * 6], [[4, 4, 5, 5, 5, 2]])
    (cell,) = compute(frame, floor=COORDINATOR_MIN_N).cells()
    assert cell.distribution is not None
    assert cell.distribution.baseline is None
    assert cell.distribution.n_baseline == 0
    assert cell.distribution.post == (0.0, 100 / 6, 0.0, 200 / 6, 300 / 6)


@PROPERTY
@given(st.lists(respondent, min_size=2, max_size=40), st.integers(min_value=1, max_value=39))
def test_folded_sums_give_the_distribution_of_a_full_refresh(rows, cut):
    whole = _frame(rows)
    cut = min(cut, whole.size - 1)
    first = take(whole, np.arange(cut))
    batch = take(whole, np.arange(cut, whole.size))
    folded = fold(refresh(first, [("gender",)]), batch).tables(floor=None)[0].cells()
    full = refresh(whole, [("gender",)]).tables(floor=None)[0].cells()
    assert [c.distribution for c in folded] == [c.distribution for c in full]
