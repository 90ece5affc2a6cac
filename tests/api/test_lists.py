"""Issue 21: lists page, filter and order the same way in every app — ``page``/``page_size``
with ``count``, ``next`` and ``previous`` links that keep the other parameters; ``ordering``
from an allowed set (another value: 422 ``ordering_unknown``); ``updated_since`` (a time with
its offset, else 422 ``timestamp_without_offset``) and each list's own filters."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from peaceworks.campaigns.models import Activity
from peaceworks.consultations import services as consultation_services
from peaceworks.directory.models import Organisation, Partnership, Stakeholder
from peaceworks.directory.tests.factories import make_stakeholder
from peaceworks.impact.models import Response
from peaceworks.meetings.models import Meeting
from peaceworks.meetings.services import meeting_create

pytestmark = pytest.mark.django_db

API = "/api/v1"
OLD = datetime(2025, 6, 1, tzinfo=UTC)
NEW = datetime(2026, 2, 1, tzinfo=UTC)


def items(response: Any, key: str = "code") -> list[Any]:
    assert response.status_code == 200, response.content
    return [item[key] for item in response.json()["items"]]


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def assert_problem(response: Any, code: str, field: str) -> None:
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert (response.json()["code"], response.json()["field"]) == (code, field)


def test_pages_link_to_each_other_and_keep_the_filters(
    client_for, network_coordinator, make_organisation
):
    for number in range(5):
        make_organisation(name=f"Kenyan {number}", code=f"ke-{number}", country="KE")
    make_organisation(name="Ghanaian", code="gh-1", country="GH")
    client = client_for(network_coordinator)
    url = f"{API}/directory/organisations"

    first = client.get(url, {"country": "KE", "page_size": 2}).json()
    assert (first["count"], first["page"], first["page_size"]) == (5, 1, 2)
    assert first["previous"] is None
    assert query_of(first["next"]) == {"country": ["KE"], "page_size": ["2"], "page": ["2"]}
    assert first["next"].startswith("http://testserver/api/v1/directory/organisations?")

    last = client.get(first["next"].removeprefix("http://testserver")).json()
    last = client.get(last["next"].removeprefix("http://testserver")).json()
    assert [item["code"] for item in last["items"]] == ["ke-4"]
    assert last["next"] is None
    assert query_of(last["previous"])["page"] == ["2"]

    beyond = client.get(url, {"country": "KE", "page_size": 2, "page": 9}).json()
    assert (beyond["items"], beyond["next"]) == ([], None)
    assert query_of(beyond["previous"])["page"] == ["3"]  # back to the last page


@pytest.mark.parametrize(
    ("parameter", "value"), [("page", 0), ("page_size", 0), ("page_size", 201)]
)
def test_a_page_out_of_bounds_is_422_naming_it(client_for, network_coordinator, parameter, value):
    response = client_for(network_coordinator).get(
        f"{API}/directory/organisations", {parameter: value}
    )
    assert response.status_code == 422
    assert response.json()["field"] == parameter


def test_organisations_are_ordered_as_asked_and_refuse_an_unknown_ordering(
    client_for, network_coordinator, make_organisation
):
    for code, name, country in (("b", "Bravo", "GH"), ("a", "Alpha", "UG"), ("c", "Charlie", "BJ")):
        make_organisation(name=name, code=code, country=country)
    client = client_for(network_coordinator)
    url = f"{API}/directory/organisations"
    assert items(client.get(url)) == ["a", "b", "c"]
    assert items(client.get(url, {"ordering": "-name"})) == ["c", "b", "a"]
    assert items(client.get(url, {"ordering": "country"})) == ["c", "b", "a"]
    assert_problem(client.get(url, {"ordering": "secret_field"}), "ordering_unknown", "ordering")
    assert_problem(client.get(url, {"ordering": "--name"}), "ordering_unknown", "ordering")


def test_updated_since_keeps_what_changed_and_wants_an_offset(
    client_for, network_coordinator, make_organisation
):
    make_organisation(name="Old", code="old")
    make_organisation(name="New", code="new")
    Organisation.objects.filter(code="old").update(updated_at=OLD)
    Organisation.objects.filter(code="new").update(updated_at=NEW)
    client = client_for(network_coordinator)
    url = f"{API}/directory/organisations"
    assert items(client.get(url, {"updated_since": "2026-01-01T00:00:00Z"})) == ["new"]
    assert items(client.get(url, {"updated_since": "2026-02-01T01:00:00+02:00"})) == ["new"]
    assert_problem(
        client.get(url, {"updated_since": "2026-01-01T00:00:00"}),
        "timestamp_without_offset",
        "updated_since",
    )


def test_stakeholders_filter_by_country_and_type_and_order_by_code(client_for, network_coordinator):
    make_stakeholder(network_coordinator, code="unv", name="UN Volunteers", country="DE")
    make_stakeholder(
        network_coordinator,
        code="eu",
        name="European Union",
        country="BE",
        stakeholder_type="funder",
    )
    make_stakeholder(network_coordinator, code="giz", name="GIZ", country="DE")
    client = client_for(network_coordinator)
    url = f"{API}/directory/stakeholders"
    assert items(client.get(url, {"country": "de", "ordering": "-code"})) == ["unv", "giz"]
    assert items(client.get(url, {"stakeholder_type": "funder"})) == ["eu"]
    Stakeholder.objects.filter(code="giz").update(updated_at=NEW)
    Stakeholder.objects.exclude(code="giz").update(updated_at=OLD)
    assert items(client.get(url, {"updated_since": "2026-01-01T00:00:00Z"})) == ["giz"]


def test_partnerships_filter_by_status(client_for, network_coordinator, world):
    Partnership.objects.filter(pk=world.partnership.pk).update(status="active")
    client = client_for(network_coordinator)
    url = f"{API}/directory/partnerships"
    assert items(client.get(url, {"status": "active"})) == [world.partnership.code]
    assert items(client.get(url, {"status": "ended"})) == []
    assert_problem(client.get(url, {"ordering": "budget"}), "ordering_unknown", "ordering")


def _activity(world: Any, code: str, title: str, start: date) -> Activity:
    activity = Activity.objects.get(pk=world.activity.pk)
    activity.pk = None
    activity.code, activity.title, activity.start_date, activity.end_date = (
        code,
        title,
        start,
        start,
    )
    activity.save()
    return activity


def test_activities_order_by_title_and_start_and_filter_by_change(
    client_for, org_coordinator, world
):
    _activity(world, "zeta", "A zeta camp", date(2024, 7, 1))
    _activity(world, "alpha", "Z alpha seminar", date(2025, 7, 1))
    Activity.objects.filter(code="alpha").update(updated_at=NEW)
    Activity.objects.exclude(code="alpha").update(updated_at=OLD)
    client = client_for(org_coordinator)
    url = f"{API}/campaigns/activities"
    assert items(client.get(url, {"ordering": "title"})) == ["zeta", "act-1", "alpha"]
    assert items(client.get(url, {"ordering": "start_date"}))[:2] == ["zeta", "alpha"]
    assert items(client.get(url, {"updated_since": "2026-01-01T00:00:00Z"})) == ["alpha"]


def test_rounds_filter_by_kind_and_campaign(client_for, org_coordinator, world):
    client = client_for(org_coordinator)
    url = f"{API}/impact/rounds"
    assert items(client.get(url, {"kind": "post"}), "id") == [world.round.pk]
    assert items(client.get(url, {"kind": "pre"}), "id") == []
    assert items(client.get(url, {"campaign_id": world.campaign.pk}), "id") == [world.round.pk]
    assert_problem(client.get(url, {"ordering": "token"}), "ordering_unknown", "ordering")


def test_responses_filter_by_submission_time(client, client_for, org_coordinator, world):
    for code in ("AB12CD", "EF34GH"):
        answer = {
            "submission_id": str(uuid.uuid4()),
            "language": "en",
            "consent_version": world.round.instrument.consent_version,
            "matching_code": code,
            "answers": {"t4_conflict": 4},
        }
        stored = client.post(
            f"{API}/impact/public/rounds/{world.round.token}/responses",
            json.dumps(answer),
            content_type="application/json",
        )
        assert stored.status_code == 201, stored.content
    first, second = Response.objects.order_by("pk")
    Response.objects.filter(pk=first.pk).update(submitted_at=OLD)
    Response.objects.filter(pk=second.pk).update(submitted_at=NEW)
    url = f"{API}/impact/rounds/{world.round.pk}/responses"
    listed = client_for(org_coordinator).get(url, {"submitted_since": "2026-01-01T00:00:00Z"})
    assert items(listed, "submission_id") == [str(second.submission_id)]


def test_consultations_filter_by_phase_and_order_by_title(client_for, network_coordinator):
    for slug, title in (("b-listening", "B listening"), ("a-strategy", "A strategy")):
        consultation = consultation_services.consultation_create(
            actor=network_coordinator, changes={"title": title, "slug": slug}
        )
        if slug == "b-listening":
            consultation_services.consultation_set_phase(
                actor=network_coordinator, consultation=consultation, phase="open"
            )
    client = client_for(network_coordinator)
    url = f"{API}/consultations/consultations"
    assert items(client.get(url, {"ordering": "title"}), "slug") == ["a-strategy", "b-listening"]
    assert items(client.get(url, {"phase": "open"}), "slug") == ["b-listening"]


def test_meetings_filter_by_type_and_date_and_order_by_title(client_for, network_coordinator):
    for title, kind, start in (
        ("Zagreb seminar", Meeting.Type.COORDINATORS, date(2025, 3, 3)),
        ("Accra assembly", Meeting.Type.COORDINATORS, date(2026, 5, 4)),
    ):
        meeting_create(
            actor=network_coordinator,
            values={
                "title": title,
                "short_name": title.split()[0],
                "meeting_type": kind,
                "start_date": start,
                "end_date": start,
                "time_zone": "UTC",
            },
        )
    client = client_for(network_coordinator)
    url = f"{API}/meetings/meetings"
    assert items(client.get(url, {"ordering": "title"}), "title") == [
        "Accra assembly",
        "Zagreb seminar",
    ]
    assert items(client.get(url), "title") == ["Accra assembly", "Zagreb seminar"]  # newest first
    assert items(client.get(url, {"starts_from": "2026-01-01"}), "title") == ["Accra assembly"]
    other_type = next(kind for kind in Meeting.Type if kind != Meeting.Type.COORDINATORS)
    assert items(client.get(url, {"meeting_type": other_type}), "title") == []


def test_published_reports_refuse_an_unknown_ordering(client_for, network_coordinator):
    client = client_for(network_coordinator)
    url = f"{API}/reports/published"
    assert client.get(url, {"ordering": "title"}).json()["count"] == 0
    assert_problem(client.get(url, {"ordering": "pdf"}), "ordering_unknown", "ordering")
