"""Small-cell suppression, done by the engine so no page or export can forget it.

Primary: a cell whose count is under the floor is hidden. Complementary: along every dimension of
the grouping, cells that differ only in that dimension form a group whose sum is the total one level
up; when exactly one non-empty cell of a group is hidden, its value would follow from that total
minus the visible siblings, so the smallest visible non-empty sibling is hidden too. This repeats
until no group has a lone hidden cell. A group whose only non-empty cell is hidden has a total equal
to that cell, below the floor too, so the same rule hides the total in the coarser table.

Differencing across tables and filtered views is the family's business: every published view is a
slice of one table of a jointly protected family (``family.py``); this module protects one table.

The floors are constants on purpose: an editor cannot lower them through settings.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

COORDINATOR_MIN_N = 5  # coordinators' own views
PUBLISHED_MIN_N = 10  # anything published or shared outside the network


def suppress(
    counts: npt.NDArray[np.float64],
    cell_codes: npt.NDArray[np.int64],
    shape: tuple[int, ...],
    floor: int,
    also: npt.NDArray[np.bool_] | None = None,
) -> npt.NDArray[np.bool_]:
    """Hidden mask (indicators, cells) for ``counts`` (indicators, cells).

    ``cell_codes`` (cells, dims) holds each listed cell's code per dimension of the grid
    ``shape``; cells with count 0 are empty: never hidden, never chosen as a complement.
    ``also`` marks cells to hide for another reason; their siblings are protected like those of
    small cells.
    """
    if floor < 1:
        raise ValueError("the floor must be at least 1")
    n_ind, n_cells = counts.shape
    present = counts > 0
    hidden = present & (counts < floor)
    if also is not None:
        hidden |= present & also
    if n_cells == 0 or not shape:
        return hidden
    group_ids = []
    for j in range(len(shape)):
        others = np.zeros(n_cells, dtype=np.int64)
        for k, size in enumerate(shape):
            if k != j:
                others = others * size + cell_codes[:, k]
        _, compact = np.unique(others, return_inverse=True)
        group_ids.append(compact.reshape(-1).astype(np.int64))
    rows = np.repeat(np.arange(n_ind, dtype=np.int64), n_cells).reshape(n_ind, n_cells)
    changed = True
    while changed:
        changed = False
        for group in group_ids:
            n_groups = int(group.max()) + 1
            key = rows * n_groups + group[None, :]  # (indicator, group) pairs
            lone = np.bincount(key.ravel(), weights=hidden.ravel(), minlength=n_ind * n_groups) == 1
            candidate = present & ~hidden & lone[key]
            if not candidate.any():
                continue
            flat = np.flatnonzero(candidate.ravel())
            order = np.lexsort((counts.ravel()[flat], key.ravel()[flat]))
            flat = flat[order]
            first = np.ones(flat.size, dtype=np.bool_)
            first[1:] = key.ravel()[flat[1:]] != key.ravel()[flat[:-1]]
            hidden.flat[flat[first]] = True
            changed = True
    return hidden
