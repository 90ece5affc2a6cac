"""The consultation synthesis engine (``peaceworks/consultations/synthesis/``) at size.

- ``consultations_themes_<n>_s``: ``find_themes`` on ``n`` generated contributions in English,
  French and Spanish (five planted topics, 10 % touching a second one), near-duplicates included;
  its purity and adjusted Rand index against the planted topics are recorded beside it.
- ``consultations_groups_<p>x<s>_s``: ``opinion_groups`` on ``p`` participants x ``s`` statements
  (four planted groups, 30 % unseen), representative statements and consensus included;
  ``..._sklearn_s`` is the plain scikit-learn pipeline of the same method, written the way an
  analyst would (``SimpleImputer`` mean, ``PCA(2)``, ``KMeans`` for k 2-5 with ``n_init=10``,
  ``silhouette_score`` on the same sample size, library defaults for threads) and timed in the
  same run; ``..._sklearn_1thread_s`` is the same on one thread, as the engine runs. The engine
  and the reference must agree (adjusted Rand index >= 0.9) or the bench reports a difference.

Goals (issue #16): 10,000 contributions < 20 s, 5,000 x 500 votes < 3 s (medians).
Run alone: ``python -m bench.consultations [--quick]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.impute import SimpleImputer
from sklearn.metrics import adjusted_rand_score, silhouette_score
from threadpoolctl import threadpool_limits

from peaceworks.consultations.synthesis.groups import (
    DEFAULT_MIN_VOTES,
    SILHOUETTE_SAMPLE,
    opinion_groups,
)
from peaceworks.consultations.synthesis.samples import planted_contributions, planted_votes
from peaceworks.consultations.synthesis.themes import ThemeResult, find_themes, load_lexicon

Metrics = dict[str, dict[str, Any]]


def timed(metrics: Metrics, name: str, fn: Callable[[], Any], runs: int) -> Any:
    """Median wall and CPU time of ``runs`` calls after a warm-up call (its result returned)."""
    result = fn()
    wall, cpu = [], []
    for _ in range(runs):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    metrics[name] = {
        "median": statistics.median(wall),
        "min": min(wall),
        "max": max(wall),
        "runs": runs,
        "unit": "s",
        "cpu": statistics.median(cpu),
    }
    print(f"  {name:<44} {metrics[name]['median']:9.4f} s  (CPU {metrics[name]['cpu']:.4f} s)")
    return result


def value(metrics: Metrics, name: str, number: float, unit: str) -> None:
    metrics[name] = {"median": number, "min": number, "max": number, "runs": 1, "unit": unit}
    print(f"  {name:<44} {number:9.4f} {unit}")


def sklearn_groups(votes: np.ndarray, seed: int) -> np.ndarray:
    """Labels of the plain scikit-learn pipeline for the kept participants (in row order)."""
    kept = votes[(~np.isnan(votes)).sum(axis=1) >= min(DEFAULT_MIN_VOTES, votes.shape[1])]
    filled = SimpleImputer(strategy="mean").fit_transform(kept)
    coords = PCA(n_components=2, random_state=seed).fit_transform(filled)
    sample = SILHOUETTE_SAMPLE if len(coords) > SILHOUETTE_SAMPLE else None
    best: tuple[float, np.ndarray] = (-2.0, np.zeros(len(coords), dtype=int))
    for k in range(2, 6):
        labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(coords)
        score = silhouette_score(coords, labels, sample_size=sample, random_state=seed)
        if score > best[0]:
            best = (score, labels)
    return best[1]


def quality(result: ThemeResult, ids: list[str], topics: tuple[str, ...]) -> tuple[float, float]:
    """Purity and adjusted Rand index of the strongest theme of each text against the plan."""
    strongest: dict[str, tuple[float, str]] = {}
    for theme in result.themes:
        for text_id, weight in theme.members:
            if text_id not in strongest or weight > strongest[text_id][0]:
                strongest[text_id] = (weight, theme.key)
    found = [strongest.get(i, (0.0, "-"))[1] for i in ids]
    pairs = Counter(zip(found, topics, strict=True))
    purity = sum(max(n for (f, _), n in pairs.items() if f == key) for key in set(found))
    return purity / len(ids), float(adjusted_rand_score(topics, found))


def run(*, quick: bool) -> tuple[Metrics, list[str]]:
    metrics: Metrics = {}
    problems: list[str] = []
    contributions = 2_000 if quick else 10_000
    participants, statements = (1_000, 100) if quick else (5_000, 500)
    label = f"{contributions // 1000}k"
    print(
        f"== consultations: {contributions:,} contributions, {participants:,} x {statements} votes"
    )

    lexicon = load_lexicon()
    planted = planted_contributions(contributions, seed=1)
    result = timed(
        metrics,
        f"consultations_themes_{label}_s",
        lambda: find_themes(planted.texts, lexicon=lexicon, seed=1),
        runs=3,
    )
    purity, ari = quality(result, [t.id for t in planted.texts], planted.topics)
    value(metrics, f"consultations_themes_{label}_purity", purity, "ratio")
    value(metrics, f"consultations_themes_{label}_ari", ari, "ratio")
    value(metrics, f"consultations_themes_{label}_themes", result.n_themes, "count")
    value(
        metrics,
        f"consultations_themes_{label}_near_duplicates",
        len(result.near_duplicates),
        "count",
    )
    if purity < 0.85:
        problems.append(f"themes at {label}: purity {purity:.3f} below 0.85")

    votes = planted_votes(participants, statements, 4, seed=2, unseen=0.3)
    size = f"{participants}x{statements}"
    groups = timed(
        metrics,
        f"consultations_groups_{size}_s",
        lambda: opinion_groups(
            votes.votes,
            participant_ids=votes.participant_ids,
            statement_ids=votes.statement_ids,
            seed=2,
        ),
        runs=5,
    )
    reference = timed(
        metrics,
        f"consultations_groups_{size}_sklearn_s",
        lambda: sklearn_groups(votes.votes, seed=2),
        runs=5,
    )
    with threadpool_limits(limits=1):  # the same pipeline on one thread, as the engine runs
        timed(
            metrics,
            f"consultations_groups_{size}_sklearn_1thread_s",
            lambda: sklearn_groups(votes.votes, seed=2),
            runs=5,
        )
    truth = dict(zip(votes.participant_ids, votes.groups, strict=True))
    planted_ari = adjusted_rand_score([truth[p] for p in groups.participant_ids], groups.labels)
    agreement = adjusted_rand_score(reference, groups.labels)  # both in row order of kept rows
    value(metrics, f"consultations_groups_{size}_ari", planted_ari, "ratio")
    value(metrics, f"consultations_groups_{size}_sklearn_agreement_ari", agreement, "ratio")
    if agreement < 0.9:
        problems.append(f"opinion groups at {size}: engine vs scikit-learn ARI {agreement:.3f}")
    return metrics, problems


def add_to(metrics: Metrics, problems: list[str], *, quick: bool) -> None:
    """What ``bench.run`` calls."""
    found, refused = run(quick=quick)
    metrics.update(found)
    problems += refused


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2,000 contributions, 1,000 x 100")
    args = parser.parse_args(argv)
    metrics, problems = run(quick=args.quick)
    print(json.dumps(metrics, indent=2))
    for problem in problems:
        print("DIFFERS:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
