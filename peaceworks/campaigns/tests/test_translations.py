"""Network-written texts in the reader's language: versions per language, the fallback to the
original, the editors' "not translated yet" marker, and the forms that write them."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Campaign, Goal, Plan
from peaceworks.campaigns.services import (
    action_create,
    goal_create,
    goal_update,
    objective_create,
    plan_create,
)
from peaceworks.core.errors import DomainError
from peaceworks.directory.models import Organisation

Clients = Callable[[User | None], Client]


@pytest.fixture
def plan(network_coordinator: User, campaign: Campaign) -> Plan:
    return plan_create(
        actor=network_coordinator,
        campaign=campaign,
        title="Strategy",
        start_year=2027,
        end_year=2028,
        translations={"fr": {"title": "Stratégie"}, "es": {"title": "Estrategia"}},
    )


def _in(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.django_db
def test_a_text_falls_back_to_the_original_where_its_language_has_no_version(
    network_coordinator: User, plan: Plan
) -> None:
    goal = goal_create(
        actor=network_coordinator,
        plan=plan,
        title="Grow",
        description="Everywhere",
        translations={"fr": {"title": "Grandir"}},
    )
    assert goal.translated("title", "fr") == "Grandir"
    assert goal.translated("title", "es") == "Grow"
    assert goal.translated("title", "en") == "Grow"
    assert goal.untranslated("title", "es")
    assert goal.untranslated("description", "fr")
    assert not goal.untranslated("title", "fr")
    assert not goal.untranslated("title", "en")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("translations", "fragment"),
    [
        ({"de": {"title": "Wachsen"}}, "“de”"),
        ({"en": {"title": "Grow"}}, "“en”"),
        ({"fr": {"number": "3"}}, "“number”"),
        ({"fr": {"title": "x" * 301}}, "300"),
        ({"fr": {"title": "a\u202eb"}}, "control character"),
        ({"fr": "Grandir"}, "map of fields"),
    ],
)
def test_bad_translations_are_refused_naming_the_field(
    network_coordinator: User, plan: Plan, translations: dict[str, object], fragment: str
) -> None:
    goal = goal_create(actor=network_coordinator, plan=plan, title="Grow")
    with pytest.raises(DomainError) as caught, translation.override("en"):
        goal_update(actor=network_coordinator, goal=goal, changes={"translations": translations})
    assert caught.value.field == "translations"
    assert fragment in str(caught.value.message)
    goal.refresh_from_db()
    assert goal.translations == {}


@pytest.mark.django_db
def test_blank_versions_are_not_kept(network_coordinator: User, plan: Plan) -> None:
    goal = goal_create(
        actor=network_coordinator,
        plan=plan,
        title="Grow",
        translations={"fr": {"title": "  "}, "es": {"title": " Crecer "}},
    )
    goal.refresh_from_db()
    assert goal.translations == {"es": {"title": "Crecer"}}


@pytest.mark.django_db
def test_readers_see_the_original_and_editors_also_see_the_marker(
    network_coordinator: User, org_member: User, plan: Plan, client_for: Clients
) -> None:
    goal_create(actor=network_coordinator, plan=plan, title="Grow")
    url = reverse("campaigns:plan_detail", kwargs={"pk": plan.pk})
    reader = _in(client_for(org_member), "fr").get(url).content.decode()
    assert "<span data-authored>Stratégie</span>" in reader
    assert '<span data-authored data-untranslated lang="en">Grow</span>' in reader
    assert "pas encore traduit" not in reader
    editor = _in(client_for(network_coordinator), "fr").get(url).content.decode()
    assert '<span data-authored data-untranslated lang="en">Grow</span>' in editor
    assert "pas encore traduit" in editor
    english = _in(client_for(network_coordinator), "en").get(url).content.decode()
    assert "data-untranslated" not in english
    assert "not translated yet" not in english


@pytest.mark.django_db
def test_the_goal_form_takes_the_versions_grouped_by_language(
    network_coordinator: User, plan: Plan, client_for: Clients
) -> None:
    client = client_for(network_coordinator)
    create = reverse("campaigns:goal_create", kwargs={"pk": plan.pk})
    page = client.get(create).content.decode()
    assert page.count('class="language-group"') == 2
    assert 'name="title_fr"' in page
    assert 'name="description_es"' in page
    response = client.post(
        create,
        {"title": "Grow", "title_fr": "Grandir", "title_es": "Crecer", "description_es": "Más"},
    )
    assert response.status_code == 302
    goal = Goal.objects.get(plan=plan)
    assert goal.translations == {
        "fr": {"title": "Grandir"},
        "es": {"title": "Crecer", "description": "Más"},
    }
    edit = reverse("campaigns:goal_edit", kwargs={"pk": goal.pk})
    page = client.get(edit).content.decode()
    assert 'value="Grandir"' in page
    assert "Más</textarea>" in page
    client.post(edit, {"number": "1", "title": "Grow", "title_fr": "", "title_es": "Crecer"})
    goal.refresh_from_db()
    assert goal.translations == {"es": {"title": "Crecer"}}
    assert str(goal) == "1. Grow"
    plan_page = _in(client, "es").get(reverse("campaigns:plan_detail", kwargs={"pk": plan.pk}))
    assert "<span data-authored>Crecer</span>" in plan_page.content.decode()


@pytest.mark.django_db
def test_the_api_gives_and_takes_the_versions_by_language(
    network_coordinator: User, plan: Plan, campaign: Campaign, client_for: Clients
) -> None:
    client = client_for(network_coordinator)
    base = "/api/v1/campaigns"
    created = client.post(
        f"{base}/goals",
        data=json.dumps(
            {"plan_id": plan.pk, "title": "Grow", "translations": {"fr": {"title": "Grandir"}}}
        ),
        content_type="application/json",
        headers={"accept-language": "es"},
    )
    assert created.status_code == 201, created.content
    # the original and every version, whatever the client's language
    assert created.json()["title"] == "Grow"
    assert created.json()["translations"] == {"fr": {"title": "Grandir"}}
    refused = client.patch(
        f"{base}/goals/{created.json()['id']}",
        data=json.dumps({"translations": {"de": {"title": "Wachsen"}}}),
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["field"] == "translations"
    detail = client.get(f"{base}/plans/{plan.pk}").json()
    assert detail["translations"] == {"fr": {"title": "Stratégie"}, "es": {"title": "Estrategia"}}
    assert client.get(f"{base}/campaigns/{campaign.pk}").json()["translations"] == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "start", "due"),
    [
        ("en", "1 Jan 2027", "31 Dec 2027"),
        ("fr", "1 jan 2027", "31 déc 2027"),
        ("es", "1 ene 2027", "31 dic 2027"),
    ],
)
def test_dates_are_written_in_the_readers_language(
    network_coordinator: User,
    plan: Plan,
    organisation: Organisation,
    client_for: Clients,
    language: str,
    start: str,
    due: str,
) -> None:
    goal = goal_create(actor=network_coordinator, plan=plan, title="Grow")
    objective = objective_create(actor=network_coordinator, goal=goal, title="More camps")
    action = action_create(
        actor=network_coordinator,
        objective=objective,
        title="Recruit hosts",
        start_date=date(2027, 1, 1),
        due_date=date(2027, 12, 31),
        owner_organisation=organisation,
    )
    client = _in(client_for(network_coordinator), language)
    page = client.get(reverse("campaigns:plan_detail", kwargs={"pk": plan.pk})).content.decode()
    assert f"<td>{start}</td><td>{due}</td>" in page
    assert "2027-01-01" not in page
    assert "01/01/2027" not in page
    # a date field keeps its ISO value (what a date input takes) in every language
    form = client.get(reverse("campaigns:action_edit", kwargs={"pk": action.pk})).content.decode()
    assert 'value="2027-01-01"' in form


@pytest.mark.django_db
def test_reflections_take_versions_by_language_and_show_the_readers(
    network_coordinator: User, org_member: User, plan: Plan, client_for: Clients
) -> None:
    client = client_for(network_coordinator)
    create = reverse("campaigns:reflection_create", kwargs={"pk": plan.pk})
    page = client.get(create).content.decode()
    assert page.count('class="language-group"') == 2
    response = client.post(
        create,
        {"kind": "future", "text": "More online actions.", "text_fr": "Plus d'actions en ligne."},
    )
    assert response.status_code == 302
    reflection = plan.reflections.get()
    assert reflection.translations == {"fr": {"text": "Plus d'actions en ligne."}}
    url = reverse("campaigns:plan_detail", kwargs={"pk": plan.pk})
    french = _in(client_for(org_member), "fr").get(url).content.decode()
    assert "<span data-authored>Plus d&#x27;actions en ligne.</span>" in french
    spanish = _in(client, "es").get(url).content.decode()
    assert 'data-untranslated lang="en">More online actions.</span>' in spanish
    assert "aún sin traducir" in spanish
