"""Analytics wired into the product: snapshot refresh, dashboards, values API, raw export."""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from peaceworks.campaigns.models import Activity, Campaign
from peaceworks.directory.models import Organisation
from peaceworks.impact.analytics import PUBLISHED_MIN_N
from peaceworks.impact.figures.selectors import snapshot_view
from peaceworks.impact.models import AnalyticsSnapshot, Respondent, Round
from peaceworks.impact.services import (
    analytics_rebuild,
    analytics_refresh_soon,
    respondent_withdraw,
    response_submit,
    round_open,
)
from peaceworks.impact.tests.shared import *  # noqa: F403 -- the base rows' fixtures
from peaceworks.impact.tests.shared import SharedRows

API = "/api/v1/impact"


def _rounds(activity: Activity) -> tuple[Round, Round]:
    now = timezone.now()
    pre = round_open(
        actor=None,
        activity=activity,
        kind=Round.Kind.PRE,
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=5),
    )
    post = round_open(
        actor=None,
        activity=activity,
        kind=Round.Kind.POST,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=5),
    )
    return pre, post


def population_build(
    *,
    campaign: Campaign,
    make_activity: Callable[..., Activity],
    other_organisation: Organisation,
) -> dict[str, Any]:
    """Kenya (own organisation): 15 pairs, 3 of them men. Peru (other organisation): 20
    pairs, 10 men. Ghana (other organisation, theme 2): 6 women answering the teamwork item.
    The campaign's framework is installed."""
    kenya = make_activity(country="KE", themes=(1, 4))
    peru = make_activity(country="PE", themes=(1,), host_organisation=other_organisation)
    ghana = make_activity(country="GH", themes=(2,), host_organisation=other_organisation)
    for activity, prefix, pairs, men, before, after in (
        (kenya, "KE", 15, 3, lambda n: 1 + n % 2, lambda n: 3 + n % 3),
        (peru, "PE", 20, 10, lambda n: 2, lambda n: 4),
    ):
        pre, post = _rounds(activity)
        for number in range(pairs):
            for survey_round in (pre, post):
                _answer(
                    survey_round,
                    f"{prefix}{number:02d}XY",
                    before=before(number),
                    after=after(number),
                    gender="man" if number < men else "woman",
                )
    for survey_round in _rounds(ghana):
        for number in range(6):
            response_submit(
                survey_round=survey_round,
                submission_id=uuid.uuid4(),
                language="en",
                answers={"c_teamwork": 3, "gender": "woman", "fewer_opportunities": ["economic"]},
                matching_code=f"GH{number:02d}XY",
                consent_version=survey_round.instrument.consent_version,
            )
    analytics_rebuild(campaign_id=campaign.pk)
    return {"campaign": campaign, "kenya": kenya, "peru": peru, "ghana": ghana}


def _answer(survey_round: Round, code: str, *, before: int, after: int, gender: str) -> None:
    value = before if survey_round.kind == Round.Kind.PRE else after
    response_submit(
        survey_round=survey_round,
        submission_id=uuid.uuid4(),
        language="en",
        answers={"t1_knowledge": value, "c_teamwork": value, "gender": gender},
        matching_code=code,
        consent_version=survey_round.instrument.consent_version,
    )


@pytest.fixture(scope="module")
def data_rows(shared_rows: SharedRows, module_transaction: Any) -> tuple[int, int]:
    """Own organisation: 12 pairs in Kenya (3 of them men); other organisation: 20 in Ghana.
    Built once for the module; the two activities' primary keys."""
    with module_transaction.unblock():
        make_activity = shared_rows.activity_maker()
        own = make_activity(country="KE")
        other = make_activity(
            country="GH",
            host_organisation=Organisation.objects.get(pk=shared_rows.other_organisation),
        )
        for activity, size, men in ((own, 12, 3), (other, 20, 10)):
            pre, post = _rounds(activity)
            for number in range(size):
                code = f"AB{number:02d}CD"
                gender = "man" if number < men else "woman"
                for survey_round in (pre, post):
                    _answer(survey_round, code, before=2, after=2 + number % 3, gender=gender)
        analytics_rebuild(campaign_id=shared_rows.campaign)
        return own.pk, other.pk


