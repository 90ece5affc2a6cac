"""Dashboard filters and the answer distribution: through the pages, downloads and the API."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from peaceworks.campaigns.models import Campaign
from peaceworks.directory.models import Organisation
from peaceworks.impact.tests.shared import *  # noqa: F403 -- the base rows' fixtures
from peaceworks.impact.tests.shared import SharedRows
from peaceworks.impact.tests.test_analytics import population_build

API = "/api/v1/impact"
NUMBERS = ("n", "mean_change", "ci_low", "ci_high", "baseline_pct_2", "post_pct_4")


@pytest.fixture(scope="module")
def population_rows(shared_rows: SharedRows, module_transaction: Any) -> None:
    """Kenya, theme 1 (own organisation, Africa): 15 pairs, 3 of them men, answers 1-2 before
    and 3-5 after. Peru, theme 1 (other organisation, Americas): 20 pairs, everyone 2 then 4.
    Ghana, theme 2 (other organisation): 6 women with fewer opportunities answer the teamwork
    item only, 3 then 3. Built once for the module: its tests only read them."""
    with module_transaction.unblock():
        population_build(
            campaign=Campaign.objects.get(pk=shared_rows.campaign),
            make_activity=shared_rows.activity_maker(),
            other_organisation=Organisation.objects.get(pk=shared_rows.other_organisation),
        )


@pytest.fixture
def population(population_rows: None, campaign: Campaign) -> dict[str, Any]:
    return {"campaign": campaign}


def _rows(response: Any) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode().lstrip("\ufeff"))))


def _overview(population: dict[str, Any]) -> str:
    return reverse("impact:dashboard", args=[population["campaign"].pk])


def _indicator(population: dict[str, Any]) -> str:
    return reverse("impact:dashboard_indicator", args=[population["campaign"].pk, "i1_knowledge"])


# Campaign overview filters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "indicator", "n", "change", "answer_after"),
    [
        ("country=PE", "i1_knowledge", "20", 2.0, 4),
        ("theme=dignity", "ic_teamwork", "6", 0.0, 3),
        ("region=019", "i1_knowledge", "20", 2.0, 4),
        ("region=019&theme=migrants&year=", "i1_knowledge", "20", 2.0, 4),
    ],
)
def test_overview_filters_recompute_the_headline_for_the_population_they_keep(
    population: dict[str, Any],
    network_coordinator: Any,
    client_for: Any,
    django_assert_max_num_queries: Any,
    query: str,
    indicator: str,
    n: str,
    change: float,
    answer_after: int,
) -> None:
    client = client_for(network_coordinator)
    url = _overview(population)
    everyone = {row["indicator"]: row for row in _rows(client.get(url + "?format=csv"))}
    assert everyone["i1_knowledge"]["n"] == "35"
    with django_assert_max_num_queries(30):
        page = client.get(f"{url}?{query}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Figures of the respondents the filters keep" in html
    assert "<svg" in html
    filtered = {row["indicator"]: row for row in _rows(client.get(f"{url}?{query}&format=csv"))}
    assert filtered[indicator]["n"] == n
    assert float(filtered[indicator]["mean_change"]) == change
    assert float(filtered[indicator][f"post_pct_{answer_after}"]) == 100.0


def test_overview_filter_form_works_without_javascript_and_htmx_swaps_the_results_only(
    population: dict[str, Any], org_coordinator: Any, client_for: Any
) -> None:
    client = client_for(org_coordinator)
    url = _overview(population)
    html = client.get(url + "?country=PE").content.decode()
    assert '<form method="get" class="filters"' in html
    assert 'hx-target="#overview-results"' in html
    assert '<option value="PE" selected>Peru</option>' in html
    assert 'href="?country=PE&amp;format=csv"' in html
    assert 'href="?country=PE&amp;format=xlsx"' in html
    # the indicator page opens on the same population
    assert "/indicators/i1_knowledge/?country=PE" in html
    partial = client.get(url + "?country=PE", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert "Outputs" not in partial
    assert 'href="?country=PE&amp;format=csv"' in partial
    xlsx = client.get(url + "?country=PE&format=xlsx")
    assert xlsx.content[:2] == b"PK"


@pytest.mark.parametrize("persona", ["network_coordinator", "org_coordinator", "outsider"])
def test_a_filter_that_isolates_fewer_than_five_respondents_shows_no_number(
    population: dict[str, Any], client_for: Any, persona: str, request: Any
) -> None:
    client = client_for(request.getfixturevalue(persona))
    query = "country=KE&gender=man"  # the 3 men in Kenya
    html = client.get(f"{_overview(population)}?{query}").content.decode()
    assert "Hidden: too few answers" in html
    rows = {
        row["indicator"]: row
        for row in _rows(client.get(f"{_overview(population)}?{query}&format=csv"))
    }
    assert rows["i1_knowledge"]["suppressed"] == rows["ic_teamwork"]["suppressed"] == "yes"
    for row in rows.values():
        if row["n"] != "0":  # indicators nobody answered have nothing to hide
            assert row["suppressed"] == "yes"
            assert all(row[name] == "" for name in NUMBERS), row
    page = client.get(f"{_indicator(population)}?by=theme&{query}").content.decode()
    assert "Hidden: too few answers" in page
    assert "Share of answers at each option" not in page
    for row in _rows(client.get(f"{_indicator(population)}?by=theme&{query}&format=csv")):
        assert all(row[name] == "" for name in NUMBERS), row


@pytest.mark.parametrize("persona", ["network_coordinator", "org_coordinator", "outsider"])
def test_figures_whose_difference_from_a_wider_filter_singles_out_a_few_are_hidden(
    population: dict[str, Any], client_for: Any, persona: str, request: Any
) -> None:
    """Kenya (15 pairs) and all women (22) may show; Kenya's women (12) may not: Kenya minus
    Kenya's women would be its 3 men."""
    client = client_for(request.getfixturevalue(persona))

    def knowledge(query: str) -> dict[str, str]:
        rows = _rows(client.get(f"{_overview(population)}?{query}&format=csv"))
        return next(row for row in rows if row["indicator"] == "i1_knowledge")

    assert knowledge("country=KE")["n"] == "15"
    assert knowledge("gender=woman")["n"] == "22"
    hidden = knowledge("country=KE&gender=woman")
    assert hidden["suppressed"] == "yes"
    assert all(hidden[name] == "" for name in NUMBERS), hidden
    page = client.get(f"{_indicator(population)}?by=theme&country=KE&gender=woman")
    assert "Hidden: too few answers" in page.content.decode()


