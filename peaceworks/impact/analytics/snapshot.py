"""Snapshots of additive per-cell sums, refreshed in full or folded incrementally.

``refresh(frame, bys)`` computes the sums of every grouping from scratch. ``fold(snapshot, batch,
withdrawn=...)`` applies a batch: ``batch`` is the *current* state of every respondent touched by
new responses (built with ``build_frame(..., vocabulary=snapshot.vocabulary)`` from those
respondents' rows only), ``withdrawn`` the ids of respondents who withdrew. Each grouping's sums
become ``sums - old contribution + new contribution`` of just those respondents, so a fold costs
what the batch costs, not what the history costs.

What is incremental and what is recomputed:

- incremental (exact, from sums): every item statistic — n, counts, rates, means, change and its
  CI, d_z, % improved, top-2-box, ceiling, mean attribution, and the Wilcoxon r of items (from the
  histogram of integer differences); for scales, the same, including Cronbach's alpha (from Σx_j,
  Σx_j², ΣT, ΣT²);
- also incremental: the Wilcoxon r of multi-item scales. A scale score times ``sums.scale_unit(k)``
  is an integer, so differences have a per-cell histogram (additive, exact ranks);
- recomputed: only for very long scales whose difference histogram would exceed
  ``sums.DIFF_HIST_LIMIT`` counters, a fold re-ranks the scale scores over the whole
  (materialised) frame — O(respondents);
- rebuilt: a batch with a label the snapshot has never seen (a new country, a new theme) raises
  ``VocabularyError``; the caller then runs ``refresh`` on a freshly built frame.

The snapshot keeps its base frame and the batches folded since (``overlays``), newest last, so the
next fold can find each respondent's previous state without copying the base; ``materialise``
merges them (a full refresh does too).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from .engine import IndicatorTable, table_from_sums
from .frame import AnalysisFrame, Label, Vocabulary, VocabularyError, concat, expand, take
from .stats import wilcoxon_z_grouped
from .sums import TableSums, compute_sums, group_index, scale_scores

IdArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Snapshot:
    bys: tuple[tuple[str, ...], ...]
    base: AnalysisFrame
    overlays: tuple[AnalysisFrame, ...]
    removed: IdArray  # ids withdrawn since the base, sorted
    sums: tuple[TableSums, ...]

    @property
    def vocabulary(self) -> Vocabulary:
        return self.base.vocabulary

    def tables(
        self,
        *,
        floor: int | None,
        invited: Mapping[tuple[str, ...], Mapping[tuple[Label, ...], int]] | None = None,
    ) -> tuple[IndicatorTable, ...]:
        """The groupings' indicator tables, derived from the sums (no pass over respondents)."""
        indicators = (*self.base.items, *self.base.scales)
        sizes = [len(m) for m in self.base.scales.values()]
        return tuple(
            table_from_sums(
                sums,
                [self.base.labels_of(name) for name in sums.by],
                indicators,
                sizes,
                floor=floor,
                invited=(invited or {}).get(sums.by),
            )
            for sums in self.sums
        )


def refresh(frame: AnalysisFrame, bys: Sequence[Sequence[str]]) -> Snapshot:
    """A snapshot computed from scratch."""
    return Snapshot(
        bys=tuple(tuple(by) for by in bys),
        base=frame,
        overlays=(),
        removed=np.zeros(0, dtype=np.int64),
        sums=compute_sums(frame, bys),
    )


def _found(ids: IdArray, wanted: IdArray) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.intp]]:
    """For each wanted id: is it in the sorted ``ids``, and at which row."""
    rows = np.searchsorted(ids, wanted)
    inside = rows < ids.size
    hit = np.zeros(wanted.size, dtype=np.bool_)
    hit[inside] = ids[rows[inside]] == wanted[inside]
    return hit, rows


