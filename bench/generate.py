"""Seeded synthetic survey data at benchmark sizes, as the engine's analysis frame.

Each respondent answers a pre and (80 % of them) a post survey of 20 five-point items, with a
little item non-response; themes, hosting countries, gender and fewer opportunities vary, and the
answers move up a little between pre and post, more for some themes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from peaceworks.impact.analytics.frame import (
    FO_ANY,
    FO_CATEGORIES,
    STORED_DIMENSIONS,
    AnalysisFrame,
)

N_ITEMS = 20
THEMES = 6
COUNTRIES = 80
GENDERS = ("man", "non-binary", "prefer not to say", "self-describe", "woman", None)
POST_MISSING = 0.2
BYS: tuple[tuple[str, ...], ...] = (("theme", "country"), ("gender",), (FO_ANY,))


def _likert(values: npt.NDArray[np.float64]) -> npt.NDArray[np.int8]:
    return np.clip(np.rint(values), 1, 5).astype(np.int8)


def synthetic_frame(n: int, *, seed: int = 8, first_id: int = 0) -> AnalysisFrame:
    rng = np.random.default_rng(seed)
    theme = rng.integers(0, THEMES, size=n).astype(np.int16)
    country = rng.integers(0, COUNTRIES, size=n).astype(np.int16)
    gender = rng.choice(len(GENDERS), size=n, p=[0.38, 0.04, 0.04, 0.02, 0.5, 0.02]).astype(
        np.int16
    )
    fo_mask = np.where(
        rng.random(n) < 0.3, rng.integers(1, 1 << len(FO_CATEGORIES), size=n), 0
    ).astype(np.uint16)
    fo_any = np.where(fo_mask > 0, 1, 0).astype(np.int16)  # ("no", "yes", None)
    fo_any[rng.random(n) < 0.05] = 2
    fo_mask[fo_any == 2] = 0
    trait = rng.normal(3.0, 0.8, size=n)
    lift = 0.2 + 0.08 * theme
    baseline = _likert(trait[None, :] + rng.normal(0, 0.7, size=(N_ITEMS, n)))
    post = _likert(trait[None, :] + lift[None, :] + rng.normal(0, 0.7, size=(N_ITEMS, n)))
    post[:, rng.random(n) < POST_MISSING] = 0
    baseline[rng.random((N_ITEMS, n)) < 0.03] = 0
    post[rng.random((N_ITEMS, n)) < 0.03] = 0
    has_post = (post != 0).any(axis=0)
    attribution = np.where(has_post, rng.integers(1, 6, size=n), 0).astype(np.int8)
    vocabulary: dict[str, tuple[str | None, ...]] = dict.fromkeys(STORED_DIMENSIONS, (None,))
    vocabulary["theme"] = tuple(f"T{i + 1}" for i in range(THEMES))
    vocabulary["country"] = tuple(f"C{i:02d}" for i in range(COUNTRIES))
    vocabulary["gender"] = GENDERS
    vocabulary[FO_ANY] = ("no", "yes", None)
    codes = {name: np.zeros(n, dtype=np.int16) for name in STORED_DIMENSIONS}
    codes.update(theme=theme, country=country, gender=gender)
    codes[FO_ANY] = fo_any
    return AnalysisFrame(
        respondent_ids=np.arange(first_id, first_id + n, dtype=np.int64),
        codes=codes,
        vocabulary=vocabulary,
        fo_mask=fo_mask,
        items=tuple(f"q{i + 1:02d}" for i in range(N_ITEMS)),
        baseline=baseline,
        post=post,
        retrospective=np.zeros((N_ITEMS, n), dtype=np.bool_),
        attribution=attribution,
        scales={},
    )


def storage_rows(frame: AnalysisFrame) -> dict[str, Any]:
    """The frame as plain rows shaped like the impact app's storage (for ``build_frame``)."""
    labels = {name: frame.labels_of(name) for name in ("theme", "country", "gender")}
    theme, country = frame.codes["theme"].tolist(), frame.codes["country"].tolist()
    gender = frame.codes["gender"].tolist()
    activities = {
        t * COUNTRIES + c: {"theme": labels["theme"][t], "country": labels["country"][c]}
        for t in range(THEMES)
        for c in range(COUNTRIES)
    }
    rounds = [
        {"id": 2 * a + k, "activity": a, "kind": kind, "uses_retrospective": False}
        for a in activities
        for k, kind in enumerate(("pre", "post"))
    ]
    respondents, responses = [], []
    base, post = frame.baseline.T.tolist(), frame.post.T.tolist()
    fo = frame.codes[FO_ANY].tolist()
    for row, rid in enumerate(frame.respondent_ids.tolist()):
        activity = theme[row] * COUNTRIES + country[row]
        respondents.append({"id": rid, "activity": activity, "withdrawn_at": None})
        answers: dict[str, Any] = {q: v for q, v in zip(frame.items, base[row], strict=True) if v}
        answers["gender"] = labels["gender"][gender[row]]
        answers[FO_ANY] = ["economic"] if fo[row] == 1 else (["none"] if fo[row] == 0 else [])
        responses.append(
            {"round": 2 * activity, "respondent": rid, "answers": answers, "submitted_at": 1}
        )
        after = {q: v for q, v in zip(frame.items, post[row], strict=True) if v}
        if after:
            responses.append(
                {"round": 2 * activity + 1, "respondent": rid, "answers": after, "submitted_at": 2}
            )
    return {
        "activities": activities,
        "respondents": respondents,
        "rounds": rounds,
        "responses": responses,
        "items": frame.items,
    }
