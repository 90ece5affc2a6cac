"""A volunteer's survey in Chromium: French on a phone, pre then post, offline, keyboard, weight."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.support import (
    DESKTOP,
    PHONE,
    SUBMIT_TIMEOUT_MS,
    LiveServer,
    PageWeight,
    assert_accessible,
    settle,
    settle_and_check,
    site_shell,
)
from tests.browser.test_journeys import same_in, visible_texts

pytestmark = pytest.mark.browser

#: what each survey page may weigh on the wire, everything it loads included
MAX_SURVEY_PAGE_BYTES = 60 * 1024

# Each journey takes its own demo activity (the live site is shared by the session).
_PICK_ROUND = """
import json
from datetime import timedelta
from django.utils import timezone
from peaceworks.impact.models import Round
from peaceworks.impact.services import round_update_dates
pre = Round.objects.filter(kind="pre").order_by("pk")[{index}]
post = Round.objects.get(activity_id=pre.activity_id, kind="post")
now = timezone.now()
round_update_dates(actor=None, survey_round=pre, opens_at=now - timedelta(days=1),
                   closes_at=now + timedelta(days=1))
print(json.dumps({{"activity": pre.activity_id, "pre": pre.pk, "post": post.pk,
                  "campaign": pre.activity.campaign_id}}))
"""

# The volunteers' days have passed: the post round opens, the pre round closes.
_MOVE_TO_POST = """
from datetime import timedelta
from django.utils import timezone
from peaceworks.impact.models import Round
from peaceworks.impact.services import round_update_dates
now = timezone.now()
pre, post = Round.objects.get(pk={pre}), Round.objects.get(pk={post})
round_update_dates(actor=None, survey_round=pre, opens_at=now - timedelta(days=20),
                   closes_at=now - timedelta(days=10))
round_update_dates(actor=None, survey_round=post, opens_at=now - timedelta(days=1),
                   closes_at=now + timedelta(days=1))
"""

_COUNTS = """
import json
from peaceworks.impact.models import Respondent, Response
from django.db.models import Count, Q
kinds = (Respondent.objects.active().filter(activity_id={activity})
         .annotate(pre=Count("responses", filter=Q(responses__round__kind="pre")),
                   post=Count("responses", filter=Q(responses__round__kind="post"))))
responses = Response.objects.filter(round__activity_id={activity})
print(json.dumps({{
    "paired": sum(1 for r in kinds if r.pre and r.post),
    "with_post": sum(1 for r in kinds if r.post),
    "pre_responses": responses.filter(round__kind="pre").count(),
    "post_responses": responses.filter(round__kind="post").count(),
    "french": responses.filter(language="fr", source="web").count(),
}}))
"""


def pick_round(live_site: LiveServer, index: int) -> dict[str, int]:
    chosen: dict[str, int] = json.loads(site_shell(live_site, _PICK_ROUND.format(index=index)))
    return chosen


def counts(live_site: LiveServer, activity: int) -> dict[str, int]:
    figures: dict[str, int] = json.loads(site_shell(live_site, _COUNTS.format(activity=activity)))
    return figures


def rounds_row(page: Any, kind_label: str) -> Any:
    return page.locator("main tbody tr", has_text=kind_label).first


def public_link(page: Any, visit: Any, activity: int, kind_label: str) -> str:
    """The public link of a round, read as its coordinator reads it on the rounds page."""
    visit(page, f"/impact/activities/{activity}/rounds/")
    link: str = rounds_row(page, kind_label).locator("td:nth-child(6) a").first.inner_text()
    assert "/impact/s/" in link
    # the link is absolute to the configured site address; the live site has its own port
    return str(urlsplit(link).path)


def pairing_figure(page: Any, visit: Any, activity: int) -> str:
    visit(page, f"/impact/activities/{activity}/rounds/")
    return str(rounds_row(page, "Post survey").locator("td:nth-child(5)").inner_text()).strip()


def expected_pairing(figures: dict[str, int]) -> str:
    # the page rounds like Django's widthratio
    return f"{round(figures['paired'] / figures['with_post'] * 100)} %"


def dashboard_pairs(page: Any, visit: Any, campaign: int) -> dict[str, int]:
    """Pairs per indicator in the coordinator's campaign dashboard (shown cells only)."""
    visit(page, f"/impact/campaigns/{campaign}/")
    pairs: dict[str, int] = {}
    for row in page.locator("main table").first.locator("tbody tr").all():
        cells = row.locator("td")
        if cells.count() >= 3:
            number = cells.nth(1).inner_text().strip()
            if number.isdigit():
                pairs[row.locator("th").inner_text().strip()] = int(number)
    return pairs


