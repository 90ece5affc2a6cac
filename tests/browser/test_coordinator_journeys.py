"""Coordinators' journeys in Chromium: activity and rounds, strategy roll-up, member import."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.support import (
    DESKTOP,
    PHONE,
    SUBMIT_TIMEOUT_MS,
    LiveServer,
    assert_accessible,
    settle,
    settle_and_check,
    site_shell,
)

pytestmark = pytest.mark.browser

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_member_coordinator_registers_an_activity_opens_rounds_and_sees_responses_rise(
    page_as, visit, screenshot
):
    page = page_as("org_coordinator")
    visit(page, "/campaigns/rpc/activities/new/")
    today = date.today()
    page.fill("input[name=code]", "journey-workcamp")
    page.fill("input[name=title]", "Journey workcamp in Lyon")
    page.select_option("select[name=activity_type]", index=0)
    page.fill("input[name=start_date]", (today - timedelta(days=12)).isoformat())
    page.fill("input[name=end_date]", today.isoformat())
    host = page.locator("select[name=host_organisation] option:not([value=''])").first
    page.select_option("select[name=host_organisation]", host.get_attribute("value"))
    page.select_option("select[name=country]", "FR")
    page.fill("input[name=place]", "Lyon")
    page.fill("input[name=international_volunteers]", "12")
    themes = page.locator("input[name=themes]")
    assert themes.count() >= 2
    themes.nth(0).check()
    themes.nth(2).check()
    screenshot(page, "activity-form-desktop")
    page.click("main form.form button[type=submit]")
    page.wait_for_url(re.compile(r".*/campaigns/activities/\d+/$"))
    settle_and_check(page)
    assert page.locator(".message--success").is_visible()
    activity_pk = int(urlsplit(page.url).path.rstrip("/").rsplit("/", 1)[1])

    visit(page, f"/impact/activities/{activity_pk}/rounds/")
    page.click("main button[value=default]")
    settle_and_check(page)
    rows = page.locator("main tbody tr")
    assert rows.count() == 3, "a 13-day activity gets a pre, a post survey and a partner form"
    post_row = rows.filter(has_text="Post survey")
    assert post_row.locator("td:nth-child(3)").inner_text().strip() == "0"
    screenshot(page, "activity-rounds-desktop")

    for kind, content_type in (("png", "image/png"), ("svg", "image/svg+xml")):
        link = post_row.locator(f"a[href$='qr.{kind}']")
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename.endswith(f".{kind}")
        reply = page.request.get(link.get_attribute("href"))
        assert reply.ok
        assert reply.headers["content-type"] == content_type
        body = reply.body()
        assert body.startswith(PNG_MAGIC) if kind == "png" else b"<svg" in body[:400]

    # A volunteer answers the post survey from the link on the page (the QR code's target).
    survey_path = urlsplit(post_row.locator("td:nth-child(6) a").first.inner_text()).path
    volunteer = page_as(None, PHONE)
    volunteer.goto(survey_path)
    volunteer.click("main a.button:text-is('English')")
    settle_and_check(volunteer)
    volunteer.check("input[name=consent]")
    volunteer.click("main form button[type=submit]:not([name=action])")
    settle_and_check(volunteer)
    volunteer.fill("input[name=parent_letters]", "An")
    volunteer.fill("input[name=birth_day]", "5")
    volunteer.fill("input[name=place_letters]", "Ro")
    for _page_number in range(30):
        # the last page's request runs the figures' refresh (the live server's tasks are inline)
        volunteer.click(
            "main form button[type=submit]:not([name=action])", timeout=SUBMIT_TIMEOUT_MS
        )
        settle(volunteer)
        if "/thanks/" in volunteer.url:
            break
    assert "/thanks/" in volunteer.url

    page.reload()
    settle_and_check(page)
    post_row = page.locator("main tbody tr").filter(has_text="Post survey")
    assert post_row.locator("td:nth-child(3)").inner_text().strip() == "1"

    phone = page_as("org_coordinator", PHONE)
    visit(phone, f"/impact/activities/{activity_pk}/rounds/")
    screenshot(phone, "activity-rounds-phone")


_OWNED_ACTION = """
import json
from peaceworks.accounts.models import Membership
from peaceworks.campaigns.models import Action
membership = Membership.objects.filter(user__email="org.coordinator@peaceworks.test").first()
action = (Action.objects.filter(owner_organisation_id=membership.organisation_id)
          .exclude(status="cancelled").select_related("objective__goal").order_by("pk").first())
