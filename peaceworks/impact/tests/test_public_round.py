"""``round_get_public`` reads the round, its instrument, its activity and the activity's
theme ids in one statement; routing then reads no themes of its own."""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from peaceworks.campaigns.models import Activity, Theme
from peaceworks.impact.models import Instrument, Round
from peaceworks.impact.selectors import activity_theme_ids, round_get_public
from peaceworks.impact.services.responses import round_routing


def test_the_public_round_carries_its_activitys_themes_in_order(post_round: Round) -> None:
    activity = post_round.activity
    themes = list(Theme.objects.filter(campaign=activity.campaign).order_by("-pk")[:3])
    assert len(themes) >= 2
    activity.themes.set(themes)
    expected = sorted(theme.pk for theme in themes)
    # the published instrument's questions are read once per process
    round_routing(round_get_public(token=post_round.token), sensitive_consent=False)
    with CaptureQueriesContext(connection) as queries:
        survey_round = round_get_public(token=post_round.token)
        read = activity_theme_ids(survey_round.activity)
        round_routing(survey_round, sensitive_consent=False)
    assert read == expected
    assert len(queries) == 1
    # an activity read elsewhere still gets its themes by a plain read
    assert activity_theme_ids(activity) == expected


def test_an_activity_without_themes_has_none(post_round: Round) -> None:
    post_round.activity.themes.clear()
    survey_round = round_get_public(token=post_round.token)
    assert activity_theme_ids(survey_round.activity) == []


def test_a_published_versions_instance_routing_and_pages_are_kept(post_round: Round) -> None:
    from peaceworks.impact.routing import paginate

    first = round_get_public(token=post_round.token)
    second = round_get_public(token=post_round.token)
    assert first.instrument.is_published
    assert second.instrument is first.instrument
    assert second is not first  # the round and its activity are read each time
    assert second.activity is not first.activity
    routed = round_routing(first, sensitive_consent=False)[1]
    assert round_routing(second, sensitive_consent=False)[1] is routed
    assert round_routing(second, sensitive_consent=True)[1] is not routed
    pages = paginate(routed, uses_retrospective=False)
    assert paginate(routed, uses_retrospective=False) is pages
    assert paginate(list(routed), uses_retrospective=False) == pages  # a copy: computed anew


def test_a_drafts_instance_and_routing_are_built_each_time(post_round: Round) -> None:
    Instrument.objects.filter(pk=post_round.instrument_id).update(status=Instrument.Status.DRAFT)
    first = round_get_public(token=post_round.token)
    second = round_get_public(token=post_round.token)
    assert not first.instrument.is_published
    assert second.instrument is not first.instrument
    routed = round_routing(first, sensitive_consent=False)[1]
    assert round_routing(second, sensitive_consent=False)[1] is not routed
    assert round_routing(second, sensitive_consent=False)[1] == routed


def test_a_changed_row_gives_a_new_instance(post_round: Round) -> None:
    first = round_get_public(token=post_round.token).instrument
    Instrument.objects.filter(pk=post_round.instrument_id).update(consent_version="changed")
    second = round_get_public(token=post_round.token).instrument
    assert second is not first
    assert second.consent_version == "changed"


def _assert_same_values(read: Model, orm: Model) -> None:
    """Every column of ``read`` holds the ORM's value, of the same type (and time zone)."""
    for field in type(orm)._meta.concrete_fields:
        ours, theirs = getattr(read, field.attname), getattr(orm, field.attname)
        assert (field.attname, ours, type(ours)) == (field.attname, theirs, type(theirs))
        if isinstance(theirs, datetime):
            assert ours.tzinfo is theirs.tzinfo, field.attname


def _assert_read_as_the_orm_reads(post_round: Round) -> Round:
    survey_round = round_get_public(token=post_round.token)
    _assert_same_values(survey_round, Round.objects.get(pk=post_round.pk))
    _assert_same_values(
        survey_round.instrument, Instrument.objects.get(pk=post_round.instrument_id)
    )
    _assert_same_values(survey_round.activity, Activity.objects.get(pk=post_round.activity_id))
    return survey_round


def test_the_instances_hold_the_orms_values(post_round: Round) -> None:
    # on PostgreSQL the timestamps are read as UTC wall times and made aware again
    # (selectors._select_list): the instances must still be the ORM's, a missing time included
    assert _assert_read_as_the_orm_reads(post_round).instrument.published_at is not None
    Instrument.objects.filter(pk=post_round.instrument_id).update(
        status=Instrument.Status.DRAFT, published_at=None
    )
    assert _assert_read_as_the_orm_reads(post_round).instrument.published_at is None
