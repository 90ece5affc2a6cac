"""Opinion groups: people clustered by how they vote on short statements.

The input is a participants x statements float matrix: ``1.0`` agree, ``-1.0`` disagree, ``0.0``
pass and ``UNSEEN`` (NaN) for a statement the participant was never shown or did not vote on.
An unseen vote is never a pass: pass counts come only from explicit ``0.0``, and the clustering
fills an unseen cell with the statement's mean over the participants who saw it.

The method (the one opinion-mapping tools use, written here from its description):

1. Participants with fewer than ``min_votes`` seen votes (agree, disagree or pass) are set aside:
   too little is known to place them. The default is ``min(7, number of statements)`` (at
   least 1). Their votes still count in each statement's agree / disagree / pass totals.
2. Each unseen cell is filled with its statement's mean vote over the kept participants who saw
   it (0 when none did: the column is then constant and does not move anyone).
3. PCA to two dimensions (eigenvectors of the covariance, each signed so its largest loading is
   positive). A participant's coordinates are then scaled by ``sqrt(statements / seen votes)``,
   because filling with means pulls sparse voters towards the centre.
4. k-means for every k from 2 to 5 (at most participants - 1 and distinct points), each with
   ``n_init`` seeded initialisations; the k with the highest silhouette wins (the smaller k on
   a tie). The silhouette is computed on every participant up to ``SILHOUETTE_SAMPLE``, beyond
   that on a seeded sample of that size. Fewer than three kept participants, or all at one
   point, make a single group.
5. Labels are canonical: group 0 is the largest, ties broken by the group holding the smallest
   participant id. Participants are processed in the order of their ids, so the input's row
   order changes nothing.

Per group, its representative statements: those its members agree (or disagree) with more than
the rest of the room — the ratio of smoothed rates ``(a + 1) / (n + 2)`` in the group over the
rest, kept when a one-sided two-proportion z-test passes ``REPRESENTATIVE_Z`` (90 %).

Per statement, over the groups: ``consensus`` is the product over groups of
``(agrees in group + 1) / (votes in group + 2)`` (votes include passes); ``division`` is the
largest minus the smallest of those smoothed agree rates (0 with a single group).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from . import canonical

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

UNSEEN = math.nan
#: default threshold: a participant is kept with at least min(7, statements) seen votes
DEFAULT_MIN_VOTES = 7
MAX_GROUPS = 5
N_INIT = 10
SILHOUETTE_SAMPLE = 2000
REPRESENTATIVES = 5
#: one-sided 90 % for the two-proportion z-test of a representative statement
REPRESENTATIVE_Z = 1.2816


@dataclass(frozen=True)
class RepresentativeStatement:
    """A statement that sets a group apart. Rates are raw shares of the votes (passes
    included); ``None`` where nobody in the rest of the room voted on it."""

    statement_id: str
    direction: str  # "agree" or "disagree": what the group does more than the rest
    agree_in_group: float
    agree_in_rest: float | None
    disagree_in_group: float
    disagree_in_rest: float | None
    votes_in_group: int
    representativeness: float  # smoothed rate in the group / smoothed rate in the rest


@dataclass(frozen=True)
class GroupSummary:
    index: int
    size: int
    representatives: tuple[RepresentativeStatement, ...]


@dataclass(frozen=True)
class StatementStat:
    """Totals over ALL voters (set-aside participants too); consensus and division over the
    opinion groups (kept participants only)."""

    statement_id: str
    agree: int
    disagree: int
    passes: int
    seen: int
    consensus: float
    division: float
    agree_by_group: tuple[float, ...]  # smoothed (a + 1) / (n + 2), one per group


@dataclass(frozen=True)
class OpinionGroups:
    """``participant_ids``, ``coordinates`` and ``labels`` are aligned, in the input order of
    the kept participants; ``set_aside`` in input order too."""

    participant_ids: tuple[str, ...]
    set_aside: tuple[str, ...]
    min_votes: int
    coordinates: tuple[tuple[float, float], ...]
    labels: tuple[int, ...]
    k: int
    silhouette: float | None
    groups: tuple[GroupSummary, ...]
    statements: tuple[StatementStat, ...]
    seed: int

    def to_json(self) -> bytes:
        """Canonical bytes: the same input and seed give the same bytes."""
        return canonical.dumps(self)

    def group_of(self, participant_id: str) -> int | None:
        """The group of a kept participant, ``None`` if set aside or unknown."""
        try:
            return self.labels[self.participant_ids.index(participant_id)]
        except ValueError:
            return None


def opinion_groups(
    votes: npt.ArrayLike,
    *,
    participant_ids: Sequence[str],
    statement_ids: Sequence[str],
    seed: int = 0,
    min_votes: int | None = None,
    max_groups: int = MAX_GROUPS,
    n_init: int = N_INIT,
    representatives: int = REPRESENTATIVES,
) -> OpinionGroups:
    """Opinion groups of ``votes`` (see the module docstring for the method).

    Raises ``ValueError`` when the matrix is not 2-D, its shape does not match the ids, an id is
    repeated, a value is not 1, -1, 0 or NaN, or ``min_votes`` is below 1.
    """
    matrix = _checked(votes, participant_ids, statement_ids)
    n, m = matrix.shape
    threshold = max(1, min(DEFAULT_MIN_VOTES, m)) if min_votes is None else min_votes
    if threshold < 1:
        raise ValueError("min_votes must be at least 1")
    seen = ~np.isnan(matrix)
    seen_count = seen.sum(axis=1)
    kept_rows = [i for i in range(n) if seen_count[i] >= threshold and m > 0]
    # Canonical processing order: by participant id, so row order changes nothing.
    order = np.array(sorted(kept_rows, key=lambda i: participant_ids[i]), dtype=np.intp)
    x = matrix[order]
    # One thread: k-means on a few thousand 2-D points gains nothing from OpenMP, and on a busy
    # machine its threads oversubscribe the cores (20-50x slower measured).
    with threadpool_limits(limits=1):
        coords = _coordinates(x, seen[order])
        labels, k, silhouette = _cluster(coords, seed=seed, max_groups=max_groups, n_init=n_init)
    stats, groups = _summaries(matrix, x, labels, k, statement_ids, representatives)

    # Back to input order for the aligned outputs.
    position = {int(row): p for p, row in enumerate(order)}
    input_order = sorted(position)
    return OpinionGroups(
        participant_ids=tuple(participant_ids[i] for i in input_order),
        set_aside=tuple(participant_ids[i] for i in range(n) if i not in position),
        min_votes=threshold,
        coordinates=tuple(
            (float(coords[position[i], 0]), float(coords[position[i], 1])) for i in input_order
        ),
        labels=tuple(int(labels[position[i]]) for i in input_order),
        k=k,
        silhouette=silhouette,
        groups=groups,
        statements=stats,
        seed=seed,
    )


def vote_matrix(
    rows: Iterable[tuple[str, str, float]],
    *,
    participant_ids: Sequence[str] | None = None,
    statement_ids: Sequence[str] | None = None,
) -> tuple[FloatArray, tuple[str, ...], tuple[str, ...]]:
    """The ``(votes, participant_ids, statement_ids)`` that ``opinion_groups`` takes, from stored
    rows ``(participant_id, statement_id, vote)`` with vote 1 (agree), -1 (disagree) or 0 (pass).

    Cells without a row are ``UNSEEN``; a later row for the same cell replaces an earlier one (a
    changed vote). Ids default to those in the rows, sorted; given ids fix the order and may
    name participants or statements without votes; a row naming an id outside them, or a vote
    other than 1, -1 or 0, raises ``ValueError``.
    """
    materialised = list(rows)
    people = tuple(participant_ids or sorted({p for p, _, _ in materialised}))
    items = tuple(statement_ids or sorted({s for _, s, _ in materialised}))
    row_of = {p: i for i, p in enumerate(people)}
    column_of = {s: j for j, s in enumerate(items)}
    votes = np.full((len(people), len(items)), UNSEEN)
    for participant, statement, vote in materialised:
        if participant not in row_of or statement not in column_of:
            raise ValueError(
                f"vote of {participant} on {statement}: unknown participant or statement"
            )
        if vote not in (1, -1, 0):
            raise ValueError(f"vote of {participant} on {statement} is {vote}: expected 1, -1 or 0")
        votes[row_of[participant], column_of[statement]] = float(vote)
    return votes, people, items


def _checked(
    votes: npt.ArrayLike, participant_ids: Sequence[str], statement_ids: Sequence[str]
) -> FloatArray:
    matrix = np.asarray(votes, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError("votes must be a participants x statements matrix")
    if matrix.shape != (len(participant_ids), len(statement_ids)):
        raise ValueError(
            f"votes is {matrix.shape[0]} x {matrix.shape[1]} but there are "
            f"{len(participant_ids)} participant ids and {len(statement_ids)} statement ids"
        )
    if len(set(participant_ids)) != len(participant_ids):
        raise ValueError("participant ids must be unique")
    if len(set(statement_ids)) != len(statement_ids):
        raise ValueError("statement ids must be unique")
    valid = np.isnan(matrix) | np.isin(matrix, (-1.0, 0.0, 1.0))
    if not valid.all():
        row, column = np.argwhere(~valid)[0]
        raise ValueError(
            f"vote of {participant_ids[row]} on {statement_ids[column]} is {matrix[row, column]}: "
            "expected 1 (agree), -1 (disagree), 0 (pass) or NaN (unseen)"
        )
    return matrix


def _coordinates(x: FloatArray, seen: npt.NDArray[np.bool_]) -> FloatArray:
    """Two PCA coordinates per row of ``x`` with unseen cells filled by their column's mean."""
    n, m = x.shape
    coords = np.zeros((n, 2))
    if n == 0:
        return coords
    counts = seen.sum(axis=0)
    sums = np.where(seen, x, 0.0).sum(axis=0)
    means = np.divide(sums, counts, out=np.zeros(m), where=counts > 0)
    filled = np.where(seen, x, means)
    centred = filled - filled.mean(axis=0)
    dims = min(2, n, m)
    if m <= n:
        _, vectors = np.linalg.eigh(centred.T @ centred)
        components = vectors[:, ::-1][:, :dims]
    else:  # more statements than people: the Gram matrix is the smaller problem
        _, vectors = np.linalg.eigh(centred @ centred.T)
        top = vectors[:, ::-1][:, :dims]
        components = centred.T @ top
        norms = np.linalg.norm(components, axis=0)
        components = components / np.where(norms > 0, norms, 1.0)
    # A component's sign is arbitrary: make its largest loading positive.
    for d in range(dims):
        column = components[:, d]
        if column[int(np.argmax(np.abs(column)))] < 0:
            components[:, d] = -column
    coords[:, :dims] = centred @ components
    scale: FloatArray = np.sqrt(m / np.maximum(seen.sum(axis=1), 1))
    scaled: FloatArray = coords * scale[:, None]
    return scaled


