"""docs/statistics.md in the product, the links to it, and the export's data dictionary."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django.urls import reverse

from peaceworks.directory.geography import country as country_info
from peaceworks.directory.models import Affiliation, Network
from peaceworks.impact.analytics.engine import Cell
from peaceworks.impact.figures.export import ACTIVITY_HEADERS, EXPORT_HEADERS
from peaceworks.impact.figures.load import activity_rows, indicator_map
from peaceworks.impact.models import Indicator
from peaceworks.impact.tests.shared import *  # noqa: F403 -- the base rows' fixtures
from peaceworks.impact.views.statistics import SOURCE, render_markdown

from .test_analytics import data, data_rows

# the analytics tests' data, built once for the module (``shared``)
__all__ = ["data", "data_rows"]

API = "/api/v1/impact"
#: every statistic a cell publishes, and the section of docs/statistics.md that defines it
DEFINED = {
    "n": "n",
    "n_pre": "n",
    "n_post": "n",
    "response_rate": "response-rate",
    "pairing_rate": "pairing-rate",
    "method": "unpaired-fallback",
    "uses_retrospective": "populations",
    "mean_baseline": "mean-change",
    "mean_post": "mean-change",
    "mean_change": "mean-change",
    "ci_low": "confidence-interval",
    "ci_high": "confidence-interval",
    "d_z": "d-z",
    "d_av": "d-av",
    "wilcoxon_r": "wilcoxon-r",
    "pct_improved": "improved",
    "pct_top2_post": "top-2-box",
    "ceiling": "ceiling-flag",
    "mean_attribution": "mean-attribution",
    "alpha": "cronbachs-alpha",
    "distribution": "populations",
}


def _anchors(html: str) -> set[str]:
    return set(re.findall(r'id="([^"]+)"', html))


def test_every_published_statistic_has_its_section_in_docs_statistics_md() -> None:
    published = {
        name for name in Cell.__dataclass_fields__ if name not in ("indicator", "key", "suppressed")
    }
    assert published == set(DEFINED)
    _, sections = render_markdown(SOURCE.read_text(encoding="utf-8"))
    assert set(DEFINED.values()) <= {slug for slug, _ in sections}


def test_the_statistics_page_shows_docs_statistics_md_to_everyone(client: Any) -> None:
    response = client.get(reverse("impact:statistics"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h2 id="wilcoxon-r">Wilcoxon r</h2>' in page
    assert "<code>MULTI_VALUED_DIMENSIONS</code>" in page
    # the raw export answers only network staff and member organisations: linked for them
    assert f'href="{reverse("api:response_export_datapackage")}"' not in page


def test_the_export_links_show_only_to_those_the_export_answers(
    client_for: Any, org_coordinator: Any, analyst: Any
) -> None:
    url = reverse("impact:statistics")
    link = reverse("api:response_export_datapackage")
    assert f'href="{link}"' in client_for(org_coordinator).get(url).content.decode()
    assert client_for(org_coordinator).get(link).status_code == 200
    assert f'href="{link}"' not in client_for(analyst).get(url).content.decode()


def test_the_indicator_page_links_each_statistic_to_its_definition(
    data: dict[str, Any],
    network_coordinator: Any,
    client_for: Any,
) -> None:
    client = client_for(network_coordinator)
    url = reverse("impact:dashboard_indicator", args=[data["campaign"].pk, "i1_knowledge"])
    page = client.get(url).content.decode()
    stats = reverse("impact:statistics")
    linked = set(re.findall(rf'href="{re.escape(stats)}#([^"]+)"', page))
    assert {"n", "mean-change", "confidence-interval", "d-z", "d-av", "wilcoxon-r"} <= linked
    assert linked <= _anchors(client.get(stats).content.decode())


def test_an_indicator_without_a_five_point_item_says_it_is_not_measured(
    data: dict[str, Any],
    network_coordinator: Any,
    client_for: Any,
) -> None:
    campaign = data["campaign"]
    measured = indicator_map(campaign=campaign).engine_name
    outcomes = Indicator.objects.filter(framework__campaign=campaign, kind=Indicator.Kind.OUTCOME)
    unmeasured = next(i for i in outcomes.order_by("code") if i.code not in measured)
    partner = outcomes.filter(source_questions__0__startswith="p_").first()
    assert partner is None or partner.code not in measured  # partner forms: no pairs
    url = reverse("impact:dashboard_indicator", args=[campaign.pk, unmeasured.code])
    page = client_for(network_coordinator).get(url).content.decode()
    assert "Not measured by this instrument" in page


def _rows(response: Any) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_data_dictionary_describes_every_column_and_code(
    data: dict[str, Any],
    network_coordinator: Any,
    client_for: Any,
) -> None:
    client = client_for(network_coordinator)
    package = client.get(f"{API}/responses/export/datapackage").json()
    responses, activities = package["resources"]
    assert [f["name"] for f in responses["schema"]["fields"]] == list(EXPORT_HEADERS)
    assert [f["name"] for f in activities["schema"]["fields"]] == list(ACTIVITY_HEADERS)
    assert all(f["description"] for f in responses["schema"]["fields"])
    assert package["respondentKey"] == "respondent"
    assert "then" in package["description"]
    assert package["multiValuedDimensions"] == ["network", "theme"]
    questions = {q["code"]: q for q in package["questions"]}
    choices = {c["value"] for c in questions["fewer_opportunities"]["choices"]}
    assert {"prefer_not", "none", "economic"} <= choices
    assert not any(code.endswith("_text") for code in questions)
    indicator = next(i for i in package["indicators"] if i["code"] == "i1_knowledge")
    assert indicator["items"] == ["t1_knowledge"]
    assert indicator["theme"]
    rows = _rows(client.get(activities["path"]))
    assert {r["activity"] for r in rows} == {data["own"].code, data["other"].code}
    assert {r["volunteers_registered"] for r in rows} == {"15"}


def test_an_org_coordinator_gets_its_own_activities_and_an_analyst_nothing(
    data: dict[str, Any],
    org_coordinator: Any,
    analyst: Any,
    client_for: Any,
) -> None:
    rows = _rows(client_for(org_coordinator).get(f"{API}/responses/export/activities"))
    assert [r["activity"] for r in rows] == [data["own"].code]
    for path in ("activities", "datapackage"):
        assert client_for(analyst).get(f"{API}/responses/export/{path}").status_code == 404


def test_region_is_the_hosting_countrys_and_an_organisation_counts_in_each_network(
    data: dict[str, Any],
) -> None:
    own = data["own"]
    own.host_organisation.country = "FR"  # a French organisation hosts in Kenya
    own.host_organisation.save(update_fields=["country"])
    networks = [
        Network.objects.create(name=name, acronym=name, code=name.lower()) for name in ("A", "B")
    ]
    for network in networks:
        Affiliation.objects.create(organisation=own.host_organisation, network=network)
    row = activity_rows(campaign=data["campaign"])[own.pk]
    kenya = country_info(own.country)
    assert kenya is not None
    france = country_info("FR")
    assert france is not None
    assert kenya.region != france.region
    assert row["region"] == kenya.region
    assert row["network"] == ["A", "B"]
    assert row["volunteers_registered"] == own.international_volunteers + own.local_volunteers
