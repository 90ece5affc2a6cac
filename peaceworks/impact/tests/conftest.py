"""Fixtures of the impact tests: a campaign with five themes, activities, the default framework."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Activity, Campaign, Theme
from peaceworks.campaigns.services import campaign_create, programme_create, theme_create
from peaceworks.directory.models import Organisation
from peaceworks.impact.default_framework import THEMES
from peaceworks.impact.models import Framework, Response, Round
from peaceworks.impact.services import framework_install_default, round_open
from peaceworks.impact.typed_answers import MARK, typed_columns
from peaceworks.impact.views import public

THEME_CODES = {1: "migrants", 2: "dignity", 3: "gender", 4: "peace", 5: "participation"}


def campaign_build(
    *, actor: User, code: str = "rpc", name: str = "Rights Camps", programme: str = "rights"
) -> Campaign:
    """The campaign "rpc" (or ``code``) with its five themes, built through the services."""
    programme_row = programme_create(actor=actor, name=programme.title(), code=programme)
    campaign = campaign_create(actor=actor, programme=programme_row, name=name, code=code)
    for number, names in THEMES.items():
        theme_create(
            actor=actor,
            campaign=campaign,
            number=number,
            code=THEME_CODES[number],
            name=names["en"],
        )
    return campaign


@pytest.fixture
def campaign(network_admin: User) -> Campaign:
    """Built through the services, as the campaigns tests' ``campaign`` is."""
    return campaign_build(actor=network_admin)


@pytest.fixture
def framework(campaign: Campaign) -> Framework:
    return framework_install_default(actor=None, campaign=campaign)


def activity_maker(
    campaign: Campaign, organisation: Organisation, *, first: int = 1
) -> Callable[..., Activity]:
    """Makes activities of ``campaign`` (``act-<first>``, then on), hosted by ``organisation``
    unless told otherwise: a workcamp in Kenya of 14 days ending today, themes 1 and 4."""
    counter = iter(range(first, 1000))

    def make(*, days: int = 14, themes: tuple[int, ...] = (1, 4), **fields: Any) -> Activity:
        number = next(counter)
        start = timezone.localdate() - timedelta(days=days - 1)
        values: dict[str, Any] = {
            "campaign": campaign,
            "host_organisation": organisation,
            "code": f"act-{number}",
            "title": f"Activity {number}",
            "activity_type": Activity.Type.WORKCAMP,
            "start_date": start,
            "end_date": start + timedelta(days=days - 1),
            "country": "KE",
            "international_volunteers": 10,
            "local_volunteers": 5,
        }
        values.update(fields)
        activity = Activity.objects.create(**values)
        activity.themes.set(Theme.objects.filter(campaign=campaign, number__in=themes))
        return activity

    return make


@pytest.fixture
def make_activity(campaign: Campaign, organisation: Organisation) -> Callable[..., Activity]:
    return activity_maker(campaign, organisation)


@pytest.fixture
def activity(make_activity: Callable[..., Activity]) -> Activity:
    return make_activity()


@pytest.fixture
def make_post_round(framework: Framework) -> Callable[[Activity], Round]:
    """Opens a post round of an activity: open since yesterday, for five more days."""

    def make(activity: Activity) -> Round:
        now = timezone.now()
        return round_open(
            actor=None,
            activity=activity,
            kind=Round.Kind.POST,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=5),
        )

    return make


@pytest.fixture
def post_round(make_post_round: Callable[[Activity], Round], activity: Activity) -> Round:
    return make_post_round(activity)


@pytest.fixture
def pre_round(framework: Framework, activity: Activity) -> Round:
    now = timezone.now()
    return round_open(
        actor=None,
        activity=activity,
        kind=Round.Kind.PRE,
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=5),
    )


@pytest.fixture(autouse=True)
def typed_answers_agree(request: pytest.FixtureRequest) -> Iterator[None]:
    """After every test that used the database: each response's typed answers
    (``Response.scores``, ``Response.profile``) are the ones its JSON gives
    (``typed_answers.typed_columns``), whichever write path stored it — the web form, the API,
    ODK, an import, a replacement, the demo. A row may be left empty or of another layout (the
    refresh then reads its JSON), never stale."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        yield
        return
    # the database fixture inside this one, so the rows are still there when it checks
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    yield
    # a row of another layout is read from its JSON, like an empty one
    rows = Response.objects.filter(scores__isnull=False, profile__startswith=MARK).values_list(
        "pk", "answers", "then_answers", "scores", "profile"
    )
    for pk, answers, then, scores, profile in rows:
        assert (bytes(scores or b""), profile) == typed_columns(answers, then), f"response {pk}"


@pytest.fixture
def step_values(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The values ``views.public.step_context`` gave each page the view wrote, in order (the
    page is written by ``views.step_page`` without a template, so the test client records no
    template context; ``step_context`` itself runs unchanged)."""
    given: list[dict[str, Any]] = []
    real = public.step_context

    def recorded(*args: Any) -> dict[str, Any]:
        values = real(*args)
        given.append(values)
        return values

    monkeypatch.setattr(public, "step_context", recorded)
    return given
