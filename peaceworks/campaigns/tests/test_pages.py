from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Action, Activity, Campaign, Theme
from peaceworks.campaigns.services import (
    campaign_publish,
)
from peaceworks.directory.models import Organisation

Clients = Callable[[User | None], Client]


def test_campaign_page_shows_indicators_calendar_and_country_table(
    client_for: Clients, org_coordinator: User, own_activity: Activity, own_action: Action
) -> None:
    response = client_for(org_coordinator).get(reverse("campaigns:detail", args=["pc"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert own_activity.title in html
    assert "Activities per hosting country" in html
    assert "Recruit hosts" not in html  # the page shows goal roll-ups, not every action
    assert "Grow" in html


def test_campaign_page_hides_other_organisations_records_but_counts_them(
    client_for: Clients, outsider: User, own_activity: Activity
) -> None:
    response = client_for(outsider).get(reverse("campaigns:detail", args=["pc"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert own_activity.title not in html
    assert '<th scope="row">Kenya</th>' in html


def test_stakeholder_and_anonymous_do_not_get_the_member_campaign_page(
    client_for: Clients, stakeholder: User, campaign: Campaign
) -> None:
    url = reverse("campaigns:detail", args=["pc"])
    assert client_for(stakeholder).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_public_page_shows_only_published_aggregates(
    client_for: Clients,
    network_coordinator: User,
    campaign: Campaign,
    own_activity: Activity,
    own_action: Action,
) -> None:
    url = reverse("campaigns:public", args=["pc"])
    assert client_for(None).get(url).status_code == 404
    campaign_publish(
        actor=network_coordinator,
        campaign=campaign,
        is_published=True,
        published_summary="Our public summary.",
    )
    response = client_for(None).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Our public summary." in html
    assert own_activity.title not in html
    assert own_activity.host_organisation.name not in html
    assert "Grow" not in html  # the plan is not published


def test_publish_page_is_for_network_staff(
    client_for: Clients, network_coordinator: User, org_coordinator: User, campaign: Campaign
) -> None:
    url = reverse("campaigns:publish", args=["pc"])
    assert client_for(org_coordinator).get(url).status_code == 403
    bad = client_for(network_coordinator).post(url, {"is_published": "on", "published_summary": ""})
    assert bad.status_code == 200
    assert "Write a summary" in bad.content.decode()
    good = client_for(network_coordinator).post(
        url, {"is_published": "on", "published_summary": "Hello"}
    )
    assert good.status_code == 302
    campaign.refresh_from_db()
    assert campaign.is_published


def test_outputs_page_groups_by_dimension(
    client_for: Clients, org_member: User, own_activity: Activity
) -> None:
    client = client_for(org_member)
    for dimension in ("campaign", "theme", "country", "region", "organisation", "year"):
        response = client.get(reverse("campaigns:outputs", args=["pc"]), {"by": dimension})
        assert response.status_code == 200
    assert (
        "Africa"
        in client.get(reverse("campaigns:outputs", args=["pc"]), {"by": "region"}).content.decode()
    )
    assert (
        client.get(reverse("campaigns:outputs", args=["pc"]), {"by": "nonsense"}).status_code == 200
    )


def test_activity_list_counts_queries_and_hides_other_organisations(
    client_for: Clients,
    org_member: User,
    outsider: User,
    make_activity: Callable[..., Activity],
    organisation: Organisation,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    for _ in range(12):
        make_activity(organisation)
    client = client_for(org_member)
    with django_assert_max_num_queries(12):  # type: ignore[attr-defined]
        response = client.get(reverse("campaigns:activity_list"))
    assert response.content.decode().count("Workcamp by the river") == 12
    other = client_for(outsider).get(reverse("campaigns:activity_list"))
    assert "Workcamp by the river" not in other.content.decode()
    bad = client.get(reverse("campaigns:activity_list"), {"year": "abc"})
    assert bad.status_code == 200


def test_activity_detail_personas(
    client_for: Clients,
    network_coordinator: User,
    org_member: User,
    outsider: User,
    own_activity: Activity,
) -> None:
    url = reverse("campaigns:activity_detail", args=[own_activity.pk])
    assert client_for(network_coordinator).get(url).status_code == 200
    assert client_for(org_member).get(url).status_code == 200
    assert client_for(outsider).get(url).status_code == 404


def _form_data(theme: Theme, host: Organisation, **changes: str) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "new-camp",
        "title": "New camp",
        "activity_type": "workcamp",
        "status": "planned",
        "host_organisation": str(host.pk),
        "start_date": "2026-08-01",
        "end_date": "2026-08-15",
        "country": "KE",
        "language": "en",
        "themes": [str(theme.pk)],
        "international_volunteers": "8",
        "local_volunteers": "2",
        "local_participants": "10",
        "fewer_opportunities_total": "0",
    }
    for name in (
        "fo_disability",
        "fo_health",
        "fo_education",
        "fo_cultural",
        "fo_social",
        "fo_economic",
        "fo_discrimination",
        "fo_geographical",
    ):
        data[name] = "0"
    data.update(changes)
    return data


def test_org_coordinator_registers_an_activity_through_the_form(
    client_for: Clients, org_coordinator: User, organisation: Organisation, themes: list[Theme]
) -> None:
    url = reverse("campaigns:activity_create", args=["pc"])
    client = client_for(org_coordinator)
    assert client.get(url).status_code == 200
    response = client.post(url, _form_data(themes[0], organisation))
    assert response.status_code == 302
    activity = Activity.objects.get(code="new-camp")
    assert activity.country == "KE"
    assert activity.hours_per_day_defaulted


def test_activity_form_without_a_theme_shows_a_clear_error(
    client_for: Clients, org_coordinator: User, organisation: Organisation, themes: list[Theme]
) -> None:
    data = _form_data(themes[0], organisation)
    data["themes"] = []
    response = client_for(org_coordinator).post(
        reverse("campaigns:activity_create", args=["pc"]), data
    )
    assert response.status_code == 200
    assert "Choose between 1 and 5 themes" in response.content.decode()
    assert not Activity.objects.exists()


def test_activity_form_refuses_another_organisation_as_host(
    client_for: Clients,
    org_coordinator: User,
    other_organisation: Organisation,
    themes: list[Theme],
) -> None:
    response = client_for(org_coordinator).post(
        reverse("campaigns:activity_create", args=["pc"]), _form_data(themes[0], other_organisation)
    )
    assert response.status_code == 200
    assert not Activity.objects.exists()


def test_org_member_cannot_open_the_activity_forms(
    client_for: Clients, org_member: User, own_activity: Activity
) -> None:
    client = client_for(org_member)
    assert client.get(reverse("campaigns:activity_create", args=["pc"])).status_code == 403
    assert client.get(reverse("campaigns:activity_edit", args=[own_activity.pk])).status_code == 403
    assert client.get(reverse("campaigns:activity_import", args=["pc"])).status_code == 403


def test_activity_edit_personas(
    client_for: Clients,
    org_coordinator: User,
    outsider: User,
    own_activity: Activity,
    themes: list[Theme],
) -> None:
    url = reverse("campaigns:activity_edit", args=[own_activity.pk])
    assert client_for(outsider).get(url).status_code == 404
    client = client_for(org_coordinator)
    assert client.get(url).status_code == 200
    data = _form_data(themes[1], own_activity.host_organisation, code=own_activity.code)
    data["title"] = "Renamed"
    assert client.post(url, data).status_code == 302
    own_activity.refresh_from_db()
    assert own_activity.title == "Renamed"


def test_activity_edit_page_saves_only_the_changed_field(
    client_for: Clients, org_coordinator: User, own_activity: Activity
) -> None:
    from peaceworks.campaigns.forms import ActivityForm
    from peaceworks.core.models import AuditEvent

    data = {
        name: "" if value is None else value
        for name, value in ActivityForm.initial_for(own_activity).items()
    }
    data["title"] = "Renamed on the page"
    url = reverse("campaigns:activity_edit", args=[own_activity.pk])
    assert client_for(org_coordinator).post(url, data).status_code == 302
    event = AuditEvent.objects.get(action="activity.update")
    assert event.changes == {"title": [own_activity.title, "Renamed on the page"]}


def test_import_page_previews_and_confirms(
    client_for: Clients, org_coordinator: User, organisation: Organisation, themes: list[Theme]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(org_coordinator)
    url = reverse("campaigns:activity_import", args=["pc"])
    content = (
        b"code,title,type,host_organisation,start_date,end_date,country,themes\n"
        b"i-1,Imported,training,own,2026-01-01,2026-01-02,KE,t1\n"
    )
    response = client.post(url, {"file": SimpleUploadedFile("a.csv", content)})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "Confirm the import" in preview.content.decode()
    upload_pk = preview.context["upload"].pk
    bad = client.post(url, {"file": SimpleUploadedFile("a.pdf", b"%PDF")})
    assert "neither" in bad.content.decode()
    assert (
        client_for(None).post(reverse("campaigns:import_confirm", args=[upload_pk])).status_code
        == 302
    )
    confirm = client.post(reverse("campaigns:import_confirm", args=[upload_pk]))
    assert confirm.status_code == 302
    assert Activity.objects.filter(code="i-1").exists()


def test_import_confirm_of_someone_elses_upload_is_404(
    client_for: Clients,
    org_coordinator: User,
    outsider: User,
    campaign: Campaign,
    themes: list[Theme],
) -> None:
    from peaceworks.campaigns.imports import ActivityImporter
    from peaceworks.core.uploads import upload_store

    upload = upload_store(
        actor=org_coordinator,
        importer=ActivityImporter.kind,
        filename="a.csv",
        data=b"code\nx\n",
        target={"campaign": campaign.pk},
    )
    response = client_for(outsider).post(reverse("campaigns:import_confirm", args=[upload.pk]))
    assert response.status_code == 404


def test_plan_page_shows_tree_timeline_and_actual_against_target(
    client_for: Clients,
    org_member: User,
    stakeholder: User,
    own_action: Action,
    own_activity: Activity,
) -> None:
    url = reverse("campaigns:plan_detail", args=[own_action.objective.goal.plan_id])
    response = client_for(org_member).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Recruit hosts" in html
    assert "<svg" in html
    assert "Activities: 1 / 40" in html
    assert reverse("campaigns:action_progress", args=[own_action.pk]) not in html  # read-only
    assert client_for(stakeholder).get(url).status_code == 404


def test_my_actions_lists_the_organisations_actions(
    client_for: Clients, org_member: User, outsider: User, own_action: Action
) -> None:
    assert (
        "Recruit hosts"
        in client_for(org_member).get(reverse("campaigns:my_actions")).content.decode()
    )
    assert (
        "Recruit hosts"
        not in client_for(outsider).get(reverse("campaigns:my_actions")).content.decode()
    )


def test_action_progress_update_personas(
    client_for: Clients,
    org_coordinator: User,
    org_member: User,
    outsider: User,
    stakeholder: User,
    own_action: Action,
) -> None:
    url = reverse("campaigns:action_progress", args=[own_action.pk])
    assert client_for(org_member).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 403
    assert client_for(stakeholder).get(url).status_code == 404
    client = client_for(org_coordinator)
    assert client.post(url, {"progress": "150", "status": "in_progress"}).status_code == 400
    partial = client.post(url, {"progress": "40", "status": "in_progress"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert "saved" in partial.content.decode()
    assert "<html" not in partial.content.decode()
    own_action.refresh_from_db()
    assert own_action.progress == 40


def test_index_lists_campaigns(client_for: Clients, org_member: User, campaign: Campaign) -> None:
    assert (
        "Peace Campaign" in client_for(org_member).get(reverse("campaigns:index")).content.decode()
    )


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("campaigns:detail", ["pc"]),
        ("campaigns:outputs", ["pc"]),
        ("campaigns:activity_list", []),
        ("campaigns:activity_create", ["pc"]),
        ("campaigns:activity_import", ["pc"]),
    ],
)
def test_member_pages_are_404_for_people_outside_the_network_and_ask_anonymous_to_sign_in(
    client_for: Clients, stakeholder: User, campaign: Campaign, name: str, args: list[str]
) -> None:
    url = reverse(name, args=args)
    assert client_for(stakeholder).get(url).status_code == 404
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert "/accounts/" in response["Location"] or "login" in response["Location"]


def test_unknown_campaign_is_404(client_for: Clients, org_member: User, campaign: Campaign) -> None:
    assert client_for(org_member).get(reverse("campaigns:detail", args=["nope"])).status_code == 404
    assert client_for(None).get(reverse("campaigns:public", args=["nope"])).status_code == 404


def test_my_actions_update_link_loads_the_partial_form(
    client_for: Clients, org_coordinator: User, own_action: Action
) -> None:
    response = client_for(org_coordinator).get(
        reverse("campaigns:action_progress", args=[own_action.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<form" in html
    assert "<html" not in html


def test_campaign_admin_pages_load(
    client_for: Clients, network_admin: User, own_action: Action
) -> None:
    network_admin.is_staff = network_admin.is_superuser = True
    network_admin.save(update_fields=["is_staff", "is_superuser"])
    client = client_for(network_admin)
    for model in ("campaign", "plan", "objective", "action", "activity"):
        assert client.get(f"/admin/campaigns/{model}/").status_code == 200


def test_project_page_shows_inclusion_target_against_actual(
    client_for: Clients, network_coordinator: User, project: Campaign, organisation: Organisation
) -> None:
    from peaceworks.campaigns.services import ActivityData, activity_create, inclusion_target_set

    inclusion_target_set(
        actor=network_coordinator,
        campaign=project,
        year=2026,
        share_fewer_opportunities=Decimal(25),
    )
    activity_create(
        actor=network_coordinator,
        campaign=project,
        host_organisation=organisation,
        data=ActivityData(
            code="inc-1",
            title="Inclusive camp",
            activity_type="workcamp",
            start_date=date(2026, 6, 1),
            end_date=date(2026, 6, 10),
            country="KE",
            theme_ids=(project.themes.get().pk,),
            local_participants=10,
            fewer_opportunities_total=2,
        ),
    )
    html = (
        client_for(network_coordinator)
        .get(reverse("campaigns:detail", args=["ip"]))
        .content.decode()
    )
    assert "20.0 %" in html
    assert "below target" in html


def test_my_actions_offers_update_only_to_those_who_may_update(
    client_for: Clients, org_member: User, org_coordinator: User, own_action: Action
) -> None:
    update = reverse("campaigns:action_progress", args=[own_action.pk])
    member_page = client_for(org_member).get(reverse("campaigns:my_actions")).content.decode()
    assert "Recruit hosts" in member_page
    assert update not in member_page  # it would answer 403
    coordinator_page = client_for(org_coordinator).get(reverse("campaigns:my_actions"))
    assert update in coordinator_page.content.decode()
    assert client_for(org_coordinator).get(update).status_code == 200


def test_saved_progress_offers_a_way_back(
    client_for: Clients, org_coordinator: User, own_action: Action
) -> None:
    url = reverse("campaigns:action_progress", args=[own_action.pk])
    page = client_for(org_coordinator).get(url).content.decode()
    plan = reverse("campaigns:plan_detail", args=[own_action.objective.goal.plan_id])
    assert plan in page
    saved = client_for(org_coordinator).post(
        url, {"progress": "40", "status": "in_progress"}, HTTP_HX_REQUEST="true"
    )
    assert plan in saved.content.decode()


def test_a_stakeholders_campaign_list_links_the_published_page(
    client_for: Clients, stakeholder: User, org_member: User, campaign: Campaign
) -> None:
    campaign.is_published = True
    campaign.save(update_fields=["is_published"])
    page = client_for(stakeholder).get(reverse("campaigns:index")).content.decode()
    public = reverse("campaigns:public", args=[campaign.code])
    assert public in page
    assert reverse("campaigns:detail", args=[campaign.code]) not in page
    assert client_for(stakeholder).get(public).status_code == 200
    member_page = client_for(org_member).get(reverse("campaigns:index")).content.decode()
    assert reverse("campaigns:detail", args=[campaign.code]) in member_page


def test_the_campaigns_page_from_the_menu_lists_the_strategy_plans(
    client_for: Clients, org_member: User, stakeholder: User, own_action: Action
) -> None:
    plan = own_action.objective.goal.plan
    link = reverse("campaigns:plan_detail", args=[plan.pk])
    assert link in client_for(org_member).get(reverse("campaigns:index")).content.decode()
    assert client_for(org_member).get(link).status_code == 200
    # a stakeholder reads only published plans: this one is not listed to them
    assert link not in client_for(stakeholder).get(reverse("campaigns:index")).content.decode()
