from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peaceworks.accounts.access import viewer_for

# The areas of the product, in the order the navigation shows them.
AREAS = [
    ("directory:index", _("Network")),
    ("campaigns:index", _("Campaigns")),
    ("impact:index", _("Impact")),
    ("consultations:index", _("Consultations")),
    ("meetings:index", _("Meetings")),
    ("reports:index", _("Reports")),
]
#: what a stakeholder (published things only) may open
STAKEHOLDER_AREAS = [
    ("web:dashboard", _("Home")),
    ("reports:index", _("Reports")),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The areas a signed-in member works in; stakeholders (published things only) their home
    and the reports published to them."""
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return {"nav_items": []}
    areas = AREAS if viewer_for(user).is_network_member else STAKEHOLDER_AREAS
    items = []
    for url_name, label in areas:
        url = reverse(url_name)
        items.append({"url": url, "label": label, "current": request.path.startswith(url)})
    return {"nav_items": items}


def _host(netloc: str, *, secure: bool) -> str:
    """``host[:port]`` in lower case, without the scheme's default port."""
    netloc = netloc.lower()
    default = ":443" if secure else ":80"
    return netloc.removesuffix(default)


def public_address(request: HttpRequest) -> dict[str, Any]:
    """For network staff: the configured public address (``SITE_URL``) when this request
    arrived at another host, since survey links and QR codes would then point elsewhere."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not viewer_for(user).is_network_staff:
        return {}
    parts = urlsplit(settings.SITE_URL)
    try:
        served = _host(request.get_host(), secure=request.is_secure())
    except DisallowedHost:
        return {}
    if served == _host(parts.netloc, secure=parts.scheme == "https"):
        return {}
    return {"public_address_mismatch": {"configured": settings.SITE_URL, "served": served}}
