"""What the first request of a process needs, prepared when the snapshot is stored.

A fresh process (after a restart, or after a refresh replaced the snapshot) would otherwise
decode the whole frame, sum the page groupings and protect the suppression family before it
could answer the overview: seconds at 1M respondents. ``prepare`` does that work once, in the
refresh task, and ``prepared_to_bytes`` stores it beside the frame in the same row and the same
save (``analytics_snapshot_store``), so it can never describe another frame than the stored one:
a fold stores a new frame and new prepared figures together. The pages read the frame's head
(labels, indicators, size), the groupings' sums and the families at the viewers' floors from it;
anything else (another grouping, a filter) decodes the frame as before.

It keeps the indicator map the frame was built with too (``engine_name``: which engine
indicator each of the framework's indicators reads), so the figures name their indicators as
their frame does, and no request rebuilds the map from the framework (two queries and a pass
over its indicators, on every request before). A framework edited after a refresh shows from
the next one, on every host at once: the map lives in the snapshot's row, not in a process.
Prepared figures stored before the map was kept have none (``Prepared.engine_name`` is None);
their readers build it from the framework as before.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from peaceworks.impact.analytics import COORDINATOR_MIN_N, PUBLISHED_MIN_N, AnalysisFrame
from peaceworks.impact.analytics.family import Family, FamilyTable, build_family
from peaceworks.impact.analytics.frame import (
    MULTI_VALUED_DIMENSIONS,
    Label,
    Vocabulary,
    vocabulary_labels,
)
from peaceworks.impact.analytics.sums import TableSums, compute_sums
from peaceworks.impact.figures.load import arrays_to_bytes, load_arrays

#: The groupings of the campaign overview and of an indicator page as it opens.
PAGE_GROUPINGS: tuple[tuple[str, ...], ...] = (
    (),
    ("country",),
    ("year",),
    ("fewer_opportunities",),
)
#: The floors the viewers read at (``selectors.floor_for``): coordinators', then published.
PREPARED_FLOORS = (COORDINATOR_MIN_N, PUBLISHED_MIN_N)
#: Dimensions whose respondents per label the overview shows (its map).
COUNTED_DIMENSIONS = ("country",)


@dataclass(frozen=True)
class FrameHead:
    """A frame without its respondents: what a page reads besides the figures."""

    vocabulary: Vocabulary
    items: tuple[str, ...]
    scales: Mapping[str, tuple[str, ...]]
    item_themes: Mapping[str, str]
    size: int
    #: respondents per label code of ``COUNTED_DIMENSIONS`` (``AnalysisFrame.label_counts``)
    label_counts: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, frame: AnalysisFrame) -> FrameHead:
        return cls(
            frame.vocabulary,
            frame.items,
            frame.scales,
            frame.item_themes,
            frame.size,
            {
                name: tuple(int(n) for n in frame.label_counts(name))
                for name in COUNTED_DIMENSIONS
                if name in frame.vocabulary and frame.size
            },
        )

    def labels_of(self, name: str) -> tuple[Label, ...]:
        return vocabulary_labels(self.vocabulary, name)


@dataclass(frozen=True)
class Prepared:
    head: FrameHead
    sums: Mapping[tuple[str, ...], TableSums]
    families: Mapping[int, Family]
    #: indicator code -> engine indicator, as the frame was built (``IndicatorMap.engine_name``);
    #: None in prepared figures stored before it was kept
    engine_name: Mapping[str, str] | None = None


def family_at(
    frame: Callable[[], AnalysisFrame], floor: int, families: dict[int, Family]
) -> Family:
    """The protected family at ``floor`` from ``families``, else built (and kept there); the
    published floor's starts from the coordinators' hidden cells. ``frame`` is asked for only
    when something is built."""
    found = families.get(floor)
    if found is None:
        start = family_at(frame, COORDINATOR_MIN_N, families) if floor > COORDINATOR_MIN_N else None
        found = build_family(frame(), floor, start=start, multi_valued=MULTI_VALUED_DIMENSIONS)
        families[floor] = found
    return found


def prepare(frame: AnalysisFrame, *, engine_name: Mapping[str, str]) -> Prepared:
    """The head, the page groupings' sums and the families at ``PREPARED_FLOORS``, with the
    indicator map ``engine_name`` the frame was built with."""
    head = FrameHead.of(frame)
    if frame.size == 0:
        return Prepared(head, {}, {}, dict(engine_name))
    sums = dict(zip(PAGE_GROUPINGS, compute_sums(frame, PAGE_GROUPINGS), strict=True))
    families: dict[int, Family] = {}
    for floor in PREPARED_FLOORS:
        family_at(lambda: frame, floor, families)
    return Prepared(head, sums, families, dict(engine_name))


# Storage: one ``.npz`` (no pickle), its layout in a JSON member -----------------------------

_SUMS_ARRAYS = ("item_hist", "scale_moments", "scale_wilcoxon", "attribution", "respondents")


def prepared_to_bytes(prepared: Prepared) -> bytes:
    head = prepared.head
    arrays: dict[str, Any] = {}
    sums_meta = []
    for s, (by, sums) in enumerate(prepared.sums.items()):
        for name in _SUMS_ARRAYS:
            arrays[f"sums:{s}:{name}"] = getattr(sums, name)
        for j, alpha in enumerate(sums.scale_alpha):
            arrays[f"sums:{s}:alpha:{j}"] = alpha
        for j, hist in enumerate(sums.scale_diff_hist):
            arrays[f"sums:{s}:diff:{j}"] = hist
        sums_meta.append(
            {"by": list(by), "shape": list(sums.shape), "scales": len(sums.scale_alpha)}
        )
    families_meta = []
    for floor, family in prepared.families.items():
        # each table's arrays end to end (a few members, not thousands: every ``.npy`` member
        # costs a header parse when read), cut again at ``size``
        tables = list(family.tables.values())
        arrays[f"family:{floor}:cells"] = np.concatenate([t.cells for t in tables])
        # counts of people: integers, exact in int32 (a frame holds fewer than 2**31 rows)
        arrays[f"family:{floor}:counts"] = np.concatenate(
            [t.counts for t in tables], axis=2
        ).astype(np.int32)
        arrays[f"family:{floor}:hidden"] = np.concatenate([t.hidden for t in tables], axis=1)
        families_meta.append(
            {
                "floor": floor,
                "tables": [
                    {"dims": list(t.dims), "shape": list(t.shape), "size": int(t.cells.size)}
                    for t in tables
                ],
            }
        )
    meta = {
        "head": {
            "vocabulary": {name: list(labels) for name, labels in head.vocabulary.items()},
            "items": list(head.items),
            "scales": {code: list(members) for code, members in head.scales.items()},
            "item_themes": dict(head.item_themes),
            "size": head.size,
            "label_counts": {name: list(n) for name, n in head.label_counts.items()},
        },
        "sums": sums_meta,
        "families": families_meta,
    }
    if prepared.engine_name is not None:
        meta["engine_name"] = dict(prepared.engine_name)
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    return arrays_to_bytes(arrays)


def prepared_from_bytes(data: bytes) -> Prepared:
    stored = load_arrays(data)
    meta = json.loads(stored["meta"].tobytes().decode())
    raw = meta["head"]
    head = FrameHead(
        vocabulary={name: tuple(labels) for name, labels in raw["vocabulary"].items()},
        items=tuple(raw["items"]),
        scales={code: tuple(members) for code, members in raw["scales"].items()},
        item_themes=raw["item_themes"],
        size=int(raw["size"]),
        label_counts={name: tuple(n) for name, n in raw["label_counts"].items()},
    )
    sums: dict[tuple[str, ...], TableSums] = {}
    for s, entry in enumerate(meta["sums"]):
        by = tuple(entry["by"])
        sums[by] = TableSums(
            by=by,
            shape=tuple(entry["shape"]),
            item_hist=stored[f"sums:{s}:item_hist"],
            scale_moments=stored[f"sums:{s}:scale_moments"],
            scale_alpha=tuple(stored[f"sums:{s}:alpha:{j}"] for j in range(entry["scales"])),
            scale_diff_hist=tuple(stored[f"sums:{s}:diff:{j}"] for j in range(entry["scales"])),
            scale_wilcoxon=stored[f"sums:{s}:scale_wilcoxon"],
            attribution=stored[f"sums:{s}:attribution"],
            respondents=stored[f"sums:{s}:respondents"],
        )
    families: dict[int, Family] = {}
    for entry in meta["families"]:
        floor = int(entry["floor"])
        cells = stored[f"family:{floor}:cells"]
        counts = stored[f"family:{floor}:counts"].astype(np.float64)
        hidden = stored[f"family:{floor}:hidden"]
        tables = {}
        start = 0
        for table in entry["tables"]:
            end = start + int(table["size"])
            dims = tuple(table["dims"])
            tables[dims] = FamilyTable(
                dims=dims,
                shape=tuple(table["shape"]),
                cells=cells[start:end],
                counts=counts[:, :, start:end],
                hidden=hidden[:, start:end],
            )
            start = end
        families[floor] = Family(floor, tables)
    engine_name = meta.get("engine_name")  # absent from figures stored before it was kept
    return Prepared(head, sums, families, None if engine_name is None else dict(engine_name))
