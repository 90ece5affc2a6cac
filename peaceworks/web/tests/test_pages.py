import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from peaceworks.accounts.models import Membership, User
from peaceworks.directory.models import Organisation


def test_home_is_public_and_has_landmarks(client):
    page = client.get("/").content.decode()
    assert '<main id="main"' in page
    assert 'class="skip-link"' in page
    # every script, image and stylesheet comes from this site (never a CDN); the page's
    # CSRF token is random text, so the page is not searched as a whole
    assets = re.findall(r'<(?:script|img|source)\b[^>]*\bsrc="([^"]+)"', page)
    assets += re.findall(r'<link\b[^>]*\bhref="([^"]+)"', page)
    assert assets
    assert [url for url in assets if not url.startswith("/") or url.startswith("//")] == []


def test_stakeholders_are_not_offered_areas_that_refuse_them(client_for, stakeholder):
    page = client_for(stakeholder).get(reverse("web:dashboard")).content.decode()
    assert ">Network</a>" not in page
    assert ">Campaigns</a>" not in page
    # their home and the reports published to them
    assert ">Reports</a>" in page
    assert "Nothing has been published to you yet." in page


def test_every_area_is_in_the_navigation(client_for, org_coordinator):
    page = client_for(org_coordinator).get(reverse("web:dashboard")).content.decode()
    for area in ["Network", "Campaigns", "Impact", "Consultations", "Meetings", "Reports"]:
        assert f">{area}</a>" in page


@pytest.mark.parametrize(
    "name",
    ["directory:index", "campaigns:index", "impact:index", "consultations:index", "meetings:index"],
)
def test_area_pages_render_for_members_and_redirect_anonymous(name, client_for, org_member, client):
    assert client_for(org_member).get(reverse(name)).status_code == 200
    assert client.get(reverse(name)).status_code == 302


def test_language_switcher_changes_the_interface(client_for, org_coordinator):
    client = client_for(org_coordinator)
    client.post(reverse("set_language"), {"language": "fr", "next": "/dashboard/"})
    page = client.get(reverse("web:dashboard")).content.decode()
    assert 'lang="fr"' in page
    assert "Réunions" in page
    client.post(reverse("set_language"), {"language": "es", "next": "/dashboard/"})
    assert "Reuniones" in client.get(reverse("web:dashboard")).content.decode()


def test_security_headers(client):
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert (
        "unsafe-inline"
        not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_healthz_reports_database_and_worker(client, db):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["database"] == "ok"
    assert "worker" in body["tasks"]


def test_api_me_and_problem_json(client_for, org_coordinator, client):
    response = client_for(org_coordinator).get("/api/v1/accounts/me")
    assert response.status_code == 200
    assert response.json()["memberships"][0]["role"] == "org_coordinator"
    anonymous = client.get("/api/v1/accounts/me")
    assert anonymous.status_code == 401
    assert anonymous["Content-Type"] == "application/problem+json"
    assert json.loads(anonymous.content)["status"] == 401


def test_seed_demo_is_idempotent(demo_database):
    # the demo as seeded once for the run (tests/demo_database.py), then seeded again
    first = sorted(Organisation.objects.values_list("code", "name", "country"))
    users = User.objects.count()
    call_command("seed_demo")
    assert sorted(Organisation.objects.values_list("code", "name", "country")) == first
    assert User.objects.count() == users
    assert Organisation.objects.filter(is_secretariat=False).count() == 40
    assert len({country for _code, _name, country in first}) >= 25
    roles = set(Membership.objects.values_list("role", flat=True))
    assert {
        "network_admin",
        "network_coordinator",
        "org_coordinator",
        "org_member",
        "analyst",
        "stakeholder",
    } <= roles