def test_a_filter_nobody_matches_shows_no_answers(
    population: dict[str, Any], network_coordinator: Any, client_for: Any
) -> None:
    html = client_for(network_coordinator).get(_overview(population) + "?fewer_opportunities=no")
    assert "No answers yet." in html.content.decode()


def test_stakeholders_cannot_filter_an_unpublished_campaign(
    population: dict[str, Any], stakeholder: Any, client_for: Any
) -> None:
    response = client_for(stakeholder).get(_overview(population) + "?country=PE")
    assert response.status_code == 404


# Select lists --------------------------------------------------------------------------------


def test_filters_list_the_snapshots_labels_in_the_viewers_language(
    population: dict[str, Any], network_coordinator: Any, client_for: Any
) -> None:
    client = client_for(network_coordinator)
    client.cookies["peaceworks_language"] = "fr"
    for url in (_overview(population), _indicator(population)):
        html = client.get(url).content.decode()
        assert '<select name="theme"><option value="">Tout</option>' in html
        assert '<option value="dignity">2. ' in html
        themes = html.split('<select name="theme">')[1].split("</select>")[0]
        # Kenya's activity has themes 1 and 4: its respondents are in both (nobody in 3)
        assert '<option value="peace">4. ' in themes
        assert '"gender"' not in themes
        assert '<option value="woman">Femme</option>' in html
        assert '<option value="man">Homme</option>' in html
        assert '<option value="KE">Kenya</option>' in html
        assert '<option value="GH">Ghana</option>' in html
        assert '<option value="PE">Pérou</option>' in html
        assert '<option value="002">Afrique</option>' in html
        assert '<option value="019">Amériques</option>' in html
        assert '<option value="workcamp">Chantier' in html
        assert '<option value="yes">oui</option>' in html
        # themes in their number's order, answer choices in the survey's
        assert html.index('value="migrants"') < html.index('value="dignity"')
        assert html.index('<option value="woman">') < html.index('<option value="man">')


def test_table_rows_read_like_the_filters_while_downloads_keep_the_codes(
    population: dict[str, Any], network_coordinator: Any, client_for: Any
) -> None:
    client = client_for(network_coordinator)
    client.cookies["peaceworks_language"] = "es"
    url = _indicator(population)
    partial = client.get(url + "?by=gender", headers={"HX-Request": "true"}).content.decode()
    assert '<th scope="row">Mujer</th>' in partial
    assert '<th scope="row">Hombre</th>' in partial
    rows = _rows(client.get(url + "?by=gender&format=csv"))
    assert {row["gender"] for row in rows} == {"man", "woman"}


