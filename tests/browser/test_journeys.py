"""Journeys through the product in Chromium, checked with axe-core on every page visited."""

from __future__ import annotations

import pytest

from tests.browser.support import DESKTOP, PHONE, ROOT, assert_accessible, settle, settle_and_check

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("viewport", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")], ids=["phone", "desktop"]
)
def test_demo_coordinator_signs_in_and_reaches_the_dashboard(
    page_as, visit, screenshot, viewport, label
):
    page = page_as(None, viewport)
    visit(page, "/")
    screenshot(page, f"home-{label}")
    visit(page, "/accounts/sign-in/")
    screenshot(page, f"sign-in-{label}")
    page.fill("input[name=email]", "org.coordinator@peaceworks.test")
    page.fill("input[name=password]", "peace-demo-2027")
    page.click("main button[type=submit]")
    page.wait_for_url("**/dashboard/")
    settle_and_check(page)
    assert page.locator("h1").inner_text().startswith("Welcome")
    assert page.locator("main .card").count() >= 2
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= viewport["width"], "the page scrolls sideways"
    screenshot(page, f"dashboard-{label}")


def test_keyboard_user_skips_to_the_main_content(page_as, visit):
    page = page_as("org_coordinator")
    visit(page, "/dashboard/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    assert page.locator(".skip-link").is_visible(), "the skip link shows when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab stays inside the main content, past the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_coordinator_invites_a_colleague_from_the_team_page(page_as, visit, screenshot):
    page = page_as("org_coordinator")
    visit(page, "/dashboard/")
    page.click("text=Team and invitations")
    settle_and_check(page)
    page.fill("input[name=email]", "new.volunteer@example.org")
    page.select_option("select[name=role]", "org_member")
    page.click("main form.form button[type=submit]")
    settle(page)
    assert page.locator(".message--success").is_visible()
    assert "new.volunteer@example.org" in page.locator("main").inner_text()
    assert_accessible(page)
    screenshot(page, "team-desktop")


def test_phone_team_page_has_no_sideways_scroll(page_as, visit, screenshot):
    page = page_as("org_coordinator", PHONE)
    page.goto("/dashboard/")
    assert_accessible(page)
    page.click("text=Team and invitations")
    settle_and_check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "team-phone")


def visible_texts(page):
    """Visible text nodes of the page (and the values users read on buttons)."""
    return page.evaluate(
        """() => {
          const texts = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const node = walker.currentNode;
            const text = node.textContent.replace(/\\s+/g, ' ').trim();
            const element = node.parentElement;
            if (!text || !element || element.closest('script,style,option')) continue;
            const style = getComputedStyle(element);
            if (style.display === 'none' || style.visibility === 'hidden') continue;
            texts.push(text);
          }
          return texts;
        }"""
    )


def same_in(language: str) -> set[str]:
    """Catalogue entries whose translation is spelt like the English (Impact, Consultations)."""
    from babel.messages.pofile import read_po

    same: set[str] = set()
    for path in ROOT.glob(f"peaceworks/*/locale/{language}/LC_MESSAGES/django.po"):
        with path.open("rb") as handle:
            for message in read_po(handle):
                if isinstance(message.id, str) and message.string == message.id:
                    same.add(message.id)
    return same


@pytest.mark.parametrize("language", ["fr", "es"])
def test_language_switcher_translates_every_visible_string_on_the_dashboard(
    page_as, visit, screenshot, language
):
    page = page_as("org_coordinator")
    visit(page, "/dashboard/")
    english = set(visible_texts(page))
    page.select_option("#language-select", language)
    page.click(".language-form button[type=submit]")
    settle(page)
    visit(page, "/dashboard/")
    assert page.locator("html").get_attribute("lang") == language
    translated = set(visible_texts(page))
    # Proper names stay as they are: the product, people, and what the network wrote itself
    # (organisation, campaign and report names), which the template marks ``data-authored``.
    names = {"Peaceworks"} | set(page.locator("main [data-authored]").all_inner_texts())
    names |= {page.locator(".account-link").inner_text()}
    left_in_english = sorted((english & translated) - names - same_in(language))
    assert left_in_english == [], f"untranslated in {language}: {left_in_english}"
    screenshot(page, f"dashboard-{language}-desktop")


def test_network_admin_filters_the_audit_log(page_as, visit, screenshot):
    page = page_as("network_admin")
    page.goto("/dashboard/")
    page.click("text=Team and invitations")  # a write to find in the log
    page.fill("input[name=email]", "audited.person@example.org")
    page.select_option("select[name=role]", "org_member")
    page.click("main form.form button[type=submit]")
    settle(page)
    visit(page, "/dashboard/")
    page.click("text=Audit log")
    settle_and_check(page)
    page.fill("input[name=action]", "invitation.")
    page.click("main form.filters button[type=submit]")
    settle_and_check(page)
    actions = page.locator("main tbody tr td:nth-child(3)").all_inner_texts()
    assert actions
    assert all(action.startswith("invitation.") for action in actions)
    assert "audited.person@example.org" in page.locator("main tbody").inner_text()
    screenshot(page, "audit-log-desktop")


def test_member_finds_data_export_and_erasure_on_the_profile(page_as, visit):
    page = page_as("org_member", PHONE)
    visit(page, "/accounts/profile/")
    with page.expect_download() as download:
        page.click("text=Download everything stored about you (JSON)")
    assert download.value.suggested_filename == "peaceworks-account.json"
    page.click("text=Erase your account")
    settle_and_check(page)


def test_keyboard_user_corrects_a_form_from_its_error_summary(page_as, visit):
    """The activity form with the keyboard alone: sent empty with Enter, the error summary at
    the top of the form lists each problem, its link takes the focus to the field, the
    correction is typed there and the page is sent again."""
    page = page_as("org_coordinator")
    visit(page, "/campaigns/rpc/activities/new/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('main form input[name=title]')"):
            break
    else:
        pytest.fail("the title field is not reachable with Tab from the main content")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # sends the form, empty
    settle_and_check(page)
    summary = page.locator("main .form-errors")
    assert summary.is_visible()
    assert summary.get_attribute("role") == "alert"
    links = summary.locator("a")
    assert links.count() >= 2, "one link a field with a problem"
    title_link = summary.locator("a[href='#id_title']")
    assert title_link.count() == 1
    for _ in range(60):  # from the top of the page: past the header to the summary
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href') === '#id_title'"):
            break
    else:
        pytest.fail("the error summary's link is not reachable with Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_title"
    # the field says what is wrong, next to it, and is tied to the message
    described = page.locator("#id_title").get_attribute("aria-describedby") or ""
    assert any(
        "required" in page.locator(f"#{part}").inner_text().lower()
        for part in described.split()
        if page.locator(f"#{part}").count()
    )
    page.keyboard.type("Keyboard workcamp")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    settle(page)
    assert page.locator("#id_title").input_value() == "Keyboard workcamp"
    assert page.locator("main .form-errors a[href='#id_title']").count() == 0
