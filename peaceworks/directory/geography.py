"""Countries (ISO 3166-1) with their UN M49 numeric code, region and sub-region.

The table is written once here so that the region of an organisation is derived from its
country and never typed by hand. The sub-region is M49's intermediate region where M49 has
one (Eastern Africa, South America, Caribbean...) and its sub-region otherwise (Western Asia,
Northern Europe...). The numeric code is also the id of the country's shape in the npm
package ``world-atlas``. Country names come translated from Babel's CLDR data; those of the
site's languages are kept in ``country_names.json`` (written by :func:`country_names_write`),
since loading a language's CLDR data costs a process's first page ~60 ms of CPU.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path

from babel import Locale, UnknownLocaleError
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

REGIONS = {
    "002": _("Africa"),
    "019": _("Americas"),
    "142": _("Asia"),
    "150": _("Europe"),
    "009": _("Oceania"),
}

# sub-region code: (region code, name)
SUBREGIONS = {
    "015": ("002", _("Northern Africa")),
    "014": ("002", _("Eastern Africa")),
    "017": ("002", _("Middle Africa")),
    "018": ("002", _("Southern Africa")),
    "011": ("002", _("Western Africa")),
    "029": ("019", _("Caribbean")),
    "013": ("019", _("Central America")),
    "005": ("019", _("South America")),
    "021": ("019", _("Northern America")),
    "143": ("142", _("Central Asia")),
    "030": ("142", _("Eastern Asia")),
    "035": ("142", _("South-eastern Asia")),
    "034": ("142", _("Southern Asia")),
    "145": ("142", _("Western Asia")),
    "151": ("150", _("Eastern Europe")),
    "154": ("150", _("Northern Europe")),
    "039": ("150", _("Southern Europe")),
    "155": ("150", _("Western Europe")),
    "053": ("009", _("Australia and New Zealand")),
    "054": ("009", _("Melanesia")),
    "057": ("009", _("Micronesia")),
    "061": ("009", _("Polynesia")),
}

# sub-region code: "alpha-2 numeric, ..." (every ISO 3166-1 country but Antarctica)
_COUNTRIES_BY_SUBREGION = {
    "015": "DZ 012, EG 818, LY 434, MA 504, SD 729, TN 788, EH 732",
    "014": "IO 086, BI 108, KM 174, DJ 262, ER 232, ET 231, TF 260, KE 404, MG 450, MW 454, "
    "MU 480, YT 175, MZ 508, RE 638, RW 646, SC 690, SO 706, SS 728, UG 800, TZ 834, "
    "ZM 894, ZW 716",
    "017": "AO 024, CM 120, CF 140, TD 148, CG 178, CD 180, GQ 226, GA 266, ST 678",
    "018": "BW 072, SZ 748, LS 426, NA 516, ZA 710",
    "011": "BJ 204, BF 854, CV 132, CI 384, GM 270, GH 288, GN 324, GW 624, LR 430, ML 466, "
    "MR 478, NE 562, NG 566, SH 654, SN 686, SL 694, TG 768",
    "029": "AI 660, AG 028, AW 533, BS 044, BB 052, BQ 535, VG 092, KY 136, CU 192, CW 531, "
    "DM 212, DO 214, GD 308, GP 312, HT 332, JM 388, MQ 474, MS 500, PR 630, BL 652, "
    "KN 659, LC 662, MF 663, VC 670, SX 534, TT 780, TC 796, VI 850",
    "013": "BZ 084, CR 188, SV 222, GT 320, HN 340, MX 484, NI 558, PA 591",
    "005": "AR 032, BO 068, BV 074, BR 076, CL 152, CO 170, EC 218, FK 238, GF 254, GY 328, "
    "PY 600, PE 604, GS 239, SR 740, UY 858, VE 862",
    "021": "BM 060, CA 124, GL 304, PM 666, US 840",
    "143": "KZ 398, KG 417, TJ 762, TM 795, UZ 860",
    "030": "CN 156, HK 344, MO 446, KP 408, JP 392, MN 496, KR 410, TW 158",
    "035": "BN 096, KH 116, ID 360, LA 418, MY 458, MM 104, PH 608, SG 702, TH 764, TL 626, VN 704",
    "034": "AF 004, BD 050, BT 064, IN 356, IR 364, MV 462, NP 524, PK 586, LK 144",
    "145": "AM 051, AZ 031, BH 048, CY 196, GE 268, IQ 368, IL 376, JO 400, KW 414, LB 422, "
    "OM 512, QA 634, SA 682, PS 275, SY 760, TR 792, AE 784, YE 887",
    "151": "BY 112, BG 100, CZ 203, HU 348, PL 616, MD 498, RO 642, RU 643, SK 703, UA 804",
    "154": "AX 248, DK 208, EE 233, FO 234, FI 246, GG 831, IS 352, IE 372, IM 833, JE 832, "
    "LV 428, LT 440, NO 578, SJ 744, SE 752, GB 826",
    "039": "AL 008, AD 020, BA 070, HR 191, GI 292, GR 300, VA 336, IT 380, MT 470, ME 499, "
    "MK 807, PT 620, SM 674, RS 688, SI 705, ES 724",
    "155": "AT 040, BE 056, FR 250, DE 276, LI 438, LU 442, MC 492, NL 528, CH 756",
    "053": "AU 036, CX 162, CC 166, HM 334, NZ 554, NF 574",
    "054": "FJ 242, NC 540, PG 598, SB 090, VU 548",
    "057": "GU 316, KI 296, MH 584, FM 583, NR 520, MP 580, PW 585, UM 581",
    "061": "AS 016, CK 184, PF 258, NU 570, PN 612, WS 882, TK 772, TO 776, TV 798, WF 876",
}


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    numeric: str  # ISO 3166-1 numeric = M49 code = world-atlas shape id, zero-padded
    region: str  # M49 region code ("" for Antarctica)
    subregion: str  # M49 sub-region (or intermediate region) code


def _build() -> dict[str, Country]:
    table = {"AQ": Country(code="AQ", numeric="010", region="", subregion="")}
    for subregion, entries in _COUNTRIES_BY_SUBREGION.items():
        region = SUBREGIONS[subregion][0]
        for entry in entries.split(","):
            code, numeric = entry.split()
            table[code] = Country(code=code, numeric=numeric, region=region, subregion=subregion)
    return table


COUNTRIES: dict[str, Country] = _build()


def country(code: str) -> Country | None:
    return COUNTRIES.get(code.strip().upper())


#: territory names in the site's languages, from Babel's CLDR data (a test checks they are
#: Babel's own)
COUNTRY_NAMES_FILE = Path(__file__).with_name("country_names.json")


def babel_territories(language: str) -> dict[str, str]:
    """Territory names (countries, regions) in ``language``, from Babel's CLDR data."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = Locale("en")
    return dict(locale.territories)


