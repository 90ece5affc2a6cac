"""Reads of the impact app, and the access functions that guard tenant data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from peaceworks.accounts.access import Actor, Viewer, viewer_for
from peaceworks.campaigns.models import Activity
from peaceworks.campaigns.selectors import Purpose, activity_access
from peaceworks.core.errors import Forbidden, NotFound
from peaceworks.core.rows import Columns
from peaceworks.impact.models import (
    Framework,
    Instrument,
    Respondent,
    Response,
    Round,
)

_ROUND = Columns(Round, "r")
_INSTRUMENT = Columns(Instrument, "i")
_ACTIVITY = Columns(Activity, "a")


@cache
def _public_round_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    return (
        f"SELECT {_ROUND.sql()}, {_INSTRUMENT.sql()}, {_ACTIVITY.sql()} "  # noqa: S608 -- models
        f"FROM {quote(Round._meta.db_table)} r "
        f'JOIN {quote(Instrument._meta.db_table)} i ON i."id" = r."instrument_id" '
        f'JOIN {quote(Activity._meta.db_table)} a ON a."id" = r."activity_id" '
        'WHERE r."token" = %s'
    )


def round_get_public(*, token: str) -> Round:
    """The round behind a public link, with its instrument and activity; NotFound if none.

    One hand-written statement (``core.rows``): every public page and submission starts
    here, and the ORM's query building cost more than the read. Its questions come from
    :func:`peaceworks.impact.routing.instrument_questions`, its themes from
    :func:`activity_theme_ids`.
    """
    with connection.cursor() as cursor:
        cursor.execute(_public_round_sql(connection.vendor), [token])
        row = cursor.fetchone()
    if row is None:
        raise NotFound
    first, second = len(_ROUND), len(_ROUND) + len(_INSTRUMENT)
    survey_round = _ROUND.instance(row[:first])
    survey_round.instrument = _INSTRUMENT.instance(row[first:second])
    survey_round.activity = _ACTIVITY.instance(row[second:])
    return survey_round


@cache
def _theme_ids_sql(vendor: str) -> str:
    through = Activity.themes.through
    quote = connection.ops.quote_name
    theme = quote(through._meta.get_field("theme").column)
    activity = quote(through._meta.get_field("activity").column)
    return (
        f"SELECT {theme} FROM {quote(through._meta.db_table)} "  # noqa: S608 -- model names
        f"WHERE {activity} = %s ORDER BY {theme}"
    )


def activity_theme_ids(activity: Activity) -> list[int]:
    """The ids of the activity's themes (what routing needs of them), in one plain read."""
    with connection.cursor() as cursor:
        cursor.execute(_theme_ids_sql(connection.vendor), [activity.pk])
        return [int(pk) for (pk,) in cursor.fetchall()]


def activity_get_public(*, code: str) -> Activity | None:
    """The activity a respondent names on the withdrawal page (codes are public on posters)."""
    return Activity.objects.filter(code=code).first()


def round_get_for_user(*, user: Actor, pk: int, write: bool = False) -> Round:
    """A round, by its activity's rule (``campaigns.selectors.activity_access``): those who
    may analyse the activity read it; writing needs network staff or a host coordinator."""
    viewer = viewer_for(user)
    rule = activity_access(viewer, Purpose.WRITE if write else Purpose.ANALYSE, prefix="activity__")
    rounds = Round.objects.select_related("activity", "activity__campaign", "instrument")
    survey_round = (rounds if rule is None else rounds.filter(rule)).filter(pk=pk).first()
    if survey_round is None:
        raise NotFound
    if write and not viewer.can_write_org(survey_round.activity.host_organisation_id):
        raise Forbidden
    return survey_round


def framework_get_for_user(*, user: Actor, pk: int, write: bool = False) -> Framework:
    """Frameworks are network-wide: members read them, network staff change them."""
    viewer = viewer_for(user)
    framework = Framework.objects.select_related("campaign").filter(pk=pk).first()
    if framework is None or not viewer.is_network_member:
        raise NotFound
    if write and not viewer.is_network_staff:
        raise Forbidden
    return framework


def instrument_get_for_user(*, user: Actor, pk: int, write: bool = False) -> Instrument:
    instrument = Instrument.objects.select_related("framework").filter(pk=pk).first()
    if instrument is None:
        raise NotFound
    framework_get_for_user(user=user, pk=instrument.framework_id, write=write)
    return instrument


def framework_list_visible_to(*, user: Actor) -> QuerySet[Framework]:
    if not viewer_for(user).is_network_member:
        return Framework.objects.none()
    return Framework.objects.select_related("campaign").annotate(
        indicator_count=Count("indicators", distinct=True)
    )


def round_list_visible_to(*, user: Actor) -> QuerySet[Round]:
    rule = activity_access(viewer_for(user), Purpose.ANALYSE, prefix="activity__")
    rounds = Round.objects.select_related("activity", "instrument")
    return rounds if rule is None else rounds.filter(rule)


