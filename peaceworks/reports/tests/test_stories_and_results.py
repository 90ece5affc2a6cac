"""Selected stories in a report (frozen when published, gone from the next version when their
respondent withdraws), the public results page's map of countries at the published floor, and
the campaign's public page linking its results."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Activity
from peaceworks.campaigns.services import campaign_publish
from peaceworks.directory.models import Organisation
from peaceworks.impact.default_framework.blocks import STORY_QUESTION
from peaceworks.impact.models import Response, Round
from peaceworks.impact.services import answer_quotable_set, respondent_withdraw, response_submit
from peaceworks.impact.tests.shared import (
    campaign,
    framework,
    make_activity,
    network_admin,
    organisation,
    other_organisation,
    secretariat,
    shared_rows,
)
from peaceworks.impact.tests.test_analytics import _rounds
from peaceworks.reports.models import Report, ReportVersion
from peaceworks.reports.services import report_publish, report_request
from peaceworks.reports.tests.test_reports import (
    _pdf_text,
    _version,
    generate,
    pdf_not_read,
    population,
    population_rows,
)

# the fixtures: the impact tests' base rows and the reports tests' population, built once for
# the module as in the reports tests (a test's writes are undone after it)
__all__ = [
    "campaign",
    "framework",
    "generate",
    "make_activity",
    "network_admin",
    "organisation",
    "other_organisation",
    "pdf_not_read",
    "population",
    "population_rows",
    "secretariat",
    "shared_rows",
]

pytestmark = pytest.mark.django_db

QUOTED = "Our neighbours came to paint the wall with us on the last day."
NOT_QUOTED = "I did not expect to cry when we left the village."


def _story(survey_round: Round, code: str, text: str, *, quote: bool) -> Response:
    return response_submit(
        survey_round=survey_round,
        submission_id=uuid.uuid4(),
        language="en",
        answers={STORY_QUESTION: text},
        matching_code=code,
        consent_version=survey_round.instrument.consent_version,
        quote_consent=quote,
    ).response


def test_selected_stories_are_frozen_pseudonymous_and_leave_with_a_withdrawal(
    population: dict[str, Any],
    network_coordinator: User,
    generate: Callable[..., Report],
    make_activity: Callable[..., Activity],
    organisation: Organisation,
    client_for: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    togo = make_activity(country="TG", themes=(1,), host_organisation=organisation)
    post = _rounds(togo)[1]
    quoted = _story(post, "TG01XY", QUOTED, quote=True)
    private = _story(post, "TG02XY", NOT_QUOTED, quote=False)
    answer_quotable_set(
        actor=network_coordinator, response=quoted, question_code=STORY_QUESTION, is_quotable=True
    )
    report = generate(network_coordinator, population["campaign"], audience="public")
    version = _version(report)
    assert version.state == ReportVersion.State.READY, version.failure_reason
    stories = version.figures["stories"]
    assert [story["text"] for story in stories] == [QUOTED]
    assert stories[0]["country_name"] == "Togo"
    assert stories[0]["themes"] == ["Theme 1: " + togo.themes.get().name]
    # pseudonymous: the words, the country and the themes; no code, no activity, no name
    assert set(stories[0]) == {"text", "country", "country_name", "themes"}
    assert "TG01XY" not in str(version.figures)
    assert togo.title not in str(version.figures)
    assert NOT_QUOTED not in str(version.figures)
    # the PDF, the workbook and the page show it
    assert QUOTED in _pdf_text(bytes(version.pdf))
    book = load_workbook(io.BytesIO(bytes(version.xlsx)))
    assert [row[2] for row in book["Stories"].iter_rows(min_row=2, values_only=True)] == [QUOTED]
    page = client_for(network_coordinator).get(reverse("reports:version", args=[version.pk]))
    assert QUOTED in page.content.decode()
    published = report_publish(actor=network_coordinator, version=version)

    respondent_withdraw(activity=togo, matching_code="TG01XY")
    with django_capture_on_commit_callbacks(execute=True):
        second = report_request(actor=network_coordinator, report=report, change_note="v2")
    second.refresh_from_db()
    assert second.figures["stories"] == []
    assert "1 story printed in version 1 was removed" in second.withdrawals_note
    second_text = _pdf_text(bytes(second.pdf))
    assert QUOTED not in second_text
    assert "story printed in version 1 was removed" in second_text
    # the published version keeps what it printed
    published.refresh_from_db()
    assert published.figures["stories"][0]["text"] == QUOTED
    assert private.pk  # (never marked: never printed)


@pytest.mark.usefixtures("pdf_not_read")
def test_the_public_results_map_and_table_name_no_country_under_the_floor(
    population: dict[str, Any],
    network_coordinator: User,
    generate: Callable[..., Report],
    client_for: Callable[..., Any],
) -> None:
    """Kenya 15 people, Peru 20, Ghana 6 (under the floor)."""
    version = _version(generate(network_coordinator, population["campaign"], audience="public"))
    countries = version.figures["countries"]
    assert countries
    assert all(country["n"] >= 10 for country in countries)
    assert "GH" not in {country["code"] for country in countries}
    report_publish(actor=network_coordinator, version=version)
    page = client_for(None).get(
        reverse("reports:public_results", args=[population["campaign"].code])
    )
    assert page.status_code == 200
    html = page.content.decode()
    start, end = html.index('class="map-with-table"'), html.index("</section>")
    shown = html[start:end]
    assert "<svg" in shown
    assert "Ghana" not in html
    for country in countries:
        assert f'<th scope="row">{country["name"]}</th><td class="number">{country["n"]}</td>' in (
            shown
        )
    # the map's legend counts people in whole numbers
    assert "People (largest published figure)" in shown
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", shown)
    numbers = [label for label in labels if re.fullmatch(r"[\d.,\s]+", label)]
    assert numbers
    assert all(re.fullmatch(r"\d[\d,]*", label) for label in numbers), numbers


@pytest.mark.usefixtures("pdf_not_read")
def test_the_public_campaign_page_links_its_results_once_published(
    population: dict[str, Any],
    network_coordinator: User,
    generate: Callable[..., Report],
    client_for: Callable[..., Any],
) -> None:
    campaign = population["campaign"]
    campaign_publish(
        actor=network_coordinator, campaign=campaign, is_published=True, published_summary="Hi"
    )
    public = reverse("campaigns:public", args=[campaign.code])
    results = reverse("reports:public_results", args=[campaign.code])
    anonymous = client_for(None)
    # a report for stakeholders only, even published, is no public results page
    private = generate(network_coordinator, campaign, audience="stakeholders")
    report_publish(actor=network_coordinator, version=_version(private))
    public_report = generate(network_coordinator, campaign, audience="public", title="Public")
    assert results not in anonymous.get(public).content.decode()  # generated, not published
    report_publish(actor=network_coordinator, version=_version(public_report))
    page = anonymous.get(public)
    assert page.status_code == 200
    assert f'href="{results}"' in page.content.decode()
    assert anonymous.get(results).status_code == 200
