"""Opinion groups: planted groups recovered, unseen never a pass, the consensus formula, and
deterministic output. Pure functions: no database."""

from __future__ import annotations

import math

import numpy as np
import pytest

from peaceworks.consultations.synthesis.groups import UNSEEN, opinion_groups, vote_matrix
from peaceworks.consultations.synthesis.samples import planted_votes

U = UNSEEN


def _run(planted, seed=0):
    return opinion_groups(
        planted.votes,
        participant_ids=planted.participant_ids,
        statement_ids=planted.statement_ids,
        seed=seed,
    )


@pytest.mark.parametrize(
    ("participants", "statements", "groups"),
    [(60, 30, 2), (60, 30, 3), (60, 30, 4), (120, 50, 3), (120, 40, 4), (400, 80, 4), (400, 60, 2)],
)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_planted_groups_are_recovered_with_30_percent_unseen(
    participants, statements, groups, seed
):
    from sklearn.metrics import adjusted_rand_score  # ~1 s to import: not at collection

    planted = planted_votes(participants, statements, groups, seed=seed, unseen=0.3)
    result = _run(planted, seed=seed)
    truth = dict(zip(planted.participant_ids, planted.groups, strict=True))
    ari = adjusted_rand_score([truth[p] for p in result.participant_ids], result.labels)
    assert result.k == groups, f"found {result.k} groups, planted {groups} (ARI {ari:.3f})"
    assert ari >= 0.9, f"ARI {ari:.3f} for {participants} x {statements}, {groups} groups"


def test_an_unseen_vote_is_never_counted_as_a_pass():
    # Group A (p0-p3) agrees on s0-s5, group B (p4-p7) disagrees; nobody in B saw s6.
    a = [1.0] * 6 + [0.0]
    b = [-1.0] * 6 + [U]
    votes = np.array([a, a, a, a, b, b, b, b])
    ids = [f"p{i}" for i in range(8)]
    result = opinion_groups(
        votes, participant_ids=ids, statement_ids=[f"s{j}" for j in range(7)], min_votes=3
    )
    s6 = result.statements[6]
    assert (s6.passes, s6.seen, s6.agree, s6.disagree) == (4, 4, 0, 0)
    group_b = result.labels[ids.index("p4")]
    # no votes in B: its smoothed agree rate is the prior (0 + 1) / (0 + 2), not a pass rate
    assert s6.agree_by_group[group_b] == pytest.approx(0.5)
    group_a = result.labels[ids.index("p0")]
    assert s6.agree_by_group[group_a] == pytest.approx(1 / 6)  # 4 passes: (0 + 1) / (4 + 2)


def test_unseen_cells_are_filled_with_the_statement_mean_not_zero():
    rng = np.random.default_rng(3)
    votes = rng.choice([1.0, -1.0], size=(30, 10))
    votes[:, 0] = 1.0  # everyone who saw s0 agreed: its mean is 1
    twin = votes[5].copy()
    votes[6] = twin
    votes[6, 0] = U  # p6 = p5 but never saw s0
    ids = [f"p{i:02d}" for i in range(30)]
    result = opinion_groups(votes, participant_ids=ids, statement_ids=[f"s{j}" for j in range(10)])
    seen, unseen = np.array(result.coordinates[5]), np.array(result.coordinates[6])
    # Filled with the mean, p6's row equals p5's; only the sparse-voter scale sqrt(10 / 9) differs.
    assert np.allclose(unseen / math.sqrt(10 / 9), seen)
    assert result.statements[0].passes == 0


def test_consensus_is_the_product_over_groups_of_smoothed_agree_rates():
    a = [1.0, 1.0, 1.0, 1.0]
    b = [-1.0, -1.0, -1.0, -1.0]
    votes = np.array(
        [
            [1.0, *a],
            [1.0, *a],
            [0.0, *a],
            [1.0, *b],
            [-1.0, *b],
            [U, *b],
            [1.0, U, U, U, U],  # one vote: set aside, counted in totals only
        ]
    )
    ids = ["a1", "a2", "a3", "b1", "b2", "b3", "late"]
    result = opinion_groups(
        votes, participant_ids=ids, statement_ids=["s0", "s1", "s2", "s3", "s4"], min_votes=2
    )
    assert result.set_aside == ("late",)
    assert result.k == 2
    assert result.labels == (0, 0, 0, 1, 1, 1)  # equal sizes: the group holding "a1" is 0
    s0 = result.statements[0]
    # group 0: 2 agrees of 3 votes -> 3/5; group 1: 1 agree of 2 votes (one unseen) -> 2/4
    assert s0.agree_by_group == pytest.approx((3 / 5, 2 / 4))
    assert s0.consensus == pytest.approx(0.3)
    assert s0.division == pytest.approx(0.1)
    assert (s0.agree, s0.disagree, s0.passes, s0.seen) == (4, 1, 1, 6)
    s1 = result.statements[1]
    assert s1.consensus == pytest.approx((4 / 5) * (1 / 5))  # 3 of 3, then 0 of 3
    assert result.groups[0].representatives[0].direction == "agree"
    assert result.groups[1].representatives[0].direction == "disagree"