def open_survey(page: Any, link: str) -> None:
    """The survey's first page, where the volunteer picks a language."""
    page.goto(link)
    settle_and_check(page)


def choose_language(page: Any, language_name: str) -> None:
    page.click(f"main a.button:text-is('{language_name}')")
    settle(page)


def start_survey(page: Any, link: str, *, language_name: str = "Français") -> None:
    open_survey(page, link)
    choose_language(page, language_name)


def submit(page: Any) -> None:
    page.click("main form button[type=submit]:not([name=action])", timeout=SUBMIT_TIMEOUT_MS)
    settle(page)


def consent_and_code(page: Any, *, parent: str, day: str, place: str) -> None:
    assert_accessible(page)
    page.check("input[name=consent]")
    submit(page)
    assert_accessible(page)
    page.fill("input[name=parent_letters]", parent)
    page.fill("input[name=birth_day]", day)
    page.fill("input[name=place_letters]", place)
    submit(page)


def answer_current_page(page: Any) -> None:
    """Agree (4) with every statement, take the first option of single choices."""
    for fieldset in page.locator("main form fieldset.field").all():
        radios = fieldset.locator("input[type=radio]")
        if radios.count():
            four = fieldset.locator("input[type=radio][value='4']")
            (four if four.count() else radios.first).check()


def answer_all_pages(
    page: Any, *, weight: PageWeight | None = None, on_page: Any = None
) -> list[str]:
    """Answer page after page until the thank-you page; returns the page headings seen."""
    headings: list[str] = []
    for _page_number in range(30):
        if "/thanks/" in page.url:
            return headings
        assert_accessible(page)
        if weight is not None:
            assert weight.total() <= MAX_SURVEY_PAGE_BYTES, (page.url, weight.urls())
        headings.append(page.locator("main").inner_text())
        if on_page is not None:
            on_page(page)
        answer_current_page(page)
        if weight is not None:
            weight.reset()
        submit(page)
    raise AssertionError("the survey never reached its thank-you page")


