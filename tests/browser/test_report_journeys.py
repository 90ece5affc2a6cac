"""Journey: a network coordinator generates the campaign report, watches its progress and
publishes it; the stakeholder signs in, finds it on their home page and downloads the PDF."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.support import assert_accessible, settle_and_check

pytestmark = pytest.mark.browser

TITLE = "Raising Peace Camps: journey report"


def test_a_coordinator_publishes_a_report_and_the_stakeholder_downloads_it(
    page_as: Any, visit: Any, screenshot: Any
) -> None:
    page = page_as("network_coordinator")
    page.goto("/dashboard/")
    page.get_by_role("link", name="Reports", exact=True).first.click()
    settle_and_check(page)
    page.get_by_role("link", name="New report").click()
    settle_and_check(page)
    campaign = page.locator("#id_campaign option", has_text="Raising Peace").first
    page.select_option("#id_campaign", value=campaign.get_attribute("value"))
    page.fill("#id_title", TITLE)
    page.select_option("#id_scope", value="campaign")
    page.select_option("#id_language", value="en")
    page.select_option("#id_audience", value="stakeholders")
    # the generation runs in the background (here on commit, before the answer arrives)
    page.get_by_role("button", name="Define and generate").click(timeout=120_000)
    page.wait_for_url(re.compile(r"/reports/\d+/$"), timeout=120_000)
    page.get_by_role("link", name="Version 1", exact=True).click()
    page.wait_for_url(re.compile(r"/reports/versions/\d+/$"))
    # its progress: polled while it is generated, then the document and its downloads
    progress = page.locator("#version-progress")
    progress.get_by_text("Ready to review").wait_for(timeout=120_000)
    assert_accessible(page)
    assert page.locator("article.report-document h2", has_text="Methods").count() == 1
    screenshot(page, "report-version-desktop")
    page.get_by_role("link", name="Publish…").click()
    page.fill("#id_change_note", "First version for our partners.")
    page.get_by_role("button", name="Publish", exact=True).click(timeout=120_000)
    page.wait_for_url(re.compile(r"/reports/versions/\d+/$"), timeout=120_000)
    assert "The version was published" in page.locator(".messages").inner_text()
    assert page.locator("#version-progress").get_by_text("Published").count() == 1

    reader = page_as("stakeholder")
    visit(reader, "/dashboard/")
    assert reader.get_by_role("link", name="Campaigns", exact=True).count() == 0
    reader.get_by_role("link", name=TITLE).click()
    reader.wait_for_url(re.compile(r"/reports/versions/\d+/$"))
    assert_accessible(reader)
    with reader.expect_download() as download:
        reader.get_by_role("link", name="Download the PDF").first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as stream:
        assert stream.read(5) == b"%PDF-"
