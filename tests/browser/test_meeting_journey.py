"""A meeting in Chromium: the note-taker drafts minutes on a laptop, the chair approves them,
a decision creates a strategy action, and its owner finds the follow-up in "My action items"."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.support import settle_and_check

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
SESSION = "Meeting with an agency adviser"


def _open_paris(page: Any, visit: Any) -> str:
    visit(page, "/meetings/")
    page.get_by_role("link", name="Network Coordinators Meeting, Paris 2026").click()
    page.wait_for_url(re.compile(r".*/meetings/\d+/$"))
    settle_and_check(page)
    return str(page.url)


def test_minutes_approved_and_a_decision_becomes_an_owned_action(page_as, visit, screenshot):
    note_taker = page_as("org_member", viewport=LAPTOP)
    meeting_url = _open_paris(note_taker, visit)
    note_taker.get_by_role("link", name=f"Edit the draft minutes {SESSION}").click()
    settle_and_check(note_taker)
    note_taker.fill(
        "textarea[name=body]",
        "The adviser recommended **outcome harvesting**.\n\n"
        "- Review of the impact report in September",
    )
    note_taker.get_by_role("button", name="Save the draft").click()
    note_taker.wait_for_url(re.compile(r".*/meetings/\d+/(#.*)?$"))
    settle_and_check(note_taker)
    assert note_taker.locator(".message--success").is_visible()
    screenshot(note_taker, "meeting-minutes-draft-laptop")

    chair = page_as("network_coordinator")
    chair.goto(meeting_url)
    settle_and_check(chair)
    chair.get_by_role("button", name=f"Approve the minutes {SESSION}").click()
    settle_and_check(chair)
    section = chair.locator(f"section:has(h4:has-text('{SESSION}'))")
    assert "Approved by" in section.inner_text()
    assert section.locator("strong", has_text="outcome harvesting").is_visible()

    chair.get_by_role("link", name="Record a decision").click()
    settle_and_check(chair)
    chair.fill("textarea[name=text]", "Train two facilitators per region in outcome harvesting.")
    chair.get_by_role("button", name="Save").click()
    chair.wait_for_url(re.compile(r".*#decision-9$"))
    settle_and_check(chair)
    chair.get_by_role("link", name="Create in the strategy Paris 2026 / D9").click()
    settle_and_check(chair)
    chair.select_option("select[name=kind]", "action")
    chair.fill("input[name=title]", "Outcome-harvesting facilitators in every region")
    objective = chair.locator("select[name=objective] option:not([value=''])").first
    chair.select_option("select[name=objective]", objective.get_attribute("value"))
    chair.select_option("select[name=owner_user]", label="Org Coordinator")
    chair.fill("input[name=start_date]", "2027-01-15")
    chair.fill("input[name=due_date]", "2027-11-30")
    chair.get_by_role("button", name="Save").click()
    chair.wait_for_url(re.compile(r".*#decision-9$"))
    settle_and_check(chair)
    assert (
        "Outcome-harvesting facilitators in every region"
        in chair.locator("#decision-9").inner_text()
    )

    chair.get_by_role("link", name="Add an action item").click()
    settle_and_check(chair)
    chair.fill("input[name=title]", "Name the regional facilitators")
    chair.select_option("select[name=owner_user]", label="Org Coordinator")
    chair.fill("input[name=due_date]", "2026-12-20")
    chair.select_option(
        "select[name=strategy_action]", label="Outcome-harvesting facilitators in every region"
    )
    chair.get_by_role("button", name="Save").click()
    chair.wait_for_url(re.compile(r".*#items$"))
    settle_and_check(chair)

    owner = page_as("org_coordinator")
    visit(owner, "/meetings/my-items/")
    row = owner.locator("tr", has_text="Name the regional facilitators")
    assert "Outcome-harvesting facilitators in every region" in row.inner_text()
    screenshot(owner, "meeting-my-action-items")
    visit(owner, "/campaigns/actions/mine/")
    # the action's row header (its "Update" link repeats the title for screen readers)
    assert owner.get_by_role(
        "rowheader", name="Outcome-harvesting facilitators in every region", exact=True
    ).is_visible()
