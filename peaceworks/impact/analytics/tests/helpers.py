"""Build analysis frames straight from small arrays for the engine's tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from peaceworks.impact.analytics.frame import STORED_DIMENSIONS, AnalysisFrame


def frame_from_answers(
    baseline: Sequence[Sequence[int | None]],
    post: Sequence[Sequence[int | None]],
    *,
    groups: Mapping[str, Sequence[int]] | None = None,
    retrospective: Sequence[Sequence[bool]] | None = None,
    attribution: Sequence[int | None] | None = None,
    scales: Mapping[str, Sequence[str]] | None = None,
    ids: Sequence[int] | None = None,
) -> AnalysisFrame:
    """Items x respondents answers (None = missing); ``groups`` gives dimension codes."""
    base = np.array([[v or 0 for v in row] for row in baseline], dtype=np.int8)
    after = np.array([[v or 0 for v in row] for row in post], dtype=np.int8)
    n_items = len(baseline)
    n = base.shape[1] if n_items else 0
    base = base.reshape(n_items, n)
    after = after.reshape(n_items, n)
    codes = {}
    vocabulary: dict[str, tuple[str | None, ...]] = {}
    for name in STORED_DIMENSIONS:
        values = np.asarray((groups or {}).get(name, [0] * n), dtype=np.int16)
        size = int(values.max()) + 1 if values.size else 1
        if name == "fewer_opportunities":
            vocabulary[name] = ("no", "yes", None)
        else:
            vocabulary[name] = tuple(f"{name}-{i}" for i in range(size))
        codes[name] = values
    retro = (
        np.array(retrospective, dtype=np.bool_).reshape(n_items, n)
        if retrospective is not None
        else np.zeros((n_items, n), dtype=np.bool_)
    )
    return AnalysisFrame(
        respondent_ids=np.asarray(ids if ids is not None else range(n), dtype=np.int64),
        codes=codes,
        vocabulary=vocabulary,
        fo_mask=np.zeros(n, dtype=np.uint16),
        items=tuple(f"q{i}" for i in range(n_items)),
        baseline=base,
        post=after,
        retrospective=retro,
        attribution=np.array([v or 0 for v in (attribution or [0] * n)], dtype=np.int8),
        scales={k: tuple(v) for k, v in (scales or {}).items()},
    )