@pytest.fixture
def data(data_rows: tuple[int, int], campaign: Campaign) -> dict[str, Any]:
    """The module's data as this test's own instances."""
    own, other = (Activity.objects.get(pk=pk) for pk in data_rows)
    return {"campaign": campaign, "own": own, "other": other}


def _values(client: Any, campaign: Campaign, query: str) -> Any:
    return client.get(f"{API}/indicators/i1_knowledge/values?campaign={campaign.code}&{query}")


def test_refresh_builds_a_snapshot_of_every_counted_respondent(data: dict[str, Any]) -> None:
    snapshot = AnalyticsSnapshot.objects.get(campaign=data["campaign"])
    assert snapshot.respondents == 32
    assert snapshot.refreshed_at is not None
    assert snapshot.values.get(indicator="i1_knowledge").n == 32


def test_a_withdrawn_respondent_leaves_the_snapshot_after_refresh(data: dict[str, Any]) -> None:
    respondent_withdraw(activity=data["own"], matching_code="AB00CD")
    analytics_rebuild(campaign_id=data["campaign"].pk)
    snapshot = AnalyticsSnapshot.objects.get(campaign=data["campaign"])
    assert snapshot.respondents == 31
    assert snapshot.folds == 1  # folded, not rebuilt
    frame = snapshot_view(campaign=data["campaign"]).frame
    assert frame is not None
    withdrawn = Respondent.objects.get(withdrawn_at__isnull=False)
    assert withdrawn.pk not in frame.respondent_ids.tolist()


def test_new_answers_are_folded_in_and_match_a_full_rebuild(data: dict[str, Any]) -> None:
    pre, post = Round.objects.filter(activity=data["own"]).order_by("kind").reverse()[:2]
    for survey_round in (pre, post):
        _answer(survey_round, "ZZ99ZZ", before=1, after=5, gender="woman")
    folded = analytics_rebuild(campaign_id=data["campaign"].pk)
    assert folded is not None
    assert folded.folds == 1
    folded_value = folded.values.get(indicator="i1_knowledge")
    rebuilt = analytics_rebuild(campaign_id=data["campaign"].pk, full=True)
    assert rebuilt is not None
    assert rebuilt.folds == 0
    value = rebuilt.values.get(indicator="i1_knowledge")
    assert (
        (folded_value.n, folded_value.mean_change)
        == (value.n, value.mean_change)
        == (33, value.mean_change)
    )


