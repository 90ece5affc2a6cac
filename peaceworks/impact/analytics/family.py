"""One suppression for the whole family of figures a viewer can obtain.

Every view the pages, downloads and API offer is a slice of one table of the *family*: the total,
every one-way table and every two-way table over ``DIMENSIONS`` (a filter counts as a dimension,
so ``by`` and filters together name at most ``MAX_VIEW_DIMENSIONS``). The family is protected
jointly, once per snapshot and floor (``protect_family``):

1. primary: in every table, an indicator's cell is hidden when any count it shows (pairs,
   baseline answers, post answers) is between 1 and the floor less one; the attribution answers
   of a cell are a row of their own, judged the same way;
2. complementary, across linked tables: a two-way table's row (the cells that differ only in one
   dimension) adds up to a cell of the one-way table of the other dimension, and a one-way table
   to the total. In every such relation, for each kind of count, the unknowns are its hidden
   cells that hold people plus the margin when the margin is hidden; a relation with exactly one
   unknown would give it away, so the smallest visible sibling is hidden too — or, when there is
   none, the margin, which is then protected in its own table. Likewise when the hidden cells
   of a visible margin hold fewer people than the floor together (the margin less the visible
   cells would show that small group). Repeated until nothing changes.

A multi-valued dimension (``frame.MULTI_VALUED_DIMENSIONS``: theme, network) is counted as the
published tables count it: a respondent under each of its labels (``frame.expand``), and an
indicator of a theme module only under its own theme. Its cells may overlap, so their sum need not
be the margin, and any of them may equal it: unless the cells of a relation add up to its margin
exactly, the relation is protected conservatively — when the margin is hidden, every cell of the
group is hidden with it; a lone hidden cell still takes its smallest sibling with it.

3. audit: when the family is small enough (``AUDIT_LIMIT``), every hidden count of 1 to the floor
   less one is checked against all visible cells as linear equations over the atoms (respondents
   alike on every dimension, on the whole set of labels of a multi-valued one); a count that
   follows from them gets the visible cell that weighs most in its derivation hidden, and the
   family is protected again.

The published floor's family starts from the coordinators' hidden cells, so everything a
stakeholder sees is also visible to coordinators and the two families cannot be played against
each other. Nothing is perturbed: a visible figure is exact.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt

from .frame import DIMENSIONS, MISSING, AnalysisFrame, _as_label, indicator_themes
from .sums import grid_shape, scale_scores

MAX_VIEW_DIMENSIONS = 2
#: The kinds of count a cell shows, in the order of ``FamilyTable.counts``.
KINDS = ("n", "n_pre", "n_post")

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Key = tuple[str, ...]


@dataclass(frozen=True)
class FamilyTable:
    """One table of the family: its non-empty cells (dense mixed-radix numbers over ``shape``,
    ascending), their counts (kinds, rows, cells) and the hidden mask (rows, cells). Rows are the
    frame's indicators, then the attribution answers."""

    dims: Key
    shape: tuple[int, ...]
    cells: npt.NDArray[np.int64]
    counts: FloatArray
    hidden: BoolArray

    def hidden_at(self, dense: npt.NDArray[np.int64]) -> BoolArray:
        """The hidden mask (rows, len(dense)) of the given non-empty cells."""
        at = np.searchsorted(self.cells, dense)
        if dense.size and (at.max() >= self.cells.size or (self.cells[at] != dense).any()):
            raise ValueError("a cell of the view is not a non-empty cell of the family")
        return self.hidden[:, at]


@dataclass(frozen=True)
class Family:
    floor: int
    tables: Mapping[Key, FamilyTable]
    #: the relations of ``tables`` (``_relations``) and the multi-valued dimensions they were
    #: found with, when built here: a higher floor's family built from this one reuses them
    #: (they depend on the cells and counts only); None when read back from storage
    relations: tuple[frozenset[str], Sequence[_Relation]] | None = field(
        default=None, repr=False, compare=False
    )

    def table(self, dims: Sequence[str]) -> FamilyTable:
        return self.tables[canonical(dims)]


def canonical(dims: Sequence[str]) -> Key:
    """A set of dimensions in ``DIMENSIONS`` order: the key of its table in the family."""
    return tuple(sorted(set(dims), key=DIMENSIONS.index))


def family_keys(dimensions: Sequence[str] = DIMENSIONS) -> Iterator[Key]:
    yield ()
    for size in range(1, MAX_VIEW_DIMENSIONS + 1):
        yield from combinations(canonical(dimensions), size)


def respondent_weights(frame: AnalysisFrame) -> FloatArray:
    """(respondents, kinds * rows): 1 where the respondent counts in a kind of a row — exactly
    the counts the engine derives (items: answered; scales: scored; pairs: both sides)."""
    # C order: a sparse product copies a transposed (Fortran-ordered) operand at every call
    return np.ascontiguousarray(_counted(frame).T, dtype=np.float64)


def _counted(frame: AnalysisFrame) -> BoolArray:
    """``respondent_weights`` transposed, as booleans: (kinds * rows, respondents)."""
    rows = len(frame.items) + len(frame.scales) + 1
    # written in place, row by row (stacking the rows, then the kinds, copied them twice)
    kinds = np.empty((len(KINDS), rows, frame.size), dtype=np.bool_)
    pre, post = kinds[1], kinds[2]
    if frame.items:
        np.not_equal(frame.baseline, MISSING, out=pre[: len(frame.items)])
        np.not_equal(frame.post, MISSING, out=post[: len(frame.items)])
    for r, members in enumerate(frame.scales.values(), start=len(frame.items)):
        base, after, _ = scale_scores(frame, members)
        np.logical_not(np.isnan(base), out=pre[r])
        np.logical_not(np.isnan(after), out=post[r])
    np.not_equal(frame.attribution, MISSING, out=pre[-1])
    post[-1] = pre[-1]
    np.logical_and(pre, post, out=kinds[0])
    return kinds.reshape(-1, frame.size)


