"""Long impact pages: the harm queue and the impact index are paged, filtered and sorted, and
the index has an in-page navigation."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Activity
from peaceworks.impact.models import Framework, Response, Round
from peaceworks.impact.services import harm_review, response_submit
from peaceworks.impact.views.coordinator import HARM_PAGE_SIZE, INDEX_PAGE_SIZE

pytestmark = pytest.mark.django_db


def _harm(survey_round: Round, number: int, *, minutes: int) -> Response:
    response = response_submit(
        survey_round=survey_round,
        submission_id=uuid.uuid4(),
        language="en",
        answers={"i_harm": "yes", "i_harm_text": f"Report number {number:03d}."},
        matching_code=f"HA{number:02d}RM",
        consent_version=survey_round.instrument.consent_version,
    ).response
    # fixed, distinct submission times, so the order is known
    Response.objects.filter(pk=response.pk).update(
        submitted_at=timezone.now().replace(microsecond=0) - timedelta(minutes=minutes)
    )
    return response


@pytest.fixture
def harm_reports(
    make_post_round: Callable[[Activity], Round], make_activity: Callable[..., Activity]
) -> tuple[Activity, Activity]:
    """``HARM_PAGE_SIZE + 3`` reports on a first activity (themes 1 and 4), 2 on a second
    (theme 2); report 1 is the oldest."""
    first = make_activity(title="Workcamp by the lake", themes=(1, 4))
    second = make_activity(title="Seminar in town", themes=(2,))
    first_round, second_round = make_post_round(first), make_post_round(second)
    total = HARM_PAGE_SIZE + 3
    for number in range(1, total + 1):
        _harm(first_round, number, minutes=1000 - number)
    _harm(second_round, 90, minutes=10)
    _harm(second_round, 91, minutes=5)
    return first, second


def _reports(html: str) -> list[str]:
    return re.findall(r"Report number (\d{3})\.", html)


def test_harm_queue_page_two_shows_the_next_answers(
    client_for: Callable[[User | None], Client],
    network_coordinator: User,
    harm_reports: tuple[Activity, Activity],
) -> None:
    client = client_for(network_coordinator)
    first = _reports(client.get(reverse("impact:harm_queue")).content.decode())
    second = _reports(client.get(reverse("impact:harm_queue"), {"page": 2}).content.decode())
    assert first == [f"{n:03d}" for n in range(1, HARM_PAGE_SIZE + 1)]
    assert second == [f"{n:03d}" for n in range(HARM_PAGE_SIZE + 1, HARM_PAGE_SIZE + 4)] + [
        "090",
        "091",
    ]


def test_harm_queue_filters_narrow_and_survive_paging(
    client_for: Callable[[User | None], Client],
    org_coordinator: User,
    harm_reports: tuple[Activity, Activity],
) -> None:
    first, second = harm_reports
    client = client_for(org_coordinator)
    by_theme = client.get(
        reverse("impact:harm_queue"), {"theme": second.themes.get().pk}
    ).content.decode()
    assert _reports(by_theme) == ["090", "091"]
    page = client.get(reverse("impact:harm_queue"), {"activity": str(first.pk), "sort": "newest"})
    html = page.content.decode()
    assert _reports(html)[0] == f"{HARM_PAGE_SIZE + 3:03d}"
    assert "090" not in _reports(html)
    next_link = re.search(r'href="\?([^"]*page=2)"', html)
    assert next_link is not None
    query = next_link.group(1).replace("&amp;", "&")
    assert f"activity={first.pk}" in query
    assert "sort=newest" in query
    following = _reports(client.get(reverse("impact:harm_queue") + "?" + query).content.decode())
    assert following == ["003", "002", "001"]


def test_harm_queue_status_filter_shows_reviewed_answers_with_their_note(
    client_for: Callable[[User | None], Client],
    org_coordinator: User,
    harm_reports: tuple[Activity, Activity],
) -> None:
    reviewed = Response.objects.get(answers__i_harm_text="Report number 090.")
    harm_review(actor=org_coordinator, response=reviewed, note="Called the host.")
    client = client_for(org_coordinator)
    pending = _reports(client.get(reverse("impact:harm_queue"), {"page": 2}).content.decode())
    assert "090" not in pending
    done = client.get(reverse("impact:harm_queue"), {"status": "reviewed"}).content.decode()
    assert _reports(done) == ["090"]
    assert "Called the host." in done


def test_harm_queue_unknown_values_fall_back_to_the_defaults(
    client_for: Callable[[User | None], Client],
    org_coordinator: User,
    harm_reports: tuple[Activity, Activity],
) -> None:
    page = client_for(org_coordinator).get(
        reverse("impact:harm_queue"),
        {"sort": "sideways", "status": "lost", "activity": "x", "theme": "999999", "page": "z"},
    )
    assert page.status_code == 200
    assert _reports(page.content.decode())[0] == "001"


def test_harm_review_returns_to_the_same_filtered_page(
    client_for: Callable[[User | None], Client],
    org_coordinator: User,
    harm_reports: tuple[Activity, Activity],
) -> None:
    first, _second = harm_reports
    response = Response.objects.get(answers__i_harm_text="Report number 001.")
    back = f"?activity={first.pk}&page=2"
    done = client_for(org_coordinator).post(
        reverse("impact:harm_review", args=[response.pk]), {"note": "Done.", "back": back}
    )
    assert done["Location"] == reverse("impact:harm_queue") + back
    elsewhere = client_for(org_coordinator).post(
        reverse(
            "impact:harm_review",
            args=[Response.objects.get(answers__i_harm_text="Report number 002.").pk],
        ),
        {"note": "Done.", "back": "https://example.org/"},
    )
    assert elsewhere["Location"] == reverse("impact:harm_queue")


def test_harm_queue_shows_each_persona_only_its_answers(
    client_for: Callable[[User | None], Client],
    network_coordinator: User,
    org_coordinator: User,
    outsider: User,
    harm_reports: tuple[Activity, Activity],
) -> None:
    count = re.compile(r"(\d+) answers? match")
    staff = client_for(network_coordinator).get(reverse("impact:harm_queue")).content.decode()
    own = client_for(org_coordinator).get(reverse("impact:harm_queue")).content.decode()
    other = client_for(outsider).get(reverse("impact:harm_queue")).content.decode()
    assert count.search(staff).group(1) == str(HARM_PAGE_SIZE + 5)  # type: ignore[union-attr]
    assert count.search(own).group(1) == str(HARM_PAGE_SIZE + 5)  # type: ignore[union-attr]
    assert _reports(other) == []
    assert "Workcamp by the lake" not in other
    assert client_for(None).get(reverse("impact:harm_queue")).status_code == 302


def test_impact_index_pages_filters_and_sorts_activities(
    client_for: Callable[[User | None], Client],
    network_coordinator: User,
    org_coordinator: User,
    outsider: User,
    framework: Framework,
    make_activity: Callable[..., Activity],
    django_assert_max_num_queries: Any,
) -> None:
    for number in range(INDEX_PAGE_SIZE + 2):
        make_activity(title=f"Camp {number:02d}", days=3 + number)
    make_activity(title="Lakeside seminar")
    client = client_for(network_coordinator)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("impact:index"), {"sort": "title"}).content.decode()
    titles = re.findall(r">(Camp \d\d|Lakeside seminar)</a>", first)
    assert titles == [f"Camp {n:02d}" for n in range(INDEX_PAGE_SIZE)]
    second = client.get(reverse("impact:index"), {"sort": "title", "page": "2"}).content.decode()
    assert re.findall(r">(Camp \d\d|Lakeside seminar)</a>", second) == [
        f"Camp {INDEX_PAGE_SIZE:02d}",
        f"Camp {INDEX_PAGE_SIZE + 1:02d}",
        "Lakeside seminar",
    ]
    assert "sort=title&amp;page=1#activities" in second
    narrowed = client.get(reverse("impact:index"), {"q": "lakeside", "sort": "bogus"})
    assert narrowed.status_code == 200
    assert re.findall(r">(Camp \d\d|Lakeside seminar)</a>", narrowed.content.decode()) == [
        "Lakeside seminar"
    ]
    for anchor in ("dashboards", "frameworks", "activities"):
        assert f'href="#{anchor}"' in first
        assert f'id="{anchor}"' in first
    own = client_for(org_coordinator).get(reverse("impact:index"), {"q": "lakeside"})
    assert "Lakeside seminar" in own.content.decode()
    other = client_for(outsider).get(reverse("impact:index"), {"q": "lakeside"})
    assert "Lakeside seminar" not in other.content.decode()
