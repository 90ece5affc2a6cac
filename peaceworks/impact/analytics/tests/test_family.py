"""One suppression for the family of figures: the floors hold on every published number."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peaceworks.impact.analytics import COORDINATOR_MIN_N, PUBLISHED_MIN_N, family
from peaceworks.impact.analytics.family import (
    KINDS,
    build_family,
    count_family,
    family_keys,
    respondent_weights,
)
from peaceworks.impact.analytics.frame import MISSING, AnalysisFrame, expand
from peaceworks.impact.analytics.sums import grid_shape
from peaceworks.impact.figures.selectors import (
    SnapshotView,
    TooManyDimensions,
    family_table,
    suppression_family,
)

from .helpers import frame_from_answers

DIMENSIONS_USED = ("country", "gender", "age_band", "organisation")


def _view(frame: AnalysisFrame) -> SnapshotView:
    names = {name: name for name in (*frame.items, *frame.scales)}
    return SnapshotView(campaign=None, snapshot=None, frame=frame, engine_name=names)  # type: ignore[arg-type] # no campaign: the selectors read only the frame here


@st.composite
def frames(draw: Any) -> AnalysisFrame:
    n = draw(st.integers(min_value=1, max_value=45))
    answer = st.integers(min_value=0, max_value=5)
    rows = st.lists(answer, min_size=n, max_size=n)
    country = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    return frame_from_answers(
        draw(st.lists(rows, min_size=2, max_size=2)),
        draw(st.lists(rows, min_size=2, max_size=2)),
        groups={
            "country": country,
            "organisation": [c // 2 for c in country],  # an organisation works in two countries
            "gender": draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)),
            "age_band": draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)),
        },
        attribution=draw(st.lists(answer, min_size=n, max_size=n)),
    )


def _people(frame: AnalysisFrame, key: dict[str, str | None]) -> np.ndarray[Any, Any]:
    keep = np.ones(frame.size, dtype=np.bool_)
    for name, label in key.items():
        keep &= frame.dimension_codes(name) == frame.labels_of(name).index(label)
    return keep


@settings(max_examples=25, deadline=None)
@given(frames(), st.sampled_from([COORDINATOR_MIN_N, PUBLISHED_MIN_N]))
def test_no_published_number_is_derived_from_fewer_people_than_the_floor(
    frame: AnalysisFrame, floor: int
) -> None:
    view = _view(frame)
    views: list[tuple[tuple[str, ...], dict[str, str]]] = [((), {})]
    views += [((name,), {}) for name in DIMENSIONS_USED]
    views += [(pair, {}) for pair in combinations(DIMENSIONS_USED, 2)]
    views += [((by,), {"country": "country-1"}) for by in DIMENSIONS_USED]
    for by, filters in views:
        table = family_table(view, by=by, floor=floor, filters=filters)
        assert table is not None
        for cell in table.cells():
            if cell.suppressed:
                assert cell.n is None
                assert cell.mean_change is None
                continue
            for count in (cell.n, cell.n_pre, cell.n_post):
                assert count is not None
                assert count == 0 or count >= floor
            if cell.n == 0 and cell.n_pre == 0 and cell.n_post == 0:
                # nobody answered the indicator: nothing but the zero counts
                assert cell.mean_change is None
                assert cell.mean_attribution is None
            if cell.mean_attribution is not None:
                people = _people(frame, {**dict(zip(by, cell.key, strict=True)), **filters})
                said = int((frame.attribution[people] != MISSING).sum())
                assert said >= floor


def test_mean_attribution_is_not_repeated_under_an_indicator_nobody_answered() -> None:
    # twelve people answer q0 and the attribution question; nobody answers q1
    frame = frame_from_answers([[2] * 12, [0] * 12], [[4] * 12, [0] * 12], attribution=[3] * 12)
    table = family_table(_view(frame), by=(), floor=COORDINATOR_MIN_N)
    assert table is not None
    answered, unanswered = table.cells()
    assert answered.mean_attribution == 3.0
    assert unanswered.n == 0
    assert unanswered.mean_attribution is None


def test_mean_attribution_of_a_small_group_is_hidden_though_the_indicator_is_shown() -> None:
    # twelve pairs, but only three of them answered the attribution question
    frame = frame_from_answers([[2] * 12], [[4] * 12], attribution=[4] * 3 + [0] * 9)
    (cell,) = family_table(_view(frame), by=(), floor=COORDINATOR_MIN_N).cells()  # type: ignore[union-attr] # the frame is not empty
    assert cell.n == 12
    assert cell.mean_change == 2.0
    assert cell.mean_attribution is None


def test_a_view_of_three_dimensions_is_refused() -> None:
    frame = frame_from_answers([[2] * 12], [[4] * 12])
    with pytest.raises(TooManyDimensions):
        family_table(_view(frame), by=("country", "gender"), floor=5, filters={"age_band": "x"})


def test_the_published_family_hides_everything_the_coordinators_family_hides() -> None:
    rng = np.random.default_rng(3)
    n = 60
    frame = frame_from_answers(
        rng.integers(1, 6, (2, n)).tolist(),
        rng.integers(0, 6, (2, n)).tolist(),
        groups={
            "country": rng.integers(0, 6, n).tolist(),
            "gender": rng.integers(0, 3, n).tolist(),
        },
    )
    dims = ("country", "gender")
    coordinators = build_family(frame, COORDINATOR_MIN_N, dimensions=dims)
    published = build_family(frame, PUBLISHED_MIN_N, start=coordinators, dimensions=dims)
    for key, table in coordinators.tables.items():
        assert (published.tables[key].hidden >= table.hidden).all()
    assert any(
        (published.tables[k].hidden > t.hidden).any() for k, t in coordinators.tables.items()
    )


def test_a_lone_hidden_cell_of_a_two_way_table_takes_a_sibling_and_its_margin_stays_protected() -> (
    None
):
    # gender 2 has 3 people, all in country 0: the two-way cell equals its one-way margin
    countries = [0] * 20 + [1] * 20
    genders = [0] * 10 + [1] * 7 + [2] * 3 + [0] * 10 + [1] * 10
    frame = frame_from_answers(
        [[2] * 40], [[4] * 40], groups={"country": countries, "gender": genders}
    )
    view = _view(frame)
    both = family_table(view, by=("country", "gender"), floor=COORDINATOR_MIN_N)
    gender = family_table(view, by=("gender",), floor=COORDINATOR_MIN_N)
    assert both is not None
    assert gender is not None
    hidden = {c.key for c in both.cells() if c.suppressed}
    assert ("country-0", "gender-2") in hidden
    assert len([key for key in hidden if key[0] == "country-0"]) >= 2  # not alone in its row
    assert {c.key for c in gender.cells() if c.suppressed} >= {("gender-2",)}
    # and no filtered view gives it back: the slice of the same table
    women = family_table(
        view, by=("country",), floor=COORDINATOR_MIN_N, filters={"gender": "gender-1"}
    )
    assert women is not None
    shown = {c.key: c.suppressed for c in women.cells()}
    assert shown == {
        (k[0],): k in hidden for k in [c.key for c in both.cells()] if k[1] == "gender-1"
    }


def test_a_filter_that_leaves_out_a_few_people_hides_its_figures() -> None:
    """Everybody less gender 0 would be the three people of genders 1 and 2 together."""
    frame = frame_from_answers(
        [[2] * 53], [[4] * 53], groups={"gender": [0] * 50 + [1] * 2 + [2] * 1}
    )
    table = family_table(
        _view(frame), by=(), floor=COORDINATOR_MIN_N, filters={"gender": "gender-0"}
    )
    assert table is not None
    assert all(cell.suppressed and cell.n is None for cell in table.cells())


def test_a_filter_that_leaves_out_enough_people_keeps_its_figures() -> None:
    frame = frame_from_answers([[2] * 58], [[4] * 58], groups={"gender": [0] * 50 + [1] * 8})
    table = family_table(
        _view(frame), by=(), floor=COORDINATOR_MIN_N, filters={"gender": "gender-0"}
    )
    assert table is not None
    assert [cell.n for cell in table.cells()] == [50]


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 15), min_size=2, max_size=5).filter(any),
    floor=st.sampled_from([COORDINATOR_MIN_N, PUBLISHED_MIN_N]),
)
def test_no_visible_filtered_cell_differs_from_its_total_by_a_small_group(
    sizes: list[int], floor: int
) -> None:
    groups = [g for g, size in enumerate(sizes) for _ in range(size)]
    frame = frame_from_answers([[2] * len(groups)], [[4] * len(groups)], groups={"gender": groups})
    view = _view(frame)
    total = family_table(view, by=(), floor=floor)
    assert total is not None
    (everybody,) = total.cells()
    for g in range(len(sizes)):
        part = family_table(view, by=(), floor=floor, filters={"gender": f"gender-{g}"})
        assert part is not None
        for cell in part.cells():
            if not cell.suppressed and not everybody.suppressed:
                assert everybody.n is not None
                assert cell.n is not None
                assert cell.n == everybody.n or everybody.n - cell.n >= floor


def test_the_family_counts_theme_and_network_as_the_published_tables_do() -> None:
    """A respondent counts under each of their themes and networks; an indicator of a theme
    module only under its own theme. The family's counts are the published cells' counts."""
    n = 24
    rng = np.random.default_rng(5)
    answers = rng.integers(1, 6, size=(2, n)).tolist()
    frame = frame_from_answers(
        answers,
        answers,
        groups={"theme": [p % 2 for p in range(n)], "network": [p % 3 % 2 for p in range(n)]},
        attribution=[3] * n,
    )
    themes = np.where(np.arange(n) % 3 == 0, 3, 1 << (np.arange(n) % 2)).astype(np.uint64)
    networks = np.where(np.arange(n) % 4 == 0, 3, 1).astype(np.uint64)
    frame = replace(
        frame,
        memberships={"theme": themes, "network": networks},
        item_themes={frame.items[1]: "theme-1"},
    )
    view = _view(frame)
    for by in (("theme",), ("network",), ("theme", "network"), ("theme", "country")):
        table = family_table(view, by=by, floor=COORDINATOR_MIN_N)
        assert table is not None
        family = suppression_family(view, COORDINATOR_MIN_N).table(by)
        assert family.cells.size == table.cell_codes.shape[0]
        counts = family.counts[0, : len(frame.items)]  # pairs of each item, per cell
        assert np.array_equal(counts, table.values["n"][: len(frame.items)])
    by_theme = family_table(view, by=("theme",), floor=1)
    assert by_theme is not None
    n_pairs = {cell.key: cell.n for cell in by_theme.cells(frame.items[1])}
    assert n_pairs == {("theme-1",): int((themes >> np.uint64(1) & np.uint64(1)).sum())}
    assert suppression_family(view, COORDINATOR_MIN_N).table(("theme",)).counts[0, 1, 0] == 0


def _expanded_count(
    frame: AnalysisFrame, key: tuple[str, ...], multi_valued: frozenset[str]
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """A table of the family counted the plain way: the frame expanded over the key's
    multi-valued dimensions, each respondent's counts (``respondent_weights``) summed per
    non-empty cell."""
    rows = expand(frame, [d for d in key if d in multi_valued])
    dense = np.zeros(rows.size, dtype=np.int64)
    for name, size in zip(key, grid_shape(rows, key), strict=True):
        dense = dense * size + rows.dimension_codes(name)
    cells, at = np.unique(dense, return_inverse=True)
    weights = respondent_weights(rows)
    summed = np.zeros((cells.size, weights.shape[1]))
    np.add.at(summed, at.reshape(-1), weights)
    return cells, summed.T.reshape(len(KINDS), -1, cells.size)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 60))
def test_the_family_counts_are_the_counts_of_the_expanded_respondents(seed: int, n: int) -> None:
    """Counted from atoms expanded over the labels, every table of the family holds exactly the
    cells and counts of the respondents expanded one by one (themes and networks overlapping,
    modules' items and a scale of two themes' items left out under the other themes, a module
    of a theme nobody has)."""
    rng = np.random.default_rng(seed)
    answer = rng.integers(0, 6, size=(2, 5, n)) * (rng.random((2, 5, n)) < 0.8)
    frame = frame_from_answers(
        answer[0].tolist(),
        answer[1].tolist(),
        groups={
            "country": rng.integers(0, 3, n).tolist(),
            "gender": rng.integers(0, 2, n).tolist(),
            "theme": [0] * n,
            "network": [0] * n,
        },
        retrospective=(rng.random((5, n)) < 0.2).tolist(),
        attribution=rng.integers(0, 6, n).tolist(),
        scales={"s_mixed": ("q0", "q1", "q2"), "s_module": ("q3", "q4"), "s_all": ("q0", "q4")},
    )
    themes = ("theme-0", "theme-1", "theme-2", None)
    frame = replace(
        frame,
        vocabulary={**frame.vocabulary, "theme": themes, "network": ("n-0", "n-1", None)},
        memberships={
            "theme": rng.integers(1, 16, n).astype(np.uint64),
            "network": rng.integers(1, 8, n).astype(np.uint64),
        },
        item_themes={"q1": "theme-1", "q3": "theme-2", "q4": "theme-2", "q2": "theme-9"},
        fo_mask=rng.integers(0, 4, n).astype(np.uint16),
    )
    multi = frozenset({"theme", "network"})
    dims = ("theme", "network", "country", "gender", "fewer_opportunities:disability")
    counted = count_family(frame, list(family_keys(dims)), multi)
    for key, table in counted.items():
        cells, counts = _expanded_count(frame, key, multi)
        assert np.array_equal(table.cells, cells), key
        assert np.array_equal(table.counts, counts), key


def test_respondents_are_counted_per_atom_alike_eight_columns_at_once_or_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(3)
    atom = rng.integers(0, 40, 5_000)
    flags = rng.random((19, 5_000)) < 0.6
    expected = np.stack([np.bincount(atom, weights=f, minlength=40) for f in flags], axis=1)
    assert np.array_equal(family._count_by(atom, 40, flags), expected)
    monkeypatch.setattr(family, "PACKED_BINS", 0)
    assert np.array_equal(family._count_by(atom, 40, flags), expected)
