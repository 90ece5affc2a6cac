"""The directory list, organisation pages and who may edit which organisation."""

import pytest
from django.urls import reverse

from peaceworks.accounts.models import Role
from peaceworks.directory import services
from peaceworks.directory.models import Organisation
from peaceworks.directory.tests.factories import make_network


def edit(client, organisation, **changes):
    values = {
        "name": organisation.name,
        "acronym": organisation.acronym,
        "code": organisation.code,
        "country": organisation.country,
        "city": organisation.city,
        "website": organisation.website,
        **changes,
    }
    return client.post(reverse("directory:organisation_edit", args=[organisation.pk]), values)


def test_org_coordinator_edits_their_own_organisation(org_coordinator, organisation, client_for):
    response = edit(client_for(org_coordinator), organisation, city="Nairobi", is_hosting="on")
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.city == "Nairobi"
    assert organisation.is_hosting


def test_org_coordinator_cannot_change_the_import_code(org_coordinator, organisation, client_for):
    edit(client_for(org_coordinator), organisation, code="renamed")
    organisation.refresh_from_db()
    assert organisation.code == "own"


def test_outsider_gets_404_editing_another_organisation(outsider, organisation, client_for):
    client = client_for(outsider)
    assert edit(client, organisation, city="X").status_code == 404
    assert (
        client.get(reverse("directory:organisation_edit", args=[organisation.pk])).status_code
        == 404
    )
    organisation.refresh_from_db()
    assert organisation.city == ""


def test_org_member_gets_403_editing_their_own_organisation(org_member, organisation, client_for):
    assert edit(client_for(org_member), organisation, city="X").status_code == 403


@pytest.mark.parametrize("persona", ["network_coordinator", "network_admin"])
def test_network_staff_edit_every_organisation(
    persona, request, organisation, other_organisation, client_for
):
    client = client_for(request.getfixturevalue(persona))
    for target in (organisation, other_organisation):
        assert edit(client, target, city="Lima").status_code == 302
        target.refresh_from_db()
        assert target.city == "Lima"


def test_edit_with_an_unknown_country_is_refused(network_coordinator, organisation, client_for):
    response = edit(client_for(network_coordinator), organisation, country="XX")
    assert response.status_code == 400
    organisation.refresh_from_db()
    assert organisation.country == "KE"


def test_network_staff_add_an_organisation_and_others_cannot(
    network_coordinator, org_coordinator, client_for
):
    values = {"name": "New Org", "code": "new-org", "country": "GH"}
    url = reverse("directory:organisation_create")
    assert client_for(org_coordinator).post(url, values).status_code == 404
    assert client_for(network_coordinator).post(url, values).status_code == 302
    assert Organisation.objects.get(code="new-org").region_name == "Africa"


@pytest.mark.parametrize("persona", ["org_member", "analyst", "outsider", "org_coordinator"])
def test_every_network_member_reads_the_directory(persona, request, organisation, client_for):
    client = client_for(request.getfixturevalue(persona))
    response = client.get(reverse("directory:index"))
    assert response.status_code == 200
    assert organisation.name in response.content.decode()
    assert client.get(reverse("directory:organisation", args=[organisation.pk])).status_code == 200