def test_volunteer_answers_pre_and_post_in_french_on_a_phone_and_is_matched(
    page_as, visit, screenshot, live_site
):
    chosen = pick_round(live_site, 0)
    coordinator = page_as("network_coordinator")
    pre_link = public_link(coordinator, visit, chosen["activity"], "Pre survey")
    before = counts(live_site, chosen["activity"])
    pairs_before = dashboard_pairs(coordinator, visit, chosen["campaign"])
    assert pairs_before

    volunteer = page_as(None, PHONE)
    open_survey(volunteer, pre_link)
    screenshot(volunteer, "survey-language-phone")
    choose_language(volunteer, "Français")
    assert volunteer.locator("main .survey").get_attribute("lang") == "fr"
    assert "Avant de commencer" in volunteer.locator("main").inner_text()
    screenshot(volunteer, "survey-consent-phone")
    volunteer.check("input[name=consent]")
    submit(volunteer)
    assert_accessible(volunteer)
    screenshot(volunteer, "survey-code-phone")
    volunteer.fill("input[name=parent_letters]", "Ma")
    volunteer.fill("input[name=birth_day]", "14")
    volunteer.fill("input[name=place_letters]", "Ly")
    submit(volunteer)
    screenshot(volunteer, "survey-question-phone")
    assert volunteer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    answer_all_pages(volunteer)
    assert "/fr/thanks/" in volunteer.url
    assert_accessible(volunteer)
    screenshot(volunteer, "survey-thanks-phone")
    after_pre = counts(live_site, chosen["activity"])
    assert after_pre["pre_responses"] == before["pre_responses"] + 1
    assert after_pre["french"] == before["french"] + 1

    # Later, at the end of the project: the post survey with the same three facts.
    site_shell(live_site, _MOVE_TO_POST.format(**chosen))
    post_link = public_link(coordinator, visit, chosen["activity"], "Post survey")
    volunteer = page_as(None, PHONE)
    start_survey(volunteer, post_link)
    consent_and_code(volunteer, parent="ma", day="14", place="ly")
    seen = answer_all_pages(volunteer)
    assert "/fr/thanks/" in volunteer.url
    # matched: the post survey did not ask for a retrospective baseline
    assert not any("Repensez" in text or "avant le projet" in text for text in seen), seen

    after_post = counts(live_site, chosen["activity"])
    assert after_post["post_responses"] == before["post_responses"] + 1
    assert after_post["paired"] == before["paired"] + 1
    assert after_post["with_post"] == before["with_post"] + 1
    figure = pairing_figure(coordinator, visit, chosen["activity"])
    assert figure == expected_pairing(after_post)
    screenshot(coordinator, "rounds-desktop")

    # The coordinator forces a refresh: the campaign's figures count the new pair.
    visit(coordinator, f"/impact/campaigns/{chosen['campaign']}/")
    coordinator.click("#snapshot-status button[type=submit]")
    # the refresh's answer is swapped in (a progress bar while it runs); the live server runs
    # the full refresh inside that request
    settle(coordinator, timeout=SUBMIT_TIMEOUT_MS)
    coordinator.wait_for_function(
        "() => !document.querySelector('#snapshot-status progress')", timeout=90_000
    )
    pairs_after = dashboard_pairs(coordinator, visit, chosen["campaign"])
    assert any(pairs_after.get(code, 0) > number for code, number in pairs_before.items()), (
        pairs_before,
        pairs_after,
    )


def test_volunteer_who_loses_connection_on_submit_is_stored_once(page_as, live_site, visit):
    chosen = pick_round(live_site, 1)
    coordinator = page_as("network_coordinator")
    link = public_link(coordinator, visit, chosen["activity"], "Pre survey")
    before = counts(live_site, chosen["activity"])

    volunteer = page_as(None, PHONE)
    start_survey(volunteer, link, language_name="English")
    consent_and_code(volunteer, parent="Jo", day="3", place="Ac")
    for _page_number in range(30):
        answer_current_page(volunteer)
        if volunteer.locator("main form button", has_text="Send my answers").count():
            break
        submit(volunteer)
    else:
        raise AssertionError("no last page")

    # The connection drops just as the volunteer sends: the browser shows its error page.
    volunteer.context.set_offline(True)
    volunteer.click("main form button[type=submit]:not([name=action])")
    volunteer.wait_for_url("chrome-error://**")
    volunteer.context.set_offline(False)
    # Back online, the volunteer reloads: the browser sends the same form again.
    volunteer.reload(timeout=SUBMIT_TIMEOUT_MS)
    settle(volunteer)
    assert "/thanks/" in volunteer.url
    assert_accessible(volunteer)
    # Unsure it worked, they go back and send the last page once more (same submission).
    volunteer.go_back()
    settle(volunteer)
    for _page_number in range(30):
        if "/thanks/" in volunteer.url:
            break
        answer_current_page(volunteer)
        submit(volunteer)
    assert "/thanks/" in volunteer.url, "an identical resubmission returns the original result"

    after = counts(live_site, chosen["activity"])
    assert after["pre_responses"] == before["pre_responses"] + 1


