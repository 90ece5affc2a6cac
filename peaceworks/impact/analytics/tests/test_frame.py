"""The wide layout built from rows shaped like the impact app's storage."""

from __future__ import annotations

import datetime as dt

import pytest

from peaceworks.impact.analytics import VocabularyError, build_frame, compute

ACTIVITIES = {
    1: {
        "campaign": "ivs4peace",
        "theme": "T1",
        "country": "FR",
        "region": "west",
        "organisation": "SCI-FR",
        "activity_type": "workcamp",
        "duration_days": 12,
        "start_date": dt.date(2026, 7, 1),
        "network": "SCI",
    },
}
ROUNDS = [
    {"id": 10, "activity": 1, "kind": "pre", "uses_retrospective": False},
    {"id": 11, "activity": 1, "kind": "post", "uses_retrospective": True},
    {"id": 12, "activity": 1, "kind": "partner", "uses_retrospective": False},
]


def response(round_id, respondent, answers, then=None, at=1):
    return {
        "round": round_id,
        "respondent": respondent,
        "answers": answers,
        "then_answers": then or {},
        "submitted_at": at,
    }


def build(respondents, responses, **kwargs):
    return build_frame(
        activities=ACTIVITIES,
        respondents=respondents,
        rounds=ROUNDS,
        responses=responses,
        items=("q1", "q2"),
        **kwargs,
    )


def test_pre_and_post_pair_per_respondent_and_demographics_come_from_the_answers():
    frame = build(
        [
            {"id": 2, "activity": 1, "withdrawn_at": None},
            {"id": 1, "activity": 1, "withdrawn_at": None},
        ],
        [
            response(10, 1, {"q1": 2, "gender": "woman", "fewer_opportunities": ["economic"]}),
            response(11, 1, {"q1": 4, "q2": 5, "attribution": 4}, then={"q2": 3}),
            response(11, 2, {"q1": 3}),
            response(12, 2, {"q1": 1}),
        ],
    )
    assert frame.respondent_ids.tolist() == [1, 2]
    assert frame.baseline.tolist() == [[2, 0], [3, 0]]
    assert frame.post.tolist() == [[4, 3], [5, 0]]
    assert frame.retrospective.tolist() == [[False, False], [True, False]]
    assert frame.attribution.tolist() == [4, 0]
    assert frame.labels_of("gender")[frame.codes["gender"][0]] == "woman"
    assert frame.labels_of("duration_band")[frame.codes["duration_band"][0]] == "8-14"
    assert frame.labels_of("year")[frame.codes["year"][0]] == "2026"
    economic = frame.dimension_codes("fewer_opportunities:economic")
    assert [frame.labels_of("fewer_opportunities:economic")[c] for c in economic] == ["yes", None]


def test_a_withdrawn_respondent_is_left_out_of_the_frame():
    when = dt.datetime(2026, 8, 1, tzinfo=dt.UTC)
    frame = build(
        [
            {"id": 1, "activity": 1, "withdrawn_at": when},
            {"id": 2, "activity": 1, "withdrawn_at": None},
        ],
        [response(10, 1, {"q1": 2}), response(11, 1, {"q1": 4}), response(11, 2, {"q1": 3})],
    )
    assert frame.respondent_ids.tolist() == [2]
    assert compute(frame, floor=None).cells("q1")[0].n == 0


def test_the_latest_response_of_a_round_kind_wins():
    frame = build(
        [{"id": 1, "activity": 1, "withdrawn_at": None}],
        [response(10, 1, {"q1": 2}, at=1), response(10, 1, {"q1": 1}, at=2)],
    )
    assert frame.baseline[0].tolist() == [1]


def test_an_unknown_label_under_a_fixed_vocabulary_is_refused():
    first = build(
        [{"id": 1, "activity": 1, "withdrawn_at": None}], [response(10, 1, {"gender": "man"})]
    )
    with pytest.raises(VocabularyError):
        build(
            [{"id": 2, "activity": 1, "withdrawn_at": None}],
            [response(10, 2, {"gender": "woman"})],
            vocabulary=first.vocabulary,
        )


def test_the_response_rate_is_post_answers_over_invited():
    frame = build(
        [{"id": i, "activity": 1, "withdrawn_at": None} for i in range(4)],
        [response(11, i, {"q1": 3}) for i in range(3)],
    )
    cell = compute(frame, by=("country",), floor=None, invited={("FR",): 6}).cells("q1")[0]
    assert cell.response_rate == pytest.approx(0.5)


@pytest.mark.parametrize("by", [("planet",), ("gender", "gender")])
def test_an_unknown_or_repeated_dimension_is_refused(by):
    frame = build([{"id": 1, "activity": 1, "withdrawn_at": None}], [])
    with pytest.raises(ValueError, match="unknown or repeated"):
        compute(frame, by=by, floor=None)