#: ``_alike`` ranks its rows' numbers by a table over their range while the range is at most
#: this many times the rows (a sort beyond).
DENSE_ALIKE = 4

#: Respondents x columns counted with one ``bincount`` of a packed byte while the atoms times
#: 256 bins stay under this; beyond it, one weighted ``bincount`` per column.
PACKED_BINS = 1 << 22


def count_family(
    frame: AnalysisFrame, keys: Sequence[Key], multi_valued: frozenset[str]
) -> dict[Key, FamilyTable]:
    """Every table of ``keys``, unprotected, counted from the representation the published
    tables use: a grouping by a multi-valued dimension counts a respondent under each of its
    labels (``expand``), and an indicator of a theme module only under its own theme.

    The respondents are summed once into atoms, alike on every dimension of the tables (on the
    whole set of labels of a multi-valued one); the expansion over the labels of a multi-valued
    dimension is then made of the atoms, not of the respondents (an atom's people all carry the
    same labels, and the theme rule drops the same rows of all of them), and each table adds up
    atoms: time and memory follow the number of cells, and the frame is read once."""
    shared: dict[Key, list[Key]] = {}
    for key in keys:
        multi = tuple(d for d in key if d in multi_valued and d in frame.memberships)
        shared.setdefault(multi, []).append(key)
    everything = sorted({d for key in keys for d in key}, key=DIMENSIONS.index)
    atoms = _LabelledAtoms.of(frame, everything, {d for m in shared for d in m})
    out = {}
    for multi, members in shared.items():
        dims = sorted({d for key in members for d in key}, key=DIMENSIONS.index)
        codes, weights = atoms.expanded(multi, dims)
        found, summed = _sum_alike(codes, weights)
        for key in members:
            out[key] = _table_of_atoms(frame, key, dims, found, summed)
    return out


@dataclass(frozen=True)
class _LabelledAtoms:
    """The frame's respondents summed into atoms over ``dims``: ``codes`` (atoms, dims) holds a
    single-valued dimension's code, or for a multi-valued one (``masks``) the index of the
    atom's set of labels in ``masks[dim]``; ``weights`` (atoms, columns) the people of each atom
    counted in each kind and row (``respondent_weights``' columns), then ``theme_scales``' extra
    columns: the counts of a scale whose items belong to several themes, as counted under one
    of them (its other items left out)."""

    frame: AnalysisFrame
    dims: tuple[str, ...]
    codes: IntArray
    masks: Mapping[str, npt.NDArray[np.uint64]]
    weights: FloatArray
    #: (theme code, scale number) -> first of its three columns (kinds) in ``weights``
    theme_scales: Mapping[tuple[int, int], int]

    @classmethod
    def of(
        cls, frame: AnalysisFrame, dims: Sequence[str], multi: Collection[str]
    ) -> _LabelledAtoms:
        if frame.size == 0:
            empty = respondent_weights(frame)  # as every count of an empty frame has done
            return cls(frame, tuple(dims), np.zeros((0, len(dims)), np.int64), {}, empty, {})
        columns: list[npt.NDArray[np.integer[Any]]] = []
        masks: dict[str, npt.NDArray[np.uint64]] = {}
        for d in dims:
            if d in multi:
                sets = frame.memberships[d]
                first, at = _first_and_rank(sets.view(np.int64) if sets.max() < 2**63 else sets)
                masks[d] = sets[first]
                columns.append(at)
            else:
                columns.append(frame.dimension_codes(d))
        found, inverse = _alike_columns(columns, frame.size)
        counted = _counted(frame)
        theme_scales: dict[tuple[int, int], int] = {}
        extra: list[BoolArray] = []
        if "theme" in multi:
            for (label, number), column in _mixed_theme_scales(frame).items():
                theme_scales[(label, number)] = counted.shape[0] + 3 * len(extra)
                extra.append(column)
        flags = np.concatenate([counted, *extra]) if extra else counted
        weights = _count_by(inverse, found.shape[0], flags)
        return cls(frame, tuple(dims), found, masks, weights, theme_scales)

    def expanded(self, multi: Key, dims: Sequence[str]) -> tuple[IntArray, FloatArray]:
        """The atoms over ``dims`` with a row per label of each dimension of ``multi`` (the
        label's code in its column) and the weights of ``respondent_weights`` under it."""
        codes, weights = self.codes, self.weights
        # respondent_weights' columns: kinds x (items, scales, attribution)
        plain = len(KINDS) * (len(self.frame.items) + len(self.frame.scales) + 1)
        for name in multi:
            column = self.dims.index(name)
            sets = self.masks[name][codes[:, column]]
            parts_codes, parts_weights = [], []
            for code in range(len(self.frame.labels_of(name))):
                at = np.flatnonzero((sets >> np.uint64(code)) & np.uint64(1))
                if not at.size:
                    continue
                labelled = codes[at]
                labelled[:, column] = code
                parts_codes.append(labelled)
                part = weights[at]
                if name == "theme" and self.frame.item_themes:
                    part = self._under_theme(part, code)
                parts_weights.append(part)
            codes = np.concatenate(parts_codes)
            weights = np.concatenate(parts_weights)
        picked = [self.dims.index(d) for d in dims]
        return codes[:, picked], np.ascontiguousarray(weights[:, :plain])

    def _under_theme(self, weights: FloatArray, code: int) -> FloatArray:
        """``weights``' plain columns as counted under theme ``code`` (``frame._as_label``):
        the rows of another theme's module are left out."""
        frame = self.frame
        kept = _theme_rows(frame, code)
        n_rows = kept.size
        part = weights[:, : len(KINDS) * n_rows] * np.tile(kept, len(KINDS))
        for (label, number), first in self.theme_scales.items():
            if label != code:
                continue
            row = len(frame.items) + number
            for kind in range(len(KINDS)):
                part[:, kind * n_rows + row] = weights[:, first + kind]
        return part