def _cluster(
    coords: FloatArray, *, seed: int, max_groups: int, n_init: int
) -> tuple[IntArray, int, float | None]:
    from sklearn.cluster import KMeans  # over a second of CPU to import: only when clustering

    n = coords.shape[0]
    single = np.zeros(n, dtype=np.intp)
    if n < 3 or float(np.ptp(coords, axis=0).max()) < 1e-12:
        return single, 1 if n else 0, None
    best: tuple[float, IntArray, int] | None = None
    distinct = len(np.unique(np.round(coords, 9), axis=0))  # no more groups than points
    # The silhouette's distances do not depend on k: computed once, on the sample.
    rows = (
        np.sort(np.random.default_rng(seed).choice(n, size=SILHOUETTE_SAMPLE, replace=False))
        if n > SILHOUETTE_SAMPLE
        else np.arange(n)
    )
    distances = _distances(coords[rows])
    for k in range(2, min(max_groups, n - 1, distinct) + 1):
        found = KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit_predict(coords)
        labels = np.asarray(found, dtype=np.intp)
        if len(np.unique(labels)) < 2:
            continue
        score = _silhouette(distances, labels[rows])
        if best is None or score > best[0] + 1e-12:
            best = (score, labels, k)
    if best is None:
        return single, 1, None
    score, labels, _ = best
    return _canonical_labels(labels), len(np.unique(labels)), score


