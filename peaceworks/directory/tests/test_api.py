"""The directory API under /api/v1/directory/: problem+json errors, rights, constant queries."""

import pytest

from peaceworks.directory import services
from peaceworks.directory.models import Organisation, Partnership
from peaceworks.directory.tests.factories import make_network, make_partnership, make_stakeholder

API = "/api/v1/directory"


def test_member_lists_organisations_with_filters(
    org_member, organisation, other_organisation, client_for
):
    client = client_for(org_member)
    body = client.get(f"{API}/organisations").json()
    assert {item["code"] for item in body["items"]} == {"own", "other"}
    assert body["count"] == 2
    kenya = client.get(f"{API}/organisations", {"region": "002"}).json()["items"]
    assert [item["code"] for item in kenya] == ["own"]
    assert kenya[0]["region"] == "002"
    assert kenya[0]["subregion"] == "014"


def test_bad_filter_is_a_problem(org_member, client_for):
    response = client_for(org_member).get(f"{API}/organisations", {"role": "flying"})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert client_for(org_member).get(f"{API}/organisations", {"page": 0}).status_code == 422


def test_stakeholder_role_and_anonymous_cannot_list(stakeholder, client_for):
    assert client_for(stakeholder).get(f"{API}/organisations").status_code == 404
    assert client_for(None).get(f"{API}/organisations").status_code == 401


@pytest.mark.parametrize("count", [5, 30])
def test_api_list_runs_a_constant_number_of_queries(
    count, network_coordinator, make_organisation, client_for, django_assert_max_num_queries
):
    network = make_network()
    for _number in range(count):
        services.affiliation_set(
            actor=network_coordinator,
            organisation=make_organisation(),
            network=network,
            membership_type="full",
        )
    client = client_for(network_coordinator)
    with django_assert_max_num_queries(7):
        body = client.get(f"{API}/organisations").json()
    assert len(body["items"]) == count
    assert all(item["networks"][0]["network_code"] == "ccivs" for item in body["items"])


def test_org_coordinator_patches_own_and_gets_404_on_another(
    org_coordinator, organisation, other_organisation, client_for
):
    client = client_for(org_coordinator)
    own = client.patch(
        f"{API}/organisations/{organisation.pk}",
        {"city": "Mombasa", "roles": ["hosting"]},
        content_type="application/json",
    )
    assert own.status_code == 200
    assert own.json()["roles"] == ["hosting"]
    other = client.patch(
        f"{API}/organisations/{other_organisation.pk}",
        {"city": "X"},
        content_type="application/json",
    )
    assert other.status_code == 404
    other_organisation.refresh_from_db()
    assert other_organisation.city == ""


def test_org_member_patching_gets_403(org_member, organisation, client_for):
    response = client_for(org_member).patch(
        f"{API}/organisations/{organisation.pk}", {"city": "X"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_network_coordinator_creates_and_patches_any(
    network_coordinator, other_organisation, client_for
):
    client = client_for(network_coordinator)
    created = client.post(
        f"{API}/organisations",
        {"code": "gh-1", "name": "Ghana Link", "country": "gh", "roles": ["sending"]},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["country"] == "GH"
    patched = client.patch(
        f"{API}/organisations/{other_organisation.pk}",
        {"name": "Renamed"},
        content_type="application/json",
    )
    assert patched.json()["name"] == "Renamed"


def test_bad_organisation_input_is_a_problem(network_coordinator, client_for):
    client = client_for(network_coordinator)
    unknown_field = client.post(
        f"{API}/organisations",
        {"code": "x", "name": "X", "country": "FR", "colour": "red"},
        content_type="application/json",
    )
    assert unknown_field.status_code == 422
    bad_country = client.post(
        f"{API}/organisations",
        {"code": "x", "name": "X", "country": "ZZ"},
        content_type="application/json",
    )
    assert bad_country.status_code == 400
    assert bad_country.json()["field"] == "country"
    assert not Organisation.objects.filter(code="x").exists()


def test_org_coordinator_cannot_create_organisations(org_coordinator, client_for):
    response = client_for(org_coordinator).post(
        f"{API}/organisations",
        {"code": "x", "name": "X", "country": "FR"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_networks_list(org_member, network_coordinator, organisation, client_for):
    network = make_network()
    services.affiliation_set(
        actor=network_coordinator,
        organisation=organisation,
        network=network,
        membership_type="full",
    )
    body = client_for(org_member).get(f"{API}/networks").json()
    assert body["items"] == [
        {
            "id": network.pk,
            "code": "ccivs",
            "name": "Network ccivs",
            "acronym": "CCIVS",
            "member_count": 1,
        }
    ]


def test_stakeholders_and_partnerships_are_network_staff_data(
    network_coordinator, org_coordinator, client_for
):
    stakeholder = make_stakeholder(network_coordinator)
    partnership = make_partnership(network_coordinator, stakeholders=[stakeholder])
    other = client_for(org_coordinator)
    for path in (
        "/stakeholders",
        f"/stakeholders/{stakeholder.pk}",
        "/partnerships",
        f"/partnerships/{partnership.pk}",
    ):
        assert other.get(API + path).status_code == 404, path
    staff = client_for(network_coordinator)
    assert staff.get(f"{API}/stakeholders").json()["items"][0]["code"] == "unssc"
    assert staff.get(f"{API}/partnerships/{partnership.pk}").json()["stakeholder_ids"] == [
        stakeholder.pk
    ]


def test_stakeholder_create_and_patch(network_coordinator, client_for):
    client = client_for(network_coordinator)
    created = client.post(
        f"{API}/stakeholders",
        {"code": "eyf", "name": "Youth foundation", "stakeholder_type": "funder"},
        content_type="application/json",
    )
    assert created.status_code == 201
    patched = client.patch(
        f"{API}/stakeholders/{created.json()['id']}",
        {"city": "Strasbourg"},
        content_type="application/json",
    )
    assert patched.json()["city"] == "Strasbourg"
    bad = client.post(
        f"{API}/stakeholders",
        {"code": "x", "name": "X", "stakeholder_type": "alien"},
        content_type="application/json",
    )
    assert bad.status_code == 422


def test_partnership_create_and_patch(network_coordinator, organisation, client_for):
    client = client_for(network_coordinator)
    stakeholder = make_stakeholder(network_coordinator)
    created = client.post(
        f"{API}/partnerships",
        {
            "code": "grant",
            "title": "Grant",
            "purpose": "funder",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "stakeholder_ids": [stakeholder.pk],
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    partnership_id = created.json()["id"]
    patched = client.patch(
        f"{API}/partnerships/{partnership_id}",
        {"status": "active", "organisation_ids": [organisation.pk]},
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert patched.json()["organisation_ids"] == [organisation.pk]
    backwards = client.patch(
        f"{API}/partnerships/{partnership_id}",
        {"end_date": "2025-01-01"},
        content_type="application/json",
    )
    assert backwards.status_code == 400
    no_party = client.post(
        f"{API}/partnerships",
        {"code": "lonely", "title": "Lonely", "purpose": "host"},
        content_type="application/json",
    )
    assert no_party.status_code == 400
    missing = client.post(
        f"{API}/partnerships",
        {"code": "ghost", "title": "Ghost", "purpose": "host", "stakeholder_ids": [999]},
        content_type="application/json",
    )
    assert missing.status_code == 400
    assert not Partnership.objects.filter(code__in=["lonely", "ghost"]).exists()
