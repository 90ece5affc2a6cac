"""The analysis frame: the compact, columnar "wide layout" the engine reads.

One row per respondent, one small-int column per dimension and, per item, a baseline and a post
answer as ``int8`` (``MISSING`` when not answered). The frame is derived and rebuildable: it is
built from plain rows shaped like the impact app's storage (``build_frame``), so the snapshot task
can feed it from the ORM and the benchmark from a generator.

Baseline rule: the pre answer when there is one; otherwise the retrospective "then" answer given
with the post, flagged per item in ``retrospective``.

Multi-valued dimensions (``MULTI_VALUED_DIMENSIONS``: theme, network): a respondent belongs to
every label of the set (``memberships``, one bit per label code), so the cells of such a grouping
may overlap and need not add up to the total. ``expand`` repeats a respondent once per label for a
grouping; ``restrict`` keeps the members of one label for a filter. Theme rule: a response counts
under every theme of its activity, except an indicator of a theme module, which counts only under
its own theme (``item_themes``): the module a respondent answered (see docs/statistics.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from peaceworks.impact.default_framework.blocks import (
    FEWER_OPPORTUNITY_CATEGORIES,
    NONE_OF_THESE,
    PREFER_NOT,
)

MISSING = 0  # answers are 1..5; 0 marks "not answered" in the int8 columns
LIKERT_MAX = 5

#: Dimensions stored per respondent (from the activity or from the demographics block).
ACTIVITY_DIMENSIONS: tuple[str, ...] = (
    "campaign",
    "theme",
    "year",
    "region",
    "country",
    "organisation",
    "activity_type",
    "duration_band",
    "network",
)
#: Dimensions where a respondent may carry several labels: an activity has 1-5 themes, an
#: organisation belongs to several networks. Their cells overlap (a respondent counts in each of
#: its labels), so they do not sum to the total and one cell is not a total minus the others.
MULTI_VALUED_DIMENSIONS: frozenset[str] = frozenset({"theme", "network"})
#: At most this many labels per multi-valued dimension (one bit each in ``memberships``).
MAX_MULTI_LABELS = 63
DEMOGRAPHIC_DIMENSIONS: tuple[str, ...] = (
    "gender",
    "age_band",
    "role",
    "residence_country",
    "first_experience",
)
#: Current European categories of fewer opportunities (bit i of ``fo_mask`` is category i).
FO_CATEGORIES: tuple[str, ...] = FEWER_OPPORTUNITY_CATEGORIES
FO_ANY = "fewer_opportunities"
FO_PREFIX = "fewer_opportunities:"
STORED_DIMENSIONS: tuple[str, ...] = (*ACTIVITY_DIMENSIONS, *DEMOGRAPHIC_DIMENSIONS, FO_ANY)
#: Every dimension ``by=`` accepts: the stored ones plus one yes/no dimension per category.
DIMENSIONS: tuple[str, ...] = (*STORED_DIMENSIONS, *(FO_PREFIX + c for c in FO_CATEGORIES))
DEMOGRAPHIC_CODES = frozenset({*DEMOGRAPHIC_DIMENSIONS, FO_ANY, "attribution"})

Label = str | None  # None is the "unknown / not said" category
MaskArray = npt.NDArray[np.uint64]
Vocabulary = Mapping[str, tuple[Label, ...]]
Int8Array = npt.NDArray[np.int8]
Int16Array = npt.NDArray[np.int16]


class VocabularyError(ValueError):
    """A row carries a label outside a fixed vocabulary: rebuild the snapshot instead of folding."""


@dataclass(frozen=True)
class AnalysisFrame:
    """Columnar pre/post answers per respondent; arrays are never mutated after building.

    ``baseline``/``post``/``retrospective`` have shape ``(len(items), n_respondents)`` so that one
    item is one contiguous row. Rows are sorted by ``respondent_ids``.
    """

    respondent_ids: npt.NDArray[np.int64]
    codes: Mapping[str, Int16Array]
    vocabulary: Vocabulary
    fo_mask: npt.NDArray[np.uint16]
    items: tuple[str, ...]
    baseline: Int8Array
    post: Int8Array
    retrospective: npt.NDArray[np.bool_]
    attribution: Int8Array
    scales: Mapping[str, tuple[str, ...]]
    #: per multi-valued dimension, bit ``c`` set when the respondent carries label code ``c``
    #: (``codes`` then holds the lowest of them, or the None label's code)
    memberships: Mapping[str, MaskArray] = field(default_factory=dict)
    #: items of a theme module -> that theme's label (always-asked items are absent)
    item_themes: Mapping[str, str] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return int(self.respondent_ids.shape[0])

    def dimension_codes(self, name: str) -> Int16Array:
        """Codes of a dimension, deriving the per-category fewer-opportunity flags."""
        if name in self.codes:
            return self.codes[name]
        if name.startswith(FO_PREFIX) and name[len(FO_PREFIX) :] in FO_CATEGORIES:
            bit = FO_CATEGORIES.index(name[len(FO_PREFIX) :])
            flag = ((self.fo_mask >> bit) & 1).astype(np.int16)  # 0 = no, 1 = yes
            unknown = self.codes[FO_ANY] == self.vocabulary[FO_ANY].index(None)
            return np.where(unknown, np.int16(2), flag).astype(np.int16)
        raise KeyError(name)

    def membership(self, name: str) -> MaskArray:
        """Bit ``c`` set per respondent carrying label code ``c`` (single-valued: one bit)."""
        if name in self.memberships:
            return self.memberships[name]
        return np.left_shift(np.uint64(1), self.dimension_codes(name).astype(np.uint64))

    def has_label(self, name: str, code: int) -> npt.NDArray[np.bool_]:
        """Respondents carrying label ``code`` of ``name`` (any of theirs, if multi-valued)."""
        if name in self.memberships:
            bits = (self.memberships[name] >> np.uint64(code)) & np.uint64(1)
            return np.asarray(bits == 1, dtype=np.bool_)
        return np.asarray(self.dimension_codes(name) == code, dtype=np.bool_)

    def label_counts(self, name: str) -> npt.NDArray[np.int64]:
        """Respondents per label code (overlapping for a multi-valued dimension)."""
        size = len(self.labels_of(name))
        if name in self.memberships:
            return np.array([int(self.has_label(name, c).sum()) for c in range(size)])
        return np.bincount(self.dimension_codes(name), minlength=size).astype(np.int64)

    def labels_of(self, name: str) -> tuple[Label, ...]:
        return vocabulary_labels(self.vocabulary, name)


def vocabulary_labels(vocabulary: Vocabulary, name: str) -> tuple[Label, ...]:
    """The labels of a dimension in a frame's vocabulary, the derived fewer-opportunity flags
    included (``AnalysisFrame.labels_of``)."""
    if name in vocabulary:
        return vocabulary[name]
    if name.startswith(FO_PREFIX):
        return ("no", "yes", None)
    raise KeyError(name)


def duration_band(days: int | None) -> str | None:
    """Duration bands used in every disaggregation."""
    if days is None:
        return None
    if days <= 7:
        return "1-7"
    if days <= 14:
        return "8-14"
    if days <= 60:
        return "15-60"
    return "61+"


def _activity_value(activity: Mapping[str, Any], name: str) -> Label | tuple[str, ...]:
    if name in MULTI_VALUED_DIMENSIONS:
        raw = activity.get(name)
        values = raw if isinstance(raw, list | tuple | set | frozenset) else (raw,)
        return tuple(sorted({str(v) for v in values if v is not None and v != ""}))
    if name == "duration_band" and "duration_band" not in activity:
        return duration_band(activity.get("duration_days"))
    if name == "year" and "year" not in activity:
        start = activity.get("start_date")
        return str(start.year) if isinstance(start, dt.date) else None
    value = activity.get(name)
    return None if value is None or value == "" else str(value)


def activity_labels(activity: Mapping[str, Any]) -> dict[str, tuple[Label, ...]]:
    """An activity's labels per activity dimension as the frame files it (several for a
    multi-valued dimension, ``(None,)`` when it has none)."""
    out: dict[str, tuple[Label, ...]] = {}
    for name in ACTIVITY_DIMENSIONS:
        value = _activity_value(activity, name)
        out[name] = (value or (None,)) if isinstance(value, tuple) else (value,)
    return out


def _fo_value(raw: Any) -> tuple[Label, int]:
    """(any: yes/no/None, bitmask) from the multi-select fewer-opportunities answer.

    "I prefer not to say" anywhere in the answer makes it unknown (never "no"); "no" needs the
    explicit "none of these"; an answer of neither (blank, unknown codes) is unknown too."""
    if not isinstance(raw, list | tuple) or not raw or PREFER_NOT in raw:
        return None, 0
    mask = 0
    for category in raw:
        if category in FO_CATEGORIES:
            mask |= 1 << FO_CATEGORIES.index(category)
    if mask:
        return "yes", mask
    return ("no" if NONE_OF_THESE in raw else None), 0


def _answer_column(rows: Sequence[Mapping[str, Any]], code: str) -> Int8Array:
    """One question's answers as int8, MISSING where absent or not a 1..5 integer."""
    values = [row.get(code) for row in rows]
    return np.fromiter(
        (v if type(v) is int and 0 < v <= LIKERT_MAX else MISSING for v in values),
        dtype=np.int8,
        count=len(values),
    )


