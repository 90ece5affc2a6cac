"""The full refresh's column reader builds exactly the frame (and the snapshot) of the row path.

A small generated campaign (the project's demo seeding over six activities of two organisations,
multi-theme, short ones with retrospective baselines) plus the cases a column reader could get
wrong: a post answered twice (the later counts), two answers at the same instant, a withdrawal,
answers that are not integers 1..5 (text, a float, true, 0, 7, -1), blank pre demographics left
to the post, "prefer not to say", a respondent without responses, responses without typed
answers or with another layout's (read from their JSON beside the typed ones). Runs on SQLite
and, with ``DATABASE_URL`` naming PostgreSQL, on PostgreSQL.

The generated campaign is built once for the module (``shared_rows``): each test reads it
in a savepoint of its own, so what one writes (a rebuilt snapshot, a changed row) is undone
before the next.
"""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from django.utils import timezone

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Campaign
from peaceworks.directory.models import Organisation
from peaceworks.impact import demo
from peaceworks.impact.analytics import AnalysisFrame
from peaceworks.impact.figures import columns
from peaceworks.impact.figures.columns import _answer_matrix, _ScoreKeys, frame_for_campaign_columns
from peaceworks.impact.figures.load import frame_for_campaign, frame_from_bytes, indicator_map
from peaceworks.impact.models import AnalyticsSnapshot, Respondent, Response, Round, SnapshotValue
from peaceworks.impact.services import analytics_rebuild
from peaceworks.impact.tests.conftest import campaign_build
from peaceworks.impact.tests.shared import SharedRows, network_admin, shared_rows
from peaceworks.impact.tests.test_recompute import register_activities
from peaceworks.impact.typed_answers import scores_of

pytestmark = pytest.mark.django_db

# the base rows shared by the module's tests (the generated campaign is built on them once)
__all__ = ["network_admin", "shared_rows"]


def _again(response: Response, answers: dict[str, Any], later: timedelta) -> Response:
    return Response.objects.create(
        round=response.round,
        respondent=response.respondent,
        instrument_version=response.instrument_version,
        language="en",
        answers=answers,
        then_answers=response.then_answers,
        payload_hash=uuid.uuid4().hex,
        consent_version=response.consent_version,
        source=Response.Source.IMPORT,
        submitted_at=response.submitted_at + later,
    )


@pytest.fixture(scope="module")
def generated_rows(shared_rows: SharedRows, module_transaction: Any) -> int:
    """The generated campaign, built once for the module (its tests only read it, or write in
    their own savepoint): the campaign's primary key."""
    with module_transaction.unblock():
        campaign = Campaign.objects.get(pk=shared_rows.campaign)
        organisation = Organisation.objects.get(pk=shared_rows.organisation)
        other_organisation = Organisation.objects.get(pk=shared_rows.other_organisation)
        _generate(campaign, shared_rows.activity_maker(), organisation, other_organisation)
        return campaign.pk


@pytest.fixture
def generated(generated_rows: int) -> Campaign:
    return Campaign.objects.get(pk=generated_rows)


def _generate(
    campaign: Campaign,
    make_activity: Callable[..., Any],
    organisation: Organisation,
    other_organisation: Organisation,
) -> None:
    register_activities(make_activity, 6, (organisation, other_organisation), ("KE", "BE", "PE"))
    demo.seed(random.Random(5))
    items = list(indicator_map(campaign=campaign).items)
    pres = list(Response.objects.filter(round__kind=Round.Kind.PRE).order_by("pk"))
    posts = list(Response.objects.filter(round__kind=Round.Kind.POST).order_by("pk"))
    odd = ["3", 4.0, True, 0, 7, -1, None, "", [2]]
    for response, value in zip(posts, odd, strict=False):  # not an answer 1..5: MISSING
        response.answers = {**response.answers, items[0]: value, "attribution": value}
        response.save()
    for response in pres[:4]:  # blank demographics before: the post's count
        response.answers = {**response.answers, "gender": "", "fewer_opportunities": []}
        response.save()
    for response in posts[10:13]:
        response.answers = {**response.answers, "fewer_opportunities": ["prefer_not", "health"]}
        response.save()
    _again(posts[14], {**posts[14].answers, items[1]: 1}, timedelta(hours=1))
    _again(posts[15], {**posts[15].answers, items[1]: 2}, timedelta(0))  # same instant
    _again(pres[16], {**pres[16].answers, items[2]: 5}, -timedelta(hours=1))  # an older one
    Respondent.objects.filter(pk=int(posts[17].respondent_id or 0)).update(
        withdrawn_at=timezone.now()
    )
    Respondent.objects.create(activity=posts[0].round.activity, code_hash="f" * 64)
    # rows without typed answers (stored before them) and of another layout: read from the JSON
    legacy = [r.pk for r in (*posts[5:8], *pres[3:6], *pres[20:30])]
    Response.objects.filter(pk__in=legacy).update(scores=None, profile=None)
    Response.objects.filter(pk__in=[r.pk for r in pres[30:33]]).update(profile="t0.old:[]")