def test_stakeholder_role_does_not_see_the_directory(stakeholder, organisation, client_for):
    client = client_for(stakeholder)
    assert client.get(reverse("directory:index")).status_code == 404
    assert client.get(reverse("directory:organisation", args=[organisation.pk])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(reverse("directory:index")).status_code == 302


def test_search_and_filters_narrow_the_list(
    network_coordinator, organisation, other_organisation, client_for
):
    network = make_network()
    services.affiliation_set(
        actor=network_coordinator,
        organisation=other_organisation,
        network=network,
        membership_type="candidate",
    )
    services.organisation_update(
        actor=network_coordinator, organisation=organisation, values={"is_sending": True}
    )
    client = client_for(network_coordinator)
    url = reverse("directory:index")

    def names(query):
        page = client.get(url, query, HTTP_HX_REQUEST="true").content.decode()
        return {name for name in ("Own Organisation", "Other Organisation") if name in page}

    assert names({"q": "own"}) == {"Own Organisation"}
    assert names({"region": "002"}) == {"Own Organisation"}  # Kenya is in Africa
    assert names({"region": "005"}) == {"Other Organisation"}  # Peru: South America
    assert names({"country": "PE"}) == {"Other Organisation"}
    assert names({"network": network.pk}) == {"Other Organisation"}
    assert names({"membership_type": "full"}) == set()
    assert names({"role": "sending"}) == {"Own Organisation"}


def test_htmx_request_gets_only_the_results(org_member, client_for):
    client = client_for(org_member)
    partial = client.get(reverse("directory:index"), HTTP_HX_REQUEST="true").content.decode()
    full = client.get(reverse("directory:index")).content.decode()
    assert "<html" not in partial
    assert "<table" in partial
    assert "<html" in full


@pytest.mark.parametrize("count", [5, 30])
def test_directory_list_runs_a_constant_number_of_queries(
    count, network_coordinator, make_organisation, client_for, django_assert_max_num_queries
):
    network = make_network()
    for _number in range(count):
        organisation = make_organisation(country="FR")
        services.affiliation_set(
            actor=network_coordinator,
            organisation=organisation,
            network=network,
            membership_type="full",
        )
    client = client_for(network_coordinator)
    client.get(reverse("directory:index"))  # warm the session
    with django_assert_max_num_queries(8):
        response = client.get(reverse("directory:index"), {"q": "Organisation"})
    assert response.content.decode().count('href="/network/organisations/') >= count


def test_membership_history_is_dated(network_coordinator, organisation, client_for):
    from datetime import date

    network = make_network()
    services.affiliation_set(
        actor=network_coordinator,
        organisation=organisation,
        network=network,
        membership_type="candidate",
        valid_from=date(2020, 1, 1),
    )
    services.affiliation_set(
        actor=network_coordinator,
        organisation=organisation,
        network=network,
        membership_type="full",
        valid_from=date(2022, 6, 1),
    )
    affiliation = organisation.affiliations.get()
    assert affiliation.membership_type == "full"
    assert [entry.membership_type for entry in affiliation.history.all()] == ["full", "candidate"]
    page = client_for(network_coordinator).get(
        reverse("directory:organisation", args=[organisation.pk])
    )
    assert "2020" in page.content.decode()


def test_org_coordinator_cannot_record_memberships(org_coordinator, organisation, client_for):
    network = make_network()
    response = client_for(org_coordinator).post(
        reverse("directory:affiliation_set", args=[organisation.pk]),
        {
            "network": network.pk,
            "membership_type": "full",
            "status": "active",
            "valid_from": "2024-01-01",
        },
    )
    assert response.status_code == 404
    assert not organisation.affiliations.exists()


def test_bad_membership_input_is_refused(network_coordinator, organisation, client_for):
    response = client_for(network_coordinator).post(
        reverse("directory:affiliation_set", args=[organisation.pk]),
        {"network": 999, "membership_type": "nonsense", "status": "active", "valid_from": "x"},
    )
    assert response.status_code == 400


def test_organisation_page_lists_its_activities_for_its_members(
    org_member, outsider, organisation, client_for
):
    from datetime import date

    from peaceworks.campaigns.models import Activity, Campaign, Programme

    programme = Programme.objects.create(name="Raising Peace", code="rpp")
    campaign = Campaign.objects.create(programme=programme, name="RPC", code="rpc")
    Activity.objects.create(
        campaign=campaign,
        host_organisation=organisation,
        code="wc-1",
        title="Peace workcamp in Nairobi",
        activity_type="workcamp",
        start_date=date(2026, 7, 1),
        end_date=date(2026, 7, 14),
        country="KE",
    )
    url = reverse("directory:organisation", args=[organisation.pk])
    assert "Peace workcamp in Nairobi" in client_for(org_member).get(url).content.decode()
    assert "Peace workcamp in Nairobi" not in client_for(outsider).get(url).content.decode()


def test_roles_listed_on_the_profile(network_coordinator, organisation, client_for):
    services.organisation_update(
        actor=network_coordinator,
        organisation=organisation,
        values={"is_hosting": True, "is_coordinating": True},
    )
    page = client_for(network_coordinator).get(
        reverse("directory:organisation", args=[organisation.pk])
    )
    assert "Hosting, Coordinating" in page.content.decode()


def test_role_choice_labels_are_the_roles():
    assert {value for value, _label in Organisation.RoleChoice.choices} == {
        "sending",
        "hosting",
        "coordinating",
    }
    assert Role.STAKEHOLDER == "stakeholder"


def test_partnerships_and_engagements_show_only_to_network_staff(
    network_coordinator, org_coordinator, organisation, client_for
):
    from peaceworks.directory.tests.factories import make_partnership

    make_partnership(network_coordinator, organisations=[organisation])
    url = reverse("directory:organisation", args=[organisation.pk])
    assert "Operating grant" in client_for(network_coordinator).get(url).content.decode()
    member_page = client_for(org_coordinator).get(url).content.decode()
    assert "Operating grant" not in member_page
    assert "Engagement timeline" not in member_page


def test_country_names_follow_the_language(org_member, organisation, client_for):
    client = client_for(org_member)
    client.cookies["peaceworks_language"] = "fr"
    page = client.get(reverse("directory:organisation", args=[organisation.pk]))
    assert "Kenya" in page.content.decode()
    assert "Afrique" in page.content.decode()
    client.cookies["peaceworks_language"] = "es"
    page = client.get(reverse("directory:index"), {"country": "DE"})
    assert "Alemania" in page.content.decode()