def _theme_rows(frame: AnalysisFrame, code: int) -> BoolArray:
    """Per row of ``respondent_weights`` (items, scales, attribution): whether it keeps its
    counts under theme ``code`` — an item of another theme's module is left out, a scale when
    all its items are (a scale of items of several themes: ``_mixed_theme_scales``)."""
    labels = frame.vocabulary["theme"]
    own = [frame.item_themes.get(item) for item in frame.items]
    items = np.array(
        [t is None or (t in labels and labels.index(t) == code) for t in own], dtype=np.bool_
    )
    scales = [
        bool(items[[frame.items.index(m) for m in members]].all())
        for members in frame.scales.values()
    ]
    return np.concatenate([items, np.array(scales, dtype=np.bool_), [True]])


def _mixed_theme_scales(frame: AnalysisFrame) -> dict[tuple[int, int], BoolArray]:
    """Per theme code and scale whose items are partly left out under it: the scale's counts
    (kinds, respondents) as ``_counted`` derives them from the frame under that theme."""
    out: dict[tuple[int, int], BoolArray] = {}
    if not frame.item_themes:
        return out
    for code in range(len(frame.labels_of("theme"))):
        kept = _theme_rows(frame, code)[: len(frame.items)]
        mixed = [
            number
            for number, members in enumerate(frame.scales.values())
            if len({bool(kept[frame.items.index(m)]) for m in members}) > 1
        ]
        if not mixed:
            continue
        under = _as_label(frame, "theme", np.full(frame.size, code, dtype=np.int16))
        members_of = list(frame.scales.values())
        for number in mixed:
            base, post, _ = scale_scores(under, members_of[number])
            pre, after = ~np.isnan(base), ~np.isnan(post)
            out[(code, number)] = np.stack([pre & after, pre, after])
    return out


def _count_by(inverse: IntArray, size: int, flags: BoolArray) -> FloatArray:
    """(size, columns): per atom (``inverse``: each respondent's), the respondents flagged in
    each row of ``flags`` (columns, respondents)."""
    out = np.zeros((size, flags.shape[0]), dtype=np.float64)
    if size * 256 > PACKED_BINS:
        for j, column in enumerate(flags):
            out[:, j] = np.bincount(inverse, weights=column, minlength=size)
        return out
    # eight columns a pass: a byte per respondent, one bincount of (atom, byte), then each
    # bit's people per atom from the 256 counts
    bits = ((np.arange(256)[:, None] >> np.arange(8)[None, :]) & 1).astype(np.float64)
    shifted = inverse * 256
    for start in range(0, flags.shape[0], 8):
        block = flags[start : start + 8]
        byte = np.zeros(flags.shape[1], dtype=np.uint8)
        for k, column in enumerate(block):
            byte |= column.view(np.uint8) << np.uint8(k)
        hist = np.bincount(shifted + byte, minlength=size * 256).reshape(size, 256)
        out[:, start : start + block.shape[0]] = (hist @ bits)[:, : block.shape[0]]
    return out


def _sum_alike(codes: IntArray, weights: FloatArray) -> tuple[IntArray, FloatArray]:
    """The distinct rows of ``codes`` and the sum of the weights of each."""
    from scipy import sparse

    unique, inverse = _alike(codes)
    gather = sparse.csr_matrix(
        (np.ones(codes.shape[0]), (inverse, np.arange(codes.shape[0]))),
        shape=(unique.shape[0], codes.shape[0]),
    )
    return unique, np.ascontiguousarray(gather @ weights, dtype=np.float64)


def _alike(codes: IntArray) -> tuple[IntArray, IntArray]:
    """The distinct rows of ``codes`` and the index of each row's among them."""
    return _alike_columns(list(codes.T), codes.shape[0])


def _alike_columns(
    columns: Sequence[npt.NDArray[np.integer[Any]]], size: int
) -> tuple[IntArray, IntArray]:
    """``_alike`` of the rows whose columns are ``columns`` (``size`` rows), the rows never
    laid out as one array: the distinct rows (int64) and the index of each row's among them."""
    # one int64 per row, mixed-radix, made dense again before it could overflow (a sort of
    # rows, ``np.unique(axis=0)``, costs several times more)
    combined = np.zeros(size, dtype=np.int64)
    for column in columns:
        radix = int(column.max(initial=0)) + 1
        if int(combined.max(initial=0)) >= (2**62) // radix:
            combined = np.unique(combined, return_inverse=True)[1].reshape(-1).astype(np.int64)
        combined *= radix
        combined += column
    first, inverse = _first_and_rank(combined)
    found = [np.asarray(column[first], dtype=np.int64) for column in columns]
    return (
        np.stack(found, axis=1) if found else np.zeros((first.size, 0), np.int64),
        inverse,
    )


def _first_and_rank(values: npt.NDArray[np.integer[Any]]) -> tuple[IntArray, IntArray]:
    """A row of each distinct value of ``values`` (non-negative), in ascending order of the
    values, and each row's value's rank among them: ``np.unique``'s ``return_index`` (up to
    which row of a value is named) and ``return_inverse``."""
    span = int(values.max(initial=0)) + 1
    if values.size and span <= DENSE_ALIKE * values.size:
        # few possible numbers (a frame's dimensions have few labels): each one's rank among
        # those present by a table over the whole range, no sort — the same ascending order and
        # the same ranks as ``np.unique``
        present = np.zeros(span, dtype=np.bool_)
        present[values] = True
        rank = np.cumsum(present, dtype=np.int64) - 1
        inverse = rank[values]
        first = np.empty(int(rank[-1]) + 1, dtype=np.int64)
        first[inverse] = np.arange(inverse.size, dtype=np.int64)
        return first, inverse
    _, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    return first.astype(np.int64), inverse.reshape(-1).astype(np.int64)