def test_the_same_seed_gives_byte_identical_json():
    planted = planted_votes(120, 40, 3, seed=5)
    assert _run(planted, seed=5).to_json() == _run(planted, seed=5).to_json()


def test_participant_order_does_not_change_the_groups():
    planted = planted_votes(150, 40, 3, seed=8)
    order = np.random.default_rng(1).permutation(150)
    shuffled = opinion_groups(
        planted.votes[order],
        participant_ids=[planted.participant_ids[i] for i in order],
        statement_ids=planted.statement_ids,
    )
    straight = _run(planted)
    assert shuffled.k == straight.k
    assert shuffled.statements == straight.statements
    assert shuffled.groups == straight.groups
    for pid in planted.participant_ids:
        assert shuffled.group_of(pid) == straight.group_of(pid)


def test_too_few_participants_make_a_single_group():
    votes = np.array([[1.0] * 8, [-1.0] * 8])
    result = opinion_groups(
        votes, participant_ids=["x", "y"], statement_ids=[f"s{j}" for j in range(8)]
    )
    assert (result.k, result.labels, result.silhouette) == (1, (0, 0), None)


def test_participants_with_fewer_than_min_votes_are_set_aside_by_default_at_seven():
    votes = np.full((10, 12), U)
    votes[:, :7] = 1.0
    votes[3, 6] = U  # p3 has six votes
    ids = [f"p{i}" for i in range(10)]
    result = opinion_groups(votes, participant_ids=ids, statement_ids=[f"s{j}" for j in range(12)])
    assert result.min_votes == 7
    assert result.set_aside == ("p3",)
    assert result.statements[0].agree == 10  # set-aside votes still count in totals


@pytest.mark.parametrize(
    ("votes", "message"),
    [
        (np.array([[2.0, 1.0]]), "expected 1"),
        (np.array([1.0, 1.0]), "matrix"),
        (np.array([[1.0, 1.0, 1.0]]), "statement ids"),
    ],
)
def test_bad_votes_are_refused_with_a_clear_message(votes, message):
    with pytest.raises(ValueError, match=message):
        opinion_groups(votes, participant_ids=["p"], statement_ids=["s0", "s1"])


def test_no_participants_or_no_statements_give_an_empty_synthesis():
    empty = opinion_groups(np.zeros((0, 2)), participant_ids=[], statement_ids=["s0", "s1"])
    assert (empty.k, empty.groups) == (0, ())
    assert b'"consensus":null' in empty.to_json()
    nothing = opinion_groups(np.zeros((2, 0)), participant_ids=["x", "y"], statement_ids=[])
    assert nothing.set_aside == ("x", "y")


def test_a_vote_matrix_is_built_from_stored_rows_with_unseen_cells():
    votes, people, statements = vote_matrix(
        [("b", "s2", 1), ("a", "s1", -1), ("a", "s2", 0), ("a", "s1", 1)]
    )
    assert (people, statements) == (("a", "b"), ("s1", "s2"))
    assert votes[0].tolist() == [1.0, 0.0]  # the later vote on s1 replaced the earlier one
    assert votes[1, 1] == 1.0
    assert np.isnan(votes[1, 0])
    with pytest.raises(ValueError, match="expected 1, -1 or 0"):
        vote_matrix([("a", "s1", 2)])


def test_the_silhouette_is_scikit_learns():
    from sklearn.metrics import silhouette_score

    from peaceworks.consultations.synthesis.groups import _distances, _silhouette

    rng = np.random.default_rng(0)
    points = rng.normal(size=(200, 2))
    labels = rng.integers(0, 3, size=200)
    labels[0] = 3  # a group of one scores 0
    assert _silhouette(_distances(points), labels) == pytest.approx(
        silhouette_score(points, labels)
    )
