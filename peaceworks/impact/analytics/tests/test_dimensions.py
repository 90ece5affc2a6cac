"""Property tests of how respondents fall into cells: "prefer not to say" is never "no", an
organisation in several networks counts in each, and a multi-theme activity's responses count
under the theme rule of docs/statistics.md."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from peaceworks.impact.analytics import compute
from peaceworks.impact.analytics.frame import (
    FO_ANY,
    FO_CATEGORIES,
    MULTI_VALUED_DIMENSIONS,
    build_frame,
    concat,
    restrict,
)
from peaceworks.impact.default_framework.blocks import (
    BLOCK_QUESTIONS,
    FEWER_OPPORTUNITY_CATEGORIES,
    NONE_OF_THESE,
    PREFER_NOT,
)

THEMES = ("t1", "t2", "t3")
NETWORKS = ("SCI", "ALLI", "CCIVS")


def _frame(activities: dict[int, dict[str, Any]], answers: list[tuple[int, dict[str, Any]]]):
    """One respondent per (activity, post answers), a pre answer of 2 on every item."""
    respondents = [{"id": i + 1, "activity": a} for i, (a, _) in enumerate(answers)]
    rounds = [
        {"id": 10 * a + k, "activity": a, "kind": kind}
        for a in activities
        for k, kind in ((0, "pre"), (1, "post"))
    ]
    responses = []
    for i, (a, post) in enumerate(answers):
        pre = {key: 2 for key in ("c_item", "t1_item", "t2_item") if key in post}
        responses.append({"round": 10 * a, "respondent": i + 1, "answers": pre})
        responses.append({"round": 10 * a + 1, "respondent": i + 1, "answers": post})
    return build_frame(
        activities=activities,
        respondents=respondents,
        rounds=rounds,
        responses=responses,
        items=("c_item", "t1_item", "t2_item"),
        item_themes={"t1_item": "t1", "t2_item": "t2"},
    )


def test_the_frame_reads_the_codes_of_the_survey_question():
    question = next(q for q in BLOCK_QUESTIONS if q["code"] == FO_ANY)
    values = [choice["value"] for choice in question["choices"]]
    assert values == [*FEWER_OPPORTUNITY_CATEGORIES, NONE_OF_THESE, PREFER_NOT]
    assert FO_CATEGORIES == FEWER_OPPORTUNITY_CATEGORIES


fo_answers = st.lists(
    st.sampled_from([*FEWER_OPPORTUNITY_CATEGORIES, NONE_OF_THESE, "other"]), max_size=4
)


@settings(max_examples=60, deadline=None)
@given(fo_answers, st.integers(0, 4), st.booleans())
def test_prefer_not_to_say_never_counts_as_no(answer, at, in_pre):
    chosen = [*answer[:at], PREFER_NOT, *answer[at:]]
    post = {"c_item": 4, FO_ANY: [NONE_OF_THESE] if in_pre else chosen}
    frame = build_frame(
        activities={1: {"theme": [], "network": []}},
        respondents=[{"id": 1, "activity": 1}],
        rounds=[{"id": 1, "activity": 1, "kind": "pre"}, {"id": 2, "activity": 1, "kind": "post"}],
        responses=[
            {"round": 1, "respondent": 1, "answers": {FO_ANY: chosen} if in_pre else {}},
            {"round": 2, "respondent": 1, "answers": post},
        ],
        items=("c_item",),
    )
    label = frame.labels_of(FO_ANY)[int(frame.codes[FO_ANY][0])]
    assert label is None  # not said: neither yes nor, above all, no
    for category in FO_CATEGORIES:
        flag = frame.dimension_codes(f"fewer_opportunities:{category}")[0]
        assert frame.labels_of(f"fewer_opportunities:{category}")[int(flag)] is None


def test_no_needs_none_of_these_and_a_blank_pre_answer_keeps_the_posts():
    frame = build_frame(
        activities={1: {}},
        respondents=[{"id": 1, "activity": 1}, {"id": 2, "activity": 1}],
        rounds=[{"id": 1, "activity": 1, "kind": "pre"}, {"id": 2, "activity": 1, "kind": "post"}],
        responses=[
            {"round": 1, "respondent": 1, "answers": {"gender": "", FO_ANY: []}},
            {"round": 2, "respondent": 1, "answers": {"gender": "woman", FO_ANY: ["none"]}},
            {"round": 2, "respondent": 2, "answers": {FO_ANY: ["unheard-of"]}},
        ],
        items=(),
    )
    labels = frame.labels_of(FO_ANY)
    assert [labels[int(c)] for c in frame.codes[FO_ANY]] == ["no", None]
    assert frame.labels_of("gender")[int(frame.codes["gender"][0])] == "woman"


def test_the_multi_valued_dimensions_are_named_for_suppression():
    assert {"theme", "network"} == MULTI_VALUED_DIMENSIONS


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sets(st.sampled_from(NETWORKS)), st.integers(1, 5)), min_size=1, max_size=6
    )
)
def test_an_organisation_counts_in_every_network_it_belongs_to(organisations):
    activities = {
        a: {"network": sorted(nets), "theme": []}
        for a, (nets, _) in enumerate(organisations, start=1)
    }
    answers = [
        (a, {"c_item": 4})
        for a, (_, people) in enumerate(organisations, start=1)
        for _ in range(people)
    ]
    frame = _frame(activities, answers)
    table = compute(frame, ("network",), floor=None)
    n = dict(zip((k[0] for k in table.keys), table.values["n"][0], strict=True))
    for network in NETWORKS:
        expected = sum(people for nets, people in organisations if network in nets)
        assert n.get(network, 0) == expected
    assert n.get(None, 0) == sum(people for nets, people in organisations if not nets)
    total = compute(frame, (), floor=None).values["n"][0][0]
    assert total == sum(people for _, people in organisations)  # the total counts each once
    labels = frame.labels_of("network")
    for network in set(NETWORKS) & set(labels):  # a filter is the grouping's cell
        assert restrict(frame, "network", labels.index(network)).size == n[network]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sets(st.sampled_from(THEMES), min_size=1), st.booleans()),
        min_size=1,
        max_size=8,
    )
)
def test_a_multi_theme_activitys_responses_count_under_the_theme_rule(activities_spec):
    """Always-asked items under every theme of the activity; a theme module's item only under
    its own theme (the module the respondent answered), and a respondent once in the total."""
    activities = {
        a: {"theme": sorted(themes)} for a, (themes, _) in enumerate(activities_spec, start=1)
    }
    answers = []
    for a, (themes, answered) in enumerate(activities_spec, start=1):
        post: dict[str, Any] = {"c_item": 4}
        for theme in themes:
            if answered and f"{theme}_item" in ("t1_item", "t2_item"):
                post[f"{theme}_item"] = 5
        answers.append((a, post))
    frame = _frame(activities, answers)
    table = compute(frame, ("theme",), floor=None)
    keys = [k[0] for k in table.keys]
    n = {
        item: dict(zip(keys, table.values["n"][i], strict=True))
        for i, item in enumerate(frame.items)
    }
    for theme in THEMES:
        assert n["c_item"].get(theme, 0) == sum(1 for t, _ in activities_spec if theme in t)
        for item, own in (("t1_item", "t1"), ("t2_item", "t2")):
            expected = (
                sum(1 for t, answered in activities_spec if own in t and answered)
                if theme == own
                else 0
            )
            assert n[item].get(theme, 0) == expected
    totals = compute(frame, (), floor=None).values["n"]
    assert totals[0][0] == len(activities_spec)
    assert np.array_equal(totals[1:, 0], [n["t1_item"].get("t1", 0), n["t2_item"].get("t2", 0)])


def test_a_frame_stored_before_memberships_folds_with_a_new_one():
    old = _frame({1: {"theme": ["t1"]}}, [(1, {"c_item": 4})])
    old = replace(old, memberships={})
    new = replace(
        _frame({1: {"theme": ["t1"]}}, [(1, {"c_item": 3})]), respondent_ids=np.array([2])
    )
    both = concat([old, new])
    assert both.has_label("theme", both.labels_of("theme").index("t1")).all()