def _table_of_atoms(
    frame: AnalysisFrame, key: Key, dims: Sequence[str], atoms: IntArray, weights: FloatArray
) -> FamilyTable:
    """The table ``key`` of the family, unprotected (nothing hidden yet), from atoms over
    ``dims`` (every atom holds someone, so a cell with an atom is non-empty)."""
    shape = grid_shape(frame, key)
    dense = np.zeros(atoms.shape[0], dtype=np.int64)
    for name, size in zip(key, shape, strict=True):
        dense = dense * size + atoms[:, dims.index(name)]
    order = np.argsort(dense, kind="stable")
    ordered = dense[order]
    first = np.ones(ordered.size, dtype=np.bool_)
    first[1:] = ordered[1:] != ordered[:-1]
    cells = ordered[first]
    # each cell's atoms summed in one pass over the atoms sorted by cell: a sparse product
    # costs more to build than to run at the family's hundreds of small tables (the sums are
    # of whole numbers, exact in any order)
    summed = np.add.reduceat(weights[order], np.flatnonzero(first), axis=0)
    rows = weights.shape[1] // len(KINDS)
    counts = summed.T.reshape(len(KINDS), rows, cells.size)
    return FamilyTable(
        key, shape, cells.astype(np.int64), counts, np.zeros(counts.shape[1:], dtype=np.bool_)
    )


@dataclass(frozen=True)
class _Relation:
    """Cells of ``key`` grouped by the code of every dimension but ``dim``: each group adds up
    to cell ``margin_at[group]`` of table ``margin`` when ``linked``."""

    key: Key
    group: npt.NDArray[np.int64]  # (cells,) group number
    n_groups: int
    margin: Key
    margin_at: npt.NDArray[np.int64]  # (groups,) index of the margin cell
    linked: bool
    # what every settle of the relation reads and no settle changes, found once
    present: BoolArray  # (kinds, rows, cells) the cell holds people
    margin_present: BoolArray  # (kinds, rows, groups) the group's margin cell holds people
    # for ``_held`` and ``_settles_needed``, every kind at once: the cells' presence and
    # their people as floats (2 * kinds, rows, cells), each one's slot among (2 * kinds, rows,
    # groups), and the present cells of each group (kinds, rows, groups)
    weighed: FloatArray
    slots: npt.NDArray[np.int64]
    group_present: FloatArray


