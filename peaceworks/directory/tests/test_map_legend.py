"""Map legends read as people count: whole numbers for counts ("2 members", never "1.5" or
"1e+1"), two decimals at most otherwise; the countries' names come from their codes."""

from __future__ import annotations

import re

from django.template import Context, Template
from django.utils import translation

from peaceworks.directory.maps import choropleth_spec, choropleth_svg


def _legend(values: dict[str, float]) -> object:
    spec = choropleth_spec(values, title="Members", value_label="members")
    legend: object = spec["encoding"]["color"]["legend"]
    return legend


def test_counts_get_a_whole_number_legend_and_other_values_two_decimals() -> None:
    assert _legend({"FR": 1, "DE": 12, "KE": 3}) == {"format": ",d", "tickMinStep": 1}
    assert _legend({"FR": 0.5, "DE": 1.25}) == {"format": ",.2~f"}


def test_the_drawn_legend_of_counts_has_no_fraction_and_no_exponent() -> None:
    svg = choropleth_svg({"FR": 1, "DE": 2, "KE": 3, "PE": 10}, title="t", value_label="members")
    labels = [t for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg) if t[:1].isdigit()]
    assert labels
    assert all(re.fullmatch(r"\d[\d,]*", label) for label in labels), labels


def test_country_name_filter_translates_codes() -> None:
    template = Template("{% load countries %}{{ 'KE'|country_name }}|{{ ''|country_name }}")
    with translation.override("fr"):
        assert template.render(Context()) == "Kenya|"
    with translation.override("es"):
        assert Template("{% load countries %}{{ 'DE'|country_name }}").render(Context()) == (
            "Alemania"
        )