def response_list_visible_to(*, user: Actor) -> QuerySet[Response]:
    """Responses (pseudonymous) of rounds the viewer may read, withdrawn ones left out."""
    viewer = viewer_for(user)
    responses = Response.objects.counted().select_related("round")
    if viewer.is_network_staff:
        return responses
    if viewer.is_analyst and not viewer.writable_org_ids:
        return Response.objects.none()
    return responses.filter(round__activity__host_organisation_id__in=viewer.readable_org_ids)


#: the data problems a rate above 100 % reveals, named on the pages instead of the figure
MORE_RESPONSES_THAN_VOLUNTEERS = _("More responses than registered volunteers")
MORE_PARTNER_FORMS_THAN_EXPECTED = _("More partner forms than expected (one per activity)")


def bounded_rate(part: int, whole: int) -> float | None:
    """``part / whole`` as a share in [0, 1]; None when there is nothing to divide by or when
    ``part`` exceeds ``whole`` (a data problem the page names, never a figure above 100 %)."""
    if whole <= 0 or part > whole:
        return None
    return part / whole


@dataclass(frozen=True)
class RoundStats:
    round: Round
    responses: int
    respondents_with_post: int
    paired: int
    volunteers: int

    @property
    def response_rate(self) -> float | None:
        """Responses over the activity's volunteers (None when it declares none, or when
        there are more responses than volunteers: see :attr:`rate_problem`)."""
        return bounded_rate(self.responses, self.volunteers)

    @property
    def rate_problem(self) -> str | None:
        """The data problem that stands in for an impossible response rate."""
        if not self.volunteers or self.responses <= self.volunteers:
            return None
        if self.round.kind == Round.Kind.PARTNER:
            return str(MORE_PARTNER_FORMS_THAN_EXPECTED)
        return str(MORE_RESPONSES_THAN_VOLUNTEERS)

    @property
    def pairing_rate(self) -> float | None:
        """Respondents with both pre and post answers over respondents with post answers."""
        if self.round.kind != Round.Kind.POST:
            return None
        return bounded_rate(self.paired, self.respondents_with_post)


def round_stats_for_activity(*, activity: Activity) -> list[RoundStats]:
    """Counts per round of one activity; withdrawn respondents are not counted (3 queries)."""
    rounds = list(
        Round.objects.filter(activity=activity)
        .select_related("instrument")
        .annotate(
            counted=Count(
                "responses",
                filter=Q(responses__respondent__isnull=True)
                | Q(responses__respondent__withdrawn_at__isnull=True),
            )
        )
    )
    kinds = (
        Respondent.objects.active()
        .filter(activity=activity)
        .annotate(
            has_pre=Count("responses", filter=Q(responses__round__kind=Round.Kind.PRE)),
            has_post=Count("responses", filter=Q(responses__round__kind=Round.Kind.POST)),
        )
        .values_list("has_pre", "has_post")
    )
    with_post = sum(1 for _pre, post in kinds if post)
    paired = sum(1 for pre, post in kinds if pre and post)
    volunteers = activity.international_volunteers + activity.local_volunteers
    return [
        RoundStats(
            round=survey_round,
            responses=survey_round.counted,  # annotated above
            respondents_with_post=with_post,
            paired=paired,
            volunteers=1 if survey_round.kind == Round.Kind.PARTNER else volunteers,
        )
        for survey_round in rounds
    ]


def harm_queue_visible_to(*, user: Actor) -> QuerySet[Response]:
    """Free-text answers flagged as reporting harm, waiting for review, for coordinators."""
    viewer = viewer_for(user)
    pending = Response.objects.filter(harm_status=Response.HarmStatus.PENDING).select_related(
        "round", "round__activity"
    )
    if viewer.is_network_staff:
        return pending
    return pending.filter(round__activity__host_organisation_id__in=viewer.writable_org_ids)


def can_request_refresh(viewer: Viewer) -> bool:
    """Who may ask for a full rebuild of a campaign's figures: network staff and the
    coordinators of a member organisation."""
    return viewer.is_network_staff or bool(viewer.writable_org_ids)


def analytics_refresh_check(*, user: Actor) -> None:
    """Forbidden unless ``user`` may ask for a rebuild (:func:`can_request_refresh`);
    ``None``, the system, may."""
    if user is not None and not can_request_refresh(viewer_for(user)):
        raise Forbidden


def harm_review_check(*, user: Actor, response: Response) -> None:
    """The rule of :func:`response_get_for_harm_review` for a response already in hand:
    network staff and the coordinators of the activity's host review its flagged answers."""
    if user is not None:
        viewer_for(user).require_org(response.round.activity.host_organisation_id, write=True)


def response_get_for_harm_review(*, user: Actor, pk: int) -> Response:
    """A flagged response; NotFound for outsiders, Forbidden for read-only members."""
    response = (
        Response.objects.select_related("round", "round__activity")
        .filter(pk=pk, harm_status=Response.HarmStatus.PENDING)
        .first()
    )
    if response is None:
        raise NotFound
    viewer_for(user).require_org(response.round.activity.host_organisation_id, write=True)
    return response