def _relations(tables: Mapping[Key, FamilyTable], multi_valued: frozenset[str]) -> list[_Relation]:
    """The relations of the family. One along a multi-valued dimension is linked only when its
    cells add up to their margin exactly, in every row and kind (every respondent carries one
    label, and no theme module's indicator is left out of a cell): then it is a sum like any
    other."""
    out = []
    present = {key: table.counts > 0 for key, table in tables.items()}
    for key, table in tables.items():
        if not key:
            continue
        digits = _digits(table.cells, table.shape)
        rows = table.counts.shape[1]
        for j, dim in enumerate(key):
            margin_key = key[:j] + key[j + 1 :]
            margin = tables[margin_key]
            dense = np.zeros(table.cells.size, dtype=np.int64)
            for k, size in enumerate(table.shape):
                if k != j:
                    dense = dense * size + digits[:, k]
            first, group = _first_and_rank(dense)  # ``np.unique``'s, without its sort
            groups = dense[first]
            margin_at = np.searchsorted(margin.cells, groups).astype(np.int64)
            linked = dim not in multi_valued or _adds_up(
                table, group, groups.size, margin, margin_at
            )
            slot = np.arange(rows, dtype=np.int64)[:, None] * groups.size + group[None, :]
            weighed = np.concatenate([present[key], present[key] * table.counts]).astype(np.float64)
            slots = (
                np.arange(2 * len(KINDS), dtype=np.int64)[:, None] * (rows * groups.size)
                + slot.ravel()[None, :]
            ).ravel()
            group_present = (
                np.bincount(
                    slots[: slots.size // 2],
                    weights=weighed[: len(KINDS)].ravel(),
                    minlength=len(KINDS) * rows * groups.size,
                )
                .reshape(len(KINDS), rows, groups.size)
                .astype(np.float64, copy=False)
            )
            out.append(
                _Relation(
                    key,
                    group,
                    int(groups.size),
                    margin_key,
                    margin_at,
                    linked,
                    present[key],
                    present[margin_key][:, :, margin_at],
                    weighed,
                    slots,
                    group_present,
                )
            )
    return out


def _adds_up(
    table: FamilyTable,
    group: npt.NDArray[np.int64],
    n_groups: int,
    margin: FamilyTable,
    margin_at: npt.NDArray[np.int64],
) -> bool:
    flat = table.counts.reshape(-1, group.size)
    # each row's cells summed per group in one bincount (whole numbers: exact in any order)
    slot = (np.arange(flat.shape[0], dtype=np.int64)[:, None] * n_groups + group).ravel()
    sums = np.bincount(slot, weights=flat.ravel(), minlength=flat.shape[0] * n_groups)
    wanted = margin.counts[:, :, margin_at].reshape(flat.shape[0], n_groups)
    return bool(np.array_equal(sums.reshape(wanted.shape), wanted))


def _digits(cells: npt.NDArray[np.int64], shape: tuple[int, ...]) -> npt.NDArray[np.int64]:
    digits = np.zeros((cells.size, len(shape)), dtype=np.int64)
    rest = cells.copy()
    for d in range(len(shape) - 1, -1, -1):
        digits[:, d] = rest % shape[d]
        rest //= shape[d]
    return digits


def judged(counts: FloatArray) -> FloatArray:
    """The count a cell is judged (and chosen as a complement) by: its smallest non-zero."""
    positive = np.where(counts > 0, counts, np.inf)
    smallest = positive.min(axis=0)
    return np.where(np.isfinite(smallest), smallest, 0.0)


def primary_hidden(tables: Mapping[Key, FamilyTable], floor: int) -> dict[Key, BoolArray]:
    """Per table, the cells whose indicator shows a count between 1 and the floor less one."""
    return {
        key: np.asarray(((table.counts > 0) & (table.counts < floor)).any(axis=0))
        for key, table in tables.items()
    }


def protect_family(
    tables: Mapping[Key, FamilyTable],
    floor: int,
    *,
    start: Mapping[Key, BoolArray] | None = None,
    multi_valued: frozenset[str] = frozenset(),
    settled_but: Collection[Key] | None = None,
    relations: Sequence[_Relation] | None = None,
    primary: Mapping[Key, BoolArray] | None = None,
    weight: Mapping[Key, FloatArray] | None = None,
) -> dict[Key, FamilyTable]:
    """The family with its hidden masks: primary, then complementary suppression across the
    linked tables until no relation has a lone unknown (see the module's docstring). ``start``:
    cells hidden already (the coordinators' family when protecting the published floor).
    ``settled_but``: ``start`` is this function's own result for the same tables and floor
    with cells hidden since only in these tables (the audit's), so a relation touching none
    of them has nothing to settle. ``relations``: ``_relations(tables, multi_valued)`` found
    already (they depend on the cells and counts only, never on what is hidden); ``primary``
    (``primary_hidden(tables, floor)``) and ``weight`` (``judged`` of each table's counts)
    likewise."""
    if floor < 1:
        raise ValueError("the floor must be at least 1")
    if primary is None:
        primary = primary_hidden(tables, floor)
    hidden: dict[Key, BoolArray] = {
        key: primary[key] | start[key] if start is not None else primary[key].copy()
        for key in tables
    }
    if weight is None:
        weight = {key: judged(table.counts) for key, table in tables.items()}
    if relations is None:
        relations = _relations(tables, multi_valued)
    # A settle that changed nothing changes nothing again until a mask it reads (its table's or
    # its margin's) changes: it is skipped until then (the same settles change the same cells
    # in the same order as running every one each pass, with most of the calls left out).
    version = dict.fromkeys(tables, 0)
    quiet: dict[tuple[int, int], tuple[int, int]] = {}
    if settled_but is not None:
        for number, rel in enumerate(relations):
            if rel.key not in settled_but and rel.margin not in settled_but:
                for kind in range(len(KINDS)):
                    quiet[(number, kind)] = (0, 0)
    # A pass visits only the relations a change has woken since they were last quiet, in
    # the order of ``relations``: one woken by a change at a later relation waits for the
    # next pass (a pass over every relation would find the others quiet and skip them).
    reading: dict[Key, list[int]] = {key: [] for key in tables}
    keyed: dict[Key, list[int]] = {key: [] for key in tables}
    for number, rel in enumerate(relations):
        reading[rel.key].append(number)
        reading[rel.margin].append(number)
        keyed[rel.key].append(number)
    # per relation asked once: its groups' hidden cells and their people (``_held``), kept up
    # to date with every cell a settle hides in its table (sums of whole numbers: exact)
    held: dict[int, FloatArray] = {}
    pending = [n for n in range(len(relations)) if (n, 0) not in quiet]
    while pending:
        woken: set[int] = set()
        queued = set(pending)
        while pending:
            number = heapq.heappop(pending)
            rel = relations[number]
            # Each relation's kinds are first asked together whether a settle would change
            # anything (``_settles_needed``, exact): a settle found to change nothing is
            # marked quiet without being run, and the first that would change something runs
            # as before, then the kinds after it are asked again on the changed masks.
            kind = 0
            while kind < len(KINDS):
                seen = (version[rel.key], version[rel.margin])
                waiting = [k for k in range(kind, len(KINDS)) if quiet.get((number, k)) != seen]
                if not waiting:
                    break
                if number not in held:
                    held[number] = _held(rel, hidden[rel.key])
                needed = _settles_needed(rel, held[number], hidden, floor)
                kind = next((k for k in waiting if needed[k]), len(KINDS))
                for k in waiting:
                    if k < kind:
                        quiet[(number, k)] = seen
                if kind == len(KINDS):
                    break
                before = (hidden[rel.key].copy(), hidden[rel.margin].copy())
                changes = _settle(rel, kind, hidden, weight, floor, held[number])
                if not changes:
                    quiet[(number, kind)] = seen
                # only the masks it changed: a settle reading neither stays quiet
                touched = []
                if changes & KEY_CHANGED:
                    touched.append((rel.key, before[0]))
                if changes & MARGIN_CHANGED:
                    touched.append((rel.margin, before[1]))
                for key, was in touched:
                    rows, cells = np.nonzero(hidden[key] & ~was)
                    for other in keyed[key]:
                        if other in held:
                            _hide_in(relations[other], held[other], rows, cells)
                    version[key] += 1
                    for other in reading[key]:
                        if other > number:
                            if other not in queued:
                                heapq.heappush(pending, other)
                                queued.add(other)
                        else:
                            woken.add(other)
                kind += 1
        pending = sorted(woken)
    return {
        key: FamilyTable(t.dims, t.shape, t.cells, t.counts, hidden[key])
        for key, t in tables.items()
    }


def _held(rel: _Relation, mask: BoolArray) -> FloatArray:
    """(2 * kinds, rows, groups): per kind, the hidden cells of each group that hold people,
    then the people in them."""
    kinds, rows, groups = rel.group_present.shape
    summed = np.bincount(
        rel.slots, weights=(rel.weighed * mask).ravel(), minlength=2 * kinds * rows * groups
    )
    return summed.reshape(2 * kinds, rows, groups).astype(np.float64, copy=False)


def _hide_in(
    rel: _Relation, held: FloatArray, rows: npt.NDArray[np.intp], cells: npt.NDArray[np.intp]
) -> None:
    """``held`` (``_held``) updated in place for cells (rows, cells) of the relation's table
    newly hidden."""
    if not rows.size:
        return
    sides, n_rows, groups = held.shape
    at = (rows * groups + rel.group[cells])[None, :] + (
        np.arange(sides, dtype=np.int64)[:, None] * (n_rows * groups)
    )
    np.add.at(held.reshape(-1), at.ravel(), rel.weighed[:, rows, cells].ravel())


def _settles_needed(
    rel: _Relation, summed: FloatArray, hidden: Mapping[Key, BoolArray], floor: int
) -> list[bool]:
    """Per kind of count: whether ``_settle`` of the relation would change a mask now, all the
    kinds at once from ``summed`` (``_held`` of its table's mask). Never False where it would:
    what it tests is exactly when ``_settle`` hides something."""
    mask = hidden[rel.key]
    kinds = rel.group_present.shape[0]
    held, mass = summed[:kinds], summed[kinds:]  # hidden cells with people, and their people
    margin_hidden = hidden[rel.margin][:, rel.margin_at]
    visible = rel.group_present > held  # a group with a visible cell holding people
    if rel.linked:
        margin_shown = ~margin_hidden & rel.margin_present
        lone = (held + (margin_hidden & rel.margin_present)) == 1
        lone |= ~margin_hidden & (mass > 0) & (mass < floor)
        # a lone unknown hides a visible sibling, or else the margin
        act = lone & (visible | margin_shown)
    else:
        act = (held == 1) & visible
        # a hidden margin hides its whole group
        spread = margin_hidden[:, rel.group] & rel.present & ~mask
        act = act.reshape(kinds, -1).any(axis=1) | spread.reshape(kinds, -1).any(axis=1)
        return [bool(a) for a in act]
    return [bool(a) for a in act.reshape(kinds, -1).any(axis=1)]


#: What ``_settle`` changed (bits of its result).
KEY_CHANGED, MARGIN_CHANGED = 1, 2


def _settle(
    rel: _Relation,
    kind: int,
    hidden: dict[Key, BoolArray],
    weight: Mapping[Key, FloatArray],
    floor: int,
    summed: FloatArray,
) -> int:
    """One relation, one kind of count: hide a complement where exactly one unknown is left,
    or where the hidden cells of a visible margin add up to fewer people than the floor (the
    margin less the visible cells would show that small group). ``summed``: ``_held`` of the
    relation's table's mask now. Returns which masks it changed: ``KEY_CHANGED`` (its
    table's), ``MARGIN_CHANGED`` (the margin's), or 0."""
    present = rel.present[kind]  # (rows, cells)
    mask = hidden[rel.key]
    rows = present.shape[0]
    if not rel.linked:  # overlapping cells: a hidden margin hides its whole group
        spread = hidden[rel.margin][:, rel.margin_at][:, rel.group] & present & ~mask
        if spread.any():
            mask |= spread
            return KEY_CHANGED
    unknown = summed[kind].copy()  # the group's hidden cells that hold people
    margin_present = rel.margin_present[kind]
    margin_hidden = hidden[rel.margin][:, rel.margin_at]
    if rel.linked:
        unknown += margin_hidden & margin_present
    lone = unknown == 1
    if rel.linked:
        mass = summed[len(KINDS) + kind]  # the people in them
        lone |= ~margin_hidden & (mass > 0) & (mass < floor)
    if not lone.any():
        return 0
    candidate = present & ~mask & lone[:, rel.group]
    flat = np.flatnonzero(candidate.ravel())
    changes = KEY_CHANGED if flat.size else 0
    if flat.size:
        row_of, cell_of = np.divmod(flat, candidate.shape[1])
        key = row_of * rel.n_groups + rel.group[cell_of]
        order = np.lexsort((cell_of, weight[rel.key].ravel()[flat], key))
        flat, key = flat[order], key[order]
        first = np.ones(flat.size, dtype=np.bool_)
        first[1:] = key[1:] != key[:-1]
        mask.flat[flat[first]] = True
        served = np.zeros(rows * rel.n_groups, dtype=np.bool_)
        served[key[first]] = True
        lone &= ~served.reshape(rows, rel.n_groups)
    # no visible sibling: the margin goes, and is protected in its own table
    up = lone & rel.linked & ~margin_hidden & margin_present
    if up.any():
        r, g = np.nonzero(up)
        hidden[rel.margin][r, rel.margin_at[g]] = True
        changes |= MARGIN_CHANGED
    return changes


#: The exact audit runs when atoms times cells stay under this (a dense SVD per indicator and
#: kind of count, repeated until nothing more is hidden); beyond it the relations of
#: ``protect_family`` are the protection. At 3,000,000 a small seeded demo's first figure took
#: minutes of CPU (hundreds of SVDs of thousands of rows); at 300,000 it takes seconds and the
#: differencing attacker's data (``impact/tests/test_differencing.py``) is still audited — with
#: the audit off that test fails.
AUDIT_LIMIT = 300_000


@dataclass(frozen=True)
class Atoms:
    """The finest cells: respondents alike on every dimension of the family (on the whole set
    of labels of a multi-valued one). ``cell[key]``: (atom, cell index in table ``key``, theme
    code of that cell or -1) per pair of an atom and a cell it counts in — several cells per
    atom along a multi-valued dimension; ``counts``: (kinds, rows, atoms); ``row_theme``: per
    row, the theme code an indicator of a theme module counts under only (-1: every theme)."""

    cell: Mapping[Key, tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]]
    counts: FloatArray
    row_theme: npt.NDArray[np.int64]