def country_names_write(languages: tuple[str, ...] = ("en", "fr", "es")) -> None:
    """Write ``COUNTRY_NAMES_FILE`` from Babel (after upgrading Babel or adding a language)."""
    names = {
        "babel": version("babel"),
        "languages": {language: babel_territories(language) for language in languages},
    }
    text = json.dumps(names, ensure_ascii=False, indent=0, sort_keys=True)
    COUNTRY_NAMES_FILE.write_text(text + "\n", encoding="utf-8")


@cache
def _stored_names() -> dict[str, dict[str, str]]:
    stored: dict[str, dict[str, str]] = json.loads(COUNTRY_NAMES_FILE.read_text(encoding="utf-8"))[
        "languages"
    ]
    return stored


@cache
def _territories(language: str) -> dict[str, str]:
    return _stored_names().get(language) or babel_territories(language)


def _country_name(code: str) -> str:
    names = _territories((get_language() or "en").split("-")[0])
    return names.get(code, code)


#: the country's name in the active language (lazy, for choices declared at import time)
country_name_lazy = lazy(_country_name, str)


def country_name(code: str) -> str:
    """The country's name in the active language, or the code when it is unknown."""
    return _country_name(code.upper()) if code else ""


def country_choices() -> list[tuple[str, str]]:
    """(alpha-2, name) for every country, sorted by name in the active language."""
    return sorted(((code, country_name(code)) for code in COUNTRIES), key=lambda item: item[1])


def region_name(code: str) -> str:
    return str(REGIONS.get(code, ""))


def subregion_name(code: str) -> str:
    entry = SUBREGIONS.get(code)
    return str(entry[1]) if entry else ""


def region_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in REGIONS.items()]


def subregion_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, (_region, name) in SUBREGIONS.items()]


def numeric_code(alpha2: str) -> str | None:
    """The world-atlas shape id of a country, or None for an unknown code."""
    found = country(alpha2)
    return found.numeric if found else None


def countries_in_region(region: str) -> list[str]:
    """The alpha-2 codes of a region's or a sub-region's countries."""
    return [
        found.code
        for found in COUNTRIES.values()
        if region and region in (found.region, found.subregion)
    ]