def _distances(points: FloatArray) -> FloatArray:
    """Euclidean distances between every two rows (clipped at 0 against rounding)."""
    squared = (points * points).sum(axis=1)
    gram = points @ points.T
    result: FloatArray = np.sqrt(np.maximum(squared[:, None] + squared[None, :] - 2 * gram, 0.0))
    np.fill_diagonal(result, 0.0)
    return result


def _silhouette(distances: FloatArray, labels: IntArray) -> float:
    """Mean silhouette (Rousseeuw): ``(b - a) / max(a, b)`` per point, 0 for a point alone in
    its group — the definition scikit-learn's ``silhouette_score`` uses."""
    groups, codes = np.unique(labels, return_inverse=True)
    if len(groups) < 2:
        return 0.0
    onehot = np.zeros((len(labels), len(groups)))
    onehot[np.arange(len(labels)), codes] = 1.0
    sizes = onehot.sum(axis=0)
    sums = distances @ onehot  # per point, its summed distance to each group
    own = sizes[codes]
    inner = np.divide(
        sums[np.arange(len(labels)), codes], own - 1, out=np.zeros(len(labels)), where=own > 1
    )
    means = sums / sizes
    means[np.arange(len(labels)), codes] = np.inf
    nearest = means.min(axis=1)
    spread = np.maximum(inner, nearest)
    score = np.divide(nearest - inner, spread, out=np.zeros(len(labels)), where=spread > 0)
    score[own <= 1] = 0.0
    return float(score.mean())


