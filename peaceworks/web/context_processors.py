from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The areas of the product, in the order the navigation shows them.
AREAS = [
    ("directory:index", _("Network")),
    ("campaigns:index", _("Campaigns")),
    ("impact:index", _("Impact")),
    ("consultations:index", _("Consultations")),
    ("meetings:index", _("Meetings")),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    items = []
    for url_name, label in AREAS:
        url = reverse(url_name)
        items.append({"url": url, "label": label, "current": request.path.startswith(url)})
    return {"nav_items": items}