def atoms_of(
    frame: AnalysisFrame,
    tables: Mapping[Key, FamilyTable],
    weights: FloatArray,
    multi_valued: frozenset[str] = frozenset(),
) -> Atoms:
    dims = sorted({d for key in tables for d in key}, key=DIMENSIONS.index)
    multi = {d for d in dims if d in multi_valued and d in frame.memberships}
    columns = [
        frame.memberships[d].astype(np.int64) if d in multi else frame.dimension_codes(d)
        for d in dims
    ]
    codes = np.stack([c.astype(np.int64) for c in columns], axis=1)
    unique, atom_of = np.unique(codes, axis=0, return_inverse=True)
    atom_of = atom_of.reshape(-1)
    from scipy import sparse

    gather = sparse.csr_matrix(
        (np.ones(frame.size), (atom_of.astype(np.int64), np.arange(frame.size))),
        shape=(unique.shape[0], frame.size),
    )
    per_atom = np.asarray(gather @ weights, dtype=np.float64)
    rows = weights.shape[1] // len(KINDS)
    cell = {}
    for key, table in tables.items():
        atom = np.arange(unique.shape[0], dtype=np.int64)
        dense = np.zeros(atom.size, dtype=np.int64)
        theme = np.full(atom.size, -1, dtype=np.int64)
        for d, size in zip(key, table.shape, strict=True):
            column = unique[:, dims.index(d)]
            if d not in multi:
                atom, dense, theme = atom, dense * size + column[atom], theme
                continue
            parts = [np.flatnonzero((column[atom] >> c) & 1) for c in range(size)]
            label = np.concatenate(
                [np.full(p.size, c, dtype=np.int64) for c, p in enumerate(parts)]
            )
            at = np.concatenate(parts)
            atom, dense = atom[at], dense[at] * size + label
            theme = label if d == "theme" else theme[at]
        cell[key] = (atom, np.searchsorted(table.cells, dense).astype(np.int64), theme)
    return Atoms(
        cell, per_atom.T.reshape(len(KINDS), rows, unique.shape[0]), _row_themes(frame, rows)
    )


