"""Seeded generated consultations: vote matrices with planted opinion groups, and contributions in
English, French and Spanish with planted topics. Used by the tests, the benchmark and demo data;
the same seed always gives the same sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .themes import Text


@dataclass(frozen=True)
class PlantedVotes:
    votes: npt.NDArray[np.float64]  # participants x statements, NaN unseen
    participant_ids: tuple[str, ...]
    statement_ids: tuple[str, ...]
    groups: tuple[int, ...]  # the planted group of each participant


def planted_votes(
    participants: int,
    statements: int,
    groups: int,
    *,
    seed: int = 0,
    unseen: float = 0.3,
    fidelity: float = 0.8,
    spread: float = 0.2,
) -> PlantedVotes:
    """Votes from a two-axis opinion model (as ideal-point models of voting have it): each
    planted group sits at its own point of an opinion plane (evenly around a unit circle, members
    scattered around it with standard deviation ``spread``), each statement has a direction in that plane and an offset, and a
    member agrees when its position along the statement's direction is clearly positive,
    disagrees when clearly negative, passes in between. With probability ``1 - fidelity`` a vote
    is replaced by a random one, and a share ``unseen`` of the cells is left unseen. Group sizes
    differ (up to 2:1)."""
    rng = np.random.default_rng(seed)
    weights = rng.uniform(1.0, 2.0, size=groups)
    membership = rng.choice(groups, size=participants, p=weights / weights.sum())
    membership[:groups] = np.arange(groups)  # every group has a member
    turn = rng.uniform(0, 2 * np.pi)
    angles = turn + 2 * np.pi * np.arange(groups) / groups
    centres = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    positions = centres[membership] + rng.normal(0, spread, size=(participants, 2))
    heading = rng.uniform(0, 2 * np.pi, size=statements)
    directions = np.stack([np.cos(heading), np.sin(heading)], axis=0)  # 2 x statements
    leaning = positions @ directions + rng.normal(0, 0.3, size=statements)
    votes = np.where(leaning > 0.2, 1.0, np.where(leaning < -0.2, -1.0, 0.0))
    noise = rng.random((participants, statements)) > fidelity
    votes[noise] = rng.choice([1.0, -1.0, 0.0], size=int(noise.sum()))
    votes[rng.random((participants, statements)) < unseen] = np.nan
    return PlantedVotes(
        votes=votes,
        participant_ids=tuple(f"p{i:05d}" for i in range(participants)),
        statement_ids=tuple(f"s{j:04d}" for j in range(statements)),
        groups=tuple(int(g) for g in membership),
    )