print(json.dumps({"pk": action.pk, "title": action.title, "progress": action.progress,
                  "plan": action.objective.goal.plan_id, "objective": action.objective.title,
                  "goal": action.objective.goal.title}))
"""

_ROLLUP = """
import json
from django.utils import timezone
from peaceworks.campaigns.models import Plan
from peaceworks.campaigns import selectors
progress = selectors.plan_progress(plan=Plan.objects.get(pk={plan}), today=timezone.localdate())
figures = {{}}
for goal_row in progress.goals:
    figures["goal:" + goal_row.goal.title] = str(goal_row.rollup.progress)
    for objective_row in goal_row.objectives:
        figures["objective:" + objective_row.objective.title] = str(objective_row.rollup.progress)
print(json.dumps(figures))
"""


def heading_figure(page: Any, tag: str, text: str) -> str:
    heading = page.locator(f"main {tag}", has_text=text).first.locator(".muted").inner_text()
    return str(heading).replace("—", "").strip()


def test_network_coordinator_updates_an_action_and_sees_it_roll_up(
    page_as, visit, screenshot, live_site: LiveServer
):
    action = json.loads(site_shell(live_site, _OWNED_ACTION))
    page = page_as("network_coordinator")
    visit(page, f"/campaigns/plans/{action['plan']}/")
    goal_before = heading_figure(page, "h3", action["goal"])
    objective_before = heading_figure(page, "h4", action["objective"])
    new_progress = 100 if action["progress"] < 100 else 10
    page.click(f"main a[href='/campaigns/actions/{action['pk']}/progress/']")
    settle_and_check(page)
    page.fill("input[name=progress]", str(new_progress))
    page.click("main form button[type=submit]")
    # htmx swaps the form for a short confirmation
    page.locator("main [role=status]", has_text=f"{new_progress} %").wait_for()
    assert_accessible(page)
    visit(page, f"/campaigns/plans/{action['plan']}/")
    screenshot(page, "plan-desktop")

    expected = json.loads(site_shell(live_site, _ROLLUP.format(plan=action["plan"])))
    goal_after = heading_figure(page, "h3", action["goal"])
    objective_after = heading_figure(page, "h4", action["objective"])
    assert objective_after == f"{expected['objective:' + action['objective']]} %"
    assert goal_after == f"{expected['goal:' + action['goal']]} %"
    assert objective_after != objective_before
    assert goal_after != goal_before
    row = page.locator("main tbody tr", has_text=action["title"]).first
    assert f"{new_progress} %" in row.inner_text()

    owner = page_as("org_coordinator", PHONE)
    visit(owner, "/campaigns/actions/mine/")
    mine = owner.locator("main tbody tr", has_text=action["title"]).first
    assert f"{new_progress} %" in mine.inner_text()
    screenshot(owner, "my-actions-phone")


MEMBER_LIST = (
    "code,name,country,city\n"
    "journey-one,Journey Peace Service,FR,Lyon\n"
    "journey-two,Journey Solidarity Camps,{country},Mombasa\n"
)


def test_coordinator_fixes_a_bad_row_of_a_member_list_and_imports_it(page_as, visit, screenshot):
    page = page_as("network_coordinator", DESKTOP)
    visit(page, "/network/import/")

    def upload(country: str) -> None:
        page.set_input_files(
            "input[type=file]",
            {
                "name": "members.csv",
                "mimeType": "text/csv",
                "buffer": MEMBER_LIST.format(country=country).encode(),
            },
        )
        page.click("main form button[type=submit]")
        page.wait_for_url("**/network/imports/*/")
        settle_and_check(page)

    upload("Kenya")
    problems = page.locator("main table tbody tr")
    assert problems.count() == 1
    cells = problems.first.locator("td").all_inner_texts()
    assert cells[0].strip() == "3"
    assert cells[1].strip() == "country"
    assert cells[2].strip()
    assert page.locator("main button", has_text="Confirm the import").count() == 0
    screenshot(page, "import-error-desktop")

    page.click("main a.button")  # upload a corrected file
    settle_and_check(page)
    upload("KE")
    # the counts: created first, then updated
    assert page.locator("main dl.facts dd").first.inner_text().strip() == "2"
    page.locator("main button", has_text="Confirm the import").click()
    page.wait_for_url("**/network/")
    settle_and_check(page)
    assert "Created 2" in page.locator(".message--success").inner_text()
    visit(page, "/network/?q=Journey")
    assert "Journey Solidarity Camps" in page.locator("main").inner_text()