def _row_themes(frame: AnalysisFrame, rows: int) -> npt.NDArray[np.int64]:
    """Per row of the family: the theme code of an indicator of a theme module, -2 when that
    theme is not among the frame's labels (it counts under no theme), else -1."""
    out = np.full(rows, -1, dtype=np.int64)
    if "theme" not in frame.memberships:
        return out
    labels = frame.labels_of("theme")
    own = indicator_themes(frame)
    for row, name in enumerate((*frame.items, *frame.scales)):
        if name in own:
            out[row] = labels.index(own[name]) if own[name] in labels else -2
    return out


def audit_family(
    tables: Mapping[Key, FamilyTable],
    atoms: Atoms,
    floor: int,
    memo: dict[tuple[int, int], tuple[bytes, tuple[Key, int, int] | None]] | None = None,
) -> list[tuple[Key, int, int]]:
    """Cells (table, row, cell) to hide so that no hidden count of 1..floor-1 is a linear
    combination of the visible cells (over the atoms holding people of that kind), found one
    per determined cell: the visible cell that weighs most in its derivation. Empty when the
    family is safe.

    The family's tables are laid end to end (each cell at its table's offset, in the order of
    ``tables``), so each row and kind is one system of equations built in one step.

    ``memo``: each row and kind's finding in an earlier audit of the same tables, atoms and
    floor, with the row's hidden cells then: a row hidden alike is not solved again."""
    found: list[tuple[Key, int, int]] = []
    keys = list(tables)
    if not keys:
        return found
    sizes = np.array([tables[key].cells.size for key in keys], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    total = int(offsets[-1])
    # per pair of an atom and a cell it counts in, over every table: its atom, its cell in
    # the tables laid end to end, its theme, and whether its table is grouped by theme
    atom = np.concatenate([atoms.cell[key][0] for key in keys])
    cell = np.concatenate([atoms.cell[key][1] + offsets[i] for i, key in enumerate(keys)])
    theme = np.concatenate([atoms.cell[key][2] for key in keys])
    by_theme = np.concatenate(
        [np.full(atoms.cell[key][0].size, "theme" in key) for key in keys]
    ).astype(bool)
    table_of = np.repeat(np.arange(len(keys)), sizes)
    local = np.arange(total) - offsets[table_of]
    n_rows = atoms.counts.shape[1]
    every_hidden = np.concatenate([tables[key].hidden for key in keys], axis=1)
    every_count = np.concatenate([tables[key].counts for key in keys], axis=2)
    for row in range(n_rows):
        hidden = every_hidden[row]
        counts = every_count[:, row]
        same_theme = ~by_theme | (theme == atoms.row_theme[row])
        state = hidden.tobytes()
        for kind in range(len(KINDS)):
            if memo is not None and memo.get((row, kind), (b"",))[0] == state:
                earlier = memo[(row, kind)][1]
                if earlier is not None:
                    found.append(earlier)
                continue
            if memo is not None:
                memo[(row, kind)] = (state, None)  # replaced below when a cell is found
            held = np.flatnonzero(atoms.counts[kind, row] > 0)
            if held.size == 0 or held.size * total > AUDIT_LIMIT:
                continue
            position = np.full(atoms.counts.shape[2], -1, dtype=np.int64)
            position[held] = np.arange(held.size)
            keep = position[atom] >= 0
            if atoms.row_theme[row] != -1:
                keep &= same_theme  # a module counts under its theme
            # the cells counting a held atom, as equations over the held atoms: the visible
            # ones (``system``) and the hidden small ones (``wanted``), each in cell order
            at_cell, at_atom = cell[keep], position[atom[keep]]
            used = np.zeros(total, dtype=np.bool_)
            used[at_cell] = True
            shown = np.flatnonzero(used & ~hidden)
            small = np.flatnonzero(used & hidden & (counts[kind] < floor))
            if not small.size or not shown.size:
                continue
            system = _equations(shown, at_cell, at_atom, total, held.size)
            wanted = _equations(small, at_cell, at_atom, total, held.size)
            # the row space of the visible cells: a cell counting the same atoms as another
            # adds no equation (several tables often share a cell's people)
            _, singular, basis = np.linalg.svd(_distinct_rows(system)[0], full_matrices=False)
            rank = int((singular > 1e-9 * max(float(singular.max(initial=0)), 1.0)).sum())
            space = basis[:rank]
            # each distinct hidden cell once (a wanted cell's residual is its own row's)
            alike, inverse = _distinct_rows(wanted)
            residual = np.abs(alike - (alike @ space.T) @ space).max(axis=1)
            determined = np.flatnonzero(residual[inverse] < 1e-6)
            if determined.size:
                weights = np.linalg.lstsq(system.T, wanted[determined[0]], rcond=None)[0]
                origin = int(shown[int(np.argmax(np.abs(weights)))])
                found.append((keys[int(table_of[origin])], row, int(local[origin])))
                if memo is not None:
                    memo[(row, kind)] = (state, found[-1])
    return found


def _equations(
    cells: npt.NDArray[np.intp],
    at_cell: npt.NDArray[np.int64],
    at_atom: npt.NDArray[np.int64],
    total: int,
    atoms: int,
) -> FloatArray:
    """(cells, atoms): 1 where a cell of ``cells`` (ascending) counts an atom, from the pairs
    (``at_cell``, ``at_atom``) of every cell of the ``total``."""
    row = np.full(total, -1, dtype=np.int64)
    row[cells] = np.arange(cells.size)
    mine = row[at_cell]
    picked = mine >= 0
    out = np.zeros((cells.size, atoms))
    out[mine[picked], at_atom[picked]] = 1.0
    return out


def _distinct_rows(matrix: FloatArray) -> tuple[FloatArray, npt.NDArray[np.intp]]:
    """The distinct rows of a 0/1 matrix in the order of their first appearance, and the index
    of each row's among them."""
    packed = np.ascontiguousarray(np.packbits(matrix.astype(np.bool_), axis=1))
    keys = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()
    _, first, rank = np.unique(keys, return_index=True, return_inverse=True)
    order = np.argsort(first)
    position = np.empty_like(order)
    position[order] = np.arange(order.size)
    return matrix[first[order]], position[rank.reshape(-1)]


def build_family(
    frame: AnalysisFrame,
    floor: int,
    *,
    start: Family | None = None,
    dimensions: Sequence[str] = DIMENSIONS,
    multi_valued: frozenset[str] = frozenset(),
) -> Family:
    """Count and protect the whole family of ``frame`` at ``floor``; ``start``: a lower floor's
    family whose hidden cells stay hidden (and whose counts are reused)."""
    # one BLAS thread: the family's products and the audit's SVDs are small, and a second
    # thread only spins on a busy machine (the demo's count took twice the CPU with two)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return _build_family(frame, floor, start, dimensions, multi_valued)


def _build_family(
    frame: AnalysisFrame,
    floor: int,
    start: Family | None,
    dimensions: Sequence[str],
    multi_valued: frozenset[str],
) -> Family:
    if start is not None:
        tables: Mapping[Key, FamilyTable] = start.tables
    else:
        tables = count_family(frame, list(family_keys(dimensions)), multi_valued)
    hidden = {key: t.hidden for key, t in start.tables.items()} if start is not None else None
    # past the audit's size the atoms are not worth finding
    auditable = frame.size * len(tables) <= AUDIT_LIMIT
    atoms = atoms_of(frame, tables, respondent_weights(frame), multi_valued) if auditable else None
    settled: set[Key] | None = None
    memo: dict[tuple[int, int], tuple[bytes, tuple[Key, int, int] | None]] = {}
    # found once: the audit's rounds hide cells, the cells and counts stay (a small demo's
    # family took some 70 rounds a floor, each finding them again), and once for the floors
    # built from this one
    if start is not None and start.relations is not None and start.relations[0] == multi_valued:
        relations = start.relations[1]
    else:
        relations = _relations(tables, multi_valued)
    # what each round's protection reads and no round changes, found once
    primary = primary_hidden(tables, floor)
    weight = {key: judged(table.counts) for key, table in tables.items()}
    while True:
        protected = protect_family(
            tables,
            floor,
            start=hidden,
            multi_valued=multi_valued,
            settled_but=settled,
            relations=relations,
            primary=primary,
            weight=weight,
        )
        extra = audit_family(protected, atoms, floor, memo) if atoms is not None else []
        if not extra:
            return Family(floor, protected, (multi_valued, relations))
        hidden = {key: t.hidden.copy() for key, t in protected.items()}
        for key, row, cell in extra:
            hidden[key][row, cell] = True
        settled = {key for key, _, _ in extra}