def _canonical_labels(labels: IntArray) -> IntArray:
    """Group 0 the largest; ties by the smallest row (rows are in participant-id order)."""
    groups = np.unique(labels)
    first = {int(g): int(np.flatnonzero(labels == g)[0]) for g in groups}
    size = {int(g): int((labels == g).sum()) for g in groups}
    ranked = sorted(first, key=lambda g: (-size[g], first[g]))
    mapping = np.zeros(int(groups.max()) + 1, dtype=np.intp)
    for new, old in enumerate(ranked):
        mapping[old] = new
    return mapping[labels]


def _summaries(
    everyone: FloatArray,
    kept: FloatArray,
    labels: IntArray,
    k: int,
    statement_ids: Sequence[str],
    representatives: int,
) -> tuple[tuple[StatementStat, ...], tuple[GroupSummary, ...]]:
    m = everyone.shape[1]
    # Per group g and statement j: agrees, disagrees and votes (passes included; unseen not).
    agree = np.zeros((k, m))
    disagree = np.zeros((k, m))
    voted = np.zeros((k, m))
    for g in range(k):
        rows = kept[labels == g]
        agree[g] = (rows == 1.0).sum(axis=0)
        disagree[g] = (rows == -1.0).sum(axis=0)
        voted[g] = (~np.isnan(rows)).sum(axis=0)
    smoothed = (agree + 1.0) / (voted + 2.0)
    # no groups (nobody kept): no consensus to speak of, NaN (null in JSON)
    consensus = smoothed.prod(axis=0) if k else np.full(m, np.nan)
    division = smoothed.max(axis=0) - smoothed.min(axis=0) if k else np.full(m, np.nan)
    totals = {
        name: (everyone == code).sum(axis=0).tolist()
        for name, code in (("agree", 1.0), ("disagree", -1.0), ("passes", 0.0))
    }
    seen = (~np.isnan(everyone)).sum(axis=0).tolist()
    stats = tuple(
        StatementStat(
            statement_id=statement_ids[j],
            agree=int(totals["agree"][j]),
            disagree=int(totals["disagree"][j]),
            passes=int(totals["passes"][j]),
            seen=int(seen[j]),
            consensus=float(consensus[j]),
            division=float(division[j]),
            agree_by_group=tuple(float(smoothed[g, j]) for g in range(k)),
        )
        for j in range(m)
    )
    groups = tuple(
        GroupSummary(
            index=g,
            size=int((labels == g).sum()),
            representatives=_representatives(
                g, agree, disagree, voted, statement_ids, representatives
            ),
        )
        for g in range(k)
    )
    return stats, groups


def _representatives(
    g: int,
    agree: FloatArray,
    disagree: FloatArray,
    voted: FloatArray,
    statement_ids: Sequence[str],
    limit: int,
) -> tuple[RepresentativeStatement, ...]:
    n_in, n_out = voted[g], voted.sum(axis=0) - voted[g]
    agree_all, disagree_all = agree.sum(axis=0), disagree.sum(axis=0)
    found: list[RepresentativeStatement] = []
    for direction, counts in (("agree", agree), ("disagree", disagree)):
        a_in, a_out = counts[g], counts.sum(axis=0) - counts[g]
        p_in, p_out = (a_in + 1) / (n_in + 2), (a_out + 1) / (n_out + 2)
        for j in np.flatnonzero((n_in > 0) & (n_out > 0) & (p_in > p_out)).tolist():
            if _z(a_in[j], n_in[j], a_out[j], n_out[j]) < REPRESENTATIVE_Z:
                continue
            found.append(
                RepresentativeStatement(
                    statement_id=statement_ids[j],
                    direction=direction,
                    agree_in_group=float(agree[g, j] / n_in[j]),
                    agree_in_rest=float((agree_all[j] - agree[g, j]) / n_out[j]),
                    disagree_in_group=float(disagree[g, j] / n_in[j]),
                    disagree_in_rest=float((disagree_all[j] - disagree[g, j]) / n_out[j]),
                    votes_in_group=int(n_in[j]),
                    representativeness=float(p_in[j] / p_out[j]),
                )
            )
    # One entry per statement (its stronger direction), the strongest first.
    found.sort(key=lambda r: (-round(r.representativeness, 9), r.statement_id, r.direction))
    chosen: list[RepresentativeStatement] = []
    taken: set[str] = set()
    for item in found:
        if item.statement_id not in taken:
            taken.add(item.statement_id)
            chosen.append(item)
    return tuple(chosen[:limit])


def _z(a_in: float, n_in: float, a_out: float, n_out: float) -> float:
    """One-sided two-proportion z statistic (pooled), 0 when undefined."""
    pooled = (a_in + a_out) / (n_in + n_out)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n_in + 1 / n_out))
    return (a_in / n_in - a_out / n_out) / spread if spread > 0 else 0.0