def _latest(responses: Iterable[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    best: Mapping[str, Any] | None = None
    for response in responses:
        if best is None or (response.get("submitted_at") or 0) >= (best.get("submitted_at") or 0):
            best = response
    return best


def build_frame(
    *,
    activities: Mapping[Any, Mapping[str, Any]],
    respondents: Sequence[Mapping[str, Any]],
    rounds: Sequence[Mapping[str, Any]],
    responses: Sequence[Mapping[str, Any]],
    items: Sequence[str],
    scales: Mapping[str, Sequence[str]] | None = None,
    vocabulary: Vocabulary | None = None,
    item_themes: Mapping[str, str] | None = None,
) -> AnalysisFrame:
    """Build the wide layout from plain rows shaped like the storage contract.

    - ``activities``: ``{activity_id: {"campaign", "theme", "year" | "start_date", "region",
      "country", "organisation", "activity_type", "duration_band" | "duration_days",
      "network"}}`` (``theme`` and ``network`` may be a list: ``MULTI_VALUED_DIMENSIONS``);
    - ``respondents``: ``{"id", "activity", "withdrawn_at"}`` (withdrawn respondents are left
      out entirely);
    - ``rounds``: ``{"id", "activity", "kind", "uses_retrospective"}``;
    - ``responses``: ``{"round", "respondent", "answers", "then_answers", "submitted_at"}``; the
      latest response per respondent and round kind wins; partner and follow-up rounds are not
      part of the pre/post pair;
    - ``item_themes``: the theme label of each item asked in a theme module.

    Demographics: per question, the pre's answer when it is not blank, else the post's.

    With a fixed ``vocabulary`` (folding into a snapshot), an unseen label raises
    ``VocabularyError``; otherwise labels are collected and sorted (``None`` last).
    """
    items = tuple(items)
    scale_map = {code: tuple(members) for code, members in (scales or {}).items()}
    for code, members in scale_map.items():
        if len(members) < 2 or any(m not in items for m in members):
            raise ValueError(f"scale {code!r} needs two or more of the frame's items")
    round_kind = {r["id"]: r["kind"] for r in rounds}
    by_respondent: dict[Any, dict[str, list[Mapping[str, Any]]]] = {}
    for response in responses:
        kind = round_kind.get(response["round"])
        if kind in ("pre", "post"):
            by_respondent.setdefault(response["respondent"], {}).setdefault(kind, []).append(
                response
            )
    kept = sorted(
        (r for r in respondents if r.get("withdrawn_at") is None), key=lambda r: int(r["id"])
    )
    n = len(kept)
    raw_labels: dict[str, list[Any]] = {d: [] for d in STORED_DIMENSIONS}
    fo_mask = np.zeros(n, dtype=np.uint16)
    baseline = np.zeros((len(items), n), dtype=np.int8)
    post = np.zeros((len(items), n), dtype=np.int8)
    retro = np.zeros((len(items), n), dtype=np.bool_)
    pre_rows: list[Mapping[str, Any]] = []
    post_rows: list[Mapping[str, Any]] = []
    then_rows: list[Mapping[str, Any]] = []
    activity_rows: dict[Any, tuple[Any, ...]] = {}
    for row, respondent in enumerate(kept):
        key = respondent["activity"]
        if key not in activity_rows:
            activity = activities.get(key, {})
            activity_rows[key] = tuple(_activity_value(activity, n) for n in ACTIVITY_DIMENSIONS)
        for name, value in zip(ACTIVITY_DIMENSIONS, activity_rows[key], strict=True):
            raw_labels[name].append(value)
        kinds = by_respondent.get(respondent["id"], {})
        pre_response = _latest(kinds.get("pre", ()))
        post_response = _latest(kinds.get("post", ()))
        pre_answers = (pre_response or {}).get("answers") or {}
        post_answers = (post_response or {}).get("answers") or {}
        pre_rows.append(pre_answers)
        post_rows.append(post_answers)
        then_rows.append((post_response or {}).get("then_answers") or {})
        demographics = _demographics(pre_answers, post_answers)
        for name in DEMOGRAPHIC_DIMENSIONS:
            value = demographics.get(name)
            raw_labels[name].append(None if value in (None, "") else str(value))
        any_label, fo_mask[row] = _fo_value(demographics.get(FO_ANY))
        raw_labels[FO_ANY].append(any_label)
    attribution = _answer_column(post_rows, "attribution")
    for i, item in enumerate(items):
        # One column at a time: a comprehension per item is far cheaper than a call per answer.
        before = _answer_column(pre_rows, item)
        then = _answer_column(then_rows, item)
        retro[i] = (before == MISSING) & (then != MISSING)
        baseline[i] = np.where(retro[i], then, before)
        post[i] = _answer_column(post_rows, item)
    vocab: dict[str, tuple[Label, ...]] = {}
    codes: dict[str, Int16Array] = {}
    memberships: dict[str, MaskArray] = {}
    for name, values in raw_labels.items():
        multi = name in MULTI_VALUED_DIMENSIONS
        seen = {v for vs in values for v in vs} if multi else set(values)
        if vocabulary is not None:
            labels = tuple(vocabulary[name])
            unknown = {v for v in seen if v not in labels}
            if unknown:
                raise VocabularyError(f"{name}: new labels {sorted(map(str, unknown))}")
        else:
            labels = (*sorted(v for v in seen if v is not None), None)
        index = {label: code for code, label in enumerate(labels)}
        vocab[name] = labels
        if multi:
            if len(labels) > MAX_MULTI_LABELS:
                raise ValueError(f"{name}: more than {MAX_MULTI_LABELS} labels")
            sets = [[index[v] for v in vs] or [index[None]] for vs in values]
            codes[name] = np.fromiter((min(s) for s in sets), dtype=np.int16, count=n)
            memberships[name] = np.fromiter(
                (sum(1 << c for c in s) for s in sets), dtype=np.uint64, count=n
            )
        else:
            codes[name] = np.fromiter((index[v] for v in values), dtype=np.int16, count=n)
    return AnalysisFrame(
        respondent_ids=np.fromiter((int(r["id"]) for r in kept), dtype=np.int64, count=n),
        codes=codes,
        vocabulary=vocab,
        fo_mask=fo_mask,
        items=items,
        baseline=baseline,
        post=post,
        retrospective=retro,
        attribution=attribution,
        scales=scale_map,
        memberships=memberships,
        item_themes={k: v for k, v in (item_themes or {}).items() if k in items},
    )


def _demographics(pre: Mapping[str, Any], post: Mapping[str, Any]) -> dict[str, Any]:
    """Per demographic question the pre's answer unless blank, else the post's: a blank pre
    answer never hides what the post says (the pre's wins when both are given: it is the
    self-description before the project)."""
    out: dict[str, Any] = {}
    for name in (*DEMOGRAPHIC_DIMENSIONS, FO_ANY):
        value = pre.get(name)
        out[name] = post.get(name) if value in (None, "", [], ()) else value
    return out


def take(frame: AnalysisFrame, rows: npt.NDArray[np.intp]) -> AnalysisFrame:
    """The frame restricted to ``rows`` (in that order)."""
    return AnalysisFrame(
        respondent_ids=frame.respondent_ids[rows],
        codes={name: values[rows] for name, values in frame.codes.items()},
        vocabulary=frame.vocabulary,
        fo_mask=frame.fo_mask[rows],
        items=frame.items,
        baseline=frame.baseline[:, rows],
        post=frame.post[:, rows],
        retrospective=frame.retrospective[:, rows],
        attribution=frame.attribution[rows],
        scales=frame.scales,
        memberships={name: mask[rows] for name, mask in frame.memberships.items()},
        item_themes=frame.item_themes,
    )


class IndicatorLayout(Protocol):
    """What ``indicator_themes`` reads: an ``AnalysisFrame`` or a stored frame's head."""

    @property
    def item_themes(self) -> Mapping[str, str]: ...
    @property
    def scales(self) -> Mapping[str, tuple[str, ...]]: ...


def indicator_themes(frame: IndicatorLayout) -> dict[str, str]:
    """The theme of each indicator (item or scale) of a theme module."""
    out = dict(frame.item_themes)
    for code, members in frame.scales.items():
        if members[0] in frame.item_themes:
            out[code] = frame.item_themes[members[0]]
    return out


def restrict(frame: AnalysisFrame, name: str, code: int) -> AnalysisFrame:
    """The respondents carrying label ``code`` of a multi-valued dimension, as members of that
    label only (so a filter is the same population as the grouping's cell): for ``theme``, the
    answers to other themes' modules are left out."""
    rows = np.flatnonzero(frame.has_label(name, code))
    return _as_label(take(frame, rows), name, np.full(rows.size, code, dtype=np.int16))


def _as_label(frame: AnalysisFrame, name: str, codes: Int16Array) -> AnalysisFrame:
    baseline, post, retro = frame.baseline, frame.post, frame.retrospective
    if name == "theme" and frame.item_themes:
        labels = frame.vocabulary[name]
        baseline, post, retro = baseline.copy(), post.copy(), retro.copy()
        for i, item in enumerate(frame.items):
            theme = frame.item_themes.get(item)
            if theme is None:
                continue
            other = codes != (labels.index(theme) if theme in labels else -1)
            baseline[i, other] = MISSING
            post[i, other] = MISSING
            retro[i, other] = False
    return replace(
        frame,
        codes={**frame.codes, name: codes},
        memberships={
            **frame.memberships,
            name: np.left_shift(np.uint64(1), codes.astype(np.uint64)),
        },
        baseline=baseline,
        post=post,
        retrospective=retro,
    )


def expand(frame: AnalysisFrame, names: Iterable[str]) -> AnalysisFrame:
    """The frame with a row per respondent and label of each multi-valued dimension in
    ``names`` (what a grouping by them counts); single-valued frames are returned as they are."""
    for name in names:
        if name not in frame.memberships:
            continue
        parts = [
            (np.flatnonzero(frame.has_label(name, c)), c) for c in range(len(frame.labels_of(name)))
        ]
        rows = np.concatenate([r for r, _ in parts])
        codes = np.concatenate([np.full(r.size, c, dtype=np.int16) for r, c in parts])
        frame = _as_label(take(frame, rows), name, codes)
    return frame


def concat(frames: Sequence[AnalysisFrame]) -> AnalysisFrame:
    """Frames of the same vocabulary, items and scales stacked and re-sorted by respondent."""
    first = frames[0]
    for other in frames[1:]:
        if (other.vocabulary, other.items, other.scales) != (
            first.vocabulary,
            first.items,
            first.scales,
        ):
            raise VocabularyError("frames of different vocabularies cannot be combined")
    ids = np.concatenate([f.respondent_ids for f in frames])
    stacked = AnalysisFrame(
        respondent_ids=ids,
        codes={name: np.concatenate([f.codes[name] for f in frames]) for name in first.codes},
        vocabulary=first.vocabulary,
        fo_mask=np.concatenate([f.fo_mask for f in frames]),
        items=first.items,
        baseline=np.concatenate([f.baseline for f in frames], axis=1),
        post=np.concatenate([f.post for f in frames], axis=1),
        retrospective=np.concatenate([f.retrospective for f in frames], axis=1),
        attribution=np.concatenate([f.attribution for f in frames]),
        scales=first.scales,
        # a frame stored before theme and network were multi-valued: one label each
        memberships={
            name: np.concatenate([f.membership(name) for f in frames])
            for name in sorted({name for f in frames for name in f.memberships})
        },
        item_themes=first.item_themes,
    )
    return take(stacked, np.argsort(ids, kind="stable"))
