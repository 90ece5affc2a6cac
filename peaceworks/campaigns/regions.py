"""A small country → world region lookup for grouping output indicators.

Kept local to campaigns until the directory offers a shared geography; countries not listed
fall in ``other``. Region keys are stable; labels are translated.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

REGION_LABELS: dict[str, Promise] = {
    "africa": _("Africa"),
    "americas": _("Americas"),
    "asia": _("Asia and the Pacific"),
    "europe": _("Europe"),
    "middle_east": _("Middle East and North Africa"),
    "other": _("Other"),
}

# ISO 3166 alpha-2 codes per region, space-separated for readability.
_COUNTRIES: dict[str, str] = {
    "africa": (
        "AO BF BI BJ BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW KE KM LR LS MG ML MR MU MW "
        "MZ NA NE NG RW SC SD SL SN SO SS ST SZ TD TG TZ UG ZA ZM ZW"
    ),
    "americas": "AR BO BR BZ CA CL CO CR CU DO EC GT HN HT JM MX NI PA PE PR PY SV US UY VE",
    "asia": (
        "AF AU BD BT CN FJ HK ID IN JP KH KR KZ KG LA LK MM MN MY NP NZ PH PK SG TH TJ TL TM "
        "TW UZ VN"
    ),
    "europe": (
        "AL AM AT AZ BA BE BG BY CH CY CZ DE DK EE ES FI FR GB GE GR HR HU IE IS IT LT LU LV "
        "MD ME MK MT NL NO PL PT RO RS RU SE SI SK TR UA XK"
    ),
    "middle_east": "AE BH DZ EG IL IQ IR JO KW LB LY MA OM PS QA SA SY TN YE",
}

_REGION_OF: dict[str, str] = {
    country: region for region, codes in _COUNTRIES.items() for country in codes.split()
}


def region_for_country(country: str) -> str:
    """The region key for an ISO 3166 alpha-2 code (``other`` when unknown)."""
    return _REGION_OF.get(country.upper(), "other")
