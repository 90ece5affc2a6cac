"""Every figure a person reads is explained: the mean change carries its scale, the
standardised changes their one-line explanation, and each chart a sentence that names the
indicator (never its code) instead of the drawing engine's axis labels."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings

from peaceworks.impact.models import Indicator
from peaceworks.impact.tests.shared import *  # noqa: F403 -- the base rows' fixtures
from peaceworks.impact.tests.test_dashboards import (
    _indicator,
    _overview,
    population,
    population_rows,
)

# the dashboards' population (Kenya, Peru, Ghana), built once for this module too
__all__ = ["population", "population_rows"]

D_Z_EXPLANATION = "the mean change divided by the spread of the changes"
SVG_LABEL = re.compile(r'<svg role="img" aria-label="([^"]*)"')


def _in(client: Any, language: str) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.django_db
def test_no_d_z_appears_without_its_explanation(
    population: dict[str, Any], org_coordinator: Any, client_for: Any
) -> None:
    html = client_for(org_coordinator).get(_indicator(population) + "?country=KE").content.decode()
    headers = re.findall(r"<th[^>]*>(?:(?!</th>).)*d_z(?:(?!</th>).)*</th>", html, re.S)
    assert len(headers) == 3  # by country, by year, equity
    assert all(D_Z_EXPLANATION in header for header in headers)
    # outside the headers, d_z is only named in the note under each table, with its meaning
    rest = re.sub(r"<th[^>]*>(?:(?!</th>).)*</th>", "", html, flags=re.S)
    notes = re.findall(r"Standardised change \(d_z\): ([^.]*)\.", rest)
    assert notes == [D_Z_EXPLANATION] * 3
    assert rest.count("d_z") == 3


@pytest.mark.django_db
def test_chart_text_alternatives_are_sentences_naming_the_indicator(
    population: dict[str, Any], org_coordinator: Any, client_for: Any
) -> None:
    knowledge = Indicator.objects.get(
        framework__campaign=population["campaign"], code="i1_knowledge"
    )
    client = client_for(org_coordinator)
    page = client.get(_indicator(population) + "?by=country").content.decode()
    labels = SVG_LABEL.findall(page)
    assert len(labels) == 4  # cells, trend, means, distribution
    assert labels[0].startswith(f"{knowledge}. Mean change, in points on a scale of 1 to 5: ")
    assert "Peru +2.00 (95 % confidence interval +2.00 to +2.00)" in labels[0]
    overview = client.get(_overview(population)).content.decode()
    (headline,) = SVG_LABEL.findall(overview)
    assert f"1. {knowledge} +" in headline
    for text in [*labels, headline]:
        assert "i1_knowledge" not in text
        assert "axis" not in text.lower()
        assert "label:" not in text


@pytest.mark.django_db
def test_the_mean_change_shows_its_scale_in_the_readers_language(
    population: dict[str, Any], org_coordinator: Any, client_for: Any
) -> None:
    client = _in(client_for(org_coordinator), "fr")
    overview = client.get(_overview(population)).content.decode()
    assert "Changement moyen sur une échelle de 1 à 5 (IC 95 %)" in overview
    assert "<td>+1,90 points (+1,58 à +2,22)</td>" in overview
    assert "\N{EN DASH} points" not in overview
    page = client.get(_indicator(population) + "?country=PE").content.decode()
    (label, *_others) = SVG_LABEL.findall(page)
    assert "+2,00" in label
    assert "Pérou" in label
