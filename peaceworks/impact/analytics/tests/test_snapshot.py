"""Incremental snapshots: folding batches gives exactly what a full refresh gives."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peaceworks.impact.analytics.frame import VocabularyError, take
from peaceworks.impact.analytics.snapshot import compact, fold, materialise, refresh

from .helpers import frame_from_answers

BYS = [(), ("gender",), ("gender", "country")]


def random_frame(rng, ids, n_items=4):
    n = len(ids)
    base = rng.integers(0, 6, size=(n_items, n)).tolist()
    post = rng.integers(0, 6, size=(n_items, n)).tolist()
    return frame_from_answers(
        base,
        post,
        groups={
            "gender": rng.integers(0, 3, size=n).tolist(),
            "country": rng.integers(0, 2, size=n).tolist(),
        },
        retrospective=(rng.random((n_items, n)) < 0.1).tolist(),
        attribution=rng.integers(0, 6, size=n).tolist(),
        scales={"scale": ("q0", "q1", "q2")},
        ids=ids,
    )


def with_vocabulary(frame, vocabulary):
    """Same data, the snapshot's vocabulary (the helpers size vocabularies from the data)."""
    return replace(frame, vocabulary=vocabulary)


def assert_same_tables(left, right):
    for a, b in zip(left.tables(floor=None), right.tables(floor=None), strict=True):
        assert a.cell_codes.tolist() == b.cell_codes.tolist()
        for name, values in a.values.items():
            np.testing.assert_allclose(values, b.values[name], rtol=1e-9, atol=1e-9, err_msg=name)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=2**31), st.integers(min_value=1, max_value=60))
def test_folding_batches_equals_a_full_refresh(seed, n):
    rng = np.random.default_rng(seed)
    full = random_frame(rng, list(range(n + 20)))
    full = with_vocabulary(
        full, {**full.vocabulary, "gender": ("g0", "g1", "g2"), "country": ("c0", "c1")}
    )
    # Before: the first n respondents, some of them without their post yet.
    before = take(full, np.arange(n))
    before = with_vocabulary(before, full.vocabulary)
    half_post = before.post.copy()
    half_post[:, rng.random(n) < 0.3] = 0
    snapshot = refresh(replace(before, post=half_post), BYS)
    # Batch one: everyone's post arrives and 20 new respondents; batch two: withdrawals.
    snapshot = fold(snapshot, full)
    withdrawn = rng.choice(n + 20, size=min(5, n), replace=False).tolist()
    touched = take(full, np.arange(0, n + 20, 3))
    snapshot = fold(snapshot, touched, withdrawn=withdrawn)
    expected_frame = take(full, np.flatnonzero(~np.isin(full.respondent_ids, withdrawn)))
    assert materialise(snapshot).respondent_ids.tolist() == expected_frame.respondent_ids.tolist()
    assert_same_tables(snapshot, refresh(expected_frame, BYS))
    compacted = compact(snapshot)
    assert compacted.overlays == ()
    # Folding a respondent's unchanged state again changes nothing.
    again = take(expected_frame, np.arange(0, expected_frame.size, 2))
    assert_same_tables(fold(compacted, again), refresh(expected_frame, BYS))


def test_a_withdrawn_respondent_leaves_the_snapshot():
    frame = frame_from_answers([[1, 2, 3]], [[5, 5, 5]])
    snapshot = fold(refresh(frame, [()]), take(frame, np.zeros(0, dtype=np.intp)), withdrawn=[0])
    cell = snapshot.tables(floor=None)[0].cells()[0]
    assert cell.n == 2
    assert cell.mean_change == pytest.approx(2.5)


def test_a_batch_with_another_vocabulary_is_refused():
    frame = frame_from_answers([[1, 2]], [[5, 5]], groups={"gender": [0, 1]})
    other = frame_from_answers([[1]], [[5]], groups={"gender": [2]}, ids=[7])
    with pytest.raises(VocabularyError):
        fold(refresh(frame, [("gender",)]), other)


def test_groupings_computed_together_equal_groupings_computed_alone():
    from peaceworks.impact.analytics import compute, compute_tables

    rng = np.random.default_rng(3)
    frame = random_frame(rng, list(range(300)))
    bys = [("country", "gender"), ("gender",), (), ("country",)]
    together = compute_tables(frame, bys, floor=None)
    for by, table in zip(bys, together, strict=True):
        alone = compute(frame, by=by, floor=None)
        assert table.cell_codes.tolist() == alone.cell_codes.tolist()
        for name, values in table.values.items():
            np.testing.assert_allclose(values, alone.values[name], err_msg=name)


def test_long_scales_ranked_by_sorting_give_the_same_tables(monkeypatch):
    from peaceworks.impact.analytics import sums

    rng = np.random.default_rng(5)
    frame = random_frame(rng, list(range(200)))
    before = take(frame, np.arange(150))
    with_histograms = fold(refresh(before, BYS), frame)
    monkeypatch.setattr(sums, "DIFF_HIST_LIMIT", 0)
    sorted_ranks = fold(refresh(before, BYS), frame)
    assert all(h.shape[1] == 0 for t in sorted_ranks.sums for h in t.scale_diff_hist)
    assert_same_tables(with_histograms, sorted_ranks)
    assert_same_tables(sorted_ranks, refresh(frame, BYS))