def _same(left: AnalysisFrame, right: AnalysisFrame) -> None:
    assert left.items == right.items
    assert dict(left.scales) == dict(right.scales)
    assert dict(left.item_themes) == dict(right.item_themes)
    assert dict(left.vocabulary) == dict(right.vocabulary)
    assert list(left.codes) == list(right.codes)
    for name in left.codes:
        assert left.codes[name].dtype == right.codes[name].dtype, name
        np.testing.assert_array_equal(left.codes[name], right.codes[name], err_msg=name)
    assert sorted(left.memberships) == sorted(right.memberships)
    for name in left.memberships:
        np.testing.assert_array_equal(left.memberships[name], right.memberships[name])
    for field in ("respondent_ids", "fo_mask", "baseline", "post", "retrospective", "attribution"):
        a, b = getattr(left, field), getattr(right, field)
        assert (a.dtype, a.shape) == (b.dtype, b.shape), field
        np.testing.assert_array_equal(a, b, err_msg=field)


def test_columns_build_the_frame_the_rows_build(generated: Campaign) -> None:
    mapping = indicator_map(campaign=generated)
    rows = frame_for_campaign(campaign=generated, mapping=mapping)
    columns = frame_for_campaign_columns(campaign=generated, mapping=mapping)
    assert rows.size > 50
    assert rows.retrospective.any()  # the generated campaign holds every case
    _same(rows, columns)


def test_full_refresh_stores_the_snapshot_of_the_row_path(generated: Campaign) -> None:
    mapping = indicator_map(campaign=generated)
    expected = frame_for_campaign(campaign=generated, mapping=mapping)
    snapshot = analytics_rebuild(campaign_id=generated.pk, full=True)
    assert snapshot is not None
    stored = AnalyticsSnapshot.objects.get(pk=snapshot.pk)
    _same(expected, frame_from_bytes(bytes(stored.frame)))
    values = SnapshotValue.objects.filter(snapshot=stored)
    assert values.count() == len(mapping.engine_name)


def test_batches_joined_by_the_database_or_read_row_by_row_give_the_same_frame(
    generated: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite joins the scan's rows per span of ids (``_Responses._batches``); a span that does
    not read back whole (here every other one, and one whose profile holds the separator) is
    read row by row: the frame is the row path's either way."""
    pre = Response.objects.filter(round__kind=Round.Kind.PRE).order_by("pk")[40]
    Response.objects.filter(pk=pre.pk).update(profile="t0.old:" + columns.PROFILE_SEPARATOR)
    mapping = indicator_map(campaign=generated)
    expected = frame_for_campaign(campaign=generated, mapping=mapping)
    joined, calls = columns._joined_batch, itertools.count()
    monkeypatch.setattr(columns, "SPAN_BATCH", 7)
    monkeypatch.setattr(
        columns, "_joined_batch", lambda row: None if next(calls) % 2 else joined(row)
    )
    _same(expected, frame_for_campaign_columns(campaign=generated, mapping=mapping))


def test_a_campaign_without_respondents_gives_an_empty_frame(network_admin: User) -> None:
    # the five themes of "rpc", none of its respondents (the module's campaign holds them)
    campaign = campaign_build(actor=network_admin, code="empty", name="Empty", programme="empty")
    assert not Response.objects.filter(round__activity__campaign=campaign).exists()
    mapping = indicator_map(campaign=campaign)
    _same(
        frame_for_campaign(campaign=campaign, mapping=mapping),
        frame_for_campaign_columns(campaign=campaign, mapping=mapping),
    )


def test_answers_that_are_not_small_integers_are_missing() -> None:
    plain = _answer_matrix(["[1,null,5]", "[7, 0, 3]"], 3)
    odd = _answer_matrix(['[1,"2",5]', "[3.0,true,-1]"], 3)
    np.testing.assert_array_equal(plain, [[1, 0, 5], [0, 0, 3]])
    np.testing.assert_array_equal(odd, [[1, 0, 5], [0, 0, 0]])
    assert plain.dtype == odd.dtype == np.int8


def test_score_entries_find_their_column_by_look_up_or_by_search() -> None:
    """The typed answers' entries land in the same columns whether their keys are looked up by
    some of their bits or searched (when no run of bits tells them apart); unknown keys and
    values outside 1..5 are left out, an item that is also the attribution is read twice."""
    items = ["q1", "q2", "attribution"]
    blobs = [
        scores_of({"q1": 3, "q2": 5, "attribution": 2, "other": 4}, {"q1": 1}),
        scores_of({"q2": 9, "q1": "4"}, {}),
        b"",
        scores_of({}, {"q2": 2, "nope": 1}),
    ]
    expected = [[3, 5, 2, 2, 1, 0, 0], [0] * 7, [0] * 7, [0, 0, 0, 0, 0, 2, 0]]
    keys = _ScoreKeys(items)
    assert keys.shift is not None
    np.testing.assert_array_equal(keys.matrix(blobs), expected)
    keys.shift = None
    np.testing.assert_array_equal(keys.matrix(blobs), expected)
