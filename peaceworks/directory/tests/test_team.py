"""An organisation's team page: each role's access to its own organisation's and to another's."""

import pytest
from django.urls import reverse

from peaceworks.accounts.models import Role


@pytest.mark.parametrize(
    ("role", "own_status", "other_status"),
    [
        (Role.ORG_COORDINATOR, 200, 404),
        (Role.ORG_MEMBER, 200, 404),
        (Role.ANALYST, 200, 404),
        (Role.STAKEHOLDER, 404, 404),
    ],
)
def test_organisation_roles_see_own_team_page_and_not_anothers(
    role, own_status, other_status, make_user, organisation, other_organisation, client_for
):
    client = client_for(make_user(role, organisation))
    own = client.get(reverse("directory:team", args=[organisation.pk]))
    other = client.get(reverse("directory:team", args=[other_organisation.pk]))
    assert own.status_code == own_status
    assert other.status_code == other_status


@pytest.mark.parametrize("persona", ["network_admin", "network_coordinator"])
def test_network_roles_see_every_organisation(persona, request, organisation, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("directory:team", args=[organisation.pk])).status_code == 200


def test_anonymous_is_sent_to_sign_in(client, organisation):
    response = client.get(reverse("directory:team", args=[organisation.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_missing_organisation_is_404_even_for_network_staff(network_coordinator, client_for):
    assert (
        client_for(network_coordinator).get(reverse("directory:team", args=[999_999])).status_code
        == 404
    )


def test_the_old_team_address_redirects_to_the_organisations_team_page(
    org_member, organisation, client_for
):
    client = client_for(org_member)
    response = client.get(f"/accounts/organisations/{organisation.pk}/team/")
    assert response.status_code == 301
    assert response["Location"] == reverse("directory:team", args=[organisation.pk])
    assert client.get(response["Location"]).status_code == 200


def test_dashboard_and_profile_link_to_the_team_page_and_the_invitation_form_posts_there(
    org_coordinator, organisation, client_for
):
    client = client_for(org_coordinator)
    team_url = reverse("directory:team", args=[organisation.pk])
    assert f'href="{team_url}"' in client.get(reverse("web:dashboard")).content.decode()
    assert f'href="{team_url}"' in client.get(reverse("accounts:profile")).content.decode()
    page = client.get(team_url).content.decode()
    assert f'action="{reverse("directory:invitation_create", args=[organisation.pk])}"' in page
