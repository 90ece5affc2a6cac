from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.urls import Resolver404, get_resolver, get_script_prefix, get_urlconf, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peaceworks.accounts.access import viewer_for
from peaceworks.accounts.notifications import unread_count


@dataclass(frozen=True)
class Area:
    """One entry of the menu: ``url_name`` (with ``fragment``, a section of that page),
    ``paths`` the path prefixes that belong to it (default: its own URL's)."""

    url_name: str
    label: str | Promise
    fragment: str = ""
    paths: tuple[str, ...] = ()

    def url(self) -> str:
        return _reversed(self.url_name) + (f"#{self.fragment}" if self.fragment else "")

    def prefixes(self) -> tuple[str, ...]:
        return self.paths or (_reversed(self.url_name),)

    def owns(self, path: str) -> bool:
        return any(path.startswith(prefix) for prefix in self.prefixes())


#: the address of each URL name without arguments, per URLconf (a new resolver when the URL
#: caches are cleared) and script prefix: every page asked ``reverse`` for the menu's and the
#: breadcrumbs' fixed addresses about twenty times (~1 ms of CPU a page)
_REVERSED: dict[tuple[object, str, str], str] = {}


def _reversed(url_name: str) -> str:
    """``reverse(url_name)``, remembered for the current URLconf and script prefix."""
    key = (get_resolver(get_urlconf()), get_script_prefix(), url_name)
    url = _REVERSED.get(key)
    if url is None:
        if len(_REVERSED) > 1000:  # only ever a few dozen; bounded all the same
            _REVERSED.clear()
        url = _REVERSED[key] = reverse(url_name)
    return url


#: the strategy pages (plans and what they hold), under campaigns' URLs
_STRATEGY_PATHS = tuple(
    f"/campaigns/{part}/" for part in ("plans", "reflections", "goals", "objectives", "actions")
)
# The areas of the product, in the order the navigation shows them. Every network member may
# open each of them (the crawl test checks it for every demo role).
AREAS = [
    Area("directory:index", _("Network")),
    Area("campaigns:index", _("Campaigns")),
    Area("campaigns:index", _("Strategy plans"), "strategy-plans", _STRATEGY_PATHS),
    Area("impact:index", _("Impact")),
    Area("consultations:index", _("Consultations")),
    Area("meetings:index", _("Meetings")),
    Area("reports:index", _("Reports")),
]
# The one search is the header's search box (every signed-in person has it): not an area.
#: what a stakeholder (published things only) may open
STAKEHOLDER_AREAS = [
    Area("web:dashboard", _("Home")),
    Area("reports:index", _("Reports")),
]
#: list pages inside an area, shown in the breadcrumbs of the pages below them
SECTIONS = {
    "campaigns:activity_list": _("Activities"),
    "campaigns:my_actions": _("My actions"),
    "directory:stakeholders": _("Stakeholders"),
    "directory:partnerships": _("Partnerships"),
    "directory:my_follow_ups": _("My follow-ups"),
    "meetings:my_items": _("My action items"),
    "impact:harm_queue": _("Harm review"),
    "impact:statistics": _("Statistics"),
    "accounts:profile": _("Your profile"),
    "accounts:notifications": _("Notifications"),
}


def _areas_for(user: Any) -> list[Area]:
    return AREAS if viewer_for(user).is_network_member else STAKEHOLDER_AREAS


def _current_area(areas: list[Area], path: str) -> Area | None:
    """The area ``path`` belongs to: the one with the longest matching prefix."""
    owning = [
        (max(len(prefix) for prefix in area.prefixes() if path.startswith(prefix)), area)
        for area in areas
        if area.owns(path)
    ]
    return max(owning, key=lambda pair: pair[0])[1] if owning else None


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The areas a signed-in member works in; stakeholders (published things only) their home,
    the reports published to them and the search."""
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return {"nav_items": []}
    areas = _areas_for(user)
    current = _current_area(areas, request.path)
    items = [{"url": area.url(), "label": area.label, "current": area is current} for area in areas]
    return {"nav_items": items}


def breadcrumbs(request: HttpRequest) -> dict[str, Any]:
    """The way back from any page: home, the area the page belongs to (when the person may
    open it), and the list pages between the area and this page. A page adds its own parents
    in the ``breadcrumb_extra`` block of ``web/base.html``."""
    user = getattr(request, "user", None)
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    home = _reversed("web:dashboard" if signed_in else "web:home")
    if request.path in {home, _reversed("web:home")}:
        return {"breadcrumbs": []}  # the home page itself
    crumbs: list[dict[str, str | Promise]] = [{"url": home, "label": _("Home")}]
    if not signed_in:
        return {"breadcrumbs": crumbs}
    area = _current_area(_areas_for(user), request.path)
    if area is not None and area.url_name != "web:dashboard":
        area_url = area.url()
        if urlsplit(area_url).path != request.path or area.fragment:
            crumbs.append({"url": area_url, "label": area.label})
    parts = request.path.strip("/").split("/")
    for depth in range(1, len(parts)):
        prefix = "/" + "/".join(parts[:depth]) + "/"
        label = _section_at(prefix)
        if label is not None:
            crumbs.append({"url": prefix, "label": label})
    return {"breadcrumbs": crumbs}


#: the list page (its label in ``SECTIONS``) at each path prefix met, or None, per URLconf
_SECTION_AT: dict[tuple[object, str], str | Promise | None] = {}


def _section_at(prefix: str) -> str | Promise | None:
    """The label of the list page at ``prefix`` (None: no page, or not a list page), resolved
    once per URLconf and prefix (a page's parents are resolved on every page of them)."""
    key = (get_resolver(get_urlconf()), prefix)
    if key in _SECTION_AT:
        return _SECTION_AT[key]
    try:
        label = SECTIONS.get(resolve(prefix).view_name)
    except Resolver404:
        label = None
    if len(_SECTION_AT) > 4096:  # prefixes with ids in them: bounded
        _SECTION_AT.clear()
    _SECTION_AT[key] = label
    return label


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


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The number of unread notifications, for the bell in the header (one query)."""
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    return {"unread_notifications": unread_count(user=user)}