def test_survey_page_can_be_answered_with_the_keyboard_alone(page_as, live_site, visit):
    chosen = pick_round(live_site, 2)
    coordinator = page_as("network_coordinator")
    link = public_link(coordinator, visit, chosen["activity"], "Pre survey")
    volunteer = page_as(None, DESKTOP)
    volunteer.goto(link)
    settle(volunteer)

    def press_and_load(key: str) -> None:
        with volunteer.expect_navigation():
            volunteer.keyboard.press(key)
        settle(volunteer)

    def focus(selector: str, limit: int = 60) -> None:
        for _press in range(limit):
            volunteer.keyboard.press("Tab")
            if volunteer.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    focus("main a.button[lang=en]")
    press_and_load("Enter")
    focus("input[name=consent]")
    volunteer.keyboard.press("Space")
    assert volunteer.is_checked("input[name=consent]")
    focus("main form button[type=submit]:not([name=action])")
    press_and_load("Enter")
    for name, value in (("parent_letters", "Ke"), ("birth_day", "21"), ("place_letters", "Bo")):
        focus(f"input[name={name}]")
        volunteer.keyboard.type(value)
    press_and_load("Enter")  # implicit submission sends the form with its first button
    assert volunteer.locator("main fieldset.field").count() >= 1
    first_page = volunteer.locator("main").inner_text()

    # One whole page of questions: Tab to each group, arrows pick a value, Space confirms.
    for fieldset in volunteer.locator("main form fieldset.field").all():
        name = fieldset.locator("input").first.get_attribute("name")
        kind = fieldset.locator("input").first.get_attribute("type")
        if kind != "radio":
            continue
        focus(f"input[name={json.dumps(name)}]")
        volunteer.keyboard.press("ArrowRight")
        volunteer.keyboard.press("Space")
        assert volunteer.locator(f"input[name={json.dumps(name)}]:checked").count() == 1
    focus("main form button[type=submit]:not([name=action])")
    press_and_load("Enter")
    assert volunteer.locator("main").inner_text() != first_page, "the next page opened"
    assert volunteer.locator("main .error").count() == 0


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_survey_page_weighs_under_60_kb(page_as, live_site, visit, viewport):
    chosen = pick_round(live_site, 3 if viewport is PHONE else 4)
    coordinator = page_as("network_coordinator")
    link = public_link(coordinator, visit, chosen["activity"], "Pre survey")
    volunteer = page_as(None, viewport)  # a fresh context: nothing cached
    weight = PageWeight(volunteer)
    volunteer.goto(link)
    settle(volunteer)
    assert weight.total() <= MAX_SURVEY_PAGE_BYTES, weight.urls()
    weight.reset()
    choose_language(volunteer, "Español")
    assert weight.total() <= MAX_SURVEY_PAGE_BYTES, weight.urls()
    weight.reset()
    volunteer.check("input[name=consent]")
    submit(volunteer)
    assert weight.total() <= MAX_SURVEY_PAGE_BYTES, weight.urls()
    volunteer.fill("input[name=parent_letters]", "Lu")
    volunteer.fill("input[name=birth_day]", "9")
    volunteer.fill("input[name=place_letters]", "Qu")
    weight.reset()
    submit(volunteer)
    answer_all_pages(volunteer, weight=weight)
    assert "/thanks/" in volunteer.url


def survey_screens(page: Any, link: str, language_name: str) -> list[set[str]]:
    """Visible texts of the consent, code and first question pages in one language."""
    start_survey(page, link, language_name=language_name)
    screens = [set(visible_texts(page))]
    page.check("input[name=consent]")
    submit(page)
    screens.append(set(visible_texts(page)))
    page.fill("input[name=parent_letters]", "Ti")
    page.fill("input[name=birth_day]", "2")
    page.fill("input[name=place_letters]", "Ur")
    submit(page)
    screens.append(set(visible_texts(page)))
    return screens


@pytest.mark.parametrize("language", ["fr", "es"])
def test_survey_pages_leave_no_english_in_french_and_spanish(page_as, live_site, visit, language):
    chosen = pick_round(live_site, 5)
    coordinator = page_as("network_coordinator")
    link = public_link(coordinator, visit, chosen["activity"], "Pre survey")
    english = survey_screens(page_as(None, PHONE), link, "English")
    name = {"fr": "Français", "es": "Español"}[language]
    translated = survey_screens(page_as(None, PHONE, language), link, name)
    # the site header keeps its own language switcher; proper names stay as they are
    names = {"Peaceworks", "English", "Français", "Español", "1", "2", "3", "4", "5"}
    activity_title = coordinator.locator("main h1").inner_text().split(":", 1)[1].strip()
    names.add(activity_title)
    for before, after in zip(english, translated, strict=True):
        assert len(before) > 5, before
        left = sorted((before & after) - names - same_in(language))
        assert left == [], f"untranslated in {language}: {left}"
