"""Consultation journeys in Chromium: a volunteer contributes in Spanish and votes on a
360 px phone; a facilitator runs the synthesis, merges two themes, runs it again and exports
the draft."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.support import PHONE, settle_and_check

pytestmark = pytest.mark.browser

SLUG = "journey-consultation"
DEMO = "raising-peace-next-two-years"


def fits_the_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def _open_consultation(page: Any, visit: Any) -> None:
    visit(page, "/consultations/new/")
    page.fill("input[name=title]", "Journey consultation")
    page.fill("input[name=slug]", SLUG)
    page.select_option("select[name=audience]", "all_members")
    page.click("main form.form button[type=submit]")
    page.wait_for_url(re.compile(rf".*/consultations/{SLUG}/$"))
    visit(page, f"/consultations/{SLUG}/questions/new/")
    page.fill("input[name=en]", "What should the network do next?")
    page.fill("input[name=es]", "¿Qué debería hacer la red ahora?")
    page.click("main form.form button[type=submit]")
    page.wait_for_url(re.compile(rf".*/consultations/{SLUG}/$"))
    for text in (
        "Peace education belongs in every school.",
        "The network should cut flights.",
        "Volunteers need more training.",
    ):
        visit(page, f"/consultations/{SLUG}/statements/new/")
        page.fill("textarea[name=text]", text)
        page.click("main form.form button[type=submit]")
        page.wait_for_url(re.compile(rf".*/consultations/{SLUG}/$"))
    page.select_option("select[name=phase]", "open")
    page.click(f"form[action='/consultations/{SLUG}/phase/'] button[type=submit]")
    settle_and_check(page)


def test_volunteer_contributes_in_spanish_and_votes_on_a_phone(page_as, visit, screenshot):
    facilitator = page_as("network_coordinator")
    _open_consultation(facilitator, visit)

    volunteer = page_as("org_member", viewport=PHONE, language="es")
    visit(volunteer, f"/consultations/{SLUG}/")
    assert fits_the_phone(volunteer)
    volunteer.click(f"main a[href='/consultations/{SLUG}/questions/1/']")
    settle_and_check(volunteer)
    assert "¿Qué debería hacer la red ahora?" in volunteer.locator("h1").inner_text()
    volunteer.fill(
        "textarea[name=text]",
        "La red debería formar a más jóvenes en educación para la paz"
        " y defender el derecho a la vivienda.",
    )
    volunteer.check("input[name=quote_consent]")
    screenshot(volunteer, "consultation-contribute-phone")
    volunteer.click("main form.form button[type=submit]")
    volunteer.wait_for_url(re.compile(rf".*/consultations/{SLUG}/$"))
    settle_and_check(volunteer)
    assert volunteer.locator(".message--success").is_visible()

    visit(volunteer, f"/consultations/{SLUG}/vote/")
    seen = set()
    for value in ("1", "-1", "0"):
        statement = volunteer.locator("blockquote.statement").inner_text()
        assert statement not in seen  # one unseen statement at a time
        seen.add(statement)
        assert fits_the_phone(volunteer)
        volunteer.click(f"button[name=value][value='{value}']")
        settle_and_check(volunteer)
    screenshot(volunteer, "consultation-vote-phone")
    assert volunteer.locator("blockquote.statement").count() == 0

    # The facilitator finds the Spanish answer in the moderation queue.
    visit(facilitator, f"/consultations/{SLUG}/moderation/")
    assert "educación para la paz" in facilitator.locator("main").inner_text()


def test_facilitator_runs_the_synthesis_merges_themes_and_exports_the_draft(
    page_as, visit, screenshot
):
    from peaceworks.consultations.analysis import engine_available

    if not engine_available():
        pytest.skip("the synthesis engine (peaceworks.consultations.synthesis) is not installed")
    page = page_as("network_coordinator")
    # The runs go through the immediate task backend: the answer waits for the synthesis.
    page.set_default_timeout(120_000)
    visit(page, f"/consultations/{DEMO}/synthesis/")
    page.click("main button[name=kind][value=all]")
    settle_and_check(page)
    themes = page.locator("input[name=theme_keys]")
    assert themes.count() >= 2
    themes.nth(0).check()
    themes.nth(1).check()
    page.select_option("select[name=kind]", "merge")
    page.fill("input[name=label]", "Merged in the journey")
    page.click(f"form[action='/consultations/{DEMO}/synthesis/themes/'] button[type=submit]")
    settle_and_check(page)
    assert "Merged in the journey" in page.locator("main").inner_text()
    page.click("main button[name=kind][value=themes]")  # run again: the edit survives
    settle_and_check(page)
    assert "Merged in the journey" in page.locator("main").inner_text()
    screenshot(page, "consultation-synthesis-desktop")

    visit(page, f"/consultations/{DEMO}/draft/")
    page.click(f"form[action='/consultations/{DEMO}/draft/generate/'] button[type=submit]")
    settle_and_check(page)
    assert "Merged in the journey" in page.locator("textarea[name=body]").input_value()
    with page.expect_download() as download:
        page.click(f"a[href='/consultations/{DEMO}/draft/export/docx/']")
    assert download.value.suggested_filename.endswith(".docx")

    # The facilitator changes their mind: undoing the merge takes it out of the next run.
    visit(page, f"/consultations/{DEMO}/synthesis/")
    page.click("main form[action$='/undo/'] button[type=submit]")
    settle_and_check(page)
    assert page.locator(".message--success").is_visible()
    assert page.locator("main form[action$='/undo/']").count() == 0
    assert "Merged in the journey" not in page.locator("main").inner_text()
