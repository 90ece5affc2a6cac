"""Reports as coordinators and stakeholders meet them: generated in the background, frozen when
published, the same document from the same figures, no small cell anywhere, and who sees what."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Activity, Campaign
from peaceworks.directory.models import Organisation
from peaceworks.impact.services import analytics_rebuild, respondent_withdraw
from peaceworks.impact.tests.shared import (
    SharedRows,
    campaign,
    framework,
    make_activity,
    network_admin,
    organisation,
    other_organisation,
    secretariat,
    shared_rows,
)
from peaceworks.impact.tests.test_analytics import _answer, _rounds, population_build
from peaceworks.reports import documents
from peaceworks.reports.documents import render_html, render_pdf, render_xlsx
from peaceworks.reports.models import Report, ReportVersion
from peaceworks.reports.services import report_create, report_publish, report_request

pytestmark = pytest.mark.django_db

# the rows shared by the module's tests: the population is built once (a test's writes are
# undone after it)
__all__ = [
    "campaign",
    "framework",
    "make_activity",
    "network_admin",
    "organisation",
    "other_organisation",
    "secretariat",
    "shared_rows",
]


@pytest.fixture(scope="module")
def population_rows(shared_rows: SharedRows, module_transaction: Any) -> dict[str, int]:
    """``population_build`` once for the module (a test's reports and answers are undone after
    it); the primary keys of its activities."""
    with module_transaction.unblock():
        built = population_build(
            campaign=Campaign.objects.get(pk=shared_rows.campaign),
            make_activity=shared_rows.activity_maker(),
            other_organisation=Organisation.objects.get(pk=shared_rows.other_organisation),
        )
        return {name: row.pk for name, row in built.items() if name != "campaign"}


@pytest.fixture
def population(population_rows: dict[str, int], campaign: Campaign) -> dict[str, Any]:
    """The module's population as this test's own instances."""
    return {
        "campaign": campaign,
        **{name: Activity.objects.get(pk=pk) for name, pk in population_rows.items()},
    }


@pytest.fixture
def generate(django_capture_on_commit_callbacks: Any) -> Callable[..., Report]:
    """Define a report as ``actor`` and run its generation (the task runs on commit)."""

    def make(actor: User, campaign: Any, **changes: Any) -> Report:
        values = {"title": "Rights camps results", "scope": "campaign", "language": "en"}
        values.update(changes)
        with django_capture_on_commit_callbacks(execute=True):
            report = report_create(actor=actor, campaign=campaign, changes=values)
        return report

    return make


def _version(report: Report, number: int = 1) -> ReportVersion:
    return ReportVersion.objects.get(report=report, number=number)


def _cells(figures: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [row for theme in figures["themes"] for row in theme["indicators"]]
    return rows + [row for breakdown in figures["breakdowns"] for row in breakdown["rows"]]


def _more_answers(make_activity: Callable[..., Activity], organisation: Organisation) -> None:
    """Twelve more pairs in Togo, then a full refresh."""
    togo = make_activity(country="TG", themes=(1,), host_organisation=organisation)
    pre, post = _rounds(togo)
    for number in range(12):
        for survey_round in (pre, post):
            _answer(survey_round, f"TG{number:02d}XY", before=1, after=5, gender="woman")


def test_a_published_version_stays_identical_after_more_answers_and_a_refresh(
    population: dict[str, Any],
    network_coordinator: User,
    generate: Callable[..., Report],
    make_activity: Callable[..., Activity],
    organisation: Organisation,
    client_for: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = generate(network_coordinator, population["campaign"])
    version = _version(report)
    assert version.state == ReportVersion.State.READY
    assert version.progress == 100
    published = report_publish(actor=network_coordinator, version=version, change_note="First")
    before = (published.figures, bytes(published.pdf), bytes(published.xlsx))
    page_before = client_for(network_coordinator).get(reverse("reports:version", args=[version.pk]))

    _more_answers(make_activity, organisation)
    respondent_withdraw(activity=population["kenya"], matching_code="KE00XY")
    analytics_rebuild(campaign_id=population["campaign"].pk, full=True)

    version.refresh_from_db()
    assert (version.figures, bytes(version.pdf), bytes(version.xlsx)) == before
    assert version.content_hash == documents.figures_hash(before[0])
    page_after = client_for(network_coordinator).get(reverse("reports:version", args=[version.pk]))
    assert _article(page_after) == _article(page_before)

    # the next version reads the figures as they are now, and says a withdrawal was honoured
    with django_capture_on_commit_callbacks(execute=True):
        second = report_request(actor=network_coordinator, report=report, change_note="Togo")
    second.refresh_from_db()
    first_n = {row["code"]: row["n"] for row in _cells(before[0]) if "code" in row}
    second_n = {row["code"]: row["n"] for row in _cells(second.figures) if "code" in row}
    assert second_n["i1_knowledge"] == first_n["i1_knowledge"] + 12 - 1
    assert "fewer than 10 respondents withdrew their consent" in second.withdrawals_note
    text = _pdf_text(bytes(second.pdf))
    assert "withdrew their consent" in text


def _article(response: Any) -> str:
    """The document part of a version page (the rest holds a per-request CSRF token)."""
    html: str = response.content.decode()
    return html[html.index("<article") : html.index("</article>")]


def _pdf_text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_pdf_holds_the_snapshot_figures_and_the_same_figures_give_the_same_bytes(
    population: dict[str, Any], network_coordinator: User, generate: Callable[..., Report]
) -> None:
    version = _version(generate(network_coordinator, population["campaign"]))
    text = _pdf_text(bytes(version.pdf))
    shown = [row for row in _cells(version.figures) if not row["suppressed"]]
    assert shown
    for row in shown:
        assert documents.number(row["mean_change"]) in text
        assert documents.number(row["n"], 0) in text
    assert "On average, volunteers moved 2.23 points up" in text
    assert "Version 1 of" in text
    assert "Methods" in text
    assert "no control group" in text
    reader = PdfReader(io.BytesIO(bytes(version.pdf)))
    assert len(reader.pages) >= 8
    # the metadata dates are the version's creation time, not the clock
    stamp = version.created_at.strftime("%Y%m%d%H%M%S")
    assert reader.metadata is not None
    assert str(reader.metadata["/CreationDate"]).startswith(f"D:{stamp}")
    label = documents.version_label(version, language=version.figures["language"])
    assert version.created_at.date().isoformat() not in label  # a date in words
    html = render_html(version.figures, version_label=label, created_at=version.created_at)
    assert render_pdf(html, identifier=version.content_hash) == bytes(version.pdf)
    assert render_xlsx(version.figures, version_label=label, created_at=version.created_at) == (
        bytes(version.xlsx)
    )


def test_the_workbook_opens_and_its_cells_are_the_snapshot(
    population: dict[str, Any], network_coordinator: User, generate: Callable[..., Report]
) -> None:
    version = _version(generate(network_coordinator, population["campaign"]))
    book = load_workbook(io.BytesIO(bytes(version.xlsx)))
    assert book.sheetnames[0] == "README"
    assert "Indicators" in book.sheetnames
    rows = list(book["Indicators"].iter_rows(min_row=2, values_only=True))
    expected = [
        (theme["number"], row["code"], row["n"], row["mean_change"], row["ci_low"], row["ci_high"])
        for theme in version.figures["themes"]
        for row in theme["indicators"]
    ]
    assert [(r[0], r[1], r[3], r[6], r[7], r[8]) for r in rows] == expected
    for breakdown in version.figures["breakdowns"]:
        sheet = book[f"By {breakdown['dimension']}"[:31]]
        cells = list(sheet.iter_rows(min_row=2, values_only=True))
        assert [(r[1], r[3], r[6]) for r in cells] == [
            (row["indicator"], row["n"], row["mean_change"]) for row in breakdown["rows"]
        ]


def _assert_no_small_or_derivable_cell(figures: dict[str, Any]) -> None:
    floor = figures["floor"]
    for row in _cells(figures):
        if row["suppressed"]:
            assert row["n"] is None
            assert row["mean_change"] is None
        else:
            assert row["n"] is None or row["n"] >= floor
    totals = {row["code"]: row for theme in figures["themes"] for row in theme["indicators"]}
    for breakdown in figures["breakdowns"]:
        groups: dict[str, list[dict[str, Any]]] = {}
        for row in breakdown["rows"]:
            groups.setdefault(row["indicator"], []).append(row)
        for code, rows in groups.items():
            total = totals.get(code)
            hidden = [row for row in rows if row["suppressed"]]
            if total is None or total["suppressed"] or not hidden:
                continue
            # the subtraction an attacker would try: total less the shown groups
            rest = total["n"] - sum(row["n"] for row in rows if not row["suppressed"])
            assert len(hidden) != 1, (
                f"{code} by {breakdown['dimension']}: the hidden group is {rest} people"
            )
            assert rest >= floor or rest == 0 or len(hidden) > 1
    outputs = {row["key"]: row["value"] for row in figures["outputs"]}
    for key in ("volunteers", "international_volunteers", "local_volunteers"):
        assert outputs[key] is None or outputs[key] == 0 or outputs[key] >= floor
    if outputs["volunteers"] is not None and outputs["international_volunteers"] is None:
        assert outputs["local_volunteers"] is None


@pytest.mark.parametrize(
    "scope",
    [
        {"scope": "campaign"},
        {"scope": "organisation", "organisation": "own"},
        {"scope": "organisation", "organisation": "other"},
        {"scope": "theme", "theme": 2},
    ],
)
def test_no_cell_under_10_is_published_nor_can_be_recomputed(
    scope: dict[str, Any],
    population: dict[str, Any],
    network_coordinator: User,
    generate: Callable[..., Report],
    organisation: Organisation,
    other_organisation: Organisation,
    client: Any,
) -> None:
    campaign = population["campaign"]
    changes: dict[str, Any] = {"scope": scope["scope"], "audience": "public"}
    if "organisation" in scope:
        changes["organisation"] = (
            organisation if scope["organisation"] == "own" else (other_organisation)
        )
    if "theme" in scope:
        changes["theme"] = campaign.themes.get(number=scope["theme"])
    version = _version(generate(network_coordinator, campaign, **changes))
    assert version.state == ReportVersion.State.READY, version.failure_reason
    figures = version.figures
    _assert_no_small_or_derivable_cell(figures)
    if scope["scope"] == "organisation" and scope["organisation"] == "own":
        # 15 people, 3 of them men: the men are hidden and so are the women beside them
        gender = [b for b in figures["breakdowns"] if b["dimension"] == "gender"]
        rows = [row for b in gender for row in b["rows"] if row["indicator"] == "i1_knowledge"]
        assert all(row["suppressed"] for row in rows)  # (a table of hidden rows is left out)
    # the workbook holds no count under 10 either
    book = load_workbook(io.BytesIO(bytes(version.xlsx)))
    for name in book.sheetnames:
        if name in ("README", "Outputs", "Stories", "Strategy"):
            continue
        for line in book[name].iter_rows(min_row=2, values_only=True):
            count: Any = line[3]
            assert count is None or count >= 10
    # nor the PDF: every "n = " it writes is 10 or more
    text = _pdf_text(bytes(version.pdf))
    assert all(int(n) >= 10 for n in re.findall(r"n = (\d+)", text))
    # nor the public results page
    report_publish(actor=network_coordinator, version=version)
    if scope["scope"] == "campaign":
        page = client.get(reverse("reports:public_results", args=[campaign.code]))
        assert page.status_code == 200
        html = page.content.decode()
        assert all(int(n) >= 10 for n in re.findall(r"n = (\d+)", html))
        for row in _cells(figures):
            if not row["suppressed"]:
                assert documents.number(row["mean_change"]) in html


def test_generation_failure_is_shown_with_its_reason_and_can_be_retried(
    population: dict[str, Any],
    network_coordinator: User,
    generate: Callable[..., Report],
    client_for: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    real = documents.render_pdf

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("the printer is out of paper")

    monkeypatch.setattr("peaceworks.reports.services.render_pdf", broken)
    version = _version(generate(network_coordinator, population["campaign"]))
    assert version.state == ReportVersion.State.FAILED
    client = client_for(network_coordinator)
    page = client.get(reverse("reports:version", args=[version.pk])).content.decode()
    assert "the printer is out of paper" in page
    assert "Try again" in page
    assert client.get(reverse("reports:version_pdf", args=[version.pk])).status_code == 404
    monkeypatch.setattr("peaceworks.reports.services.render_pdf", real)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:version_retry", args=[version.pk]))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.state == ReportVersion.State.READY
    assert version.failure_reason == ""


def test_a_stakeholder_opens_a_published_report_and_gets_404_on_drafts_and_raw_data(
    population: dict[str, Any],
    network_coordinator: User,
    stakeholder: User,
    generate: Callable[..., Report],
    client_for: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = generate(network_coordinator, population["campaign"])
    published = report_publish(actor=network_coordinator, version=_version(report))
    with django_capture_on_commit_callbacks(execute=True):
        draft = report_request(actor=network_coordinator, report=report)
    client = client_for(stakeholder)
    home = client.get(reverse("web:dashboard")).content.decode()
    assert reverse("reports:version", args=[published.pk]) in home
    assert client.get(reverse("reports:version", args=[published.pk])).status_code == 200
    pdf = client.get(reverse("reports:version_pdf", args=[published.pk]))
    assert pdf.status_code == 200
    assert pdf.content == bytes(published.pdf)
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 200
    assert client.get(reverse("reports:version", args=[draft.pk])).status_code == 404
    assert client.get(reverse("reports:version_pdf", args=[draft.pk])).status_code == 404
    assert client.get(reverse("reports:version_xlsx", args=[draft.pk])).status_code == 404
    assert client.get(f"/api/v1/reports/versions/{draft.pk}").status_code == 404
    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert reverse("reports:version", args=[draft.pk]) not in detail
    # raw data: the response export and the campaign's dashboards
    campaign = population["campaign"]
    export = client.get(f"/api/v1/impact/responses/export?campaign={campaign.code}")
    assert export.status_code == 404
    assert client.get(reverse("impact:dashboard", args=[campaign.pk])).status_code == 404
    # a report for the network only is not theirs, published or not
    private = generate(network_coordinator, campaign, audience="network", title="Internal")
    report_publish(actor=network_coordinator, version=_version(private))
    assert client.get(reverse("reports:detail", args=[private.pk])).status_code == 404


def _links(html: str) -> list[str]:
    return [
        link
        for link in re.findall(r'href="([^"#]+)"', html)
        if link.startswith("/") and not link.startswith("/static/")
    ]


def test_every_link_a_stakeholder_meets_opens(
    population: dict[str, Any],
    network_coordinator: User,
    stakeholder: User,
    generate: Callable[..., Report],
    client_for: Callable[..., Any],
) -> None:
    """A crawl of every page a stakeholder reaches from their home: no link answers 4xx."""
    report = generate(network_coordinator, population["campaign"], audience="public")
    report_publish(actor=network_coordinator, version=_version(report))
    client = client_for(stakeholder)
    seen: set[str] = set()
    queue = [reverse("web:dashboard")]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 400, (url, response.status_code)
        if response.get("Content-Type", "").startswith("text/html"):
            queue.extend(_links(response.content.decode()))
    assert reverse("reports:public_results", args=[population["campaign"].code]) in seen
    assert any(url.endswith("report.pdf") for url in seen)


def test_who_may_define_generate_and_publish(
    population: dict[str, Any],
    network_coordinator: User,
    org_coordinator: User,
    org_member: User,
    outsider: User,
    stakeholder: User,
    organisation: Organisation,
    generate: Callable[..., Report],
    client_for: Callable[..., Any],
) -> None:
    campaign = population["campaign"]
    network_report = generate(network_coordinator, campaign)
    own_report = generate(
        org_coordinator, campaign, scope="organisation", organisation=organisation
    )
    own_version = _version(own_report)
    network_version = _version(network_report)
    publish = "reports:version_publish"
    # the member coordinator reads the network's drafts but may not publish them
    coordinator = client_for(org_coordinator)
    assert coordinator.get(reverse("reports:version", args=[network_version.pk])).status_code == 200
    assert coordinator.post(reverse(publish, args=[network_version.pk])).status_code == 403
    # and publishes their own organisation's report
    response = coordinator.post(reverse(publish, args=[own_version.pk]), {"change_note": "Board"})
    assert response.status_code == 302
    own_version.refresh_from_db()
    assert own_version.is_published
    assert own_version.change_note == "Board"
    assert coordinator.post(reverse(publish, args=[own_version.pk])).status_code == 400
    # a member of the organisation reads it, may not write
    member = client_for(org_member)
    assert member.get(reverse("reports:detail", args=[own_report.pk])).status_code == 200
    assert member.post(reverse("reports:request", args=[own_report.pk])).status_code == 403
    # a coordinator of another organisation does not see it at all
    other = client_for(outsider)
    for name in ("reports:detail", "reports:request"):
        method = other.get if name == "reports:detail" else other.post
        assert method(reverse(name, args=[own_report.pk])).status_code == 404
    assert other.get(reverse("reports:version", args=[own_version.pk])).status_code == 404
    # the stakeholder of the organisation reads the published version only
    watcher = client_for(stakeholder)
    assert watcher.get(reverse("reports:version", args=[own_version.pk])).status_code == 200
    assert watcher.get(reverse("reports:version", args=[network_version.pk])).status_code == 404
    assert watcher.get(reverse("reports:create")).status_code == 404
    # the network coordinator publishes the network's report through the page
    staff = client_for(network_coordinator)
    response = staff.post(reverse(publish, args=[network_version.pk]), {"change_note": ""})
    assert response.status_code == 302


def test_a_report_is_defined_through_its_page_with_errors_on_the_field(
    population: dict[str, Any],
    network_coordinator: User,
    client_for: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(network_coordinator)
    campaign = population["campaign"]
    assert client.get(reverse("reports:create")).status_code == 200
    refused = client.post(
        reverse("reports:create"),
        {
            "campaign": campaign.pk,
            "title": "T",
            "scope": "theme",
            "language": "fr",
            "audience": "stakeholders",
        },
    )
    assert refused.status_code == 400
    assert "Choose the theme the report covers." in refused.content.decode()
    assert not Report.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:create"),
            {
                "campaign": campaign.pk,
                "title": "Résultats",
                "scope": "campaign",
                "language": "fr",
                "audience": "stakeholders",
            },
        )
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/reports/{report.pk}/")
    version = _version(report)
    assert version.state == ReportVersion.State.READY
    text = _pdf_text(bytes(version.pdf))
    assert "Méthodes" in text
    assert "Methods" not in text


def test_the_api_requests_follows_lists_and_downloads(
    population: dict[str, Any],
    network_coordinator: User,
    stakeholder: User,
    client_for: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(network_coordinator)
    campaign = population["campaign"]
    bad = client.post(
        "/api/v1/reports/",
        {"campaign_id": campaign.pk, "title": "API", "scope": "period"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["field"] == "year"
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            "/api/v1/reports/",
            {"campaign_id": campaign.pk, "title": "API", "scope": "campaign"},
            content_type="application/json",
        )
    assert created.status_code == 202, created.content
    report_id = created.json()["id"]
    version_id = created.json()["versions"][0]["id"]
    followed = client.get(f"/api/v1/reports/versions/{version_id}").json()
    assert followed["state"] == "ready"
    assert followed["progress"] == 100
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(
            f"/api/v1/reports/{report_id}/versions",
            {"change_note": "again"},
            content_type="application/json",
        )
    assert again.status_code == 202
    assert again.json()["number"] == 2
    published = client.post(
        f"/api/v1/reports/versions/{version_id}/publish", {}, content_type="application/json"
    )
    assert published.status_code == 200
    assert published.json()["state"] == "published"
    listing = client_for(stakeholder).get("/api/v1/reports/published").json()["items"]
    assert [item["id"] for item in listing] == [version_id]
    pdf = client_for(stakeholder).get(listing[0]["pdf_url"])
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    xlsx = client_for(stakeholder).get(listing[0]["xlsx_url"])
    assert xlsx.status_code == 200
    assert xlsx.content.startswith(b"PK")
    assert (
        client_for(stakeholder)
        .post(f"/api/v1/reports/{report_id}/versions", {}, content_type="application/json")
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("en", "Version 2 of 1 March 2026"),
        ("fr", "Version 2 du 1 mars 2026"),
        ("es", "Versión 2 del 1 de marzo de 2026"),
    ],
)
def test_the_version_label_writes_its_date_in_the_documents_language(
    language: str, label: str
) -> None:
    from datetime import UTC, datetime
    from types import SimpleNamespace

    version = SimpleNamespace(number=2, created_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    with translation.override("en"):  # the reader's language does not leak into a document
        assert documents.version_label(version, language=language) == label
