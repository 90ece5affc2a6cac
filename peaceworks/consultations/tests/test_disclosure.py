"""Small opinion groups follow the product's small-cell rule on the page, in the API and in
the draft: "fewer than N", with a complementary group hidden so that a size cannot be worked
out from the others."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from peaceworks.consultations import services
from peaceworks.consultations.disclosure import hidden_groups, protect_groups
from peaceworks.consultations.models import Consultation, SynthesisRun
from peaceworks.impact.analytics.suppression import COORDINATOR_MIN_N, PUBLISHED_MIN_N

pytestmark = pytest.mark.django_db

#: three planted groups: 12 agree with everything, 8 disagree, 3 agree then disagree
PLANTED = {12: (1, 1, 1, 1, 1, 1), 8: (-1, -1, -1, -1, -1, -1), 3: (1, 1, 1, -1, -1, -1)}


def test_a_lone_small_group_takes_the_next_smallest_with_it():
    assert hidden_groups([12, 8, 3], floor=5) == [False, True, True]
    assert hidden_groups([12, 8, 6], floor=5) == [False, False, False]
    assert hidden_groups([4, 3], floor=5) == [True, True]
    # at the published floor the 8 is small on its own account
    assert hidden_groups([12, 8, 3], floor=10) == [False, True, True]


def test_a_hidden_group_loses_its_rates_and_its_points():
    result = {
        "k": 2,
        "groups": [
            {
                "group": 0,
                "size": 9,
                "representatives": [
                    {"statement": "1", "agree_rate": 0.9, "votes": 9, "direction": "agree"},
                    {"statement": "2", "agree_rate": 0.5, "votes": 2, "direction": "agree"},
                ],
            },
            {
                "group": 1,
                "size": 2,
                "representatives": [{"statement": "3", "agree_rate": 1.0, "votes": 2}],
            },
        ],
        "points": [
            {"label": f"P{i}", "x": 0.0, "y": 0.0, "group": 1 if i < 2 else 0} for i in range(11)
        ],
        "engine": {"labels": [0] * 9 + [1] * 2},
    }
    protected = protect_groups(result, floor=5)
    assert [g["size"] for g in protected["groups"]] == [None, None]  # 2 < 5, then 9 with it
    assert all(g["suppressed"] for g in protected["groups"])
    assert protected["points"] == []
    assert "engine" not in protected
    visible = protect_groups({**result, "groups": [result["groups"][0]]}, floor=5)
    rates = [rep["agree_rate"] for rep in visible["groups"][0]["representatives"]]
    assert rates == [0.9, None]  # a rate over 2 voters of the group is a small cell
    assert len(visible["points"]) == 11


def _planted_run(network_coordinator) -> Consultation:
    consultation = services.consultation_create(
        actor=network_coordinator,
        changes={"title": "Planted", "slug": "planted", "audience": "public_link"},
        prompts=[{"en": "What next?"}],
    )
    services.consultation_set_phase(
        actor=network_coordinator, consultation=consultation, phase="open"
    )
    statements = [
        services.statement_submit(
            actor=network_coordinator, consultation=consultation, text=f"Statement {n}"
        )
        for n in range(6)
    ]
    visitor = AnonymousUser()
    for size, votes in PLANTED.items():
        for person in range(size):
            for statement, value in zip(statements, votes, strict=True):
                services.vote_cast(
                    actor=visitor,
                    statement=statement,
                    value=value,
                    token=consultation.public_token,
                    participant_token=f"group-{size}-person-{person}",
                )
    run = services.synthesis_request(
        actor=network_coordinator, consultation=consultation, kind="groups"
    )
    run = services.synthesis_execute(run_id=run.pk)
    assert run.state == SynthesisRun.State.DONE, run.error
    assert isinstance(run.result, dict)
    assert sorted(g["size"] for g in run.result["groups"]) == [3, 8, 12]
    return consultation


def _sizes_on_page(html: str) -> list[str]:
    return [cell.strip() for cell in re.findall(r'<th scope="row">\d+</th><td>([^<]*)</td>', html)]


def test_page_shows_small_groups_as_fewer_than_the_floor(
    network_coordinator, org_coordinator, stakeholder, client_for
):
    consultation = _planted_run(network_coordinator)
    url = reverse("consultations:synthesis", args=[consultation.slug])
    for person in (network_coordinator, org_coordinator):
        html = client_for(person).get(url).content.decode()
        assert _sizes_on_page(html) == ["12", "fewer than 5", "fewer than 5"]
        assert html.count('fill-opacity="0.75"') == 12  # only group 1's points are plotted
        assert "(8)" not in html
        assert "(3)" not in html
    assert client_for(stakeholder).get(url).status_code == 404


def test_api_result_hides_small_groups_and_the_engine_output(
    network_coordinator, org_coordinator, stakeholder, client_for
):
    consultation = _planted_run(network_coordinator)
    run = consultation.synthesis_runs.get()
    url = f"/api/v1/consultations/consultations/{consultation.slug}/synthesis-runs/{run.pk}"
    for person in (network_coordinator, org_coordinator):
        result = client_for(person).get(url).json()["result"]
        assert [g["size"] for g in result["groups"]] == [12, None, None]
        assert [g["suppressed"] for g in result["groups"]] == [False, True, True]
        assert result["floor"] == COORDINATOR_MIN_N
        assert len(result["points"]) == 12
        assert "engine" not in result
        for group in result["groups"][1:]:
            assert all(rep["agree_rate"] is None for rep in group["representatives"])
    assert client_for(stakeholder).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 401


def test_draft_uses_the_published_floor(network_coordinator, client_for):
    consultation = _planted_run(network_coordinator)
    draft = services.draft_generate(actor=network_coordinator, consultation=consultation)
    assert "- Group 1: 12 participants" in draft.body
    assert draft.body.count(f"fewer than {PUBLISHED_MIN_N} participants") == 2
    assert ": 8 participants" not in draft.body
    assert ": 3 participants" not in draft.body
    export = client_for(network_coordinator).get(
        reverse("consultations:draft_export", args=[consultation.slug, "md"])
    )
    assert b"fewer than 10 participants" in export.content