def test_an_unknown_filter_value_stays_chosen_and_keeps_nobody(
    population: dict[str, Any], org_coordinator: Any, client_for: Any
) -> None:
    html = client_for(org_coordinator).get(_indicator(population) + "?theme=nope").content.decode()
    assert '<option value="nope" selected>nope</option>' in html
    assert "No answers yet." in html


# Answer distribution -------------------------------------------------------------------------


def test_indicator_page_shows_the_answer_distribution_with_its_table_and_download(
    population: dict[str, Any],
    org_coordinator: Any,
    client_for: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(org_coordinator)
    url = _indicator(population)
    with django_assert_max_num_queries(20):
        page = client.get(url + "?country=KE")
    html = page.content.decode()
    assert "Share of answers at each option, over 15 pairs of answers" in html
    table = html.split('id="distribution-caption"')[1].split("</table>")[0]
    # Kenya: 8 answered 1 and 7 answered 2 before; 5 each answered 3, 4 and 5 after
    assert '<th scope="row">1. Strongly disagree</th><td>53.3</td><td>0.0</td>' in table
    assert '<th scope="row">2. Disagree</th><td>46.7</td><td>0.0</td>' in table
    assert '<th scope="row">5. Strongly agree</th><td>0.0</td><td>33.3</td>' in table
    assert html.count("<svg") >= 4  # cells, trend, means, distribution
    (row,) = _rows(client.get(url + "?by=country&country=KE&format=csv"))
    assert float(row["baseline_pct_1"]) == pytest.approx(800 / 15, abs=1e-3)
    assert float(row["post_pct_3"]) == pytest.approx(100 / 3, abs=1e-3)
    assert row["post_pct_1"] == "0.0"


def test_values_api_cells_carry_the_distribution_and_suppressed_ones_none(
    population: dict[str, Any], org_coordinator: Any, client_for: Any
) -> None:
    client = client_for(org_coordinator)
    campaign = population["campaign"].code
    url = f"{API}/indicators/i1_knowledge/values?campaign={campaign}"
    (peru,) = client.get(f"{url}&by=year&country=PE").json()["cells"]
    assert peru["distribution"] == {
        "options": [1, 2, 3, 4, 5],
        "n_baseline": 20,
        "n_post": 20,
        "baseline": [0.0, 100.0, 0.0, 0.0, 0.0],
        "post": [0.0, 0.0, 0.0, 100.0, 0.0],
    }
    cells = {tuple(c["key"]): c for c in client.get(f"{url}&by=country,gender").json()["cells"]}
    assert cells[("KE", "man")]["suppressed"] is True
    assert cells[("KE", "man")]["distribution"] is None
    assert cells[("KE", "woman")]["distribution"] is None  # its complement


def test_dashboards_name_indicators_and_countries_and_a_theme_filter_keeps_its_indicators(
    population: dict[str, Any], network_coordinator: Any, client_for: Any
) -> None:
    from peaceworks.impact.models import Indicator

    client = client_for(network_coordinator)
    url = _overview(population)
    knowledge = Indicator.objects.get(
        framework__campaign=population["campaign"], code="i1_knowledge"
    )
    html = client.get(url).content.decode()
    assert f"><span data-authored>{knowledge}</span></a></th>" in html
    assert ">i1_knowledge</a>" not in html
    # the respondents' table names the countries
    assert "<td>Kenya</td>" in html
    assert "<td>KE</td>" not in html
    # filtered by theme 2, theme 1's indicators (no pair among theme 2's activities) go
    themed = client.get(url + "?theme=dignity").content.decode()
    assert f">{knowledge}</span></a></th>" not in themed
    assert "/indicators/ic_teamwork/" in themed
    page = client.get(_indicator(population)).content.decode()
    assert f"<h1><span data-authored>{knowledge}</span></h1>" in page


def test_indicator_names_without_the_readers_version_carry_the_editors_marker(
    population: dict[str, Any], network_coordinator: Any, org_coordinator: Any, client_for: Any
) -> None:
    from django.conf import settings

    from peaceworks.impact.models import Indicator

    knowledge = Indicator.objects.get(
        framework__campaign=population["campaign"], code="i1_knowledge"
    )
    knowledge.name = {"en": "Knowledge of rights", "fr": "Connaissance des droits"}
    knowledge.save(update_fields=["name"])
    pages = (_overview(population), _indicator(population))
    for user, marked in ((network_coordinator, True), (org_coordinator, False)):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
        for url in pages:
            html = client.get(url).content.decode()
            fallback = '<span data-authored data-untranslated lang="en">Knowledge of rights</span>'
            assert fallback in html, url
            assert ("aún sin traducir" in html) is marked, url
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        html = client.get(pages[0]).content.decode()
        assert "<span data-authored>Connaissance des droits</span>" in html
