"""Network staff see when the site is served at another address than the configured public
one (survey links and QR codes are built from ``SITE_URL``); nobody else does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from peaceworks.accounts.models import User

WARNING = "survey links, QR codes and e-mailed links point to the configured public address"


def test_network_staff_are_warned_when_the_host_differs_from_the_public_address(
    settings: Any,
    client_for: Callable[[User | None], Client],
    network_coordinator: User,
    org_coordinator: User,
) -> None:
    settings.SITE_URL = "https://peace.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "peace.example.org", "10.0.0.5"]
    home = reverse("web:dashboard")
    staff = client_for(network_coordinator)
    elsewhere = staff.get(home, HTTP_HOST="10.0.0.5").content.decode()
    assert WARNING in elsewhere
    assert "10.0.0.5" in elsewhere
    assert "https://peace.example.org" in elsewhere
    served_right = staff.get(home, HTTP_HOST="peace.example.org", secure=True)
    assert WARNING not in served_right.content.decode()
    # a port that is the scheme's default is the same address
    same = staff.get(home, HTTP_HOST="peace.example.org:443", secure=True)
    assert WARNING not in same.content.decode()
    # members of organisations cannot change the configuration: no warning for them
    member_page = client_for(org_coordinator).get(home, HTTP_HOST="10.0.0.5")
    assert WARNING not in member_page.content.decode()


def test_pages_link_an_svg_icon_and_favicon_ico_answers(client: Client) -> None:
    from django.contrib.staticfiles import finders

    assert finders.find("core/favicon.svg")
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'rel="icon"' in page
    assert "favicon" in page
    icon = client.get("/favicon.ico")
    assert icon.status_code == 302
    assert icon["Location"].endswith(".svg")
