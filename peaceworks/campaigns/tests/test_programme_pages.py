"""Network staff name programmes, campaigns and projects, and themes, in every language: the
edit pages (one form design, versions grouped by language), the audited update services, the
API's PATCH, and what the three personas get."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Campaign, Programme, Theme
from peaceworks.campaigns.services import campaign_update, programme_update, theme_update
from peaceworks.campaigns.tests.test_translations import _in
from peaceworks.core.errors import DomainError, Forbidden
from peaceworks.core.models import AuditEvent

Clients = Callable[[User | None], Client]


@pytest.mark.django_db
def test_a_coordinator_names_a_campaign_in_every_language_through_its_edit_page(
    network_coordinator: User, campaign: Campaign, client_for: Clients
) -> None:
    client = client_for(network_coordinator)
    detail = reverse("campaigns:detail", kwargs={"code": campaign.code})
    edit = reverse("campaigns:campaign_edit", kwargs={"code": campaign.code})
    assert f'href="{edit}"' in client.get(detail).content.decode()
    page = client.get(edit).content.decode()
    assert page.count('class="language-group"') == 2
    assert 'value="Peace Campaign"' in page
    response = client.post(
        edit,
        {
            "name": "Peace Campaign",
            "code": "pc",
            "kind": "campaign",
            "name_fr": "Campagne pour la paix",
            "name_es": "Campaña por la paz",
            "description_fr": "Partout",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == detail
    campaign.refresh_from_db()
    assert campaign.translations == {
        "fr": {"name": "Campagne pour la paix", "description": "Partout"},
        "es": {"name": "Campaña por la paz"},
    }
    french = _in(client, "fr").get(detail).content.decode()
    assert "<span data-authored>Campagne pour la paix</span>" in french
    event = AuditEvent.objects.get(action="campaign.update")
    assert event.changes["translations"][0] == {}


@pytest.mark.django_db
def test_a_theme_without_a_spanish_name_shows_the_editors_marker_until_one_is_written(
    network_coordinator: User, campaign: Campaign, client_for: Clients
) -> None:
    theme = campaign.themes.get(number=1)
    client = _in(client_for(network_coordinator), "es")
    detail = reverse("campaigns:detail", kwargs={"code": campaign.code})
    assert "badge--untranslated" in client.get(detail).content.decode()
    edit = reverse("campaigns:theme_edit", kwargs={"pk": theme.pk})
    assert f'href="{edit}"' in client.get(detail).content.decode()
    response = client.post(
        edit, {"number": "1", "code": "t1", "name": "Theme 1", "name_es": "Tema 1"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{detail}#themes"
    assert "<span data-authored>Tema 1</span>" in client.get(detail).content.decode()


@pytest.mark.django_db
def test_a_theme_number_taken_in_the_campaign_is_refused_at_the_field(
    network_coordinator: User, campaign: Campaign, client_for: Clients
) -> None:
    create = reverse("campaigns:theme_create", kwargs={"code": campaign.code})
    client = client_for(network_coordinator)
    assert 'value="6"' in client.get(create).content.decode()  # after the five themes
    response = client.post(create, {"number": "2", "code": "new", "name": "New"})
    assert response.status_code == 400
    assert "Another theme of the campaign has this number." in response.content.decode()
    assert not Theme.objects.filter(code="new").exists()


@pytest.mark.django_db
def test_a_coordinator_sets_up_a_programme_then_a_project_in_it(
    network_coordinator: User, client_for: Clients
) -> None:
    client = client_for(network_coordinator)
    index = client.get(reverse("campaigns:index")).content.decode()
    assert reverse("campaigns:programme_create") in index
    response = client.post(
        reverse("campaigns:programme_create"),
        {"name": "Peace education", "code": "pe", "name_fr": "Éducation à la paix"},
    )
    assert response.status_code == 302
    programme = Programme.objects.get(code="pe")
    assert programme.translated("name", "fr") == "Éducation à la paix"
    create = reverse("campaigns:campaign_create", kwargs={"pk": programme.pk})
    assert create in client.get(reverse("campaigns:index")).content.decode()
    response = client.post(
        create,
        {
            "name": "Schools",
            "code": "schools",
            "kind": "project",
            "start_date": "2027-03-01",
            "end_date": "2027-01-01",
        },
    )
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()
    response = client.post(create, {"name": "Schools", "code": "schools", "kind": "project"})
    assert response.status_code == 302
    project = Campaign.objects.get(code="schools")
    assert (project.programme, project.kind) == (programme, Campaign.Kind.PROJECT)


@pytest.mark.django_db
def test_a_member_coordinator_sees_no_edit_link_and_is_refused_with_403(
    org_coordinator: User, campaign: Campaign, client_for: Clients
) -> None:
    client = client_for(org_coordinator)
    detail = client.get(reverse("campaigns:detail", kwargs={"code": campaign.code}))
    edit = reverse("campaigns:campaign_edit", kwargs={"code": campaign.code})
    assert edit not in detail.content.decode()
    assert "/themes/" not in detail.content.decode()
    assert (
        reverse("campaigns:programme_create")
        not in client.get(reverse("campaigns:index")).content.decode()
    )
    assert client.post(edit, {"name": "Mine", "code": "pc", "kind": "campaign"}).status_code == 403
    theme = campaign.themes.get(number=1)
    theme_edit = reverse("campaigns:theme_edit", kwargs={"pk": theme.pk})
    assert client.post(theme_edit, {"number": 1, "code": "t1", "name": "x"}).status_code == 403
    campaign.refresh_from_db()
    assert campaign.name == "Peace Campaign"


@pytest.mark.django_db
def test_a_stakeholder_gets_404_for_every_edit_page(
    stakeholder: User, campaign: Campaign, client_for: Clients
) -> None:
    client = client_for(stakeholder)
    theme = campaign.themes.get(number=1)
    for url in (
        reverse("campaigns:programme_create"),
        reverse("campaigns:programme_edit", kwargs={"pk": campaign.programme_id}),
        reverse("campaigns:campaign_create", kwargs={"pk": campaign.programme_id}),
        reverse("campaigns:campaign_edit", kwargs={"code": campaign.code}),
        reverse("campaigns:theme_create", kwargs={"code": campaign.code}),
        reverse("campaigns:theme_edit", kwargs={"pk": theme.pk}),
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_update_services_refuse_non_staff_and_fields_outside_their_list(
    network_coordinator: User, org_coordinator: User, campaign: Campaign
) -> None:
    with pytest.raises(Forbidden):
        programme_update(actor=org_coordinator, programme=campaign.programme, changes={})
    with pytest.raises(DomainError) as refused:
        campaign_update(
            actor=network_coordinator, campaign=campaign, changes={"is_published": True}
        )
    assert refused.value.field == "is_published"
    theme = campaign.themes.get(number=2)
    with pytest.raises(DomainError) as taken:
        theme_update(actor=network_coordinator, theme=theme, changes={"code": "t1"})
    assert taken.value.field == "code"
    # the number and the code of another theme: the number is named first
    with pytest.raises(DomainError) as both:
        theme_update(actor=network_coordinator, theme=theme, changes={"number": 1, "code": "t1"})
    assert both.value.field == "number"
    # its own number and code are not another theme's
    theme_update(actor=network_coordinator, theme=theme, changes={"number": 2, "code": "t2"})
    theme_update(actor=network_coordinator, theme=theme, changes={"number": 6, "code": "t6"})
    assert campaign.themes.get(number=6).code == "t6"


@pytest.mark.django_db
def test_the_api_patches_names_and_versions_for_staff_only(
    network_coordinator: User, org_coordinator: User, campaign: Campaign, client_for: Clients
) -> None:
    base = "/api/v1/campaigns"
    body = json.dumps({"translations": {"fr": {"name": "Campagne"}}, "end_date": None})
    staff = client_for(network_coordinator)
    response = staff.patch(
        f"{base}/campaigns/{campaign.pk}", data=body, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["translations"] == {"fr": {"name": "Campagne"}}
    theme = campaign.themes.get(number=1)
    refused = staff.patch(
        f"{base}/themes/{theme.pk}",
        data=json.dumps({"code": "t2"}),
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["field"] == "code"
    unknown = staff.patch(
        f"{base}/campaigns/{campaign.pk}",
        data=json.dumps({"lead_organisation_id": 999_999}),
        content_type="application/json",
    )
    assert unknown.status_code == 400
    assert unknown.json()["field"] == "lead_organisation_id"
    member = client_for(org_coordinator).patch(
        f"{base}/programmes/{campaign.programme_id}",
        data=json.dumps({"name": "Mine"}),
        content_type="application/json",
    )
    assert member.status_code == 403
    assert Programme.objects.get(pk=campaign.programme_id).name == "Raising Peace"