def test_a_submission_runs_a_refresh_after_commit(
    data: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        analytics_refresh_soon(campaign_id=data["campaign"].pk)
    snapshot = AnalyticsSnapshot.objects.get(campaign=data["campaign"])
    assert snapshot.status == AnalyticsSnapshot.Status.IDLE
    assert snapshot.folds == 1


def test_a_refresh_already_queued_covers_the_next_submissions(
    data: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    campaign = data["campaign"]
    AnalyticsSnapshot.objects.filter(campaign=campaign).update(status="queued")
    with django_capture_on_commit_callbacks(execute=True):
        analytics_refresh_soon(campaign_id=campaign.pk)
        analytics_refresh_soon(campaign_id=campaign.pk)
    snapshot = AnalyticsSnapshot.objects.get(campaign=campaign)
    assert snapshot.folds == 0  # nothing enqueued twice: the queued task will fold them


# Dashboards ---------------------------------------------------------------------------------


def test_overview_shows_the_headline_with_bounded_queries(
    data: dict[str, Any],
    network_coordinator: Any,
    client_for: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(network_coordinator)
    url = reverse("impact:dashboard", args=[data["campaign"].pk])
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200
    assert "i1_knowledge" in response.content.decode()
    assert "<svg" in response.content.decode()
    download = client.get(url + "?format=csv")
    assert download["Content-Type"].startswith("text/csv")
    assert b"i1_knowledge" in download.content


def test_indicator_page_disaggregates_with_bounded_queries(
    data: dict[str, Any],
    org_coordinator: Any,
    client_for: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(org_coordinator)
    url = reverse("impact:dashboard_indicator", args=[data["campaign"].pk, "i1_knowledge"])
    with django_assert_max_num_queries(20):
        response = client.get(url + "?by=gender,country")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hidden: too few answers" in page  # 3 men in Kenya
    partial = client.get(url + "?by=country", headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    xlsx = client.get(url + "?by=country&format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_indicator_download_links_keep_the_breakdown_and_the_filters(
    data: dict[str, Any], network_coordinator: Any, client_for: Any
) -> None:
    client = client_for(network_coordinator)
    url = reverse("impact:dashboard_indicator", args=[data["campaign"].pk, "i1_knowledge"])
    partial = client.get(url + "?by=gender&gender=woman", headers={"HX-Request": "true"})
    page = partial.content.decode()
    assert 'href="?by=gender&amp;gender=woman&amp;format=csv"' in page
    assert 'href="?by=gender&amp;gender=woman&amp;format=xlsx"' in page


def test_dashboard_tables_that_scroll_sideways_can_be_reached_by_keyboard(
    data: dict[str, Any], network_coordinator: Any, client_for: Any
) -> None:
    client = client_for(network_coordinator)
    pk = data["campaign"].pk
    for url in (
        reverse("impact:dashboard", args=[pk]),
        reverse("impact:dashboard_indicator", args=[pk, "i1_knowledge"]),
        reverse("impact:dashboard_quality", args=[pk]),
    ):
        page = client.get(url).content.decode()
        wraps = re.findall(r'<div class="table-wrap"[^>]*>', page)
        assert wraps, url
        for wrap in wraps:
            assert 'tabindex="0"' in wrap, (url, wrap)
            assert 'role="region"' in wrap, (url, wrap)
            assert "aria-label" in wrap, (url, wrap)


def test_indicator_filters_offer_the_theme_and_read_in_the_viewers_language(
    data: dict[str, Any], network_coordinator: Any, client_for: Any
) -> None:
    client = client_for(network_coordinator)
    client.cookies["peaceworks_language"] = "fr"
    url = reverse("impact:dashboard_indicator", args=[data["campaign"].pk, "i1_knowledge"])
    page = client.get(url + "?by=gender&theme=nope")
    html = page.content.decode()
    assert '<select name="theme"><option value="">Tout</option>' in html
    assert '<option value="nope" selected>nope</option>' in html
    assert ">genre <select" in html
    assert '<option value="age_band">tranche d\u2019âge</option>' in html
    assert "Pas encore de réponses." in html  # nobody in theme "nope"


def test_indicator_page_refuses_an_unknown_dimension_with_a_message(
    data: dict[str, Any], org_coordinator: Any, client_for: Any
) -> None:
    url = reverse("impact:dashboard_indicator", args=[data["campaign"].pk, "i1_knowledge"])
    response = client_for(org_coordinator).get(url + "?by=shoe_size")
    assert response.status_code == 200
    assert "Use up to two different dimensions" in response.content.decode()


def test_unknown_indicator_page_is_404(
    data: dict[str, Any], network_coordinator: Any, client_for: Any
) -> None:
    url = reverse("impact:dashboard_indicator", args=[data["campaign"].pk, "nope"])
    assert client_for(network_coordinator).get(url).status_code == 404


def test_stakeholders_do_not_see_unpublished_campaigns(
    data: dict[str, Any], stakeholder: Any, client_for: Any
) -> None:
    url = reverse("impact:dashboard", args=[data["campaign"].pk])
    assert client_for(stakeholder).get(url).status_code == 404


def test_organisation_page_shows_own_results_next_to_the_network(
    data: dict[str, Any],
    org_member: Any,
    organisation: Organisation,
    client_for: Any,
    django_assert_max_num_queries: Any,
) -> None:
    url = reverse("impact:dashboard_organisation", args=[data["campaign"].pk, organisation.pk])
    with django_assert_max_num_queries(30):
        response = client_for(org_member).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert ">12<" in page
    assert ">32<" in page


def test_another_organisations_page_is_404(
    data: dict[str, Any], org_coordinator: Any, other_organisation: Organisation, client_for: Any
) -> None:
    url = reverse(
        "impact:dashboard_organisation", args=[data["campaign"].pk, other_organisation.pk]
    )
    assert client_for(org_coordinator).get(url).status_code == 404


def test_quality_page_lists_own_activities_only(
    data: dict[str, Any],
    org_coordinator: Any,
    client_for: Any,
    django_assert_max_num_queries: Any,
) -> None:
    url = reverse("impact:dashboard_quality", args=[data["campaign"].pk])
    with django_assert_max_num_queries(30):
        response = client_for(org_coordinator).get(url)
    page = response.content.decode()
    assert data["own"].title in page
    assert data["other"].title not in page


def test_a_coordinator_forces_a_refresh_and_sees_its_status(
    data: dict[str, Any], org_coordinator: Any, client_for: Any
) -> None:
    url = reverse("impact:dashboard_refresh", args=[data["campaign"].pk])
    client = client_for(org_coordinator)
    response = client.post(url)
    assert response.status_code == 200
    assert "Figures as of" in client.get(url).content.decode()


def test_read_only_members_cannot_force_a_refresh(
    data: dict[str, Any], org_member: Any, client_for: Any
) -> None:
    url = reverse("impact:dashboard_refresh", args=[data["campaign"].pk])
    assert client_for(org_member).post(url).status_code == 403


# API ----------------------------------------------------------------------------------------


def test_values_api_returns_cells_with_the_engine_fields(
    data: dict[str, Any], network_coordinator: Any, client_for: Any
) -> None:
    response = _values(client_for(network_coordinator), data["campaign"], "by=country")
    assert response.status_code == 200
    body = response.json()
    cells = {tuple(c["key"]): c for c in body["cells"]}
    assert cells[("GH",)]["n"] == 20
    assert cells[("KE",)]["n"] == 12
    assert {"mean_change", "ci_low", "ci_high", "d_z", "wilcoxon_r", "suppressed"} <= set(
        cells[("GH",)]
    )


def test_values_api_answers_from_the_new_snapshot_after_a_refresh(
    data: dict[str, Any], network_coordinator: Any, client_for: Any
) -> None:
    # a server process keeps each grouping's table per snapshot version: a refresh must not
    # leave it answering from the table it kept before
    client = client_for(network_coordinator)

    def counts() -> dict[tuple[Any, ...], int]:
        cells = _values(client, data["campaign"], "by=country").json()["cells"]
        return {tuple(cell["key"]): cell["n"] for cell in cells}

    before = counts()
    pre, post = Round.objects.filter(activity=data["own"]).order_by("kind").reverse()[:2]
    for survey_round in (pre, post):
        _answer(survey_round, "ZZ99ZZ", before=1, after=5, gender="woman")
    analytics_rebuild(campaign_id=data["campaign"].pk)
    assert counts() == {**before, ("KE",): before[("KE",)] + 1}


def test_values_api_filters(
    data: dict[str, Any], network_coordinator: Any, client_for: Any
) -> None:
    client = client_for(network_coordinator)
    response = _values(client, data["campaign"], "by=year&country=GH")
    assert {c["n"] for c in response.json()["cells"]} == {20}
    # Ghana's 10 men subtracted from all 13 men would be Kenya's 3: hidden, and Ghana's women
    # with them (otherwise Ghana's total minus its women gives its men back)
    response = _values(client, data["campaign"], "by=gender&country=GH")
    cells = response.json()["cells"]
    assert len(cells) == 2
    assert all(c["suppressed"] and c["n"] is None for c in cells)


def test_values_api_refuses_an_unknown_dimension_as_problem_json(
    data: dict[str, Any], network_coordinator: Any, client_for: Any
) -> None:
    response = _values(client_for(network_coordinator), data["campaign"], "by=shoe_size")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")


def test_values_api_hides_unpublished_campaigns_from_outsiders(
    data: dict[str, Any], stakeholder: Any, client_for: Any
) -> None:
    response = _values(client_for(stakeholder), data["campaign"], "by=country")
    assert response.status_code == 404


def test_suppression_cannot_be_undone_by_combining_a_cell_with_its_total(
    data: dict[str, Any], org_coordinator: Any, client_for: Any
) -> None:
    client = client_for(org_coordinator)
    by_gender = _values(client, data["campaign"], "by=gender&country=KE").json()["cells"]
    total = _values(client, data["campaign"], "by=country").json()["cells"]
    assert any(c["suppressed"] for c in by_gender)  # the 3 men
    # the visible cells never add up with the total to reveal the hidden one
    assert all(c["suppressed"] for c in by_gender)
    both = _values(client, data["campaign"], "by=country,gender").json()["cells"]
    kenya = [c for c in both if c["key"][0] == "KE"]
    assert all(c["suppressed"] for c in kenya)
    assert {c["n"] for c in total if c["key"] == ["KE"]} == {12}


def test_an_org_coordinator_sees_network_aggregates_but_not_other_organisations(
    data: dict[str, Any], org_coordinator: Any, client_for: Any
) -> None:
    client = client_for(org_coordinator)
    total = _values(client, data["campaign"], "").json()["cells"]
    assert [c["n"] for c in total] == [32]  # the network's aggregate
    assert _values(client, data["campaign"], "by=organisation").status_code == 422
    other = data["other"].host_organisation.code
    assert _values(client, data["campaign"], f"organisation={other}").status_code == 404
    own = data["own"].host_organisation.code
    mine = _values(client, data["campaign"], f"organisation={own}").json()["cells"]
    assert [c["n"] for c in mine] == [12]


def test_a_published_figure_never_shows_a_cell_under_ten(
    data: dict[str, Any], network_coordinator: Any, client_for: Any
) -> None:
    client = client_for(network_coordinator)
    for by, some_shown in (("country,gender", False), ("gender", True), ("country", True)):
        body = _values(client, data["campaign"], f"by={by}&published=true").json()
        assert body["floor"] == PUBLISHED_MIN_N
        shown = [c for c in body["cells"] if not c["suppressed"]]
        assert bool(shown) is some_shown
        assert all(c["n"] >= PUBLISHED_MIN_N for c in shown)


def test_indicator_index_lists_the_campaigns_indicators(
    data: dict[str, Any], analyst: Any, client_for: Any
) -> None:
    response = client_for(analyst).get(f"{API}/indicators?campaign={data['campaign'].code}")
    assert response.status_code == 200
    assert "i1_knowledge" in {row["code"] for row in response.json()["items"]}


def _export(client: Any) -> list[dict[str, str]]:
    response = client.get(f"{API}/responses/export")
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_export_streams_pseudonymised_responses(
    data: dict[str, Any], network_coordinator: Any, client_for: Any
) -> None:
    rows = _export(client_for(network_coordinator))
    assert {r["organisation"] for r in rows} == {
        data["own"].host_organisation.code,
        data["other"].host_organisation.code,
    }
    hashes = set(Respondent.objects.values_list("code_hash", flat=True))
    flat = " ".join(" ".join(r.values()) for r in rows)
    assert not any(h in flat for h in hashes)
    assert "AB00CD" not in flat
    assert all(r["respondent"].startswith("R") for r in rows)


def test_an_org_coordinator_exports_only_its_own_raw_data(
    data: dict[str, Any], org_coordinator: Any, client_for: Any
) -> None:
    rows = _export(client_for(org_coordinator))
    assert rows
    assert {r["activity"] for r in rows} == {data["own"].code}


def test_analysts_cannot_export_raw_data(
    data: dict[str, Any], analyst: Any, client_for: Any
) -> None:
    assert client_for(analyst).get(f"{API}/responses/export").status_code == 404
