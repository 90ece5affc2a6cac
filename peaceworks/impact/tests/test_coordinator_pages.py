from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Activity, Campaign
from peaceworks.impact.models import Framework, Response, Round
from peaceworks.impact.services import respondent_withdraw, response_submit


def _submit(survey_round: Round, code: str, answers: dict[str, Any] | None = None) -> Response:
    return response_submit(
        survey_round=survey_round,
        submission_id=uuid.uuid4(),
        language="en",
        answers=answers or {"t1_knowledge": 3},
        matching_code=code,
        consent_version=survey_round.instrument.consent_version,
    ).response


def test_rounds_page_shows_counts_and_rates(
    client_for: Callable[[User | None], Client],
    org_coordinator: User,
    pre_round: Round,
    post_round: Round,
    django_assert_max_num_queries: Any,
) -> None:
    _submit(pre_round, "AA01BB")
    _submit(post_round, "AA01BB")
    _submit(post_round, "CC02DD")
    _submit(post_round, "EE03FF")
    respondent_withdraw(activity=post_round.activity, matching_code="EE03FF")
    client = client_for(org_coordinator)
    url = reverse("impact:activity_rounds", args=[post_round.activity_id])
    with django_assert_max_num_queries(12):
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    # post: 2 counted responses of 15 volunteers; 1 of 2 post respondents paired
    assert "13 %" in html
    assert "50 %" in html
    assert post_round.token in html


def test_outsider_gets_404_on_rounds_page(
    client_for: Callable[[User | None], Client], outsider: User, post_round: Round
) -> None:
    url = reverse("impact:activity_rounds", args=[post_round.activity_id])
    assert client_for(outsider).get(url).status_code == 404
    qr = reverse("impact:round_qr", args=[post_round.pk, "png"])
    assert client_for(outsider).get(qr).status_code == 404


def test_read_only_member_gets_403_opening_rounds(
    client_for: Callable[[User | None], Client],
    org_member: User,
    activity: Activity,
    framework: Framework,
) -> None:
    url = reverse("impact:activity_rounds", args=[activity.pk])
    client = client_for(org_member)
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "default"}).status_code == 403
    assert not Round.objects.exists()


def test_coordinator_opens_the_recommended_rounds(
    client_for: Callable[[User | None], Client],
    org_coordinator: User,
    make_activity: Callable[..., Activity],
    framework: Framework,
) -> None:
    short = make_activity(days=2)
    url = reverse("impact:activity_rounds", args=[short.pk])
    assert client_for(org_coordinator).post(url, {"action": "default"}).status_code == 302
    assert set(Round.objects.values_list("kind", "uses_retrospective")) == {
        ("post", True),
        ("partner", False),
    }


def test_opening_a_round_twice_shows_a_clear_message(
    client_for: Callable[[User | None], Client], org_coordinator: User, post_round: Round
) -> None:
    url = reverse("impact:activity_rounds", args=[post_round.activity_id])
    page = client_for(org_coordinator).post(url, {"kind": "post"})
    assert page.status_code == 400
    assert "already has a round" in page.content.decode()


def test_qr_codes_are_png_and_svg(
    client_for: Callable[[User | None], Client], org_member: User, post_round: Round
) -> None:
    client = client_for(org_member)
    png = client.get(reverse("impact:round_qr", args=[post_round.pk, "png"]))
    assert png.content.startswith(b"\x89PNG")
    svg = client.get(reverse("impact:round_qr", args=[post_round.pk, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    assert client.get(reverse("impact:round_qr", args=[post_round.pk, "gif"])).status_code == 404


def test_index_lists_activities_and_offers_the_default_framework(
    client_for: Callable[[User | None], Client],
    network_coordinator: User,
    campaign: Campaign,
    activity: Activity,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(network_coordinator)
    # the activities are paged: one more query counts them
    with django_assert_max_num_queries(11):
        page = client.get(reverse("impact:index"))
    assert activity.title in page.content.decode()
    install = client.post(reverse("impact:framework_install", args=[campaign.pk]))
    assert install.status_code == 302
    assert Framework.objects.filter(campaign=campaign).exists()


def test_org_coordinator_cannot_install_frameworks(
    client_for: Callable[[User | None], Client], org_coordinator: User, campaign: Campaign
) -> None:
    url = reverse("impact:framework_install", args=[campaign.pk])
    assert client_for(org_coordinator).post(url).status_code == 404


def test_harm_reports_reach_the_review_queue(
    client_for: Callable[[User | None], Client],
    org_coordinator: User,
    org_member: User,
    outsider: User,
    post_round: Round,
) -> None:
    response = _submit(
        post_round, "HH01HH", {"i_harm": "yes", "i_harm_text": "A volunteer was mocked."}
    )
    assert response.harm_status == Response.HarmStatus.PENDING
    queue = client_for(org_coordinator).get(reverse("impact:harm_queue"))
    assert "A volunteer was mocked." in queue.content.decode()
    url = reverse("impact:harm_review", args=[response.pk])
    assert client_for(outsider).post(url, {"note": "x"}).status_code == 404
    assert client_for(org_member).post(url, {"note": "x"}).status_code == 403
    assert client_for(org_coordinator).post(url, {"note": ""}).status_code == 400
    assert (
        client_for(org_coordinator).post(url, {"note": "Talked to the group."}).status_code == 302
    )
    response.refresh_from_db()
    assert response.harm_status == Response.HarmStatus.REVIEWED
