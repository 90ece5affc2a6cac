"""Long campaign and directory pages: lists are paged with their filters and sort kept, an
unknown sort falls back to the default, the campaign page has an in-page navigation."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Activity, Campaign
from peaceworks.campaigns.views.campaigns import CALENDAR_MONTHS_PER_PAGE, PAGE_SIZE
from peaceworks.directory.models import Organisation
from peaceworks.directory.tests.factories import make_stakeholder
from peaceworks.directory.views.organisations import PAGE_SIZE as ORGANISATION_PAGE_SIZE
from peaceworks.directory.views.relations import STAKEHOLDER_PAGE_SIZE

pytestmark = pytest.mark.django_db


def _titles(html: str) -> list[str]:
    return re.findall(r'<a href="/campaigns/activities/\d+/">([^<]+)</a>', html)


def test_activity_list_pages_keep_filters_and_sort(
    client_for: Callable[[User | None], Client],
    network_coordinator: User,
    org_coordinator: User,
    outsider: User,
    organisation: Organisation,
    make_activity: Callable[..., Activity],
) -> None:
    for number in range(PAGE_SIZE + 2):
        make_activity(organisation, title=f"Camp {number:03d}", country="KE")
    make_activity(organisation, title="Seminar in Lyon", country="FR")
    client = client_for(network_coordinator)
    url = reverse("campaigns:activity_list")
    first = client.get(url, {"country": "KE", "sort": "title"}).content.decode()
    assert _titles(first) == [f"Camp {n:03d}" for n in range(PAGE_SIZE)]
    link = re.search(r'href="\?([^"]*page=2)"', first)
    assert link is not None
    query = link.group(1).replace("&amp;", "&")
    assert "country=KE" in query
    assert "sort=title" in query
    second = client.get(f"{url}?{query}").content.decode()
    assert _titles(second) == [f"Camp {PAGE_SIZE:03d}", f"Camp {PAGE_SIZE + 1:03d}"]
    # an unknown sort keeps the filters and the default order
    fallback = client.get(url, {"country": "FR", "sort": "sideways"})
    assert fallback.status_code == 200
    assert _titles(fallback.content.decode()) == ["Seminar in Lyon"]
    own = client_for(org_coordinator).get(url, {"country": "FR"}).content.decode()
    assert _titles(own) == ["Seminar in Lyon"]
    assert _titles(client_for(outsider).get(url, {"country": "FR"}).content.decode()) == []
    # the country is chosen by its name in the reader's language; a typed "fr" still filters
    french = client.get(url, {"country": "fr"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert _titles(french) == ["Seminar in Lyon"]
    assert re.search(r'<select name="country"[^>]*>', french)
    assert '<option value="KE">Kenya</option>' in french
    assert '<option value="FR" selected>France</option>' in french


def test_campaign_page_has_in_page_navigation_and_a_paged_calendar(
    client_for: Callable[[User | None], Client],
    network_coordinator: User,
    org_coordinator: User,
    outsider: User,
    campaign: Campaign,
    organisation: Organisation,
    make_activity: Callable[..., Activity],
) -> None:
    months = CALENDAR_MONTHS_PER_PAGE + 2
    for month in range(months):
        start = date(2025, 1, 5) + timedelta(days=31 * month)
        make_activity(
            organisation,
            title=f"Month {month:02d} camp",
            start_date=start,
            end_date=start + timedelta(days=3),
        )
    url = reverse("campaigns:detail", args=[campaign.code])
    page = client_for(network_coordinator).get(url).content.decode()
    for anchor in ("themes", "outputs", "where", "strategy", "calendar"):
        assert f'href="#{anchor}"' in page
        assert f'id="{anchor}"' in page
    assert _titles(page) == [f"Month {m:02d} camp" for m in range(CALENDAR_MONTHS_PER_PAGE)]
    later = client_for(network_coordinator).get(url, {"page": 2}).content.decode()
    assert _titles(later) == [
        f"Month {m:02d} camp" for m in range(CALENDAR_MONTHS_PER_PAGE, months)
    ]
    assert "page=1#calendar" in later
    own = client_for(org_coordinator).get(url)
    assert own.status_code == 200
    assert 'href="#calendar"' in own.content.decode()
    other = client_for(outsider).get(url)
    assert other.status_code == 200
    assert _titles(other.content.decode()) == []


def test_stakeholder_list_is_paged_and_sorted(
    client_for: Callable[[User | None], Client],
    network_coordinator: User,
    org_coordinator: User,
) -> None:
    for number in range(STAKEHOLDER_PAGE_SIZE + 1):
        make_stakeholder(network_coordinator, code=f"s{number:03d}", name=f"Agency {number:03d}")
    client = client_for(network_coordinator)
    url = reverse("directory:stakeholders")
    first = client.get(url, {"q": "agency", "sort": "nonsense"}).content.decode()
    names = re.findall(r">(Agency \d{3})</a>", first)
    assert names == [f"Agency {n:03d}" for n in range(STAKEHOLDER_PAGE_SIZE)]
    second = client.get(url, {"q": "agency", "page": "2"}).content.decode()
    assert re.findall(r">(Agency \d{3})</a>", second) == [f"Agency {STAKEHOLDER_PAGE_SIZE:03d}"]
    newest = client.get(url, {"sort": "recent"}).content.decode()
    assert re.findall(r">(Agency \d{3})</a>", newest)[0] == f"Agency {STAKEHOLDER_PAGE_SIZE:03d}"
    assert client_for(org_coordinator).get(url).status_code == 404


def test_organisation_directory_is_paged_with_its_filters_and_sort(
    client_for: Callable[[User | None], Client],
    network_coordinator: User,
    org_member: User,
    stakeholder: User,
    make_organisation: Callable[..., Organisation],
) -> None:
    for number in range(ORGANISATION_PAGE_SIZE + 1):
        make_organisation(code=f"pg{number:03d}", name=f"Paging Peace {number:03d}")
    url = reverse("directory:index")
    names = re.compile(r">(Paging Peace \d{3})</a>")
    client = client_for(network_coordinator)
    first = client.get(url, {"q": "paging", "sort": "unknown"}).content.decode()
    assert names.findall(first) == [f"Paging Peace {n:03d}" for n in range(ORGANISATION_PAGE_SIZE)]
    link = re.search(r'href="\?([^"]*page=2)"', first)
    assert link is not None
    query = link.group(1).replace("&amp;", "&")
    assert "q=paging" in query
    second = client.get(f"{url}?{query}").content.decode()
    assert names.findall(second) == [f"Paging Peace {ORGANISATION_PAGE_SIZE:03d}"]
    newest = client_for(org_member).get(url, {"q": "paging", "sort": "recent"}).content.decode()
    assert names.findall(newest)[0] == f"Paging Peace {ORGANISATION_PAGE_SIZE:03d}"
    assert client_for(stakeholder).get(url).status_code == 404
