"""Small-cell suppression: primary floors and complementary suppression."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from peaceworks.impact.analytics import COORDINATOR_MIN_N, PUBLISHED_MIN_N, compute, suppress

from .helpers import frame_from_answers


def frame_with_group_sizes(sizes, dimension="gender"):
    groups = [g for g, size in enumerate(sizes) for _ in range(size)]
    n = len(groups)
    return frame_from_answers([[2] * n], [[4] * n], groups={dimension: groups})


def test_the_floors_are_constants_in_code():
    assert COORDINATOR_MIN_N == 5
    assert PUBLISHED_MIN_N == 10


def test_a_small_cell_carries_no_numbers():
    table = compute(frame_with_group_sizes([20, 3, 30]), by=("gender",), floor=COORDINATOR_MIN_N)
    hidden = [c for c in table.cells() if c.suppressed]
    assert hidden
    for cell in hidden:
        assert cell.n is None
        assert cell.mean_change is None
        assert cell.n_post is None


def test_a_lone_hidden_cell_takes_its_smallest_visible_sibling_with_it():
    table = compute(
        frame_with_group_sizes([20, 3, 30, 12]), by=("gender",), floor=COORDINATOR_MIN_N
    )
    hidden = {c.key[0] for c in table.cells() if c.suppressed}
    assert hidden == {"gender-1", "gender-3"}


def test_suppression_cannot_be_undone_by_combining_a_cell_with_its_total():
    frame = frame_with_group_sizes([20, 3, 30, 12])
    cells = compute(frame, by=("gender",), floor=COORDINATOR_MIN_N).cells()
    total = compute(frame, floor=COORDINATOR_MIN_N).cells()[0]
    visible = sum(c.n for c in cells if not c.suppressed)
    hidden = [c for c in cells if c.suppressed]
    # The total minus the visible cells is the sum of two hidden cells: neither is recoverable.
    assert total.n - visible == 3 + 12
    assert len(hidden) >= 2


def test_a_published_figure_never_shows_a_cell_under_ten():
    rng = np.random.default_rng(7)
    sizes = rng.integers(0, 25, size=12).tolist()
    table = compute(frame_with_group_sizes(sizes), by=("gender",), floor=PUBLISHED_MIN_N)
    for cell in table.cells():
        assert cell.suppressed or cell.n == 0 or cell.n >= PUBLISHED_MIN_N


grid = st.lists(
    st.lists(st.integers(min_value=0, max_value=15), min_size=1, max_size=5), min_size=1, max_size=5
).filter(lambda rows: len({len(r) for r in rows}) == 1)


@settings(max_examples=200, deadline=None)
@given(grid, st.sampled_from([COORDINATOR_MIN_N, PUBLISHED_MIN_N]))
def test_no_row_or_column_of_a_grid_has_a_lone_hidden_cell(rows, floor):
    shape = (len(rows), len(rows[0]))
    counts = np.array(rows, dtype=float).reshape(1, -1)
    codes = np.array([(i, j) for i in range(shape[0]) for j in range(shape[1])], dtype=np.int64)
    hidden = suppress(counts, codes, shape, floor).reshape(shape)
    full = counts.reshape(shape)
    assert not (hidden & ((full >= floor) | (full == 0)) & ~hidden).any()
    assert (hidden[(full > 0) & (full < floor)]).all()
    for line_hidden, line_counts in [
        *zip(hidden, full, strict=True),
        *zip(hidden.T, full.T, strict=True),
    ]:
        # Margins along each dimension are totals: one lone hidden non-empty cell would be
        # recoverable from them, unless it is the only non-empty cell (then the total is
        # below the floor and is suppressed in its own table).
        lone = int((line_hidden & (line_counts > 0)).sum()) == 1
        only = int((line_counts > 0).sum()) == 1
        assert not lone or only