def current_rows(snapshot: Snapshot, ids: IdArray) -> AnalysisFrame:
    """The latest known state of those of ``ids`` the snapshot counts."""
    pending = np.unique(ids)
    hit, _ = _found(snapshot.removed, pending)
    pending = pending[~hit]
    parts = []
    for frame in (*reversed(snapshot.overlays), snapshot.base):
        hit, rows = _found(frame.respondent_ids, pending)
        if hit.any():
            parts.append(take(frame, rows[hit]))
        pending = pending[~hit]
    if not parts:
        return take(snapshot.base, np.zeros(0, dtype=np.intp))
    return concat(parts)


def materialise(snapshot: Snapshot) -> AnalysisFrame:
    """The snapshot's current frame: base and overlays merged, withdrawn respondents removed."""
    if not snapshot.overlays and snapshot.removed.size == 0:
        return snapshot.base
    superseded = np.concatenate([snapshot.removed, *(f.respondent_ids for f in snapshot.overlays)])
    keep_base = ~np.isin(snapshot.base.respondent_ids, superseded)
    latest = current_rows(
        snapshot,
        np.concatenate([f.respondent_ids for f in snapshot.overlays] or [np.zeros(0, np.int64)]),
    )
    return concat([take(snapshot.base, np.flatnonzero(keep_base)), latest])


def compact(snapshot: Snapshot) -> Snapshot:
    """The same snapshot with its overlays merged into the base (O(respondents)): run it now and
    then (e.g. every few hundred folds) so a fold's look-ups stay short. The sums are unchanged."""
    return Snapshot(
        bys=snapshot.bys,
        base=materialise(snapshot),
        overlays=(),
        removed=np.zeros(0, dtype=np.int64),
        sums=snapshot.sums,
    )


def fold(snapshot: Snapshot, batch: AnalysisFrame, *, withdrawn: Sequence[int] = ()) -> Snapshot:
    """Apply a batch of respondents' new states (and withdrawals) to the snapshot's sums."""
    if (batch.vocabulary, batch.items, batch.scales) != (
        snapshot.base.vocabulary,
        snapshot.base.items,
        snapshot.base.scales,
    ):
        raise VocabularyError("the batch was not built with the snapshot's vocabulary")
    gone = np.asarray(sorted(set(withdrawn)), dtype=np.int64)
    keep = ~np.isin(batch.respondent_ids, gone)
    batch = take(batch, np.flatnonzero(keep))
    old = current_rows(snapshot, np.concatenate([batch.respondent_ids, gone]))
    old_sums = compute_sums(old, snapshot.bys)
    new_sums = compute_sums(batch, snapshot.bys)
    sums = tuple(
        s.plus(o, -1).plus(n) for s, o, n in zip(snapshot.sums, old_sums, new_sums, strict=True)
    )
    folded = Snapshot(
        bys=snapshot.bys,
        base=snapshot.base,
        overlays=(*snapshot.overlays, batch) if batch.size else snapshot.overlays,
        removed=np.union1d(snapshot.removed, gone),
        sums=sums,
    )
    if any(not h.shape[1] for table in sums for h in table.scale_diff_hist):
        folded = replace(folded, sums=_rerank_scales(materialise(folded), folded.sums))
    return folded


def _rerank_scales(frame: AnalysisFrame, sums: tuple[TableSums, ...]) -> tuple[TableSums, ...]:
    out = []
    for table in sums:
        grouped = expand(frame, table.by)  # a respondent once per theme, network (if grouped)
        scores = [scale_scores(grouped, members) for members in grouped.scales.values()]
        g, shape = group_index(grouped, table.by)
        wilcoxon = np.zeros_like(table.scale_wilcoxon)
        for s, (base, post, _) in enumerate(scores):
            if table.scale_diff_hist[s].shape[1]:
                continue  # exact and additive: folded with the other sums
            paired = ~np.isnan(base) & ~np.isnan(post)
            z, nz = wilcoxon_z_grouped(
                g[paired].astype(np.intp), (post - base)[paired], int(np.prod(shape))
            )
            wilcoxon[s, :, 0], wilcoxon[s, :, 1] = z, nz
        out.append(replace(table, scale_wilcoxon=wilcoxon))
    return tuple(out)
