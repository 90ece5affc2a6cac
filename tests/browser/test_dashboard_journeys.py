"""Journey 4: a network coordinator reads the impact dashboard, filters it and downloads a CSV."""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.support import PHONE, assert_accessible, settle, settle_and_check

pytestmark = pytest.mark.browser

NUMBER_COLUMNS = (
    "n",
    "mean_baseline",
    "mean_post",
    "mean_change",
    "ci_low",
    "ci_high",
    "d_z",
    "wilcoxon_r",
    "pct_improved",
    "pct_top2_post",
)


def path_of(page: Any) -> str:
    return str(urlsplit(page.url).path)


def results_text(page: Any) -> str:
    return str(page.locator("#indicator-results").inner_text())


def test_network_coordinator_filters_the_dashboard_and_downloads_an_indicator_csv(
    page_as, screenshot
):
    page = page_as("network_coordinator")
    page.goto("/dashboard/")
    # From the Impact navigation to the demo campaign's dashboard.
    page.get_by_role("link", name="Impact", exact=True).first.click()
    settle_and_check(page)
    page.locator("main").get_by_role("link", name=re.compile(r"^Impact of ")).first.click()
    page.wait_for_url(re.compile(r"/impact/campaigns/\d+/$"))
    settle_and_check(page)
    overview = path_of(page)
    assert page.locator("h1").inner_text().startswith("Impact of ")
    assert page.locator("main table tbody tr").count() >= 1
    screenshot(page, "impact-overview-desktop")

    # Open an indicator from the overview's table.
    page.locator("main table tbody th[scope=row] a").first.click()
    page.wait_for_url(re.compile(r"/impact/campaigns/\d+/indicators/[^/]+/$"))
    settle_and_check(page)
    before = results_text(page)

    # Break the figures down by theme, then keep one theme (htmx swaps the results only).
    page.select_option("select[name=by]", "theme")
    page.wait_for_url(re.compile(r"by=theme"))
    settle(page)
    by_theme = results_text(page)
    assert by_theme != before
    themes = [
        text.strip()
        for text in page.locator("#indicator-results table")
        .first.locator("tbody th[scope=row]")
        .all_inner_texts()
        if text.strip() != "not said"
    ]
    assert themes, by_theme
    theme = themes[0]  # rows read like the filter's options ("1. Migrant ..."), not codes
    page.select_option("select[name=theme]", label=theme)
    theme_code = page.locator("select[name=theme]").input_value()
    assert theme_code
    assert theme_code != theme
    page.wait_for_url(re.compile(r"theme=" + re.escape(theme_code)))
    settle(page)
    rows = page.locator("#indicator-results table").first.locator("tbody th[scope=row]")
    assert rows.all_inner_texts() == [theme]
    assert page.locator("select[name=theme] option:checked").inner_text() == theme
    assert_accessible(page)

    # Then by gender.
    page.select_option("select[name=by]", "gender")
    settle(page)
    page.wait_for_function(
        "() => document.querySelector('#indicator-results').innerText.includes('Woman')"
    )
    by_gender = results_text(page)
    assert by_gender != before
    assert "by=gender" in page.url
    assert page.locator("select[name=by]").input_value() == "gender"
    assert_accessible(page)

    # Then keep only women: the filter shows in the address and the select list.
    page.select_option("select[name=gender]", "woman")
    page.wait_for_url(re.compile(r"gender=woman"))
    settle(page)
    page.wait_for_function(
        "() => !document.querySelector('#indicator-results').innerText.includes('Non-binary')"
    )
    women = results_text(page)
    assert women != by_gender
    assert "Woman" in women
    assert page.locator("select[name=gender]").input_value() == "woman"
    assert_accessible(page)
    screenshot(page, "impact-indicator-desktop")

    # The CSV of what is on screen: text/csv, a header, data rows, no number where hidden.
    href = page.locator("#indicator-results a", has_text="Download CSV").evaluate("a => a.href")
    assert "gender=woman" in href
    assert f"theme={theme_code}" in href
    assert "by=gender" in href
    response = page.context.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text().lstrip("\ufeff"))))
    assert rows, "the CSV has at least one data row"
    assert {"gender", "n", "mean_change", "suppressed"} <= set(rows[0])
    assert {row["gender"] for row in rows} == {"woman"}
    for row in rows:
        if row["suppressed"]:
            assert all(row[name] == "" for name in NUMBER_COLUMNS), row

    # Back on the overview, keep women only: htmx swaps the headline, the downloads follow.
    page.goto(overview)
    settle(page)
    whole = page.locator("#overview-results").inner_text()
    page.select_option("select[name=gender]", "woman")
    page.wait_for_url(re.compile(r"gender=woman"))
    settle(page)
    page.wait_for_function(
        "() => document.querySelector('#overview-results').innerText.includes('filters keep')"
    )
    assert page.locator("#overview-results").inner_text() != whole
    href = page.locator("#overview-results a", has_text="Download CSV").evaluate("a => a.href")
    assert "gender=woman" in href
    assert_accessible(page)


def test_dashboard_overview_and_indicator_fit_a_phone(page_as, screenshot):
    page = page_as("network_coordinator", PHONE)
    page.goto("/impact/")
    page.locator("main").get_by_role("link", name=re.compile(r"^Impact of ")).first.click()
    page.wait_for_url(re.compile(r"/impact/campaigns/\d+/$"))
    settle_and_check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "impact-overview-phone")
    page.locator("main table tbody th[scope=row] a").first.click()
    page.wait_for_url(re.compile(r"/indicators/[^/]+/$"))
    settle_and_check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "impact-indicator-phone")
