"""Reads of the impact app, and the access functions that guard tenant data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from time import monotonic
from typing import Any

from django.db import connection
from django.db.models import Count, DateTimeField, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peaceworks.accounts.access import Actor, Viewer, viewer_for
from peaceworks.accounts.hooks import AttentionGroup, AttentionItem, first_items
from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Activity
from peaceworks.campaigns.selectors import Purpose, activity_access
from peaceworks.core.errors import Forbidden, NotFound
from peaceworks.core.rows import Columns, statement_cursor
from peaceworks.impact.models import (
    FollowUpContact,
    FollowUpReminder,
    Framework,
    Instrument,
    Question,
    Respondent,
    Response,
    Round,
)
from peaceworks.impact.routing import instrument_questions, published_instrument, routed_questions

_ROUND = Columns(Round, "r")
_INSTRUMENT = Columns(Instrument, "i")
_ACTIVITY = Columns(Activity, "a")


_PUBLIC_COLUMNS: tuple[Columns[Any], ...] = (_ROUND, _INSTRUMENT, _ACTIVITY)


def _select_list(columns: Columns[Any], utc_timestamps: bool) -> str:
    """``columns.sql()``; with ``utc_timestamps``, each timestamp column as its UTC wall time
    (``AT TIME ZONE 'UTC'``: a ``timestamp`` without time zone, made aware again by
    :func:`_aware`).

    Why: Django reads a PostgreSQL ``timestamptz`` through its own loader, written in Python
    (about 9 µs a value here, against 1.4 µs for psycopg's C loader of a plain ``timestamp``),
    and the public round's row holds nine of them: a third of the Python time of fetching it,
    on every public page and submission.
    """
    if not utc_timestamps:
        return columns.sql()
    quote = connection.ops.quote_name
    return ", ".join(
        f"({quote(columns.alias)}.{quote(field.column)} AT TIME ZONE 'UTC')"
        if isinstance(field, DateTimeField)
        else f"{quote(columns.alias)}.{quote(field.column)}"
        for field in columns.fields
    )


#: the positions of the timestamp columns in the public round's row
_PUBLIC_TIMESTAMPS = tuple(
    sum(len(earlier) for earlier in _PUBLIC_COLUMNS[:number]) + index
    for number, columns in enumerate(_PUBLIC_COLUMNS)
    for index, field in enumerate(columns.fields)
    if isinstance(field, DateTimeField)
)


def _aware(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """The row with its UTC wall times (``_select_list``) as the aware datetimes Django's
    loader gives: the same instant, ``tzinfo`` the connection's ``datetime.UTC``."""
    values = list(row)
    for index in _PUBLIC_TIMESTAMPS:
        value = values[index]
        if value is not None:
            values[index] = value.replace(tzinfo=UTC)
    return tuple(values)


@cache
def _public_round_sql(vendor: str, utc_timestamps: bool = False) -> str:
    quote = connection.ops.quote_name
    through = Activity.themes.through
    theme = quote(through._meta.get_field("theme").column)
    activity = quote(through._meta.get_field("activity").column)
    # the activity's theme ids (in no order): an array on PostgreSQL, text on SQLite
    themes = f'FROM {quote(through._meta.db_table)} t WHERE t.{activity} = a."id"'
    theme_ids = (
        f"ARRAY(SELECT t.{theme} {themes})"
        if vendor == "postgresql"
        else f"(SELECT group_concat(t.{theme}) {themes})"
    )
    selected = ", ".join(_select_list(columns, utc_timestamps) for columns in _PUBLIC_COLUMNS)
    return (
        f"SELECT {selected}, {theme_ids} "  # noqa: S608 -- model names
        f"FROM {quote(Round._meta.db_table)} r "
        f'JOIN {quote(Instrument._meta.db_table)} i ON i."id" = r."instrument_id" '
        f'JOIN {quote(Activity._meta.db_table)} a ON a."id" = r."activity_id" '
        'WHERE r."token" = %s'
    )


#: the attribute of an activity read by :func:`round_get_public` that holds its theme ids,
#: read in the same statement (like a prefetch: the instance lives for one request)
PUBLIC_THEME_IDS = "public_theme_ids"


def round_get_public(*, token: str) -> Round:
    """The round behind a public link, with its instrument and activity; NotFound if none.

    One hand-written statement (``core.rows``): every public page and submission starts
    here, and the ORM's query building cost more than the read. Its questions come from
    :func:`peaceworks.impact.routing.instrument_questions`; its activity's theme ids are read
    in the same statement and kept on the activity for :func:`activity_theme_ids`. As the
    request's first statement it is also the connection's health check (``read=True``).
    """
    # PostgreSQL with Django's connection time zone UTC (USE_TZ, no database TIME_ZONE): the
    # timestamps as UTC wall times, parsed by psycopg in C (_select_list)
    utc_timestamps = connection.vendor == "postgresql" and connection.timezone is UTC
    with statement_cursor(read=True) as cursor:
        cursor.execute(_public_round_sql(connection.vendor, utc_timestamps), [token])
        row = cursor.fetchone()
    if row is None:
        raise NotFound
    if utc_timestamps:
        row = _aware(row)
    first, second = len(_ROUND), len(_ROUND) + len(_INSTRUMENT)
    survey_round = _ROUND.instance(row[:first])
    # a published version's instance is kept per process (routing.published_instrument)
    survey_round.instrument = published_instrument(row[first:second], _INSTRUMENT.instance)
    survey_round.activity = _ACTIVITY.instance(row[second:-1])
    setattr(survey_round, PUBLIC_ROW, row)
    themes = row[-1]
    if isinstance(themes, str):
        themes = themes.split(",")
    setattr(survey_round.activity, PUBLIC_THEME_IDS, sorted(int(pk) for pk in themes or ()))
    return survey_round


#: the attribute of a round read by :func:`round_get_public` that holds the row it was read from
PUBLIC_ROW = "public_row"


def same_public_round(one: Round, other: Round) -> bool:
    """Whether two reads of :func:`round_get_public` found the same row (round, instrument,
    activity and its themes)."""
    row = getattr(one, PUBLIC_ROW, None)
    return row is not None and row == getattr(other, PUBLIC_ROW, None)


#: how long a process reuses a public round it read for the pages inside a walk (seconds)
RECENT_ROUND_SECONDS = 1.0
#: the most rounds kept per process (all forgotten when full)
RECENT_ROUNDS_KEPT = 256
#: token -> (monotonic time read, the round); threads share it (one dict operation at a time)
_RECENT_ROUNDS: dict[str, tuple[float, Round]] = {}


def round_get_public_recent(*, token: str, reuse: bool = True) -> Round:
    """:func:`round_get_public` for the pages inside a walk: a round this process read less
    than :data:`RECENT_ROUND_SECONDS` ago is used again (``reuse`` False: read now, and kept).

    When many respondents fill in the same survey at once, each page would otherwise read the
    same row. A copy may miss an edit made by another process for that second (an edit in
    this process forgets every copy at once: :func:`forget_recent_rounds`); a walk that
    stores answers reads the round again first (``respondent.survey_advance``), so what is
    stored is checked against the round as it is. The returned instance is shared between
    requests: read it, never change it.
    """
    now = monotonic()
    if reuse:
        kept = _RECENT_ROUNDS.get(token)
        if kept is not None and now - kept[0] < RECENT_ROUND_SECONDS:
            return kept[1]
    survey_round = round_get_public(token=token)
    if len(_RECENT_ROUNDS) >= RECENT_ROUNDS_KEPT:
        _RECENT_ROUNDS.clear()
    _RECENT_ROUNDS[token] = (now, survey_round)
    return survey_round


def forget_recent_rounds(**_signal: Any) -> None:
    """Drop every kept round: a round, an instrument, an activity or its themes changed
    (connected to their signals in ``ImpactConfig.ready``)."""
    _RECENT_ROUNDS.clear()


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
    """The ids of the activity's themes (what routing needs of them), in ascending order: those
    :func:`round_get_public` read with the activity, or one plain read."""
    known: list[int] | None = getattr(activity, PUBLIC_THEME_IDS, None)
    if known is not None:
        return known
    with statement_cursor() as cursor:
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
    return harm_answers_visible_to(user=user, status=Response.HarmStatus.PENDING)


def harm_answers_visible_to(
    *,
    user: Actor,
    status: str = "",
    activity_id: int | None = None,
    theme_id: int | None = None,
) -> QuerySet[Response]:
    """Answers flagged as reporting harm (waiting or reviewed; ``status`` narrows) that the
    viewer reviews: network staff all, coordinators their organisations' activities; optionally
    of one activity or of activities on one theme. Oldest first."""
    viewer = viewer_for(user)
    flagged = Response.objects.exclude(harm_status=Response.HarmStatus.NONE).select_related(
        "round", "round__activity", "harm_reviewed_by"
    )
    if status:
        flagged = flagged.filter(harm_status=status)
    if activity_id is not None:
        flagged = flagged.filter(round__activity_id=activity_id)
    if theme_id is not None:
        flagged = flagged.filter(round__activity__themes=theme_id)
    if not viewer.is_network_staff:
        flagged = flagged.filter(round__activity__host_organisation_id__in=viewer.writable_org_ids)
    return flagged.order_by("submitted_at", "pk")


def harm_filter_choices(*, user: Actor) -> tuple[list[Activity], list[tuple[int, str]]]:
    """The activities with flagged answers the viewer reviews, and their themes (id, name),
    for the harm queue's filters."""
    activity_ids = harm_answers_visible_to(user=user).values("round__activity_id")
    activities = list(
        Activity.objects.filter(pk__in=activity_ids).prefetch_related("themes").order_by("title")
    )
    themes = {theme.pk: theme.name for activity in activities for theme in activity.themes.all()}
    return activities, sorted(themes.items(), key=lambda item: item[1])


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


# Survey operations: a round's submissions, its follow-up reminders ----------------------

#: kinds of question an answer is expected to (free text, recorded values and conditional
#: questions may stay empty in a complete submission)
_EXPECTED_KINDS = {"agreement", "single", "multiple", "number"}


@dataclass(frozen=True)
class SubmissionRow:
    """One submission of a round as the coordinators' table shows it: pseudonymous."""

    response: Response
    #: the first characters of the respondent's code hash (or of the submission id)
    short_id: str
    is_complete: bool
    is_withdrawn: bool


def round_submissions(*, survey_round: Round) -> QuerySet[Response]:
    """Every submission of ``survey_round`` (already fetched through
    :func:`round_get_for_user`), newest first, withdrawn ones included."""
    return (
        Response.objects.filter(round=survey_round)
        .select_related("respondent")
        .only(
            "pk",
            "submission_id",
            "language",
            "submitted_at",
            "source",
            "answers",
            "sensitive_consent",
            "respondent__code_hash",
            "respondent__withdrawn_at",
        )
        .order_by("-submitted_at", "-pk")
    )


def submission_rows(*, survey_round: Round, responses: list[Response]) -> list[SubmissionRow]:
    """``responses`` of ``survey_round`` with their pseudonymous id and whether every question
    routed to the respondent that expects an answer has one (unconditional closed and number
    questions; "don't know" counts as an answer)."""
    questions = instrument_questions(survey_round.instrument)
    theme_ids = [theme.pk for theme in survey_round.activity.themes.all()]

    def expected(sensitive_consent: bool) -> list[Question]:
        return [
            question
            for question in routed_questions(
                questions,
                theme_ids=theme_ids,
                sensitive_consent=sensitive_consent,
                omitted=survey_round.omitted_questions,
            )
            if question.kind in _EXPECTED_KINDS and not question.relevant
        ]

    codes = {consent: [q.code for q in expected(consent)] for consent in (False, True)}
    rows = []
    for response in responses:
        respondent = response.respondent
        answers = response.answers or {}
        short = (respondent.code_hash if respondent is not None else response.submission_id.hex)[:8]
        rows.append(
            SubmissionRow(
                response=response,
                short_id=short,
                is_complete=all(
                    answers.get(code) not in (None, "", [])
                    for code in codes[response.sensitive_consent]
                ),
                is_withdrawn=respondent is not None and respondent.withdrawn_at is not None,
            )
        )
    return rows


def follow_up_contacts_due(*, survey_round: Round) -> list[FollowUpContact]:
    """The addresses to remind of ``survey_round``: one per respondent of the activity who
    gave one in another round, has not answered this round, has not withdrawn and was not
    sent a reminder of it yet (their latest address; a claim still unsent is left to
    ``core.once.send_once``)."""
    answered = Response.objects.filter(round=survey_round, respondent__isnull=False).values(
        "respondent_id"
    )
    reminded = FollowUpReminder.objects.filter(round=survey_round, sent_at__isnull=False).values(
        "respondent_id"
    )
    contacts = (
        FollowUpContact.objects.filter(
            respondent__activity_id=survey_round.activity_id,
            respondent__withdrawn_at__isnull=True,
        )
        .exclude(round=survey_round)
        .exclude(respondent_id__in=answered)
        .exclude(respondent_id__in=reminded)
        .order_by("respondent_id", "-consented_at", "-pk")
    )
    latest: dict[int, FollowUpContact] = {}
    for contact in contacts:
        latest.setdefault(contact.respondent_id, contact)
    return list(latest.values())


def follow_up_reminder_counts(*, survey_round: Round) -> dict[str, int]:
    """For the round page: how many people are due a reminder of ``survey_round`` and how
    many were sent one."""
    return {
        "due": len(follow_up_contacts_due(survey_round=survey_round)),
        "sent": FollowUpReminder.objects.filter(round=survey_round, sent_at__isnull=False).count(),
    }


# Free-text answers and quotable stories ----------------------------------------------------


def is_quotable_question(question: Question) -> bool:
    """A free-text question whose answers may become a report's story: written words, not a
    report of harm (reviewed in confidence), not a sensitive item, not a fact about the
    respondent ("About you")."""
    return (
        question.kind == Question.Kind.TEXT
        and not question.is_harm_report
        and not question.is_sensitive
        and question.block != Question.Block.DEMOGRAPHICS
    )


def can_mark_quotes(viewer: Viewer) -> bool:
    """Network staff, and the coordinators of a member organisation (for their activities)."""
    return viewer.is_network_staff or bool(viewer.writable_org_ids)


def quote_check(*, user: Actor, response: Response) -> None:
    """Who marks an answer quotable: network staff and the coordinators of the activity's
    host; NotFound for outsiders, Forbidden for read-only members."""
    viewer_for(user).require_org(response.round.activity.host_organisation_id, write=True)


@dataclass(frozen=True)
class FreeTextAnswer:
    """One written answer as the marking page shows it (never the respondent's code)."""

    response: Response
    question: Question
    text: str
    is_quotable: bool

    @property
    def has_consent(self) -> bool:
        return self.response.quote_consent


def free_text_answers_visible_to(*, user: Actor, limit: int = 200) -> list[FreeTextAnswer]:
    """The newest written answers to quotable questions that ``user`` may mark (see
    :func:`can_mark_quotes`: none for anyone else), withdrawn respondents' left out."""
    viewer = viewer_for(user)
    if not can_mark_quotes(viewer):
        return []
    questions: dict[int, list[Question]] = {}
    for question in Question.objects.filter(kind=Question.Kind.TEXT).order_by("order", "id"):
        if is_quotable_question(question):
            questions.setdefault(question.instrument_id, []).append(question)
    if not questions:
        return []
    responses = (
        Response.objects.counted()
        .filter(instrument_version_id__in=list(questions))
        .select_related("round", "round__activity", "round__activity__host_organisation")
        .prefetch_related("quotable_answers")
        .order_by("-submitted_at", "-id")
    )
    if not viewer.is_network_staff:
        responses = responses.filter(
            round__activity__host_organisation_id__in=viewer.writable_org_ids
        )
    # only responses holding a written answer: the JSON key filter keeps the scan in the database
    codes = sorted({q.code for qs in questions.values() for q in qs})
    responses = responses.filter(answers__has_any_keys=codes)
    found: list[FreeTextAnswer] = []
    for response in responses.iterator(chunk_size=200):
        marked = {mark.question_code for mark in response.quotable_answers.all()}
        for question in questions[response.instrument_version_id]:
            text = response.answers.get(question.code)
            if isinstance(text, str) and text.strip():
                found.append(FreeTextAnswer(response, question, text, question.code in marked))
        if len(found) >= limit:
            break
    return found[:limit]


def response_get_for_quote(*, user: Actor, pk: int) -> Response:
    """A response whose written answer is marked; NotFound for outsiders and withdrawn
    respondents, Forbidden for read-only members."""
    response = (
        Response.objects.counted()
        .select_related("round", "round__activity", "instrument_version")
        .filter(pk=pk)
        .first()
    )
    if response is None:
        raise NotFound
    quote_check(user=user, response=response)
    return response


# What needs a person now (lent to accounts.hooks) ----------------------------------------

ATTENTION_ROUNDS_CLOSING = "impact.rounds_closing"
ATTENTION_ROUNDS_OPENING = "impact.rounds_opening"
ATTENTION_HARM_WAITING = "impact.harm_waiting"
ATTENTION_LABELS = {
    ATTENTION_ROUNDS_CLOSING: _("Survey rounds closing in the next 14 days"),
    ATTENTION_ROUNDS_OPENING: _("Survey rounds opening in the next 7 days"),
    ATTENTION_HARM_WAITING: _("Answers reporting harm, waiting for review"),
}
ROUNDS_CLOSING_WITHIN = timedelta(days=14)
ROUNDS_OPENING_WITHIN = timedelta(days=7)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _round_group(kind: str, rounds: QuerySet[Round], *, event: str) -> AttentionGroup:
    """One group of rounds, each linked to its activity's rounds page; ``event`` names the
    date that makes it pressing (``opens`` or ``closes``)."""
    shown, count = first_items(rounds.select_related("activity"))
    items = []
    for round_ in shown:
        moment = round_.opens_at if event == "opens" else round_.closes_at
        day = timezone.localdate(moment)
        items.append(
            AttentionItem(
                key=f"impact.round:{round_.pk}:{event}:{day.isoformat()}",
                title=f"{round_.activity.title} · {round_.get_kind_display()}",
                url=reverse("impact:activity_rounds", args=[round_.activity_id]),
                due=day,
            )
        )
    return AttentionGroup(
        kind=kind,
        label=ATTENTION_LABELS[kind],
        url=items[0].url if len(items) == 1 else reverse("impact:index"),
        count=count,
        items=tuple(items),
    )


def attention_rounds_and_harm(user: User, today: date) -> list[AttentionGroup]:
    """For ``user`` on ``today``: the rounds they may analyse that close within 14 days or open
    within 7, and the answers reporting harm waiting for their review (network staff and the
    host's coordinators)."""
    start = _day_start(today)
    rounds = round_list_visible_to(user=user)
    closing = rounds.filter(
        opens_at__lt=start + ROUNDS_CLOSING_WITHIN,
        closes_at__gte=start,
        closes_at__lt=start + ROUNDS_CLOSING_WITHIN + timedelta(days=1),
    ).order_by("closes_at", "pk")
    opening = rounds.filter(
        opens_at__gte=start, opens_at__lt=start + ROUNDS_OPENING_WITHIN + timedelta(days=1)
    ).order_by("opens_at", "pk")
    harm, harm_count = first_items(harm_queue_visible_to(user=user).order_by("submitted_at", "pk"))
    harm_items = tuple(
        AttentionItem(
            key=f"impact.harm:{response.pk}",
            title=f"{response.round.activity.title} · {response.round.get_kind_display()}",
            url=reverse("impact:harm_queue"),
            due=None,
        )
        for response in harm
    )
    return [
        _round_group(ATTENTION_ROUNDS_CLOSING, closing, event="closes"),
        _round_group(ATTENTION_ROUNDS_OPENING, opening, event="opens"),
        AttentionGroup(
            kind=ATTENTION_HARM_WAITING,
            label=ATTENTION_LABELS[ATTENTION_HARM_WAITING],
            url=reverse("impact:harm_queue"),
            count=harm_count,
            items=harm_items,
        ),
    ]


@dataclass(frozen=True)
class HomeFigures:
    """The few figures of a person's home page, over the activities they may analyse that
    start in ``year``: how many there are, the responses counted (withdrawn left out), and the
    volunteers who answered both the pre and the post survey among those who answered the
    post one."""

    year: int
    activities: int
    #: the activities they may analyse, all years: the scale of ``activities``
    activities_total: int
    responses: int
    paired: int
    with_post: int


def home_figures(*, user: Actor, year: int) -> HomeFigures:
    """:class:`HomeFigures` for ``user`` (4 queries)."""
    rule = activity_access(viewer_for(user), Purpose.ANALYSE)
    analysable = Activity.objects.all() if rule is None else Activity.objects.filter(rule)
    activities = analysable.filter(start_date__year=year)
    ids = activities.values("pk")
    kinds = (
        Respondent.objects.active()
        .filter(activity__in=ids)
        .annotate(
            has_pre=Count("responses", filter=Q(responses__round__kind=Round.Kind.PRE)),
            has_post=Count("responses", filter=Q(responses__round__kind=Round.Kind.POST)),
        )
        .filter(has_post__gt=0)
        .values_list("has_pre", flat=True)
    )
    pre_counts = list(kinds)
    return HomeFigures(
        year=year,
        activities=activities.count(),
        activities_total=analysable.count(),
        responses=Response.objects.counted().filter(round__activity__in=ids).count(),
        paired=sum(1 for pre in pre_counts if pre),
        with_post=len(pre_counts),
    )
